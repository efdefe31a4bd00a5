/*
 * The HTTP layer under every SDK client: a fetch wrapper that the SDK calls as its
 * `httpClient`. It does three things the SDK does not:
 *
 * - retries what is transient — 429 (Scaleway's Envoy sends it with an empty body and no
 *   Retry-After), 502/503/504, 409 `transient_state`, and connection resets — with bounded
 *   exponential backoff and full jitter;
 * - bounds the number of requests in flight (a semaphore), so parallel readers and the apply
 *   executor never flood the API;
 * - refuses every non-GET request on a read-only client before it leaves the process.
 *
 * Why a fetch wrapper and not an SDK response-error interceptor: an interceptor runs after the
 * request body was consumed and after the SDK's parser, so it cannot send the request again.
 *
 * A reset on a POST is not retried here: the server may have created the resource before the
 * connection dropped. It surfaces as ConnectionLostError and the writer decides (it looks the
 * resource up by its tag before creating again).
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { nodeTransport, type Transport } from './transport';

/*
 * Priority of requests: when requests queue for a slot, the highest goes first. It travels with
 * the fetch (`LimitedFetch.at(n)`, and ScalewayClients.at(n) over it), not in an
 * AsyncLocalStorage: a store that is run once turns on Node's promise hooks for the rest of the
 * process, a cost on every promise (0.15 s of a cold 50-project apply's CPU). Readers give
 * priority to lists that others wait on (a load balancer's frontends before a cluster's pools,
 * because the frontends' ACLs are listed after them); apply gives each operation its place on
 * the critical path.
 */

/**
 * A guard on every write made inside `withWriteGuard(guard, fn)`: it returns why a non-GET request
 * to that path must not be sent (a restore never writes into the failed zone or region), or undefined.
 */
export type WriteGuard = (method: string, path: string) => string | undefined;
const writeGuard = new AsyncLocalStorage<WriteGuard>();

export function withWriteGuard<T>(guard: WriteGuard, fn: () => Promise<T>): Promise<T> {
  return writeGuard.run(guard, fn);
}

/** A write the current operation refused to send (see withWriteGuard). */
class RefusedWriteError extends Error {
  readonly code = 'LZ_REFUSED_WRITE';
  constructor(method: string, path: string, why: string) {
    super(`refused ${method} ${path}: ${why}`);
    this.name = 'RefusedWriteError';
  }
}

/** Counters that tests and benchmarks read. */
export interface HttpStats {
  requests: number;
  retries: number;
  /** Requests by final HTTP status (0 = connection lost). */
  byStatus: Record<number, number>;
  /** Highest number of requests in flight at once. */
  peakInFlight: number;
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HttpOptions {
  readOnly?: boolean;
  /** Requests in flight at most. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Headers added to every request (the authentication token: kept here, out of the SDK's Request objects). */
  headers?: Record<string, string>;
  /** Injected for tests; defaults to Node's http/https client (src/scaleway/transport.ts). */
  fetch?: typeof fetch;
  /** Deterministic jitter for tests. */
  random?: () => number;
  /** Aborts waits between retries (Ctrl-C). */
  signal?: AbortSignal;
}

/** A write was attempted through the read-only client. Drift, import and every read path use it. */
export class ReadOnlyViolation extends Error {
  constructor(method: string, path: string) {
    super(`read-only client refused ${method} ${path}: drift detection and imports never write`);
    this.name = 'ReadOnlyViolation';
  }
}

/** The connection dropped before a response; for a POST the server may or may not have acted. */
export class ConnectionLostError extends Error {
  readonly maybeApplied: boolean;
  constructor(method: string, path: string, cause: unknown) {
    super(`connection lost during ${method} ${path}: ${describeCause(cause)}`);
    this.name = 'ConnectionLostError';
    this.maybeApplied = method !== 'GET';
  }
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface LimitedFetch {
  fetch: typeof fetch;
  /** The same fetch, its requests served at `priority` when they queue for a slot (0: `fetch`). */
  at(priority: number): typeof fetch;
  stats: HttpStats;
  /**
   * Runs `fn` in one of the same connection slots (at `priority`, default 0). For the clients with an HTTP stack of their
   * own (S3, each cluster's Kubernetes API): one command, one connection budget, so that neither
   * floods the API beside the SDK's requests nor makes a read look faster than its budget allows.
   */
  slot<T>(fn: () => Promise<T>, priority?: number): Promise<T>;
  /**
   * The keep-alive connections under `fetch`, without its headers, retries or read-only guard:
   * for requests the engine signs itself (s3-reads.ts), run inside `slot`.
   */
  transport: Transport;
}

/** A counting semaphore; by priority, then first come first served (so no request of a priority starves). */
export class Semaphore {
  private active = 0;
  private readonly waiting: { priority: number; resolve: () => void }[] = [];
  constructor(readonly limit: number) {}
  get inFlight(): number {
    return this.active;
  }
  async acquire(priority = 0): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => {
      // after the last waiter of the same or a higher priority
      let i = this.waiting.length;
      while (i > 0 && this.waiting[i - 1]!.priority < priority) i -= 1;
      this.waiting.splice(i, 0, { priority, resolve });
    });
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.active -= 1;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '?';
  }
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

function isConnectionError(err: unknown): boolean {
  if (!(err instanceof TypeError)) return false;
  const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
  return /ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNREFUSED|ETIMEDOUT|other side closed/i.test(code + ' ' + describeCause(err)) || err.message === 'fetch failed';
}

async function isTransientConflict(res: Response): Promise<boolean> {
  if (res.status !== 409) return false;
  try {
    const body = (await res.clone().json()) as { type?: string };
    return body?.type === 'transient_state';
  } catch {
    return false;
  }
}

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return s * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The text of a request's body. The SDK makes every request a `new Request(url, { body: json })`;
 * reading it back with `text()` goes through the body's web stream (undici: a reader, a read
 * request and a chunk per body, about 0.17 s of a cold 50-project apply's CPU for its ~1,100
 * writes). Node's undici keeps the string it was given in the request's state: that string is
 * the body, read as it is. Where the state is not there in that shape (another Node, a body that
 * is not a string, one already read), `text()`.
 */
