import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { cronTimesBetween } from '../cron';
import { KubeApi, KUBE_PREFIX, type ClusterView, type KubeObject, type StoredObject } from './kube-api';

/*
 * Velero in the sandbox's clusters: a model of the Velero server that runs in a cluster only once
 * it was installed there. A new cluster serves no `velero.io` API (404, see kube-api.ts); after
 * the CRDs are created the objects can be stored, but nothing moves them until the `velero`
 * Deployment in the `velero` namespace is Available. Then:
 *
 * - a BackupStorageLocation is validated like Velero's controller does: the AWS object-store
 *   plugin must be installed (an init container), the bucket must exist in that region, `s3Url`
 *   must be Scaleway's endpoint for the region and the credentials Secret must hold a working
 *   access key → `Available`, else `Unavailable` with the reason;
 * - Backups, Schedules, Restores and DownloadRequests move on time, computed when an object is
 *   read (no timers, so a closed sandbox leaves nothing running): New → InProgress after
 *   `startMs`, then Completed (or the outcome a test set with `setRestoreOutcome`) after `runMs`,
 *   counted from when both the object and Velero exist. A backup whose storage location is not
 *   Available fails validation. A schedule takes its first backup when Velero first sees it, then
 *   one at every time its cron expression names (UTC), as a Velero that kept running would have.
 * - A backup that completes writes what Velero writes into its storage location's bucket
 *   (`[prefix/]backups/<name>/velero-backup.json`, the `.tar.gz` of the resources, the logs, the
 *   resource list and the results), stamped with its completion time, so whatever copies the
 *   bucket (the DR backup-copy function) finds real objects.
 *
 * Nothing runs on timers: before a request to any cluster's Kubernetes API or to Object Storage,
 * the sandbox lets every cluster's Velero catch up to the clock (`catchUp`).
 *
 * Backups live in the object store, not in a cluster: a cluster's Velero syncs them from its
 * storage locations. So a Backup shows in the cluster that took it and in every cluster with an
 * Available storage location whose bucket (and prefix) holds the backup's `velero-backup.json`:
 * a replacement cluster restores the failed one's backups only when its Velero reads the bucket
 * that holds them, or the DR copy of it (prefix `velero`). Seeded backups (`seedBackup`, the past
 * of a running Velero) show everywhere.
 */

export { KUBE_PREFIX };
const GROUP = 'velero.io';
const VERSION = 'v1';
const NAMESPACE = 'velero';
const DEPLOYMENT = 'velero';
/** The CRDs the server needs before it starts (it exits when one is missing). */
const REQUIRED = ['backups', 'schedules', 'restores', 'backupstoragelocations', 'downloadrequests', 'datauploads', 'datadownloads'];

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
  /** Whether an S3 access key and secret key work (the BSL's credentials); default: both non-empty. */
  credentialsValid?(accessKey: string, secretKey: string): boolean;
  /** Whether the bucket exists in the region; default: yes. */
  bucketAccess?(region: string, bucket: string, accessKeyId: string): 'ok' | 'NoSuchBucket' | 'AccessDenied';
  delays?: Partial<VeleroDelays>;
  /** A Deployment's rollout time (ms). */
  readyMs?: number;
  /** Whether a bucket holds an object (a cluster sees another cluster's backup only through its files). */
  objectExists?(region: string, bucket: string, key: string): boolean;
  /** Writes an object into a bucket as of `at` (a completed backup's files); false when the bucket is gone. */
  writeObject?(region: string, bucket: string, key: string, body: Buffer, contentType: string, at: number): boolean;
  /** The clock (tests move it to see schedules fall due). */
  now?(): number;
}

const FINAL = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

export class VeleroApi {
  /** The clusters' Kubernetes API; Velero is one controller in it. */
  readonly kube: KubeApi;
  private readonly delays: VeleroDelays;
  private nextRestore: RestoreOutcome | undefined;
  private readonly results = new Map<string, Buffer>();
  /** Whether a catch-up created a backup or wrote files (then the state is saved). */
  private moved = false;
  private readonly now: () => number;

