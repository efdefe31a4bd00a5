import type * as vscode from 'vscode';
import { NotAvailableError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import type { Session } from './session';

export interface CloudDeps {
  session: Session;
  analyses: DocumentAnalyses;
  context: vscode.ExtensionContext;
}

/**
 * The commands that call Scaleway. Each one resolves the document, its model and the credentials,
 * runs the engine under a cancellable progress notification and shows the result. Until an
 * engine part lands, its command says which part is missing instead of failing.
 */
export function cloudCommands(_deps: CloudDeps): Command[] {
  const notYet = (what: string, needs: string) => (): never => { throw new NotAvailableError(what, needs); };
  return [
    { id: 'landingZone.detectDrift', needsTrust: true, run: notYet('Detect Drift', 'the inventory readers and the drift engine (src/scaleway inventory, src/core drift)') },
    { id: 'landingZone.plan', needsTrust: true, run: notYet('Plan', 'the plan engine (src/core plan)') },
    { id: 'landingZone.apply', needsTrust: true, run: notYet('Apply', 'the apply engine (src/scaleway apply)') },
    { id: 'landingZone.importAccount', needsTrust: true, run: notYet('Import from Account', 'the import engine (src/scaleway import)') },
    { id: 'landingZone.rotateSecret', needsTrust: true, run: notYet('Rotate Secret', 'the secret rotation operation') },
    { id: 'landingZone.rotateKey', needsTrust: true, run: notYet('Rotate Key', 'the key rotation operation') },
    { id: 'landingZone.rotateApiKey', needsTrust: true, run: notYet('Rotate API Key', 'the API key rotation operation') },
    { id: 'landingZone.checkDr', needsTrust: true, run: notYet('DR Readiness Check', 'the disaster-recovery readiness check') },
    { id: 'landingZone.restoreZone', needsTrust: true, run: notYet('Restore after Zone Failure', 'the zone-failure restore runbook') },
    { id: 'landingZone.restoreRegion', needsTrust: true, run: notYet('Restore after Region Failure', 'the region-failure restore runbook') },
  ];
}
