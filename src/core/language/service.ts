import { SourceDocument } from '../document';
import type { Range } from '../issues';
import { completionsAt, type LzCompletionItem } from './completion';
import type { LiveSummary, SecretVersionMeta } from './describe';
import { hoverAt, type LzHover } from './hover';
import { definitionAt, occurrencesOf, prepareRenameAt, referencesAt, renameAt, symbolAt, type Occurrence, type RenameResult } from './navigation';
import { indexDocument, type SymbolIndex } from './symbol-index';

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
  | { op: 'needText' };

interface Held {
  version: number;
  text: string;
  /** This version's index, built on first need. */
  index?: SymbolIndex;
}

/** Per document: the newest text, its index, and the last index that parsed without errors. */
export class LanguageService {
  private readonly docs = new Map<string, Held>();
  private readonly lastGood = new Map<string, SymbolIndex>();
  private readonly lastBuilt = new Map<string, SymbolIndex>();

  answer(req: LanguageRequest): LanguageAnswer {
    if (req.op === 'close') {
      this.docs.delete(req.uri);
      this.lastGood.delete(req.uri);
      this.lastBuilt.delete(req.uri);
      return { op: 'close' };
    }
    let held = this.docs.get(req.uri);
    if (req.text !== undefined && (!held || held.version !== req.version)) {
      held = { version: req.version, text: req.text };
      this.docs.set(req.uri, held);
    }
    if (!held || held.version !== req.version) return { op: 'needText' };
    switch (req.op) {
      case 'open':
        this.index(req.uri, held);
        return { op: 'open' };
      case 'completion': {
        // completion pops up as you type: it reads the cursor's context from this version's text
        // and takes names from the last index that parsed, so it never waits for a parse
        const names = this.lastGood.get(req.uri) ?? this.lastBuilt.get(req.uri) ?? this.index(req.uri, held);
        return { op: 'completion', items: completionsAt(held.text, req.offset, names) };
      }
      case 'hover': {
        const asked = { resources: [] as string[], secrets: [] as string[] };
        const live = req.live;
        const hover = hoverAt(this.index(req.uri, held), req.offset, {
          resource: (id) => { asked.resources.push(id); return live?.resources[id]; },
          secretVersions: (id) => { asked.secrets.push(id); return live?.secrets[id]; },
        });
        return hover ? { op: 'hover', hover, asked } : { op: 'hover', asked };
      }
      case 'definition': {
        const range = definitionAt(this.index(req.uri, held), req.offset);
        return range ? { op: 'definition', range } : { op: 'definition' };
      }
      case 'references':
        return { op: 'references', occurrences: referencesAt(this.index(req.uri, held), req.offset, req.includeDeclaration) };
      case 'highlights': {
        const index = this.index(req.uri, held);
        const hit = symbolAt(index, req.offset);
        return { op: 'highlights', occurrences: hit ? occurrencesOf(index, hit.kind, hit.id) : [] };
      }
      case 'prepareRename':
        return { op: 'prepareRename', result: prepareRenameAt(this.index(req.uri, held), req.offset) };
      case 'rename':
        return { op: 'rename', result: renameAt(this.index(req.uri, held), req.offset, req.newName) };
    }
  }

  /** Builds this version's index once (the read-only fast reader, as every editor surface reads). */
  private index(uri: string, held: Held): SymbolIndex {
    if (!held.index) {
      held.index = indexDocument(new SourceDocument(held.text, uri, 'fast'));
      this.lastBuilt.set(uri, held.index);
      if (held.index.source.doc.errors.length === 0) this.lastGood.set(uri, held.index);
    }
    return held.index;
  }

  /** Builds the held version's index if it is not built yet (the worker does it when idle). */
  prepare(uri: string): void {
    const held = this.docs.get(uri);
    if (held) this.index(uri, held);
  }
}
