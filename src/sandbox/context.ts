import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { invalidArguments, notFound, quotasExceeded, type ArgumentDetail } from './errors';
import type { Json, JsonObject } from './json';
import type { SandboxCatalog } from './products/catalog';
import type { Rec, Store, Transition } from './store';

/** Who called: resolved from X-Auth-Token before the handler runs. */
export interface Caller {
  accessKey: string;
  /** The sandbox's own key, or any user key, may do everything; application keys go through policies. */
  bearerType: 'user' | 'application';
  bearerId: string;
}

/** Delays (ms) before a resource leaves a transient status. */
export interface Delays {
  gateway: number;
  gatewayNetwork: number;
  lb: number;
  cluster: number;
  pool: number;
  instance: number;
  backup: number;
  snapshot: number;
  functionNamespace: number;
  function: number;
  cron: number;
  deletion: number;
}

export const DEFAULT_DELAYS: Delays = {
  gateway: 400,
  gatewayNetwork: 300,
  lb: 400,
  cluster: 600,
  pool: 500,
  instance: 600,
  backup: 300,
  snapshot: 300,
  functionNamespace: 300,
  function: 300,
  cron: 200,
  deletion: 200,
};

/**
 * How long Scaleway really takes, from the recordings in ../shared/fixtures/scaleway-cassettes:
 * from the create's answer to the change that made the resource settle (its `updated_at`, or
 * between the `Date` headers of the last transient and the first settled answer where the body
 * has no `updated_at`). `--transition-ms recorded` runs the sandbox with these; `recorded/N`
 * divides them all by N, keeping their proportions for a bench that cannot wait minutes.
 */
export const RECORDED_DELAYS: Delays = {
  // tf/vpcgw/vpc-public-gateway-basic and vpc-public-gateway-attach-to-ip: allocating → running 4.8 s (3.2–10.7 s over 5 recordings)
  gateway: 4_800,
  // tf/vpcgw/vpc-gateway-network-with-ipam-config 12.8 s, tf/rdb/instance-private-network 11.8 s: created → ready
  gatewayNetwork: 12_000,
  // tf/lb/lb-basic 2.7 s; acl-basic, frontend-acl-basic, ip-basic 3.1–3.2 s: to_create → ready
  lb: 3_000,
  // tf/k8s/acl-basic 2.3 s (cluster-basic 0.4 s): creating → pool_required
  cluster: 2_300,
  // NOT recorded: no pool is created in the recordings. Nodes are machines being provisioned; the
  // one recorded figure for that is the Managed Database's, used here as the order of magnitude
  pool: 200_000,
  // cli/rdb_v1 test-list-backup-simple 181.5–196.5 s, test-create-backup-simple 197.5–212.5 s,
  // test-export-backup-simple 197.2–212.2 s (polls 15 s apart); tf/rdb/instance-basic seen ready by 152 s
  instance: 200_000,
  // cli/rdb_v1/test-create-backup-simple 2.6 s (2.0–4.3 s over 8 recordings): creating → ready
  backup: 2_600,
  // NOT recorded: taken as a backup's
  snapshot: 2_600,
  // tf/function/function-namespace-basic 11.6 s (1.5–18.3 s over 5 recordings): pending → ready
  functionNamespace: 11_600,
  // tf/function/function-deploy: first deploy pending → ready 88 s (a redeploy 200 s)
  function: 88_000,
  // tf/function/function-cron-basic: pending, ready at the next poll 5 s later
  cron: 5_000,
  // tf/vpcgw/vpc-gateway-network-with-ipam-config: detaching → gone within 5 s (tf/lb/lb-basic: an LB within 30 s)
  deletion: 5_000,
};

/** The delays `--transition-ms` names: `recorded` (RECORDED_DELAYS) or `recorded/N` (each divided by N). */
export function transitionProfile(spec: string): Delays {
  const m = /^recorded(?:\/(\d+))?$/.exec(spec);
  if (!m) throw new Error(`unknown transition profile "${spec}": use a number of milliseconds, recorded, or recorded/N`);
  const divisor = m[1] ? Number(m[1]) : 1;
  if (divisor < 1) throw new Error(`recorded/N needs N ≥ 1, got ${divisor}`);
  return Object.fromEntries(Object.entries(RECORDED_DELAYS).map(([k, v]) => [k, Math.round(v / divisor)])) as unknown as Delays;
}

/** Configuration and identity shared by every handler. */
export interface Env {
  url: string;
  delays: Delays;
  quotas: Record<string, number>;
  /** Scaleway's catalogs as recorded: served at their endpoints and enforced on create/update. */
  catalog: SandboxCatalog;
}

export interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  store: Store;
  env: Env;
  now: number;
  caller: Caller;
  /** For a key whose rules name projects: lists show only those projects' resources. */
  visibleProjects?: ReadonlySet<string>;
}

