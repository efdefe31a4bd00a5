import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { doc, el, esc, textOf } from './xml';

/*
 * Object Storage for the sandbox: the S3 subset that landing-zone needs (buckets, versioning,
 * object lock, list v2 and versions, put/get/copy/delete object), path-style under
 * `/s3/<region>/<bucket>/<key>`, so `@aws-sdk/client-s3` with `endpoint: <url>/s3/<region>` and
 * `forcePathStyle: true` talks to it as it talks to `https://s3.<region>.scw.cloud`.
 *
 * SigV4 signatures are not verified (the sandbox is loopback-only and has no real secrets), but
 * the access key in the Authorization header must be one the sandbox issued, so a test that
 * forgets credentials fails the way it would against Scaleway.
 *
 * Buckets belong to a project, and S3 has no project parameter: as on Scaleway, every request
 * acts in one project, the API key's preferred project (`default_project_id`), or the one named
 * after the access key (`SCW…@<project id>`, what Scaleway's CLI and Terraform send). A list
 * shows that project's buckets only; a bucket of another project answers AccessDenied; the
 * key's IAM rules must grant Object Storage on the project (docs: iam/api-cli/
 * using-api-key-object-storage: "This applies to all actions on Object Storage buckets").
 */

const S3_PREFIX = '/s3/';
const S3_REGIONS = new Set(['fr-par', 'nl-ams', 'pl-waw', 'it-mil']);

interface ObjectVersion {
  versionId: string;
  body: Buffer;
  etag: string;
  lastModified: number;
  contentType: string;
  deleteMarker: boolean;
  /** Object lock: the version cannot be deleted before this time (epoch ms). */
  retainUntil?: number;
  retentionMode?: string;
}

interface Bucket {
  name: string;
  region: string;
  /** The Scaleway project that owns it (the one the creating request acted in). */
  projectId: string;
  createdAt: number;
  /** undefined: never configured (S3 answers an empty Status). */
  versioning?: 'Enabled' | 'Suspended';
  objectLockEnabled: boolean;
  defaultRetention?: { mode: string; days?: number; years?: number };
  objects: Map<string, ObjectVersion[]>;
}

/** Who sent a request, and the project it acts in. */
export interface S3Caller {
  accessKey: string;
  projectId: string;
}

export interface S3ServiceOptions {
  /**
   * The caller of an access key id as sent (`SCW…` or `SCW…@<project id>`): undefined when the
   * key is not one the sandbox issued, 'no-such-project' when the suffix names no project of the
   * organisation.
   */
  callerOf(accessKeyId: string): S3Caller | 'no-such-project' | undefined;
  /** Whether the key's IAM rules grant Object Storage (read, or write) on the project. */
  allows?(caller: S3Caller, projectId: string, write: boolean): boolean;
  /** Where a bucket restored from an older state file without its project goes. */
  defaultProjectId?: string;
  /** Where the buckets survive a restart (the sandbox's state file); absent: memory only. */
  persistence?: Persistence;
  /** Called before each request: what writes into buckets on its own (Velero) catches up first. */
  beforeRequest?(): void;
}

/** A JSON snapshot kept somewhere else: the sandbox puts it in its state file. */
export interface Persistence {
  load(): unknown;
  save(snapshot: unknown): void;
}

interface StoredVersion extends Omit<ObjectVersion, 'body'> {
  body: string;
}

/** A read-only view of a bucket, for tests and seeds. */
export interface BucketView {
  name: string;
  region: string;
  projectId: string;
  versioning?: 'Enabled' | 'Suspended';
  objectLockEnabled: boolean;
  defaultRetention?: { mode: string; days?: number; years?: number };
  keys: string[];
}

class S3Error extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly resource = '') {
    super(message);
  }
}

export class S3Service {
  private readonly buckets = new Map<string, Bucket>();
  private versionSeq = 0;

