import { z } from 'zod';
import {
  after, checkQuota, scheduleDelete, commonFilters, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, publicIp,
  regionOfZone, reverseOf, uuid, zone, type Ctx, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed, transientState } from '../errors';
import { isIpOrCidr } from '../ipv4';
import { nowIso, type Json, type JsonObject } from '../json';
import type { Rec } from '../store';
import { offered, requireOffered } from './catalog';
import { bookIp, IPAM_IP, PN } from './vpc';

const GW = 'vpcgw.gateway';
const GWN = 'vpcgw.gateway_network';
const IP = 'vpcgw.ip';
const PAT = 'vpcgw.pat_rule';

/** A gateway type's bandwidth as its zone's recorded gateway-types catalog states it (0 when not recorded). */
const bandwidthOf = (ctx: Ctx, zoneName: string, type: string): number => {
  const l = ctx.env.catalog.listing(`/vpc-gw/v2/zones/${zoneName}/gateway-types`);
  const t = Array.isArray(l?.items) ? (l.items as JsonObject[]).find((x) => String(x.name).toLowerCase() === type.toLowerCase()) : undefined;
  return Number(t?.bandwidth ?? 0);
};
const tags = z.array(z.string()).nullish();

function ipJson(ctx: Ctx, rec: Rec): JsonObject {
  const gw = ctx.store.list(GW, rec.loc, ctx.now).find((g) => g.data.ip_id === rec.id);
  return gw ? { ...rec.data, gateway_id: gw.id } : rec.data;
}

function gwnJson(rec: Rec): JsonObject {
  return rec.data;
}

function gatewayJson(ctx: Ctx, rec: Rec): JsonObject {
  const { ip_id: ipId, ...data } = rec.data;
  const ip = typeof ipId === 'string' ? ctx.store.get(IP, ipId, ctx.now) : undefined;
  const networks = ctx.store.list(GWN, rec.loc, ctx.now).filter((n) => n.data.gateway_id === rec.id).map(gwnJson);
  return { ...data, gateway_networks: networks, ipv4: ip ? ipJson(ctx, ip) : null };
}

function createIp(ctx: Ctx, loc: string, projectId: string, t: string[]): Rec {
  const id = uuid();
  const address = publicIp(ctx, '51.158');
  return ctx.store.put({
    kind: IP, id, loc,
    data: {
      address, created_at: nowIso(ctx.now), id, organization_id: ctx.store.organizationId, project_id: projectId,
      reverse: reverseOf(address, 'instances.scw.cloud'), tags: t, updated_at: nowIso(ctx.now), zone: loc,
    },
  });
}

/** Gateways that are allocating or configuring refuse changes with 409 transient_state. */
function requireStable(rec: Rec): void {
  const status = String(rec.data.status);
  if (status !== 'running' && status !== 'stopped' && status !== 'failed') throw transientState('gateway', rec.id, status);
}

/** A change that makes the gateway re-configure: configuring now, running after the delay. */
function reconfigure(ctx: Ctx, gw: Rec): void {
  ctx.store.patch(gw, { status: 'configuring', updated_at: nowIso(ctx.now) }, [after(ctx, ctx.env.delays.gateway, { status: 'running' })]);
}

const createGw = z.object({
  project_id: z.string().nullish(), name: z.string().max(64).nullish(), tags, type: z.string().nullish(),
  upstream_dns_servers: z.array(z.string()).nullish(), ip_id: z.string().nullish(),
  enable_smtp: z.boolean().nullish(), enable_bastion: z.boolean().nullish(), bastion_port: z.number().int().min(1024).max(65535).nullish(),
});
const updateGw = z.object({
  name: z.string().max(64).nullish(), tags, enable_bastion: z.boolean().nullish(), bastion_port: z.number().int().min(1024).max(65535).nullish(),
  enable_smtp: z.boolean().nullish(),
});
const createGwn = z.object({
  gateway_id: z.string(), private_network_id: z.string(), enable_masquerade: z.boolean().nullish(), push_default_route: z.boolean().nullish(),
  ipam_ip_id: z.string().nullish(),
});
const updateGwn = z.object({ enable_masquerade: z.boolean().nullish(), push_default_route: z.boolean().nullish(), ipam_ip_id: z.string().nullish() });

