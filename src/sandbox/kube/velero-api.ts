import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/*
 * Per Kapsule cluster, a minimal Kubernetes API at the kubeconfig's server URL
 * (`<sandbox>/k8s-api/<clusterId>`) that serves Velero's custom resources (velero.io/v1 Backup,
 * Schedule, Restore, DownloadRequest) the way `@kubernetes/client-node`'s CustomObjectsApi calls
 * them. There is no watch: clients poll, as the CLI does.
 *
 * Phases move on time, computed when an object is read (no timers, so a closed sandbox leaves
 * nothing running): New → InProgress after `startMs`, then Completed (or the outcome a test set
 * with `setRestoreOutcome`) after `runMs`. A schedule takes its first backup at creation, like
 * Velero does when a schedule has never run.
 *
 * Backups live in the object store, not in a cluster: every cluster's Velero syncs them from the
 * shared backup storage location. So Backup objects are shared by all clusters here, which is what
 * lets a replacement cluster restore the failed one's backups.
 */

export const KUBE_PREFIX = '/k8s-api/';
const GROUP = 'velero.io';
const VERSION = 'v1';
const KINDS: Record<string, string> = { backups: 'Backup', schedules: 'Schedule', restores: 'Restore', downloadrequests: 'DownloadRequest' };

/** Per-resource messages, in the shape Velero stores restore results (`velero restore describe --details`). */
export interface VeleroResults {
  velero?: string[];
  cluster?: string[];
  namespaces?: Record<string, string[]>;
}

export interface RestoreOutcome {
  phase: 'Completed' | 'PartiallyFailed' | 'Failed';
  warnings?: VeleroResults;
  errors?: VeleroResults;
  failureReason?: string;
}

export interface VeleroDelays {
  /** New → InProgress. */
  startMs: number;
  /** InProgress → final phase. */
  runMs: number;
}

export interface VeleroApiOptions {
  /** Where objects survive a restart (the sandbox's state file); absent: memory only. */
  persistence?: { load(): unknown; save(snapshot: unknown): void };
  /** Whether the cluster exists (a kubeconfig of a deleted cluster stops working). */
  clusterExists?(clusterId: string): boolean;
  /** Whether a bearer token is valid for the cluster; default: any non-empty token. */
  tokenValid?(clusterId: string, token: string): boolean;
  delays?: Partial<VeleroDelays>;
}

type Obj = Record<string, unknown> & { metadata: Record<string, unknown>; spec?: Record<string, unknown>; status?: Record<string, unknown> };

interface Stored {
  plural: string;
  namespace: string;
  obj: Obj;
  createdMs: number;
  /** For backups and restores: the outcome decided at creation. */
  outcome?: RestoreOutcome;
  /** Seeded objects have a fixed status and never move. */
  frozen?: boolean;
}

interface Cluster {
  objects: Map<string, Stored>;
  results: Map<string, Buffer>;
}

class KubeError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

export class VeleroApi {
  private readonly clusters = new Map<string, Cluster>();
  /** Backups are synced from the shared bucket: one set, seen by every cluster. */
  private readonly backups: Cluster = { objects: new Map(), results: new Map() };
  private readonly delays: VeleroDelays;
  private resourceVersion = 1000;
  private nextRestore: RestoreOutcome | undefined;
  private baseUrl = '';

  constructor(private readonly options: VeleroApiOptions = {}) {
    this.delays = { startMs: 50, runMs: 200, ...options.delays };
    const snap = options.persistence?.load() as { rv?: number; backups?: [string, Stored][]; clusters?: [string, [string, Stored][]][] } | undefined;
    if (snap) {
      this.resourceVersion = snap.rv ?? this.resourceVersion;
      for (const [k, v] of snap.backups ?? []) this.backups.objects.set(k, v);
      for (const [id, objects] of snap.clusters ?? []) this.clusters.set(id, { objects: new Map(objects), results: new Map() });
    }
  }

  /** Restore results are derived again on demand, so only the objects are kept. */
  private persist(): void {
    this.options.persistence?.save({
      rv: this.resourceVersion,
      backups: [...this.backups.objects],
      clusters: [...this.clusters].map(([id, c]) => [id, [...c.objects]]),
    });
  }

  setDelays(delays: Partial<VeleroDelays>): void {
    Object.assign(this.delays, delays);
  }

