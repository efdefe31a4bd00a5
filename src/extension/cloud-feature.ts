import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import type { SecretVersionMeta } from '../core/language/describe';
import { describeUnread, fixFor } from '../core/drift';
import { CancelledError, RefusedError, type Command } from './commands';
import { toRange, type DocumentAnalyses } from './documents';
import { documentFile } from './document-file';
import type { DisposableOwner } from './owner';
import { DrCheckReport, parseCliJson } from '../protocol/cli-output';
import { runCli } from './cli-runner';
import { log } from './logger';
import { cloudTarget, withOperation, withOrganizationLock, type CloudTarget, type OperationContext } from './operations';
import type { OperationContext as EngineContext } from '../scaleway/operations/context';
import type { ScalewayProfile } from '../scaleway/profiles';
import { driftSnapshot } from './drift-status';
import type { CloudState } from './cloud-state';

export interface CloudDeps {
  cloud: CloudState;
  analyses: DocumentAnalyses;
  context: vscode.ExtensionContext;
}

/** The engine's context for an operation: read-only and write clients on the profile, the notification's cancellation and progress. */
async function engineContext(profile: ScalewayProfile, op: OperationContext): Promise<EngineContext> {
  const { readOnlyClients, writeClients } = await loadEngine();
  return { read: readOnlyClients(profile, { signal: op.signal }), write: writeClients(profile, { signal: op.signal }), signal: op.signal, progress: (l) => op.step(l), now: () => new Date() };
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

/** A name from the argument (a string or an explorer node id `project/kind/name`), else a quick pick. */
async function pickName(arg: unknown, kind: string, choices: { label: string; description?: string }[], title: string): Promise<string> {
  const node = arg && typeof arg === 'object' && 'id' in arg ? String((arg as { id: unknown }).id) : undefined;
  const given = typeof arg === 'string' ? arg : node?.replace(`/${kind}/`, '/').replace(/^iam\//, '');
  if (given) {
    if (!choices.some((c) => c.label === given)) throw new RefusedError(`${given} is not a ${kind} of this landing zone.`);
    return given;
  }
  if (choices.length === 0) throw new RefusedError(`This landing zone declares no ${kind}.`);
  const picked = await vscode.window.showQuickPick(choices, { title });
  if (!picked) throw new CancelledError();
  return picked.label;
}

/**
 * The commands that call Scaleway. Each resolves the document, its model and the credentials,
 * runs the engine under a cancellable progress notification and shows the result. Until an engine
 * part lands, its command says which part is missing instead of failing.
 */
export function cloudCommands(owner: DisposableOwner, deps: CloudDeps): Command[] {
  const { cloud, analyses } = deps;
  const drDiagnostics = owner.own(vscode.languages.createDiagnosticCollection('landing-zone-dr'));

  const detectDrift: Command = {
    id: 'landingZone.detectDrift',
    needsTrust: true,
    async run(arg?: unknown) {
      const quiet = !!(arg && typeof arg === 'object' && (arg as { quiet?: boolean }).quiet);
      const t = await cloudTarget(cloud, analyses);
      const report = await withOperation('Detect drift', async (op) => {
        op.step(`reading organisation ${t.profile.organizationId} (read-only) as ${cloud.profileLabel()}…`);
        // loaded on first use: the SDK is never evaluated at activation; the engine's readDrift, as `landing-zone drift`
        const { readDrift } = await loadEngine();
        const { report } = await readDrift(t.engine, { signal: op.signal });
        if (op.signal.aborted) throw new CancelledError();
        return report;
      });
      cloud.setDrift(driftSnapshot(report, t.doc.uri.toString()));
      const s = report.summary;
      const line = `${s.declared} declared: ${s.inSync} matching, ${s.missing} missing, ${s.changed} changed, ${s.unmanaged} unmanaged, ${s.notChecked} not checked (coverage ${s.coverage}%).`;
      log().info(`drift: ${report.verdict}: ${line}`);
      // what could not be read, with the credentials and the permission set to grant (never the secret)
      for (const n of report.notChecked) log().warn(`drift: could not read ${describeUnread(n)} as ${cloud.profileLabel()} (access key ${t.profile.accessKey}); fix: ${fixFor(n)}`);
      const unread = [...new Set(report.notChecked.map((n) => n.kind))];
      const verdict = report.verdict === 'in-sync' ? 'in sync' : report.verdict === 'drift' ? 'drift found'
        : `not checked: could not read ${unread.join(', ')} (see the Landing Zone log for why and the permission to grant)`;
      if (!quiet) {
        const show = report.verdict === 'in-sync' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
        void show(`Landing Zone: ${verdict} — ${line}`);
      }
      return report;
    },
  };

  const rotateSecret: Command = {
    id: 'landingZone.rotateSecret',
    needsTrust: true,
    async run(arg?: unknown, options?: unknown) {
      const t = await cloudTarget(cloud, analyses);
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
      const outcome = await withOrganizationLock(t, `rotate-secret ${ref}`, () => withOperation(`Rotate secret ${ref}`, async (op) => {
        const { rotateSecret: rotate, JournalStore } = await loadEngine();
        const ctx = await engineContext(t.profile, op);
        const { read } = ctx;
        const result = await rotate(
          ctx,
          {
            model: t.model, ref, journals: new JournalStore(doc.uri.fsPath, t.profile.organizationId),
            value: value === 'generate' ? { kind: 'generate' } : { kind: 'stdin', read: async () => Buffer.from(value, 'utf8') },
            file: documentFile(doc),
          },
        );
        // version metadata for the hover: revision and status only
        try {
          const { projectIdByName, mustFindSecret } = await loadEngine();
          const [project, name] = ref.split('/') as [string, string];
          const region = t.model.placement[project]!.region;
          const spec = t.model.spec.projects[project]!.secrets![name]!;
          const secret = await mustFindSecret(read, await projectIdByName(read, project), region, ref, spec.path);
          const versions = await read.secret.listSecretVersions({ region: region as never, secretId: secret.id }).all();
          cloud.setSecretVersions(ref, versions.map((v): SecretVersionMeta => ({ revision: v.revision, status: v.status, createdAt: v.createdAt?.toISOString() })));
        } catch (err) {
          log().warn(`could not read the versions of ${ref}: ${err instanceof Error ? err.message : String(err)}`);
        }
        return result;
      }));
      for (const l of outcome.lines) log().info(l);
      void vscode.window.showInformationMessage(`Landing Zone: ${outcome.lines.join(' ')}`);
      return { status: outcome.status, lines: outcome.lines };
    },
  };

  const rotateKey: Command = {
    id: 'landingZone.rotateKey',
    needsTrust: true,
    async run(arg?: unknown) {
      const t = await cloudTarget(cloud, analyses);
      const keys = t.model.symbols.filter((s) => s.kind === 'key').map((s) => ({ label: s.id, description: `rotates every ${t.model.spec.projects[s.project!]?.keys?.[s.name]?.rotationPeriod ?? '?'}` }));
      const ref = await pickName(arg, 'key', keys, 'Landing Zone: rotate which key now?');
      const result = await withOrganizationLock(t, `rotate-key ${ref}`, () => withOperation(`Rotate key ${ref}`, async (op) => {
        const { rotateKey: rotate, JournalStore } = await loadEngine();
        // journalled as \`landing-zone rotate-key\` is: a lost response does not rotate twice
        const journals = t.doc.uri.scheme === 'file' ? new JournalStore(t.doc.uri.fsPath, t.profile.organizationId) : undefined;
        return rotate(await engineContext(t.profile, op), t.model, ref, true, journals);
      }));
      const overdue = result.report.filter((r) => (r as { status?: string }).status === 'overdue').length;
      const msg = `${ref} rotated (rotation ${result.rotated?.rotationCount ?? '?'})${overdue ? `; ${overdue} other key(s) overdue` : ''}.`;
      log().info(`rotate key: ${msg}`);
      void vscode.window.showInformationMessage(`Landing Zone: ${msg}`);
      return result.rotated;
    },
  };

  const rotateApiKey: Command = {
    id: 'landingZone.rotateApiKey',
    needsTrust: true,
    async run(arg?: unknown) {
      const t = await cloudTarget(cloud, analyses);
      if (t.doc.uri.scheme !== 'file') throw new RefusedError('Rotate API Key keeps its journal next to landing-zone.yaml: save the file to disk first.');
      const apps = Object.entries(t.model.spec.iam?.applications ?? {}).filter(([, a]) => a.apiKey).map(([name, a]) => ({ label: name, description: `stored in ${a.apiKey!.storedIn}` }));
      const application = await pickName(arg, 'application', apps, 'Landing Zone: rotate the API key of which application?');
      const outcome = await withOrganizationLock(t, `rotate-api-key ${application}`, () => withOperation(`Rotate the API key of ${application}`, async (op) => {
        const { rotateApiKey: rotate, JournalStore } = await loadEngine();
        return rotate(
          await engineContext(t.profile, op),
          { model: t.model, application, file: documentFile(t.doc), journals: new JournalStore(t.doc.uri.fsPath, t.profile.organizationId) },
        );
      }));
      for (const l of outcome.lines) log().info(l);
      void vscode.window.showInformationMessage(`Landing Zone: ${outcome.lines.join(' ')}`);
      return { status: outcome.status, lines: outcome.lines };
    },
  };

  const checkDr: Command = {
    id: 'landingZone.checkDr',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(cloud, analyses);
      if (t.doc.uri.scheme !== 'file') throw new RefusedError('DR Readiness Check reads landing-zone.yaml from disk: save it first.');
      if (t.doc.isDirty && !(await t.doc.save())) throw new RefusedError('Save landing-zone.yaml first: the check reads it from disk.');
      const run = await withOperation('DR readiness check', (op) => {
        op.step('reading backups, Velero, buckets and the copy function (read-only)…');
        return runCli(deps.context.extensionUri.fsPath, ['dr', 'check', '--file', t.doc.uri.fsPath, '--format', 'json'], {
          cwd: dirname(t.doc.uri.fsPath), profile: t.profile, signal: op.signal, onProgress: (l) => op.step(l),
        });
      });
      // the CLI's JSON, parsed with the protocol's schema (src/protocol/cli-output.ts)
      const parsed = parseCliJson(DrCheckReport, run.stdout, 'the DR check');
      if (!parsed.ok) throw new Error(`${parsed.problem} (exit code ${run.code}); see the log`);
      const report = parsed.value;
      drDiagnostics.set(t.doc.uri, report.findings.map((f) => {
        const r = new vscode.Range(f.range.start.line - 1, f.range.start.column - 1, f.range.end.line - 1, f.range.end.column - 1);
        const d = new vscode.Diagnostic(r, `${f.project}: ${f.message}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'landing-zone dr';
        d.code = f.ruleId;
        return d;
      }));
      for (const p of report.projects) log().info(`DR ${p.project}: ${p.score}/100`);
      const msg = `DR readiness ${report.score}/100: ${report.findings.length === 0 ? 'ready' : `${report.findings.length} finding(s), shown in the Problems panel`}.`;
      void vscode.window.showInformationMessage(`Landing Zone: ${msg}`);
      return { score: report.score, findings: report.findings.length };
    },
  };

  return [
    detectDrift,
    rotateSecret,
    rotateKey,
    rotateApiKey,
    checkDr,
  ];
}
