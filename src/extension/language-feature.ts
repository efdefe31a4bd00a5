import * as vscode from 'vscode';
import { completionsAt, type LzCompletionItem } from '../core/language/completion';
import type { LiveLookups } from '../core/language/describe';
import { hoverAt, type LzHover } from '../core/language/hover';
import type { LiveData } from '../core/language/service';
import { definitionAt, occurrencesOf, prepareRenameAt, referencesAt, renameAt, symbolAt } from '../core/language/navigation';
import type { OutlineNode } from '../core/language/outline';
import { quickFixesFor, sameIssue } from '../core/language/quick-fixes';
import { isLandingZoneDocument, LANDING_ZONE_SELECTOR, toRange, type DocumentAnalyses } from './documents';
import type { DisposableOwner } from './owner';

export interface LanguageDeps {
  analyses: DocumentAnalyses;
  /** What drift and Secret Manager told us, for hovers. */
  live: LiveLookups;
}

const COMPLETION_KIND: Record<LzCompletionItem['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  reference: vscode.CompletionItemKind.Reference,
  snippet: vscode.CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<OutlineNode['kind'], vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  project: vscode.SymbolKind.Module,
  key: vscode.SymbolKind.Key,
  secret: vscode.SymbolKind.Constant,
  bucket: vscode.SymbolKind.Package,
  cluster: vscode.SymbolKind.Class,
  database: vscode.SymbolKind.Struct,
  application: vscode.SymbolKind.Interface,
  group: vscode.SymbolKind.Object,
  field: vscode.SymbolKind.Field,
};

/** Nodes converted between two yields to the event loop: a few milliseconds each, however large the outline. */
const SYMBOLS_PER_SLICE = 500;

/**
 * The outline as vscode symbols, converted in slices (the 500-project file's is 4,500 nodes) so
 * that no slice holds the extension host long; undefined when VS Code no longer wants them.
 */
