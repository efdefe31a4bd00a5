import { IAM_PROJECT, TAGGABLE_KINDS } from './desired';
import type { ResourceKind } from './model';
import type { DriftIgnore } from './schema';
import type { DesiredResource, Inventory, LiveResource, NotChecked } from './state';

/*
 * Desired resources + inventory + the file's ignores → the drift report. Pure: the clock comes in
 * as an option (ignore expiry), and the report is sorted so its JSON is stable for CI.
 */

export type DriftStatus = 'in-sync' | 'missing' | 'unmanaged' | 'changed' | 'not-checked';

/** One field whose live value differs from the declared one. */
export interface FieldChange {
  field: string;
  declared: unknown;
  live: unknown;
}

/**
 * A difference the file accepts (drift.ignore), shown but not counted as drift. For a live
 * resource the file does not declare, the one difference is that it exists: field `exists`,
 * declared `false`, live `true`.
 */
export interface IgnoredChange extends FieldChange {
  reason: string;
}

/** The pseudo-field of an accepted unmanaged resource's IgnoredChange. */
export const EXISTS_FIELD = 'exists';

/** The state of one resource: declared, live, or both. */
export interface DriftEntry {
  /** Resource id: the declared id, or for unmanaged resources the tag's id or the natural id. */
  id: string;
  kind: ResourceKind;
  project: string;
  name: string;
  status: DriftStatus;
  /** How a live resource was matched: by its `lz:id` tag, or by name because it has no tag. */
  matchedBy?: 'tag' | 'name';
  scalewayId?: string;
  changes?: FieldChange[];
  ignored?: IgnoredChange[];
  /** Not checked: why; unmanaged (or accepted by an ignore): what the plan will do about it. */
  reason?: string;
  /** Unmanaged but tagged `lz:managed`: the tool created it and the file no longer declares it. */
  managed?: boolean;
  /**
   * Live, not declared, and accepted by a drift.ignore: reported `in-sync` (it is not drift) with
   * its `ignored` entry; the plan leaves it alone. Not counted in `summary.inSync` (declared only).
   */
  undeclared?: boolean;
  /** Where the file declares it. */
  path?: (string | number)[];
}

/** An ignore whose expiry date has passed: a finding in itself. */
export interface ExpiredIgnore {
  index: number;
  resource: string;
  field?: string;
  expires: string;
  reason: string;
}

export interface DriftSummary {
  declared: number;
  /** Declared resources in sync (accepted unmanaged ones are counted in `ignoredUnmanaged`). */
  inSync: number;
  missing: number;
  unmanaged: number;
  changed: number;
  notChecked: number;
  /** Ignored differences, accepted unmanaged resources included. */
  ignoredChanges: number;
  /** Live resources the file does not declare but a drift.ignore accepts. */
  ignoredUnmanaged: number;
  expiredIgnores: number;
  matchedByName: number;
  /** Share of declared resources whose kind could be read, in percent (one decimal). */
  coverage: number;
}

/** The outcome of comparing the file with the account. */
export interface DriftReport {
  organizationId: string;
  readAt: string;
  inSync: boolean;
  summary: DriftSummary;
  entries: DriftEntry[];
  expiredIgnores: ExpiredIgnore[];
}

export interface DriftOptions {
  ignores?: DriftIgnore[];
  now?: Date;
}

/** A declared resource and the live one that stands for it. */
export interface Match {
  desired: DesiredResource;
  live: LiveResource;
  by: 'tag' | 'name';
}

export interface Matching {
  matches: Match[];
  /** Declared resources with no live counterpart. */
  missing: DesiredResource[];
  /** Live resources that no declared resource claims (after removing those that belong to another). */
  unmanaged: LiveResource[];
  /**
   * Older API keys of a declared application's key (same `lz:id`): a rotation keeps the previous
   * key for its grace period, and `rotate-api-key --finish` deletes it. Neither drift nor the plan's
   * business; reported apart.
   */
  retiring: LiveResource[];
}

/** An API key's creation time, for choosing the application's current key among several. */
const createdAt = (l: LiveResource) => (typeof l.attrs?.createdAt === 'string' ? Date.parse(l.attrs.createdAt) : 0);

