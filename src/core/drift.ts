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
const EXISTS_FIELD = 'exists';

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
  /** Not checked, and its kind is one the run accepts unread (`--accept-not-checked`). */
  accepted?: boolean;
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
  /** Not-checked declared resources whose kind the run accepts unread (also counted in notChecked). */
  notCheckedAccepted: number;
  /** Live resources Scaleway created and owns (managed IAM, the default project): neither declared nor drift. */
  scalewayManaged: number;
}

/**
 * The one-word outcome. `in-sync`: everything was read and matches. `drift`: something differs
 * (whatever could or could not be read besides). `not-checked`: nothing differs in what was read,
 * but a kind could not be read: the comparison is incomplete, which is not "in sync".
 * `accepted-not-checked`: as `not-checked`, but every unread kind is one the run accepts.
 */
export type DriftVerdict = 'in-sync' | 'drift' | 'not-checked' | 'accepted-not-checked';

/** A kind (in a region, or everywhere) that could not be read, with what it hides. */
export interface UnreadKind extends NotChecked {
  /** Declared resources it leaves unchecked. */
  declared: number;
  /** The file's projects those resources belong to (`iam` for IAM). */
  projects: string[];
  /** The run accepts this kind unread. */
  accepted: boolean;
}

/** A live resource left out because Scaleway owns it. */
export interface ScalewayManagedEntry {
  kind: ResourceKind;
  name: string;
  scalewayId: string;
  why: string;
}

/** The outcome of comparing the file with the account. */
export interface DriftReport {
  organizationId: string;
  readAt: string;
  /** True only when every kind was read and nothing differs (see `verdict`). */
  inSync: boolean;
  verdict: DriftVerdict;
  /**
   * What could not be read: every failed read, and the kinds this version never reads when the
   * file declares some. Sorted by kind, then region.
   */
  notChecked: UnreadKind[];
  scalewayManaged: ScalewayManagedEntry[];
  summary: DriftSummary;
  entries: DriftEntry[];
  expiredIgnores: ExpiredIgnore[];
}

