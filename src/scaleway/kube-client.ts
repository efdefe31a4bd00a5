import type { ScalewayClients } from './client';

/*
 * The one Kubernetes client of the tool: a cluster's kubeconfig from the K8s API (a GET), loaded
 * into `@kubernetes/client-node` (ESM-only and large: imported on first use), and how its errors
 * read. Velero's readers, its writers and the DR operations all reach a cluster through it.
 */

/** The cluster's kubeconfig: the K8s API serves it as a blob (GET), sometimes wrapped in JSON. */
export async function kubeconfigOf(c: ScalewayClients, region: string, clusterId: string): Promise<string> {
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

/** Where a caller gets a cluster's client config from (kubeConfigFor by default). */
export type KubeSource = (region: string, clusterId: string) => ReturnType<typeof kubeConfigFor>;

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
