import { createHash, createHmac } from 'node:crypto';
import type { ScalewayClients } from './client';
import { retryTransient } from './http';
import { s3AccessKeyId } from './operations/s3-client';

/*
 * The three Object Storage reads a drift makes (the bucket list of a project, a bucket's
 * versioning, its object lock) as plain signed GETs through the engine's own HTTP transport and
 * connection budget, instead of @aws-sdk/client-s3. That client and @smithy are about 0.6 MB of
 * modules whose loading blocked a cold drift's event loop for 150–400 ms (the CPU profile of
 * `landing-zone drift` of 50 projects), plus an S3 client per project with its middleware stack
 * per request; a read needs none of it. Writes (apply, DR copies) keep the SDK.
 *
 * Requests are signed with AWS Signature Version 4 (the S3 flavour: the payload's SHA-256 in
 * x-amz-content-sha256, path segments encoded once), which is what Scaleway's S3 checks; a unit
 * test holds the signature equal to the AWS SDK's own signer on the same request.
 */

/** A failed S3 read: the error's Code as its name and the HTTP status where the SDK keeps it (inventory's failureOf reads both). */
export class S3ReadError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number, code: string, message: string) {
    super(message || code);
    this.name = code || `HTTP${status}`;
    this.$metadata = { httpStatusCode: status };
  }
}

/** SHA-256 of the empty payload: every request here is a GET. */
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * A signed GET of `path` (already a URL path, its segments encoded) with `query` on `origin`
 * (`https://host` or the sandbox's `http://127.0.0.1:port`): the headers to send, Authorization included.
 */
export function signGet(o: { origin: string; path: string; query?: Record<string, string>; region: string; accessKeyId: string; secretKey: string; now?: Date }): SignedRequest {
  const host = new URL(o.origin).host;
  const amzDate = (o.now ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const query = Object.entries(o.query ?? {}).map(([k, v]) => [uriEncode(k), uriEncode(v)] as const).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  const canonicalQuery = query.map(([k, v]) => `${k}=${v}`).join('&');
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonicalRequest = ['GET', o.path, canonicalQuery, `host:${host}\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${amzDate}\n`, signedHeaders, EMPTY_SHA256].join('\n');
  const scope = `${day}/${o.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${o.secretKey}`, day), o.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    url: `${o.origin}${o.path}${canonicalQuery ? `?${canonicalQuery}` : ''}`,
    headers: {
      host,
      'x-amz-content-sha256': EMPTY_SHA256,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${o.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

/** Where a bucket (or the bucket list) is: path-style under the sandbox's /s3/<region>, virtual-hosted on Scaleway, as the SDK addresses them. */
function address(c: ScalewayClients, region: string, bucket?: string): { origin: string; path: string } {
  const apiUrl = c.profile.apiUrl;
  if (apiUrl && !/\.scaleway\.com\/?$/.test(apiUrl)) {
    const base = new URL(apiUrl.replace(/\/$/, ''));
    return { origin: base.origin, path: `${base.pathname.replace(/\/$/, '')}/s3/${region}/${bucket ? uriEncode(bucket) : ''}` };
  }
  // a DNS-compatible name is addressed as its own host (the SDK's choice too); others path-style
  if (bucket && /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return { origin: `https://${bucket}.s3.${region}.scw.cloud`, path: '/' };
  return { origin: `https://s3.${region}.scw.cloud`, path: bucket ? `/${uriEncode(bucket)}` : '/' };
}

const transientStatus = (s: number) => s === 429 || s === 500 || s === 502 || s === 503 || s === 504;

/** The text of the first `<tag>` element, entities decoded. */
function textOf(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? decodeXml(m[1]!) : undefined;
}

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
  });
}

/** One signed GET in the client's connection budget, retried as the Scaleway client retries (429/5xx, dropped connections); the answer's XML, or an S3ReadError. */
async function get(c: ScalewayClients, region: string, projectId: string, bucket: string | undefined, query: Record<string, string>): Promise<string> {
  const where = address(c, region, bucket);
  return retryTransient(async () => {
    const signed = signGet({ ...where, query, region, accessKeyId: s3AccessKeyId(c.profile.accessKey, projectId), secretKey: c.profile.secretKey });
    const res = await c.slot(() => c.transport(signed.url, { method: 'GET', headers: signed.headers }));
    const xml = await res.text();
    if (res.status >= 200 && res.status < 300) return xml;
    throw new S3ReadError(res.status, textOf(xml, 'Code') ?? '', textOf(xml, 'Message') ?? `Object Storage answered ${res.status}`);
  }, (err) => (err instanceof S3ReadError ? transientStatus(err.$metadata.httpStatusCode) : err instanceof TypeError));
}

/** The names of one project's buckets in one region (S3 lists the project named after the access key). */
export async function listBucketNames(c: ScalewayClients, region: string, projectId: string): Promise<string[]> {
  const xml = await get(c, region, projectId, undefined, {});
  return [...xml.matchAll(/<Bucket>([\s\S]*?)<\/Bucket>/g)].map((m) => textOf(m[1]!, 'Name')).filter((n): n is string => Boolean(n));
}

/** A bucket's versioning status: `Enabled`, `Suspended`, or undefined when it was never turned on. */
export async function bucketVersioning(c: ScalewayClients, region: string, projectId: string, bucket: string): Promise<string | undefined> {
  return textOf(await get(c, region, projectId, bucket, { versioning: '' }), 'Status');
}

/** Whether object lock is enabled on a bucket (a bucket without one answers ObjectLockConfigurationNotFoundError). */
export async function bucketObjectLock(c: ScalewayClients, region: string, projectId: string, bucket: string): Promise<boolean> {
  try {
    return textOf(await get(c, region, projectId, bucket, { 'object-lock': '' }), 'ObjectLockEnabled') === 'Enabled';
  } catch (err) {
    if ((err as Error).name === 'ObjectLockConfigurationNotFoundError') return false;
    throw err;
  }
}
