import snapshotJson from '../../../catalog/scaleway-catalog.json';
import { ok, region, regionOfZone, zone, type Ctx, type Reply, type Route } from '../context';
import { invalidArguments, notFound } from '../errors';
import type { Json, JsonObject } from '../json';

/*
 * Scaleway's catalogs, as Scaleway answered them: the sandbox serves the recorded answers of
 * catalog/scaleway-catalog.json (or a catalog passed in) at their endpoints, paged as Scaleway
 * pages them, and the products' create/update handlers refuse values the catalog does not offer
 * with Scaleway's 400 invalid_arguments. A catalog recorded nowhere (LB types, IAM permission
 * sets in the bundled snapshot) is not served and not enforced: the sandbox does not invent one.
 * Only data is read here (the JSON file); the sandbox imports no code of ours.
 */

/** One recorded answer (same shape as the snapshot file's). */
export interface RecordedAnswer {
  source?: string;
  recordedAt?: string;
  headers?: Record<string, string>;
  body?: unknown;
  sameAs?: string;
  notRecorded?: string;
  /** Names Scaleway publishes in its documentation where no answer was recorded (enforced, never served). */
  published?: { sets: { name: string }[] };
}

/** The snapshot file's shape. */
export interface RecordedCatalog {
  takenAt: string;
  answers: Record<string, RecordedAnswer>;
}

interface Listing {
  /** The list key (`versions`, `node_types`, `servers`…) and its merged items. */
  key: string;
  items: Json[] | JsonObject;
  /** Items per page as Scaleway pages this list (the recorded first page's size), or all. */
  pageSize: number;
  headers?: Record<string, string>;
  paged: boolean;
}

const LIST_KEYS = ['versions', 'servers', 'engines', 'node_types', 'lb_types', 'types', 'permission_sets', 'runtimes'];

export class SandboxCatalog {
  private readonly listings = new Map<string, Listing | null>();

  constructor(readonly recorded: RecordedCatalog = snapshotJson as RecordedCatalog) {}

  /** The merged list answered at a path (every recorded page), or undefined when never recorded. */
  listing(path: string): Listing | undefined {
    if (!this.listings.has(path)) this.listings.set(path, this.build(path));
    return this.listings.get(path) ?? undefined;
  }

  private build(path: string): Listing | null {
    const keys = Object.keys(this.recorded.answers).filter((k) => k === `GET ${path}` || k.startsWith(`GET ${path}?`));
    const pageOf = (k: string) => Number(/[?&]page=(\d+)/.exec(k)?.[1] ?? 1);
    keys.sort((a, b) => pageOf(a) - pageOf(b));
    let listing: Listing | null = null;
    for (const k of keys) {
      const resolved = this.resolve(k);
      if (!resolved) continue;
      const body = resolved.body as JsonObject;
      const key = LIST_KEYS.find((l) => l in body);
      if (!key) continue;
      const part = body[key] as Json[] | JsonObject;
      if (!listing) {
        const count = Array.isArray(part) ? part.length : Object.keys(part).length;
        listing = { key, items: Array.isArray(part) ? [...part] : { ...part }, pageSize: count, headers: resolved.headers, paged: 'total_count' in body || keys.length > 1 || !!resolved.headers?.['X-Total-Count'] };
      } else if (Array.isArray(listing.items) && Array.isArray(part)) listing.items.push(...part);
      else if (!Array.isArray(listing.items) && !Array.isArray(part)) Object.assign(listing.items, part);
    }
    return listing;
  }

  /** An answer with its sameAs pointer followed; a stand-in's region/zone fields name the asked one. */
  private resolve(key: string): { body: unknown; headers?: Record<string, string> } | undefined {
    const seen = new Set<string>();
    let k = key;
    let a = this.recorded.answers[k];
    while (a?.sameAs && !seen.has(k)) {
      seen.add(k);
      k = a.sameAs;
      a = this.recorded.answers[k];
    }
    if (!a || a.notRecorded || a.body === undefined) return undefined;
    if (k === key) return { body: a.body, headers: a.headers };
    const from = /\/(?:regions|zones)\/([^/?]+)/.exec(k)?.[1];
    const to = /\/(?:regions|zones)\/([^/?]+)/.exec(key)?.[1];
    return { body: from && to ? relocate(a.body, from, to) : a.body, headers: a.headers };
  }

