import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { bundledSnapshot } from '../../core/catalog';
import { estimateCost, euros, monthlyDelta } from '../../core/cost/estimate';
import { planCost } from '../../core/cost/plan-cost';
import { buildPriceBook, bundledProductCatalog } from '../../core/cost/price-book';
import { desiredResources } from '../../core/desired';
import { planReview } from '../../core/diagram/review';
import type { DiagramDecorations } from '../../core/diagram/types';
import type { Plan } from '../../core/plan';
import type { DesiredResource } from '../../core/state';
import type { Topology } from '../../core/topology';
import { validateText, type ValidationResult } from '../../core/validate';
import { readPlan } from '../../scaleway/engine';
import { describeProfile } from '../../scaleway/profiles';
import { UsageError, type CliIo } from '../command';
import { fileAt, repositoryOf, resolveBase } from '../git';
import { engineSession } from './drift';

/*
 * What `diagram --plan`, `--plan-file`, `--base` and `--cost` draw over the diagram. Prices come
 * from the bundled catalog snapshot, so the picture costs no request beyond the account's.
 */

/** The declared resources of the file at a git revision (`--base`), with the revision's label. */
export async function baseResources(io: CliIo, file: string, rev: string | undefined): Promise<{ desired: DesiredResource[]; label: string; commit: string } | { absent: string; commit: string }> {
  const repo = await repositoryOf(file, io.cwd);
  const base = await resolveBase(repo.top, rev);
  const text = await fileAt(repo.top, base.commit, repo.path);
  if (text === undefined) return { absent: `${repo.path} did not exist at ${base.label} (${base.commit.slice(0, 12)})`, commit: base.commit };
  const result = validateText(text, `${repo.path}@${base.commit.slice(0, 12)}`, { reader: 'fast' });
  if (!result.model) throw new UsageError(`${repo.path} at ${base.label} (${base.commit.slice(0, 12)}) has syntax or schema errors: it cannot be compared`);
  return { desired: desiredResources(result.model), label: `${base.label} (${base.commit.slice(0, 12)})`, commit: base.commit };
}

function parsePlanFile(raw: unknown, path: string): Plan {
  const p = raw as Partial<Plan> | null;
  if (!p || typeof p !== 'object' || p.version !== 1 || !Array.isArray(p.operations) || !Array.isArray(p.skipped) || !Array.isArray(p.leftAlone)) {
    throw new UsageError(`${path} is not a plan written by \`landing-zone plan --out\``);
  }
  for (const [i, o] of p.operations.entries()) {
    if (!o || typeof o.id !== 'string' || !['create', 'update', 'delete'].includes(String(o.action)) || typeof o.summary !== 'string') throw new UsageError(`${path}: operation ${i + 1} is not a plan operation (id, action, summary)`);
  }
  return p as Plan;
}

/** The review overlay and the cost badges for `landing-zone diagram`. */
export async function reviewDecorations(io: CliIo, file: string, topology: Topology, result: ValidationResult, options: { plan: boolean; planFile?: string; profile?: string; base?: string }): Promise<Pick<DiagramDecorations, 'review' | 'costs'>> {
  const book = buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  const desired = result.model ? desiredResources(result.model) : [];
  const report = estimateCost(desired, book);
  const costs: Record<string, string> = {};
  for (const [project, c] of Object.entries(report.byProject)) if (c.priced > 0) costs[project] = `${euros(c.eurPerMonth)}/mo`;
  const out: Pick<DiagramDecorations, 'review' | 'costs'> = { costs };
  const base = options.base ? await baseResources(io, file, options.base) : undefined;
  if (base && 'absent' in base) io.stderr.write(`diagram: ${base.absent}: nothing is drawn as drift repaired\n`);
  const baseDesired = base && 'desired' in base ? base.desired : undefined;
  if (options.plan) {
    const session = await engineSession(io, file, options.profile);
    io.stderr.write(`diagram: reading organisation ${session.profile.organizationId} via ${describeProfile(session.profile)} (read-only)\n`);
    let read;
    try {
      read = await readPlan(session);
    } catch (err) {
      throw new UsageError(`cannot read the account: ${(err as Error).message}`, 1);
    }
    for (const line of read.catalog.unread) io.stderr.write(`diagram: catalog not checked: ${line}\n`);
    const cost = planCost(read.plan, session.desired, read.inventory, book);
    out.review = planReview(read.plan, topology, { ...(baseDesired ? { base: baseDesired } : {}), costDelta: monthlyDelta(cost.eurPerMonth), declared: session.desired, notChecked: read.inventory.notChecked });
  } else if (options.planFile) {
    const path = resolve(io.cwd, options.planFile);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read ${options.planFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // a saved plan does not say what its read could not check: the legend does not count the unchanged
    out.review = planReview(parsePlanFile(raw, options.planFile), topology, baseDesired ? { base: baseDesired } : {});
  }
  return out;
}
