import { lzTags } from '../../core/desired';
import { adoptTags, declared, gone, ImmutableFieldError, projectOf, regionOf, tagFilter, type Writer } from './writer';

export const privateNetworkWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.vpc.listPrivateNetworks({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id) }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const pn = await ctx.clients.vpc.createPrivateNetwork({ region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, tags: lzTags(op.id), subnets: f.subnets as string[], defaultRoutePropagationEnabled: false });
    return { scalewayId: pn.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.vpc.updatePrivateNetwork({ region: regionOf(op), privateNetworkId: op.scalewayId!, tags });
    const c = op.changes?.find((x) => x.field === 'subnets');
    if (!c) return;
    const live = new Set((c.live as string[]) ?? []);
    const add = (c.declared as string[]).filter((s) => !live.has(s));
    if ((c.live as string[]).some((s) => !(c.declared as string[]).includes(s))) throw new ImmutableFieldError(op, ['subnets (removing a subnet)']);
    if (add.length) await ctx.clients.vpc.addSubnets({ region: regionOf(op), privateNetworkId: op.scalewayId!, subnets: add });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.vpc.deletePrivateNetwork({ region: regionOf(op), privateNetworkId: op.scalewayId! }));
  },
};
