import { Vpcgw } from '@scaleway/sdk';
import { lzTags } from '../../core/desired';
import { waitGone, waitUntil } from '../wait';
import { adoptTags, changed, declared, depOf, gone, immutable, need, notTransient, projectOf, tagFilter, zoneOf, type Writer } from './writer';

export const gatewayIpWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.vpcgw.listIPs({ zone: zoneOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id) }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: { address: list[0].address } } : undefined;
  },
  async create(op, ctx) {
    const ip = await ctx.clients.vpcgw.createIP({ zone: zoneOf(op), projectId: projectOf(op, ctx), tags: lzTags(op.id) });
    return { scalewayId: ip.id, attrs: { address: ip.address } };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.vpcgw.updateIP({ zone: zoneOf(op), ipId: op.scalewayId!, tags });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.vpcgw.deleteIP({ zone: zoneOf(op), ipId: op.scalewayId! }));
  },
};

export const publicGatewayWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.vpcgw.listGateways({ zone: zoneOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id) }).all();
    const g = list[0];
    if (!g) return undefined;
    const ready = await waitUntil(() => ctx.clients.vpcgw.getGateway({ zone: zoneOf(op), gatewayId: g.id }), notTransient(Vpcgw.v2.GATEWAY_TRANSIENT_STATUSES), ctx.poll);
    return { scalewayId: g.id, attrs: { ip: ready.ipv4?.address } };
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const ipDep = depOf(op, ctx, 'gateway-ip');
    const g = await ctx.clients.vpcgw.createGateway({
      zone: zoneOf(op), projectId: projectOf(op, ctx), name: op.name, tags: lzTags(op.id), type: String(f.type),
      ipId: ipDep ? need(ctx, ipDep).scalewayId : undefined, enableSmtp: false, enableBastion: Boolean(f.bastion),
      bastionPort: f.bastion ? Number(f.bastionPort) : undefined,
    });
    const gateways = () => ctx.clients.vpcgw.listGateways({ zone: zoneOf(op), organizationId: ctx.organizationId, pageSize: 100 }).all();
    let ready = await ctx.watcher.wait(`gateway ${String(op.zone)}`, gateways, g.id, notTransient(Vpcgw.v2.GATEWAY_TRANSIENT_STATUSES)) as Awaited<ReturnType<typeof ctx.clients.vpcgw.getGateway>>;
    if (f.bastion && (f.bastionAllowedIps as string[]).length > 0) {
      await ctx.clients.vpcgw.setBastionAllowedIPs({ zone: zoneOf(op), gatewayId: g.id, ipRanges: f.bastionAllowedIps as string[] });
      ready = await waitUntil(() => ctx.clients.vpcgw.getGateway({ zone: zoneOf(op), gatewayId: g.id }), notTransient(Vpcgw.v2.GATEWAY_TRANSIENT_STATUSES), ctx.poll);
    }
    return { scalewayId: g.id, attrs: { ip: ready.ipv4?.address } };
  },
  async complete(op, ctx, found) {
    const f = declared(op, ctx);
    if (f.bastion && (f.bastionAllowedIps as string[]).length > 0) {
      await ctx.clients.vpcgw.setBastionAllowedIPs({ zone: zoneOf(op), gatewayId: found.scalewayId, ipRanges: f.bastionAllowedIps as string[] });
    }
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.vpcgw.updateGateway({ zone: zoneOf(op), gatewayId: op.scalewayId!, tags });
    const f = declared(op, ctx);
    const zone = zoneOf(op);
    const settle = () => waitUntil(() => ctx.clients.vpcgw.getGateway({ zone, gatewayId: op.scalewayId! }), notTransient(Vpcgw.v2.GATEWAY_TRANSIENT_STATUSES), ctx.poll);
    if (changed(op, 'type')) {
      await ctx.clients.vpcgw.upgradeGateway({ zone, gatewayId: op.scalewayId!, type: String(f.type) });
      await settle();
    }
    if (changed(op, 'bastion') || changed(op, 'bastionPort')) {
      await ctx.clients.vpcgw.updateGateway({ zone, gatewayId: op.scalewayId!, enableBastion: Boolean(f.bastion), bastionPort: f.bastion ? Number(f.bastionPort) : undefined });
      await settle();
    }
    if (changed(op, 'bastionAllowedIps')) {
      await ctx.clients.vpcgw.setBastionAllowedIPs({ zone, gatewayId: op.scalewayId!, ipRanges: (f.bastionAllowedIps as string[]) ?? [] });
      await settle();
    }
  },
  async delete(op, ctx) {
    // an IP the file does not declare (Scaleway gave it to the gateway) goes with it
    await gone(() => ctx.clients.vpcgw.deleteGateway({ zone: zoneOf(op), gatewayId: op.scalewayId!, deleteIp: true }));
    await waitGone(() => ctx.clients.vpcgw.getGateway({ zone: zoneOf(op), gatewayId: op.scalewayId! }), ctx.poll);
  },
};

export const gatewayNetworkWriter: Writer = {
  async find(op, ctx) {
    const gwDep = depOf(op, ctx, 'public-gateway');
    const pnDep = depOf(op, ctx, 'private-network');
    if (!gwDep || !pnDep) return undefined;
    const gw = await ctx.clients.vpcgw.getGateway({ zone: zoneOf(op), gatewayId: need(ctx, gwDep).scalewayId });
    const gn = gw.gatewayNetworks.find((x) => x.privateNetworkId === need(ctx, pnDep).scalewayId);
    return gn ? { scalewayId: gn.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const gwDep = depOf(op, ctx, 'public-gateway')!;
    const pnDep = depOf(op, ctx, 'private-network')!;
    const gn = await ctx.clients.vpcgw.createGatewayNetwork({
      zone: zoneOf(op), gatewayId: need(ctx, gwDep).scalewayId, privateNetworkId: need(ctx, pnDep).scalewayId,
      enableMasquerade: f.masquerade !== false, pushDefaultRoute: true,
    });
    const gwns = () => ctx.clients.vpcgw.listGatewayNetworks({ zone: zoneOf(op), pageSize: 100 }).all();
    await ctx.watcher.wait(`gateway-network ${String(op.zone)}`, gwns, gn.id, notTransient(Vpcgw.v2.GATEWAY_NETWORK_TRANSIENT_STATUSES));
    return { scalewayId: gn.id, attrs: {} };
  },
  async update(op, ctx) {
    immutable(op, ['privateNetwork']);
    if (changed(op, 'masquerade')) {
      await ctx.clients.vpcgw.updateGatewayNetwork({ zone: zoneOf(op), gatewayNetworkId: op.scalewayId!, enableMasquerade: declared(op, ctx).masquerade !== false });
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.vpcgw.deleteGatewayNetwork({ zone: zoneOf(op), gatewayNetworkId: op.scalewayId! }));
    await waitGone(() => ctx.clients.vpcgw.getGatewayNetwork({ zone: zoneOf(op), gatewayNetworkId: op.scalewayId! }), ctx.poll);
  },
};
