import { SourceDocument } from '../document';
import type { Range } from '../issues';
import { completionsAt, type LzCompletionItem } from './completion';
import type { LiveSummary, SecretVersionMeta } from './describe';
import { hoverAt, type LzHover } from './hover';
import { definitionAt, occurrencesOf, prepareRenameAt, referencesAt, renameAt, symbolAt, type Occurrence, type RenameResult } from './navigation';
import { indexDocument, indexSymbols, type IndexedSymbol, type SymbolIndex } from './symbol-index';

/*
 * The editor's language answers (completion, hover, definition, references, highlights, rename)
 * computed where the document's index lives: in the editor's language worker, so that parsing the
 * 500-project file (a second or more on a loaded machine) never runs on the extension host's
 * thread. Plain data in, plain data out: the host only converts answers to vscode objects.
 */

/** What the host asks. `text` comes with a request when the service may not hold that version yet. */
export type LanguageRequest = {
  uri: string;
  version: number;
  text?: string;
} & (
  | { op: 'completion'; offset: number }
  | { op: 'hover'; offset: number; live?: LiveData }
  | { op: 'definition'; offset: number }
  | { op: 'references'; offset: number; includeDeclaration: boolean }
  | { op: 'highlights'; offset: number }
  | { op: 'prepareRename'; offset: number }
  | { op: 'rename'; offset: number; newName: string }
  | { op: 'open' }
  | { op: 'close' }
);

/** The live state hover shows (drift, Secret Manager), as data: only the ids hover asked for. */
export interface LiveData {
  resources: Record<string, LiveSummary>;
  secrets: Record<string, SecretVersionMeta[]>;
}

export type LanguageAnswer =
  | { op: 'completion'; items: LzCompletionItem[] }
  /** `asked`: the live ids the answer would show if the host has them (it asks again with them). */
  | { op: 'hover'; hover?: LzHover; asked: { resources: string[]; secrets: string[] } }
  | { op: 'definition'; range?: Range }
  | { op: 'references'; occurrences: Occurrence[] }
  | { op: 'highlights'; occurrences: Occurrence[] }
  | { op: 'prepareRename'; result: { range: Range; placeholder: string } | { error: string } }
  | { op: 'rename'; result: RenameResult }
  | { op: 'open' | 'close' }
  /** The service does not hold this version's text: ask again with it. */
  | { op: 'needText' }
  /** A newer version of the document arrived before the answer: the question is moot. */
  | { op: 'stale' };

interface Held {
  version: number;
  text: string;
  /** This version's parse, made once and shared by validation and the index. */
  source?: SourceDocument;
  /** This version's definitions (indexSymbols): completion and the explorer's tree need no more. */
  symbols?: IndexedSymbol[];
  /** This version's index, built on first need. */
  index?: SymbolIndex;
}

/**
 * Per document: the newest version's text, parse and index, and the last index that parsed without
 * errors (completion's names while the text is broken): at most two parses of a document alive.
 */
export class LanguageService {
  private readonly docs = new Map<string, Held>();
  private readonly lastGood = new Map<string, SymbolIndex>();

  /** `interrupted`: asked while a parse for the answer reads the file (the worker stops a moot one). */
  answer(req: LanguageRequest, interrupted?: () => boolean): LanguageAnswer {
    if (req.op === 'close') {
      this.docs.delete(req.uri);
      this.lastGood.delete(req.uri);
      return { op: 'close' };
    }
    if (this.isStale(req)) return { op: 'stale' };
    const held = req.text !== undefined ? this.hold(req.uri, req.version, req.text) : this.held(req.uri, req.version);
    if (!held) return { op: 'needText' };
    const indexed = (uri: string, h: Held) => this.index(uri, h, interrupted);
    switch (req.op) {
      case 'open':
        // the text is held; its parse and index come with its validation, or with the first question
        return { op: 'open' };
      case 'completion': {
        // the cursor's context from this version's text; the names from this version's definitions
        // (completion reads no references: the 500-project file's take ten times as long to list),
        // or while it does not parse, from the last index that did
        const current = this.names(req.uri, held, interrupted);
        const names = current.source.doc.errors.length === 0 ? current : this.lastGood.get(req.uri) ?? current;
        return { op: 'completion', items: completionsAt(held.text, req.offset, names) };
      }
      case 'hover': {
        const asked = { resources: [] as string[], secrets: [] as string[] };
        const live = req.live;
        const hover = hoverAt(indexed(req.uri, held), req.offset, {
          resource: (id) => { asked.resources.push(id); return live?.resources[id]; },
          secretVersions: (id) => { asked.secrets.push(id); return live?.secrets[id]; },
        });
        return hover ? { op: 'hover', hover, asked } : { op: 'hover', asked };
      }
      case 'definition': {
        const range = definitionAt(indexed(req.uri, held), req.offset);
        return range ? { op: 'definition', range } : { op: 'definition' };
      }
      case 'references':
        return { op: 'references', occurrences: referencesAt(indexed(req.uri, held), req.offset, req.includeDeclaration) };
      case 'highlights': {
        const index = indexed(req.uri, held);
        const hit = symbolAt(index, req.offset);
        return { op: 'highlights', occurrences: hit ? occurrencesOf(index, hit.kind, hit.id) : [] };
      }
      case 'prepareRename':
        return { op: 'prepareRename', result: prepareRenameAt(indexed(req.uri, held), req.offset) };
      case 'rename':
        return { op: 'rename', result: renameAt(indexed(req.uri, held), req.offset, req.newName) };
    }
  }