export function vpcgwRoutes(): Route[] {
  const P = 'VPCGateway';
  const base = '/vpc-gw/v2/zones/{zone}';
  const gw = (ctx: Ctx, id = ctx.params.gatewayId!) => mustGet(ctx, GW, id, zone(ctx), () => notFound('gateway', id));
  const gwn = (ctx: Ctx) => mustGet(ctx, GWN, ctx.params.gatewayNetworkId!, zone(ctx), () => notFound('gateway_network', ctx.params.gatewayNetworkId!));
  const ip = (ctx: Ctx, id = ctx.params.ipId!) => mustGet(ctx, IP, id, zone(ctx), () => notFound('ip', id));
  const pat = (ctx: Ctx) => mustGet(ctx, PAT, ctx.params.patRuleId!, zone(ctx), () => notFound('pat_rule', ctx.params.patRuleId!));
  const bastionReply = (rec: Rec) => ok({ ip_ranges: rec.data.bastion_allowed_ips ?? [] });

  return [
    // ---- gateways ----
    {
      method: 'POST', pattern: `${base}/gateways`, product: P,
      handler: (ctx) => {
        const loc = zone(ctx);
        const b = parseBody(ctx, createGw);
        const project = projectOf(ctx, b.project_id);
        const type = b.type ?? 'VPC-GW-S';
        requireOffered(offered.gatewayTypes(ctx, loc), 'type', type, 'gateway type');
        checkQuota(ctx, GW, 'vpc_gateways', project);
        let ipRec: Rec;
        if (b.ip_id) {
          ipRec = ip(ctx, b.ip_id);
          if (ctx.store.list(GW, loc, ctx.now).some((g) => g.data.ip_id === ipRec.id)) throw preconditionFailed('resource_still_in_use', 'the IP is already used by another gateway');
        } else ipRec = createIp(ctx, loc, project, []);
        const id = uuid();
        const rec = ctx.store.put({
          kind: GW, id, loc,
          data: {
            bandwidth: bandwidthOf(ctx, loc, type), bastion_allowed_ips: ['0.0.0.0/0'], bastion_enabled: b.enable_bastion ?? false,
            bastion_port: b.bastion_port ?? 61000, created_at: nowIso(ctx.now), id, is_legacy: false, name: b.name ?? `gw-${id.slice(0, 8)}`,
            organization_id: ctx.store.organizationId, project_id: project, smtp_enabled: b.enable_smtp ?? false,
            status: 'allocating', tags: b.tags ?? [], type, updated_at: nowIso(ctx.now), version: '0.7.8', zone: loc, ip_id: ipRec.id,
          },
          pending: [after(ctx, ctx.env.delays.gateway, { status: 'running' })],
        });
        return ok(gatewayJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/gateways`, product: P,
      handler: (ctx) => {
        const loc = zone(ctx);
        const recs = filterRecs(ctx, ctx.store.list(GW, loc, ctx.now), {
          ...commonFilters,
          status: eq('status'),
          types: eq('type'),
          private_network_ids: (r, v) => ctx.store.list(GWN, loc, ctx.now).some((n) => n.data.gateway_id === r.id && v.includes(String(n.data.private_network_id))),
          include_legacy: () => true,
        });
        return pageOf(ctx, recs, 'gateways', (r) => gatewayJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/gateways/{gatewayId}`, product: P, handler: (ctx) => ok(gatewayJson(ctx, gw(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/gateways/{gatewayId}`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        const b = parseBody(ctx, updateGw);
        requireStable(rec);
        const next = ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.enable_bastion != null ? { bastion_enabled: b.enable_bastion } : {}),
          ...(b.bastion_port != null ? { bastion_port: b.bastion_port } : {}),
          ...(b.enable_smtp != null ? { smtp_enabled: b.enable_smtp } : {}),
          updated_at: nowIso(ctx.now),
        });
        return ok(gatewayJson(ctx, next));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/gateways/{gatewayId}`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        requireStable(rec);
        const body = { ...gatewayJson(ctx, rec), status: 'deleting', updated_at: nowIso(ctx.now) };
        for (const n of ctx.store.list(GWN, rec.loc, ctx.now)) {
          if (n.data.gateway_id !== rec.id) continue;
          releaseGwnIp(ctx, n);
          ctx.store.remove(GWN, n.id);
        }
        for (const p of ctx.store.list(PAT, rec.loc, ctx.now)) if (p.data.gateway_id === rec.id) ctx.store.remove(PAT, p.id);
        if (ctx.query.get('delete_ip') === 'true' && typeof rec.data.ip_id === 'string') ctx.store.remove(IP, rec.data.ip_id);
        scheduleDelete(ctx, rec, { status: 'deleting', updated_at: nowIso(ctx.now) });
        return ok(body);
      },
    },
    {
      // a bigger (or smaller) gateway type: the gateway re-configures, as after any upgrade
      method: 'POST', pattern: `${base}/gateways/{gatewayId}/upgrade`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        const b = parseBody(ctx, z.object({ type: z.string().nullish() }));
        requireStable(rec);
        const type = b.type ?? String(rec.data.type);
        requireOffered(offered.gatewayTypes(ctx, rec.loc), 'type', type, 'gateway type');
        const next = ctx.store.patch(rec, { type, bandwidth: bandwidthOf(ctx, rec.loc, type), status: 'configuring', updated_at: nowIso(ctx.now) },
          [after(ctx, ctx.env.delays.gateway, { status: 'running' })]);
        return ok(gatewayJson(ctx, next));
      },
    },
    {
      method: 'POST', pattern: `${base}/gateways/{gatewayId}/refresh-ssh-keys`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        requireStable(rec);
        return ok(gatewayJson(ctx, rec));
      },
    },
    {
      method: 'PUT', pattern: `${base}/gateways/{gatewayId}/bastion-allowed-ips`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        const b = parseBody(ctx, z.object({ ip_ranges: z.array(z.string().refine(isIpOrCidr, 'must be an IP range')) }));
        requireStable(rec);
        return bastionReply(ctx.store.patch(rec, { bastion_allowed_ips: b.ip_ranges, updated_at: nowIso(ctx.now) }));
      },
    },
    {
      method: 'POST', pattern: `${base}/gateways/{gatewayId}/bastion-allowed-ips`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        const b = parseBody(ctx, z.object({ ip_range: z.string().refine(isIpOrCidr, 'must be an IP range') }));
        requireStable(rec);
        const list = ((rec.data.bastion_allowed_ips as Json[]) ?? []).map(String);
        return bastionReply(ctx.store.patch(rec, { bastion_allowed_ips: list.includes(b.ip_range) ? list : [...list, b.ip_range], updated_at: nowIso(ctx.now) }));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/gateways/{gatewayId}/bastion-allowed-ips/{ipRange}`, product: P,
      handler: (ctx) => {
        const rec = gw(ctx);
        requireStable(rec);
        const list = ((rec.data.bastion_allowed_ips as Json[]) ?? []).map(String);
        ctx.store.patch(rec, { bastion_allowed_ips: list.filter((x) => x !== ctx.params.ipRange), updated_at: nowIso(ctx.now) });
        return noContent();
      },
    },
    // ---- gateway networks ----
    {
      method: 'POST', pattern: `${base}/gateway-networks`, product: P,
      handler: (ctx) => {
        const loc = zone(ctx);
        const b = parseBody(ctx, createGwn);
        const g = gw(ctx, b.gateway_id);
        requireStable(g);
        const pnRec = ctx.store.get(PN, b.private_network_id, ctx.now);
        if (!pnRec || pnRec.loc !== regionOfZone(loc)) throw notFound('private_network', b.private_network_id);
        if (ctx.store.list(GWN, loc, ctx.now).some((n) => n.data.gateway_id === g.id && n.data.private_network_id === pnRec.id)) {
          throw preconditionFailed('resource_still_in_use', 'the gateway is already attached to this private network');
        }
        const id = uuid();
        let ipamId = b.ipam_ip_id ?? undefined;
        const resource = { type: 'vpc_gateway_network', id, mac_address: macOf(id), name: String(g.data.name) };
        if (ipamId) {
          const ipRec = mustGet(ctx, IPAM_IP, ipamId, pnRec.loc, () => notFound('ip', ipamId!));
          ctx.store.patch(ipRec, { resource });
        } else ipamId = bookIp(ctx, pnRec.loc, pnRec.id, { resource, autoBooked: true }).id;
        const rec = ctx.store.put({
          kind: GWN, id, loc,
          data: {
            created_at: nowIso(ctx.now), gateway_id: g.id, id, ipam_ip_id: ipamId, mac_address: null,
            masquerade_enabled: b.enable_masquerade ?? true, private_network_id: pnRec.id, push_default_route: b.push_default_route ?? false,
            status: 'created', updated_at: nowIso(ctx.now), zone: loc,
          },
          pending: [
            after(ctx, 1, { status: 'configuring', mac_address: macOf(id) }),
            after(ctx, ctx.env.delays.gatewayNetwork, { status: 'ready' }),
          ],
        });
        reconfigure(ctx, g);
        return ok(gwnJson(rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/gateway-networks`, product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(GWN, zone(ctx), ctx.now), {
          gateway_ids: eq('gateway_id'), private_network_ids: eq('private_network_id'), status: eq('status'),
          masquerade_enabled: (r, v) => v.includes(String(r.data.masquerade_enabled)),
        });
        return pageOf(ctx, recs, 'gateway_networks', gwnJson);
      },
    },
    { method: 'GET', pattern: `${base}/gateway-networks/{gatewayNetworkId}`, product: P, handler: (ctx) => ok(gwnJson(gwn(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/gateway-networks/{gatewayNetworkId}`, product: P,
      handler: (ctx) => {
        const rec = gwn(ctx);
        const b = parseBody(ctx, updateGwn);
        const g = gw(ctx, String(rec.data.gateway_id));
        requireStable(g);
        if (b.ipam_ip_id && b.ipam_ip_id !== rec.data.ipam_ip_id) {
          const pnRec = ctx.store.get(PN, String(rec.data.private_network_id), ctx.now);
          const ipRec = mustGet(ctx, IPAM_IP, b.ipam_ip_id, pnRec?.loc, () => notFound('ip', b.ipam_ip_id!));
          releaseGwnIp(ctx, rec);
          ctx.store.patch(ipRec, { resource: { type: 'vpc_gateway_network', id: rec.id, mac_address: macOf(rec.id), name: String(g.data.name) } });
        }
        const next = ctx.store.patch(rec, {
          ...(b.enable_masquerade != null ? { masquerade_enabled: b.enable_masquerade } : {}),
          ...(b.push_default_route != null ? { push_default_route: b.push_default_route } : {}),
          ...(b.ipam_ip_id ? { ipam_ip_id: b.ipam_ip_id } : {}),
          status: 'configuring', updated_at: nowIso(ctx.now),
        }, [after(ctx, ctx.env.delays.gatewayNetwork, { status: 'ready' })]);
        reconfigure(ctx, g);
        return ok(gwnJson(next));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/gateway-networks/{gatewayNetworkId}`, product: P,
      handler: (ctx) => {
        const rec = gwn(ctx);
        const g = ctx.store.get(GW, String(rec.data.gateway_id), ctx.now);
        if (g) {
          requireStable(g);
          reconfigure(ctx, g);
        }
        releaseGwnIp(ctx, rec);
        return ok(gwnJson(scheduleDelete(ctx, rec, { status: 'detaching', updated_at: nowIso(ctx.now) })));
      },
    },
    // ---- IPs ----
    {
      method: 'POST', pattern: `${base}/ips`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({ project_id: z.string().nullish(), tags }));
        return ok(createIp(ctx, zone(ctx), projectOf(ctx, b.project_id), b.tags ?? []).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/ips`, product: P,
      handler: (ctx) => {
        const loc = zone(ctx);
        const used = new Set(ctx.store.list(GW, loc, ctx.now).map((g) => String(g.data.ip_id)));
        const recs = filterRecs(ctx, ctx.store.list(IP, loc, ctx.now), {
          ...commonFilters, reverse: eq('reverse'), is_free: (r, v) => v.includes(String(!used.has(r.id))),
        });
        return pageOf(ctx, recs, 'ips', (r) => ipJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/ips/{ipId}`, product: P, handler: (ctx) => ok(ipJson(ctx, ip(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        const b = parseBody(ctx, z.object({ tags, reverse: z.string().nullish(), gateway_id: z.string().nullish() }));
        return ok(ipJson(ctx, ctx.store.patch(rec, {
          ...(b.tags != null ? { tags: b.tags } : {}), ...(b.reverse != null ? { reverse: b.reverse } : {}), updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        if (ctx.store.list(GW, rec.loc, ctx.now).some((g) => g.data.ip_id === rec.id)) throw preconditionFailed('resource_still_in_use', 'the IP is attached to a gateway');
        ctx.store.remove(IP, rec.id);
        return noContent();
      },
    },
    // ---- PAT rules ----
    {
      method: 'POST', pattern: `${base}/pat-rules`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({
          gateway_id: z.string(), public_port: z.number().int().min(1).max(65535), private_ip: z.string(),
          private_port: z.number().int().min(1).max(65535), protocol: z.enum(['both', 'tcp', 'udp']).nullish(),
        }));
        const g = gw(ctx, b.gateway_id);
        requireStable(g);
        const id = uuid();
        return ok(ctx.store.put({
          kind: PAT, id, loc: g.loc,
          data: {
            created_at: nowIso(ctx.now), gateway_id: g.id, id, private_ip: b.private_ip, private_port: b.private_port,
            protocol: b.protocol ?? 'both', public_port: b.public_port, updated_at: nowIso(ctx.now), zone: g.loc,
          },
        }).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/pat-rules`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(PAT, zone(ctx), ctx.now), { gateway_ids: eq('gateway_id'), private_ips: eq('private_ip'), protocol: eq('protocol') }), 'pat_rules', (r) => r.data),
    },
    { method: 'GET', pattern: `${base}/pat-rules/{patRuleId}`, product: P, handler: (ctx) => ok(pat(ctx).data) },
    {
      method: 'DELETE', pattern: `${base}/pat-rules/{patRuleId}`, product: P,
      handler: (ctx) => {
        ctx.store.remove(PAT, pat(ctx).id);
        return noContent();
      },
    },
  ];
}

/** Frees the gateway network's address: released when it booked it, detached when the user did. */
function releaseGwnIp(ctx: Ctx, gwnRec: Rec): void {
  const ipId = gwnRec.data.ipam_ip_id;
  if (typeof ipId !== 'string') return;
  const ipRec = ctx.store.get(IPAM_IP, ipId, ctx.now);
  if (!ipRec) return;
  if (ipRec.hidden?.auto_booked === true) ctx.store.remove(IPAM_IP, ipRec.id);
  else ctx.store.patch(ipRec, { resource: null });
}

function macOf(id: string): string {
  const hex = id.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `02:00:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}
