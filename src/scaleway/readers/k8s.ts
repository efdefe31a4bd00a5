import { base, type Reader } from './reader';

/** Kapsule clusters and their pools, per region; a cluster's node addresses are what its load balancer backend must list. */
export const k8sReader: Reader = {
  kinds: ['cluster', 'pool'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['cluster', 'pool'], async () => {
      const clusters = await ctx.clustersIn(region);
      await Promise.all(clusters.map(async (c) => {
        const live = base('cluster', { ...c, region });
        live.fields = { version: c.version, cni: c.cni };
        live.attrs = { status: c.status };
        ctx.push({ live, links: [{ field: 'privateNetwork', kind: 'private-network', value: c.privateNetworkId }] });
        // the nodes' addresses: what a load balancer backend serving this cluster must list
        const [pools, nodes] = await Promise.all([
          ctx.clients.k8s.listPools({ region, clusterId: c.id, pageSize: 100 }).all(),
          ctx.clients.k8s.listNodes({ region, clusterId: c.id, pageSize: 100 }).all(),
        ]);
        live.attrs.nodeIps = nodes.map((n) => n.publicIpV4).filter((ip): ip is string => typeof ip === 'string' && ip.length > 0).sort();
        for (const pool of pools) {
          const pl = base('pool', { id: pool.id, projectId: c.projectId, name: pool.name, tags: pool.tags, region, zone: pool.zone, parentId: c.id });
          pl.fields = { nodeType: pool.nodeType, size: pool.size, autoscaling: pool.autoscaling, minSize: pool.minSize, maxSize: pool.maxSize };
          pl.attrs = { status: pool.status, cluster: c.name };
          ctx.push({ live: pl });
        }
      }));
    }, region)));
  },
};