  constructor(private readonly options: S3ServiceOptions) {
    const snap = options.persistence?.load() as { seq?: number; buckets?: (Omit<Bucket, 'objects'> & { objects: [string, StoredVersion[]][] })[] } | undefined;
    this.versionSeq = snap?.seq ?? 0;
    for (const b of snap?.buckets ?? []) {
      const objects = new Map(b.objects.map(([k, vs]) => [k, vs.map((v) => ({ ...v, body: Buffer.from(v.body, 'base64') }))]));
      this.buckets.set(this.key(b.region, b.name), { ...b, projectId: b.projectId ?? options.defaultProjectId ?? '', objects });
    }
  }

  private persist(): void {
    this.options.persistence?.save({
      seq: this.versionSeq,
      buckets: [...this.buckets.values()].map((b) => ({
        ...b, objects: [...b.objects].map(([k, vs]) => [k, vs.map((v) => ({ ...v, body: v.body.toString('base64') }))]),
      })),
    });
  }

  /** Handles a request under /s3/; returns the status sent, or undefined when the path is not ours. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<number | undefined> {
    if (!url.pathname.startsWith(S3_PREFIX)) return undefined;
    const method = req.method ?? 'GET';
    const requestId = randomBytes(8).toString('hex');
    this.options.beforeRequest?.();
    try {
      const caller = this.authenticate(req, url);
      const parts = url.pathname.slice(S3_PREFIX.length).split('/');
      const region = parts.shift() ?? '';
      if (!S3_REGIONS.has(region)) throw new S3Error(400, 'InvalidRegion', `unknown region ${region}`);
      const bucketName = decodeURIComponent(parts.shift() ?? '');
      const key = parts.map((p) => decodeURIComponent(p)).join('/');
      const reply = bucketName === ''
        ? this.service(method, region, caller)
        : key === ''
          ? this.bucket(method, region, bucketName, url.searchParams, req, decodeChunked(req, body), caller)
          : this.object(method, region, bucketName, key, url.searchParams, req, decodeChunked(req, body), caller);
      res.writeHead(reply.status, {
        'x-amz-request-id': requestId,
        ...(reply.xml !== undefined ? { 'Content-Type': 'application/xml' } : {}),
        ...reply.headers,
        'Content-Length': String(reply.xml !== undefined ? Buffer.byteLength(reply.xml) : (reply.raw?.length ?? 0)),
      });
      if (method === 'HEAD') res.end();
      else res.end(reply.xml ?? reply.raw ?? '');
      if (method !== 'GET' && method !== 'HEAD' && reply.status < 300) this.persist();
      return reply.status;
    } catch (err) {
      if (!(err instanceof S3Error)) throw err;
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', err.code)}${el('Message', err.message)}${el('RequestId', requestId)}${el('HostId', requestId)}${el('Resource', err.resource)}</Error>`;
      res.writeHead(err.status, { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId, 'Content-Length': method === 'HEAD' ? '0' : String(Buffer.byteLength(xml)) });
      res.end(method === 'HEAD' ? '' : xml);
      return err.status;
    }
  }

  /** Buckets as they are now (tests read this instead of going through S3). */
  list(): BucketView[] {
    return [...this.buckets.values()].map((b) => ({
      name: b.name, region: b.region, projectId: b.projectId, versioning: b.versioning, objectLockEnabled: b.objectLockEnabled,
      defaultRetention: b.defaultRetention, keys: [...b.objects.keys()].filter((k) => !latest(b, k)?.deleteMarker),
    }));
  }

  /** What a request of this caller on the bucket would meet (Velero validates its storage location so). */
  access(region: string, bucket: string, caller: S3Caller, write: boolean): 'ok' | 'NoSuchBucket' | 'AccessDenied' {
    try {
      this.mine(region, bucket, caller, write);
      return 'ok';
    } catch (err) {
      return (err as S3Error).code === 'NoSuchBucket' ? 'NoSuchBucket' : 'AccessDenied';
    }
  }

