import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import type { RestoreKind } from '../core/dr/runbook';
import { describeUnread, fixFor, groupUnread, unreadKinds } from '../core/drift';
import { CancelledError, RefusedError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import { parseCliJson, RestoreDryRun, RestoreOutcome } from '../protocol/cli-output';
import { runCli } from './cli-runner';
import { log } from './logger';
import { cloudTarget, showInterrupted, withOperation } from './operations';
import type { Previews } from './previews';
import type { PrompterHolder } from './prompts';
import type { CloudState } from './cloud-state';

export interface DrDeps {
  /** Where dist/cli.js is. */
  extensionPath: string;
  cloud: CloudState;
  analyses: DocumentAnalyses;
  prompts: PrompterHolder;
  previews: Previews;
}

/**
 * Restore after a zone or a region failure: pick the project, see the runbook (a dry run that
 * makes no request), confirm in a modal dialog, then run it step by step with a journal next to
 * the file, so a second run resumes. The restore re-pins the endpoint secret in the open document.
 */
export function drCommands(deps: DrDeps): Command[] {
  const { cloud, analyses } = deps;
  const restore = async (kind: RestoreKind, title: string, arg: unknown): Promise<unknown> => {
    const t = await cloudTarget(cloud, analyses);
    if (t.doc.uri.scheme !== 'file') throw new RefusedError(`${title} keeps its journal next to landing-zone.yaml: save the file to disk first.`);
    const candidates = Object.entries(t.model.spec.projects)
      .filter(([, p]) => Object.keys(p.databases ?? {}).length + Object.keys(p.clusters ?? {}).length > 0)
      .map(([name, p]) => ({ label: name, description: `${Object.keys(p.databases ?? {}).length} database(s), ${Object.keys(p.clusters ?? {}).length} cluster(s) · ${t.model.placement[name]!.zone}` }));
    // dryRun: show the runbook and stop (what a reviewer wants; the parity test compares it with the CLI's)
    const opts = (arg && typeof arg === 'object' ? arg : {}) as { project?: string; fromZone?: string; toRegion?: string; dryRun?: boolean };
    const project = typeof arg === 'string' ? arg : opts.project ?? (await vscode.window.showQuickPick(candidates, { title: `Landing Zone: ${title} — which project?` }))?.label;
    if (!project) throw new CancelledError();
    // the restore runs in the CLI, which takes the lock: the notice of interrupted runs is said here
    showInterrupted(t.engine.interruptedRuns, title);
    if (t.doc.isDirty && !(await t.doc.save())) throw new RefusedError(`Save landing-zone.yaml first: ${title} reads it from disk and re-points it.`);
    // The restore runs in the bundled CLI, which carries the Kubernetes client that Velero needs.
    const file = t.doc.uri.fsPath;
    const args = ['restore', kind, '--project', project, '--file', file, ...(opts.fromZone ? ['--from-zone', opts.fromZone] : []), ...(opts.toRegion ? ['--to-region', opts.toRegion] : [])];
    const cli = (signal: AbortSignal, onProgress: (l: string) => void, extra: string[]) =>
      runCli(deps.extensionPath, [...args, ...extra], { cwd: dirname(file), profile: t.profile, signal, onProgress });
    // the CLI's JSON (src/protocol/cli-output.ts), never its human text
    let lastLine = '';
    const dry = await cli(new AbortController().signal, (l) => { lastLine = l; log().info(l); }, ['--dry-run', '--format', 'json']);
    const runbook = parseCliJson(RestoreDryRun, dry.stdout, `${title} (dry run)`);
    if (dry.code !== 0 || !runbook.ok) throw new RefusedError(`${title}: ${dry.code !== 0 ? lastLine || `the runbook could not be made (exit ${dry.code})` : (runbook as { problem: string }).problem} (see the log).`);
    const plan = runbook.value;
    await deps.previews.show(`restore-${kind}-${project}`, [
      `# ${title}: ${project}`, '', `Profile \`${cloud.profileLabel()}\`, organisation \`${t.profile.organizationId}\`.`, '',
      `Dry run: ${plan.kind} restore of ${plan.project} from ${plan.from} to ${plan.to}; no request is made.`, '',
      ...plan.steps.flatMap((s, i) => [`${i + 1}. ${s.title}`, ...s.calls.map((c) => `   - \`${c}\``)]), '',
    ].join('\n'));
    if (opts.dryRun) return { runbook: plan };
    const ok = await deps.prompts.current.confirm(
      `${title}: restore ${project} into ${plan.to}?`,
      `${plan.steps.length} steps (listed beside the file). Source resources are only read; the replacements are new. Profile: ${cloud.profileLabel()}.`,
      'Restore',
    );
    if (!ok) throw new CancelledError();
    let failure = '';
    const run = await withOperation(`${title}: ${project}`, (op) => cli(op.signal, (l) => { failure = l; op.step(l); }, ['--yes', '--format', 'json']));
    const parsed = parseCliJson(RestoreOutcome, run.stdout, title);
    if (!parsed.ok) {
      // a restore that stopped (a failed step, a refusal, the lock) writes no report: its last line says why
      if (run.code === 75 || run.code === 1 || run.code === 2) throw new RefusedError(`${title}: ${failure || `exit ${run.code}`}`);
      throw new Error(`${parsed.problem} (exit ${run.code})`);
    }
    const outcome = { partial: parsed.value.partial || run.code !== 0, lines: parsed.value.lines };
    for (const l of outcome.lines) log().info(l);
    const last = outcome.lines[outcome.lines.length - 1] ?? 'done';
    if (outcome.partial) void vscode.window.showWarningMessage(`Landing Zone: ${last}`, 'Show Log').then((c) => c && log().show());
    else void vscode.window.showInformationMessage(`Landing Zone: ${last}`);
    return { partial: outcome.partial, lines: outcome.lines };
  };

  const importAccount: Command = {
    id: 'landingZone.importAccount',
    needsTrust: true,
    async run() {
      const profile = await cloud.resolveProfile();
      const text = await withOperation('Import from account', async (op) => {
        op.step(`reading organisation ${profile.organizationId} (read-only)…`);
        const { readOnlyClients, readInventory, importLandingZone, DEFAULT_READ_REGIONS } = await loadEngine();
        const inventory = await readInventory(readOnlyClients(profile, { signal: op.signal }), { organizationId: profile.organizationId, regions: DEFAULT_READ_REGIONS, everyProject: true });
        // as `landing-zone import`: a kind that could not be read would be missing from the file, not absent from the account
        const failed = groupUnread(unreadKinds([], inventory.notChecked.filter((n) => n.cause !== 'not-read')));
        if (failed.length) {
          for (const n of failed) log().warn(`import: could not read ${describeUnread(n, 'account')} as ${cloud.profileLabel()} (access key ${profile.accessKey}); fix: ${fixFor(n)}`);
          throw new RefusedError(`Import wrote nothing: ${failed.length} kind(s) could not be read (${[...new Set(failed.map((n) => n.kind))].join(', ')}) with access key ${profile.accessKey}. The Landing Zone log says why and which permission set to grant.`);
        }
        op.step('describing it as a landing zone…');
        return importLandingZone(inventory, {}).text;
      });
      // an untitled document: nothing is overwritten; the user reviews it and saves it as landing-zone.yaml
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      await vscode.window.showTextDocument(doc);
      void vscode.window.showInformationMessage('Landing Zone: the organisation as a landing zone, in a new editor. Review it and save it as landing-zone.yaml.');
      return { lines: doc.lineCount };
    },
  };

  return [
    importAccount,
    { id: 'landingZone.restoreZone', needsTrust: true, run: (arg?: unknown) => restore('zone', 'Restore after Zone Failure', arg) },
    { id: 'landingZone.restoreRegion', needsTrust: true, run: (arg?: unknown) => restore('region', 'Restore after Region Failure', arg) },
  ];
}