/** Pairs declared and live resources: by `lz:id` tag first, then untagged ones by their natural id. */
export function matchResources(desired: readonly DesiredResource[], inventory: Inventory): Matching {
  const byTag = new Map<string, LiveResource>();
  const byNatural = new Map<string, LiveResource>();
  for (const l of inventory.resources) {
    if (l.lzId) {
      const prev = byTag.get(`${l.kind} ${l.lzId}`);
      // several keys of one application: the newest is its key, the others are being retired
      if (!prev || (l.kind === 'api-key' && createdAt(l) > createdAt(prev))) byTag.set(`${l.kind} ${l.lzId}`, l);
    } else if (!byNatural.has(`${l.kind} ${l.naturalId}`)) {
      byNatural.set(`${l.kind} ${l.naturalId}`, l);
    }
  }
  const used = new Set<LiveResource>();
  const matches: Match[] = [];
  const missing: DesiredResource[] = [];
  for (const d of desired) {
    const tagged = byTag.get(`${d.kind} ${d.id}`);
    const natural = byNatural.get(`${d.kind} ${d.id}`);
    const live = tagged ?? natural;
    if (live && !used.has(live)) {
      used.add(live);
      matches.push({ desired: d, live, by: tagged ? 'tag' : 'name' });
    } else {
      missing.push(d);
    }
  }
  const gateways = new Set(inventory.resources.filter((l) => l.kind === 'public-gateway').map((l) => l.scalewayId));
  const matchedKeys = new Set(matches.filter((x) => x.desired.kind === 'api-key' && x.by === 'tag').map((x) => x.desired.id));
  const retiring: LiveResource[] = [];
  const unmanaged = inventory.resources.filter((l) => {
    if (used.has(l)) return false;
    if (l.kind === 'api-key' && l.lzId && matchedKeys.has(l.lzId)) {
      retiring.push(l);
      return false;
    }
    // every organisation has a default project that cannot be deleted: it is not drift
    if (l.kind === 'project' && l.attrs?.isDefault) return false;
    // a gateway created without a reserved IP gets one from Scaleway: it belongs to (and goes with) the gateway
    if (l.kind === 'gateway-ip' && !l.lzId && l.parentId && gateways.has(l.parentId)) return false;
    return true;
  });
  return { matches, missing, unmanaged, retiring };
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x);

/** Declared fields that the live resource reports and that differ. Fields the API does not report are not compared. */
export function compareFields(d: DesiredResource, live: LiveResource): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, declared] of Object.entries(d.fields)) {
    if (field.startsWith('_') || !(field in live.fields)) continue;
    const value = live.fields[field];
    // a secret's pinned version only has to exist: later revisions are rotations, not drift. A
    // replica with fewer versions than the primary pins is stale: a rotation never reached it
    if ((d.kind === 'secret' || d.kind === 'secret-replica') && field === 'version' && typeof value === 'number' && typeof declared === 'number') {
      if (value < declared) changes.push({ field, declared, live: value });
      continue;
    }
    if (canonical(declared) !== canonical(value)) changes.push({ field, declared, live: value });
  }
  if (d.zone && live.zone && d.zone !== live.zone) changes.push({ field: 'zone', declared: d.zone, live: live.zone });
  else if (!d.zone && d.region !== 'global' && live.region && d.region !== live.region) changes.push({ field: 'region', declared: d.region, live: live.region });
  return changes;
}

/** The ignore (if any, and not expired) that covers a change; a cluster's `pools.<pool>.<field>` covers the pool's field. */
function ignoreFor(d: DesiredResource, field: string, ignores: readonly { ignore: DriftIgnore; expired: boolean }[]): DriftIgnore | undefined {
  for (const { ignore, expired } of ignores) {
    if (expired) continue;
    let resource = ignore.resource;
    let ifield = ignore.field;
    const pm = ifield ? /^pools\.([a-z0-9-]+)\.(.+)$/.exec(ifield) : null;
    if (pm && /\/cluster\//.test(resource)) {
      const [p, , c] = resource.split('/');
      resource = `${p}/pool/${c}-${pm[1]}`;
      ifield = pm[2];
    }
    if (resource !== d.id) continue;
    if (!ifield || ifield === field || field.startsWith(`${ifield}.`)) return ignore;
  }
  return undefined;
}