  /**
   * Names Scaleway's documentation publishes for a catalog that no recording holds (permission
   * sets): a create naming another is refused as Scaleway refuses it, while the list itself stays
   * unserved (404), since no real answer of it exists to copy.
   */
  published(path: string): Set<string> | undefined {
    const sets = this.recorded.answers[`GET ${path}`]?.published?.sets;
    return sets ? new Set(sets.map((x) => normal(x.name))) : undefined;
  }

  /** Names offered by a list at a path; undefined when the catalog has no answer there (not enforced). */
  offered(path: string, name: (item: JsonObject, key: string) => string | undefined): Set<string> | undefined {
    const l = this.listing(path);
    if (!l) return undefined;
    const out = new Set<string>();
    const entries: [string, Json][] = Array.isArray(l.items) ? l.items.map((v, i) => [String(i), v]) : Object.entries(l.items);
    for (const [k, v] of entries) {
      const n = v && typeof v === 'object' && !Array.isArray(v) ? name(v as JsonObject, k) : undefined;
      if (n) out.add(normal(n));
    }
    return out;
  }
}

/** Copies a stand-in answer for another region/zone: `region`/`zone` fields name the asked one. */
function relocate(v: unknown, from: string, to: string): unknown {
  if (Array.isArray(v)) return v.map((x) => relocate(x, from, to));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if ((k === 'region' || k === 'zone') && typeof x === 'string') out[k] = x === from ? to : x === regionOfZone(from) ? regionOfZone(to) : x;
    else out[k] = relocate(x, from, to);
  }
  return out;
}

const intParam = (ctx: Ctx, name: string, fallback: number): number => {
  const raw = ctx.query.get(name);
  const n = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidArguments([{ argument_name: name, reason: 'constraint', help_message: `${name} must be a positive integer` }]);
  return n;
};

/** Serves a recorded list, paged (`page`/`page_size`, or `page`/`per_page` with X-Total-Count for Instance). */
function serveListing(ctx: Ctx, path: string, perPageParam = 'page_size'): Reply {
  const l = ctx.env.catalog.listing(path);
  if (!l) throw notFound('catalog', path);
  const entries: [string, Json][] = Array.isArray(l.items) ? l.items.map((v, i) => [String(i), v]) : Object.entries(l.items);
  if (!l.paged) return ok({ [l.key]: l.items });
  const page = intParam(ctx, 'page', 1);
  const size = Math.min(intParam(ctx, perPageParam, l.pageSize), 100);
  const slice = entries.slice((page - 1) * size, page * size);
  const items = Array.isArray(l.items) ? slice.map(([, v]) => v) : Object.fromEntries(slice);
  if (perPageParam === 'per_page') return { ...ok({ [l.key]: items }), headers: { 'X-Total-Count': String(entries.length) } };
  return ok({ [l.key]: items, total_count: entries.length });
}

/** Names compare without case, and Kapsule's `pro2_s` spelling equals `PRO2-S`. */
const normal = (name: string): string => name.toLowerCase().replace(/_/g, '-');

const lower = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Offered names per catalog, for the products' handlers: undefined = no catalog answer, not enforced. */
export const offered = {
  kubernetesVersions: (ctx: Ctx, r: string) => ctx.env.catalog.offered(`/k8s/v1/regions/${r}/versions`, (v) => lower(v.name)),
  instanceTypes: (ctx: Ctx, z: string) => ctx.env.catalog.offered(`/instance/v1/zones/${z}/products/servers`, (_v, k) => k),
  databaseEngines: (ctx: Ctx, r: string) => {
    const engines = ctx.env.catalog.listing(`/rdb/v1/regions/${r}/database-engines`);
    if (!engines || !Array.isArray(engines.items)) return undefined;
    const out = new Set<string>();
    for (const e of engines.items as JsonObject[]) {
      for (const v of (e.versions as JsonObject[] | undefined) ?? []) if (v.disabled !== true) out.add(normal(String(v.name)));
    }
    return out;
  },
  databaseNodeTypes: (ctx: Ctx, r: string) => ctx.env.catalog.offered(`/rdb/v1/regions/${r}/node-types`, (v) => (v.disabled === true ? undefined : lower(v.name))),
  lbTypes: (ctx: Ctx, z: string) => ctx.env.catalog.offered(`/lb/v1/zones/${z}/lb-types`, (v) => lower(v.name)),
  gatewayTypes: (ctx: Ctx, z: string) => ctx.env.catalog.offered(`/vpc-gw/v2/zones/${z}/gateway-types`, (v) => lower(v.name)),
  permissionSets: (ctx: Ctx) => ctx.env.catalog.offered('/iam/v1alpha1/permission-sets', (v) => lower(v.name)) ?? ctx.env.catalog.published('/iam/v1alpha1/permission-sets'),
  runtimes: (ctx: Ctx, r: string) => ctx.env.catalog.offered(`/functions/v1beta1/regions/${r}/runtimes`, (v) => (v.status === 'end_of_life' ? undefined : lower(v.name))),
};

