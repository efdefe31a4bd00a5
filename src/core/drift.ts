import { TAGGABLE_KINDS } from './desired';
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

/** A difference the file accepts (drift.ignore), shown but not counted as drift. */
export interface IgnoredChange extends FieldChange {
  reason: string;
}

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
  /** Not checked: why; unmanaged: what the plan will do about it. */
  reason?: string;
  /** Unmanaged but tagged `lz:managed`: the tool created it and the file no longer declares it. */
  managed?: boolean;
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
  inSync: number;
  missing: number;
  unmanaged: number;
  changed: number;
  notChecked: number;
  ignoredChanges: number;
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
}

/** Pairs declared and live resources: by `lz:id` tag first, then untagged ones by their natural id. */
export function matchResources(desired: readonly DesiredResource[], inventory: Inventory): Matching {
  const byTag = new Map<string, LiveResource>();
  const byNatural = new Map<string, LiveResource>();
  for (const l of inventory.resources) {
    if (l.lzId) {
      if (!byTag.has(`${l.kind} ${l.lzId}`)) byTag.set(`${l.kind} ${l.lzId}`, l);
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
  const unmanaged = inventory.resources.filter((l) => {
    if (used.has(l)) return false;
    // every organisation has a default project that cannot be deleted: it is not drift
    if (l.kind === 'project' && l.attrs?.isDefault) return false;
    // a gateway created without a reserved IP gets one from Scaleway: it belongs to (and goes with) the gateway
    if (l.kind === 'gateway-ip' && !l.lzId && l.parentId && gateways.has(l.parentId)) return false;
    return true;
  });
  return { matches, missing, unmanaged };
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x);

/** Declared fields that the live resource reports and that differ. Fields the API does not report are not compared. */
export function compareFields(d: DesiredResource, live: LiveResource): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, declared] of Object.entries(d.fields)) {
    if (field.startsWith('_') || !(field in live.fields)) continue;
    const value = live.fields[field];
    // a secret's pinned version only has to exist: later revisions are rotations, not drift
    if (d.kind === 'secret' && field === 'version' && typeof value === 'number' && typeof declared === 'number') {
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
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const ignores = (options.ignores ?? []).map((ignore, index) => ({ ignore, index, expired: Boolean(ignore.expires && ignore.expires < today) }));

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
  for (const l of m.unmanaged) {
    if (kindUnread(inventory.notChecked, l.kind)) continue;
    const managed = l.tags.includes('lz:managed');
    const entry: DriftEntry = {
      id: l.lzId ?? l.naturalId, kind: l.kind, project: (l.lzId ?? l.naturalId).split('/')[0]!, name: l.name, status: 'unmanaged', scalewayId: l.scalewayId,
      reason: deletable(l, declaredProjects) ? 'not in the file: the plan deletes it (needs --allow-delete)' : 'not in the file, outside the declared projects: left alone',
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
    inSync: count('in-sync'),
    missing: count('missing'),
    unmanaged: count('unmanaged'),
    changed: count('changed'),
    notChecked: count('not-checked'),
    ignoredChanges: entries.reduce((n, e) => n + (e.ignored?.length ?? 0), 0),
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

/** Per resource id, the state the diagram overlay shows (not-checked resources are left out). */
export function driftStates(report: DriftReport): Record<string, 'in-sync' | 'changed' | 'missing' | 'unmanaged'> {
  const out: Record<string, 'in-sync' | 'changed' | 'missing' | 'unmanaged'> = {};
  for (const e of report.entries) if (e.status !== 'not-checked') out[e.id] = e.status;
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
    default: return `${e.id}: in sync${e.matchedBy === 'name' ? ' (matched by name: untagged)' : ''}`;
  }
}
