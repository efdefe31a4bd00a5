import * as vscode from 'vscode';
import { SourceDocument } from '../core/document';
import { indexDocument, type SymbolIndex } from '../core/language/symbol-index';
import { validateText, type ValidationResult } from '../core/validate';

/** The documents this extension works on: landing-zone.yaml / .yml and *.landing-zone.yaml. */
export const LANDING_ZONE_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', pattern: '**/landing-zone.{yaml,yml}' },
  { language: 'yaml', pattern: '**/*.landing-zone.{yaml,yml}' },
];

const NAME = /(^|[\\/])([^\\/]+\.)?landing-zone\.ya?ml$/;

export function isLandingZoneDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' && NAME.test(doc.uri.path);
}

interface Entry {
  version: number;
  text: string;
  index?: SymbolIndex;
  validation?: ValidationResult;
}

/**
 * Parses, indexes and validates each open document at most once per version. Providers and
 * diagnostics share it, so a hover right after a keystroke does not parse the file again.
 */
export class DocumentAnalyses implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The last index that parsed without a syntax error, per document: completion uses it while the text is broken. */
  private readonly lastGood = new Map<string, SymbolIndex>();

  private entry(doc: vscode.TextDocument): Entry {
    const key = doc.uri.toString();
    let e = this.entries.get(key);
    if (!e || e.version !== doc.version) {
      e = { version: doc.version, text: doc.getText() };
      this.entries.set(key, e);
    }
    return e;
  }

  index(doc: vscode.TextDocument): SymbolIndex {
    const e = this.entry(doc);
    if (!e.index) {
      e.index = e.validation ? indexDocument(e.validation.source) : indexDocument(new SourceDocument(e.text, doc.uri.toString()));
      if (e.index.source.doc.errors.length === 0) this.lastGood.set(doc.uri.toString(), e.index);
    }
    return e.index;
  }

  /** The index to offer symbols from: this version's when it parses, else the last one that did. */
  bestIndex(doc: vscode.TextDocument): SymbolIndex {
    const idx = this.index(doc);
    return idx.source.doc.errors.length === 0 ? idx : this.lastGood.get(doc.uri.toString()) ?? idx;
  }

  validation(doc: vscode.TextDocument): ValidationResult {
    const e = this.entry(doc);
    if (!e.validation) e.validation = validateText(e.text, doc.uri.toString());
    return e.validation;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
    this.lastGood.delete(doc.uri.toString());
  }

  dispose(): void {
    this.entries.clear();
    this.lastGood.clear();
  }
}

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