  /** The next restore created (in any cluster) ends with this outcome; tests make it PartiallyFailed. */
  setRestoreOutcome(outcome: RestoreOutcome | undefined): void {
    this.nextRestore = outcome;
  }

  /** Puts a backup that finished at `completedAt` (a past one: what a running Velero would have made). */
  seedBackup(name: string, init: { completedAt: Date; phase?: string; scheduleName?: string; namespace?: string; storageLocation?: string }): void {
    const ns = init.namespace ?? 'velero';
    const started = new Date(init.completedAt.getTime() - 60_000);
    const obj: Obj = {
      apiVersion: `${GROUP}/${VERSION}`, kind: 'Backup',
      metadata: {
        name, namespace: ns, uid: uid(), resourceVersion: String(++this.resourceVersion), creationTimestamp: started.toISOString(),
        labels: init.scheduleName ? { 'velero.io/schedule-name': init.scheduleName, 'velero.io/storage-location': init.storageLocation ?? 'default' } : {},
      },
      spec: { storageLocation: init.storageLocation ?? 'default', includedNamespaces: ['*'], ttl: '720h0m0s' },
      status: {
        phase: init.phase ?? 'Completed', startTimestamp: started.toISOString(), completionTimestamp: init.completedAt.toISOString(),
        expiration: new Date(init.completedAt.getTime() + 30 * 86_400_000).toISOString(), version: 1, formatVersion: '1.1.0',
        progress: { totalItems: 42, itemsBackedUp: 42 }, warnings: 0, errors: 0,
      },
    };
    this.backups.objects.set(keyOf('backups', ns, name), { plural: 'backups', namespace: ns, obj, createdMs: started.getTime(), frozen: true });
    this.persist();
  }

  /** Objects of a cluster, settled, for tests. */
  list(clusterId: string, plural: string): Obj[] {
    const c = plural === 'backups' ? this.backups : this.clusters.get(clusterId);
    if (!c) return [];
    return [...c.objects.values()].filter((s) => s.plural === plural).map((s) => this.settle(clusterId, c, s));
  }

