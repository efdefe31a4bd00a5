import type { Plan } from '../plan';
import type { DesiredResource, Inventory, LiveResource } from '../state';
import { estimateCost, monthlyDelta, priceResource, type CostReport, type CostedResource, type PricedLine } from './estimate';
import { round, type PriceBook } from './price-book';

/*
 * What a plan does to the monthly bill: for each operation, the price of the resource after it
 * (the declared one) minus the price before it (the live one). Operations on resources the catalog
 * does not price are counted, not guessed.
 */

/** One operation's effect on the bill. */
export interface PlanCostLine {
  id: string;
  action: 'create' | 'update' | 'delete';
  project: string;
  /** Monthly price before (live) and after (declared); absent where there is none or it is not priced. */
  before?: number;
  after?: number;
  delta: number;
  what: string;
}

/** The plan's `+€… / month`. */
export interface PlanCost {
  eurPerMonth: number;
  kgCo2ePerMonth: number;
  lines: PlanCostLine[];
  /** Operations on resources the catalog does not price (their effect is not in the delta). */
  unpriced: number;
  /** The declared state's own estimate, for the badges. */
  after: CostReport;
  catalog: CostReport['catalog'];
}

const liveAsCosted = (r: LiveResource, project: string): CostedResource => ({ id: r.lzId ?? r.naturalId, kind: r.kind, project, ...(r.region ? { region: r.region } : {}), ...(r.zone ? { zone: r.zone } : {}), fields: r.fields });

const priced = (l: ReturnType<typeof priceResource>): PricedLine | undefined => ('eurPerMonth' in l ? l : undefined);

/** The cost delta of a plan computed from the declared resources and the inventory it was planned from. */
export function planCost(plan: Plan, desired: readonly DesiredResource[], inventory: Inventory, book: PriceBook): PlanCost {
  const byId = new Map(desired.map((d) => [d.id, d]));
  const live = new Map(inventory.resources.map((r) => [r.scalewayId, r]));
  const lines: PlanCostLine[] = [];
  let unpriced = 0;
  let kg = 0;
  for (const op of plan.operations) {
    const d = byId.get(op.id);
    const l = op.scalewayId ? live.get(op.scalewayId) : undefined;
    const after = op.action !== 'delete' && d ? priced(priceResource(d, book)) : undefined;
    const before = op.action !== 'create' && l ? priced(priceResource(liveAsCosted(l, op.project), book)) : undefined;
    if (!after && !before) {
      unpriced++;
      continue;
    }
    const delta = round((after?.eurPerMonth ?? 0) - (before?.eurPerMonth ?? 0), 2);
    kg += (after?.kgCo2ePerMonth ?? 0) - (before?.kgCo2ePerMonth ?? 0);
    if (delta === 0 && op.action === 'update') continue;
    lines.push({
      id: op.id, action: op.action, project: op.project, delta,
      ...(before ? { before: before.eurPerMonth } : {}), ...(after ? { after: after.eurPerMonth } : {}),
      what: before && after && before.what !== after.what ? `${before.what} → ${after.what}` : (after ?? before)!.what,
    });
  }
  const afterReport = estimateCost(desired, book);
  return {
    eurPerMonth: round(lines.reduce((a, x) => a + x.delta, 0), 2),
    kgCo2ePerMonth: round(kg, 3),
    lines,
    unpriced,
    after: afterReport,
    catalog: afterReport.catalog,
  };
}

/** `Cost: +€160.60 / month (…)` and one line per priced operation. */
export function planCostText(c: PlanCost): string {
  const cat = c.catalog;
  const out = [`Cost: ${monthlyDelta(c.eurPerMonth)}${c.kgCo2ePerMonth ? `, ${c.kgCo2ePerMonth > 0 ? '+' : ''}${c.kgCo2ePerMonth} kg CO₂e / month` : ''} (${c.lines.length} priced change(s), ${c.unpriced} change(s) on resources the catalog does not price; catalog ${cat.origin === 'live' ? 'read' : 'snapshot'} ${cat.date}${cat.dateInferred ? ' (inferred)' : ''}${cat.instanceCatalog ? `, instance catalog ${cat.instanceCatalog}` : ''})`];
  for (const l of c.lines) out.push(`  ${monthlyDelta(l.delta).padStart(18)}  ${l.action} ${l.id}: ${l.what}`);
  return out.join('\n') + '\n';
}
