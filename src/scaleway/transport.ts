/*
 * The wire under the SDK: Node's own http/https client with keep-alive agents, answering with a
 * WHATWG Response as the SDK expects. Why not the global fetch: undici's fetch runs every request
 * through web streams (the request body teed, the response body a ReadableStream) and costs about
 * 1.3 ms of CPU per request here against 0.85 ms this way; an apply of a thousand resources makes
 * some 1,600 requests and the client's CPU was what bounded its wall time (bench/apply).
 *
 * The answer is a WireResponse, not undici's Response: a Response wraps its body in a web stream
 * that the SDK's `json()` then reads back (about 170 µs of CPU per request, a fifth of a cold
 * apply's client CPU in its profile); the body is already whole in memory here, so `json()`,
 * `text()`, `blob()` and `arrayBuffer()` read the bytes directly. It has what the SDK's response
 * parser (`isResponse`: status, statusText, headers, body) and http.ts read, with fetch's rules:
 * a body reads once, `clone()` before that gives a second reading.
 *
 * Behaves like fetch where the engine relies on it: a connection that fails surfaces as a
 * `TypeError('fetch failed')` whose `cause` carries the socket's code (ECONNRESET, ECONNREFUSED…),
 * and an abort rejects with the signal's reason. No redirects and no compression are asked for:
 * the Scaleway API sends neither unless asked.
 */

import http from 'node:http';
import https from 'node:https';

export interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * TLS of a server with its own authority (a cluster's Kubernetes API: its kubeconfig's CA, or a
   * client certificate): the keep-alive agent keeps one pool of connections per set of options.
   */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean };
}

export type Transport = (url: string, init: TransportInit) => Promise<Response>;

/** Statuses whose response has no body (a Response refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Gives up on a request whose socket stays silent this long (undici's fetch waits 300 s for headers). */
const IDLE_TIMEOUT_MS = 300_000;

/** The Response of one answer whose body is already read (see the top of this file). */
class WireResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type: ResponseType = 'basic';
  private used = false;
  private stream: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly payload: Uint8Array | null,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  /**
   * The body as a web stream, made when it is read as one. The SDK's response check (isResponse)
   * reads `body` on every answer only to see that there is one, and a real stream costs a Blob and
   * a ReadableStream, each made transferable (about 0.35 ms of CPU per answer on a cold process:
   * 540 ms of a cold 50-project apply's 7 s): until a stream method is called, this stands for it.
   */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.stream === undefined) this.stream = this.payload === null ? null : (new LazyStream(() => this.webStream()) as unknown as ReadableStream<Uint8Array>);
    return this.stream;
  }

  /** The real stream behind `body`; reading the body that way uses it up, as fetch's does. */
  private webStream(): ReadableStream<Uint8Array> {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return new Blob([this.payload as Uint8Array<ArrayBuffer>]).stream() as ReadableStream<Uint8Array>;
  }

  /** A copy of the body (a clone may read the same bytes), once per response. */
  private take(): Uint8Array<ArrayBuffer> {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.payload === null ? new Uint8Array(0) : new Uint8Array(this.payload);
  }

  private decoded(): string {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.payload === null ? '' : Buffer.from(this.payload.buffer, this.payload.byteOffset, this.payload.byteLength).toString('utf8');
  }

  async text(): Promise<string> {
    return this.decoded();
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.decoded());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.take().buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return this.take();
  }

  async blob(): Promise<Blob> {
    return new Blob([this.take()], { type: this.headers.get('content-type') ?? '' });
  }

  clone(): WireResponse {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new WireResponse(this.status, this.statusText, this.headers, this.payload, this.url);
  }
}

/**
 * An answer's headers as the SDK and http.ts read them (`get`: the content type, the total count,
 * Retry-After), straight from Node's raw header list; anything else a Headers does (iteration,
 * set, delete) goes to a real Headers, made on first use. Building a Headers per answer (each
 * name validated and lower-cased, each value normalised) was a tenth of the transport's CPU.
 */
