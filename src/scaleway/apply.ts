import { httpStatus } from '../core/errors';
import { redact } from '../core/redact';
import { matchChecked, type Matching } from '../core/drift';
import type { Plan, PlanOperation } from '../core/plan';
import type { DesiredResource, Inventory } from '../core/state';
import type { ScalewayClients } from './client';
import { ConnectionLostError } from './http';
import type { Journal } from './journal';
import { BatchWatcher } from './wait';
import { WRITERS } from './writers/by-kind';
import type { Known, WriteContext } from './writers/writer';

/*
 * Carries out a plan: every operation starts as soon as the operations it waits for are done,
 * at most `concurrency` at a time. Each operation is journalled before and after (journal.ts's
 * group commit: lines of operations that start or finish together share one fsync); a transient
 * failure that outlived the HTTP layer's retries is retried here, and a create that may have
 * reached the server (connection lost during the POST) first looks for what it may have made.
 * An abort (Ctrl-C) starts nothing new and lets running operations finish, so the journal and the
 * account agree when the process exits.
 */

export type ApplyEvent =
  | { type: 'start'; op: PlanOperation; index: number; total: number }
  | { type: 'done'; op: PlanOperation; index: number; total: number; ms: number }
  | { type: 'retry'; op: PlanOperation; attempt: number; error: string }
  | { type: 'failed'; op: PlanOperation; error: string }
  | { type: 'skipped'; op: PlanOperation; reason: string };

export interface ApplyOptions {
  plan: Plan;
  desired: readonly DesiredResource[];
  /** The inventory the plan was computed from: ids of resources that already exist. */
  inventory: Inventory;
  /** The plan's matching of that inventory (readPlan returns it): apply does not match again. */
  matching?: Matching;
  /** Write clients. */
  clients: ScalewayClients;
  journal?: Journal;
  /** Operations in flight at most (default 8). */
  concurrency?: number;
  /** Attempts per operation beyond the HTTP layer's retries (default 4). */
  attempts?: number;
  signal?: AbortSignal;
  onEvent?: (e: ApplyEvent) => void;
}

export interface ApplyResult {
  status: 'completed' | 'failed' | 'interrupted';
  done: string[];
  failed: { id: string; action: string; error: string }[];
  /** Not started: after an abort, or because an operation they wait for failed. */
  notRun: string[];
}

const keyOf = (o: Pick<PlanOperation, 'action' | 'id'>) => `${o.action} ${o.id}`;