  constructor(private readonly options: VeleroApiOptions = {}) {
    this.delays = { startMs: 50, runMs: 200, ...options.delays };
    this.now = options.now ?? Date.now;
    this.kube = new KubeApi({ persistence: options.persistence, clusterExists: options.clusterExists, tokenValid: options.tokenValid, readyMs: options.readyMs, now: this.now });
    this.kube.addController({
      shared: new Set([`${GROUP}/backups`]),
      settle: (view, s, now) => this.settle(view, s, now),
      created: (view, s, now) => this.created(view, s, now),
      visible: (view, s, now) => this.visible(view, s, now),
    });
  }

  setDelays(delays: Partial<VeleroDelays> & { readyMs?: number }): void {
    const { readyMs, ...rest } = delays;
    Object.assign(this.delays, rest);
    if (readyMs !== undefined) this.kube.setReadyMs(readyMs);
  }

  /** The next restore created (in any cluster) ends with this outcome; tests make it PartiallyFailed. */
  setRestoreOutcome(outcome: RestoreOutcome | undefined): void {
    this.nextRestore = outcome;
  }

  /** Puts a backup that finished at `completedAt` (a past one: what a running Velero would have made). */
  seedBackup(name: string, init: { completedAt: Date; phase?: string; scheduleName?: string; namespace?: string; storageLocation?: string }): void {
    const ns = init.namespace ?? NAMESPACE;
    const started = new Date(init.completedAt.getTime() - 60_000);
    const obj: KubeObject = {
      apiVersion: `${GROUP}/${VERSION}`, kind: 'Backup',
      metadata: {
        ...this.kube.newMeta(name, ns, started.getTime()),
        labels: init.scheduleName ? { 'velero.io/schedule-name': init.scheduleName, 'velero.io/storage-location': init.storageLocation ?? 'default' } : {},
      },
      spec: { storageLocation: init.storageLocation ?? 'default', includedNamespaces: ['*'], ttl: '720h0m0s' },
      status: {
        phase: init.phase ?? 'Completed', startTimestamp: started.toISOString(), completionTimestamp: init.completedAt.toISOString(),
        expiration: new Date(init.completedAt.getTime() + 30 * 86_400_000).toISOString(), version: 1, formatVersion: '1.1.0',
        progress: { totalItems: 42, itemsBackedUp: 42 }, warnings: 0, errors: 0,
      },
    };
    this.kube.putObject('', { group: GROUP, plural: 'backups', namespace: ns, obj, createdMs: started.getTime(), specChangedMs: started.getTime(), frozen: true });
    this.kube.persist();
  }

  /** Velero objects of a cluster, settled, for tests (backups are shared: any cluster id lists them). */
  list(clusterId: string, plural: string): KubeObject[] {
    const view = this.kube.view(clusterId);
    const now = this.now();
    return view.list(GROUP, plural).map((s) => {
      this.settle(view, s, now);
      return structuredClone(s.obj);
    });
  }

  /**
   * Moves every cluster's Velero up to `now`: schedules take the backups that fell due, backups
   * finish and write their files into the bucket. Saves the state when anything moved.
   */
  catchUp(now = this.now()): void {
    this.moved = false;
    for (const id of this.kube.clusterIds()) {
      const view = this.kube.view(id);
      if (this.runningSince(view, now) === undefined) continue;
      for (const s of view.list(GROUP, 'schedules')) this.settle(view, s, now);
      for (const s of view.list(GROUP, 'backups')) this.settle(view, s, now);
    }
    if (this.moved) this.kube.persist();
  }

