import type { ResourceKind } from '../model';
import { HOURS_PER_MONTH, hourlyEur, hourlyKgCo2e, nodeTypePrice, round, type PriceBook, type PriceEntry } from './price-book';

/*
 * Monthly price and estimated emissions of resources (declared or live), per resource, per project
 * and in total. A resource is priced only from a SKU the catalog lists for it; everything else is
 * "not priced" with the reason, and never counts as zero in a total that claims to be complete.
 */

/** What the estimator needs of a resource: the shape DesiredResource and LiveResource share. */
export interface CostedResource {
  id: string;
  kind: ResourceKind;
  project: string;
  region?: string;
  zone?: string;
  fields: Record<string, unknown>;
}

/** A priced resource. */
export interface PricedLine {
  id: string;
  kind: ResourceKind;
  project: string;
  /** `3 × PRO2-S in fr-par-1`. */
  what: string;
  eurPerMonth: number;
  /** Estimated kg CO₂e a month; absent when the catalog gives no estimate for the SKU. */
  kgCo2ePerMonth?: number;
  sku: string;
  /** `product catalog` or `instance catalog`, with its date. */
  source: string;
  /** Autoscaling: the month at the pool's maximum size. */
  eurPerMonthAtMax?: number;
}

/** A resource the catalog does not price, and why. */
export interface UnpricedLine {
  id: string;
  kind: ResourceKind;
  project: string;
  reason: string;
}

/** The cost report of `landing-zone cost` and the diagram's badges. */
export interface CostReport {
  currency: 'EUR';
  hoursPerMonth: number;
  /** Sum of the priced lines (the unpriced ones are not in it). */
  eurPerMonth: number;
  /** Sum of the lines with an estimate, and how many priced lines have none. */
  kgCo2ePerMonth: number;
  carbonMissing: number;
  priced: PricedLine[];
  unpriced: UnpricedLine[];
  byProject: Record<string, { eurPerMonth: number; kgCo2ePerMonth: number; priced: number; unpriced: number }>;
  catalog: { origin: PriceBook['origin']; date: string; dateInferred?: boolean; source: string; products: number; totalCount?: number; instanceCatalog?: string };
}

/**
 * Kinds no bill line of their own stands for in the catalog's terms: parts of a priced resource
 * (a pool's cluster frontends, ACLs…), IAM objects and the landing zone's own bookkeeping. They are
 * listed as not priced with this reason rather than as "free".
 */
const PART_OF: Partial<Record<ResourceKind, string>> = {
  project: 'a project has no SKU',
  'gateway-network': 'an attachment, not a SKU',
  'lb-frontend': 'part of its load balancer',
  'lb-backend': 'part of its load balancer',
  'lb-acl': 'part of its load balancer',
  'lb-certificate': 'part of its load balancer',
  'lb-ip': 'part of its load balancer',
  application: 'an IAM object, not a SKU',
  'api-key': 'an IAM object, not a SKU',
  policy: 'an IAM object, not a SKU',
  sso: 'not deployed by this version',
  'velero-install': 'runs on its cluster\'s nodes',
  'velero-schedule': 'runs on its cluster\'s nodes',
};