function transient(err: unknown): boolean {
  if (err instanceof ConnectionLostError) return true;
  const status = httpStatus(err);
  return status === 409 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** An error message safe to print and journal: the SDK's message, one line, bounded. */
function message(err: unknown): string {
  const text = redact(err instanceof Error ? err.message : String(err));
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

export async function executePlan(options: ApplyOptions): Promise<ApplyResult> {
  const { plan, clients, journal } = options;
  const ops = plan.operations;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const attempts = Math.max(1, options.attempts ?? 4);
  const desired = new Map(options.desired.map((d) => [d.id, d]));
  const known = new Map<string, Known>();
  for (const m of (options.matching ?? matchChecked(options.desired, options.inventory)).matches) known.set(m.desired.id, { scalewayId: m.live.scalewayId, attrs: { ...(m.live.attrs ?? {}) } });
  // live projects the file does not declare: deleting a bucket in one needs its id (S3 acts in a named project)
  for (const l of options.inventory.resources) if (l.kind === 'project' && !known.has(`${l.name}/project`)) known.set(`${l.name}/project`, { scalewayId: l.scalewayId, attrs: {} });
  const poll = { ...clients.pollMs, signal: options.signal };
  const ctx: WriteContext = { clients, organizationId: plan.organizationId, desired, lookup: (id) => known.get(id), poll, watcher: new BatchWatcher(poll), cache: new Map() };

  // dependencies as operation keys: creates/updates wait for creates/updates, deletes for deletes
  const nonDelete = new Map(ops.filter((o) => o.action !== 'delete').map((o) => [o.id, keyOf(o)]));
  const allKeys = new Set(ops.map(keyOf));
  const deps = new Map(ops.map((o) => [keyOf(o), o.after.map((a) => (o.action === 'delete' ? `delete ${a}` : nonDelete.get(a))).filter((x): x is string => x !== undefined && allKeys.has(x))]));
  const state = new Map<string, 'pending' | 'running' | 'done' | 'failed' | 'skipped'>(ops.map((o) => [keyOf(o), 'pending']));

  // critical path first: among ready operations, start those with the longest chain of waits
  // behind them (a gateway before a key), and send their requests first when requests queue for
  // an HTTP slot. The weights are how long each kind takes relative to a plain call, as the real
  // API shows (a Kapsule cluster or a database takes minutes, a gateway or a load balancer about
  // one, a key a single call): a pool at the end of a cluster's chain still outranks an ACL.
  const weight: Partial<Record<PlanOperation['kind'], number>> = { cluster: 15, pool: 10, database: 15, 'public-gateway': 10, 'load-balancer': 10, 'gateway-network': 7 };
  const dependents = new Map<string, string[]>();
  for (const [k, ds] of deps) {
    for (const d of ds) {
      const list = dependents.get(d);
      if (list) list.push(k);
      else dependents.set(d, [k]);
    }
  }
  const height = new Map<string, number>();
  for (const o of [...ops].reverse()) {
    const k = keyOf(o);
    height.set(k, (weight[o.kind] ?? 1) + Math.max(0, ...(dependents.get(k) ?? []).map((d) => height.get(d) ?? 0)));
  }
  const byKey = new Map(ops.map((o) => [keyOf(o), o]));
  const result: ApplyResult = { status: 'completed', done: [], failed: [], notRun: [] };
  const running = new Set<Promise<void>>();
  let started = 0;

  await journal?.append({ event: 'run-start', operation: 'apply', target: plan.organizationId, planHash: plan.planHash, organizationId: plan.organizationId, operations: ops.length, profile: clients.profile.name });

  // each operation's requests are served at its height when they queue for an HTTP slot: one
  // view of the clients per height (client.ts), shared by the operations of that height
  const contexts = new Map<number, WriteContext>();
  const contextAt = (priority: number): WriteContext => {
    let c = contexts.get(priority);
    if (!c) {
      c = { ...ctx, clients: clients.at(priority) };
      contexts.set(priority, c);
    }
    return c;
  };

  const runOne = async (op: PlanOperation, ctx: WriteContext): Promise<void> => {
    const key = keyOf(op);
    const index = ++started;
    const t0 = Date.now();
    options.onEvent?.({ type: 'start', op, index, total: ops.length });
    const writer = WRITERS[op.kind];
    try {
      // on disk before its first request (a journal that cannot be written fails the operation, unsent)
      await journal?.append({ event: 'op-start', id: op.id, action: op.action, kind: op.kind });
      if (!writer) throw new Error(`no writer for ${op.kind}`);
      let scalewayId = op.scalewayId;
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (op.action === 'create') {
            // a retried create first looks for what the previous attempt may have made
            const found = attempt > 1 ? await writer.find(op, ctx) : undefined;
            if (found) await writer.complete?.(op, ctx, found);
            const k = found ?? await writer.create(op, ctx);
            known.set(op.id, k);
            scalewayId = k.scalewayId;
          } else if (op.action === 'update') {
            await writer.update(op, ctx);
          } else {
            await writer.delete(op, ctx);
          }
          break;
        } catch (err) {
          if (attempt >= attempts || !transient(err) || options.signal?.aborted) throw err;
          options.onEvent?.({ type: 'retry', op, attempt, error: message(err) });
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        }
      }
      await journal?.append({ event: 'op-done', id: op.id, action: op.action, kind: op.kind, ...(scalewayId ? { scalewayId } : {}) });
      state.set(key, 'done');
      result.done.push(key);
      options.onEvent?.({ type: 'done', op, index, total: ops.length, ms: Date.now() - t0 });
    } catch (err) {
      state.set(key, 'failed');
      result.failed.push({ id: op.id, action: op.action, error: message(err) });
      await journal?.append({ event: 'op-failed', id: op.id, action: op.action, kind: op.kind, error: message(err) }).catch(() => undefined);
      options.onEvent?.({ type: 'failed', op, error: message(err) });
    }
  };

  // event-driven: each finished operation releases its dependents; nothing rescans the plan
  const waiting = new Map(ops.map((o) => [keyOf(o), (deps.get(keyOf(o)) ?? []).length]));
  const ready: PlanOperation[] = ops.filter((o) => waiting.get(keyOf(o)) === 0);
  // sorted by height when operations were added since the last start (a sort per wake, with a
  // key string made per comparison, was 50 ms of a 1,000-operation apply)
  const heightOf = new Map(ops.map((o) => [o, height.get(keyOf(o)) ?? 0]));
  let unsorted = true;
  let wake: () => void = () => {};
  const skipFrom = (failedKey: string) => {
    const queue = [...(dependents.get(failedKey) ?? [])];
    while (queue.length > 0) {
      const k = queue.shift()!;
      if (state.get(k) !== 'pending') continue;
      state.set(k, 'skipped');
      const op = byKey.get(k)!;
      options.onEvent?.({ type: 'skipped', op, reason: `${failedKey} did not complete` });
      queue.push(...(dependents.get(k) ?? []));
    }
  };
  const finished = (op: PlanOperation) => {
    const k = keyOf(op);
    if (state.get(k) === 'done') {
      for (const d of dependents.get(k) ?? []) {
        const left = (waiting.get(d) ?? 1) - 1;
        waiting.set(d, left);
        if (left === 0 && state.get(d) === 'pending') {
          ready.push(byKey.get(d)!);
          unsorted = true;
        }
      }
    } else {
      skipFrom(k);
    }
    wake();
  };
  for (;;) {
    const woken = new Promise<void>((r) => { wake = r; });
    if (!options.signal?.aborted && ready.length > 0 && running.size < concurrency) {
      if (unsorted) ready.sort((a, b) => heightOf.get(b)! - heightOf.get(a)!);
      unsorted = false;
      while (ready.length > 0 && running.size < concurrency) {
        const op = ready.shift()!;
        if (state.get(keyOf(op)) !== 'pending') continue;
        state.set(keyOf(op), 'running');
        const p: Promise<void> = runOne(op, contextAt(heightOf.get(op)!)).finally(() => {
          running.delete(p);
          finished(op);
        });
        running.add(p);
      }
    }
    if (running.size === 0) break;
    await woken;
  }

  for (const op of ops) {
    const s = state.get(keyOf(op));
    if (s === 'pending' || s === 'skipped') result.notRun.push(keyOf(op));
  }
  result.status = options.signal?.aborted && result.notRun.length > 0 ? 'interrupted' : result.failed.length > 0 || result.notRun.length > 0 ? 'failed' : 'completed';
  await journal?.append({ event: 'run-end', status: result.status, done: result.done.length, failed: result.failed.length });
  return result;
}
