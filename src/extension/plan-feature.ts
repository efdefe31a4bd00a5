import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import { planMarkdown, planOneLine, projectsWithDeletes } from '../core/language/plan-preview';
import type { Matching } from '../core/drift';
import type { Plan } from '../core/plan';
import { redact } from '../core/redact';
import type { Inventory } from '../core/state';
import { CancelledError, RefusedError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import { log } from './logger';
import { cloudTarget, showInterrupted, withOperation, withOrganizationLock, type CloudTarget, type OperationContext } from './operations';
import type { Previews } from './previews';
import type { PrompterHolder } from './prompts';
import type { CloudState } from './cloud-state';

export interface PlanDeps {
  cloud: CloudState;
  analyses: DocumentAnalyses;
  prompts: PrompterHolder;
  previews: Previews;
  /** Re-reads the account after apply so the explorer shows the result. */
  refreshDrift(): Promise<unknown>;
}

/**
 * The engine's readPlan on the target's session (as `landing-zone plan`), refused when a value is not
 * offered by the live catalogs: Plan, Apply and Show Plan on Diagram all plan through it.
 */
export async function computePlan(t: CloudTarget, op: OperationContext): Promise<{ plan: Plan; inventory: Inventory; matching: Matching }> {
  op.step(`reading organisation ${t.profile.organizationId} (read-only)…`);
  const { readPlan } = await loadEngine();
  const planned = await readPlan(t.engine, { signal: op.signal });
  if (op.signal.aborted) throw new CancelledError();
  for (const line of planned.catalog.unread) log().warn(`catalog not checked: ${line}`);
  // a value the account does not offer would fail in the middle of an apply: refuse before planning
  const offered = planned.catalog.issues;
  if (offered.length > 0) {
    const first = offered[0]!;
    throw new RefusedError(`${offered.length} value(s) the account's live catalogs do not offer — line ${first.range.start.line + 1}: ${first.message}`);
  }
  return planned;
}

/**
 * Plan shows the operations in a read-only Markdown preview. Apply shows the plan it is about to
 * run, asks in a modal dialog that names the organisation and profile, makes a destructive plan
 * type the project names, then carries out exactly that plan (its hash is logged) with a journal.
 */
export function planCommands(deps: PlanDeps): Command[] {
  const { cloud, analyses } = deps;
  const show = (t: CloudTarget, plan: Plan): Promise<vscode.Uri> => deps.previews.show(`plan-${t.model.spec.organization.name}`, planMarkdown(plan, {
    organizationId: t.profile.organizationId, organizationName: t.model.spec.organization.name,
    profile: cloud.profileLabel(), file: vscode.workspace.asRelativePath(t.doc.uri),
  }));

  const planCommand: Command = {
    id: 'landingZone.plan',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(cloud, analyses);
      showInterrupted(t.engine.interruptedRuns, 'plan');
      const { plan } = await withOperation('Plan', (op) => computePlan(t, op));
      await show(t, plan);
      log().info(`plan ${plan.planHash.slice(0, 12)}: ${planOneLine(plan)}`);
      return { planHash: plan.planHash, operations: plan.operations.length, summary: planOneLine(plan) };
    },
  };

  const applyCommand: Command = {
    id: 'landingZone.apply',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(cloud, analyses);
      // as the CLI: the organisation's lock before the account is read, held until the apply ends
      return withOrganizationLock(t, 'apply', () => applyLocked(t));
    },
  };

  const applyLocked = async (t: CloudTarget): Promise<unknown> => {
      const planned = await withOperation('Apply: planning', (op) => computePlan(t, op));
      const { plan } = planned;
      await show(t, plan);
      if (plan.operations.length === 0) {
        void vscode.window.showInformationMessage('Landing Zone: nothing to apply; the account matches the file.');
        return { status: 'nothing', planHash: plan.planHash };
      }
      const org = `${t.model.spec.organization.name} (${t.profile.organizationId})`;
      const ok = await deps.prompts.current.confirm(
        `Apply ${planOneLine(plan)} to organisation ${org}?`,
        `Profile: ${cloud.profileLabel()}${t.profile.apiUrl ? ` · API ${redact(t.profile.apiUrl)}` : ''}\nPlan ${plan.planHash.slice(0, 12)} — the preview beside the file lists every operation.`,
        'Apply',
      );
      if (!ok) throw new CancelledError();
      const deletes = projectsWithDeletes(plan);
      if (deletes.length > 0 && !(await deps.prompts.current.typeNames(`This plan deletes resources in ${deletes.join(', ')}. Type these project names to confirm.`, deletes))) {
        throw new RefusedError('Apply: the typed project names did not match; nothing was done.');
      }
      log().info(`apply: plan ${plan.planHash} on ${org} as ${cloud.profileLabel()}`);
      const result = await withOperation('Apply', async (op) => {
        const { applyPlan } = await loadEngine();
        const total = plan.operations.length;
        // the engine's defaults (concurrency, journal next to the file), as `landing-zone apply`
        return applyPlan(t.engine, planned, {
          clientOptions: { signal: op.signal }, signal: op.signal,
          onEvent: (e) => {
            if (e.type === 'start') op.step(`[${e.index}/${e.total}] ${e.op.summary}`);
            else if (e.type === 'done') op.step(`[${e.index}/${e.total}] done ${e.op.action} ${e.op.id}`, 100 / total);
            else if (e.type === 'failed') log().error(`apply: ${e.op.action} ${e.op.id} failed: ${e.error}`);
            else if (e.type === 'retry') log().warn(`apply: retry ${e.op.action} ${e.op.id}: ${e.error}`);
          },
        });
      });
      const line = `${result.status}: ${result.done.length} done, ${result.failed.length} failed, ${result.notRun.length} not run`;
      log().info(`apply ${line}`);
      if (result.status === 'completed') void vscode.window.showInformationMessage(`Landing Zone: apply ${line}.`);
      else void vscode.window.showErrorMessage(`Landing Zone: apply ${line}. Run Apply again to resume; details in the log.`, 'Show Log').then((c) => c && log().show());
      await deps.refreshDrift().catch((err: unknown) => log().warn(`drift after apply: ${err instanceof Error ? err.message : String(err)}`));
      return { status: result.status, planHash: plan.planHash, done: result.done.length, failed: result.failed };
  };
  return [planCommand, applyCommand];
}
