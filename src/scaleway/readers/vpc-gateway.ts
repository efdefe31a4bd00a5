import { base, type Reader } from './reader';

const regionOf = (zone: string) => zone.replace(/-\d+$/, '');

/** Public Gateways (their Private Network attachments come inside them) and their IPs, per zone. */
export const vpcGatewayReader: Reader = {
  kinds: ['public-gateway', 'gateway-network', 'gateway-ip'],
  read: async (ctx) => {
    await Promise.all(ctx.zones.flatMap((zone) => [
      ctx.guard(['public-gateway', 'gateway-network'], async () => {
        const region = regionOf(zone);
        for (const gw of await ctx.clients.vpcgw.listGateways({ zone, organizationId: ctx.organizationId, pageSize: 100 }).all()) {
          const live = base('public-gateway', { ...gw, region, zone });
          live.fields = { type: gw.type, bastion: gw.bastionEnabled, bastionPort: gw.bastionPort, bastionAllowedIps: gw.bastionAllowedIps ?? [] };
          live.attrs = { ip: gw.ipv4?.address, ipId: gw.ipv4?.id, status: gw.status };
          ctx.push({ live });
          for (const gn of gw.gatewayNetworks ?? []) {
            const g = base('gateway-network', { id: gn.id, projectId: gw.projectId, name: '', region, zone, parentId: gw.id });
            g.fields = { masquerade: gn.masqueradeEnabled };
            g.attrs = { gateway: gw.name, privateNetworkId: gn.privateNetworkId, status: gn.status };
            ctx.push({ live: g, links: [{ field: 'privateNetwork', kind: 'private-network', value: gn.privateNetworkId }] });
          }
        }
      }, regionOf(zone)),
      ctx.guard(['gateway-ip'], async () => {
        const region = regionOf(zone);
        for (const ip of await ctx.clients.vpcgw.listIPs({ zone, organizationId: ctx.organizationId, pageSize: 100 }).all()) {
          const live = base('gateway-ip', { id: ip.id, projectId: ip.projectId, name: '', tags: ip.tags, region, zone, parentId: ip.gatewayId });
          live.attrs = { address: ip.address, gatewayId: ip.gatewayId };
          ctx.push({ live });
        }
      }, regionOf(zone)),
    ]));
  },
};