/** The file's ignores with their position and whether their expiry date has passed. */
export interface DatedIgnore {
  ignore: DriftIgnore;
  index: number;
  expired: boolean;
}

export function datedIgnores(options: DriftOptions): DatedIgnore[] {
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  return (options.ignores ?? []).map((ignore, index) => ({ ignore, index, expired: Boolean(ignore.expires && ignore.expires < today) }));
}

/** The ignore that accepts an unmanaged resource, and the resource id it names (the resource's own, its project's or a parent's). */
export interface Acceptance {
  ignore: DriftIgnore;
  index: number;
  via: string;
}

/**
 * Which unmanaged resources the file accepts. An ignore (not expired) accepts the unmanaged
 * resource whose report id (or natural id) it names, with or without `field`: an undeclared
 * resource has no declared field, so its one difference is that it exists. What it accepts
 * comes with its children (a cluster's pools, a gateway's networks and IP, an LB's frontends
 * and ACLs), so that the plan never deletes part of it. An ignore of an undeclared project
 * without `field` accepts the project and every unmanaged resource in it. A declared project's
 * ignore never reaches beyond the project's own fields: the resources inside a declared project
 * are the landing zone's business.
 */
export function acceptedUnmanaged(unmanaged: readonly LiveResource[], inventory: Inventory, desired: readonly DesiredResource[], ignores: readonly DatedIgnore[]): Map<LiveResource, Acceptance> {
  const out = new Map<LiveResource, Acceptance>();
  // an ignore of a declared resource is about that resource: a live duplicate of it stays drift
  const declaredIds = new Set(desired.map((d) => d.id));
  const active = ignores.filter((i) => !i.expired && !declaredIds.has(i.ignore.resource));
  if (active.length === 0) return out;
  const declaredProjects = new Set(desired.filter((d) => d.kind === 'project').map((d) => d.project));
  const byScalewayId = new Map(inventory.resources.map((l) => [l.scalewayId, l]));
  const isUnmanaged = new Set(unmanaged);
  const idOf = (l: LiveResource) => l.lzId ?? l.naturalId;
  const own = (l: LiveResource): Acceptance | undefined => {
    const id = idOf(l);
    const project = id.split('/')[0]!;
    for (const { ignore, index } of active) {
      if (ignore.resource === id || ignore.resource === l.naturalId) return { ignore, index, via: ignore.resource };
    }
    if (project === IAM_PROJECT || declaredProjects.has(project)) return undefined;
    for (const { ignore, index } of active) {
      if (!ignore.field && ignore.resource === `${project}/project`) return { ignore, index, via: ignore.resource };
    }
    return undefined;
  };
  const memo = new Map<LiveResource, Acceptance | undefined>();
  const accept = (l: LiveResource, depth: number): Acceptance | undefined => {
    if (memo.has(l)) return memo.get(l);
    let hit = own(l);
    // a parent chain is a few levels deep (ACL → frontend → LB); the bound only guards against bad data
    const parent = l.parentId ? byScalewayId.get(l.parentId) : undefined;
    if (!hit && parent && parent !== l && isUnmanaged.has(parent) && depth < 8) hit = accept(parent, depth + 1);
    memo.set(l, hit);
    return hit;
  };
  for (const l of unmanaged) {
    const hit = accept(l, 0);
    if (hit) out.set(l, hit);
  }
  return out;
}

/**
 * The unaccepted resources that an accepted one would go with if they were deleted: its parents
 * (a pool's cluster, an ACL's frontend and LB…) and a gateway network's private network. Each
 * maps to the accepted resource's id.
 */
export function heldByAccepted(accepted: ReadonlyMap<LiveResource, Acceptance>, inventory: Inventory): Map<LiveResource, string> {
  const holds = new Map<LiveResource, string>();
  if (accepted.size === 0) return holds;
  const byScalewayId = new Map(inventory.resources.map((l) => [l.scalewayId, l]));
  const up = (l: LiveResource): LiveResource[] => [l.parentId, l.kind === 'gateway-network' ? l.attrs?.privateNetworkId : undefined]
    .flatMap((x) => (typeof x === 'string' && byScalewayId.has(x) ? [byScalewayId.get(x)!] : []));
  for (const l of accepted.keys()) {
    const todo = up(l);
    for (let i = 0; i < todo.length && i < 16; i++) {
      const p = todo[i]!;
      if (accepted.has(p) || holds.has(p)) continue;
      holds.set(p, l.lzId ?? l.naturalId);
      todo.push(...up(p));
    }
  }
  return holds;
}

