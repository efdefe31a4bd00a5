import { isNotFound } from '../wait';
import type { BatchWatcher, PollOptions } from '../wait';
import type { PlanOperation } from '../../core/plan';
import type { DesiredResource } from '../../core/state';
import type { ScalewayClients } from '../client';

/*
 * One writer per kind: create (tagged `lz:managed` + `lz:id=<id>`, then wait for a stable
 * state), update the fields that can change in place, delete (404 = already gone).
 *
 * `find` is what makes a create safe to repeat: before a retried create (a connection lost
 * during the POST, a resumed apply) the writer looks for the resource by its tag or natural key
 * and adopts it instead of creating a second one.
 *
 * Generated values (a database password, the initial revisions of a secret, an API key's
 * secret key) go straight from memory into Scaleway: never into a log line, an error, the
 * journal or the plan.
 */

/** What the executor knows about a resource: created in this run, or matched in the inventory. */
export interface Known {
  scalewayId: string;
  attrs: Record<string, unknown>;
}

export interface WriteContext {
  clients: ScalewayClients;
  organizationId: string;
  /** Declared resources by id (the writer reads its own and its dependencies'). */
  desired: ReadonlyMap<string, DesiredResource>;
  lookup(id: string): Known | undefined;
  poll: PollOptions;
  /** Shared by every operation of a run: one list request per poll for each kind and place. */
  watcher: BatchWatcher<{ id: string; status: string }>;
  /** Answers shared by the operations of a run (Kubernetes versions per region). */
  cache: Map<string, Promise<unknown>>;
}

export interface Writer {
  create(op: PlanOperation, ctx: WriteContext): Promise<Known>;
  update(op: PlanOperation, ctx: WriteContext): Promise<void>;
  delete(op: PlanOperation, ctx: WriteContext): Promise<void>;
  find(op: PlanOperation, ctx: WriteContext): Promise<Known | undefined>;
  /** After `find` adopted a resource that an interrupted create left half-done: finish its later steps. */
  complete?(op: PlanOperation, ctx: WriteContext, found: Known): Promise<void>;
}

/** A change this version cannot make in place (it needs a replacement). */
export class ImmutableFieldError extends Error {
  constructor(op: PlanOperation, fields: string[]) {
    super(`${op.id}: ${fields.join(', ')} cannot be changed in place; delete the resource (or rename it in the file) and apply again`);
    this.name = 'ImmutableFieldError';
  }
}

/*
 * Helpers every product's writer shares: what a plan operation says (declared fields, changed
 * fields, its dependencies) and what the run knows (the Scaleway id of a dependency).
 */

export const tagFilter = (id: string) => [`lz:id=${id}`];
/** The Scaleway id of a resource created or matched earlier in this run; fails when a dependency did not get there. */
export const need = (ctx: WriteContext, id: string): Known => {
  const k = ctx.lookup(id);
  if (!k) throw new Error(`${id} is not known yet (a dependency failed or was skipped)`);
  return k;
};
export const projectOf = (op: PlanOperation, ctx: WriteContext) => need(ctx, `${op.project}/project`).scalewayId;
export const depOf = (op: PlanOperation, ctx: WriteContext, kind: string) => ctx.desired.get(op.id)?.dependsOn.find((d) => d.split('/')[1] === kind);
export const changed = (op: PlanOperation, field: string) => op.changes?.some((c) => c.field === field) ?? false;
export const declared = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
export const zoneOf = (op: PlanOperation) => op.zone as never;
export const regionOf = (op: PlanOperation) => op.region as never;
export const immutable = (op: PlanOperation, fields: string[]) => {
  const bad = fields.filter((f) => changed(op, f));
  if (bad.length) throw new ImmutableFieldError(op, bad);
};
/** Runs a delete; a 404 means it is already gone. */
export async function gone(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
/** The tags an adoption sets (the plan computed them: the resource's own tags plus the lz ones). */
export const adoptTags = (op: PlanOperation): string[] | undefined => op.changes?.find((c) => c.field === 'tags')?.declared as string[] | undefined;

export const notTransient = <S extends string>(transient: readonly S[]) => (x: { status: S | string }) => !(transient as readonly string[]).includes(x.status);

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
