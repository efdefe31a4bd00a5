import { createHash } from 'node:crypto';
import { mustGet, pageOf, filterRecs, eq, ok, region, type Ctx, type Route } from '../context';
import { notFound } from '../errors';
import type { JsonObject } from '../json';
import type { Rec } from '../store';

/*
 * The nodes of a Kapsule cluster (`GET …/clusters/{id}/nodes`, `GET …/nodes/{id}`), derived from
 * its pools when read: a pool of size N has N nodes. A node's id and public IPv4 come from its
 * pool's id and its index, so a pool that grows keeps its first nodes and adds new ones, and a
 * pool that shrinks loses its last ones — what a load balancer backend listing the nodes' IPs
 * must follow. Nodes are ready once their pool is.
 */

const CLUSTER = 'k8s.cluster';
const POOL = 'k8s.pool';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function nodeId(poolId: string, i: number): string {
  const h = digest(`node:${poolId}:${i}`).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A public address in 51.158.0.0/16, fixed per node (distinct nodes may collide only by chance of 1 in 64,770). */
function nodeIp(poolId: string, i: number): string {
  const d = digest(`ip:${poolId}:${i}`);
  return `51.158.${d[0]!}.${(d[1]! % 254) + 1}`;
}

function nodesOf(ctx: Ctx, cluster: Rec): Rec[] {
  const out: Rec[] = [];
  const pools = ctx.store.list(POOL, cluster.loc, ctx.now).filter((p) => p.data.cluster_id === cluster.id && p.data.status !== 'deleting');
  for (const pool of pools) {
    const size = Number(pool.data.size ?? 0);
    for (let i = 0; i < size; i += 1) {
      const id = nodeId(pool.id, i);
      const ready = pool.data.status === 'ready';
      out.push({
        kind: 'k8s.node', id, loc: cluster.loc, seq: pool.seq * 1000 + i,
        data: {
          id, pool_id: pool.id, cluster_id: cluster.id, region: cluster.loc,
          provider_id: `scaleway://instance/${String(pool.data.zone)}/${nodeId(`instance:${pool.id}`, i)}`,
          name: `scw-${String(cluster.data.name)}-${String(pool.data.name)}-${id.slice(0, 8)}`,
          public_ip_v4: nodeIp(pool.id, i), public_ip_v6: null, conditions: {},
          status: ready ? 'ready' : 'creating', error_message: null,
          created_at: String(pool.data.created_at), updated_at: String(pool.data.updated_at),
        },
      } as Rec);
    }
  }
  return out;
}

const nodeJson = (rec: Rec): JsonObject => rec.data;

export function k8sNodeRoutes(): Route[] {
  const P = 'Kubernetes';
  const base = '/k8s/v1/regions/{region}';
  return [
    {
      method: 'GET', pattern: `${base}/clusters/{clusterId}/nodes`, product: P,
      handler: (ctx) => {
        const cluster = mustGet(ctx, CLUSTER, ctx.params.clusterId!, region(ctx), () => notFound('cluster', ctx.params.clusterId!));
        const recs = filterRecs(ctx, nodesOf(ctx, cluster), { pool_id: eq('pool_id'), name: eq('name'), status: eq('status') });
        return pageOf(ctx, recs, 'nodes', nodeJson);
      },
    },
    {
      method: 'GET', pattern: `${base}/nodes/{nodeId}`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        for (const cluster of ctx.store.list(CLUSTER, loc, ctx.now)) {
          const hit = nodesOf(ctx, cluster).find((n) => n.id === ctx.params.nodeId);
          if (hit) return ok(nodeJson(hit));
        }
        throw notFound('node', ctx.params.nodeId!);
      },
    },
  ];
}
