import * as vscode from 'vscode';
import { SourceDocument } from '../core/document';
import { explorerTree, type ExplorerTree } from '../core/language/explorer-tree';
import { outline } from '../core/language/outline';
import { indexDocument, type SymbolIndex } from '../core/language/symbol-index';
import { validateText, type ValidationResult } from '../core/validate';
import type { LanguageAnswer, LanguageRequest } from '../core/language/service';
import type { ValidationClient, ValidationResponse } from './validation-client';
import { log } from './logger';
import type { LanguageClient } from './validation-language';

/** The documents this extension works on: landing-zone.yaml / .yml and *.landing-zone.yaml. */
export const LANDING_ZONE_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', pattern: '**/landing-zone.{yaml,yml}' },
  { language: 'yaml', pattern: '**/*.landing-zone.{yaml,yml}' },
];

const NAME = /(^|[\\/])([^\\/]+\.)?landing-zone\.ya?ml$/;

export function isLandingZoneDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' && NAME.test(doc.uri.path);
}

/** A pause in typing after which the current version's index is worth parsing on the host. */
const TYPING_PAUSE_MS = 300;

interface Entry {
  version: number;
  text: string;
  index?: SymbolIndex;
  validation?: ValidationResult;
  /** This version read with the fast reader, for what only draws (the diagram). */
  drawing?: ValidationResult;
  /** The worker's answer for this version. */
  background?: ValidationResponse;
  pending?: Promise<ValidationResponse | undefined>;
}

/**
 * Parses, indexes and validates each open document at most once per version. Providers and
 * diagnostics share it, so a hover right after a keystroke does not parse the file again.
 */
