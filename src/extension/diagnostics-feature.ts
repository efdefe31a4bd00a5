import * as vscode from 'vscode';
import type { Issue } from '../core/issues';
import { ruleDocsUrl } from '../core/language/quick-fixes';
import type { Command } from './commands';
import { isLandingZoneDocument, landingZoneDocumentForCommand, toRange, type DocumentAnalyses } from './documents';
import { log } from './logger';
import type { DisposableOwner } from './owner';
import { ValidationSchedule } from './validation-schedule';

export interface DiagnosticsDeps {
  analyses: DocumentAnalyses;
  /** The README's URL; rule codes link to its sections. */
  readmeUrl: string;
  /** A pause before each validation as you type (default 0: at once; see validation-schedule.ts). */
  debounceMs?: number;
  /** Leave the documents open at activation to `validateOpenDocuments()` (phase 2). */
  deferInitial?: boolean;
}

const SEVERITY: Record<Issue['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Issues to diagnostics: each with the rule id as its code, linking to the rule's documentation
 * (each rule's link parsed once: a file may have thousands of findings).
 */
function diagnosticsMaker(readmeUrl: string): (issues: readonly Issue[]) => vscode.Diagnostic[] {
  const codes = new Map<string, { value: string; target: vscode.Uri }>();
  return (issues) => issues.map((issue) => {
    const d = new vscode.Diagnostic(toRange(issue.range), issue.message, SEVERITY[issue.severity]);
    d.source = 'landing-zone';
    let code = codes.get(issue.ruleId);
    if (!code) codes.set(issue.ruleId, (code = { value: issue.ruleId, target: vscode.Uri.parse(ruleDocsUrl(issue.ruleId, readmeUrl)) }));
    d.code = code;
    return d;
  });
}

/**
 * Diagnostics as you type: one collection, validated by the same engine as the CLI, in the worker,
 * scheduled by ValidationSchedule (at once, or the newest version as soon as the running run
 * answers). Opening a document validates it at once; closing it clears its problems.
 */
export function activateDiagnosticsFeature(owner: DisposableOwner, deps: DiagnosticsDeps): { validateNow(doc: vscode.TextDocument): Promise<Issue[]>; validateOpenDocuments(): void; commands: Command[] } {
  const collection = owner.own(vscode.languages.createDiagnosticCollection('landing-zone'));
  const toDiagnostics = diagnosticsMaker(deps.readmeUrl);

  /**
   * The Validate command: this version's findings from the worker (read with the fast reader, which
   * the differential test holds equal to yaml), the answer it already gave when it has: reading
   * the 14,006-line file with yaml on this thread blocked the host and grew it by about 150 MB.
   */
  const validateNow = async (doc: vscode.TextDocument): Promise<Issue[]> => {
    const t0 = performance.now();
    let issues: Issue[] | undefined;
    // (undefined: a newer version interrupted it; the next ask validates the newest)
    for (let i = 0; i < 3 && !issues && !doc.isClosed; i++) issues = (await deps.analyses.validateInBackground(doc))?.issues;
    // the text kept changing under it, or the document closed: this version, on this thread
    issues ??= deps.analyses.validation(doc).issues;
    collection.set(doc.uri, toDiagnostics(issues));
    log().trace(`validated ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}: ${issues.length} issue(s) in ${(performance.now() - t0).toFixed(1)} ms`);
    return issues;
  };
  // As you type, validation runs in the worker: the host only hands over the text and shows the
  // answer if the document is still at that version (a newer version cancels an older run).
  const validateInBackground = (doc: vscode.TextDocument): Promise<void> => {
    const version = doc.version;
    return deps.analyses.validateInBackground(doc).then((r) => {
      if (!r || doc.isClosed || doc.version !== version) return;
      collection.set(doc.uri, toDiagnostics(r.issues));
      log().trace(`validated ${vscode.workspace.asRelativePath(doc.uri)} v${version} in the worker: ${r.issues.length} issue(s) in ${r.ms.toFixed(1)} ms`);
    }, (err: unknown) => log().error(`validation of ${vscode.workspace.asRelativePath(doc.uri)} failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  // the document may have closed while its turn came
  const scheduled = new ValidationSchedule<vscode.TextDocument>((doc) => (doc.isClosed ? Promise.resolve() : validateInBackground(doc)), deps.debounceMs ?? 0,
    (doc) => deps.analyses.interruptBackground(doc));
  owner.own({ dispose: () => scheduled.dispose() });
  const schedule = (doc: vscode.TextDocument) => scheduled.changed(doc.uri.toString(), doc);

  owner.own(vscode.workspace.onDidOpenTextDocument((doc) => { if (isLandingZoneDocument(doc)) schedule(doc); }));
  owner.own(vscode.workspace.onDidChangeTextDocument((e) => {
    if (!isLandingZoneDocument(e.document) || !e.contentChanges.length) return;
    deps.analyses.noteChange(e.document);
    schedule(e.document);
  }));
  owner.own(vscode.workspace.onDidCloseTextDocument((doc) => {
    scheduled.forget(doc.uri.toString());
    collection.delete(doc.uri);
    deps.analyses.forget(doc);
  }));
  const validateOpenDocuments = () => { for (const doc of vscode.workspace.textDocuments) if (isLandingZoneDocument(doc)) schedule(doc); };
  if (!deps.deferInitial) validateOpenDocuments();

  const validate: Command = {
    id: 'landingZone.validate',
    async run() {
      const doc = await landingZoneDocumentForCommand();
      if (!doc) {
        void vscode.window.showWarningMessage('No landing-zone.yaml is open or at the root of the workspace.');
        return undefined;
      }
      const issues = await validateNow(doc);
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
