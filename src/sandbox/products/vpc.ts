import { z } from 'zod';
import {
  orgFilter, commonFilters, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, region, uuid,
  type Ctx, type Filter, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed } from '../errors';
import { isIpOrCidr, nextFreeHost } from '../ipv4';
import { nowIso, type Json, type JsonObject } from '../json';
import type { Rec } from '../store';

const VPC = 'vpc.vpc';
export const PN = 'vpc.private_network';
export const IPAM_IP = 'ipam.ip';
const ROUTE = 'vpc.route';

const tags = z.array(z.string()).nullish();

function vpcJson(ctx: Ctx, rec: Rec): JsonObject {
  const count = ctx.store.list(PN, rec.loc, ctx.now).filter((p) => p.data.vpc_id === rec.id).length;
  return { ...rec.data, private_network_count: count };
}

/** The project's default VPC in a region, created on first use as Scaleway does. */
function defaultVpc(ctx: Ctx, loc: string, projectId: string): Rec {
  const existing = ctx.store.list(VPC, loc, ctx.now).find((v) => v.data.project_id === projectId && v.data.is_default === true);
  if (existing) return existing;
  return createVpc(ctx, loc, projectId, 'default', [], true, true);
}

function createVpc(ctx: Ctx, loc: string, projectId: string, name: string, t: string[], routing: boolean, isDefault: boolean): Rec {
  const id = uuid();
  return ctx.store.put({
    kind: VPC, id, loc,
    data: {
      id, name, tags: t, organization_id: ctx.store.organizationId, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now),
      project_id: projectId, is_default: isDefault, private_network_count: 0, routing_enabled: routing,
      custom_routes_propagation_enabled: routing, transitivity_enabled: false, region: loc,
      // no Object Storage endpoint can be attached here: the flag exists, and is false
      s3_integration_enabled: false,
    },
  });
}

/** An unused 172.16.x.0/22, as the API picks when no subnet is given. */
function freeSubnet(ctx: Ctx, loc: string, vpcId: string): string {
  const used = new Set<string>();
  for (const p of ctx.store.list(PN, loc, ctx.now)) {
    if (p.data.vpc_id !== vpcId) continue;
    for (const s of (p.data.subnets as JsonObject[]) ?? []) used.add(String(s.subnet));
  }
  const start = ctx.store.next('pn_subnet');
  for (let i = 0; i < 1024; i += 1) {
    const n = (start + i) % 1024;
    // 1024 /22 blocks fill 172.16.0.0/12
    const cidr = `172.${16 + Math.floor((n * 4) / 256)}.${(n * 4) % 256}.0/22`;
    if (!used.has(cidr)) return cidr;
  }
  throw preconditionFailed('resource_still_in_use', 'no free subnet left in this VPC');
}

function subnetJson(ctx: Ctx, cidr: string, pnId: string, projectId: string, vpcId: string): JsonObject {
  return {
    id: uuid(), created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), subnet: cidr, project_id: projectId, private_network_id: pnId, vpc_id: vpcId,
    region: region(ctx),
  };
}

const createVpcBody = z.object({
  name: z.string().max(64).nullish(), project_id: z.string().nullish(), tags,
  enable_routing: z.boolean().nullish(), enable_transitivity: z.boolean().nullish(),
});
const createPnBody = z.object({
  name: z.string().max(64).nullish(), project_id: z.string().nullish(), tags,
  subnets: z.array(z.string()).nullish(), vpc_id: z.string().nullish(), default_route_propagation_enabled: z.boolean().nullish(),
});
const createRouteBody = z.object({
  description: z.string().nullish(), tags, vpc_id: z.string(), destination: z.string(),
  nexthop_resource_id: z.string().nullish(), nexthop_private_network_id: z.string().nullish(), nexthop_vpc_connector_id: z.string().nullish(),
});
const updateRouteBody = z.object({
  description: z.string().nullish(), tags, destination: z.string().nullish(),
  nexthop_resource_id: z.string().nullish(), nexthop_private_network_id: z.string().nullish(), nexthop_vpc_connector_id: z.string().nullish(),
});

/**
 * A route as `routes-with-nexthop` lists it. Each subnet of the VPC's private networks has its
 * read-only `subnet` route (no id, tagged MANAGED); custom routes name their next hop, resolved
 * through IPAM when it is a resource (recorded: held-out vpc/list-vpc-routes-basic, 2026-05-25).
 */