  /** Whether the bucket holds a current (not deleted) version of the key. */
  has(region: string, bucket: string, key: string): boolean {
    const b = this.buckets.get(this.key(region, bucket));
    const v = b ? latest(b, key) : undefined;
    return v !== undefined && !v.deleteMarker;
  }

  /**
   * Writes an object as a service inside Scaleway would (Velero's server), stamped `at`; the
   * bucket's versioning and default retention apply. False when the bucket does not exist.
   */
  writeObject(region: string, bucket: string, key: string, body: Buffer, contentType: string, at: number): boolean {
    const b = this.buckets.get(this.key(region, bucket));
    if (!b) return false;
    this.putVersion(b, key, body, contentType, at);
    this.persist();
    return true;
  }

  private authenticate(req: IncomingMessage, url: URL): S3Caller {
    const auth = String(req.headers.authorization ?? '');
    const m = /Credential=([^/,\s]+)\//.exec(auth) ?? /^([^/]+)\//.exec(url.searchParams.get('X-Amz-Credential') ?? '');
    if (!m) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    const caller = this.options.callerOf(decodeURIComponent(m[1]!));
    if (caller === undefined) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (caller === 'no-such-project') throw new S3Error(403, 'AccessDenied', 'Access Denied');
    return caller;
  }

  /** The bucket, when it is the caller's project's and its rules grant the access; AccessDenied otherwise. */
  private mine(region: string, name: string, caller: S3Caller, write: boolean): Bucket {
    const b = this.mustBucket(region, name);
    if (b.projectId !== caller.projectId || !this.allows(caller, b.projectId, write)) throw new S3Error(403, 'AccessDenied', 'Access Denied', `/${name}`);
    return b;
  }

  private allows(caller: S3Caller, projectId: string, write: boolean): boolean {
    return this.options.allows ? this.options.allows(caller, projectId, write) : true;
  }

  private key(region: string, name: string): string {
    return `${region}/${name}`;
  }

  private mustBucket(region: string, name: string): Bucket {
    const b = this.buckets.get(this.key(region, name));
    if (!b) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', `/${name}`);
    return b;
  }

