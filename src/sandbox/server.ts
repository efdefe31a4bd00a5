import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_DELAYS, newAccessKey, sha256, uuid,
  type Caller, type Ctx, type Delays, type Env, type Route,
} from './context';
import { ApiError, deniedAuthentication, invalidArguments, permissionsDenied, rateLimited } from './errors';
import { FaultInjector, type FaultConfig } from './faults';
import { isObject, nowIso, type Json, type JsonObject } from './json';
import { loadSnapshot, Saver } from './persist';
import { Router } from './router';
import { applySeed, parseSeed, type SeedDoc } from './seed';
import { Store } from './store';
import { SandboxCatalog, type RecordedCatalog } from './products/catalog';
import { allRoutes } from './routes';
import { projectJson } from './products/account';
import { PERMISSION_SETS } from './products/iam';
import { createExtraProtocols, type ExtraProtocols } from './s3/extras';

/** One line of the request log: never a token, never a body, never a query string. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  ms: number;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** JSON state file, reloaded on start and written atomically after changes. */
  stateFile?: string;
  /** A seed document or the path of a seed JSON file, applied on first start only. */
  seed?: SeedDoc | string;
  /** Added to every request. */
  latencyMs?: number;
  /** Status transition delays in ms; `transitionMs` sets them all at once (0 = instant). */
  transitionMs?: number;
  delays?: Partial<Delays>;
  faults?: FaultConfig;
  /** Per-kind limits, e.g. `{ 'vpcgw.gateway': 10 }`, answered with quotas_exceeded. */
  quotas?: Record<string, number>;
  maxBodyBytes?: number;
  saveDebounceMs?: number;
  /**
   * Time source for status transitions (default Date.now). Tests pass a hand-driven clock to hold
   * a resource in a transient state, or to jump past a delay, without sleeping.
   */
  clock?: () => number;
  /** Reuse these owner credentials if they match the state file (e.g. from a sourced env). */
  credentials?: { accessKey: string; secretKey: string };
  /** How often function crons are looked at, in ms (default 30000; 0: only `extras.functions.tick()`). */
  cronCheckMs?: number;
  /** Receives one text line per request (the --log file). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Scaleway's catalogs to serve and enforce (default: the recorded snapshot, catalog/scaleway-catalog.json). */
  catalog?: RecordedCatalog;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly organizationId: string;
  readonly projectId: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly requestLog: RequestLogEntry[];
  /** S3 and Velero's Kubernetes API (src/sandbox/s3, src/sandbox/kube), with their test hooks. */
  readonly extras: ExtraProtocols;
  setFaults(config: FaultConfig): void;
  setLatency(ms: number): void;
  /** Read-only helpers for tests and benchmarks; changes go through the HTTP API. */
  readonly state: {
    count(kind: string): number;
    get(kind: string, id: string): JsonObject | undefined;
    list(kind: string): JsonObject[];
    /** Writes the state file now. */
    flush(): Promise<void>;
    /** Direct bulk insert for benchmarks only (skips the API on purpose, to build 10,000 resources fast). */
    bulkInsert(kind: string, loc: string, items: JsonObject[]): void;
  };
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const DEFAULT_QUOTAS: Record<string, number> = {
  'vpcgw.gateway': 50,
  'lb.lb': 50,
  'k8s.cluster': 20,
  'rdb.instance': 30,
  'account.project': 100,
};