/**
 * Refuses a value the catalog does not offer, with Scaleway's 400 invalid_arguments body. A
 * catalog without an answer enforces nothing.
 */
export function requireOffered(set: Set<string> | undefined, argument: string, value: string | null | undefined, what: string): void {
  if (!set || value === undefined || value === null) return;
  if (set.has(normal(value))) return;
  throw invalidArguments([{ argument_name: argument, reason: 'constraint', help_message: `${what} "${value}" is not available` }]);
}

/** The catalog endpoints; each answers only where the catalog holds an answer. */
export function catalogRoutes(): Route[] {
  return [
    { method: 'GET', pattern: '/k8s/v1/regions/{region}/versions', product: 'Kubernetes', handler: (ctx) => serveListing(ctx, `/k8s/v1/regions/${region(ctx)}/versions`) },
    {
      method: 'GET', pattern: '/k8s/v1/regions/{region}/versions/{versionName}', product: 'Kubernetes',
      handler: (ctx) => {
        const l = ctx.env.catalog.listing(`/k8s/v1/regions/${region(ctx)}/versions`);
        const v = Array.isArray(l?.items) ? (l.items as JsonObject[]).find((x) => x.name === ctx.params.versionName) : undefined;
        if (!v) throw notFound('version', ctx.params.versionName!);
        return ok(v);
      },
    },
    { method: 'GET', pattern: '/instance/v1/zones/{zone}/products/servers', product: 'Instances', handler: (ctx) => serveListing(ctx, `/instance/v1/zones/${zone(ctx)}/products/servers`, 'per_page') },
    { method: 'GET', pattern: '/rdb/v1/regions/{region}/database-engines', product: 'RelationalDatabases', handler: (ctx) => serveListing(ctx, `/rdb/v1/regions/${region(ctx)}/database-engines`) },
    { method: 'GET', pattern: '/rdb/v1/regions/{region}/node-types', product: 'RelationalDatabases', handler: (ctx) => serveListing(ctx, `/rdb/v1/regions/${region(ctx)}/node-types`) },
    { method: 'GET', pattern: '/lb/v1/zones/{zone}/lb-types', product: 'LoadBalancers', handler: (ctx) => serveListing(ctx, `/lb/v1/zones/${zone(ctx)}/lb-types`) },
    { method: 'GET', pattern: '/vpc-gw/v1/zones/{zone}/gateway-types', product: 'VPCGateway', handler: (ctx) => serveListing(ctx, `/vpc-gw/v2/zones/${zone(ctx)}/gateway-types`) },
    { method: 'GET', pattern: '/vpc-gw/v2/zones/{zone}/gateway-types', product: 'VPCGateway', handler: (ctx) => serveListing(ctx, `/vpc-gw/v2/zones/${zone(ctx)}/gateway-types`) },
    { method: 'GET', pattern: '/iam/v1alpha1/permission-sets', product: 'IAMManager', handler: (ctx) => serveListing(ctx, '/iam/v1alpha1/permission-sets') },
    { method: 'GET', pattern: '/functions/v1beta1/regions/{region}/runtimes', product: 'Functions', handler: (ctx) => serveListing(ctx, `/functions/v1beta1/regions/${region(ctx)}/runtimes`) },
  ];
}