  /** Handles a request under /k8s-api/; returns the status sent, or undefined when the path is not ours. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, baseUrl: string): Promise<number | undefined> {
    if (!url.pathname.startsWith(KUBE_PREFIX)) return undefined;
    this.baseUrl = baseUrl;
    const method = req.method ?? 'GET';
    const [clusterId = '', ...rest] = url.pathname.slice(KUBE_PREFIX.length).split('/');
    const path = `/${rest.join('/')}`;
    try {
      // restore results are fetched from a pre-signed URL, like Velero's object-store links: no bearer
      const download = /^\/_velero-results\/([A-Za-z0-9-]+)$/.exec(path);
      if (download && method === 'GET') {
        const data = this.clusters.get(clusterId)?.results.get(download[1]!);
        if (!data) throw new KubeError(404, 'NotFound', 'download link expired or unknown');
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) });
        res.end(data);
        return 200;
      }
      this.authenticate(req, clusterId);
      const reply = this.route(method, clusterId, path, url.searchParams, body);
      send(res, reply.status, reply.body);
      if (method !== 'GET' && reply.status < 300) this.persist();
      return reply.status;
    } catch (err) {
      if (!(err instanceof KubeError)) throw err;
      send(res, err.code, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code,
        ...(err.details ? { details: err.details } : {}),
      });
      return err.code;
    }
  }

  private authenticate(req: IncomingMessage, clusterId: string): void {
    if (this.options.clusterExists && !this.options.clusterExists(clusterId)) {
      // what a client sees when the cluster behind a kubeconfig is gone: nothing answers there
      throw new KubeError(404, 'NotFound', `cluster ${clusterId} not found`);
    }
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const valid = this.options.tokenValid ? this.options.tokenValid(clusterId, token) : token.length > 0;
    if (!valid) throw new KubeError(401, 'Unauthorized', 'Unauthorized');
  }

  private cluster(id: string): Cluster {
    let c = this.clusters.get(id);
    if (!c) {
      c = { objects: new Map(), results: new Map() };
      this.clusters.set(id, c);
    }
    return c;
  }

  private route(method: string, clusterId: string, path: string, q: URLSearchParams, body: Buffer): { status: number; body: unknown } {
    if (method === 'GET' && path === '/version') {
      return { status: 200, body: { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' } };
    }
    const m = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/(status))?$/.exec(path);
    if (!m || m[1] !== GROUP || m[2] !== VERSION || !KINDS[m[4]!]) {
      throw new KubeError(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`);
    }
    const [, , , namespace, plural, name] = m as unknown as [string, string, string, string, string, string | undefined];
    const c = plural === 'backups' ? this.backups : this.cluster(clusterId);
    const kind = KINDS[plural]!;
    if (method === 'GET' && !name) {
      const selector = parseSelector(q.get('labelSelector'));
      const items = [...c.objects.values()]
        .filter((s) => s.plural === plural && s.namespace === namespace)
        .map((s) => this.settle(clusterId, c, s))
        .filter((o) => matches(o, selector));
      return { status: 200, body: { apiVersion: `${GROUP}/${VERSION}`, kind: `${kind}List`, metadata: { resourceVersion: String(this.resourceVersion) }, items } };
    }
    if (method === 'GET' && name) {
      const s = c.objects.get(keyOf(plural, namespace, name));
      if (!s) throw notFound(plural, name);
      return { status: 200, body: this.settle(clusterId, c, s) };
    }
    if (method === 'POST' && !name) {
      let obj: Obj;
      try {
        obj = JSON.parse(body.toString('utf8')) as Obj;
      } catch {
        throw new KubeError(400, 'BadRequest', 'the request body is not valid JSON');
      }
      const objName = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : undefined;
      if (!objName || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(objName)) {
        throw new KubeError(422, 'Invalid', `${kind}.${GROUP} is invalid: metadata.name: Required value`);
      }
      if (c.objects.has(keyOf(plural, namespace, objName))) {
        throw new KubeError(409, 'AlreadyExists', `${plural}.${GROUP} "${objName}" already exists`, { name: objName, group: GROUP, kind: plural });
      }
      const created = this.create(clusterId, c, plural, namespace, obj);
      return { status: 201, body: created };
    }
    if (method === 'DELETE' && name) {
      const k = keyOf(plural, namespace, name);
      const s = c.objects.get(k);
      if (!s) throw notFound(plural, name);
      c.objects.delete(k);
      return { status: 200, body: this.settle(clusterId, c, s) };
    }
    throw new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  private create(clusterId: string, c: Cluster, plural: string, namespace: string, input: Obj, now = Date.now()): Obj {
    const obj: Obj = {
      ...input,
      apiVersion: `${GROUP}/${VERSION}`, kind: KINDS[plural]!,
      metadata: { labels: {}, ...input.metadata, namespace, uid: uid(), resourceVersion: String(++this.resourceVersion), creationTimestamp: new Date(now).toISOString(), generation: 1 },
      spec: input.spec ?? {},
    };
    delete obj.status;
    const stored: Stored = { plural, namespace, obj, createdMs: now };
    if (plural === 'restores') {
      stored.outcome = this.nextRestore ?? { phase: 'Completed' };
      this.nextRestore = undefined;
    }
    c.objects.set(keyOf(plural, namespace, String(obj.metadata.name)), stored);
    if (plural === 'schedules') {
      const spec = obj.spec as { paused?: boolean; skipImmediately?: boolean; template?: Record<string, unknown> };
      if (!spec.paused && !spec.skipImmediately) {
        const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
        this.create(clusterId, this.backups, 'backups', namespace, {
          metadata: { name: `${String(obj.metadata.name)}-${stamp}`, labels: { 'velero.io/schedule-name': String(obj.metadata.name) } },
          spec: { ...(spec.template ?? {}) },
        }, now);
        obj.status = { phase: 'Enabled', lastBackup: new Date(now).toISOString() };
      }
    }
    return this.settle(clusterId, c, stored);
  }

  /** Brings an object's status up to date with the clock; returns a copy. */
  private settle(clusterId: string, c: Cluster, s: Stored, now = Date.now()): Obj {
    if (s.frozen) return structuredClone(s.obj);
    const age = now - s.createdMs;
    const started = new Date(s.createdMs + this.delays.startMs).toISOString();
    const finished = new Date(s.createdMs + this.delays.startMs + this.delays.runMs).toISOString();
    const done = age >= this.delays.startMs + this.delays.runMs;
    const running = age >= this.delays.startMs;
    const obj = s.obj;
    if (s.plural === 'backups') {
      obj.status = done
        ? { phase: 'Completed', startTimestamp: started, completionTimestamp: finished, version: 1, formatVersion: '1.1.0', progress: { totalItems: 42, itemsBackedUp: 42 }, warnings: 0, errors: 0 }
        : running ? { phase: 'InProgress', startTimestamp: started, progress: { totalItems: 42, itemsBackedUp: 10 } } : { phase: 'New' };
    } else if (s.plural === 'restores') {
      obj.status = this.restoreStatus(clusterId, c, s, running, done, started, finished);
    } else if (s.plural === 'schedules') {
      obj.status = obj.status ?? { phase: (obj.spec as { paused?: boolean }).paused ? 'Paused' : 'Enabled' };
    } else if (s.plural === 'downloadrequests') {
      obj.status = this.downloadStatus(clusterId, c, obj);
    }
    obj.metadata.resourceVersion = String(this.resourceVersion);
    return structuredClone(obj);
  }

