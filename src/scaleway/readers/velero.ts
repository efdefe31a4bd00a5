import type { ScalewayClients } from '../client';
import { retryTransient } from '../http';

/*
 * Velero Schedules as landing-zone resources: one velero.io/v1 Schedule per backed-up cluster, in
 * the cluster's `velero` namespace, reached through the cluster's kubeconfig with
 * `@kubernetes/client-node`. Readers list (GET) only; the writer creates and deletes through
 * the same access.
 */

export const VELERO_NAMESPACE = 'velero';
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

type KubeObject = { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { schedule?: unknown; paused?: unknown; template?: { ttl?: unknown; storageLocation?: unknown } } };

/** The cluster's kubeconfig: the K8s API serves it as a blob (GET), sometimes wrapped in JSON. */
async function kubeconfigOf(c: ScalewayClients, region: string, clusterId: string): Promise<string> {
  // the utils class that wraps this call is not what the shared client factory builds
  const blob = await (c.k8s as unknown as { _getClusterKubeConfig(r: { region: string; clusterId: string }): Promise<Blob> })._getClusterKubeConfig({ region, clusterId });
  const text = await blob.text();
  try {
    const j = JSON.parse(text) as { content?: string };
    if (typeof j.content === 'string') return Buffer.from(j.content, 'base64').toString('utf8');
  } catch {
    // already YAML
  }
  return text;
}

/** A client-node KubeConfig on the cluster's kubeconfig. `@kubernetes/client-node` is ESM-only and large: imported on first use. */
export async function kubeConfigFor(c: ScalewayClients, region: string, clusterId: string) {
  return kubeConfigFromYaml(await kubeconfigOf(c, region, clusterId));
}

/** Where readers get a cluster's client config from (kubeConfigFor, or a memo of it shared by one read). */
export type KubeSource = (region: string, clusterId: string) => ReturnType<typeof kubeConfigFor>;

/** kubeConfigFor, fetching each cluster's kubeconfig once for the readers of one inventory. */
export function kubeSource(c: ScalewayClients): KubeSource {
  const seen = new Map<string, ReturnType<typeof kubeConfigFor>>();
  return (region, clusterId) => {
    const key = `${region}/${clusterId}`;
    let p = seen.get(key);
    if (!p) {
      p = kubeConfigFor(c, region, clusterId);
      // a failed fetch is not kept: the next reader tries again
      p.catch(() => seen.delete(key));
      seen.set(key, p);
    }
    return p;
  };
}

/** The same from a kubeconfig's text. */
export async function kubeConfigFromYaml(yaml: string) {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromString(yaml);
  // the client refuses plain HTTP unless TLS checks are off; only the local sandbox serves HTTP
  if (kc.getCurrentCluster()?.server.startsWith('http://')) {
    kc.loadFromOptions({ clusters: kc.clusters.map((x) => ({ ...x, skipTLSVerify: true })), users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  }
  return { k8s, kc };
}

/** The HTTP status of a client-node error, if it has one. */
export const kubeStatus = (err: unknown) => (err as { code?: number }).code;

/** 429/5xx and dropped connections are retried as the Scaleway client retries them. */
export function kubeTransient(err: unknown): boolean {
  const code = kubeStatus(err);
  if (typeof code === 'number') return code === 429 || code === 502 || code === 503 || code === 504;
  // a reset reaches us as node-fetch's FetchError ("Invalid response body… Parse Error", "socket hang up")
  if ((err as Error)?.name === 'FetchError') return true;
  return /ECONNRESET|EPIPE|ECONNREFUSED|socket hang up|other side closed|fetch failed|Invalid response body|Parse Error/i.test(`${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`);
}

/**
 * client-node's errors carry the whole response (headers, body) in their message: one line with
 * the status and the Kubernetes Status message instead, which is what a user can act on.
 */
export function kubeError(what: string, err: unknown): unknown {
  const code = kubeStatus(err);
  if (typeof code !== 'number') return err;
  let detail = '';
  try {
    const body = (err as { body?: unknown }).body;
    detail = (typeof body === 'string' ? JSON.parse(body) as { message?: string } : body as { message?: string } | undefined)?.message ?? '';
  } catch {
    detail = '';
  }
  const e = new Error(`${what}: the cluster's Kubernetes API answered ${code}${detail ? ` (${detail})` : ''}`);
  (e as { code?: number }).code = code;
  return e;
}

/** A 404 that says the API group is not served at all: the cluster has no Velero CRDs. */
export const groupNotServed = (err: unknown) => kubeStatus(err) === 404 && /could not find the requested resource/.test(String((err as Error)?.message ?? ''));

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
        return (list.items ?? []).map((o) => ({
          name: o.metadata?.name ?? '',
          labels: o.metadata?.labels ?? {},
          schedule: String(o.spec?.schedule ?? ''),
          paused: o.spec?.paused === true,
          ttl: typeof o.spec?.template?.ttl === 'string' ? o.spec.template.ttl : undefined,
          storageLocation: typeof o.spec?.template?.storageLocation === 'string' ? o.spec.template.storageLocation : undefined,
        }));
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

/** Seconds → Velero's Go duration (`2592000` → `720h0m0s`). */
export function goDuration(seconds: number): string {
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