function withNexthop(ctx: Ctx, route: JsonObject): JsonObject {
  const resourceId = route.nexthop_resource_id;
  const booked = typeof resourceId === 'string'
    ? ctx.store.list(IPAM_IP, region(ctx), ctx.now).find((ip) => (ip.data.resource as JsonObject | null)?.id === resourceId)
    : undefined;
  const resource = booked?.data.resource as JsonObject | undefined;
  return {
    nexthop_ip: booked ? String(booked.data.address).split('/')[0] ?? null : null,
    nexthop_name: typeof resource?.name === 'string' ? resource.name : null,
    nexthop_resource_type: typeof resource?.type === 'string' ? resource.type : 'unknown_type',
    route,
  };
}

function subnetRoutes(ctx: Ctx, vpcId: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const p of ctx.store.list(PN, region(ctx), ctx.now)) {
    if (p.data.vpc_id !== vpcId) continue;
    for (const s of (p.data.subnets as JsonObject[]) ?? []) {
      out.push({
        created_at: s.created_at ?? null, description: 'Local Private Network route', destination: s.subnet ?? null, id: '', is_read_only: true,
        nexthop_private_network_id: p.id, nexthop_resource_id: null, nexthop_vpc_connector_id: null, region: p.loc, tags: ['MANAGED'],
        type: 'subnet', updated_at: s.updated_at ?? null, vpc_id: vpcId,
      });
    }
  }
  return out;
}

const updatePnBody = z.object({ name: z.string().max(64).nullish(), tags, default_route_propagation_enabled: z.boolean().nullish() });

/** Finds the private network and subnet that an IPAM request targets. */
function pnSubnet(ctx: Ctx, loc: string, pnId: string, ipv6: boolean): { pn: Rec; subnet: JsonObject } {
  const pn = mustGet(ctx, PN, pnId, loc, () => notFound('private_network', pnId));
  const subnet = ((pn.data.subnets as JsonObject[]) ?? []).find((s) => String(s.subnet).includes(':') === ipv6);
  if (!subnet) throw invalidArguments([{ argument_name: 'source.private_network_id', reason: 'constraint', help_message: `private network has no ${ipv6 ? 'IPv6' : 'IPv4'} subnet` }]);
  return { pn, subnet };
}

/** Books an address in a private network (used by IPAM and by gateway networks). */
export function bookIp(ctx: Ctx, loc: string, pnId: string, opts: {
  projectId?: string; address?: string | null; ipv6?: boolean; tags?: string[]; resource?: JsonObject | null; autoBooked?: boolean;
}): Rec {
  const { pn, subnet } = pnSubnet(ctx, loc, pnId, opts.ipv6 ?? false);
  const cidr = String(subnet.subnet);
  const bits = cidr.split('/')[1] ?? '32';
  const used = new Set<string>();
  for (const ip of ctx.store.list(IPAM_IP, loc, ctx.now)) if (ip.hidden?.subnet_id === subnet.id) used.add(String(ip.data.address).split('/')[0] ?? '');
  let address: string | undefined;
  if (opts.address) {
    if (used.has(opts.address)) throw preconditionFailed('resource_still_in_use', `address ${opts.address} is already booked`);
    address = opts.address;
  } else if (opts.ipv6) {
    address = `${cidr.split('::')[0]}::${(used.size + 2).toString(16)}`;
  } else {
    address = nextFreeHost(cidr, used);
    if (!address) throw preconditionFailed('resource_still_in_use', 'no free address left in this subnet');
  }
  const id = uuid();
  return ctx.store.put({
    kind: IPAM_IP, id, loc,
    data: {
      id, address: `${address}/${bits}`, project_id: opts.projectId ?? String(pn.data.project_id), is_ipv6: opts.ipv6 ?? false,
      created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), source: { subnet_id: String(subnet.id) },
      resource: opts.resource ?? null, tags: opts.tags ?? [], reverses: [], region: loc, zone: null,
    },
    hidden: { private_network_id: pn.id, subnet_id: String(subnet.id), vpc_id: String(pn.data.vpc_id), auto_booked: opts.autoBooked ?? false },
  });
}

