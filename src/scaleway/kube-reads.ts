import { parse } from 'yaml';
import { fastParseWithValue } from '../core/fast-yaml';
import type { ScalewayClients } from './client';
import { retryTransient } from './http';
import { kubeConfigFromYaml, kubeconfigOf, kubeTransient } from './kube-client';
import type { TransportInit } from './transport';

/*
 * GETs on a cluster's Kubernetes API for the readers (Velero's schedules, Deployment and storage
 * locations), sent through the engine's own keep-alive transport and connection budget instead
 * of `@kubernetes/client-node`: that client is 1.9 MB of modules to load for three GETs per
 * cluster, and it opens a new connection for every request (`connection: close`). The requests are
 * the ones client-node sends (same method, path and query, `Accept` and bearer token); the answers
 * are read as its are, and a failure carries the same `code` and `body`, so kube-client.ts's
 * kubeStatus, kubeError and groupNotServed read both alike. Writers keep client-node.
 *
 * Scaleway's kubeconfigs authenticate with a bearer token and name the cluster's CA. Anything
 * else (a client certificate, an exec plugin) is turned into request options by client-node's
 * own `applyToHTTPSOptions`, loaded only then.
 */

/** GETs `path` (after the server's URL) on one cluster: the parsed JSON, or a client-node-like error. */
export type KubeGetter = (path: string) => Promise<unknown>;

/** Where the readers of one inventory get each cluster's getter (its kubeconfig fetched once). */
export type KubeReadSource = (region: string, clusterId: string) => Promise<KubeGetter>;

/** A non-2xx answer of a cluster's API, shaped as client-node's ApiException (`code`, `body`). */
class KubeAnswerError extends Error {
  constructor(readonly code: number, readonly body: string) {
    let detail = '';
    try {
      detail = (JSON.parse(body) as { message?: string }).message ?? '';
    } catch {
      detail = '';
    }
    super(`HTTP-Code: ${code} Message: ${detail || 'no Status message'}`);
    this.name = 'KubeAnswerError';
  }
}

interface Target {
  server: string;
  headers: Record<string, string>;
  tls?: TransportInit['tls'];
}

type Named<T> = { name?: string } & T;
interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: { server?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

/** The server, CA and bearer token of the kubeconfig's current context; undefined when it authenticates otherwise. */
function tokenTarget(yaml: string): Target | undefined {
  // core's fast reader (the same value as yaml's, held so by its differential test); yaml's own
  // parser, cold, cost 0.3 s for the 48 kubeconfigs of a 50-project drift
  const doc = (fastParseWithValue(yaml)?.value ?? parse(yaml)) as KubeconfigDoc | null;
  const context = doc?.contexts?.find((x) => x.name === doc['current-context'])?.context;
  const cluster = doc?.clusters?.find((x) => x.name === context?.cluster)?.cluster;
  const user = doc?.users?.find((x) => x.name === context?.user)?.user;
  const token = user?.token;
  if (!cluster?.server || typeof token !== 'string' || !token || Object.keys(user ?? {}).some((k) => k !== 'token')) return undefined;
  const ca = cluster['certificate-authority-data'];
  return {
    server: cluster.server.replace(/\/$/, ''),
    headers: { authorization: `Bearer ${token}` },
    ...(ca ? { tls: { ca: Buffer.from(ca, 'base64') } } : cluster['insecure-skip-tls-verify'] ? { tls: { rejectUnauthorized: false } } : {}),
  };
}

/** Any other kubeconfig: the options client-node itself would send with. */
async function clientNodeTarget(yaml: string): Promise<Target> {
  const { kc } = await kubeConfigFromYaml(yaml);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the cluster\'s kubeconfig names no server');
  const opts: { headers?: Record<string, string>; ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean } = {};
  await kc.applyToHTTPSOptions(opts as never);
  const tls = { ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.cert ? { cert: opts.cert } : {}), ...(opts.key ? { key: opts.key } : {}), ...(opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}) };
  return { server: server.replace(/\/$/, ''), headers: { ...(opts.headers ?? {}) }, ...(Object.keys(tls).length ? { tls } : {}) };
}

/** A getter on the cluster a kubeconfig's current context names. */
export async function kubeGetterOf(c: ScalewayClients, yaml: string): Promise<KubeGetter> {
  const target = tokenTarget(yaml) ?? await clientNodeTarget(yaml);
  const headers = { accept: 'application/json, */*;q=0.8', 'user-agent': 'scaleway-landing-zone', ...target.headers };
  const once = async (path: string): Promise<unknown> => {
    const res = await c.slot(() => c.transport(`${target.server}${path}`, { method: 'GET', headers, ...(target.tls ? { tls: target.tls } : {}) }));
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new KubeAnswerError(res.status, text);
    return JSON.parse(text) as unknown;
  };
  return (path) => retryTransient(() => once(path), kubeTransient);
}

/** kubeGetterOf on each cluster's kubeconfig, fetched once per cluster for the readers of one inventory. */
export function kubeReadSource(c: ScalewayClients): KubeReadSource {
  const seen = new Map<string, Promise<KubeGetter>>();
  return (region, clusterId) => {
    const key = `${region}/${clusterId}`;
    let p = seen.get(key);
    if (!p) {
      // Velero's three GETs wait for it (clusters → kubeconfig → Velero): ahead of the lists nothing waits for
      p = kubeconfigOf(c.at(2), region, clusterId).then((yaml) => kubeGetterOf(c, yaml));
      // a failed fetch is not kept: the next reader tries again
      p.catch(() => seen.delete(key));
      seen.set(key, p);
    }
    return p;
  };
}
