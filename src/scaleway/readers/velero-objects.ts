import type { ScalewayClients } from '../client';
import { retryTransient } from '../http';
import { kubeConfigFor, kubeError, kubeStatus, kubeTransient, groupNotServed, type KubeSource } from '../kube-client';
import type { KubeGetter } from '../kube-reads';

/*
 * Velero Schedules as landing-zone resources: one velero.io/v1 Schedule per backed-up cluster, in
 * the cluster's `velero` namespace, reached through the cluster's kubeconfig with
 * `@kubernetes/client-node`. Readers list (GET) only; the writer creates and deletes through
 * the same access.
 */

const VELERO_NAMESPACE = 'velero';
const GROUP = 'velero.io';
const VERSION = 'v1';
/** Label that carries the resource id (`/` is not allowed in a label value: it becomes `.`). */
export const LZ_ID_LABEL = 'lz-id';
export const LZ_MANAGED_LABEL = 'lz-managed';

/** `prod/velero-schedule/apps-velero` ⇄ `prod.velero-schedule.apps-velero` (names never contain dots). */
export const labelOfId = (id: string) => id.replace(/\//g, '.');
export const idOfLabel = (label: string) => label.replace(/\./g, '/');

/** A Schedule as the tool compares it. */
export interface ScheduleObject {
  name: string;
  labels: Record<string, string>;
  schedule: string;
  paused: boolean;
  /** Go duration as Velero stores it (`720h0m0s`). */
  ttl?: string;
  storageLocation?: string;
}

export interface SchedulesApi {
  list(): Promise<ScheduleObject[]>;
  create(s: { name: string; labels: Record<string, string>; schedule: string; ttlSeconds: number; storageLocation: string }): Promise<void>;
  /** 404 = already gone. */
  delete(name: string): Promise<void>;
}

export type KubeObject = { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { schedule?: unknown; paused?: unknown; template?: { ttl?: unknown; storageLocation?: unknown } } };

/** Schedules of one cluster. */
export async function schedulesOf(c: ScalewayClients, region: string, clusterId: string, kube: KubeSource = (r, id) => kubeConfigFor(c, r, id)): Promise<SchedulesApi> {
  const { k8s, kc } = await kube(region, clusterId);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const base = { group: GROUP, version: VERSION, namespace: VELERO_NAMESPACE, plural: 'schedules' };
  const status = kubeStatus;
  const transient = kubeTransient;
  const oneLine = (what: string, err: unknown) => kubeError(`Velero (${what})`, err);
  return {
    async list() {
      try {
        const list = (await retryTransient(() => c.slot(() => api.listNamespacedCustomObject(base)), transient)) as { items?: KubeObject[] };
        return (list.items ?? []).map(scheduleOf);
      } catch (err) {
        // no Velero CRDs in the cluster: it has no schedules (its velero-install is what is missing)
        if (groupNotServed(err)) return [];
        throw oneLine('list schedules', err);
      }
    },
    async create(s) {
      const body = {
        apiVersion: `${GROUP}/${VERSION}`, kind: 'Schedule',
        metadata: { name: s.name, namespace: VELERO_NAMESPACE, labels: s.labels },
        spec: { schedule: s.schedule, template: { ttl: goDuration(s.ttlSeconds), storageLocation: s.storageLocation, includedNamespaces: ['*'] } },
      };
      try {
        await retryTransient(() => api.createNamespacedCustomObject({ ...base, body }), transient);
      } catch (err) {
        throw oneLine('create schedule', err);
      }
    },
    async delete(name) {
      try {
        await retryTransient(() => api.deleteNamespacedCustomObject({ ...base, name }), transient);
      } catch (err) {
        if (status(err) !== 404) throw oneLine('delete schedule', err);
      }
    },
  };
}

/** A Schedule as the Kubernetes API lists it, as the tool compares it. */
function scheduleOf(o: KubeObject): ScheduleObject {
  return {
    name: o.metadata?.name ?? '',
    labels: o.metadata?.labels ?? {},
    schedule: String(o.spec?.schedule ?? ''),
    paused: o.spec?.paused === true,
    ttl: typeof o.spec?.template?.ttl === 'string' ? o.spec.template.ttl : undefined,
    storageLocation: typeof o.spec?.template?.storageLocation === 'string' ? o.spec.template.storageLocation : undefined,
  };
}

/** The Schedules of one cluster, read with a plain GET (kube-reads.ts): the request client-node's list makes. */
export async function listSchedules(get: KubeGetter): Promise<ScheduleObject[]> {
  try {
    const list = (await get(`/apis/${GROUP}/${VERSION}/namespaces/${VELERO_NAMESPACE}/schedules`)) as { items?: KubeObject[] };
    return (list.items ?? []).map(scheduleOf);
  } catch (err) {
    // no Velero CRDs in the cluster: it has no schedules (its velero-install is what is missing)
    if (groupNotServed(err)) return [];
    throw kubeError('Velero (list schedules)', err);
  }
}

/** Seconds → Velero's Go duration (`2592000` → `720h0m0s`). */
function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h}h${m}m${seconds % 60}s`;
}

/** Velero's Go duration → seconds (`720h0m0s`, `1h30m`, `90s`); undefined when unreadable. */
export function durationOfGo(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Math.round(Number(m[3] ?? 0));
}
