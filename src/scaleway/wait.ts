/*
 * Waiting for states, with the SDK's own lists of transient statuses (GATEWAY_TRANSIENT_STATUSES,
 * CLUSTER_TRANSIENT_STATUSES …). The per-product `waitForX` methods are not used as they are:
 * their back-off starts at one second (their strategy refuses less), which against the sandbox
 * (states settle in a few hundred ms) would triple apply's wall time, and `waitForResource` is
 * not re-exported by @scaleway/sdk. So this is the same loop with a strategy that starts at
 * `pollMs.min` and grows by half each poll up to `pollMs.max` (1 s … 30 s against the real API).
 */

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
  const deadline = Date.now() + (poll.timeoutMs ?? 30 * 60_000);
  let delay = poll.min;
  for (;;) {
    await sleep(delay);
    const v = await get();
    if (done(v)) return v;
    if (Date.now() + delay > deadline) throw new Error(`timed out after ${Math.round((poll.timeoutMs ?? 30 * 60_000) / 1000)} s waiting for a state`);
    delay = Math.min(poll.max, delay * 1.5);
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
  return (err as { status?: number } | undefined)?.status === 404;
}