  /** Handles a request under /k8s-api/; returns the status sent, or undefined when the path is not ours. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, baseUrl: string): Promise<number | undefined> {
    if (url.pathname.startsWith(KUBE_PREFIX)) this.catchUp();
    return this.kube.handle(req, res, url, body, baseUrl, (clusterId, path) => {
      // restore results are fetched from a pre-signed URL, like Velero's object-store links: no bearer
      const m = /^\/_velero-results\/([A-Za-z0-9.-]+)$/.exec(path);
      if (!m) return undefined;
      const data = this.results.get(`${clusterId}/${m[1]}`);
      return data ? { status: 200, data } : { status: 404, data: Buffer.from('download link expired or unknown') };
    });
  }

  /** A backup shows where it was taken, and where an Available storage location holds its files. */
  private visible(view: ClusterView, s: StoredObject, now: number): boolean {
    if (s.group !== GROUP || s.plural !== 'backups') return true;
    const origin = s.hidden?.cluster;
    if (origin === undefined || origin === view.id || !this.options.objectExists) return true;
    const name = s.obj.metadata.name;
    return view.list(GROUP, 'backupstoragelocations').some((bsl) => {
      const spec = (bsl.obj.spec ?? {}) as { objectStorage?: { bucket?: string; prefix?: string }; config?: Record<string, string> };
      const prefix = spec.objectStorage?.prefix ? `${spec.objectStorage.prefix.replace(/\/+$/, '')}/` : '';
      return this.validateLocation(view, bsl, now).phase === 'Available'
        && this.options.objectExists!(spec.config?.region ?? '', spec.objectStorage?.bucket ?? '', `${prefix}backups/${name}/velero-backup.json`);
    });
  }

  /** Since when Velero runs in this cluster: its Deployment Available and its CRDs present. */
  private runningSince(view: ClusterView, now: number): number | undefined {
    if (!REQUIRED.every((p) => view.serves(GROUP, p))) return undefined;
    return view.availableSince(NAMESPACE, DEPLOYMENT, now);
  }

  private created(view: ClusterView, s: StoredObject, now: number): void {
    if (s.group !== GROUP) return;
    if (s.plural === 'backups') s.hidden = { ...s.hidden, cluster: view.id };
    if (s.plural === 'restores') {
      s.hidden = { ...s.hidden, outcome: this.nextRestore ?? { phase: 'Completed' } };
      this.nextRestore = undefined;
    }
    this.settle(view, s, now);
  }

  private settle(view: ClusterView, s: StoredObject, now: number): void {
    if (s.group !== GROUP || s.frozen) return;
    const phase = (s.obj.status as { phase?: string } | undefined)?.phase;
    if (s.plural === 'backups') {
      if (phase && FINAL.has(phase)) return;
      const origin = String(s.hidden?.cluster ?? view.id);
      const originView = origin === view.id ? view : this.kube.view(origin);
      const since = this.runningSince(originView, now);
      if (since === undefined) return;
      this.settleBackup(originView, s, Math.max(s.createdMs, since), now);
      return;
    }
    const since = this.runningSince(view, now);
    if (s.plural === 'backupstoragelocations') {
      if (since !== undefined) s.obj.status = this.validateLocation(view, s, now);
      return;
    }
    if (since === undefined) return;
    const base = Math.max(s.createdMs, since);
    if (s.plural === 'schedules') this.settleSchedule(view, s, base, now);
    else if (s.plural === 'restores') {
      if (phase && FINAL.has(phase)) return;
      s.obj.status = this.restoreStatus(view, s, base, now);
    } else if (s.plural === 'downloadrequests') s.obj.status = this.downloadStatus(view, s);
  }

  /** The storage location a backup writes to: the one it names, else the default one. */
  private locationOf(view: ClusterView, namespace: string, name: string | undefined): StoredObject | undefined {
    const all = view.list(GROUP, 'backupstoragelocations', namespace);
    return name ? all.find((l) => l.obj.metadata.name === name) : all.find((l) => (l.obj.spec as { default?: boolean })?.default);
  }

