import { createHash } from 'node:crypto';
import { KIND_ORDER, lzTags, TAGGABLE_KINDS } from './desired';
import { acceptedUnmanaged, computeDrift, covers, datedIgnores, deletable, heldByAccepted, matchChecked, type DriftOptions, type FieldChange } from './drift';
import type { ResourceKind } from './model';
import type { DesiredResource, Inventory, LiveResource } from './state';

/*
 * The plan: the operations that turn the account into the file, ordered by dependencies, each
 * with a one-line summary, plus a hash of the operations and one of the inventory they were
 * computed from. `apply --plan` recomputes both and refuses a plan whose account moved on.
 * A plan never holds a secret: values are generated when apply runs, straight into Secret Manager.
 */

export type PlanAction = 'create' | 'update' | 'delete';

/** One step of the plan. */
export interface PlanOperation {
  action: PlanAction;
  /** Resource id (declared, or for deletes the live resource's id). */
  id: string;
  kind: ResourceKind;
  project: string;
  name: string;
  region?: string;
  zone?: string;
  /** The live resource an update or delete acts on. */
  scalewayId?: string;
  /** For creates: every declared field. */
  fields?: Record<string, unknown>;
  /** For updates: what changes. */
  changes?: FieldChange[];
  /** Ids of operations of this plan that must finish first. */
  after: string[];
  /** One line for people. */
  summary: string;
}

/** A declared resource the plan cannot act on, or an unmanaged one it leaves alone. */
export interface PlanNote {
  id: string;
  kind: ResourceKind;
  reason: string;
}

/** The plan as `plan --out` writes it and `apply --plan` reads it. */
export interface Plan {
  version: 1;
  organizationId: string;
  operations: PlanOperation[];
  /** Declared resources of kinds this version cannot read or write. */
  skipped: PlanNote[];
  /**
   * Unmanaged resources the plan never deletes: outside the declared projects, accepted by a
   * drift.ignore, or holding an accepted one (its parent).
   */
  leftAlone: PlanNote[];
  /** sha256 of organisation + operations (canonical JSON). */
  planHash: string;
  /** sha256 of the inventory's comparable content (no timestamps, no statuses). */
  inventoryHash: string;
}

/** JSON with sorted keys, so equal content hashes equally. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function inventoryHash(inventory: Inventory): string {
  const rows = inventory.resources
    .map((r) => ({ kind: r.kind, scalewayId: r.scalewayId, lzId: r.lzId ?? null, naturalId: r.naturalId, projectId: r.projectId, region: r.region ?? null, zone: r.zone ?? null, fields: r.fields, parentId: r.parentId ?? null, tags: [...r.tags].sort() }))
    .sort((a, b) => (a.kind + a.scalewayId < b.kind + b.scalewayId ? -1 : 1));
  return sha256(canonicalJson({ organizationId: inventory.organizationId, rows, notChecked: inventory.notChecked.map((n) => `${n.kind} ${n.region ?? ''}`).sort() }));
}

export function planHash(organizationId: string, operations: readonly PlanOperation[]): string {
  return sha256(canonicalJson({ organizationId, operations }));
}

const fmt = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function createSummary(d: DesiredResource): string {
  const f = d.fields;
  const where = d.zone ?? d.region;
  const detail: Record<string, () => string> = {
    'public-gateway': () => `${fmt(f.type)}${f.bastion ? `, bastion on ${fmt(f.bastionPort)}` : ''}`,
    'private-network': () => `subnet ${(f.subnets as string[]).join(', ')}`,
    cluster: () => `Kubernetes ${fmt(f.version)}, ${fmt(f.cni)}`,
    pool: () => `${fmt(f.size)} × ${fmt(f.nodeType)}${f.autoscaling ? ` (autoscale ${fmt(f.minSize)}–${fmt(f.maxSize)})` : ''}`,
    'load-balancer': () => fmt(f.type),
    'lb-frontend': () => `port ${fmt(f.inboundPort)}`,
    'lb-backend': () => `${fmt(f.forwardProtocol)} to port ${fmt(f.forwardPort)} of the ${String(f.servers).replace(/^nodes:/, '')} nodes`,
    'lb-certificate': () => `Let's Encrypt for ${[f.commonName, ...((f.subjectAlternativeNames as string[]) ?? [])].map(fmt).join(', ')}, on frontend ${fmt(f.frontend)}`,
    'key-replica': () => `copy of the key in ${d.region}, ${fmt(f.usage)}, rotation every ${Math.round(Number(f.rotationPeriod) / 86400)} d`,
    'secret-replica': () => `copy in ${d.region} of ${fmt(f.path)}, versions 1–${fmt(f.version)}${f.encryptionKey ? `, encrypted with its key's copy there` : ''}`,
    'lb-acl': () => `${fmt(f.action)} ${(f.match as string[]).join(', ')} at index ${fmt(f._index)}`,
    database: () => `${fmt(f.engine)} on ${fmt(f.nodeType)}${f.ha ? ', HA' : ''}, backups every ${fmt(f.backupEveryHours)} h kept ${fmt(f.backupRetentionDays)} d`,
    key: () => `${fmt(f.usage)}, rotation every ${Math.round(Number(f.rotationPeriod) / 86400)} d`,
    secret: () => `${fmt(f.path)}, ${fmt(f.type)}, version ${fmt(f.version)}${f.encryptionKey ? `, encrypted with ${fmt(f.encryptionKey)}` : ''}`,
    policy: () => `${(f.rules as unknown[]).length} rule(s)`,
    'api-key': () => `stored in ${fmt(f.storedIn)}`,
    bucket: () => `"${fmt(f._bucketName)}"${f.versioning ? ', versioning' : ''}${f.objectLock ? ', object lock' : ''}`,
    'velero-install': () => `Velero ${fmt(f.version)} writing to bucket ${fmt(f.bucket)} (${fmt(f.bucketRegion)}) with the S3 key in ${fmt(f.credentials)}`,
    'velero-schedule': () => `Velero "${fmt(f.schedule)}", kept ${Math.round(Number(f.ttl) / 86400)} d, to bucket ${fmt(f.bucket)}`,
    'backup-copy': () => `function and cron "${fmt(f.schedule)}", copies to ${fmt(f.toRegion)}`,
  };
  const extra = detail[d.kind]?.();
  return `create ${d.kind} ${d.id}${extra ? ` (${extra}${where && where !== 'global' ? `, ${where}` : ''})` : where && where !== 'global' ? ` (${where})` : ''}`;
}

/** What the plan may do beyond turning the account into the file. */
export interface PlanOptions extends DriftOptions {
  /**
   * Tag the untagged resources that were matched by name (`lz:managed`, `lz:id=`), so later runs
   * find them by tag: how a hand-built organisation is taken over. Off by default, so a plan of an
   * imported file shows no changes.
   */
  adopt?: boolean;
}