export interface Reply {
  status: number;
  body?: Json;
  /** A download (e.g. a kubeconfig with `dl=1`): sent as is with this content type. */
  file?: { contentType: string; name: string; data: string };
  /** Extra response headers (Instance lists page with X-Total-Count). */
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

export interface Route {
  method: string;
  pattern: string;
  /** IAM resource name used in permissions_denied details, e.g. "vpc", "load_balancer"; empty: no permission set needed. */
  product: string;
  handler: Handler;
}

export const ok = (body: Json): Reply => ({ status: 200, body });
export const noContent = (): Reply => ({ status: 204 });

// Every product the sandbox serves answers in every region and zone here, as in fr-par; keep them
// equal to the schema's (src/core/schema.ts REGIONS, ZONES_BY_REGION), a test checks it.
export const REGIONS = ['fr-par', 'nl-ams', 'pl-waw', 'it-mil'] as const;
export const ZONES = ['fr-par-1', 'fr-par-2', 'fr-par-3', 'nl-ams-1', 'nl-ams-2', 'nl-ams-3', 'pl-waw-1', 'pl-waw-2', 'pl-waw-3', 'it-mil-1'] as const;

export function region(ctx: Ctx): string {
  const r = ctx.params.region ?? '';
  if (!(REGIONS as readonly string[]).includes(r)) {
    throw invalidArguments([{ argument_name: 'region', reason: 'constraint', help_message: `must be one of ${REGIONS.join(', ')}` }]);
  }
  return r;
}

export function zone(ctx: Ctx): string {
  const z0 = ctx.params.zone ?? '';
  if (!(ZONES as readonly string[]).includes(z0)) {
    throw invalidArguments([{ argument_name: 'zone', reason: 'constraint', help_message: `must be one of ${ZONES.join(', ')}` }]);
  }
  return z0;
}

export const regionOfZone = (z0: string): string => z0.replace(/-\d+$/, '');

export function uuid(): string {
  return randomUUID();
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** SCW + 17 characters of [A-Z0-9], as Scaleway access keys look. */
export function newAccessKey(): string {
  const bytes = randomBytes(17);
  let s = 'SCW';
  for (const b of bytes) s += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return s;
}

/** A plausible public IPv4 in one of Scaleway's /16s, unique within the sandbox (65,024 per prefix). */
export function publicIp(ctx: Ctx, prefix: string): string {
  const n = ctx.store.next(`public_ip:${prefix}`) % 65024;
  return `${prefix}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}

export function reverseOf(ip: string, domain: string): string {
  return `${ip.split('.').reverse().join('-')}.${domain}`;
}

/** Validates a request body with zod and turns failures into the API's invalid_arguments details. */
export function parseBody<S extends z.ZodType>(ctx: Ctx, schema: S): z.infer<S> {
  const r = schema.safeParse(ctx.body ?? {});
  if (r.success) return r.data;
  const at = (path: readonly PropertyKey[]): unknown => {
    let v: unknown = ctx.body;
    for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
    return v;
  };
  const details: ArgumentDetail[] = r.error.issues.map((i) => {
    const name = i.path.map(String).join('.') || 'body';
    // a field the caller did not send at all is "required"; one sent with the wrong type is "format"
    const missing = i.code === 'invalid_type' && i.path.length > 0 && at(i.path) === undefined;
    return {
      argument_name: name,
      reason: missing ? 'required' : i.code === 'invalid_type' ? 'format' : 'constraint',
      help_message: missing ? 'required argument is missing' : i.message,
    };
  });
  throw invalidArguments(details);
}

/** `project_id` from the body, falling back to the caller's default project, and checked to exist. */
export function projectOf(ctx: Ctx, projectId: string | null | undefined): string {
  const id = projectId ?? ctx.store.projectId;
  if (!ctx.store.get('account.project', id)) {
    throw invalidArguments([{ argument_name: 'project_id', reason: 'constraint', help_message: `project ${id} does not exist in this organization` }]);
  }
  return id;
}

export function mustGet(ctx: Ctx, kind: string, id: string, loc: string | undefined, err = () => notFound(kind.split('.')[1] ?? kind, id)): Rec {
  const rec = ctx.store.get(kind, id, ctx.now);
  if (!rec || (loc !== undefined && rec.loc !== loc)) throw err();
  return rec;
}

export function checkQuota(ctx: Ctx, kind: string, resource: string, projectId: string): void {
  const limit = ctx.env.quotas[kind];
  if (limit === undefined) return;
  let current = 0;
  for (const r of ctx.store.list(kind, undefined, ctx.now)) if (r.data.project_id === projectId) current += 1;
  if (current >= limit) throw quotasExceeded(resource, limit, current, { project_id: projectId });
}

/** A transition `delay` ms from now; 0 means the change is already visible. */
export function after(ctx: Ctx, delay: number, set: JsonObject): Transition {
  return { at: ctx.now + delay, set };
}

/**
 * Asynchronous deletion as the real API does it: the answer and the next reads show `set`
 * (status deleting …), and the record is gone after `delays.deletion`.
 */
export function scheduleDelete(ctx: Ctx, rec: Rec, set: JsonObject): Rec {
  return ctx.store.patch(rec, set, [{ at: ctx.now + ctx.env.delays.deletion, set: {}, remove: true }]);
}

// ---- listing: filters, order, pages ---------------------------------------------------------

export type Filter = (rec: Rec, values: string[], ctx: Ctx) => boolean;

/** Enum values the SDK sends when the caller set nothing ("unknown", "unknown_type" …): no filter. */
const isUnset = (v: string): boolean => v === '' || v === 'unknown' || v.startsWith('unknown_');

export const eq = (field: string): Filter => (rec, values) => values.includes(String(rec.data[field] ?? ''));
export const contains = (field: string): Filter => (rec, values) => values.every((v) => String(rec.data[field] ?? '').includes(v));
const allTags: Filter = (rec, values) => {
  const tags = Array.isArray(rec.data.tags) ? rec.data.tags : [];
  return values.every((v) => tags.includes(v));
};

/**
 * Everything lives in the sandbox's one organisation, including the records that carry only a
 * project_id (secrets, keys, IPAM IPs …): those match their organisation too.
 */
export const orgFilter: Filter = (rec, values, ctx) => values.includes(String(rec.data.organization_id ?? ctx.store.organizationId));

export const commonFilters: Record<string, Filter> = {
  project_id: eq('project_id'),
  organization_id: orgFilter,
  name: contains('name'),
  tags: allTags,
};

/** Filters that depend on the time of the request, whose results must not be cached. */
// (a cluster's status follows its pools' transitions, which fall due without a change to the list)
const TIME_DEPENDENT = new Set(['expired', 'status']);

export function filterRecs(ctx: Ctx, recs: readonly Rec[], filters: Record<string, Filter>): readonly Rec[] {
  const active: [Filter, string[]][] = [];
  const key: string[] = [ctx.path];
  let cacheable = true;
  for (const [param, f] of Object.entries(filters)) {
    const values = ctx.query.getAll(param).filter((v) => !isUnset(v));
    if (values.length === 0) continue;
    active.push([f, values]);
    key.push(`${param}=${values.join('\u0000')}`);
    if (TIME_DEPENDENT.has(param)) cacheable = false;
  }
  if (active.length === 0) return recs;
  // the same list filtered the same way, with nothing changed anywhere since, gives the same result
  const k = key.join('&');
  let entry = cacheable ? ctx.store.filterCache.get(recs) : undefined;
  if (entry && entry.version !== ctx.store.version) entry = undefined;
  const hit = entry?.byQuery.get(k);
  if (hit) return hit;
  const out = recs.filter((r) => active.every(([f, v]) => f(r, v, ctx)));
  if (cacheable) {
    if (!entry) ctx.store.filterCache.set(recs, (entry = { version: ctx.store.version, byQuery: new Map() }));
    entry.byQuery.set(k, out);
  }
  return out;
}

function intParam(ctx: Ctx, name: string, dflt: number, min: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArguments([{ argument_name: name, reason: 'constraint', help_message: `must be an integer between ${min} and ${max}` }]);
  }
  return n;
}

/** Sorts by `order_by` (`<field>_asc|_desc`), then pages with `page`/`page_size` (max 100). */
export function pageOf(ctx: Ctx, recs: readonly Rec[], listKey: string, render: (rec: Rec) => JsonObject, defaultOrder = 'created_at_asc'): Reply {
  const order = ctx.query.get('order_by') || defaultOrder;
  const m = /^(.+)_(asc|desc)$/.exec(order);
  const field = m ? (m[1] === 'policy_name' ? 'name' : m[1]!) : 'created_at';
  const dir = m?.[2] === 'desc' ? -1 : 1;
  const sortCache = ctx.store.sortCache;
  if (ctx.visibleProjects) {
    // as IAM does, a project-scoped key lists only what it may see (records without a project stay)
    const visible = ctx.visibleProjects;
    recs = recs.filter((r) => typeof r.data.project_id !== 'string' || visible.has(r.data.project_id));
  }
  let byOrder = sortCache.get(recs);
  let sorted = byOrder?.get(order);
  if (!sorted) {
    sorted = [...recs].sort((a, b) => {
      const x = a.data[field];
      const y = b.data[field];
      const c = x === y ? 0 : x === undefined || x === null ? -1 : y === undefined || y === null ? 1 : x < y ? -1 : 1;
      return (c || a.seq - b.seq) * dir;
    });
    if (!byOrder) sortCache.set(recs, (byOrder = new Map()));
    byOrder.set(order, sorted);
  }
  const page = intParam(ctx, 'page', 1, 1, 1_000_000);
  const size = intParam(ctx, 'page_size', 20, 1, 100);
  const items = sorted.slice((page - 1) * size, page * size).map(render);
  return ok({ [listKey]: items, total_count: sorted.length });
}