  private settleBackup(view: ClusterView, s: StoredObject, base: number, now: number): void {
    const name = (s.obj.spec as { storageLocation?: string } | undefined)?.storageLocation;
    const bsl = this.locationOf(view, s.namespace, name);
    if (!bsl) {
      s.obj.status = { phase: 'FailedValidation', validationErrors: [name ? `an existing backup storage location was not specified at backup creation time and the default '${name}' was not found` : `an existing backup storage location was not specified at backup creation time and the server default 'default' does not exist`] };
      return;
    }
    const location = this.validateLocation(view, bsl, now);
    if (location.phase !== 'Available') {
      s.obj.status = { phase: 'FailedValidation', validationErrors: [`backup can't be created because BackupStorageLocation ${bsl.obj.metadata.name} is in Unavailable status. please create a new backup after the BSL becomes available`] };
      return;
    }
    s.obj.spec = { ...s.obj.spec, storageLocation: bsl.obj.metadata.name };
    s.obj.metadata.labels = { ...(s.obj.metadata.labels ?? {}), 'velero.io/storage-location': bsl.obj.metadata.name };
    const started = new Date(base + this.delays.startMs).toISOString();
    const finished = new Date(base + this.delays.startMs + this.delays.runMs).toISOString();
    const age = now - base;
    s.obj.status = age >= this.delays.startMs + this.delays.runMs
      ? { phase: 'Completed', startTimestamp: started, completionTimestamp: finished, expiration: new Date(base + 30 * 86_400_000).toISOString(), version: 1, formatVersion: '1.1.0', progress: { totalItems: 42, itemsBackedUp: 42 }, warnings: 0, errors: 0 }
      : age >= this.delays.startMs ? { phase: 'InProgress', startTimestamp: started, progress: { totalItems: 42, itemsBackedUp: 10 } } : { phase: 'New' };
    if ((s.obj.status as { phase: string }).phase === 'Completed' && !s.hidden?.stored) {
      this.store(bsl, s, Date.parse(finished));
      s.hidden = { ...s.hidden, stored: true };
      this.moved = true;
    }
  }

  /** The files Velero writes for a completed backup, in its storage location's bucket. */
  private store(bsl: StoredObject, backup: StoredObject, at: number): void {
    const spec = (bsl.obj.spec ?? {}) as { objectStorage?: { bucket?: string; prefix?: string }; config?: Record<string, string> };
    const region = spec.config?.region ?? '';
    const bucket = spec.objectStorage?.bucket ?? '';
    if (!this.options.writeObject || !region || !bucket) return;
    const name = backup.obj.metadata.name;
    const dir = `${spec.objectStorage?.prefix ? `${spec.objectStorage.prefix.replace(/\/+$/, '')}/` : ''}backups/${name}/`;
    const items = [{ kind: 'Namespace', name: 'default' }, { kind: 'ConfigMap', namespace: 'default', name: 'kube-root-ca.crt' }];
    const files: [string, Buffer, string][] = [
      ['velero-backup.json', Buffer.from(JSON.stringify(backup.obj)), 'application/json'],
      [`${name}.tar.gz`, gzipSync(JSON.stringify(items)), 'application/octet-stream'],
      [`${name}-logs.gz`, gzipSync(`time="${new Date(at).toISOString()}" level=info msg="Backup completed" backup=velero/${name}\n`), 'application/octet-stream'],
      [`${name}-resource-list.json.gz`, gzipSync(JSON.stringify({ 'v1/Namespace': ['default'], 'v1/ConfigMap': ['default/kube-root-ca.crt'] })), 'application/octet-stream'],
      [`${name}-results.gz`, gzipSync(JSON.stringify({ warnings: {}, errors: {} })), 'application/octet-stream'],
    ];
    for (const [file, body, type] of files) this.options.writeObject(region, bucket, dir + file, body, type, at);
  }

