/*
 * Waiting for states, with the SDK's own lists of transient statuses (GATEWAY_TRANSIENT_STATUSES,
 * CLUSTER_TRANSIENT_STATUSES …). The per-product `waitForX` methods are not used as they are:
 * their back-off starts at one second (their strategy refuses less), which against the sandbox
 * (states settle in a few hundred ms) would triple apply's wall time, and `waitForResource` is
 * not re-exported by @scaleway/sdk.
 *
 * The pause between polls follows how long the wait has lasted: a tenth of the time waited so
 * far, within `pollMs.min` … `pollMs.max`. How long a state takes differs by kind and by a
 * thousand between the sandbox and Scaleway (a private network's gateway link settles in
 * seconds, a database in minutes), so a fixed schedule is either wasteful or late; a pause in
 * proportion to the wait is neither: whatever the kind, a resource is seen settled at most about
 * 10 % after it settled (plus one round trip), with a number of polls that grows only with the
 * logarithm of the wait. (A pause that grew by half at every poll, as before, overshot by up to
 * a third of the wait: 200 ms on a 600 ms cluster, four times along a project → network →
 * cluster → pool chain.)
 */
import { httpStatus } from '../core/errors';

/** The share of the time waited so far that the next pause lasts. */
const POLL_SHARE = 0.1;

/** The pause before the next poll, `waitedMs` into a wait. */
export function nextPollDelay(waitedMs: number, poll: Pick<PollOptions, 'min' | 'max'>): number {
  return Math.min(poll.max, Math.max(poll.min, Math.round(waitedMs * POLL_SHARE)));
}

export interface PollOptions {
  min: number;
  max: number;
  /** Give up after this long (ms); default 30 minutes (a Kapsule cluster can take 10). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `get` until `done` holds; returns the last value. */
export async function waitUntil<T>(get: () => Promise<T>, done: (value: T) => boolean, poll: PollOptions): Promise<T> {
  const started = Date.now();
  const deadline = started + (poll.timeoutMs ?? 30 * 60_000);
  let delay = poll.min;
  for (;;) {
    await sleep(delay);
    const v = await get();
    if (done(v)) return v;
    delay = nextPollDelay(Date.now() - started, poll);
    if (Date.now() + delay > deadline) throw new Error(`timed out after ${Math.round((poll.timeoutMs ?? 30 * 60_000) / 1000)} s waiting for a state`);
  }
}

/** Polls until the resource answers 404 (the real API sometimes sends 404s without a type: status is what counts). */
export async function waitGone(get: () => Promise<unknown>, poll: PollOptions): Promise<void> {
  await waitUntil(
    async () => {
      try {
        await get();
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    (gone) => gone,
    poll,
  );
}

export function isNotFound(err: unknown): boolean {
  return httpStatus(err) === 404;
}

interface Waiter<T> {
  id: string;
  done: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (err: unknown) => void;
  /** When it began to wait (the pause between polls follows the youngest waiter's wait). */
  since: number;
  deadline: number;
}

/**
 * Waits for many resources of one kind and place with one list request per poll instead of one
 * GET per resource: fifty gateways settling at once cost a list page per poll, not fifty GETs
 * (fewer requests against the rate limit, and a shorter apply).
 */
export class BatchWatcher<T extends { id: string }> {
  private readonly waiters = new Map<string, Waiter<T>[]>();
  private readonly running = new Set<string>();

  constructor(private readonly poll: PollOptions) {}

  /** Resolves with the item once `done` holds for it in a list that `list` returns. */
  wait(key: string, list: () => Promise<T[]>, id: string, done: (item: T) => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const ws = this.waiters.get(key) ?? [];
      const now = Date.now();
      ws.push({ id, done, resolve, reject, since: now, deadline: now + (this.poll.timeoutMs ?? 30 * 60_000) });
      this.waiters.set(key, ws);
      if (!this.running.has(key)) void this.loop(key, list);
    });
  }

  private async loop(key: string, list: () => Promise<T[]>): Promise<void> {
    this.running.add(key);
    let delay = this.poll.min;
    try {
      while ((this.waiters.get(key) ?? []).length > 0) {
        await sleep(delay);
        let items: T[];
        try {
          items = await list();
        } catch (err) {
          for (const w of this.waiters.get(key) ?? []) w.reject(err);
          this.waiters.delete(key);
          return;
        }
        const byId = new Map(items.map((i) => [i.id, i]));
        const now = Date.now();
        const left: Waiter<T>[] = [];
        let settled = false;
        for (const w of this.waiters.get(key) ?? []) {
          const item = byId.get(w.id);
          if (item && w.done(item)) {
            w.resolve(item);
            settled = true;
          } else if (now > w.deadline) {
            w.reject(new Error(`timed out waiting for ${w.id} to settle`));
          } else {
            left.push(w);
          }
        }
        // (waiters that joined while the list was in flight were pushed onto the same array: checked above)
        this.waiters.set(key, left);
        // something just settled: others of the same batch are likely close behind
        const youngest = Math.max(0, ...left.map((w) => w.since));
        delay = settled ? this.poll.min : nextPollDelay(Date.now() - youngest, this.poll);
      }
    } finally {
      this.running.delete(key);
    }
  }
}
