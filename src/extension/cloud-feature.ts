import * as vscode from 'vscode';
import type { LiveSummary, SecretVersionMeta } from '../core/language/describe';
import type { DriftEntry, DriftReport } from '../core/drift';
import type { Region } from '../core/schema';
import { CancelledError, NotAvailableError, RefusedError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import { log } from './logger';
import { cloudTarget, withOperation, type CloudTarget } from './operations';
import type { DriftSnapshot, Session } from './session';

export interface CloudDeps {
  session: Session;
  analyses: DocumentAnalyses;
  context: vscode.ExtensionContext;
}

const STATE: Record<DriftEntry['status'], string> = {
  'in-sync': 'in-sync', changed: 'drifted', missing: 'missing', unmanaged: 'unmanaged', 'not-checked': 'not-checked',
};

/** The drift report as the explorer, status bar and hovers want it (no secret values are in a report). */
export function driftSnapshot(report: DriftReport, uri: vscode.Uri): DriftSnapshot {
  const resources = new Map<string, LiveSummary>();
  for (const e of report.entries) {
    const details = [
      ...(e.changes ?? []).map((c) => `${c.field}: declared ${JSON.stringify(c.declared)}, live ${JSON.stringify(c.live)}`),
      ...(e.ignored ?? []).map((c) => `${c.field} differs (ignored: ${c.reason})`),
      ...(e.reason ? [e.reason] : []),
      ...(e.matchedBy === 'name' ? ['matched by name (no lz:id tag)'] : []),
    ];
    resources.set(e.id, { state: STATE[e.status], details, checkedAt: report.readAt });
  }
  const s = report.summary;
  return {
    checkedAt: report.readAt, uri: uri.toString(), resources,
    counts: { 'in-sync': s.inSync, drifted: s.changed, missing: s.missing, unmanaged: s.unmanaged, 'not-checked': s.notChecked },
  };
}

function regionsOf(t: CloudTarget): Region[] {
  return [...new Set<Region>([t.model.spec.defaults.region, ...Object.values(t.model.placement).map((p) => p.region)])].sort();
}

/** A secret reference from the argument (a string, or an explorer node), else a quick pick of the file's secrets. */
async function pickSecret(t: CloudTarget, arg: unknown): Promise<string> {
  const fromNode = arg && typeof arg === 'object' && 'id' in arg ? String((arg as { id: unknown }).id).replace('/secret/', '/') : undefined;
  const given = typeof arg === 'string' ? arg : fromNode;
  const secrets = t.model.symbols.filter((s) => s.kind === 'secret');
  if (given) {
    if (!secrets.some((s) => s.id === given)) throw new RefusedError(`${given} is not a secret of this landing zone.`);
    return given;
  }
  const picked = await vscode.window.showQuickPick(secrets.map((s) => {
    const spec = t.model.spec.projects[s.project!]?.secrets?.[s.name];
    return { label: s.id, description: `pinned version ${String(spec?.version)}`, detail: spec?.description };
  }), { title: 'Landing Zone: rotate which secret?' });
  if (!picked) throw new CancelledError();
  return picked.label;
}

/**
 * The commands that call Scaleway. Each resolves the document, its model and the credentials,
 * runs the engine under a cancellable progress notification and shows the result. Until an engine
 * part lands, its command says which part is missing instead of failing.
 */
export function cloudCommands(deps: CloudDeps): Command[] {
  const { session, analyses } = deps;
  const notYet = (what: string, needs: string) => (): never => { throw new NotAvailableError(what, needs); };

  const detectDrift: Command = {
    id: 'landingZone.detectDrift',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(session, analyses);
      const report = await withOperation('Detect drift', async (op) => {
        op.step(`reading organisation ${t.profile.organizationId} (read-only) as ${session.profileLabel()}…`);
        // loaded on first use: the SDK is never evaluated at activation
        const [{ desiredResources }, { readOnlyClients }, { readInventory }, { computeDrift }] = await Promise.all([
          import('../core/desired.js'), import('../scaleway/client.js'), import('../scaleway/inventory.js'), import('../core/drift.js'),
        ]);
        const clients = readOnlyClients(t.profile, { signal: op.signal });
        const inventory = await readInventory(clients, { organizationId: t.profile.organizationId, regions: regionsOf(t) });
        if (op.signal.aborted) throw new CancelledError();
        op.step('comparing with the file…');
        return computeDrift(desiredResources(t.model), inventory, { ignores: t.model.spec.drift?.ignore ?? [] });
      });
      session.setDrift(driftSnapshot(report, t.doc.uri));
      const s = report.summary;
      const line = `${s.declared} declared: ${s.inSync} in sync, ${s.missing} missing, ${s.changed} changed, ${s.unmanaged} unmanaged, ${s.notChecked} not checked.`;
      log().info(`drift: ${line}`);
      void vscode.window.showInformationMessage(`Landing Zone: ${report.inSync ? 'in sync' : 'drift found'} — ${line}`);
      return report;
    },
  };

  const rotateSecret: Command = {
    id: 'landingZone.rotateSecret',
    needsTrust: true,
    async run(arg?: unknown, options?: unknown) {
      const t = await cloudTarget(session, analyses);
      if (t.doc.uri.scheme !== 'file') throw new RefusedError('Rotate Secret keeps its journal next to landing-zone.yaml: save the file to disk first.');
      const ref = await pickSecret(t, arg);
      const opts = (options && typeof options === 'object' ? options : {}) as { value?: 'generate' };
      let value: 'generate' | string = opts.value ?? 'generate';
      if (!opts.value) {
        const how = await vscode.window.showQuickPick([
          { label: 'Generate a new value', description: 'length and alphabet from the file', v: 'generate' },
          { label: 'Enter the new value…', description: 'typed in a password box; never written anywhere but Secret Manager', v: 'enter' },
        ], { title: `Rotate ${ref}` });
        if (!how) throw new CancelledError();
        if (how.v === 'enter') {
          const typed = await vscode.window.showInputBox({ title: `New value of ${ref}`, password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : 'a value is needed') });
          if (typed === undefined) throw new CancelledError();
          log().addSecret(typed);
          value = typed;
        }
      }
      const doc = t.doc;
      const outcome = await withOperation(`Rotate secret ${ref}`, async (op) => {
        const [{ readOnlyClients, writeClients }, { rotateSecret: rotate }, { JournalStore }] = await Promise.all([
          import('../scaleway/client.js'), import('../scaleway/operations/rotate-secret.js'), import('../scaleway/operations/journal-store.js'),
        ]);
        const read = readOnlyClients(t.profile, { signal: op.signal });
        const write = writeClients(t.profile, { signal: op.signal });
        const result = await rotate(
          { read, write, signal: op.signal, progress: (l) => op.step(l), now: () => new Date() },
          {
            model: t.model, ref, journals: new JournalStore(doc.uri.fsPath),
            value: value === 'generate' ? { kind: 'generate' } : { kind: 'stdin', read: async () => Buffer.from(value, 'utf8') },
            // the open document, not the file on disk: the user sees the re-pin, can undo it, and it is saved
            file: {
              read: async () => doc.getText(),
              write: async (text) => {
                const edit = new vscode.WorkspaceEdit();
                edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
                if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the editor refused the re-pin edit');
                await doc.save();
              },
            },
          },
        );
        // version metadata for the hover: revision and status only
        try {
          const { projectIdByName, mustFindSecret } = await import('../scaleway/operations/lookup.js');
          const [project, name] = ref.split('/') as [string, string];
          const region = t.model.placement[project]!.region;
          const spec = t.model.spec.projects[project]!.secrets![name]!;
          const secret = await mustFindSecret(read, await projectIdByName(read, project), region, ref, spec.path);
          const versions = await read.secret.listSecretVersions({ region: region as never, secretId: secret.id }).all();
          session.setSecretVersions(ref, versions.map((v): SecretVersionMeta => ({ revision: v.revision, status: v.status, createdAt: v.createdAt?.toISOString() })));
        } catch (err) {
          log().warn(`could not read the versions of ${ref}: ${err instanceof Error ? err.message : String(err)}`);
        }
        return result;
      });
      for (const l of outcome.lines) log().info(l);
      void vscode.window.showInformationMessage(`Landing Zone: ${outcome.lines.join(' ')}`);
      return { status: outcome.status, lines: outcome.lines };
    },
  };

  return [
    detectDrift,
    { id: 'landingZone.plan', needsTrust: true, run: notYet('Plan', 'the plan engine (src/core plan)') },
    { id: 'landingZone.apply', needsTrust: true, run: notYet('Apply', 'the apply engine (src/scaleway apply)') },
    { id: 'landingZone.importAccount', needsTrust: true, run: notYet('Import from Account', 'the import engine (src/scaleway import)') },
    rotateSecret,
    { id: 'landingZone.rotateKey', needsTrust: true, run: notYet('Rotate Key', 'the key rotation operation') },
    { id: 'landingZone.rotateApiKey', needsTrust: true, run: notYet('Rotate API Key', 'the API key rotation operation') },
    { id: 'landingZone.checkDr', needsTrust: true, run: notYet('DR Readiness Check', 'the disaster-recovery readiness check') },
    { id: 'landingZone.restoreZone', needsTrust: true, run: notYet('Restore after Zone Failure', 'the zone-failure restore runbook') },
    { id: 'landingZone.restoreRegion', needsTrust: true, run: notYet('Restore after Region Failure', 'the region-failure restore runbook') },
  ];
}