  private restoreStatus(clusterId: string, c: Cluster, s: Stored, running: boolean, done: boolean, started: string, finished: string): Record<string, unknown> {
    const backupName = String((s.obj.spec as { backupName?: string }).backupName ?? '');
    const backup = this.backups.objects.get(keyOf('backups', s.namespace, backupName));
    const backupPhase = backup ? (this.settle(clusterId, this.backups, backup).status as { phase?: string } | undefined)?.phase : undefined;
    if (backupPhase !== 'Completed' && backupPhase !== 'PartiallyFailed') {
      return { phase: 'FailedValidation', validationErrors: [backup ? `backup ${backupName} is not ready to be restored (phase ${backupPhase ?? 'unknown'})` : `Error retrieving backup: backup.velero.io "${backupName}" not found`] };
    }
    if (!running) return { phase: 'New' };
    if (!done) return { phase: 'InProgress', startTimestamp: started, progress: { totalItems: 42, itemsRestored: 17 } };
    const o = s.outcome ?? { phase: 'Completed' };
    const name = String(s.obj.metadata.name);
    if (!c.results.has(`results-${name}`)) {
      c.results.set(`results-${name}`, gzipSync(JSON.stringify({ warnings: o.warnings ?? {}, errors: o.errors ?? {} })));
    }
    return {
      phase: o.phase, startTimestamp: started, completionTimestamp: finished,
      warnings: count(o.warnings), errors: count(o.errors),
      ...(o.failureReason ? { failureReason: o.failureReason } : {}),
      progress: { totalItems: 42, itemsRestored: o.phase === 'Completed' ? 42 : 42 - count(o.errors) },
    };
  }

  private downloadStatus(clusterId: string, c: Cluster, obj: Obj): Record<string, unknown> {
    const target = (obj.spec as { target?: { kind?: string; name?: string } }).target;
    if (target?.kind !== 'RestoreResults' || !target.name) return { phase: 'New' };
    const restore = c.objects.get(keyOf('restores', String(obj.metadata.namespace), target.name));
    if (restore) this.settle(clusterId, c, restore);
    if (!c.results.has(`results-${target.name}`)) return { phase: 'New' };
    return {
      phase: 'Processed',
      downloadURL: `${this.baseUrl}${KUBE_PREFIX}${clusterId}/_velero-results/results-${target.name}`,
      expiration: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
  }
}

function keyOf(plural: string, namespace: string, name: string): string {
  return `${plural}/${namespace}/${name}`;
}

function notFound(plural: string, name: string): KubeError {
  return new KubeError(404, 'NotFound', `${plural}.${GROUP} "${name}" not found`, { name, group: GROUP, kind: plural });
}

function uid(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function count(r: VeleroResults | undefined): number {
  if (!r) return 0;
  return (r.velero?.length ?? 0) + (r.cluster?.length ?? 0) + Object.values(r.namespaces ?? {}).reduce((n, l) => n + l.length, 0);
}

function parseSelector(s: string | null): [string, string][] {
  if (!s) return [];
  return s.split(',').map((p) => p.split('=').map((x) => x.trim()) as [string, string]).filter(([k]) => k);
}

function matches(o: Obj, selector: [string, string][]): boolean {
  const labels = (o.metadata.labels ?? {}) as Record<string, string>;
  return selector.every(([k, v]) => labels[k] === v);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