  private settleSchedule(view: ClusterView, s: StoredObject, base: number, now: number): void {
    const spec = (s.obj.spec ?? {}) as { paused?: boolean; skipImmediately?: boolean; template?: Record<string, unknown>; schedule?: string };
    const status = (s.obj.status ?? {}) as Record<string, unknown>;
    if (spec.paused) {
      s.obj.status = { ...status, phase: 'Paused' };
      return;
    }
    if (!s.hidden?.firstBackup && !spec.skipImmediately) {
      // Velero runs a schedule that never ran at once
      const name = this.scheduledBackup(view, s, spec.template, base, now);
      s.hidden = { ...s.hidden, firstBackup: name };
      s.obj.status = { ...status, phase: 'Enabled', lastBackup: new Date(base).toISOString() };
      return;
    }
    // then at every time the cron expression names since the last one (or since Velero runs)
    const last = Date.parse(String(status.lastBackup ?? '')) || base;
    const due = spec.schedule ? cronTimesBetween(spec.schedule, last, now) : [];
    for (const at of due) this.scheduledBackup(view, s, spec.template, at, now);
    s.obj.status = { ...status, phase: 'Enabled', ...(due.length ? { lastBackup: new Date(due[due.length - 1]!).toISOString() } : {}) };
  }

  /** The backup a schedule takes at `at`, named like Velero's (`<schedule>-<yyyyMMddHHmmss>`). */
  private scheduledBackup(view: ClusterView, s: StoredObject, template: Record<string, unknown> | undefined, at: number, now: number): string {
    const stamp = new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const name = `${s.obj.metadata.name}-${stamp}`;
    const obj: KubeObject = {
      apiVersion: `${GROUP}/${VERSION}`, kind: 'Backup',
      metadata: { ...this.kube.newMeta(name, s.namespace, at), labels: { 'velero.io/schedule-name': s.obj.metadata.name } },
      spec: { ...(template ?? {}) },
    };
    const backup: StoredObject = { group: GROUP, plural: 'backups', namespace: s.namespace, obj, createdMs: at, specChangedMs: at, hidden: { cluster: view.id } };
    this.kube.putObject(view.id, backup);
    this.moved = true;
    this.settle(view, backup, now);
    return name;
  }

  /** What Velero's BackupStorageLocation controller finds when it validates a location. */
  private validateLocation(view: ClusterView, s: StoredObject, now: number): Record<string, unknown> {
    const spec = (s.obj.spec ?? {}) as { provider?: string; objectStorage?: { bucket?: string }; config?: Record<string, string>; credential?: { name?: string; key?: string } };
    const stamp = new Date(now).toISOString();
    const unavailable = (message: string) => ({ phase: 'Unavailable', lastValidationTime: stamp, message });
    const deployment = view.get('apps', 'deployments', NAMESPACE, DEPLOYMENT);
    const images = ((deployment?.obj.spec as { template?: { spec?: { initContainers?: { image?: string }[] } } } | undefined)?.template?.spec?.initContainers ?? []).map((c) => c.image ?? '');
    const provider = spec.provider === 'aws' ? 'velero.io/aws' : spec.provider;
    if (provider !== 'velero.io/aws' || !images.some((i) => /velero-plugin-for-aws:/.test(i))) {
      return unavailable(`BackupStorageLocation "${s.obj.metadata.name}" is unavailable: unable to locate ObjectStore plugin named ${provider ?? '(none)'}`);
    }
    const region = spec.config?.region ?? '';
    const bucket = spec.objectStorage?.bucket ?? '';
    const endpoint = `https://s3.${region}.scw.cloud`;
    if (spec.config?.s3Url !== endpoint) {
      return unavailable(`BackupStorageLocation "${s.obj.metadata.name}" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, https response error: dial tcp: lookup ${spec.config?.s3Url ?? '(no s3Url)'}: no such host (region ${region || '(none)'} is served at ${endpoint})`);
    }
    const credName = spec.credential?.name ?? 'cloud-credentials';
    const credKey = spec.credential?.key ?? 'cloud';
    const secret = view.get('', 'secrets', s.namespace, credName);
    const file = secret ? Buffer.from(String((secret.obj.data as Record<string, string> | undefined)?.[credKey] ?? ''), 'base64').toString('utf8') : '';
    const ak = /aws_access_key_id\s*=\s*(\S+)/.exec(file)?.[1] ?? '';
    const sk = /aws_secret_access_key\s*=\s*(\S+)/.exec(file)?.[1] ?? '';
    const credentialsOk = ak && sk && (this.options.credentialsValid ? this.options.credentialsValid(ak, sk) : true);
    if (!credentialsOk) {
      return unavailable(`BackupStorageLocation "${s.obj.metadata.name}" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, https response error StatusCode: 403, api error InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.`);
    }
    const access = this.options.bucketAccess?.(region, bucket, ak) ?? 'ok';
    if (access === 'NoSuchBucket') {
      return unavailable(`BackupStorageLocation "${s.obj.metadata.name}" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, https response error StatusCode: 404, api error NoSuchBucket: The specified bucket does not exist`);
    }
    if (access === 'AccessDenied') {
      // the key acts in another project than the bucket's (its preferred one, or the one after "@"), or its rules do not grant Object Storage there
      return unavailable(`BackupStorageLocation "${s.obj.metadata.name}" is unavailable: rpc error: code = Unknown desc = operation error S3: ListObjectsV2, https response error StatusCode: 403, api error AccessDenied: Access Denied`);
    }
    return { phase: 'Available', lastValidationTime: stamp, lastSyncedTime: stamp };
  }

