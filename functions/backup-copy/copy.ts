import { Readable } from 'node:stream';
import {
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { BucketRef, CopyConfig } from './config';

/*
 * One run of the backup copy: the newest ready backup of every database in the configured
 * projects (exported through the RDB API, downloaded from its signed URL, put into the DR
 * bucket), then the Velero bucket's objects the DR bucket does not hold yet, then a manifest.
 * Object Storage cannot copy between regions server-side, so every byte is streamed through the
 * function. Every step is idempotent (an object already in the DR bucket, by key and size/ETag,
 * is skipped) and bounded (lists are paged, copies stop at maxObjects), so the next cron run
 * picks up where a cut-short run stopped. Nothing logged or written names a key, a token or a
 * signed URL.
 */

export const MANIFEST_KEY = 'manifest/latest.json';
export const VELERO_PREFIX = 'velero/';
export const RDB_PREFIX = 'rdb/';

export interface DatabaseCopy {
  region: string;
  instanceName: string;
  database: string;
  backupId: string;
  backupCreatedAt: string;
  key: string;
  bytes: number;
  /** false: the DR bucket already held this backup. */
  copied: boolean;
}

export interface Manifest {
  version: 1;
  startedAt: string;
  finishedAt: string;
  /** ok: everything copied; partial: some parts failed or the run hit its bounds; failed: nothing could be done. */
  status: 'ok' | 'partial' | 'failed';
  target: BucketRef;
  databases: DatabaseCopy[];
  velero?: { bucket: string; region: string; listed: number; copied: number; skipped: number; bytes: number; remaining: number };
  errors: string[];
}

interface RdbBackup {
  id: string;
  instance_id: string;
  instance_name: string;
  database_name: string;
  status: string;
  created_at: string | null;
  download_url: string | null;
  download_url_expires_at: string | null;
}

type Log = (line: string) => void;

/** An S3 client for one bucket: its region, and its project after the access key (`SCW…@<project id>`). */
export function s3For(config: CopyConfig, bucket: BucketRef): S3Client {
  const region = bucket.region;
  return new S3Client({
    region,
    endpoint: config.s3Endpoint.replace('{region}', region),
    forcePathStyle: config.pathStyle,
    credentials: { accessKeyId: bucket.projectId ? `${config.accessKey.split('@')[0]}@${bucket.projectId}` : config.accessKey, secretAccessKey: config.secretKey },
    // Scaleway rejects the trailing checksums newer SDKs add by default
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err));

/** fetch, retried on 429, 5xx and dropped connections (Scaleway's edge sends all three). */
async function fetchRetry(url: string, init: RequestInit, attempts = 5): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const res = await fetch(url, init);
      if ((res.status !== 429 && res.status < 500) || attempt >= attempts) return res;
      await res.arrayBuffer();
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
    await sleep(Math.min(8000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
  }
}

/** Calls the RDB API; errors name the method, the path (never a query or a token) and the status. */
async function rdb<T>(config: CopyConfig, method: 'GET' | 'POST', path: string, query: Record<string, string> = {}): Promise<T> {
  const qs = new URLSearchParams(query).toString();
  const res = await fetchRetry(`${config.apiUrl}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: { 'X-Auth-Token': config.secretKey, ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  if (!res.ok) {
    let detail = '';
    try {
      const body = (await res.json()) as { message?: string; type?: string };
      detail = body.message ? `: ${body.type ?? 'error'} ${body.message}` : '';
    } catch {
      // an empty or non-JSON body (a 429 from the edge) has nothing more to say
    }
    throw new Error(`${method} ${path} answered ${res.status}${detail}`);
  }
  return (await res.json()) as T;
}

async function listBackups(config: CopyConfig, region: string, projectId: string): Promise<RdbBackup[]> {
  const out: RdbBackup[] = [];
  for (let page = 1; page <= 100; page += 1) {
    const r = await rdb<{ database_backups: RdbBackup[]; total_count: number }>(config, 'GET', `/rdb/v1/regions/${region}/backups`, {
      project_id: projectId, order_by: 'created_at_desc', page: String(page), page_size: '100',
    });
    out.push(...r.database_backups);
    if (r.database_backups.length === 0 || out.length >= r.total_count) break;
  }
  return out;
}

/** The newest ready backup of each (instance, database). */
export function newestPerDatabase(backups: RdbBackup[]): RdbBackup[] {
  const best = new Map<string, RdbBackup>();
  for (const b of backups) {
    if (b.status !== 'ready' || !b.created_at) continue;
    const k = `${b.instance_id}/${b.database_name}`;
    const cur = best.get(k);
    if (!cur || Date.parse(b.created_at) > Date.parse(cur.created_at!)) best.set(k, b);
  }
  return [...best.values()];
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<{ size: number; etag: string; sourceEtag?: string } | undefined> {
  try {
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: h.ContentLength ?? 0, etag: h.ETag ?? '', sourceEtag: h.Metadata?.['source-etag'] };
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

/** Exports the backup (or reuses a still valid download URL) and waits for its URL, within the bound. */
async function downloadUrl(config: CopyConfig, region: string, b: RdbBackup): Promise<string> {
  const valid = (x: RdbBackup) => x.status === 'ready' && x.download_url && (!x.download_url_expires_at || Date.parse(x.download_url_expires_at) > Date.now() + 60_000);
  if (valid(b)) return b.download_url!;
  try {
    await rdb(config, 'POST', `/rdb/v1/regions/${region}/backups/${b.id}/export`);
  } catch (err) {
    // 409 transient_state: an export is already running (a retried request, another run): wait for it
    if (!/ answered 409/.test(String(err))) throw err;
  }
  const deadline = Date.now() + config.exportWaitMs;
  for (;;) {
    const cur = await rdb<RdbBackup>(config, 'GET', `/rdb/v1/regions/${region}/backups/${b.id}`);
    if (valid(cur)) return cur.download_url!;
    if (cur.status === 'error') throw new Error(`the export of backup ${b.id} ended in error`);
    if (Date.now() > deadline) throw new Error(`the export of backup ${b.id} took longer than ${config.exportWaitMs / 1000}s; the next run retries`);
    await sleep(config.pollMs);
  }
}

async function copyDatabases(config: CopyConfig, target: S3Client, manifest: Manifest, log: Log): Promise<void> {
  for (const scope of config.databases) {
    let backups: RdbBackup[];
    try {
      backups = newestPerDatabase(await listBackups(config, scope.region, scope.projectId));
    } catch (err) {
      manifest.errors.push(`databases of project ${scope.projectId} in ${scope.region}: ${describe(err)}`);
      continue;
    }
    for (const b of backups) {
      const key = `${RDB_PREFIX}${scope.region}/${b.instance_name}/${b.database_name}/${b.created_at!.replace(/[:.]/g, '-')}-${b.id}.dump`;
      const entry: DatabaseCopy = {
        region: scope.region, instanceName: b.instance_name, database: b.database_name, backupId: b.id, backupCreatedAt: b.created_at!, key, bytes: 0, copied: false,
      };
      try {
        const have = await exists(target, config.target.bucket, key);
        if (have) {
          entry.bytes = have.size;
        } else {
          const url = await downloadUrl(config, scope.region, b);
          const res = await fetchRetry(url, {});
          // the URL is signed: say which backup failed, never the URL
          if (!res.ok || !res.body) throw new Error(`the download of backup ${b.id} answered ${res.status}`);
          const length = Number(res.headers.get('content-length') ?? NaN);
          const body = Number.isFinite(length) ? Readable.fromWeb(res.body as never) : Buffer.from(await res.arrayBuffer());
          await target.send(new PutObjectCommand({
            Bucket: config.target.bucket, Key: key, Body: body, ContentType: 'application/octet-stream',
            ...(Number.isFinite(length) ? { ContentLength: length } : {}), Metadata: { 'backup-id': b.id, 'backup-created-at': b.created_at! },
          }));
          entry.bytes = Number.isFinite(length) ? length : (body as Buffer).length;
          entry.copied = true;
          log(`database ${b.instance_name}/${b.database_name}: backup of ${b.created_at} copied (${entry.bytes} bytes)`);
        }
        manifest.databases.push(entry);
      } catch (err) {
        manifest.errors.push(`database ${b.instance_name}/${b.database_name} backup ${b.id}: ${describe(err)}`);
      }
    }
  }
}

async function listAll(s3: S3Client, bucket: string, prefix: string, limit: number): Promise<Map<string, { size: number; etag: string }>> {
  const out = new Map<string, { size: number; etag: string }>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: 1000 }));
    for (const o of page.Contents ?? []) if (o.Key) out.set(o.Key, { size: o.Size ?? 0, etag: o.ETag ?? '' });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && out.size < limit);
  return out;
}

async function copyVelero(config: CopyConfig, target: S3Client, manifest: Manifest, log: Log): Promise<void> {
  const v = config.velero;
  if (!v) return;
  const stats = { bucket: v.bucket, region: v.region, listed: 0, copied: 0, skipped: 0, bytes: 0, remaining: 0 };
  manifest.velero = stats;
  const source = s3For(config, v);
  try {
    // the listing bound is generous: skipping is cheap, copying is what maxObjects bounds
    const have = await listAll(target, config.target.bucket, VELERO_PREFIX, 100 * config.maxObjects);
    const want = await listAll(source, v.bucket, '', 100 * config.maxObjects);
    stats.listed = want.size;
    for (const [key, obj] of [...want].sort(([a], [b]) => a.localeCompare(b))) {
      const dest = `${VELERO_PREFIX}${key}`;
      const cur = have.get(dest);
      if (cur && cur.size === obj.size) {
        // a multipart upload has another ETag than the original: the source's is kept in metadata
        if (cur.etag === obj.etag || (await exists(target, config.target.bucket, dest))?.sourceEtag === obj.etag) {
          stats.skipped += 1;
          continue;
        }
      }
      if (stats.copied >= config.maxObjects) {
        stats.remaining += 1;
        continue;
      }
      try {
        const got = await source.send(new GetObjectCommand({ Bucket: v.bucket, Key: key }));
        await target.send(new PutObjectCommand({
          Bucket: config.target.bucket, Key: dest, Body: got.Body as Readable, ContentLength: got.ContentLength ?? obj.size,
          ContentType: got.ContentType ?? 'application/octet-stream', Metadata: { 'source-etag': obj.etag },
        }));
        stats.copied += 1;
        stats.bytes += obj.size;
      } catch (err) {
        manifest.errors.push(`velero object ${key}: ${describe(err)}`);
      }
    }
    log(`velero ${v.bucket}: ${stats.copied} copied, ${stats.skipped} already there${stats.remaining ? `, ${stats.remaining} left for the next run` : ''}`);
  } catch (err) {
    manifest.errors.push(`velero bucket ${v.bucket} in ${v.region}: ${describe(err)}`);
  } finally {
    source.destroy();
  }
}

/** Runs one copy and writes its manifest (also when parts failed); returns the manifest. */
export async function runCopy(config: CopyConfig, now: () => Date = () => new Date(), log: Log = () => {}): Promise<Manifest> {
  const manifest: Manifest = { version: 1, startedAt: now().toISOString(), finishedAt: '', status: 'ok', target: config.target, databases: [], errors: [] };
  const target = s3For(config, config.target);
  try {
    await copyDatabases(config, target, manifest, log);
    await copyVelero(config, target, manifest, log);
    manifest.finishedAt = now().toISOString();
    const copiedAnything = manifest.databases.length > 0 || (manifest.velero?.listed ?? 0) > 0;
    manifest.status = manifest.errors.length === 0 && !manifest.velero?.remaining ? 'ok' : copiedAnything ? 'partial' : 'failed';
    const text = JSON.stringify(manifest, null, 2);
    await target.send(new PutObjectCommand({ Bucket: config.target.bucket, Key: `manifest/runs/${manifest.startedAt.replace(/[:.]/g, '-')}.json`, Body: text, ContentType: 'application/json' }));
    await target.send(new PutObjectCommand({ Bucket: config.target.bucket, Key: MANIFEST_KEY, Body: text, ContentType: 'application/json' }));
    return manifest;
  } finally {
    target.destroy();
  }
}
