import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Env } from './context';
import { cronMatches } from './cron';
import type { JsonObject } from './json';
import type { Rec, Store } from './store';

/*
 * What Serverless Functions do besides their JSON API: take the code zip on a signed S3-style
 * URL, build it (a zip with the handler's module and export, or an error), and run the deployed
 * handler — on its crons' schedules and when a test asks — in a child Node process whose
 * environment is the namespace's and the function's variables, secret ones included, with
 * SCW_API_URL and SCW_S3_ENDPOINT pointing back at the sandbox. It is the world running the
 * user's code: nothing here knows what the code does. Also serves the signed download URL of an
 * exported database backup (`/sandbox-downloads/rdb/<backup id>.custom`).
 */

export const CODE = 'function.code';
const FUNCTION = 'function.function';
const NAMESPACE = 'function.namespace';
const CRON = 'function.cron';
const UPLOAD_BUCKET = 'serverless-functions-code-sandbox';
const RESULT_MARK = '\u0000lz-function-result ';

/** The signature of an upload URL: it binds the function, the time and the declared length. */
function uploadSignature(store: Store, functionId: string, date: string, length: string): string {
  return createHash('sha256').update(`${store.organizationId}\n${store.ownAccessKey}\n${functionId}\n${date}\n${length}`).digest('hex');
}

/** The signed URL the upload-url route hands out: an S3-style PUT on the sandbox, valid an hour. */
export function signedUploadUrl(baseUrl: string, store: Store, functionId: string, region: string, contentLength: string, now: number): string {
  const date = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const q = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': `SCWSANDBOXFUNCTIONS0/${date.slice(0, 8)}/${region}/s3/aws4_request`,
    'X-Amz-Date': date, 'X-Amz-Expires': '3600', 'X-Amz-SignedHeaders': 'content-length;content-type;host',
    'X-Amz-Signature': uploadSignature(store, functionId, date, contentLength),
  });
  return `${baseUrl}/s3/${region}/${UPLOAD_BUCKET}-${region}/uploads/function-${functionId}.zip?${q.toString()}`;
}

/** One run of a function's handler. */
export interface FunctionRun {
  functionId: string;
  cronId?: string;
  startedAt: string;
  durationMs: number;
  /** The handler's answer (`statusCode`), or undefined when it threw, timed out or did not load. */
  statusCode?: number;
  body?: string;
  error?: string;
  /** stdout and stderr of the run (the function's logs). */
  logs: string;
}

/** Entries of a zip archive (stored or deflated), or an error message when it is not a zip. */
export function readZip(buf: Buffer): Map<string, Buffer> | string {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || buf.length < 22) return 'the archive is not a zip file';
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  try {
    for (let i = 0; i < count; i += 1) {
      if (buf.readUInt32LE(at) !== 0x02014b50) return 'the zip central directory is corrupt';
      const method = buf.readUInt16LE(at + 10);
      const size = buf.readUInt32LE(at + 20);
      const nameLen = buf.readUInt16LE(at + 28);
      const extraLen = buf.readUInt16LE(at + 30);
      const commentLen = buf.readUInt16LE(at + 32);
      const local = buf.readUInt32LE(at + 42);
      const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
      at += 46 + nameLen + extraLen + commentLen;
      if (name.endsWith('/')) continue;
      const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(dataAt, dataAt + size);
      if (method === 0) out.set(name, raw);
      else if (method === 8) out.set(name, inflateRawSync(raw));
      else return `zip entry ${name} uses compression method ${method}`;
    }
  } catch {
    return 'the zip file is truncated or corrupt';
  }
  return out;
}

/** Why a code zip cannot serve `handler` (module.export), or undefined when it can. */
export function buildError(zip: Buffer | undefined, handler: string, runtime = 'node22'): string | undefined {
  if (!zip) return 'no code was uploaded: get an upload URL, PUT the zip, then deploy';
  const files = readZip(zip);
  if (typeof files === 'string') return files;
  // the module file is checked for the runtimes whose handler names one (Node, Python)
  const exts = runtime.startsWith('node') ? ['.js', '.cjs', '.mjs'] : runtime.startsWith('python') ? ['.py'] : undefined;
  if (!exts) return undefined;
  const dot = handler.lastIndexOf('.');
  const mod = dot > 0 ? handler.slice(0, dot) : '';
  const exp = handler.slice(dot + 1);
  if (!mod || !exp) return `handler "${handler}" is not <file>.<export>`;
  const file = exts.map((x) => `${mod}${x}`).find((n) => files.has(n));
  if (!file) return `handler "${handler}": ${mod}${exts[0]} is not in the zip (it holds ${[...files.keys()].slice(0, 5).join(', ') || 'nothing'})`;
  if (!files.get(file)!.toString('utf8').includes(exp)) return `handler "${handler}": ${file} does not export ${exp}`;
  return undefined;
}

