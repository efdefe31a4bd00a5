import { CancelledError, OperationError } from '../../core/errors';
import type { ScalewayClients } from '../client';

/** Everything an operation needs from its caller: clients, the clock, cancellation and progress. */
export interface OperationContext {
  /** Clients that may write (undefined in a dry run: the read-only ones are all it gets). */
  write?: ScalewayClients;
  read: ScalewayClients;
  /** Aborted on SIGINT: the operation stops between requests and leaves its journal resumable. */
  signal: AbortSignal;
  /** One progress line (the CLI writes it to stderr). Never a secret. */
  progress(line: string): void;
  now(): Date;
}

// one error model across bundles: matched by name (isCancelled), never by instanceof
export { CancelledError, OperationError } from '../../core/errors';

export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

/** Sleeps, but wakes up (and throws) on cancellation. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  checkCancelled(signal);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls `read` until `done`, with the client's poll interval, up to `timeoutMs`. */
export async function waitFor<T>(ctx: OperationContext, what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30 * 60_000): Promise<T> {
  const start = Date.now();
  let delay = ctx.read.pollMs.min;
  for (;;) {
    checkCancelled(ctx.signal);
    const v = await read();
    if (done(v)) return v;
    if (Date.now() - start > timeoutMs) throw new OperationError(`timed out waiting for ${what}`);
    await sleep(delay, ctx.signal);
    delay = Math.min(ctx.read.pollMs.max, Math.ceil(delay * 1.5));
  }
}