/** The sandbox's owner: a user bearer with every permission. */
const OWNER_USER_ID = 'owner';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !(isIP(host) === 4 && host.startsWith('127.'))) {
    throw new Error(`refusing to listen on ${host}: the sandbox listens on loopback only (127.0.0.1 or ::1)`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);

  // ---- state: reload, or create the organisation, default project and owner key ----
  const snap = options.stateFile ? await loadSnapshot(options.stateFile) : undefined;
  let store: Store;
  let secretKey: string;
  let accessKey: string;
  let seedDoc: ReturnType<typeof parseSeed> | undefined;
  const clock = options.clock ?? Date.now;
  const now = clock();
  if (snap) {
    store = Store.fromSnapshot(snap);
    const own = store.get('iam.api_key', snap.ownAccessKey, now);
    const given = options.credentials;
    if (own && given && given.accessKey === own.id && own.hidden?.secret_hash === sha256(given.secretKey)) {
      accessKey = given.accessKey;
      secretKey = given.secretKey;
    } else {
      // only a hash is on disk, so a restart without the old secret mints a new owner key
      if (own) store.remove('iam.api_key', own.id);
      ({ accessKey, secretKey } = addOwnerKey(store, now));
      store.ownAccessKey = accessKey;
    }
  } else {
    seedDoc = options.seed === undefined ? undefined
      : parseSeed(typeof options.seed === 'string' ? JSON.parse(await readFile(options.seed, 'utf8')) as unknown : options.seed);
    // a seed may fix the organisation id, so that a landing-zone.yaml written for it matches
    const orgId = seedDoc?.organization.id ?? uuid();
    store = new Store(orgId, orgId, '');
    // like a real account, the default project shares the organisation's id
    store.put({
      kind: 'account.project', id: orgId, loc: 'global',
      data: projectJson(orgId, 'default', orgId, 'default project', now),
    });
    ({ accessKey, secretKey } = addOwnerKey(store, now));
    store.ownAccessKey = accessKey;
  }

  store.clock = clock;
  const delays: Delays = { ...DEFAULT_DELAYS };
  if (options.transitionMs !== undefined) for (const k of Object.keys(delays) as (keyof Delays)[]) delays[k] = options.transitionMs;
  Object.assign(delays, options.delays ?? {});

  const env: Env = { url: '', delays, quotas: { ...DEFAULT_QUOTAS, ...(options.quotas ?? {}) }, catalog: new SandboxCatalog(options.catalog) };
  const router = new Router(allRoutes());
  const extras = createExtraProtocols(store, env, {
    cronCheckMs: options.cronCheckMs,
    // Object Storage keys go through the same IAM rules as the JSON APIs
    allows: (accessKey, product, projectId, write) => {
      const key = store.get('iam.api_key', accessKey);
      if (!key) return false;
      const caller: Caller = typeof key.data.application_id === 'string'
        ? { accessKey, bearerType: 'application', bearerId: key.data.application_id }
        : { accessKey, bearerType: 'user', bearerId: String(key.data.user_id ?? OWNER_USER_ID) };
      const granted = grantedProjects(caller, product, write);
      return granted === undefined || granted.has(projectId);
    },
  });
  const faults = new FaultInjector(options.faults);
  let latencyMs = options.latencyMs ?? 0;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  if (seedDoc) {
    const owner: Caller = { accessKey, bearerType: 'user', bearerId: OWNER_USER_ID };
    const call = (method: string, path: string, body?: JsonObject): JsonObject => {
      const m = router.match(method, path);
      if (!m) throw new Error(`no route for ${method} ${path}`);
      try {
        const reply = store.transaction(() => m.route.handler({
          method, path, params: m.params, query: new URLSearchParams(), body, store, env, now: clock(), caller: owner,
        }));
        return (reply.body ?? {}) as JsonObject;
      } catch (err) {
        if (err instanceof ApiError) throw new Error(`${err.status} ${JSON.stringify(err.body)}`);
        throw err;
      }
    };
    applySeed(seedDoc, call, store.projectId, () => store.completeAll(), (kind, id) => {
      const rec = store.get(kind, id);
      if (rec) store.patch(rec, { managed: true, editable: false, deletable: false });
    });
  }
  const requestLog: RequestLogEntry[] = [];
  const saver = options.stateFile ? new Saver(options.stateFile, () => store.snapshotText(), options.saveDebounceMs ?? 50) : undefined;
  store.onChange = () => saver?.schedule();
  // write the new (or re-keyed) state at once, so the file exists from the first second
  saver?.schedule();

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // the last line of defence: answer 500 and keep serving
      process.stderr.write(`sandbox: internal error on ${req.method} ${safePath(req.url)}: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { message: 'internal error', type: 'internal_error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  // a malformed request line never reaches the handler: answer it like a proxy would
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  function record(method: string, path: string, status: number, t0: number): void {
    const entry = { method, path, status, ms: Math.round((performance.now() - t0) * 100) / 100 };
    requestLog.push(entry);
    // bounded, so a long-running sandbox does not grow without limit
    if (requestLog.length > 100_000) requestLog.splice(0, requestLog.length - 50_000);
    options.onRequest?.(entry);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const method = req.method ?? 'GET';
    const path = safePath(req.url);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      sendJson(res, 400, { message: 'invalid URL', type: 'invalid_request_error' });
      record(method, path, 400, t0);
      return;
    }
    const matched = router.match(method, url.pathname);
    const routeKey = matched ? `${method} ${matched.route.pattern}` : undefined;

    const fault = faults.decide(routeKey, url.pathname);
    if (fault === 'reset') {
      req.socket.destroy();
      record(method, path, 0, t0);
      return;
    }
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (fault === '429') {
      req.resume();
      sendError(res, rateLimited());
      record(method, path, 429, t0);
      return;
    }
    if (fault === '503') {
      req.resume();
      // what Envoy answers when the upstream is unavailable: plain text, not JSON
      const text = 'upstream unavailable';
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
      record(method, path, 503, t0);
      return;
    }

    let status: number;
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof ApiError) {
        sendError(res, err);
        record(method, path, err.status, t0);
      } else {
        // the client went away mid-body: nothing to answer, nothing was changed
        record(method, path, 0, t0);
      }
      return;
    }
    try {
      // S3 (XML) and Velero's Kubernetes API speak their own protocols and check their own credentials
      const extra = await extras.handle(req, res, url, body, env.url);
      if (extra !== undefined) { record(method, path, extra, t0); return; }
      const caller = authenticate(req);
      if (!matched) {
        throw new ApiError(404, { message: `no route for ${method} ${url.pathname}`, type: 'not_found', resource: 'route', resource_id: url.pathname });
      }
      const parsed = parseJson(body, req);
      const visibleProjects = authorize(caller, matched.route, method, targetProject(matched.params, parsed, url.searchParams, caller));
      const ctx: Ctx = {
        method, path: url.pathname, params: matched.params, query: url.searchParams,
        body: parsed, store, env, now: clock(), caller, ...(visibleProjects ? { visibleProjects } : {}),
      };
      const reply = store.transaction(() => matched.route.handler(ctx));
      status = reply.status;
      if (reply.file) {
        res.writeHead(reply.status, {
          'Content-Type': reply.file.contentType, 'Content-Length': String(Buffer.byteLength(reply.file.data)),
          'Content-Disposition': `attachment; filename="${reply.file.name}"`,
        });
        res.end(reply.file.data);
      } else if (reply.status === 204 || reply.body === undefined) {
        // Scaleway's 204s carry Content-Type: application/json with an empty body (every recorded one)
        res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': '0' });
        res.end();
      } else sendJson(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status = err.status;
      sendError(res, err);
    }
    record(method, path, status, t0);
  }

  function authenticate(req: IncomingMessage): Caller {
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token.length === 0) throw deniedAuthentication('invalid_argument');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) throw deniedAuthentication('invalid_argument');
    const hash = sha256(token);
    for (const key of store.list('iam.api_key')) {
      if (key.hidden?.secret_hash !== hash) continue;
      const exp = key.data.expires_at;
      if (typeof exp === 'string' && Date.parse(exp) <= clock()) throw deniedAuthentication('expired');
      if (typeof key.data.application_id === 'string') return { accessKey: key.id, bearerType: 'application', bearerId: key.data.application_id };
      return { accessKey: key.id, bearerType: 'user', bearerId: String(key.data.user_id ?? OWNER_USER_ID) };
    }
    throw deniedAuthentication('not_found');
  }

  /**
   * The project a request acts on, when it can be told: the body's or the query's project_id, the
   * project of the resource named in the path (or of its parent: an LB frontend's LB …), or, for
   * a create without one, the key's default project. Undefined for organisation-wide lists.
   */
  function targetProject(params: Record<string, string>, body: unknown, query: URLSearchParams, caller: Caller): string | undefined {
    const fromBody = isObject(body) && typeof body.project_id === 'string' ? body.project_id : undefined;
    if (fromBody) return fromBody;
    const fromQuery = query.get('project_id');
    if (fromQuery) return fromQuery;
    for (const [name, value] of Object.entries(params)) {
      if (name === 'region' || name === 'zone') continue;
      let rec = store.findById(value);
      if (rec?.kind === 'account.project') return rec.id;
      // records whose answers omit their project (RDB backups, snapshots) keep it hidden
      if (typeof rec?.hidden?.project_id === 'string') return rec.hidden.project_id;
      for (let hops = 0; rec && typeof rec.data.project_id !== 'string' && hops < 3; hops += 1) {
        const parent = ['lb_id', 'gateway_id', 'namespace_id', 'function_id', 'cluster_id', 'instance_id', 'secret_id', 'frontend_id']
          .map((k) => rec!.data[k]).find((v): v is string => typeof v === 'string');
        rec = parent ? store.findById(parent) : undefined;
      }
      if (rec && typeof rec.data.project_id === 'string') return rec.data.project_id;
    }
    if (isObject(body)) return String(store.get('iam.api_key', caller.accessKey)?.data.default_project_id ?? store.projectId);
    return undefined;
  }

  /**
   * Application keys get what the rules of their policies (directly or through a group) grant:
   * `<Product>FullAccess`, `<Product>ReadOnly` or `AllProducts…`, organisation-wide or for listed
   * projects; user keys get everything. Returns the granted projects when the rules name some
   * (lists then show only those), undefined when the grant is organisation-wide.
   */
  function authorize(caller: Caller, route: Route, method: string, project: string | undefined): ReadonlySet<string> | undefined {
    if (route.product === '') return undefined;
    const write = method !== 'GET';
    const granted = grantedProjects(caller, route.product, write);
    if (granted === undefined) return undefined;
    if (granted.size === 0 || (project !== undefined && !granted.has(project))) {
      throw permissionsDenied(route.product.toLowerCase(), write ? 'write' : 'read');
    }
    return granted;
  }

  /** The projects the caller's rules grant the product on (read, or write); undefined: the whole organisation. */
  function grantedProjects(caller: Caller, product: string, write: boolean): Set<string> | undefined {
    if (caller.bearerType === 'user') return undefined;
    const groups = new Set(store.list('iam.group').filter((g) => ((g.data.application_ids as Json[]) ?? []).includes(caller.bearerId)).map((g) => g.id));
    const sets = PERMISSION_SETS[product] ?? { read: [`${product}ReadOnly`, `${product}FullAccess`, 'AllProductsReadOnly', 'AllProductsFullAccess'], write: [`${product}FullAccess`, 'AllProductsFullAccess'] };
    const wanted = new Set(write ? sets.write : sets.read);
    // the projects the matching rules grant; undefined once one rule grants the whole organisation
    let granted: Set<string> | undefined = new Set();
    for (const pol of store.list('iam.policy')) {
      if (pol.data.application_id !== caller.bearerId && !groups.has(String(pol.data.group_id))) continue;
      for (const rule of store.list('iam.rule')) {
        if (rule.data.policy_id !== pol.id) continue;
        if (!((rule.data.permission_set_names as Json[] | undefined) ?? []).some((s) => wanted.has(String(s)))) continue;
        const projects = rule.data.project_ids as Json[] | undefined;
        if (!projects) granted = undefined;
        else for (const p of projects) granted?.add(String(p));
      }
    }
    return granted;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  env.url = `http://${urlHost}:${actualPort}`;

  let closed = false;
  return {
    url: env.url,
    port: actualPort,
    organizationId: store.organizationId,
    projectId: store.projectId,
    accessKey,
    secretKey,
    requestLog,
    extras,
    setFaults: (c) => faults.set(c),
    setLatency: (ms) => { latencyMs = ms; },
    state: {
      count: (kind) => store.count(kind),
      get: (kind, id) => store.get(kind, id)?.data,
      list: (kind) => store.list(kind).map((r) => r.data),
      flush: async () => { await saver?.flush(); },
      bulkInsert: (kind, loc, items) => {
        store.transaction(() => {
          for (const data of items) store.put({ kind, id: String(data.id), loc, data });
        });
      },
    },
    close: async () => {
      if (closed) return;
      closed = true;
      extras.functions.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saver?.flush();
    },
  };
}

function addOwnerKey(store: Store, now: number): { accessKey: string; secretKey: string } {
  const accessKey = newAccessKey();
  const secretKey = uuid();
  store.put({
    kind: 'iam.api_key', id: accessKey, loc: 'global',
    data: {
      access_key: accessKey, secret_key: null, description: 'sandbox owner key',
      created_at: nowIso(now), updated_at: nowIso(now), expires_at: null,
      default_project_id: store.projectId, editable: true, deletable: false, managed: false,
      creation_ip: '127.0.0.1', user_id: OWNER_USER_ID,
    },
    hidden: { secret_hash: sha256(secretKey) },
  });
  return { accessKey, secretKey };
}

function safePath(u: string | undefined): string {
  const s = u ?? '/';
  const q = s.indexOf('?');
  return q < 0 ? s : s.slice(0, q);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(tooLarge(max));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > max) {
        failed = true;
        reject(tooLarge(max));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

function tooLarge(max: number): ApiError {
  return new ApiError(413, { message: `request body larger than ${max} bytes`, type: 'invalid_request_error' });
}

function parseJson(body: Buffer, req: IncomingMessage): unknown {
  if (body.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (type && !type.startsWith('application/json')) {
    throw invalidArguments([{ argument_name: 'body', reason: 'format', help_message: `unsupported content type ${type}` }]);
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw invalidArguments([{ argument_name: 'body', reason: 'format', help_message: 'request body is not valid JSON' }]);
  }
}

function sendJson(res: ServerResponse, status: number, body: Json, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // the SDK parses only when the type is exactly application/json: no charset suffix
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  if (err.body === null) {
    res.writeHead(err.status, { 'Content-Length': '0', ...err.headers });
    res.end();
    return;
  }
  sendJson(res, err.status, err.body, err.headers);
}