/** Computes the plan: creates and updates in dependency order, then deletes leaves first. */
export function buildPlan(desired: readonly DesiredResource[], inventory: Inventory, options: PlanOptions = {}): Plan {
  // one matching for the report and the plan's own steps (and, through readPlan, for apply)
  const m = options.matching ?? matchChecked(desired, inventory);
  const report = computeDrift(desired, inventory, { ...options, matching: m });
  const byId = new Map(desired.map((d) => [d.id, d]));
  const declaredProjects = new Set(desired.filter((d) => d.kind === 'project').map((d) => d.project));
  const ops: PlanOperation[] = [];
  const skipped: PlanNote[] = [];
  const leftAlone: PlanNote[] = [];

  for (const e of report.entries) {
    const d = byId.get(e.id);
    if (e.status === 'not-checked' && d) skipped.push({ id: d.id, kind: d.kind, reason: e.reason ?? 'not checked' });
    if (e.status === 'missing' && d) {
      ops.push({ action: 'create', id: d.id, kind: d.kind, project: d.project, name: d.name, region: d.region, ...(d.zone ? { zone: d.zone } : {}), fields: d.fields, after: [], summary: createSummary(d) });
    }
    if (e.status === 'changed' && d && e.changes) {
      ops.push({
        action: 'update', id: d.id, kind: d.kind, project: d.project, name: d.name, region: d.region, ...(d.zone ? { zone: d.zone } : {}), scalewayId: e.scalewayId, changes: e.changes, after: [],
        summary: `update ${d.kind} ${d.id}: ${e.changes.map((c) => `${c.field} ${fmt(c.live)} → ${fmt(c.declared)}`).join(', ')}`,
      });
    }
  }

  if (options.adopt) {
    for (const match of m.matches) {
      if (match.by !== 'name' || !TAGGABLE_KINDS.has(match.desired.kind)) continue;
      const d = match.desired;
      const change = { field: 'tags', declared: [...match.live.tags.filter((t) => !t.startsWith('lz:')), ...lzTags(d.id)], live: match.live.tags };
      const existing = ops.find((o) => o.action === 'update' && o.id === d.id);
      if (existing) {
        existing.changes = [...(existing.changes ?? []), change];
        existing.summary += ', and adopt it (lz tags)';
      } else {
        ops.push({
          action: 'update', id: d.id, kind: d.kind, project: d.project, name: d.name, region: d.region, ...(d.zone ? { zone: d.zone } : {}), scalewayId: match.live.scalewayId, changes: [change], after: [],
          summary: `adopt ${d.kind} ${d.id} ("${match.live.name}", matched by name): tag it lz:managed, lz:id=${d.id}`,
        });
      }
    }
  }

  // deletes: unmanaged resources the tool may remove; children go with a parent that is deleted.
  // What drift.ignore accepts is never touched, nor the parents it would go with.
  const accepted = acceptedUnmanaged(m.unmanaged, inventory, desired, datedIgnores(options));
  const holds = heldByAccepted(accepted, inventory);
  const deleting = new Map<string, LiveResource>();
  for (const l of m.unmanaged) {
    // a kind that could not be read (there) may have half-read parents and children: never delete them
    if (inventory.notChecked.some((n) => covers(n, l))) continue;
    const acceptance = accepted.get(l);
    const held = holds.get(l);
    if (acceptance) leftAlone.push({ id: l.lzId ?? l.naturalId, kind: l.kind, reason: `accepted by drift.ignore (${acceptance.via}: ${acceptance.ignore.reason}): never deleted` });
    else if (held && deletable(l, declaredProjects)) leftAlone.push({ id: l.lzId ?? l.naturalId, kind: l.kind, reason: `holds ${held}, which drift.ignore accepts: not deleted` });
    else if (deletable(l, declaredProjects)) deleting.set(l.scalewayId, l);
    else leftAlone.push({ id: l.lzId ?? l.naturalId, kind: l.kind, reason: l.kind === 'project' ? 'an undeclared project is never deleted' : 'outside the declared projects and not created by the tool' });
  }
  const cascades = (l: LiveResource) => ['pool', 'lb-backend', 'lb-frontend', 'lb-certificate', 'lb-acl'].includes(l.kind) && l.parentId !== undefined && deleting.has(l.parentId);
  const deletes = [...deleting.values()].filter((l) => !cascades(l));
  const rank = (k: ResourceKind) => KIND_ORDER.indexOf(k);
  for (const l of deletes) {
    const id = l.lzId ?? l.naturalId;
    ops.push({
      action: 'delete', id, kind: l.kind, project: l.projectName ?? '', name: l.name, ...(l.region ? { region: l.region } : {}), ...(l.zone ? { zone: l.zone } : {}), scalewayId: l.scalewayId, after: [],
      summary: `delete ${l.kind} ${id} ("${l.name}", ${l.scalewayId})${l.tags.includes('lz:managed') ? ': created by the tool, no longer declared' : ': not declared in the file'}`,
    });
  }

  // dependencies between operations of this plan
  const opIds = new Set(ops.filter((o) => o.action !== 'delete').map((o) => o.id));
  for (const o of ops) {
    if (o.action !== 'delete') {
      o.after = (byId.get(o.id)?.dependsOn ?? []).filter((x) => opIds.has(x));
    } else {
      // a resource is deleted after the resources that may use it: later kinds in the same project
      o.after = ops.filter((x) => x.action === 'delete' && x !== o && x.project === o.project && rank(x.kind) > rank(o.kind)).map((x) => x.id);
    }
  }
  const ordered = topoSort(ops);
  return {
    version: 1,
    organizationId: inventory.organizationId,
    operations: ordered,
    skipped: skipped.sort((a, b) => a.id.localeCompare(b.id)),
    leftAlone: leftAlone.sort((a, b) => a.id.localeCompare(b.id)),
    planHash: planHash(inventory.organizationId, ordered),
    inventoryHash: inventoryHash(inventory),
  };
}

/** Creates and updates first (dependencies before dependents), then deletes; ties by kind order and id. */
function topoSort(ops: PlanOperation[]): PlanOperation[] {
  const rank = (o: PlanOperation) => (o.action === 'delete' ? 1000 - KIND_ORDER.indexOf(o.kind) : KIND_ORDER.indexOf(o.kind));
  const key = (o: PlanOperation) => `${o.action === 'delete' ? 'd' : 'c'} ${o.id}`;
  const pending = [...ops].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  const done = new Set<string>();
  const out: PlanOperation[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((o) => o.after.every((a) => done.has(`${o.action === 'delete' ? 'd' : 'c'} ${a}`)));
    // a cycle cannot come from the model (references are checked); take the first to make progress
    const [next] = pending.splice(i < 0 ? 0 : i, 1);
    out.push(next!);
    done.add(key(next!));
  }
  return out;
}