class WireHeaders {
  private real: Headers | undefined;
  constructor(private readonly raw: readonly string[]) {}

  private headers(): Headers {
    if (!this.real) {
      this.real = new Headers();
      for (let i = 0; i + 1 < this.raw.length; i += 2) this.real.append(this.raw[i]!, this.raw[i + 1]!);
    }
    return this.real;
  }

  /** Every value of `name`, joined by ", " (as fetch joins them), or null. */
  get(name: string): string | null {
    if (this.real) return this.real.get(name);
    const want = name.toLowerCase();
    let found: string | null = null;
    for (let i = 0; i + 1 < this.raw.length; i += 2) {
      if (this.raw[i]!.length !== want.length || this.raw[i]!.toLowerCase() !== want) continue;
      // fetch strips leading and trailing whitespace from values
      const v = this.raw[i + 1]!.trim();
      found = found === null ? v : `${found}, ${v}`;
    }
    return found;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return this.headers().getSetCookie();
  }

  forEach(fn: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.headers().forEach(fn, thisArg);
  }

  entries(): HeadersIterator<[string, string]> {
    return this.headers().entries();
  }

  keys(): HeadersIterator<string> {
    return this.headers().keys();
  }

  values(): HeadersIterator<string> {
    return this.headers().values();
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.headers()[Symbol.iterator]();
  }

  append(name: string, value: string): void {
    this.headers().append(name, value);
  }

  set(name: string, value: string): void {
    this.headers().set(name, value);
  }

  delete(name: string): void {
    this.headers().delete(name);
  }
}

/**
 * A response body's web stream, made on the first call of one of a stream's methods (see
 * WireResponse.body). Async-iterable like a stream, so `new Response(body)` reads it too.
 */
class LazyStream {
  private made: ReadableStream<Uint8Array> | undefined;
  constructor(private readonly make: () => ReadableStream<Uint8Array>) {}
  private get stream(): ReadableStream<Uint8Array> {
    this.made ??= this.make();
    return this.made;
  }
  get locked(): boolean {
    return this.made?.locked ?? false;
  }
  cancel(reason?: unknown): Promise<void> {
    return this.stream.cancel(reason);
  }
  getReader(): ReadableStreamDefaultReader<Uint8Array> {
    return this.stream.getReader();
  }
  pipeThrough<T>(transform: ReadableWritablePair<T, Uint8Array>, options?: StreamPipeOptions): ReadableStream<T> {
    return this.stream.pipeThrough(transform, options);
  }
  pipeTo(destination: WritableStream<Uint8Array>, options?: StreamPipeOptions): Promise<void> {
    return this.stream.pipeTo(destination, options);
  }
  tee(): [ReadableStream<Uint8Array>, ReadableStream<Uint8Array>] {
    return this.stream.tee();
  }
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array> {
    return (this.stream as unknown as { values(o?: unknown): AsyncIterableIterator<Uint8Array> }).values(options);
  }
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.values();
  }
}

export function nodeTransport(maxSockets: number): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  return (url, init) => new Promise<Response>((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new TypeError(`fetch failed: unsupported protocol ${target.protocol}`));
      return;
    }
    if (init.signal?.aborted) {
      reject(init.signal.reason);
      return;
    }
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const req = lib.request(target, { method: init.method, headers, agent: agents[target.protocol as 'http:' | 'https:'], timeout: IDLE_TIMEOUT_MS, ...(init.tls && lib === https ? init.tls : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
      res.on('end', () => {
        const h = new WireHeaders(res.rawHeaders) as unknown as Headers;
        const status = res.statusCode ?? 0;
        const body = NULL_BODY.has(status) || init.method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(new WireResponse(status, res.statusMessage ?? '', h, body, url) as unknown as Response);
      });
    });
    const onAbort = () => req.destroy(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted'));
    init.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => init.signal?.removeEventListener('abort', onAbort));
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(init.signal?.aborted ? init.signal.reason : new TypeError('fetch failed', { cause: err })));
    req.end(init.body);
  });
}