/** Which live resources the plan may delete: what the tool tagged, or untagged ones inside a declared project. */
export function deletable(l: LiveResource, declaredProjects: ReadonlySet<string>): boolean {
  if (l.tags.includes('lz:managed')) return true;
  if (l.kind === 'project' || l.kind === 'application' || l.kind === 'policy' || l.kind === 'api-key') return false;
  return declaredProjects.has(l.projectName ?? '');
}

/** Why a declared resource could not be compared (its kind, or its kind in its region, was not read). */
export function notCheckedReason(notChecked: readonly NotChecked[], r: { kind: ResourceKind; region?: string; zone?: string }): string | undefined {
  const hit = notChecked.find((n) => n.kind === r.kind && (!n.region || n.region === r.region || (r.zone !== undefined && r.zone.startsWith(`${n.region}-`))));
  return hit ? (hit.region ? `${hit.region}: ${hit.reason}` : hit.reason) : undefined;
}

/** True when a kind could not be read anywhere (so no live resource of it can be called unmanaged). */
function kindUnread(notChecked: readonly NotChecked[], kind: ResourceKind): boolean {
  return notChecked.some((n) => n.kind === kind && !n.region);
}

export function computeDrift(desired: readonly DesiredResource[], inventory: Inventory, options: DriftOptions = {}): DriftReport {
  const ignores = datedIgnores(options);

  const declaredProjects = new Set(desired.filter((d) => d.kind === 'project').map((d) => d.project));
  const entries: DriftEntry[] = [];

  const checked = desired.filter((d) => notCheckedReason(inventory.notChecked, d) === undefined);
  for (const d of desired) {
    const reason = notCheckedReason(inventory.notChecked, d);
    if (reason !== undefined) entries.push({ id: d.id, kind: d.kind, project: d.project, name: d.name, status: 'not-checked', reason, path: d.path });
  }
  const m = matchResources(checked, inventory);
  for (const d of m.missing) entries.push({ id: d.id, kind: d.kind, project: d.project, name: d.name, status: 'missing', path: d.path });
  for (const { desired: d, live, by } of m.matches) {
    const changes: FieldChange[] = [];
    const ignored: IgnoredChange[] = [];
    for (const c of compareFields(d, live)) {
      const ig = ignoreFor(d, c.field, ignores);
      if (ig) ignored.push({ ...c, reason: ig.reason });
      else changes.push(c);
    }
    const entry: DriftEntry = { id: d.id, kind: d.kind, project: d.project, name: d.name, status: changes.length ? 'changed' : 'in-sync', scalewayId: live.scalewayId, path: d.path };
    if (TAGGABLE_KINDS.has(d.kind)) entry.matchedBy = by;
    if (changes.length) entry.changes = changes;
    if (ignored.length) entry.ignored = ignored;
    entries.push(entry);
  }
  const accepted = acceptedUnmanaged(m.unmanaged, inventory, desired, ignores);
  const holds = heldByAccepted(accepted, inventory);
  for (const l of m.retiring) {
    const app = l.lzId!.split('/')[2] ?? l.name;
    entries.push({
      id: l.lzId!, kind: l.kind, project: IAM_PROJECT, name: l.name, status: 'in-sync', scalewayId: l.scalewayId, undeclared: true,
      ignored: [{ field: EXISTS_FIELD, declared: false, live: true, reason: `an older key of ${app}, kept for the grace period of its rotation; \`landing-zone rotate-api-key ${app} --finish\` deletes it` }],
      reason: 'replaced by a newer key of the same application: left to its rotation',
    });
  }
  for (const l of m.unmanaged) {
    if (kindUnread(inventory.notChecked, l.kind)) continue;
    const managed = l.tags.includes('lz:managed');
    const id = l.lzId ?? l.naturalId;
    const acceptance = accepted.get(l);
    const entry: DriftEntry = acceptance
      ? {
        id, kind: l.kind, project: id.split('/')[0]!, name: l.name, status: 'in-sync', scalewayId: l.scalewayId,
        ignored: [{ field: EXISTS_FIELD, declared: false, live: true, reason: acceptance.ignore.reason }],
        reason: `not in the file, accepted by drift.ignore[${acceptance.index}] (${acceptance.via}): left alone`,
        undeclared: true,
      }
      : {
        id, kind: l.kind, project: id.split('/')[0]!, name: l.name, status: 'unmanaged', scalewayId: l.scalewayId,
        reason: !deletable(l, declaredProjects) ? 'not in the file, outside the declared projects: left alone'
          : holds.has(l) ? `not in the file; it holds ${holds.get(l)!}, which drift.ignore accepts: left alone`
            : 'not in the file: the plan deletes it (needs --allow-delete)',
      };
    if (managed) entry.managed = true;
    entries.push(entry);
  }
  const order: Record<DriftStatus, number> = { missing: 0, changed: 1, unmanaged: 2, 'not-checked': 3, 'in-sync': 4 };
  entries.sort((a, b) => order[a.status] - order[b.status] || a.id.localeCompare(b.id) || (a.scalewayId ?? '').localeCompare(b.scalewayId ?? ''));

  const expiredIgnores: ExpiredIgnore[] = ignores.filter((i) => i.expired).map(({ ignore, index }) => ({
    index, resource: ignore.resource, ...(ignore.field ? { field: ignore.field } : {}), expires: ignore.expires!, reason: ignore.reason,
  }));
  const count = (s: DriftStatus) => entries.filter((e) => e.status === s).length;
  const summary: DriftSummary = {
    declared: desired.length,
    inSync: entries.filter((e) => e.status === 'in-sync' && !e.undeclared).length,
    missing: count('missing'),
    unmanaged: count('unmanaged'),
    changed: count('changed'),
    notChecked: count('not-checked'),
    ignoredChanges: entries.reduce((n, e) => n + (e.ignored?.length ?? 0), 0),
    ignoredUnmanaged: entries.filter((e) => e.undeclared).length,
    expiredIgnores: expiredIgnores.length,
    matchedByName: entries.filter((e) => e.matchedBy === 'name').length,
    coverage: desired.length === 0 ? 100 : Math.round((checked.length / desired.length) * 1000) / 10,
  };
  return {
    organizationId: inventory.organizationId,
    readAt: inventory.readAt,
    inSync: summary.missing + summary.unmanaged + summary.changed + summary.expiredIgnores === 0,
    summary,
    entries,
    expiredIgnores,
  };
}