export interface FunctionsRuntimeOptions {
  store: Store;
  env: Env;
  /** How often the cron clock is looked at (ms); 0 turns the scheduler off. */
  cronCheckMs?: number;
}

export class FunctionsRuntime {
  /** Every run so far, newest last (bounded). */
  readonly runs: FunctionRun[] = [];
  private readonly running = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastCheck: number;

  constructor(private readonly options: FunctionsRuntimeOptions) {
    this.lastCheck = options.store.clock();
    const every = options.cronCheckMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.tick(); }, every);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private sign(functionId: string, date: string, length: string): string {
    return uploadSignature(this.options.store, functionId, date, length);
  }

  /** The request, when it is an upload, a backup download or a run hook; otherwise undefined. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, authorized: (token: string) => boolean): Promise<number | undefined> {
    const upload = /^\/s3\/([a-z]{2}-[a-z]{3})\/serverless-functions-code-sandbox-[a-z-]+\/uploads\/function-([0-9a-f-]{36})\.zip$/.exec(url.pathname);
    if (upload) return this.upload(req, res, url, body, upload[2]!);
    const dl = /^\/sandbox-downloads\/rdb\/([0-9a-f-]{36})\.custom$/.exec(url.pathname);
    if (dl && (req.method === 'GET' || req.method === 'HEAD')) return this.backupDownload(res, dl[1]!);
    const code = /^\/sandbox-downloads\/functions\/([0-9a-f-]{36})\.zip$/.exec(url.pathname);
    if (code && req.method === 'GET') {
      const deployed = this.options.store.get(CODE, code[1]!)?.data.deployed;
      if (typeof deployed !== 'string') return send(res, 404, { message: 'not found' });
      const data = Buffer.from(deployed, 'base64');
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': String(data.length) });
      res.end(data);
      return 200;
    }
    const hook = /^\/sandbox-hooks\/functions\/([0-9a-f-]{36})\/run$/.exec(url.pathname);
    if (hook && req.method === 'POST') {
      const token = req.headers['x-auth-token'];
      if (typeof token !== 'string' || !authorized(token)) return send(res, 401, { message: 'authentication is denied', type: 'denied_authentication' });
      const run = await this.run(hook[1]!);
      return send(res, 200, run as unknown as JsonObject);
    }
    return undefined;
  }

  private upload(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, functionId: string): number {
    const xmlError = (status: number, code: string, message: string) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(xml)) });
      res.end(xml);
      return status;
    };
    if (req.method !== 'PUT') return xmlError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const q = url.searchParams;
    const date = q.get('X-Amz-Date') ?? '';
    const length = String(req.headers['content-length'] ?? '');
    if (q.get('X-Amz-Signature') !== this.sign(functionId, date, length)) {
      return xmlError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const issued = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    if (!(issued + 3600_000 > this.options.store.clock())) return xmlError(403, 'AccessDenied', 'Request has expired');
    const fn = this.options.store.get(FUNCTION, functionId);
    if (!fn) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
    const prev = this.options.store.get(CODE, functionId);
    this.options.store.transaction(() => this.options.store.put({
      kind: CODE, id: functionId, loc: fn.loc,
      data: { ...(prev?.data ?? {}), uploaded: body.toString('base64'), uploaded_sha256: createHash('sha256').update(body).digest('hex') },
    }));
    res.writeHead(200, { ETag: `"${createHash('md5').update(body).digest('hex')}"`, 'Content-Length': '0' });
    res.end();
    return 200;
  }

  private backupDownload(res: ServerResponse, backupId: string): number {
    const b = this.options.store.get('rdb.backup', backupId);
    if (!b || !b.data.download_url) return send(res, 404, { message: 'not found' });
    // a stand-in for pg_dump's custom format: its magic, then the backup's identity
    const data = Buffer.from(`PGDMP\n-- sandbox export of backup ${b.id} of ${String(b.data.instance_name)}/${String(b.data.database_name)} taken ${String(b.data.created_at)}\n`);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) });
    res.end(data);
    return 200;
  }

  /** Looks at the clock: every ready cron whose schedule fell since the last look runs once. */
  async tick(): Promise<FunctionRun[]> {
    const now = this.options.store.clock();
    const from = this.lastCheck;
    this.lastCheck = now;
    const due: Rec[] = [];
    for (const cron of this.options.store.list(CRON, undefined, now)) {
      if (cron.data.status !== 'ready') continue;
      // each minute boundary in (from, now], at most a day's worth
      const start = Math.max(Math.floor(from / 60_000) + 1, Math.floor(now / 60_000) - 1440);
      for (let m = start; m <= Math.floor(now / 60_000); m += 1) {
        if (cronMatches(String(cron.data.schedule), new Date(m * 60_000))) { due.push(cron); break; }
      }
    }
    return Promise.all(due.map((c) => this.run(String(c.data.function_id), c)));
  }

  /** Runs the cron's function now, as its schedule would (the cron's args are the event's body). */
  async runCron(cronId: string): Promise<FunctionRun> {
    const cron = this.options.store.get(CRON, cronId);
    if (!cron) throw new Error(`no cron ${cronId}`);
    return this.run(String(cron.data.function_id), cron);
  }

  /** Runs the function's deployed code once; a function that is not ready does not run. */
  async run(functionId: string, cron?: Rec): Promise<FunctionRun> {
    const startedAt = new Date(this.options.store.clock()).toISOString();
    const t0 = performance.now();
    const done = (r: Omit<FunctionRun, 'functionId' | 'startedAt' | 'durationMs'>): FunctionRun => {
      const run = { functionId, ...(cron ? { cronId: cron.id } : {}), startedAt, durationMs: Math.round(performance.now() - t0), ...r };
      this.runs.push(run);
      if (this.runs.length > 200) this.runs.splice(0, this.runs.length - 100);
      return run;
    };
    const { store, env } = this.options;
    const fn = store.get(FUNCTION, functionId);
    if (!fn) return done({ error: 'the function does not exist', logs: '' });
    const code = store.get(CODE, functionId)?.data.deployed;
    if (fn.data.status !== 'ready' || typeof code !== 'string') return done({ error: `the function is ${String(fn.data.status)}, with no deployed code to run`, logs: '' });
    if (this.running.has(functionId)) return done({ error: 'a run of this function is still going on', logs: '' });
    const ns = store.get(NAMESPACE, String(fn.data.namespace_id));
    const files = readZip(Buffer.from(code, 'base64'));
    if (typeof files === 'string') return done({ error: files, logs: '' });
    const handler = String(fn.data.handler);
    const dot = handler.lastIndexOf('.');
    const childEnv: Record<string, string> = {
      ...strings(ns?.data.environment_variables), ...strings(ns?.hidden?.secret_values),
      ...strings(fn.data.environment_variables), ...strings(fn.hidden?.secret_values),
      SCW_API_URL: env.url, SCW_S3_ENDPOINT: `${env.url}/s3/{region}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const event = { httpMethod: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cron?.data.args ?? {}), isBase64Encoded: false };
    const timeoutMs = (Number(/^(\d+)/.exec(String(fn.data.timeout))?.[1] ?? 300) || 300) * 1000;
    this.running.add(functionId);
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-fn-'));
    try {
      for (const [name, data] of files) {
        const path = normalize(join(dir, name));
        if (!path.startsWith(dir)) continue;
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, data);
      }
      const script = `const m = require(${JSON.stringify(join(dir, handler.slice(0, dot)))});
Promise.resolve().then(() => m[${JSON.stringify(handler.slice(dot + 1))}](${JSON.stringify(event)}, { memoryLimitInMb: ${Number(fn.data.memory_limit)}, functionName: ${JSON.stringify(String(fn.data.name))}, functionVersion: '' }))
  .then((r) => process.stdout.write(${JSON.stringify(RESULT_MARK)} + JSON.stringify(r ?? null) + '\\n'), (e) => { console.error(e && e.stack || String(e)); process.exitCode = 1; });`;
      const out = await new Promise<{ stdout: string; stderr: string; timedOut: boolean; code: number | null }>((resolve) => {
        const child = spawn(process.execPath, ['-e', script], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
        child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
        const t = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
        child.on('close', (code) => { clearTimeout(t); resolve({ stdout, stderr, timedOut, code }); });
      });
      const at = out.stdout.lastIndexOf(RESULT_MARK);
      const logs = `${at >= 0 ? out.stdout.slice(0, at) : out.stdout}${out.stderr}`;
      if (out.timedOut) return done({ error: `the run exceeded the function's timeout (${timeoutMs / 1000}s)`, logs });
      if (at < 0) return done({ error: `the handler failed (exit ${out.code})`, logs });
      const result = JSON.parse(out.stdout.slice(at + RESULT_MARK.length).trim()) as { statusCode?: number; body?: unknown } | null;
      return done({
        statusCode: typeof result?.statusCode === 'number' ? result.statusCode : 200,
        body: typeof result?.body === 'string' ? result.body : JSON.stringify(result?.body ?? result),
        logs,
      });
    } finally {
      this.running.delete(functionId);
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function strings(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string') as [string, string][]);
}

function send(res: ServerResponse, status: number, body: JsonObject): number {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
  return status;
}