export class DocumentAnalyses implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The last index that parsed without a syntax error, per document: completion uses it while the text is broken. */
  private readonly lastGood = new Map<string, SymbolIndex>();
  /** The last index built, whatever its version: what providers that run on every keystroke use. */
  private readonly lastBuilt = new Map<string, { version: number; index: SymbolIndex }>();

  /** Completion, hover, navigation and rename: answered by the validation's worker, never on this thread. */
  private readonly language: LanguageClient | undefined;

  /** The explorer's tree per document: the newest that parsed, as the validation worker sent it. */
  private readonly trees = new Map<string, ExplorerTree>();
  private readonly treeEvents = new vscode.EventEmitter<{ uri: string; shapeChanged: boolean }>();
  /** A document's tree arrived: its shape changed, or only where its entries are. */
  readonly onDidChangeTree = this.treeEvents.event;

  /** Without a worker (tests of the glue), background validation and language answers run on this thread. */
  constructor(private readonly worker?: ValidationClient) {
    this.language = worker?.language;
    // the worker loads its bundle now, while the rest of the editor starts: the first document's
    // validation and completion find it ready
    worker?.start();
  }

  /**
   * Asks the editor's worker about this version of the document (its text goes along when the
   * worker does not hold it yet); undefined without a worker, and the caller answers from `index`.
   */
  async ask(doc: vscode.TextDocument, req: DistributiveOmit<LanguageRequest, 'uri' | 'version' | 'text'>): Promise<LanguageAnswer | undefined> {
    if (!this.language) return undefined;
    const e = this.entry(doc);
    try {
      return await this.language.ask({ ...req, uri: doc.uri.toString(), version: doc.version } as Parameters<LanguageClient['ask']>[0], () => e.text);
    } catch (err) {
      // a bug of ours or a crashed worker: this answer comes from this thread, the next from a new worker
      log().error(`the editor's worker (language): ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private entry(doc: vscode.TextDocument): Entry {
    const key = doc.uri.toString();
    let e = this.entries.get(key);
    if (!e || e.version !== doc.version) {
      e = { version: doc.version, text: doc.getText() };
      this.entries.set(key, e);
    }
    return e;
  }

  /** This version's index, parsed on this thread: for what a person asks for (hover, go to definition, rename). */
  index(doc: vscode.TextDocument): SymbolIndex {
    const e = this.entry(doc);
    if (!e.index) {
      e.index = e.validation ? indexDocument(e.validation.source) : indexDocument(new SourceDocument(e.text, doc.uri.toString(), 'fast'));
      if (e.index.source.doc.errors.length === 0) this.lastGood.set(doc.uri.toString(), e.index);
      this.lastBuilt.set(doc.uri.toString(), { version: doc.version, index: e.index });
    }
    return e.index;
  }

  /**
   * The index for what runs on every keystroke (completion, highlights, the explorer): this
   * version's when it is built, else the last one built, so that typing never waits for a parse
   * of the whole file on the extension host. The current version's is built once typing pauses
   * (`refreshIndexWhenIdle`), and only the first call for a document parses at once.
   */
  recentIndex(doc: vscode.TextDocument): SymbolIndex {
    const e = this.entry(doc);
    if (e.index) return e.index;
    const last = this.lastBuilt.get(doc.uri.toString());
    const typing = performance.now() - (this.changedAt.get(doc.uri.toString()) ?? -Infinity) < TYPING_PAUSE_MS;
    return last && typing ? last.index : this.index(doc);
  }

  /** When each document last changed: while a person types, keystroke providers use the last index. */
  private readonly changedAt = new Map<string, number>();

  noteChange(doc: vscode.TextDocument): void {
    this.changedAt.set(doc.uri.toString(), performance.now());
  }

  /** The index to offer symbols from: the recent one when it parses, else the last one that did. */
  bestIndex(doc: vscode.TextDocument): SymbolIndex {
    const idx = this.recentIndex(doc);
    return idx.source.doc.errors.length === 0 ? idx : this.lastGood.get(doc.uri.toString()) ?? idx;
  }

  /**
   * Validates the document's current version off this thread (the worker) and keeps the answer
   * for quick fixes and the outline. Undefined when a newer version arrived first.
   */
  validateInBackground(doc: vscode.TextDocument): Promise<ValidationResponse | undefined> {
    const e = this.entry(doc);
    if (e.background) return Promise.resolve(e.background);
    if (!e.pending) {
      const version = doc.version;
      e.pending = (this.worker
        ? this.worker.validate(doc.uri.toString(), version, e.text)
        : Promise.resolve(this.onThisThread(doc, e))
      ).then((r) => {
        if (this.entries.get(doc.uri.toString()) === e) {
          if (r) e.background = r;
          // interrupted while this version is still the newest: the next ask runs it again
          else e.pending = undefined;
        }
        void r?.details.then((d) => {
          const uri = doc.uri.toString();
          if (!d?.tree || this.trees.get(uri) === d.tree || doc.isClosed) return;
          this.trees.set(uri, d.tree);
          this.treeEvents.fire({ uri, shapeChanged: d.treeChanged });
        });
        return r;
      });
    }
    return e.pending;
  }

  /** Stops the worker's run of an older version of `doc` at its next step (a newer one is typed). */
  interruptBackground(doc: vscode.TextDocument): void {
    this.worker?.interrupt(doc.uri.toString());
  }

  /** The explorer's tree of `doc`: the newest version's that parsed, once the worker has sent one. */
  explorerTreeOf(doc: vscode.TextDocument): ExplorerTree | undefined {
    return this.trees.get(doc.uri.toString());
  }

  private onThisThread(doc: vscode.TextDocument, e: Entry): ValidationResponse {
    const t0 = performance.now();
    const v = this.validation(doc);
    const ms = performance.now() - t0;
    const parsed = v.source.doc.errors.length === 0;
    const tree = parsed ? explorerTree(v.source) : this.trees.get(doc.uri.toString());
    const details = { outline: outline(v.source), tree, treeChanged: parsed, ms: 0 };
    return { id: 0, uri: doc.uri.toString(), version: e.version, issues: v.issues, hasModel: !!v.model, ms, details: Promise.resolve(details) };
  }

  /** The worker's answer for the current version, if it has come. */
  backgroundResult(doc: vscode.TextDocument): ValidationResponse | undefined {
    return this.entry(doc).background;
  }

  /**
   * This version's full validation on this thread, with the model: for commands (diagram, plan,
   * apply, rotations). Read with `yaml` alone, as every command that writes must.
   */
  validation(doc: vscode.TextDocument): ValidationResult {
    const e = this.entry(doc);
    if (!e.validation) e.validation = validateText(e.text, doc.uri.toString());
    return e.validation;
  }

  /**
   * This version's validation for what only draws it (the diagram panel): read with the fast reader,
   * which the differential test holds equal to `yaml`, at about half the cost on the host's thread.
   * Never for a command that writes: those take validation().
   */
  drawing(doc: vscode.TextDocument): ValidationResult {
    const e = this.entry(doc);
    if (e.validation) return e.validation;
    if (!e.drawing) e.drawing = validateText(e.text, doc.uri.toString(), { reader: 'fast' });
    return e.drawing;
  }

  forget(doc: vscode.TextDocument): void {
    this.worker?.forget(doc.uri.toString());
    this.trees.delete(doc.uri.toString());
    this.entries.delete(doc.uri.toString());
    this.lastGood.delete(doc.uri.toString());
    this.lastBuilt.delete(doc.uri.toString());
    this.changedAt.delete(doc.uri.toString());
  }

  dispose(): void {
    this.entries.clear();
    this.lastGood.clear();
    this.lastBuilt.clear();
    this.trees.clear();
    this.treeEvents.dispose();
    this.worker?.dispose();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Converts between the engine's 0-based ranges and VS Code's. */
export function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The landing-zone document the user is looking at, or the first open one. */
export function activeLandingZoneDocument(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isLandingZoneDocument(active)) return active;
  return vscode.workspace.textDocuments.find(isLandingZoneDocument);
}

/** The document to act on: the active one, or landing-zone.yaml at the root of the first folder. */
export async function landingZoneDocumentForCommand(): Promise<vscode.TextDocument | undefined> {
  const open = activeLandingZoneDocument();
  if (open) return open;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  for (const name of ['landing-zone.yaml', 'landing-zone.yml']) {
    const uri = vscode.Uri.joinPath(folder.uri, name);
    try {
      await vscode.workspace.fs.stat(uri);
      return await vscode.workspace.openTextDocument(uri);
    } catch { /* try the next name */ }
  }
  return undefined;
}
