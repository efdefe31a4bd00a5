/*
 * The wire under the SDK: Node's own http/https client with keep-alive agents, answering with a
 * WHATWG Response as the SDK expects. Why not the global fetch: undici's fetch runs every request
 * through web streams (the request body teed, the response body a ReadableStream) and costs about
 * 1.3 ms of CPU per request here against 0.85 ms this way; an apply of a thousand resources makes
 * some 1,600 requests and the client's CPU was what bounded its wall time (bench/apply).
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
}

export type Transport = (url: string, init: TransportInit) => Promise<Response>;

/** Statuses whose response has no body (a Response refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Gives up on a request whose socket stays silent this long (undici's fetch waits 300 s for headers). */
const IDLE_TIMEOUT_MS = 300_000;

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
    const req = lib.request(target, { method: init.method, headers, agent: agents[target.protocol as 'http:' | 'https:'], timeout: IDLE_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
      res.on('end', () => {
        const h = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) h.append(raw[i]!, raw[i + 1]!);
        const status = res.statusCode ?? 0;
        const body = NULL_BODY.has(status) || init.method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: h }));
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
