import { gunzipSync } from 'node:zlib';
import type { VeleroBackup, VeleroRestore, VeleroResults, VeleroSchedule } from '../../core/dr/velero';
import { kubeConfigFromYaml, kubeError, kubeStatus } from '../kube-client';
import { veleroHealthOf } from '../readers/velero-install';

/** What the DR operations need from a cluster's Velero (read its backups, create and follow a restore). */
export interface VeleroPort {
  /** `Available` when Velero runs (CRDs, an Available Deployment, a validated storage location), else why not. */
  health(): Promise<{ installed: boolean; health: string }>;
  listBackups(): Promise<VeleroBackup[]>;
  listSchedules(): Promise<VeleroSchedule[]>;
  /** Creates a Velero Schedule (what a landing zone's bootstrap does; tests use it too). */
  createSchedule(name: string, schedule: string, ttl?: string): Promise<void>;
  getRestore(name: string): Promise<VeleroRestore | undefined>;
  createRestore(name: string, backupName: string, labels: Record<string, string>): Promise<VeleroRestore>;
  /** The per-resource warnings and errors of a finished restore (through a DownloadRequest, as the velero CLI does). */
  restoreResults(name: string): Promise<{ warnings: VeleroResults; errors: VeleroResults }>;
}

const GROUP = 'velero.io';
const VERSION = 'v1';

type KubeObject = { metadata?: { name?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; status?: Record<string, unknown> };

/**
 * A Velero client on a cluster's kubeconfig (what the k8s API's `getClusterKubeConfig` returns),
 * through the tool's one Kubernetes client (src/scaleway/kube-client.ts).
 */
export async function veleroFromKubeconfig(kubeconfig: string, namespace = 'velero'): Promise<VeleroPort> {
  return veleroClient(await kubeConfigFromYaml(kubeconfig), namespace);
}

/** A Velero client on a cluster the Kubernetes client reaches (kubeConfigFor, kubeConfigFromYaml). */
export function veleroClient({ k8s, kc }: Awaited<ReturnType<typeof kubeConfigFromYaml>>, namespace = 'velero'): VeleroPort {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const base = { group: GROUP, version: VERSION, namespace };
  const isNotFound = (err: unknown) => kubeStatus(err) === 404;

  const port: VeleroPort = guarded({
    async health() {
      const h = await veleroHealthOf(k8s, kc);
      return { installed: h.installed, health: h.installed ? h.health : 'Velero is not installed (the cluster serves no velero.io API)' };
    },
    async listBackups() {
      const list = (await api.listNamespacedCustomObject({ ...base, plural: 'backups' })) as { items?: KubeObject[] };
      return (list.items ?? []).map(toBackup);
    },
    async listSchedules() {
      const list = (await api.listNamespacedCustomObject({ ...base, plural: 'schedules' })) as { items?: KubeObject[] };
      return (list.items ?? []).map((o) => ({
        name: o.metadata?.name ?? '',
        schedule: String(o.spec?.schedule ?? ''),
        paused: o.spec?.paused === true,
        lastBackup: typeof o.status?.lastBackup === 'string' ? o.status.lastBackup : undefined,
      }));
    },
    async createSchedule(name, schedule, ttl) {
      await api.createNamespacedCustomObject({
        ...base, plural: 'schedules',
        body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Schedule', metadata: { name, namespace }, spec: { schedule, template: { ttl: ttl ?? '720h0m0s', includedNamespaces: ['*'] } } },
      });
    },
    async getRestore(name) {
      try {
        return toRestore((await api.getNamespacedCustomObject({ ...base, plural: 'restores', name })) as KubeObject);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async createRestore(name, backupName, labels) {
      const body = {
        apiVersion: `${GROUP}/${VERSION}`, kind: 'Restore',
        metadata: { name, namespace, labels },
        spec: { backupName, includedNamespaces: ['*'], restorePVs: true },
      };
      return toRestore((await api.createNamespacedCustomObject({ ...base, plural: 'restores', body })) as KubeObject);
    },
    async restoreResults(name) {
      const reqName = `${name}-results-${Date.now().toString(36)}`;
      await api.createNamespacedCustomObject({
        ...base, plural: 'downloadrequests',
        body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'DownloadRequest', metadata: { name: reqName, namespace }, spec: { target: { kind: 'RestoreResults', name } } },
      });
      for (let i = 0; i < 50; i += 1) {
        const dr = (await api.getNamespacedCustomObject({ ...base, plural: 'downloadrequests', name: reqName })) as KubeObject;
        const url = dr.status?.phase === 'Processed' ? dr.status.downloadURL : undefined;
        if (typeof url === 'string') {
          const res = await fetch(url);
          if (!res.ok) throw new Error(`restore results of ${name}: HTTP ${res.status}`);
          const data = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')) as { warnings?: VeleroResults; errors?: VeleroResults };
          return { warnings: data.warnings ?? {}, errors: data.errors ?? {} };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`restore results of ${name}: the download request was not processed`);
    },
  });
  return port;
}

/** Every call's error as one line with the status and the Kubernetes Status message (kubeError). */
function guarded(port: VeleroPort): VeleroPort {
  const wrap = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (err) {
      throw kubeError(`Velero (${name})`, err);
    }
  };
  return {
    health: wrap('health', port.health),
    listBackups: wrap('list backups', port.listBackups),
    listSchedules: wrap('list schedules', port.listSchedules),
    createSchedule: wrap('create schedule', port.createSchedule),
    getRestore: wrap('get restore', port.getRestore),
    createRestore: wrap('create restore', port.createRestore),
    restoreResults: wrap('restore results', port.restoreResults),
  };
}

function toBackup(o: KubeObject): VeleroBackup {
  return {
    name: o.metadata?.name ?? '',
    phase: String(o.status?.phase ?? 'New'),
    scheduleName: o.metadata?.labels?.['velero.io/schedule-name'],
    completedAt: typeof o.status?.completionTimestamp === 'string' ? o.status.completionTimestamp : undefined,
  };
}

function toRestore(o: KubeObject): VeleroRestore {
  const s = o.status ?? {};
  return {
    name: o.metadata?.name ?? '',
    backupName: String(o.spec?.backupName ?? ''),
    phase: String(s.phase ?? 'New'),
    warnings: Number(s.warnings ?? 0),
    errors: Number(s.errors ?? 0),
    validationErrors: Array.isArray(s.validationErrors) ? s.validationErrors.map(String) : [],
    failureReason: typeof s.failureReason === 'string' ? s.failureReason : undefined,
  };
}