  private restoreStatus(view: ClusterView, s: StoredObject, base: number, now: number): Record<string, unknown> {
    const backupName = String((s.obj.spec as { backupName?: string }).backupName ?? '');
    const found = view.get(GROUP, 'backups', s.namespace, backupName);
    if (found) this.settle(view, found, now);
    const backup = found && this.visible(view, found, now) ? found : undefined;
    const backupPhase = (backup?.obj.status as { phase?: string } | undefined)?.phase;
    if (backupPhase !== 'Completed' && backupPhase !== 'PartiallyFailed') {
      return { phase: 'FailedValidation', validationErrors: [backup ? `backup ${backupName} is not ready to be restored (phase ${backupPhase ?? 'unknown'})` : `Error retrieving backup: backup.velero.io "${backupName}" not found`] };
    }
    const age = now - base;
    const started = new Date(base + this.delays.startMs).toISOString();
    const finished = new Date(base + this.delays.startMs + this.delays.runMs).toISOString();
    if (age < this.delays.startMs) return { phase: 'New' };
    if (age < this.delays.startMs + this.delays.runMs) return { phase: 'InProgress', startTimestamp: started, progress: { totalItems: 42, itemsRestored: 17 } };
    const o = (s.hidden?.outcome as RestoreOutcome | undefined) ?? { phase: 'Completed' };
    return {
      phase: o.phase, startTimestamp: started, completionTimestamp: finished,
      warnings: count(o.warnings), errors: count(o.errors),
      ...(o.failureReason ? { failureReason: o.failureReason } : {}),
      progress: { totalItems: 42, itemsRestored: o.phase === 'Completed' ? 42 : 42 - count(o.errors) },
    };
  }

  private downloadStatus(view: ClusterView, s: StoredObject): Record<string, unknown> {
    const target = (s.obj.spec as { target?: { kind?: string; name?: string } }).target;
    if (target?.kind !== 'RestoreResults' || !target.name) return { phase: 'New' };
    const restore = view.get(GROUP, 'restores', s.namespace, target.name);
    const phase = (restore?.obj.status as { phase?: string } | undefined)?.phase;
    if (!restore || !phase || !FINAL.has(phase) || phase === 'FailedValidation') return { phase: 'New' };
    const o = (restore.hidden?.outcome as RestoreOutcome | undefined) ?? { phase: 'Completed' };
    const id = `results-${target.name}`;
    // derived again on demand, so only the objects are kept in the state file
    this.results.set(`${view.id}/${id}`, gzipSync(JSON.stringify({ warnings: o.warnings ?? {}, errors: o.errors ?? {} })));
    return {
      phase: 'Processed',
      downloadURL: `${this.kube.baseUrl}${KUBE_PREFIX}${view.id}/_velero-results/${id}`,
      expiration: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
  }
}

function count(r: VeleroResults | undefined): number {
  if (!r) return 0;
  return (r.velero?.length ?? 0) + (r.cluster?.length ?? 0) + Object.values(r.namespaces ?? {}).reduce((n, l) => n + l.length, 0);
}