async function toDocumentSymbols(nodes: readonly OutlineNode[], token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[] | undefined> {
  let done = 0;
  const convert = async (list: readonly OutlineNode[]): Promise<vscode.DocumentSymbol[] | undefined> => {
    const out: vscode.DocumentSymbol[] = [];
    for (const n of list) {
      if (++done % SYMBOLS_PER_SLICE === 0) {
        await new Promise((r) => setImmediate(r));
        if (token.isCancellationRequested) return undefined;
      }
      const s = new vscode.DocumentSymbol(n.name, n.detail ?? '', SYMBOL_KIND[n.kind], toRange(n.range), toRange(n.selectionRange));
      const children = await convert(n.children);
      if (!children) return undefined;
      s.children = children;
      out.push(s);
    }
    return out;
  };
  return convert(nodes);
}

/**
 * IntelliSense for landing-zone.yaml. Every provider is a translation: the logic is in
 * src/core/language, computed on text and offsets, and tested without VS Code.
 */
export function activateLanguageFeature(owner: DisposableOwner, deps: LanguageDeps): void {
  const { analyses } = deps;
  const sel = LANDING_ZONE_SELECTOR;

  const toItems = (doc: vscode.TextDocument, items: LzCompletionItem[]) => items.map((c) => {
    const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
    item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
    item.range = new vscode.Range(doc.positionAt(c.replaceStart), doc.positionAt(c.replaceEnd));
    item.detail = c.detail;
    if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
    item.sortText = c.sortText;
    if (c.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest values' };
    return item;
      });

  // Every answer below comes from the editor's worker, which parses the file; this thread only
  // converts the answer. Without a worker (the glue's tests) the index on this thread answers.
  owner.own(vscode.languages.registerCompletionItemProvider(sel, {
    async provideCompletionItems(doc, position) {
      const offset = doc.offsetAt(position);
      const a = await analyses.ask(doc, { op: 'completion', offset });
      // (moot: the document changed, and VS Code asks again)
      if (a) return a.op === 'completion' ? toItems(doc, a.items) : undefined;
      // without a worker: the recent index, so completion never parses the whole file first
      return toItems(doc, completionsAt(doc.getText(), offset, analyses.bestIndex(doc)));
    },
  }, ':', ' ', '[', ',', '/', '-'));

  // the worker reads the document as soon as it opens: the first completion finds its names ready
  const open = (doc: vscode.TextDocument) => { if (isLandingZoneDocument(doc)) void analyses.ask(doc, { op: 'open' }); };
  owner.own(vscode.workspace.onDidOpenTextDocument(open));
  for (const doc of vscode.workspace.textDocuments) open(doc);

  /** Hover from the worker; the live state it names (drift, Secret Manager) is this thread's, so it is sent when asked for. */
  const hover = async (doc: vscode.TextDocument, offset: number): Promise<LzHover | undefined> => {
    const first = await analyses.ask(doc, { op: 'hover', offset });
    if (!first) return hoverAt(analyses.index(doc), offset, deps.live);
    if (first.op !== 'hover') return undefined;
    const live: LiveData = { resources: {}, secrets: {} };
    let found = false;
    for (const id of first.asked.resources) { const r = deps.live.resource?.(id); if (r) { live.resources[id] = r; found = true; } }
    for (const id of first.asked.secrets) { const v = deps.live.secretVersions?.(id); if (v) { live.secrets[id] = v; found = true; } }
    if (!found) return first.hover;
    const again = await analyses.ask(doc, { op: 'hover', offset, live });
    return again?.op === 'hover' ? again.hover : first.hover;
  };

  owner.own(vscode.languages.registerHoverProvider(sel, {
    async provideHover(doc, position) {
      const h = await hover(doc, doc.offsetAt(position));
      if (!h) return undefined;
      const md = new vscode.MarkdownString(h.markdown);
      md.supportHtml = false;
      return new vscode.Hover(md, h.range ? toRange(h.range) : undefined);
    },
  }));

  owner.own(vscode.languages.registerDefinitionProvider(sel, {
    async provideDefinition(doc, position) {
      const a = await analyses.ask(doc, { op: 'definition', offset: doc.offsetAt(position) });
      const r = a ? (a.op === 'definition' ? a.range : undefined) : definitionAt(analyses.index(doc), doc.offsetAt(position));
      return r ? new vscode.Location(doc.uri, toRange(r)) : undefined;
    },
  }));

  owner.own(vscode.languages.registerReferenceProvider(sel, {
    async provideReferences(doc, position, context) {
      const offset = doc.offsetAt(position);
      const a = await analyses.ask(doc, { op: 'references', offset, includeDeclaration: context.includeDeclaration });
      const found = a ? (a.op === 'references' ? a.occurrences : []) : referencesAt(analyses.index(doc), offset, context.includeDeclaration);
      return found.map((o) => new vscode.Location(doc.uri, toRange(o.range)));
    },
  }));

  owner.own(vscode.languages.registerDocumentHighlightProvider(sel, {
    async provideDocumentHighlights(doc, position) {
      const version = doc.version;
      const a = await analyses.ask(doc, { op: 'highlights', offset: doc.offsetAt(position) });
      if (a) {
        if (a.op !== 'highlights' || doc.version !== version) return undefined;
        return a.occurrences.map((o) => new vscode.DocumentHighlight(toRange(o.range),
          o.isDefinition ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read));
      }
      // asked for on every cursor move: the recent index, and nothing when it is a keystroke behind
      const idx = analyses.recentIndex(doc);
      if (idx.source.text !== doc.getText()) return undefined;
      const hit = symbolAt(idx, doc.offsetAt(position));
      if (!hit) return undefined;
      return occurrencesOf(idx, hit.kind, hit.id).map((o) => new vscode.DocumentHighlight(toRange(o.range),
        o.isDefinition ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read));
    },
  }));

  owner.own(vscode.languages.registerRenameProvider(sel, {
    async prepareRename(doc, position) {
      const a = await analyses.ask(doc, { op: 'prepareRename', offset: doc.offsetAt(position) });
      const r = a ? (a.op === 'prepareRename' ? a.result : { error: 'The file changed; try again.' }) : prepareRenameAt(analyses.index(doc), doc.offsetAt(position));
      if ('error' in r) throw new Error(r.error);
      return { range: toRange(r.range), placeholder: r.placeholder };
    },
    async provideRenameEdits(doc, position, newName) {
      const a = await analyses.ask(doc, { op: 'rename', offset: doc.offsetAt(position), newName: newName.trim() });
      const r = a ? (a.op === 'rename' ? a.result : { error: 'The file changed; try again.' }) : renameAt(analyses.index(doc), doc.offsetAt(position), newName.trim());
      if ('error' in r) throw new Error(r.error);
      const edit = new vscode.WorkspaceEdit();
      // labelled so the refactor preview (Shift+Enter) groups the edits by what they change
      const label = `Rename ${r.kind} ${r.from} → ${r.to}`;
      for (const e of r.edits) edit.replace(doc.uri, toRange(e.range), e.newText, { label, needsConfirmation: false });
      return edit;
    },
  }));

  // the last outline converted: the worker sends the same one again as "unchanged", and the client
  // hands back the same array, so most keystrokes convert nothing
  const converted = new WeakMap<readonly OutlineNode[], vscode.DocumentSymbol[]>();
  owner.own(vscode.languages.registerDocumentSymbolProvider(sel, {
    // the outline, breadcrumbs and sticky scroll ask after every change: the worker computes it after the findings
    async provideDocumentSymbols(doc, token) {
      const version = doc.version;
      const r = await analyses.validateInBackground(doc);
      const details = await r?.details;
      // a newer version interrupted this one: VS Code asks again for it
      if (!r || !details || r.version !== version || doc.version !== version) return undefined;
      const known = converted.get(details.outline);
      if (known) return known;
      const symbols = await toDocumentSymbols(details.outline, token);
      if (symbols) converted.set(details.outline, symbols);
      return symbols;
    },
  }, { label: 'Landing Zone' }));

  owner.own(vscode.languages.registerCodeActionsProvider(sel, {
    async provideCodeActions(doc, range, context) {
      const ours = context.diagnostics.filter((d) => d.source === 'landing-zone');
      if (ours.length === 0) return [];
      // the worker's findings for this version (what the diagnostics show), awaited when they are still
      // on their way (the diagnostics may have come from another path first); never a validation on this thread
      const issues = (analyses.backgroundResult(doc) ?? (await analyses.validateInBackground(doc)))?.issues;
      if (!issues) return [];
      const r = { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
      return quickFixesFor(issues, r).flatMap((fix) => {
        const diagnostic = ours.find((d) => sameIssue(fix.issue, {
          ruleId: typeof d.code === 'object' ? String(d.code.value) : String(d.code),
          message: d.message,
          range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
        }));
        if (!diagnostic) return [];
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
        return [action];
      });
    },
  }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
}
