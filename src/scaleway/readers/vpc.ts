import { base, type Reader } from './reader';

/** Private Networks, per region (IPv4 subnets only: the file declares those). */
export const vpcReader: Reader = {
  kinds: ['private-network'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['private-network'], async () => {
      for (const pn of await ctx.clients.vpc.listPrivateNetworks({ region, organizationId: ctx.organizationId, pageSize: 100 }).all()) {
        const live = base('private-network', { ...pn, region });
        live.fields = { subnets: pn.subnets.map((s) => s.subnet).filter((s) => !s.includes(':')) };
        ctx.push({ live });
      }
    }, region)));
  },
};