export function vpcRoutes(): Route[] {
  const P = 'VPC';
  const base = '/vpc/v2/regions/{region}';
  const vpc = (ctx: Ctx) => mustGet(ctx, VPC, ctx.params.vpcId!, region(ctx), () => notFound('vpc', ctx.params.vpcId!));
  const pn = (ctx: Ctx) => mustGet(ctx, PN, ctx.params.privateNetworkId!, region(ctx), () => notFound('private_network', ctx.params.privateNetworkId!));
  const route = (ctx: Ctx) => mustGet(ctx, ROUTE, ctx.params.routeId!, region(ctx), () => notFound('route', ctx.params.routeId!));
  /** A custom route needs a destination CIDR and one next hop inside its VPC. */
  const checkRoute = (ctx: Ctx, vpcId: string, b: z.infer<typeof updateRouteBody>): { destination: string } => {
    const destination = b.destination ?? '';
    if (!isIpOrCidr(destination) || !destination.includes('/')) {
      throw invalidArguments([{ argument_name: 'destination', reason: 'format', help_message: `${destination} is not a CIDR` }]);
    }
    if (!b.nexthop_private_network_id && !b.nexthop_resource_id && !b.nexthop_vpc_connector_id) {
      throw invalidArguments([{ argument_name: 'nexthop_resource_id', reason: 'required', help_message: 'a route needs a next hop: a resource, a private network or a VPC connector' }]);
    }
    if (b.nexthop_private_network_id) {
      const hop = pn({ ...ctx, params: { ...ctx.params, privateNetworkId: b.nexthop_private_network_id } });
      if (hop.data.vpc_id !== vpcId) {
        throw invalidArguments([{ argument_name: 'nexthop_private_network_id', reason: 'constraint', help_message: 'the next hop private network is not in the route\'s VPC' }]);
      }
    }
    return { destination };
  };
  const vpcToggle = (suffix: string, set: JsonObject): Route => ({
    method: 'POST', pattern: `${base}/vpcs/{vpcId}/${suffix}`, product: P,
    handler: (ctx) => ok(vpcJson(ctx, ctx.store.patch(vpc(ctx), { ...set, updated_at: nowIso(ctx.now) }))),
  });
  return [
    {
      method: 'POST', pattern: `${base}/vpcs`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createVpcBody);
        const project = projectOf(ctx, b.project_id);
        // routing is always on for new VPCs nowadays (recorded: enable_routing false -> routing_enabled true)
        const rec = createVpc(ctx, loc, project, b.name ?? `vpc-${uuid().slice(0, 8)}`, b.tags ?? [], true, false);
        if (b.enable_transitivity) ctx.store.patch(rec, { transitivity_enabled: true });
        return ok(vpcJson(ctx, ctx.store.get(VPC, rec.id, ctx.now)!));
      },
    },
    {
      method: 'GET', pattern: `${base}/vpcs`, product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(VPC, region(ctx), ctx.now), {
          ...commonFilters, is_default: (r, v) => v.includes(String(r.data.is_default)), routing_enabled: (r, v) => v.includes(String(r.data.routing_enabled)),
        });
        return pageOf(ctx, recs, 'vpcs', (r) => vpcJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/vpcs/{vpcId}`, product: P, handler: (ctx) => ok(vpcJson(ctx, vpc(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/vpcs/{vpcId}`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({ name: z.string().nullish(), tags }));
        const rec = vpc(ctx);
        return ok(vpcJson(ctx, ctx.store.patch(rec, { ...(b.name != null ? { name: b.name } : {}), ...(b.tags != null ? { tags: b.tags } : {}), updated_at: nowIso(ctx.now) })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/vpcs/{vpcId}`, product: P,
      handler: (ctx) => {
        const rec = vpc(ctx);
        if (ctx.store.list(PN, rec.loc, ctx.now).some((p) => p.data.vpc_id === rec.id)) {
          throw preconditionFailed('resource_still_in_use', 'the VPC still contains private networks');
        }
        ctx.store.remove(VPC, rec.id);
        return noContent();
      },
    },
    vpcToggle('enable-routing', { routing_enabled: true }),
    vpcToggle('enable-custom-routes-propagation', { custom_routes_propagation_enabled: true }),
    {
      method: 'POST', pattern: `${base}/private-networks`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createPnBody);
        const project = projectOf(ctx, b.project_id);
        const v = b.vpc_id ? vpc({ ...ctx, params: { ...ctx.params, vpcId: b.vpc_id } }) : defaultVpc(ctx, loc, project);
        const id = uuid();
        const given = b.subnets ?? [];
        for (const [i, s] of given.entries()) {
          if (!isIpOrCidr(s) || !s.includes('/')) throw invalidArguments([{ argument_name: `subnets.${i}`, reason: 'format', help_message: `${s} is not a CIDR` }]);
        }
        const v4 = given.filter((s) => !s.includes(':'));
        const v6 = given.filter((s) => s.includes(':'));
        const cidrs = [...(v4.length ? v4 : [freeSubnet(ctx, loc, v.id)]), ...(v6.length ? v6 : [`fd${uuid().slice(0, 2)}:${uuid().slice(0, 4)}:${uuid().slice(0, 4)}:${uuid().slice(0, 4)}::/64`])];
        const rec = ctx.store.put({
          kind: PN, id, loc,
          data: {
            id, name: b.name ?? `pn-${id.slice(0, 8)}`, tags: b.tags ?? [], organization_id: ctx.store.organizationId,
            created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), project_id: project,
            subnets: cidrs.map((c) => subnetJson(ctx, c, id, project, v.id)),
            vpc_id: v.id, dhcp_enabled: true, default_route_propagation_enabled: b.default_route_propagation_enabled ?? false, region: loc,
            has_s3_integration: false,
          },
        });
        return ok(rec.data);
      },
    },
    {
      method: 'GET', pattern: `${base}/private-networks`, product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(PN, region(ctx), ctx.now), {
          ...commonFilters, vpc_id: eq('vpc_id'), private_network_ids: (r, v) => v.includes(r.id), dhcp_enabled: (r, v) => v.includes(String(r.data.dhcp_enabled)),
        });
        return pageOf(ctx, recs, 'private_networks', (r) => r.data);
      },
    },
    { method: 'GET', pattern: `${base}/private-networks/{privateNetworkId}`, product: P, handler: (ctx) => ok(pn(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/private-networks/{privateNetworkId}`, product: P,
      handler: (ctx) => {
        const rec = pn(ctx);
        const b = parseBody(ctx, updatePnBody);
        return ok(ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.default_route_propagation_enabled != null ? { default_route_propagation_enabled: b.default_route_propagation_enabled } : {}),
          updated_at: nowIso(ctx.now),
        }).data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/private-networks/{privateNetworkId}`, product: P,
      handler: (ctx) => {
        const rec = pn(ctx);
        const attached = ctx.store.list(IPAM_IP, rec.loc, ctx.now).some((ip) => ip.hidden?.private_network_id === rec.id && ip.data.resource !== null);
        if (attached) throw preconditionFailed('resource_still_in_use', 'private network still has attached resources');
        for (const ip of ctx.store.list(IPAM_IP, rec.loc, ctx.now)) if (ip.hidden?.private_network_id === rec.id) ctx.store.remove(IPAM_IP, ip.id);
        ctx.store.remove(PN, rec.id);
        return noContent();
      },
    },
    ...(['POST', 'DELETE'] as const).map((method): Route => ({
      method, pattern: `${base}/private-networks/{privateNetworkId}/subnets`, product: P,
      handler: (ctx) => {
        const rec = pn(ctx);
        const b = parseBody(ctx, z.object({ subnets: z.array(z.string()) }));
        for (const [i, s] of b.subnets.entries()) {
          if (!isIpOrCidr(s) || !s.includes('/')) throw invalidArguments([{ argument_name: `subnets.${i}`, reason: 'format', help_message: `${s} is not a CIDR` }]);
        }
        const current = (rec.data.subnets as JsonObject[]) ?? [];
        let next: JsonObject[];
        if (method === 'POST') {
          const known = new Set(current.map((s) => String(s.subnet)));
          next = [...current, ...b.subnets.filter((s) => !known.has(s)).map((c) => subnetJson(ctx, c, rec.id, String(rec.data.project_id), String(rec.data.vpc_id)))];
        } else {
          const used = ctx.store.list(IPAM_IP, rec.loc, ctx.now).filter((ip) => ip.hidden?.private_network_id === rec.id).map((ip) => String(ip.hidden?.subnet_id));
          const removed = current.filter((s) => b.subnets.includes(String(s.subnet)));
          if (removed.some((s) => used.includes(String(s.id)))) throw preconditionFailed('resource_still_in_use', 'a subnet still has booked IPs');
          next = current.filter((s) => !removed.includes(s));
        }
        ctx.store.patch(rec, { subnets: next, updated_at: nowIso(ctx.now) });
        return ok({ subnets: b.subnets });
      },
    })),
    {
      method: 'POST', pattern: `${base}/routes`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createRouteBody);
        const v = vpc({ ...ctx, params: { ...ctx.params, vpcId: b.vpc_id } });
        const hop = checkRoute(ctx, v.id, b);
        const id = uuid();
        return ok(ctx.store.put({
          kind: ROUTE, id, loc,
          data: {
            created_at: nowIso(ctx.now), description: b.description ? b.description : 'Custom route', destination: hop.destination, id, is_read_only: false,
            nexthop_private_network_id: b.nexthop_private_network_id ?? null, nexthop_resource_id: b.nexthop_resource_id ?? null,
            nexthop_vpc_connector_id: b.nexthop_vpc_connector_id ?? null, region: loc, tags: b.tags ?? [], type: 'custom', updated_at: nowIso(ctx.now), vpc_id: v.id,
          },
          hidden: { project_id: String(v.data.project_id) },
        }).data);
      },
    },
    { method: 'GET', pattern: `${base}/routes/{routeId}`, product: P, handler: (ctx) => ok(route(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/routes/{routeId}`, product: P,
      handler: (ctx) => {
        const rec = route(ctx);
        const b = parseBody(ctx, updateRouteBody);
        const merged = { ...rec.data, ...Object.fromEntries(Object.entries(b).filter(([, x]) => x != null)) } as JsonObject;
        checkRoute(ctx, String(rec.data.vpc_id), merged as z.infer<typeof updateRouteBody>);
        return ok(ctx.store.patch(rec, { ...merged, updated_at: nowIso(ctx.now) }).data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/routes/{routeId}`, product: P,
      handler: (ctx) => {
        ctx.store.remove(ROUTE, route(ctx).id);
        return noContent();
      },
    },
    {
      method: 'GET', pattern: `${base}/routes-with-nexthop`, product: P,
      handler: (ctx) => {
        const q = (k: string) => ctx.query.get(k) ?? undefined;
        const vpcId = q('vpc_id');
        const visible = ctx.visibleProjects;
        // routes belong to their VPC's project: a project-scoped key lists those of its projects (as pageOf does)
        const vpcs = (vpcId ? [vpc({ ...ctx, params: { ...ctx.params, vpcId } })] : ctx.store.list(VPC, region(ctx), ctx.now))
          .filter((v) => !visible || visible.has(String(v.data.project_id)));
        const wanted = ctx.query.getAll('tags').flatMap((t) => t.split(','));
        const custom = ctx.store.list(ROUTE, region(ctx), ctx.now)
          .filter((r) => vpcs.some((v) => v.id === r.data.vpc_id))
          // the tag filter picks custom routes; the managed subnet routes stay listed (recorded)
          .filter((r) => wanted.length === 0 || wanted.some((t) => ((r.data.tags as Json[]) ?? []).includes(t)))
          .map((r) => r.data);
        let all = [...vpcs.flatMap((v) => subnetRoutes(ctx, v.id)), ...custom];
        for (const k of ['nexthop_private_network_id', 'nexthop_resource_id', 'nexthop_vpc_connector_id'] as const) {
          const want = q(k);
          if (want) all = all.filter((r) => r[k] === want);
        }
        const ipv6 = q('is_ipv6');
        if (ipv6) all = all.filter((r) => String(r.destination).includes(':') === (ipv6 === 'true'));
        const rows = all.map((r) => withNexthop(ctx, r));
        const type = q('nexthop_resource_type');
        const kept = type && type !== 'unknown_type' ? rows.filter((r) => r.nexthop_resource_type === type) : rows;
        const order = q('order_by') ?? 'created_at_asc';
        const key = (r: JsonObject) => String((r.route as JsonObject)[order.startsWith('destination') ? 'destination' : 'created_at']);
        kept.sort((a, b) => key(a).localeCompare(key(b)) * (order.endsWith('_desc') ? -1 : 1));
        const size = Math.min(Number(q('page_size') ?? 50), 100);
        const page = Math.max(Number(q('page') ?? 1), 1);
        return ok({ routes: kept.slice((page - 1) * size, page * size), total_count: kept.length });
      },
    },
    {
      method: 'GET', pattern: `${base}/subnets`, product: P,
      handler: (ctx) => {
        const subnets: Rec[] = [];
        for (const p of ctx.store.list(PN, region(ctx), ctx.now)) {
          for (const s of (p.data.subnets as JsonObject[]) ?? []) subnets.push({ kind: 'vpc.subnet', id: String(s.id), loc: p.loc, data: s, seq: p.seq });
        }
        const recs = filterRecs(ctx, subnets, { project_id: eq('project_id'), vpc_id: eq('vpc_id'), subnet_ids: (r, v) => v.includes(r.id), organization_id: orgFilter });
        return pageOf(ctx, recs, 'subnets', (r) => r.data);
      },
    },
  ];
}

const bookBody = z.object({
  project_id: z.string().nullish(),
  source: z.object({ private_network_id: z.string().nullish(), subnet_id: z.string().nullish(), zonal: z.string().nullish(), vpc_id: z.string().nullish() }),
  is_ipv6: z.boolean().nullish(),
  address: z.string().nullish(),
  tags,
});

export function ipamRoutes(): Route[] {
  const P = 'IPAM';
  const base = '/ipam/v1/regions/{region}';
  const ip = (ctx: Ctx) => mustGet(ctx, IPAM_IP, ctx.params.ipId!, region(ctx), () => notFound('ip', ctx.params.ipId!));
  const resourceField = (f: string): Filter => (r, v) => v.includes(String((r.data.resource as JsonObject | null)?.[f] ?? ''));
  return [
    {
      method: 'POST', pattern: `${base}/ips`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, bookBody);
        let pnId = b.source.private_network_id ?? undefined;
        if (!pnId && b.source.subnet_id) {
          pnId = ctx.store.list(PN, loc, ctx.now).find((p) => ((p.data.subnets as JsonObject[]) ?? []).some((s) => s.id === b.source.subnet_id))?.id;
          if (!pnId) throw notFound('subnet', b.source.subnet_id);
        }
        if (!pnId) throw invalidArguments([{ argument_name: 'source', reason: 'constraint', help_message: 'only private_network_id and subnet_id sources are supported by the sandbox' }]);
        const project = projectOf(ctx, b.project_id);
        return ok(bookIp(ctx, loc, pnId, { projectId: project, address: b.address, ipv6: b.is_ipv6 ?? false, tags: b.tags ?? [] }).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/ips`, product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(IPAM_IP, region(ctx), ctx.now), {
          project_id: eq('project_id'), organization_id: orgFilter, tags: commonFilters.tags!,
          private_network_id: (r, v) => v.includes(String(r.hidden?.private_network_id)),
          subnet_id: (r, v) => v.includes(String(r.hidden?.subnet_id)),
          vpc_id: (r, v) => v.includes(String(r.hidden?.vpc_id)),
          is_ipv6: (r, v) => v.includes(String(r.data.is_ipv6)),
          attached: (r, v) => v.includes(String(r.data.resource !== null)),
          ip_ids: (r, v) => v.includes(r.id),
          resource_id: resourceField('id'), resource_ids: resourceField('id'), resource_type: resourceField('type'),
          resource_types: resourceField('type'), resource_name: resourceField('name'), mac_address: resourceField('mac_address'),
        });
        return pageOf(ctx, recs, 'ips', (r) => r.data, 'created_at_desc');
      },
    },
    { method: 'GET', pattern: `${base}/ips/{ipId}`, product: P, handler: (ctx) => ok(ip(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        const b = parseBody(ctx, z.object({ tags, reverses: z.array(z.object({ hostname: z.string(), address: z.string() })).nullish() }));
        return ok(ctx.store.patch(rec, {
          ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.reverses != null ? { reverses: b.reverses as unknown as Json } : {}),
          updated_at: nowIso(ctx.now),
        }).data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        if (rec.data.resource !== null) throw preconditionFailed('resource_still_in_use', 'the IP is attached to a resource');
        ctx.store.remove(IPAM_IP, rec.id);
        return noContent();
      },
    },
  ];
}