/**
 * Per resource id, the state the diagram overlay shows. Not-checked resources are left out, and so
 * are accepted unmanaged ones: the diagram draws the file and its drift, and they are neither.
 */
export function driftStates(report: DriftReport): Record<string, 'in-sync' | 'changed' | 'missing' | 'unmanaged'> {
  const out: Record<string, 'in-sync' | 'changed' | 'missing' | 'unmanaged'> = {};
  for (const e of report.entries) if (e.status !== 'not-checked' && !e.undeclared) out[e.id] = e.status;
  return out;
}

/** One line per finding, for people and logs. */
export function describeEntry(e: DriftEntry): string {
  const fmt = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  switch (e.status) {
    case 'missing': return `${e.id}: missing (declared, not found in the account)`;
    case 'unmanaged': return `${e.id}: unmanaged ${e.kind} "${e.name}" (${e.scalewayId}): ${e.reason ?? ''}`;
    case 'changed': return `${e.id}: changed ${(e.changes ?? []).map((c) => `${c.field}: declared ${fmt(c.declared)}, live ${fmt(c.live)}`).join('; ')}`;
    case 'not-checked': return `${e.id}: not checked (${e.reason ?? ''})`;
    default:
      if (e.undeclared) return `${e.id}: ${e.kind} "${e.name}" (${e.scalewayId}) is not in the file, ignored: ${e.ignored?.[0]?.reason ?? ''}`;
      return `${e.id}: in sync${e.matchedBy === 'name' ? ' (matched by name: untagged)' : ''}`;
  }
}
