import { K8s } from '@scaleway/sdk';
import { newestPatch } from '../../core/catalog';
import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import { waitGone, waitUntil } from '../wait';
import { adoptTags, changed, declared, depOf, gone, immutable, need, notTransient, projectOf, regionOf, zoneOf, type WriteContext, type Writer } from './writer';

/** The file pins a minor version (`1.35`); Kapsule wants a full one: the newest patch it offers. */
async function fullVersion(op: PlanOperation, ctx: WriteContext, minor: string): Promise<string> {
  if (/^\d+\.\d+\.\d+$/.test(minor)) return minor;
  const key = `k8s-versions ${String(op.region)}`;
  let pending = ctx.cache.get(key) as Promise<{ versions: { name: string }[] }> | undefined;
  if (!pending) {
    pending = ctx.clients.k8s.listVersions({ region: regionOf(op) });
    ctx.cache.set(key, pending);
    pending.catch(() => ctx.cache.delete(key));
  }
  const { versions } = await pending;
  // the live versions catalog: the newest patch of the pinned minor
  const match = newestPatch({ values: versions.map((v) => ({ name: v.name })), date: '', source: 'live' }, minor);
  if (!match) throw new Error(`${op.id}: Kubernetes ${minor} is not offered in ${op.region ?? 'this region'} (offered: ${versions.map((v) => v.name).join(', ')})`);
  return match;
}

export const clusterWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.k8s.listClusters({ region: regionOf(op), projectId: projectOf(op, ctx), name: op.name }).all();
    const c = list.find((x) => x.tags.includes(`lz:id=${op.id}`));
    if (!c) return undefined;
    await waitUntil(() => ctx.clients.k8s.getCluster({ region: regionOf(op), clusterId: c.id }), notTransient(K8s.v1.CLUSTER_TRANSIENT_STATUSES), ctx.poll);
    return { scalewayId: c.id, attrs: {} };
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const c = await ctx.clients.k8s.createCluster({
      region: regionOf(op), projectId: projectOf(op, ctx), type: 'kapsule', name: op.name, description: '', tags: lzTags(op.id),
      version: await fullVersion(op, ctx, String(f.version)), cni: f.cni as never, privateNetworkId: typeof f.privateNetwork === 'string' ? need(ctx, f.privateNetwork).scalewayId : undefined,
    });
    const clusters = () => ctx.clients.k8s.listClusters({ region: regionOf(op), organizationId: ctx.organizationId, pageSize: 100 }).all();
    await ctx.watcher.wait(`cluster ${String(op.region)}`, clusters, c.id, notTransient(K8s.v1.CLUSTER_TRANSIENT_STATUSES));
    return { scalewayId: c.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.k8s.updateCluster({ region: regionOf(op), clusterId: op.scalewayId!, tags });
    immutable(op, ['cni', 'privateNetwork', 'region']);
    if (changed(op, 'version')) {
      await ctx.clients.k8s.upgradeCluster({ region: regionOf(op), clusterId: op.scalewayId!, version: await fullVersion(op, ctx, String(declared(op, ctx).version)), upgradePools: true });
      await waitUntil(() => ctx.clients.k8s.getCluster({ region: regionOf(op), clusterId: op.scalewayId! }), notTransient(K8s.v1.CLUSTER_TRANSIENT_STATUSES), ctx.poll);
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.k8s.deleteCluster({ region: regionOf(op), clusterId: op.scalewayId!, withAdditionalResources: false }));
    await waitGone(() => ctx.clients.k8s.getCluster({ region: regionOf(op), clusterId: op.scalewayId! }), ctx.poll);
  },
};

export const poolWriter: Writer = {
  async find(op, ctx) {
    const clusterId = need(ctx, depOf(op, ctx, 'cluster')!).scalewayId;
    const list = await ctx.clients.k8s.listPools({ region: regionOf(op), clusterId, name: op.name }).all();
    const p = list.find((x) => x.name === op.name);
    return p ? { scalewayId: p.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const clusterId = need(ctx, depOf(op, ctx, 'cluster')!).scalewayId;
    const p = await ctx.clients.k8s.createPool({
      region: regionOf(op), clusterId, name: op.name, nodeType: String(f.nodeType), size: Number(f.size), autoscaling: Boolean(f.autoscaling),
      minSize: f.autoscaling ? Number(f.minSize) : undefined, maxSize: f.autoscaling ? Number(f.maxSize) : undefined,
      autohealing: true, tags: lzTags(op.id), zone: zoneOf(op), publicIpDisabled: false,
    });
    const pools = () => ctx.clients.k8s.listPools({ region: regionOf(op), clusterId, pageSize: 100 }).all();
    await ctx.watcher.wait(`pools ${clusterId}`, pools, p.id, notTransient(K8s.v1.POOL_TRANSIENT_STATUSES));
    return { scalewayId: p.id, attrs: {} };
  },
  async update(op, ctx) {
    immutable(op, ['nodeType', 'zone']);
    const f = declared(op, ctx);
    const tags = adoptTags(op);
    if (tags) await ctx.clients.k8s.updatePool({ region: regionOf(op), poolId: op.scalewayId!, tags });
    if (!['size', 'autoscaling', 'minSize', 'maxSize'].some((x) => changed(op, x))) return;
    await ctx.clients.k8s.updatePool({
      region: regionOf(op), poolId: op.scalewayId!, size: Number(f.size), autoscaling: Boolean(f.autoscaling),
      ...(f.autoscaling ? { minSize: Number(f.minSize), maxSize: Number(f.maxSize) } : {}),
    });
    await waitUntil(() => ctx.clients.k8s.getPool({ region: regionOf(op), poolId: op.scalewayId! }), notTransient(K8s.v1.POOL_TRANSIENT_STATUSES), ctx.poll);
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.k8s.deletePool({ region: regionOf(op), poolId: op.scalewayId! }));
    await waitGone(() => ctx.clients.k8s.getPool({ region: regionOf(op), poolId: op.scalewayId! }), ctx.poll);
  },
};