  private service(method: string, region: string, caller: S3Caller): Reply {
    if (method !== 'GET') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    if (!this.allows(caller, caller.projectId, false)) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    const mine = [...this.buckets.values()].filter((b) => b.region === region && b.projectId === caller.projectId);
    const inner = `<Owner><ID>sandbox</ID><DisplayName>sandbox</DisplayName></Owner><Buckets>${mine
      .map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', new Date(b.createdAt).toISOString())}</Bucket>`)
      .join('')}</Buckets>`;
    return { status: 200, xml: doc('ListAllMyBucketsResult', inner) };
  }

  private bucket(method: string, region: string, name: string, q: URLSearchParams, req: IncomingMessage, body: Buffer, caller: S3Caller): Reply {
    const text = body.toString('utf8');
    const isCreate = method === 'PUT' && !q.has('versioning') && !q.has('object-lock');
    // every bucket request but the create acts on an existing bucket of the caller's project
    if (!isCreate) this.mine(region, name, caller, method !== 'GET' && method !== 'HEAD');
    if (method === 'PUT' && q.has('versioning')) {
      const b = this.mustBucket(region, name);
      const status = textOf(text, 'Status');
      if (status !== 'Enabled' && status !== 'Suspended') throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
      if (status === 'Suspended' && b.objectLockEnabled) throw new S3Error(409, 'InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
      b.versioning = status;
      return { status: 200 };
    }
    if (method === 'GET' && q.has('versioning')) {
      const b = this.mustBucket(region, name);
      // what Scaleway answers for a bucket whose versioning was never set (recorded)
      return { status: 200, xml: doc('VersioningConfiguration', `<Status>${b.versioning ?? ''}</Status>`, false) };
    }
    if (method === 'PUT' && q.has('object-lock')) {
      const b = this.mustBucket(region, name);
      if (!b.objectLockEnabled) throw new S3Error(409, 'InvalidBucketState', 'Object Lock configuration cannot be enabled on existing buckets.');
      const mode = textOf(text, 'Mode');
      const days = textOf(text, 'Days');
      const years = textOf(text, 'Years');
      b.defaultRetention = mode ? { mode, days: days ? Number(days) : undefined, years: years ? Number(years) : undefined } : undefined;
      return { status: 200 };
    }
    if (method === 'GET' && q.has('object-lock')) {
      const b = this.mustBucket(region, name);
      if (!b.objectLockEnabled) {
        throw new S3Error(404, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', `/${name}`);
      }
      const r = b.defaultRetention;
      const rule = r ? `<Rule><DefaultRetention>${el('Mode', r.mode)}${el('Days', r.days)}${el('Years', r.years)}</DefaultRetention></Rule>` : '';
      return { status: 200, xml: doc('ObjectLockConfiguration', `<ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}`) };
    }
    if (method === 'GET' && q.has('location')) {
      const b = this.mustBucket(region, name);
      return { status: 200, xml: doc('LocationConstraint', esc(b.region)) };
    }
    if (method === 'GET' && q.has('versions')) return this.listVersions(this.mustBucket(region, name), q);
    if (method === 'GET') return this.listV2(this.mustBucket(region, name), q);
    if (method === 'HEAD') {
      this.mustBucket(region, name);
      return { status: 200, headers: { 'x-amz-bucket-region': region } };
    }
    if (method === 'PUT') {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', `/${name}`);
      const existing = this.buckets.get(this.key(region, name));
      if (existing && existing.projectId === caller.projectId) {
        throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', `/${name}`);
      }
      if (existing) throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', `/${name}`);
      if (!this.allows(caller, caller.projectId, true)) throw new S3Error(403, 'AccessDenied', 'Access Denied', `/${name}`);
      const lock = String(req.headers['x-amz-bucket-object-lock-enabled'] ?? '').toLowerCase() === 'true';
      // object lock needs versioning: S3 turns it on with the lock, for good
      this.buckets.set(this.key(region, name), {
        name, region, projectId: caller.projectId, createdAt: Date.now(), objectLockEnabled: lock, versioning: lock ? 'Enabled' : undefined, objects: new Map(),
      });
      return { status: 200, headers: { Location: `/${name}` } };
    }
    if (method === 'DELETE') {
      const b = this.mustBucket(region, name);
      if ([...b.objects.values()].some((v) => v.length > 0)) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', `/${name}`);
      this.buckets.delete(this.key(region, name));
      return { status: 204 };
    }
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  /** ListObjectsV2, and v1 when `list-type` is absent; `delimiter` folds keys into CommonPrefixes. */
  private listV2(b: Bucket, q: URLSearchParams): Reply {
    const v2 = q.get('list-type') === '2';
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const max = Math.min(Number(q.get('max-keys') ?? 1000) || 1000, 1000);
    const after = (v2 ? q.get('continuation-token') ?? q.get('start-after') : q.get('marker')) ?? '';
    const entries: { key: string; prefix?: string }[] = [];
    const seen = new Set<string>();
    for (const k of [...b.objects.keys()].filter((x) => x.startsWith(prefix) && x > after && !latest(b, x)?.deleteMarker).sort()) {
      const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const p = k.slice(0, cut + delimiter.length);
        if (!seen.has(p)) {
          seen.add(p);
          entries.push({ key: k, prefix: p });
        }
      } else entries.push({ key: k });
    }
    const page = entries.slice(0, max);
    const truncated = entries.length > max;
    const contents = page.filter((e) => !e.prefix).map((e) => {
      const v = latest(b, e.key)!;
      return `<Contents>${el('Key', e.key)}${el('LastModified', new Date(v.lastModified).toISOString())}${el('ETag', `"${v.etag}"`)}${el('Size', v.body.length)}${el('StorageClass', 'STANDARD')}</Contents>`;
    });
    const prefixes = page.filter((e) => e.prefix).map((e) => `<CommonPrefixes>${el('Prefix', e.prefix)}</CommonPrefixes>`);
    const last = page[page.length - 1];
    // the next page starts after the last key (or after every key under the last common prefix)
    const next = last ? (last.prefix ? `${last.prefix}\uffff` : last.key) : undefined;
    const paging = v2
      ? `${el('KeyCount', page.length)}${el('MaxKeys', max)}${el('IsTruncated', truncated)}${truncated ? el('NextContinuationToken', next) : ''}`
      : `${el('Marker', after)}${el('MaxKeys', max)}${el('IsTruncated', truncated)}${truncated ? el('NextMarker', next) : ''}`;
    const inner = `${el('Name', b.name)}${el('Prefix', prefix)}${delimiter ? el('Delimiter', delimiter) : ''}${paging}${contents.join('')}${prefixes.join('')}`;
    return { status: 200, xml: doc('ListBucketResult', inner) };
  }

  private listVersions(b: Bucket, q: URLSearchParams): Reply {
    const prefix = q.get('prefix') ?? '';
    const items: string[] = [];
    for (const k of [...b.objects.keys()].filter((x) => x.startsWith(prefix)).sort()) {
      const versions = b.objects.get(k)!;
      versions.slice().reverse().forEach((v, i) => {
        const common = `${el('Key', k)}${el('VersionId', v.versionId)}${el('IsLatest', i === 0)}${el('LastModified', new Date(v.lastModified).toISOString())}`;
        items.push(v.deleteMarker
          ? `<DeleteMarker>${common}</DeleteMarker>`
          : `<Version>${common}${el('ETag', `"${v.etag}"`)}${el('Size', v.body.length)}${el('StorageClass', 'STANDARD')}</Version>`);
      });
    }
    const inner = `${el('Name', b.name)}${el('Prefix', prefix)}${el('MaxKeys', 1000)}${el('IsTruncated', false)}${items.join('')}`;
    return { status: 200, xml: doc('ListVersionsResult', inner) };
  }

  private object(method: string, region: string, bucketName: string, key: string, q: URLSearchParams, req: IncomingMessage, body: Buffer, caller: S3Caller): Reply {
    const b = this.mine(region, bucketName, caller, method !== 'GET' && method !== 'HEAD');
    const versionId = q.get('versionId') ?? undefined;
    if (method === 'PUT') {
      const copySource = req.headers['x-amz-copy-source'];
      if (typeof copySource === 'string') {
        const src = this.copySource(region, copySource, caller);
        const v = this.putVersion(b, key, src.body, src.contentType);
        const xml = doc('CopyObjectResult', `${el('LastModified', new Date(v.lastModified).toISOString())}${el('ETag', `"${v.etag}"`)}`);
        return { status: 200, xml, headers: versionHeader(b, v) };
      }
      const v = this.putVersion(b, key, body, String(req.headers['content-type'] ?? 'application/octet-stream'));
      return { status: 200, headers: { ETag: `"${v.etag}"`, ...versionHeader(b, v) } };
    }
    if (method === 'GET' || method === 'HEAD') {
      const v = this.findVersion(b, key, versionId);
      return {
        status: 200, raw: v.body,
        headers: {
          'Content-Type': v.contentType, ETag: `"${v.etag}"`, 'Last-Modified': new Date(v.lastModified).toUTCString(), ...versionHeader(b, v),
          ...(v.retainUntil ? { 'x-amz-object-lock-mode': v.retentionMode ?? 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': new Date(v.retainUntil).toISOString() } : {}),
        },
      };
    }
    if (method === 'DELETE') return this.deleteObject(b, key, versionId);
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  private copySource(region: string, header: string, caller: S3Caller): ObjectVersion {
    const [path, query] = decodeURIComponent(header).replace(/^\//, '').split('?');
    const slash = path!.indexOf('/');
    if (slash < 0) throw new S3Error(400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
    const src = this.mine(region, path!.slice(0, slash), caller, false);
    const vid = /versionId=([^&]+)/.exec(query ?? '')?.[1];
    return this.findVersion(src, path!.slice(slash + 1), vid);
  }

  private putVersion(b: Bucket, key: string, body: Buffer, contentType: string, now = Date.now()): ObjectVersion {
    const versioned = b.versioning === 'Enabled';
    const v: ObjectVersion = {
      versionId: versioned ? this.newVersionId() : 'null',
      body, etag: createHash('md5').update(body).digest('hex'), lastModified: now, contentType, deleteMarker: false,
    };
    const r = b.defaultRetention;
    if (b.objectLockEnabled && r) {
      v.retentionMode = r.mode;
      v.retainUntil = now + ((r.days ?? 0) + (r.years ?? 0) * 365) * 86_400_000;
    }
    const versions = b.objects.get(key) ?? [];
    // an unversioned bucket keeps one "null" version: the new write replaces it
    const kept = versioned ? versions : versions.filter((x) => x.versionId !== 'null');
    b.objects.set(key, [...kept, v]);
    return v;
  }

  private findVersion(b: Bucket, key: string, versionId: string | undefined): ObjectVersion {
    const versions = b.objects.get(key) ?? [];
    const v = versionId ? versions.find((x) => x.versionId === versionId) : versions[versions.length - 1];
    if (!v || v.deleteMarker) {
      if (versionId && !v) throw new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', `/${b.name}/${key}`);
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', `/${b.name}/${key}`);
    }
    return v;
  }

  private deleteObject(b: Bucket, key: string, versionId: string | undefined): Reply {
    const versions = b.objects.get(key) ?? [];
    if (versionId) {
      const v = versions.find((x) => x.versionId === versionId);
      if (!v) return { status: 204 };
      if (v.retainUntil && v.retainUntil > Date.now()) {
        throw new S3Error(403, 'AccessDenied', 'Access Denied because object protected by object lock.', `/${b.name}/${key}`);
      }
      b.objects.set(key, versions.filter((x) => x !== v));
      if (b.objects.get(key)!.length === 0) b.objects.delete(key);
      return { status: 204, headers: { 'x-amz-version-id': versionId } };
    }
    if (b.versioning === 'Enabled') {
      const marker: ObjectVersion = {
        versionId: this.newVersionId(), body: Buffer.alloc(0), etag: '', lastModified: Date.now(), contentType: '', deleteMarker: true,
      };
      b.objects.set(key, [...versions, marker]);
      return { status: 204, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId } };
    }
    b.objects.delete(key);
    return { status: 204 };
  }

  private newVersionId(): string {
    this.versionSeq += 1;
    return `${Date.now().toString(36)}${this.versionSeq.toString(36).padStart(6, '0')}${randomBytes(4).toString('hex')}`;
  }
}

interface Reply {
  status: number;
  xml?: string;
  raw?: Buffer;
  headers?: Record<string, string>;
}

function latest(b: Bucket, key: string): ObjectVersion | undefined {
  const versions = b.objects.get(key);
  return versions?.[versions.length - 1];
}

function versionHeader(b: Bucket, v: ObjectVersion): Record<string, string> {
  return b.versioning ? { 'x-amz-version-id': v.versionId } : {};
}

/**
 * The SDK may stream a body with `aws-chunked` encoding (size;chunk-signature=…\r\ndata\r\n…
 * 0\r\ntrailers). Decode it into the plain payload; other bodies pass through.
 */
function decodeChunked(req: IncomingMessage, body: Buffer): Buffer {
  const encoding = String(req.headers['content-encoding'] ?? '');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return body;
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < body.length) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