  /**
   * Holds a version's text (validation's or a question's): a newer version replaces the one held,
   * and so does the same version with another text; the same text keeps the copy, parse and index
   * already held. The host's client mirrors this rule (validation-thread.ts).
   */
  hold(uri: string, version: number, text: string): Held {
    const held = this.docs.get(uri);
    if (held && held.version === version && held.text === text) return held;
    if (held && held.version > version) return { version, text };
    const fresh: Held = { version, text };
    this.docs.set(uri, fresh);
    return fresh;
  }

  /** This version's parse when it is held and parsed; else undefined. */
  sourceOf(uri: string, version: number): SourceDocument | undefined {
    return this.held(uri, version)?.source;
  }

  /** Validation parsed the held version: the index will be built from that parse, not another. */
  adopt(uri: string, version: number, source: SourceDocument): void {
    const held = this.held(uri, version);
    if (held && !held.source && held.text === source.text) held.source = source;
  }

  /**
   * Whether answering `req` now needs no parse of the whole file: its version is parsed already.
   * The worker answers such requests between the steps of a validation and keeps the others until
   * the validation's own parse of that version is done. (An earlier version's index would answer
   * completion at once, but not with the same items: a name's documentation says its line.)
   */
  answerableWithoutParse(req: LanguageRequest): boolean {
    if (req.op === 'close' || req.op === 'open' || this.isStale(req)) return true;
    const h = this.docs.get(req.uri);
    const held = h && h.version === req.version && (req.text === undefined || h.text === req.text) ? h : undefined;
    return !!(held?.source || held?.index);
  }

  /** Whether a newer version of the request's document is held (the host moved on: the answer would be moot). */
  isStale(req: { uri: string; version: number }): boolean {
    const h = this.docs.get(req.uri);
    return !!h && h.version > req.version;
  }

  private held(uri: string, version: number): Held | undefined {
    const held = this.docs.get(uri);
    return held && held.version === version ? held : undefined;
  }

  /** Builds this version's index once (the read-only fast reader, as every editor surface reads). */
  /** This version's definitions alone, as an index without references (what completion reads). */
  private names(uri: string, held: Held, interrupted?: () => boolean): SymbolIndex {
    if (held.index) return held.index;
    held.source ??= new SourceDocument(held.text, uri, 'fast', interrupted);
    held.symbols ??= indexSymbols(held.source);
    const names = { source: held.source, symbols: held.symbols, references: [] };
    if (this.docs.get(uri) === held && held.source.doc.errors.length === 0) this.lastGood.set(uri, names);
    return names;
  }

  private index(uri: string, held: Held, interrupted?: () => boolean): SymbolIndex {
    if (!held.index) {
      held.source ??= new SourceDocument(held.text, uri, 'fast', interrupted);
      held.index = indexDocument(held.source, held.symbols);
      // (an older version asked about late does not replace the newer names)
      if (this.docs.get(uri) === held && held.index.source.doc.errors.length === 0) this.lastGood.set(uri, held.index);
    }
    return held.index;
  }

  /** Builds the held version's index if it is not built yet (the worker does it when idle; `interrupted` stops its parse). */
  prepare(uri: string, interrupted?: () => boolean): void {
    const held = this.docs.get(uri);
    if (held) this.index(uri, held, interrupted);
  }

  /** The definitions of the held version `version`, listed now if they are not yet (the explorer's tree reads them). */
  symbolsOf(uri: string, version: number): IndexedSymbol[] | undefined {
    const held = this.held(uri, version);
    if (!held?.source) return undefined;
    return (held.symbols ??= held.index?.symbols ?? indexSymbols(held.source));
  }
}
