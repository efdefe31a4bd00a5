import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import type { RestoreKind } from '../core/dr/runbook';
import { CancelledError, RefusedError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import { documentFile } from './document-file';
import { log } from './logger';
import { cloudTarget, withOperation } from './operations';
import type { Previews } from './previews';
import type { PrompterHolder } from './prompts';
import type { Session } from './session';

export interface DrDeps {
  session: Session;
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
  const { session, analyses } = deps;
  const restore = async (kind: RestoreKind, title: string, arg: unknown): Promise<unknown> => {
    const t = await cloudTarget(session, analyses);
    if (t.doc.uri.scheme !== 'file') throw new RefusedError(`${title} keeps its journal next to landing-zone.yaml: save the file to disk first.`);
    const candidates = Object.entries(t.model.spec.projects)
      .filter(([, p]) => Object.keys(p.databases ?? {}).length + Object.keys(p.clusters ?? {}).length > 0)
      .map(([name, p]) => ({ label: name, description: `${Object.keys(p.databases ?? {}).length} database(s), ${Object.keys(p.clusters ?? {}).length} cluster(s) · ${t.model.placement[name]!.zone}` }));
    const opts = (arg && typeof arg === 'object' ? arg : {}) as { project?: string; fromZone?: string; toRegion?: string };
    const project = typeof arg === 'string' ? arg : opts.project ?? (await vscode.window.showQuickPick(candidates, { title: `Landing Zone: ${title} — which project?` }))?.label;
    if (!project) throw new CancelledError();
    const { readOnlyClients, writeClients, runRestore, JournalStore } = await loadEngine();
    const journals = new JournalStore(t.doc.uri.fsPath);
    const options = { fromZone: opts.fromZone, toRegion: opts.toRegion };
    const ctxFor = (signal: AbortSignal, step: (l: string) => void, write: boolean) => ({
      read: readOnlyClients(t.profile, { signal }), write: write ? writeClients(t.profile, { signal }) : undefined, signal, progress: step, now: () => new Date(),
    });
    const dry = await runRestore(ctxFor(new AbortController().signal, (l) => log().info(l), false), { model: t.model, kind, project, options, file: documentFile(t.doc), journals, dryRun: true });
    await deps.previews.show(`restore-${kind}-${project}`, [`# ${title}: ${project}`, '', `Profile \`${session.profileLabel()}\`, organisation \`${t.profile.organizationId}\`.`, '', '```text', ...dry.lines, '```', ''].join('\n'));
    const target = kind === 'zone' ? dry.plan.targetZone : dry.plan.targetRegion;
    const ok = await deps.prompts.current.confirm(
      `${title}: restore ${project} into ${target}?`,
      `${dry.plan.steps.length} steps (listed beside the file). Source resources are only read; the replacements are new. Profile: ${session.profileLabel()}.`,
      'Restore',
    );
    if (!ok) throw new CancelledError();
    const outcome = await withOperation(`${title}: ${project}`, (op) =>
      runRestore(ctxFor(op.signal, (l) => op.step(l), true), { model: t.model, kind, project, options, file: documentFile(t.doc), journals, dryRun: false }));
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
      const profile = await session.resolveProfile();
      const text = await withOperation('Import from account', async (op) => {
        op.step(`reading organisation ${profile.organizationId} (read-only)…`);
        const { readOnlyClients, readInventory, importLandingZone, DEFAULT_READ_REGIONS } = await loadEngine();
        const inventory = await readInventory(readOnlyClients(profile, { signal: op.signal }), { organizationId: profile.organizationId, regions: DEFAULT_READ_REGIONS });
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
