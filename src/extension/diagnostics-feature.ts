import * as vscode from 'vscode';
import type { Issue } from '../core/issues';
import { ruleDocsUrl } from '../core/language/quick-fixes';
import type { Command } from './commands';
import { isLandingZoneDocument, landingZoneDocumentForCommand, toRange, type DocumentAnalyses } from './documents';
import { log } from './logger';
import type { DisposableOwner } from './owner';

export interface DiagnosticsDeps {
  analyses: DocumentAnalyses;
  /** The README's URL; rule codes link to its sections. */
  readmeUrl: string;
  /** Milliseconds of quiet typing before a document is validated again. */
  debounceMs?: number;
  /** Leave the documents open at activation to `validateOpenDocuments()` (phase 2). */
  deferInitial?: boolean;
}

const SEVERITY: Record<Issue['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The diagnostic for an issue: the rule id as its code, linking to the rule's documentation. */
export function toDiagnostic(issue: Issue, readmeUrl: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(issue.range), issue.message, SEVERITY[issue.severity]);
  d.source = 'landing-zone';
  d.code = { value: issue.ruleId, target: vscode.Uri.parse(ruleDocsUrl(issue.ruleId, readmeUrl)) };
  return d;
}

/**
 * Diagnostics as you type: one collection, one debounce timer per document, validated by the same
 * engine as the CLI. Opening a document validates it at once; closing it clears its problems.
 */
export function activateDiagnosticsFeature(owner: DisposableOwner, deps: DiagnosticsDeps): { validateNow(doc: vscode.TextDocument): Issue[]; validateOpenDocuments(): void; commands: Command[] } {
  const collection = owner.own(vscode.languages.createDiagnosticCollection('landing-zone'));
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  owner.own({ dispose: () => { for (const t of timers.values()) clearTimeout(t); timers.clear(); } });
  const debounceMs = deps.debounceMs ?? 250;

  // Large files take long to validate: wait proportionally longer after a keystroke, so typing in a
  // 500-project file does not revalidate on every pause.
  const lastCost = new Map<string, number>();
  owner.own({ dispose: () => lastCost.clear() });
  const validateNow = (doc: vscode.TextDocument): Issue[] => {
    const t0 = performance.now();
    const { issues } = deps.analyses.validation(doc);
    lastCost.set(doc.uri.toString(), performance.now() - t0);
    collection.set(doc.uri, issues.map((i) => toDiagnostic(i, deps.readmeUrl)));
    log().trace(`validated ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}: ${issues.length} issue(s) in ${(performance.now() - t0).toFixed(1)} ms`);
    return issues;
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      // the document may have closed while we waited
      if (!doc.isClosed) validateNow(doc);
    }, Math.max(debounceMs, 2 * (lastCost.get(key) ?? 0))));
  };

  owner.own(vscode.workspace.onDidOpenTextDocument((doc) => { if (isLandingZoneDocument(doc)) validateNow(doc); }));
  owner.own(vscode.workspace.onDidChangeTextDocument((e) => { if (isLandingZoneDocument(e.document) && e.contentChanges.length) schedule(e.document); }));
  owner.own(vscode.workspace.onDidCloseTextDocument((doc) => {
    clearTimeout(timers.get(doc.uri.toString()));
    timers.delete(doc.uri.toString());
    collection.delete(doc.uri);
    lastCost.delete(doc.uri.toString());
    deps.analyses.forget(doc);
  }));
  const validateOpenDocuments = () => { for (const doc of vscode.workspace.textDocuments) if (isLandingZoneDocument(doc)) validateNow(doc); };
  if (!deps.deferInitial) validateOpenDocuments();

  const validate: Command = {
    id: 'landingZone.validate',
    async run() {
      const doc = await landingZoneDocumentForCommand();
      if (!doc) {
        void vscode.window.showWarningMessage('No landing-zone.yaml is open or at the root of the workspace.');
        return undefined;
      }
      const issues = validateNow(doc);
      const errors = issues.filter((i) => i.severity === 'error').length;
      const name = vscode.workspace.asRelativePath(doc.uri);
      if (issues.length === 0) void vscode.window.showInformationMessage(`${name} is valid: no findings.`);
      else {
        void vscode.commands.executeCommand('workbench.actions.view.problems');
        void vscode.window.showWarningMessage(`${name}: ${errors} error(s), ${issues.length - errors} other finding(s). See the Problems panel.`);
      }
      return issues;
    },
  };
  return { validateNow, validateOpenDocuments, commands: [validate] };
}