export interface DriftOptions {
  ignores?: DriftIgnore[];
  now?: Date;
  /** Kinds the caller accepts unread (`--accept-not-checked`): listed, but they do not fail the verdict. */
  acceptNotChecked?: readonly ResourceKind[];
  /** The matching of this inventory (matchChecked) when the caller has it: a plan and its apply match once. */
  matching?: Matching;
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

/** The matching drift, plan and apply share: the declared resources that could be checked, against the inventory. */
export function matchChecked(desired: readonly DesiredResource[], inventory: Inventory): Matching {
  return matchResources(desired.filter((d) => notCheckedReason(inventory.notChecked, d) === undefined), inventory);
}

/** Pairs declared and live resources: by `lz:id` tag first, then untagged ones by their natural id. */
function matchResources(desired: readonly DesiredResource[], inventory: Inventory): Matching {
  const byTag = new Map<string, LiveResource>();
  const byNatural = new Map<string, LiveResource>();
  for (const l of inventory.resources) {
    // Scaleway's own resources are never the file's (the default project excepted: a file may use it)
    if (l.scalewayManaged && l.kind !== 'project') continue;
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
    // Scaleway's own (managed IAM, the default project that cannot be deleted): not drift
    if (l.scalewayManaged) return false;
    if (l.kind === 'api-key' && l.lzId && matchedKeys.has(l.lzId)) {
      retiring.push(l);
      return false;
    }
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
function compareFields(d: DesiredResource, live: LiveResource): FieldChange[] {
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
  if (l.scalewayManaged) return false;
  if (l.tags.includes('lz:managed')) return true;
  if (l.kind === 'project' || l.kind === 'application' || l.kind === 'policy' || l.kind === 'api-key') return false;
  return declaredProjects.has(l.projectName ?? '');
}

/** A declared resource (`project`: its landing-zone project) or a live one (`projectId`). */
type Place = { kind: ResourceKind; region?: string; zone?: string; project?: string; projectId?: string; id?: string; lzId?: string; naturalId?: string };

/** True when the failed read `n` covers the resource (its kind, everywhere or in its region, in every project or in its own). */
export const covers = (n: NotChecked, r: Place) =>
  n.kind === r.kind && (!n.region || n.region === r.region || (r.zone !== undefined && r.zone.startsWith(`${n.region}-`)))
  && (n.project === undefined || (r.project !== undefined ? r.project === n.project : r.projectId !== undefined && r.projectId === n.projectId))
  && (n.id === undefined || n.id === (r.id ?? r.lzId ?? r.naturalId));

/** Why a declared resource could not be compared (its kind, or its kind in its region or project, was not read). */
function notCheckedReason(notChecked: readonly NotChecked[], r: Place): string | undefined {
  const hit = notChecked.find((n) => covers(n, r));
  if (!hit) return undefined;
  const where = [hit.region, hit.project !== undefined ? `project ${hit.project}` : undefined].filter(Boolean).join(', ');
  return where ? `${where}: ${hit.reason}` : hit.reason;
}

/** A kind is accepted unread when named, and so is what is unread only because a named kind is. */
const isAccepted = (n: NotChecked, accept: readonly ResourceKind[]) => accept.includes(n.kind) || (n.cause === 'depends' && n.dependsOn !== undefined && accept.includes(n.dependsOn));

/**
 * The unread kinds that matter to this file: every failed read (it may hide declared and
 * unmanaged resources alike), and a kind this version never reads only when the file declares it.
 */
export function unreadKinds(desired: readonly DesiredResource[], notChecked: readonly NotChecked[], accept: readonly ResourceKind[] = []): UnreadKind[] {
  const out: UnreadKind[] = [];
  for (const n of notChecked) {
    const hit = desired.filter((d) => covers(n, d));
    if (n.cause === 'not-read' && hit.length === 0) continue;
    out.push({ ...n, declared: hit.length, projects: [...new Set(hit.map((d) => d.project))].sort(), accepted: isAccepted(n, accept) });
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || (a.region ?? '').localeCompare(b.region ?? ''));
}

/** True when a kind could not be read anywhere (so no live resource of it can be called unmanaged). */
function kindUnread(notChecked: readonly NotChecked[], kind: ResourceKind): boolean {
  return notChecked.some((n) => n.kind === kind && !n.region && n.project === undefined && n.id === undefined);
}

export function computeDrift(desired: readonly DesiredResource[], inventory: Inventory, options: DriftOptions = {}): DriftReport {
  const ignores = datedIgnores(options);

  const declaredProjects = new Set(desired.filter((d) => d.kind === 'project').map((d) => d.project));
  const entries: DriftEntry[] = [];

  const accept = options.acceptNotChecked ?? [];
  const checked = desired.filter((d) => notCheckedReason(inventory.notChecked, d) === undefined);
  for (const d of desired) {
    const reason = notCheckedReason(inventory.notChecked, d);
    const n = inventory.notChecked.find((x) => covers(x, d));
    if (reason !== undefined) entries.push({ id: d.id, kind: d.kind, project: d.project, name: d.name, status: 'not-checked', reason, ...(n && isAccepted(n, accept) ? { accepted: true } : {}), path: d.path });
  }
  const m = options.matching ?? matchResources(checked, inventory);
  for (const d of m.missing) entries.push({ id: d.id, kind: d.kind, project: d.project, name: d.name, status: 'missing', path: d.path, ...(ADVICE[d.kind] ? { reason: ADVICE[d.kind] } : {}) });
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
    // Velero that is there but not working says why and what to do (its health field is the reason)
    const health = changes.find((c) => c.field === 'health' && typeof c.live === 'string');
    if (d.kind === 'velero-install' && health) entry.reason = String(health.live);
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
    // where its kind could not be read, its declared twin is not checked: this one is not unmanaged
    if (kindUnread(inventory.notChecked, l.kind) || inventory.notChecked.some((n) => covers(n, l))) continue;
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
    notCheckedAccepted: entries.filter((e) => e.status === 'not-checked' && e.accepted).length,
    scalewayManaged: 0,
  };
  const matched = new Set(m.matches.map((x) => x.live));
  const scalewayManaged: ScalewayManagedEntry[] = inventory.resources.filter((l) => l.scalewayManaged && !matched.has(l) && !kindUnread(inventory.notChecked, l.kind))
    .map((l) => ({ kind: l.kind, name: l.name, scalewayId: l.scalewayId, why: l.scalewayManaged! }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.scalewayId.localeCompare(b.scalewayId));
  summary.scalewayManaged = scalewayManaged.length;
  const notChecked = unreadKinds(desired, inventory.notChecked, accept);
  const differs = summary.missing + summary.unmanaged + summary.changed + summary.expiredIgnores > 0;
  const verdict: DriftVerdict = differs ? 'drift'
    : notChecked.some((n) => !n.accepted) ? 'not-checked'
      : notChecked.length > 0 ? 'accepted-not-checked' : 'in-sync';
  return {
    organizationId: inventory.organizationId,
    readAt: inventory.readAt,
    inSync: verdict === 'in-sync',
    verdict,
    notChecked,
    scalewayManaged,
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

/** What to do about a kind that could not be read: the permission to grant, or how to accept it. */
export function fixFor(n: UnreadKind): string {
  const accept = `or accept it unread: --accept-not-checked ${n.kind}`;
  switch (n.cause) {
    case 'depends': return n.dependsOn ? `make ${n.dependsOn} readable (see its line); accepting ${n.dependsOn} unread accepts this too` : 'make the kind it depends on readable first';
    case 'not-read': return `this version cannot read it: check it by hand, then accept it: --accept-not-checked ${n.kind}`;
    case 'denied': {
      const sets = n.needs ?? [];
      const on = n.scope === 'organization' ? 'on the organisation' : n.project !== undefined ? `on project ${n.project}` : 'on the projects to read';
      const grant = sets.length ? `grant these credentials ${sets[0]}${sets.length > 1 ? ` (or ${sets.slice(1).join(' or ')})` : ''} ${on}` : 'grant these credentials read access to it';
      return `${grant}, ${accept}`;
    }
    default:
      return n.status === undefined || n.status >= 500 || n.status === 429 ? `run again (an error of Scaleway or of the network), ${accept}` : `see Scaleway's answer above, ${accept}`;
  }
}

/**
 * The same failure of one kind in several regions, as one: for people (JSON keeps one entry per
 * region). Root causes first (denied, failed), then what this version does not read, then what
 * depends on another kind.
 */
export function groupUnread(list: readonly UnreadKind[]): (UnreadKind & { regions?: string[] })[] {
  const groups = new Map<string, UnreadKind & { regions?: string[] }>();
  for (const n of list) {
    const key = [n.kind, n.cause, n.status, n.scalewayMessage ?? n.reason, n.accepted, n.project].join('|');
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ...n, ...(n.region ? { regions: [n.region] } : {}) });
      continue;
    }
    g.declared += n.declared;
    g.projects = [...new Set([...g.projects, ...n.projects])].sort();
    if (n.region) g.regions = [...(g.regions ?? []), n.region];
  }
  const rank = { denied: 0, failed: 1, 'not-read': 2, depends: 3 };
  return [...groups.values()].sort((a, b) => rank[a.cause ?? 'failed'] - rank[b.cause ?? 'failed'] || a.kind.localeCompare(b.kind));
}

/** One line about an unread kind: what, where, how much of the file, why. */
export function describeUnread(n: UnreadKind & { regions?: string[] }, against: 'file' | 'account' = 'file'): string {
  const regions = n.regions ?? (n.region ? [n.region] : []);
  const where = `${regions.length ? ` in ${regions.join(', ')}` : ''}${n.project !== undefined ? ` in project ${n.project}` : ''}`;
  const what = against === 'account' ? '' : n.declared ? ` (${n.declared} declared${n.projects.length ? ` in ${n.projects.join(', ')}` : ''})` : ' (none declared; unmanaged ones would go unseen)';
  const why = n.cause === 'denied' ? `permission denied: Scaleway answered ${n.status ?? 403} ${n.scalewayMessage ?? ''}`.trimEnd()
    : n.cause === 'depends' ? n.reason
      : n.cause === 'not-read' ? `not read by this version: ${n.reason}`
        : n.status !== undefined ? `Scaleway answered ${n.status} ${n.scalewayMessage ?? ''}`.trimEnd() : n.reason;
  return `${n.kind}${where}${what}: ${why}`;
}

/** What to do about a missing resource of these kinds, beyond "apply creates it". */
const ADVICE: Partial<Record<ResourceKind, string>> = {
  'velero-install': 'Velero is not installed in this cluster: nothing backs it up and a restore cannot run there; landing-zone apply installs it (CRDs, server, storage location, S3 key from the vault)',
};

/** One line per finding, for people and logs. */
export function describeEntry(e: DriftEntry): string {
  const fmt = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  switch (e.status) {
    case 'missing': return `${e.id}: missing (declared, not found in the account)${e.reason ? `: ${e.reason}` : ''}`;
    case 'unmanaged': return `${e.id}: unmanaged ${e.kind} "${e.name}" (${e.scalewayId}): ${e.reason ?? ''}`;
    case 'changed': return `${e.id}: changed ${(e.changes ?? []).map((c) => `${c.field}: declared ${fmt(c.declared)}, live ${fmt(c.live)}`).join('; ')}`;
    case 'not-checked': return `${e.id}: not checked${e.accepted ? ', accepted' : ''} (${e.reason ?? ''})`;
    default:
      if (e.undeclared) return `${e.id}: ${e.kind} "${e.name}" (${e.scalewayId}) is not in the file, ignored: ${e.ignored?.[0]?.reason ?? ''}`;
      return `${e.id}: in sync${e.matchedBy === 'name' ? ' (matched by name: untagged)' : ''}`;
  }
}
