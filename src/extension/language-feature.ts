import * as vscode from 'vscode';
import { completionsAt, type LzCompletionItem } from '../core/language/completion';
import type { LiveLookups } from '../core/language/describe';
import { hoverAt } from '../core/language/hover';
import { definitionAt, occurrencesOf, prepareRenameAt, referencesAt, renameAt, symbolAt } from '../core/language/navigation';
import { outline, type OutlineNode } from '../core/language/outline';
import { quickFixesFor, sameIssue } from '../core/language/quick-fixes';
import { LANDING_ZONE_SELECTOR, toRange, type DocumentAnalyses } from './documents';
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

function toDocumentSymbol(n: OutlineNode): vscode.DocumentSymbol {
  const s = new vscode.DocumentSymbol(n.name, n.detail ?? '', SYMBOL_KIND[n.kind], toRange(n.range), toRange(n.selectionRange));
  s.children = n.children.map(toDocumentSymbol);
  return s;
}

/**
 * IntelliSense for landing-zone.yaml. Every provider is a translation: the logic is in
 * src/core/language, computed on text and offsets, and tested without VS Code.
 */
export function activateLanguageFeature(owner: DisposableOwner, deps: LanguageDeps): void {
  const { analyses } = deps;
  const sel = LANDING_ZONE_SELECTOR;

  owner.own(vscode.languages.registerCompletionItemProvider(sel, {
    provideCompletionItems(doc, position) {
      const offset = doc.offsetAt(position);
      // the recent index: completion pops up as you type and must not parse the whole file first
      return completionsAt(doc.getText(), offset, analyses.bestIndex(doc)).map((c) => {
        const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
        item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
        item.range = new vscode.Range(doc.positionAt(c.replaceStart), doc.positionAt(c.replaceEnd));
        item.detail = c.detail;
        if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
        item.sortText = c.sortText;
        if (c.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest values' };
        return item;
      });
    },
  }, ':', ' ', '[', ',', '/', '-'));

  owner.own(vscode.languages.registerHoverProvider(sel, {
    provideHover(doc, position) {
      const h = hoverAt(analyses.index(doc), doc.offsetAt(position), deps.live);
      if (!h) return undefined;
      const md = new vscode.MarkdownString(h.markdown);
      md.supportHtml = false;
      return new vscode.Hover(md, h.range ? toRange(h.range) : undefined);
    },
  }));

  owner.own(vscode.languages.registerDefinitionProvider(sel, {
    provideDefinition(doc, position) {
      const r = definitionAt(analyses.index(doc), doc.offsetAt(position));
      return r ? new vscode.Location(doc.uri, toRange(r)) : undefined;
    },
  }));

  owner.own(vscode.languages.registerReferenceProvider(sel, {
    provideReferences(doc, position, context) {
      return referencesAt(analyses.index(doc), doc.offsetAt(position), context.includeDeclaration)
        .map((o) => new vscode.Location(doc.uri, toRange(o.range)));
    },
  }));

  owner.own(vscode.languages.registerDocumentHighlightProvider(sel, {
    provideDocumentHighlights(doc, position) {
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
    prepareRename(doc, position) {
      const r = prepareRenameAt(analyses.index(doc), doc.offsetAt(position));
      if ('error' in r) throw new Error(r.error);
      return { range: toRange(r.range), placeholder: r.placeholder };
    },
    provideRenameEdits(doc, position, newName) {
      const r = renameAt(analyses.index(doc), doc.offsetAt(position), newName.trim());
      if ('error' in r) throw new Error(r.error);
      const edit = new vscode.WorkspaceEdit();
      // labelled so the refactor preview (Shift+Enter) groups the edits by what they change
      const label = `Rename ${r.kind} ${r.from} → ${r.to}`;
      for (const e of r.edits) edit.replace(doc.uri, toRange(e.range), e.newText, { label, needsConfirmation: false });
      return edit;
    },
  }));

  owner.own(vscode.languages.registerDocumentSymbolProvider(sel, {
    // the outline and breadcrumbs ask after every change: the worker computes it with the validation
    async provideDocumentSymbols(doc) {
      const version = doc.version;
      const r = await analyses.validateInBackground(doc);
      // a newer version cancelled this one: VS Code asks again for it
      if (!r || r.version !== version || doc.version !== version) return undefined;
      // without a worker (the glue's tests) the outline is computed here
      return (r.outline.length ? r.outline : outline(analyses.index(doc).source)).map(toDocumentSymbol);
    },
  }, { label: 'Landing Zone' }));

  owner.own(vscode.languages.registerCodeActionsProvider(sel, {
    provideCodeActions(doc, range, context) {
      const ours = context.diagnostics.filter((d) => d.source === 'landing-zone');
      if (ours.length === 0) return [];
      // the worker's findings for this version (what the diagnostics show); never a validation on this thread
      const issues = analyses.backgroundResult(doc)?.issues;
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