function bodyText(request: Request): Promise<string> | string {
  if (!request.bodyUsed) {
    for (const key of Object.getOwnPropertySymbols(request)) {
      if (key.description !== 'state') continue;
      const source = (request as unknown as Record<symbol, { body?: { source?: unknown } } | undefined>)[key]?.body?.source;
      if (typeof source === 'string') return source;
    }
  }
  return request.text();
}

/**
 * The same bounded, jittered backoff for the clients that cannot go through `limitedFetch`
 * (the Kubernetes client that Velero is reached with): retries `fn` while `isTransient` says so.
 */
export async function retryTransient<T>(fn: () => Promise<T>, isTransient: (err: unknown) => boolean, retry: Partial<RetryPolicy> = {}): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...retry };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      await sleep(Math.round(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))));
    }
  }
}

/** Builds the fetch the SDK uses: limited, retrying, optionally read-only. */
export function limitedFetch(options: HttpOptions = {}): LimitedFetch {
  const injected = options.fetch;
  const base: Transport = injected ? (url, init) => injected(url, init) : nodeTransport(Math.max(1, options.concurrency ?? 16));
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
  const random = options.random ?? Math.random;
  const sem = new Semaphore(Math.max(1, options.concurrency ?? 16));
  const stats: HttpStats = { requests: 0, retries: 0, byStatus: {}, peakInFlight: 0 };
  const count = (status: number) => { stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1; };

  const wrapped = async (input: RequestInfo | URL, init: RequestInit | undefined, priority: number): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const method = request.method.toUpperCase();
    const path = pathOf(request.url);
    if (options.readOnly && method !== 'GET' && method !== 'HEAD') throw new ReadOnlyViolation(method, path);
    const refused = method !== 'GET' && method !== 'HEAD' ? writeGuard.getStore()?.(method, path) : undefined;
    if (refused) throw new RefusedWriteError(method, path, refused);
    // read once: every attempt sends the same text (no teeing of the body stream per attempt)
    const headers = { ...Object.fromEntries(request.headers), ...options.headers };
    const body = request.body ? await bodyText(request) : undefined;

    for (let attempt = 1; ; attempt += 1) {
      let res: Response | undefined;
      let failure: unknown;
      await sem.acquire(priority);
      stats.peakInFlight = Math.max(stats.peakInFlight, sem.inFlight);
      stats.requests += 1;
      try {
        res = await base(request.url, { method, headers, ...(body !== undefined ? { body } : {}) });
      } catch (err) {
        failure = err;
      } finally {
        sem.release();
      }
      const last = attempt >= policy.attempts;
      if (failure !== undefined) {
        count(0);
        if (!isConnectionError(failure)) throw failure;
        if (method === 'POST' || last) throw new ConnectionLostError(method, path, failure);
      } else if (res) {
        const transient = res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504 || (await isTransientConflict(res));
        if (!transient || last) {
          count(res.status);
          return res;
        }
        count(res.status);
        // drain the body so the connection goes back to the pool
        await res.arrayBuffer().catch(() => undefined);
      }
      stats.retries += 1;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const hinted = res ? retryAfterMs(res) : undefined;
      // full jitter: spreads the retries of many parallel requests instead of synchronising them
      await sleep(hinted ?? Math.round(random() * ceiling), options.signal);
    }
  };
  const slot = async <T>(fn: () => Promise<T>, priority = 0): Promise<T> => {
    await sem.acquire(priority);
    stats.peakInFlight = Math.max(stats.peakInFlight, sem.inFlight);
    try {
      return await fn();
    } finally {
      sem.release();
    }
  };
  const byPriority = new Map<number, typeof fetch>();
  const at = (priority: number): typeof fetch => {
    let f = byPriority.get(priority);
    if (!f) {
      f = ((input: RequestInfo | URL, init?: RequestInit) => wrapped(input, init, priority)) as typeof fetch;
      byPriority.set(priority, f);
    }
    return f;
  };
  return { fetch: at(0), at, stats, slot, transport: base };
}