const USAGE_BASED: Partial<Record<ResourceKind, string>> = {
  bucket: 'billed by use (GB stored and transferred), not by the bucket',
  key: 'billed by use (keys and operations)',
  'key-replica': 'billed by use (keys and operations)',
  secret: 'billed by use (versions and API calls)',
  'secret-replica': 'billed by use (versions and API calls)',
  'backup-copy': 'billed by use (function invocations and GB-s)',
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function sourceOf(book: PriceBook, e: PriceEntry): string {
  if (e.from === 'product-catalog') return `product catalog ${book.date}${book.dateInferred ? ' (inferred)' : ''}`;
  const s = book.instanceSources[e.locality.zone ?? ''];
  return `instance catalog ${s?.date ?? book.date}`;
}

/** Prices one resource: a line, or the reason it is not priced. */
export function priceResource(r: CostedResource, book: PriceBook): PricedLine | UnpricedLine {
  const base = { id: r.id, kind: r.kind, project: r.project };
  if (r.kind === 'pool') {
    const nodeType = typeof r.fields.nodeType === 'string' ? r.fields.nodeType : undefined;
    const size = num(r.fields.size);
    if (!nodeType || size === undefined) return { ...base, reason: 'the pool declares no node type or size' };
    if (!r.zone) return { ...base, reason: 'the pool has no zone' };
    const e = nodeTypePrice(book, nodeType, r.zone);
    const hourly = e ? hourlyEur(e) : undefined;
    if (!e || hourly === undefined) return { ...base, reason: `no price for node type ${nodeType} in ${r.zone} in the catalog (${book.origin === 'live' ? 'read live' : `snapshot ${book.date}`})` };
    const kg = hourlyKgCo2e(e);
    const max = r.fields.autoscaling === true ? num(r.fields.maxSize) : undefined;
    return {
      ...base,
      what: `${size} × ${nodeType} in ${r.zone}`,
      eurPerMonth: round(hourly * HOURS_PER_MONTH * size, 2),
      ...(kg !== undefined ? { kgCo2ePerMonth: round(kg * HOURS_PER_MONTH * size, 3) } : {}),
      sku: e.sku,
      source: sourceOf(book, e),
      ...(max !== undefined && max > size ? { eurPerMonthAtMax: round(hourly * HOURS_PER_MONTH * max, 2) } : {}),
    };
  }
  if (r.kind === 'cluster') return { ...base, reason: 'no Kubernetes control-plane SKU in the catalog held; its nodes are priced by their pools' };
  const part = PART_OF[r.kind];
  if (part) return { ...base, reason: part };
  const usage = USAGE_BASED[r.kind];
  if (usage) return { ...base, reason: usage };
  const type = typeof r.fields.type === 'string' ? ` ${r.fields.type}` : typeof r.fields.nodeType === 'string' ? ` ${r.fields.nodeType}` : '';
  return { ...base, reason: `no SKU for ${r.kind}${type} in the product catalog held (${book.entries.filter((e) => e.from === 'product-catalog').length} priced products${book.origin === 'live' ? ', read live' : `, snapshot ${book.date}`})` };
}

const isPriced = (l: PricedLine | UnpricedLine): l is PricedLine => 'eurPerMonth' in l;

/** The cost of a set of resources. */
export function estimateCost(resources: readonly CostedResource[], book: PriceBook): CostReport {
  const priced: PricedLine[] = [];
  const unpriced: UnpricedLine[] = [];
  for (const r of resources) {
    const line = priceResource(r, book);
    if (isPriced(line)) priced.push(line); else unpriced.push(line);
  }
  const byProject: CostReport['byProject'] = {};
  const slot = (p: string) => (byProject[p] ??= { eurPerMonth: 0, kgCo2ePerMonth: 0, priced: 0, unpriced: 0 });
  for (const l of priced) {
    const s = slot(l.project);
    s.eurPerMonth = round(s.eurPerMonth + l.eurPerMonth, 2);
    s.kgCo2ePerMonth = round(s.kgCo2ePerMonth + (l.kgCo2ePerMonth ?? 0), 3);
    s.priced++;
  }
  for (const l of unpriced) slot(l.project).unpriced++;
  const zones = Object.entries(book.instanceSources);
  return {
    currency: 'EUR',
    hoursPerMonth: HOURS_PER_MONTH,
    eurPerMonth: round(priced.reduce((a, l) => a + l.eurPerMonth, 0), 2),
    kgCo2ePerMonth: round(priced.reduce((a, l) => a + (l.kgCo2ePerMonth ?? 0), 0), 3),
    carbonMissing: priced.filter((l) => l.kgCo2ePerMonth === undefined).length,
    priced,
    unpriced,
    byProject,
    catalog: {
      origin: book.origin,
      date: book.date,
      ...(book.dateInferred ? { dateInferred: true } : {}),
      source: book.source,
      products: book.entries.filter((e) => e.from === 'product-catalog').length,
      ...(book.totalCount !== undefined ? { totalCount: book.totalCount } : {}),
      ...(zones.length ? { instanceCatalog: [...new Set(zones.map(([, s]) => s.date))].join(', ') } : {}),
    },
  };
}

/** `€1 234.56` with two decimals. */
export function euros(v: number): string {
  const sign = v < 0 ? '−' : '';
  return `${sign}€${Math.abs(v).toFixed(2)}`;
}

/** `+€12.34 / month` (or `−€…`), for a plan's delta. */
export function monthlyDelta(v: number): string {
  return `${v >= 0 ? '+' : '−'}€${Math.abs(v).toFixed(2)} / month`;
}

/** The cost report for people. */
export function costText(report: CostReport, file: string): string {
  const lines: string[] = [];
  const c = report.catalog;
  lines.push(`Cost of ${file}: ${euros(report.eurPerMonth)} / month for ${report.priced.length} priced resource(s); ${report.unpriced.length} not priced (not in the total)`);
  lines.push(report.carbonMissing === report.priced.length
    ? `Estimated emissions: no estimate (the catalog gives none for the ${report.priced.length} priced resource(s))`
    : `Estimated emissions: ${report.kgCo2ePerMonth} kg CO₂e / month${report.carbonMissing ? ` (${report.carbonMissing} priced resource(s) have no estimate in the catalog, not counted)` : ''}`);
  lines.push(`Catalog: ${c.origin === 'live' ? 'read live' : 'snapshot'} ${c.date}${c.dateInferred ? ' (date inferred)' : ''}, ${c.products} priced product(s)${c.totalCount !== undefined && c.totalCount > c.products ? ` of ${c.totalCount}` : ''}${c.instanceCatalog ? `; node types also from the instance catalog ${c.instanceCatalog}` : ''}`);
  lines.push('');
  lines.push('Priced:');
  for (const l of [...report.priced].sort((a, b) => b.eurPerMonth - a.eurPerMonth)) {
    lines.push(`  ${euros(l.eurPerMonth).padStart(10)}  ${l.id}  ${l.what}${l.eurPerMonthAtMax !== undefined ? ` (up to ${euros(l.eurPerMonthAtMax)} at max size)` : ''}${l.kgCo2ePerMonth !== undefined ? `, ${l.kgCo2ePerMonth} kg CO₂e` : ''}  [${l.sku}, ${l.source}]`);
  }
  if (report.priced.length === 0) lines.push('  (none)');
  lines.push('');
  lines.push('By project:');
  for (const [p, s] of Object.entries(report.byProject).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${p.padEnd(16)} ${euros(s.eurPerMonth).padStart(10)} / month  (${s.priced} priced, ${s.unpriced} not priced)`);
  }
  lines.push('');
  lines.push('Not priced:');
  const reasons = new Map<string, string[]>();
  for (const u of report.unpriced) { const l = reasons.get(u.reason) ?? []; l.push(u.id); reasons.set(u.reason, l); }
  for (const [reason, ids] of reasons) lines.push(`  ${reason}: ${ids.join(', ')}`);
  if (report.unpriced.length === 0) lines.push('  (none)');
  return lines.join('\n') + '\n';
}
