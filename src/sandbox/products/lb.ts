import { z } from 'zod';
import {
  orgFilter, after, checkQuota, scheduleDelete, commonFilters, contains, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, publicIp,
  region, regionOfZone, reverseOf, uuid, zone, type Ctx, type Route,
} from '../context';
import { bareNotFound, invalidArguments, preconditionFailed } from '../errors';
import { dropHostMask, isIpOrCidr } from '../ipv4';
import { isObject, nowIso, type Json, type JsonObject } from '../json';
import type { Rec } from '../store';
import { offered, requireOffered } from './catalog';
import { bookIp, IPAM_IP, PN } from './vpc';

const LB = 'lb.lb';
const IP = 'lb.ip';
const BACKEND = 'lb.backend';
const FRONTEND = 'lb.frontend';
const ACL = 'lb.acl';
const CERT = 'lb.certificate';
const LB_PN = 'lb.private_network';

const tags = z.array(z.string()).nullish();
const ms = z.union([z.number(), z.string()]);

// ---- nested views, joined at read time as the real API does ---------------------------------

function ipJson(rec: Rec): JsonObject {
  return rec.data;
}

function lbJson(ctx: Ctx, rec: Rec): JsonObject {
  const ips = ctx.store.list(IP, rec.loc, ctx.now).filter((i) => i.data.lb_id === rec.id).map(ipJson);
  const count = (kind: string) => ctx.store.list(kind, rec.loc, ctx.now).filter((r) => r.data.lb_id === rec.id).length;
  return {
    ...rec.data, ip: ips, backend_count: count(BACKEND), frontend_count: count(FRONTEND),
    private_network_count: count(LB_PN), route_count: 0,
  };
}

function strip(rec: Rec): JsonObject {
  const { lb_id: _lb, backend_id: _b, frontend_id: _f, ...rest } = rec.data;
  return rest;
}

function backendJson(ctx: Ctx, rec: Rec): JsonObject {
  const lb = ctx.store.get(LB, String(rec.data.lb_id), ctx.now);
  return { ...strip(rec), lb: lb ? lbJson(ctx, lb) : null };
}

function certJson(ctx: Ctx, rec: Rec): JsonObject {
  const lb = ctx.store.get(LB, String(rec.data.lb_id), ctx.now);
  return { ...strip(rec), lb: lb ? lbJson(ctx, lb) : null };
}

function frontendJson(ctx: Ctx, rec: Rec): JsonObject {
  const lb = ctx.store.get(LB, String(rec.data.lb_id), ctx.now);
  const backend = ctx.store.get(BACKEND, String(rec.data.backend_id), ctx.now);
  const certIds = ((rec.data.certificate_ids as Json[]) ?? []).map(String);
  const cert = certIds[0] ? ctx.store.get(CERT, certIds[0], ctx.now) : undefined;
  return {
    ...strip(rec), backend: backend ? backendJson(ctx, backend) : null, lb: lb ? lbJson(ctx, lb) : null,
    certificate: cert ? certJson(ctx, cert) : null,
  };
}

function aclJson(ctx: Ctx, rec: Rec): JsonObject {
  const fe = ctx.store.get(FRONTEND, String(rec.data.frontend_id), ctx.now);
  return { ...strip(rec), frontend: fe ? frontendJson(ctx, fe) : null };
}

// ---- request bodies ------------------------------------------------------------------------

const createLb = z.object({
  project_id: z.string().nullish(), name: z.string().max(64).nullish(), description: z.string().nullish(),
  ip_id: z.string().nullish(), ip_ids: z.array(z.string()).nullish(), assign_flexible_ip: z.boolean().nullish(),
  assign_flexible_ipv6: z.boolean().nullish(), tags, type: z.string().nullish(), ssl_compatibility_level: z.string().nullish(),
});
const updateLb = z.object({ name: z.string().max(64).nullish(), description: z.string().nullish(), tags, ssl_compatibility_level: z.string().nullish() });
const healthCheck = z.object({
  port: z.number().int().nullish(), check_delay: ms.nullish(), check_timeout: ms.nullish(), check_max_retries: z.number().int().nullish(),
  check_send_proxy: z.boolean().nullish(), transient_check_delay: z.string().nullish(),
}).loose();
const backendBody = z.object({
  name: z.string().max(64).nullish(), forward_protocol: z.enum(['tcp', 'http']).nullish(), forward_port: z.number().int().min(1).max(65535).nullish(),
  forward_port_algorithm: z.string().nullish(), sticky_sessions: z.string().nullish(), sticky_sessions_cookie_name: z.string().nullish(),
  health_check: healthCheck.nullish(), server_ip: z.array(z.string()).nullish(), on_marked_down_action: z.string().nullish(),
  proxy_protocol: z.string().nullish(), send_proxy_v2: z.boolean().nullish(), timeout_server: ms.nullish(), timeout_connect: ms.nullish(),
  timeout_tunnel: ms.nullish(), timeout_queue: z.string().nullish(), failover_host: z.string().nullish(), ssl_bridging: z.boolean().nullish(),
  ignore_ssl_server_verify: z.boolean().nullish(), redispatch_attempt_count: z.number().int().nullish(), max_retries: z.number().int().nullish(),
  max_connections: z.number().int().nullish(),
});
// built once, not per request (zod compiles each new schema on its first parse)
const createBackendBody = backendBody.extend({ forward_protocol: z.enum(['tcp', 'http']), forward_port: z.number().int().min(1).max(65535) });
const frontendBody = z.object({
  name: z.string().max(64).nullish(), inbound_port: z.number().int().min(1).max(65535), backend_id: z.string(),
  certificate_id: z.string().nullish(), certificate_ids: z.array(z.string()).nullish(), timeout_client: ms.nullish(),
  enable_http3: z.boolean().nullish(), connection_rate_limit: z.number().int().nullish(), enable_access_logs: z.boolean().nullish(),
});
const aclSpec = z.object({
  name: z.string().max(64).nullish(),
  action: z.object({ type: z.enum(['allow', 'deny', 'redirect']), redirect: z.object({ type: z.string().nullish(), target: z.string().nullish(), code: z.number().int().nullish() }).nullish() }),
  match: z.object({
    ip_subnet: z.array(z.string().refine(isIpOrCidr, 'must be an IP address or CIDR')).nullish(), ips_edge_services: z.boolean().nullish(),
    http_filter: z.string().nullish(), http_filter_value: z.array(z.string()).nullish(), http_filter_option: z.string().nullish(),
    invert: z.boolean().nullish(),
  }).nullish(),
  index: z.number().int().min(0),
  description: z.string().nullish(),
});
const attachPnBody = z.object({
  private_network_id: z.string(),
  static_config: z.object({ ip_address: z.array(z.string().refine(isIpOrCidr, 'must be an IP address')).nullish() }).nullish(),
  dhcp_config: z.object({}).loose().nullish(), ipam_config: z.object({}).loose().nullish(), ipam_ids: z.array(z.string()).nullish(),
});
const certBody = z.object({
  name: z.string().max(64).nullish(),
  letsencrypt: z.object({ common_name: z.string(), subject_alternative_name: z.array(z.string()).nullish() }).nullish(),
  custom_certificate: z.object({ certificate_chain: z.string() }).nullish(),
});

function durationMs(v: string | number | null | undefined, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  if (typeof v === 'number') return v;
  const m = /^([\d.]+)(ms|s|m)?$/.exec(v.trim());
  if (!m) return dflt;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60000 : n * 1000);
}

function aclData(spec: z.infer<typeof aclSpec>): JsonObject {
  const m = spec.match ?? {};
  return {
    action: { redirect: (spec.action.redirect as JsonObject | undefined) ?? null, type: spec.action.type },
    description: spec.description ?? '',
    index: spec.index,
    match: {
      // stored as the real API stores them: a host /32 loses its mask
      ip_subnet: (m.ip_subnet ?? []).map(dropHostMask), ips_edge_services: m.ips_edge_services ?? false,
      http_filter: m.http_filter ?? 'acl_http_filter_none', http_filter_value: m.http_filter_value ?? null,
      http_filter_option: m.http_filter_option ?? null, invert: m.invert ?? false,
    },
    name: spec.name ?? `acl-${spec.index}`,
  };
}

/** The IPAM addresses a load balancer's private-network link booked for itself go with the link. */
function releaseIpam(ctx: Ctx, lbRec: Rec, link: Rec): void {
  for (const id of ((link.data.ipam_ids as Json[]) ?? []).map(String)) {
    const ip = ctx.store.get(IPAM_IP, id, ctx.now);
    if (ip?.hidden?.auto_booked && (ip.data.resource as JsonObject | null)?.id === lbRec.id) ctx.store.remove(IPAM_IP, id);
  }
}

export function lbRoutes(): Route[] {
  const P = 'LoadBalancers';
  const base = '/lb/v1/zones/{zone}';
  const lb = (ctx: Ctx, id = ctx.params.lbId!) => mustGet(ctx, LB, id, zone(ctx), () => bareNotFound('lbs not Found'));
  const ip = (ctx: Ctx, id = ctx.params.ipId!) => mustGet(ctx, IP, id, zone(ctx), () => bareNotFound('ips not Found'));
  const backend = (ctx: Ctx, id = ctx.params.backendId!) => mustGet(ctx, BACKEND, id, zone(ctx), () => bareNotFound('backends not Found'));
  const frontend = (ctx: Ctx, id = ctx.params.frontendId!) => mustGet(ctx, FRONTEND, id, zone(ctx), () => bareNotFound('frontends not Found'));
  const acl = (ctx: Ctx) => mustGet(ctx, ACL, ctx.params.aclId!, zone(ctx), () => bareNotFound('acls not Found'));
  const cert = (ctx: Ctx) => mustGet(ctx, CERT, ctx.params.certificateId!, zone(ctx), () => bareNotFound('certificates not Found'));

  const newIp = (ctx: Ctx, loc: string, projectId: string, t: string[], lbId: string | null): Rec => {
    const id = uuid();
    const address = publicIp(ctx, '51.159');
    return ctx.store.put({
      kind: IP, id, loc,
      data: {
        id, ip_address: address, lb_id: lbId, organization_id: ctx.store.organizationId, project_id: projectId,
        region: regionOfZone(loc), reverse: reverseOf(address, `lb.${regionOfZone(loc)}.scw.cloud`), tags: t, zone: loc,
      },
    });
  };

  const backendData = (b: z.infer<typeof backendBody>, prev: JsonObject | undefined): JsonObject => {
    const hc = b.health_check ?? undefined;
    const prevHc = (prev?.health_check as JsonObject | undefined) ?? {};
    return {
      name: b.name ?? (prev?.name as string | undefined) ?? `backend-${uuid().slice(0, 8)}`,
      forward_protocol: b.forward_protocol ?? (prev?.forward_protocol as string | undefined) ?? 'tcp',
      forward_port: b.forward_port ?? (prev?.forward_port as number | undefined) ?? 80,
      forward_port_algorithm: b.forward_port_algorithm ?? (prev?.forward_port_algorithm as string | undefined) ?? 'roundrobin',
      sticky_sessions: b.sticky_sessions ?? (prev?.sticky_sessions as string | undefined) ?? 'none',
      sticky_sessions_cookie_name: b.sticky_sessions_cookie_name ?? (prev?.sticky_sessions_cookie_name as string | undefined) ?? '',
      health_check: {
        check_delay: durationMs(hc?.check_delay as string | number | undefined, (prevHc.check_delay as number | undefined) ?? 60000),
        check_max_retries: hc?.check_max_retries ?? (prevHc.check_max_retries as number | undefined) ?? 2,
        check_send_proxy: hc?.check_send_proxy ?? (prevHc.check_send_proxy as boolean | undefined) ?? false,
        check_timeout: durationMs(hc?.check_timeout as string | number | undefined, (prevHc.check_timeout as number | undefined) ?? 30000),
        port: hc?.port ?? (prevHc.port as number | undefined) ?? b.forward_port ?? 80,
        tcp_config: {},
        transient_check_delay: hc?.transient_check_delay ? `${durationMs(hc.transient_check_delay, 500) / 1000}s` : ((prevHc.transient_check_delay as string | undefined) ?? '0.500s'),
      },
      pool: b.server_ip ?? (prev?.pool as Json[] | undefined) ?? [],
      on_marked_down_action: b.on_marked_down_action ?? (prev?.on_marked_down_action as string | undefined) ?? 'on_marked_down_action_none',
      proxy_protocol: b.proxy_protocol ?? (prev?.proxy_protocol as string | undefined) ?? 'proxy_protocol_none',
      send_proxy_v2: b.send_proxy_v2 ?? (prev?.send_proxy_v2 as boolean | undefined) ?? false,
      timeout_server: durationMs(b.timeout_server, (prev?.timeout_server as number | undefined) ?? 300000),
      timeout_connect: durationMs(b.timeout_connect, (prev?.timeout_connect as number | undefined) ?? 5000),
      timeout_tunnel: durationMs(b.timeout_tunnel, (prev?.timeout_tunnel as number | undefined) ?? 900000),
      timeout_queue: b.timeout_queue ? `${durationMs(b.timeout_queue, 0) / 1000}s` : ((prev?.timeout_queue as string | undefined) ?? '0s'),
      failover_host: b.failover_host ?? (prev?.failover_host as string | undefined) ?? null,
      ssl_bridging: b.ssl_bridging ?? (prev?.ssl_bridging as boolean | undefined) ?? false,
      ignore_ssl_server_verify: b.ignore_ssl_server_verify ?? (prev?.ignore_ssl_server_verify as boolean | undefined) ?? null,
      redispatch_attempt_count: b.redispatch_attempt_count ?? (prev?.redispatch_attempt_count as number | undefined) ?? null,
      max_retries: b.max_retries ?? (prev?.max_retries as number | undefined) ?? 3,
      max_connections: b.max_connections ?? (prev?.max_connections as number | undefined) ?? null,
      host: (prev?.host as string | undefined) ?? '',
    };
  };

  const frontendData = (ctx: Ctx, lbRec: Rec, b: z.infer<typeof frontendBody>): JsonObject => {
    const be = backend(ctx, b.backend_id);
    if (be.data.lb_id !== lbRec.id) throw invalidArguments([{ argument_name: 'backend_id', reason: 'constraint', help_message: 'backend belongs to another load balancer' }]);
    const certIds = [...(b.certificate_ids ?? []), ...(b.certificate_id ? [b.certificate_id] : [])];
    for (const c of certIds) mustGet(ctx, CERT, c, lbRec.loc, () => bareNotFound('certificates not Found'));
    const taken = ctx.store.list(FRONTEND, lbRec.loc, ctx.now).find((f) => f.data.lb_id === lbRec.id && f.data.inbound_port === b.inbound_port && f.id !== ctx.params.frontendId);
    if (taken) throw invalidArguments([{ argument_name: 'inbound_port', reason: 'constraint', help_message: `port ${b.inbound_port} is already used by frontend ${taken.id}` }]);
    return {
      name: b.name ?? `frontend-${b.inbound_port}`, inbound_port: b.inbound_port, backend_id: be.id, certificate_ids: [...new Set(certIds)],
      timeout_client: durationMs(b.timeout_client, 30000), enable_http3: b.enable_http3 ?? false,
      connection_rate_limit: b.connection_rate_limit ? b.connection_rate_limit : null, enable_access_logs: b.enable_access_logs ?? false,
    };
  };

  const putAcl = (ctx: Ctx, fe: Rec, spec: z.infer<typeof aclSpec>, prev?: Rec): Rec => {
    const id = prev?.id ?? uuid();
    return ctx.store.put({
      kind: ACL, id, loc: fe.loc,
      data: {
        ...aclData(spec), id, created_at: (prev?.data.created_at as string | undefined) ?? nowIso(ctx.now), updated_at: nowIso(ctx.now),
        frontend_id: fe.id, lb_id: String(fe.data.lb_id),
      },
    });
  };

  const attachPn = (ctx: Ctx, b: z.infer<typeof attachPnBody>) => {
    const rec = lb(ctx);
    const pn = ctx.store.get(PN, b.private_network_id, ctx.now);
    if (!pn || pn.loc !== regionOfZone(rec.loc)) throw bareNotFound('private_networks not Found');
    const id = `${rec.id}:${pn.id}`;
    if (ctx.store.get(LB_PN, id, ctx.now)) throw preconditionFailed('resource_still_in_use', 'the load balancer is already attached to this private network');
    const staticIps = b.static_config?.ip_address ?? [];
    // DHCP and IPAM configurations get their address from IPAM, found by the LB's id as on Scaleway
    const ipamIds = b.ipam_ids?.length ? b.ipam_ids : staticIps.length ? [] : [bookIp(ctx, pn.loc, pn.id, {
      projectId: String(rec.data.project_id), resource: { type: 'lb_server', id: rec.id, mac_address: null, name: String(rec.data.name) }, autoBooked: true,
    }).id];
    const data: JsonObject = {
      private_network_id: pn.id, ipam_ids: ipamIds, status: 'pending', created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), lb_id: rec.id,
      ...(staticIps.length ? { static_config: { ip_address: staticIps } } : b.ipam_config || b.ipam_ids?.length ? { ipam_config: {} } : { dhcp_config: {} }),
    };
    const stored = ctx.store.put({ kind: LB_PN, id, loc: rec.loc, data, pending: [after(ctx, ctx.env.delays.lb, { status: 'ready' })] });
    return ok({ ...strip(stored), lb: lbJson(ctx, rec) });
  };
  const detachPn = (ctx: Ctx, pnId: string) => {
    const rec = lb(ctx);
    const link = ctx.store.get(LB_PN, `${rec.id}:${pnId}`, ctx.now);
    if (!link) throw bareNotFound('private_networks not Found');
    ctx.store.remove(LB_PN, link.id);
    releaseIpam(ctx, rec, link);
    return noContent();
  };

  const zoned: Route[] = [
    // ---- IPs ----
    {
      method: 'POST', pattern: `${base}/ips`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({ project_id: z.string().nullish(), is_ipv6: z.boolean().nullish(), reverse: z.string().nullish(), tags }));
        const rec = newIp(ctx, zone(ctx), projectOf(ctx, b.project_id), b.tags ?? [], null);
        return ok(ipJson(b.reverse ? ctx.store.patch(rec, { reverse: b.reverse }) : rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/ips`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(IP, zone(ctx), ctx.now), {
        project_id: eq('project_id'), organization_id: orgFilter, tags: commonFilters.tags!, ip_address: eq('ip_address'),
        ip_type: (r, v) => v.includes(String(r.data.ip_address).includes(':') ? 'ipv6' : 'ipv4'),
      }), 'ips', ipJson),
    },
    { method: 'GET', pattern: `${base}/ips/{ipId}`, product: P, handler: (ctx) => ok(ipJson(ip(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        const b = parseBody(ctx, z.object({ reverse: z.string().nullish(), lb_id: z.string().nullish(), tags }));
        if (b.lb_id) lb(ctx, b.lb_id);
        return ok(ipJson(ctx.store.patch(rec, {
          ...(b.reverse != null ? { reverse: b.reverse } : {}), ...(b.tags != null ? { tags: b.tags } : {}), ...(b.lb_id ? { lb_id: b.lb_id } : {}),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/ips/{ipId}`, product: P,
      handler: (ctx) => {
        const rec = ip(ctx);
        if (rec.data.lb_id) throw preconditionFailed('resource_still_in_use', 'the IP is attached to a load balancer');
        ctx.store.remove(IP, rec.id);
        return noContent();
      },
    },
    // ---- load balancers ----
    {
      method: 'POST', pattern: `${base}/lbs`, product: P,
      handler: (ctx) => {
        const loc = zone(ctx);
        const b = parseBody(ctx, createLb);
        const project = projectOf(ctx, b.project_id);
        // the API has no default offer: a load balancer without a type is refused
        if (!b.type) throw invalidArguments([{ argument_name: 'type', reason: 'required', help_message: 'required' }]);
        requireOffered(offered.lbTypes(ctx, loc), 'type', b.type, 'load balancer type');
        const type = b.type.toUpperCase();
        checkQuota(ctx, LB, 'lbs', project);
        const id = uuid();
        const instanceId = uuid();
        const instance = (status: string, at: number): JsonObject => ({
          created_at: nowIso(ctx.now), id: instanceId, ip_address: '', region: regionOfZone(loc), status, updated_at: nowIso(at), zone: loc,
        });
        const ipIds = [...(b.ip_ids ?? []), ...(b.ip_id ? [b.ip_id] : [])];
        for (const ipId of ipIds) {
          const r = ip(ctx, ipId);
          if (r.data.lb_id) throw preconditionFailed('resource_still_in_use', `IP ${ipId} is already attached`);
          ctx.store.patch(r, { lb_id: id });
        }
        if (ipIds.length === 0 && b.assign_flexible_ip !== false) newIp(ctx, loc, project, [], id);
        const rec = ctx.store.put({
          kind: LB, id, loc,
          data: {
            created_at: nowIso(ctx.now), description: b.description ?? '', id, instances: [], name: b.name ?? `lb-${id.slice(0, 8)}`,
            organization_id: ctx.store.organizationId, project_id: project, region: regionOfZone(loc),
            ssl_compatibility_level: b.ssl_compatibility_level ?? 'ssl_compatibility_level_intermediate', status: 'to_create',
            subscriber: null, tags: b.tags ?? [], type: type.toLowerCase(), updated_at: nowIso(ctx.now), zone: loc,
          },
          // recorded: `to_create` with no instance, then `creating` with its one instance `unknown`, then both ready
          pending: [
            after(ctx, 1, { status: 'creating', instances: [instance('unknown', ctx.now)] }),
            after(ctx, ctx.env.delays.lb, { status: 'ready', instances: [instance('ready', ctx.now + ctx.env.delays.lb)] }),
          ],
        });
        return ok(lbJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/lbs`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(LB, zone(ctx), ctx.now), commonFilters), 'lbs', (r) => lbJson(ctx, r)),
    },
    { method: 'GET', pattern: `${base}/lbs/{lbId}`, product: P, handler: (ctx) => ok(lbJson(ctx, lb(ctx))) },
    {
      method: 'PUT', pattern: `${base}/lbs/{lbId}`, product: P,
      handler: (ctx) => {
        const rec = lb(ctx);
        const b = parseBody(ctx, updateLb);
        return ok(lbJson(ctx, ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.description != null ? { description: b.description } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}), ...(b.ssl_compatibility_level != null ? { ssl_compatibility_level: b.ssl_compatibility_level } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/lbs/{lbId}`, product: P,
      handler: (ctx) => {
        const rec = lb(ctx);
        const release = ctx.query.get('release_ip') === 'true';
        for (const link of ctx.store.list(LB_PN, rec.loc, ctx.now)) if (link.data.lb_id === rec.id) releaseIpam(ctx, rec, link);
        for (const kind of [ACL, FRONTEND, BACKEND, CERT, LB_PN]) {
          for (const r of ctx.store.list(kind, rec.loc, ctx.now)) if (r.data.lb_id === rec.id) ctx.store.remove(kind, r.id);
        }
        for (const r of ctx.store.list(IP, rec.loc, ctx.now)) {
          if (r.data.lb_id !== rec.id) continue;
          if (release) ctx.store.remove(IP, r.id);
          else ctx.store.patch(r, { lb_id: null });
        }
        scheduleDelete(ctx, rec, { status: 'to_delete', updated_at: nowIso(ctx.now) });
        return noContent();
      },
    },
    {
      // a change of commercial type: the LB migrates, then is ready again
      method: 'POST', pattern: `${base}/lbs/{lbId}/migrate`, product: P,
      handler: (ctx) => {
        const rec = lb(ctx);
        const b = parseBody(ctx, z.object({ type: z.string() }));
        requireOffered(offered.lbTypes(ctx, rec.loc), 'type', b.type, 'load balancer type');
        const type = b.type.toUpperCase();
        if (rec.data.status !== 'ready') throw invalidArguments([{ argument_name: 'lb_id', reason: 'constraint', help_message: `load balancer is ${String(rec.data.status)}` }]);
        return ok(lbJson(ctx, ctx.store.patch(rec, { type: type.toLowerCase(), status: 'migrating', updated_at: nowIso(ctx.now) },
          [after(ctx, ctx.env.delays.lb, { status: 'ready' })])));
      },
    },
    {
      method: 'GET', pattern: `${base}/lbs/{lbId}/private-networks`, product: P,
      handler: (ctx) => {
        const rec = lb(ctx);
        const recs = ctx.store.list(LB_PN, rec.loc, ctx.now).filter((r) => r.data.lb_id === rec.id);
        return pageOf(ctx, recs, 'private_network', (r) => ({ ...strip(r), lb: lbJson(ctx, rec) }));
      },
    },
    // the zoned API attaches with the network in the body, the regional one in the path
    // (`/regions/{region}/lbs/{id}/private-networks/{pn}/attach`, mirrored below): both as the SDK calls them
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/attach-private-network`, product: P,
      handler: (ctx) => attachPn(ctx, parseBody(ctx, attachPnBody)),
    },
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/detach-private-network`, product: P,
      handler: (ctx) => detachPn(ctx, parseBody(ctx, z.object({ private_network_id: z.string() })).private_network_id),
    },
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/private-networks/{privateNetworkId}/attach`, product: P,
      handler: (ctx) => attachPn(ctx, { ...parseBody(ctx, attachPnBody.omit({ private_network_id: true })), private_network_id: ctx.params.privateNetworkId! }),
    },
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/private-networks/{privateNetworkId}/detach`, product: P,
      handler: (ctx) => detachPn(ctx, ctx.params.privateNetworkId!),
    },
    // ---- backends ----
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/backends`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const b = parseBody(ctx, createBackendBody);
        const id = uuid();
        const rec = ctx.store.put({
          kind: BACKEND, id, loc: lbRec.loc,
          data: { ...backendData(b, undefined), id, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), lb_id: lbRec.id },
        });
        return ok(backendJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/lbs/{lbId}/backends`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const recs = filterRecs(ctx, ctx.store.list(BACKEND, lbRec.loc, ctx.now).filter((r) => r.data.lb_id === lbRec.id), { name: contains('name') });
        return pageOf(ctx, recs, 'backends', (r) => backendJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/backends/{backendId}`, product: P, handler: (ctx) => ok(backendJson(ctx, backend(ctx))) },
    {
      method: 'PUT', pattern: `${base}/backends/{backendId}`, product: P,
      handler: (ctx) => {
        const rec = backend(ctx);
        const b = parseBody(ctx, backendBody);
        return ok(backendJson(ctx, ctx.store.put({ ...rec, data: { ...rec.data, ...backendData(b, rec.data), updated_at: nowIso(ctx.now) } })));
      },
    },
    {
      method: 'PUT', pattern: `${base}/backends/{backendId}/healthcheck`, product: P,
      handler: (ctx) => {
        const rec = backend(ctx);
        const b = parseBody(ctx, healthCheck);
        const next = ctx.store.put({ ...rec, data: { ...rec.data, ...backendData({ health_check: b }, rec.data), updated_at: nowIso(ctx.now) } });
        return ok(next.data.health_check as JsonObject);
      },
    },
    ...(['POST', 'PUT', 'DELETE'] as const).map((method): Route => ({
      method, pattern: `${base}/backends/{backendId}/servers`, product: P,
      handler: (ctx) => {
        const rec = backend(ctx);
        const b = parseBody(ctx, z.object({ server_ip: z.array(z.string().refine(isIpOrCidr, 'must be an IP address')) }));
        const pool = new Set(((rec.data.pool as Json[]) ?? []).map(String));
        if (method === 'PUT') pool.clear();
        for (const s of b.server_ip) method === 'DELETE' ? pool.delete(s) : pool.add(s);
        return ok(backendJson(ctx, ctx.store.patch(rec, { pool: [...pool], updated_at: nowIso(ctx.now) })));
      },
    })),
    {
      method: 'DELETE', pattern: `${base}/backends/{backendId}`, product: P,
      handler: (ctx) => {
        const rec = backend(ctx);
        if (ctx.store.list(FRONTEND, rec.loc, ctx.now).some((f) => f.data.backend_id === rec.id)) {
          throw preconditionFailed('resource_still_in_use', 'the backend is still used by a frontend');
        }
        ctx.store.remove(BACKEND, rec.id);
        return noContent();
      },
    },
    // ---- frontends ----
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/frontends`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const b = parseBody(ctx, frontendBody);
        const id = uuid();
        const rec = ctx.store.put({
          kind: FRONTEND, id, loc: lbRec.loc,
          data: { ...frontendData(ctx, lbRec, b), id, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), lb_id: lbRec.id },
        });
        return ok(frontendJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/lbs/{lbId}/frontends`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const recs = filterRecs(ctx, ctx.store.list(FRONTEND, lbRec.loc, ctx.now).filter((r) => r.data.lb_id === lbRec.id), { name: contains('name') });
        return pageOf(ctx, recs, 'frontends', (r) => frontendJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/frontends/{frontendId}`, product: P, handler: (ctx) => ok(frontendJson(ctx, frontend(ctx))) },
    {
      method: 'PUT', pattern: `${base}/frontends/{frontendId}`, product: P,
      handler: (ctx) => {
        const rec = frontend(ctx);
        const b = parseBody(ctx, frontendBody);
        const lbRec = lb(ctx, String(rec.data.lb_id));
        return ok(frontendJson(ctx, ctx.store.put({ ...rec, data: { ...rec.data, ...frontendData(ctx, lbRec, b), updated_at: nowIso(ctx.now) } })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/frontends/{frontendId}`, product: P,
      handler: (ctx) => {
        const rec = frontend(ctx);
        for (const a of ctx.store.list(ACL, rec.loc, ctx.now)) if (a.data.frontend_id === rec.id) ctx.store.remove(ACL, a.id);
        ctx.store.remove(FRONTEND, rec.id);
        return noContent();
      },
    },
    // ---- ACLs ----
    {
      method: 'POST', pattern: `${base}/frontends/{frontendId}/acls`, product: P,
      handler: (ctx) => {
        const fe = frontend(ctx);
        const b = parseBody(ctx, aclSpec);
        return ok(aclJson(ctx, putAcl(ctx, fe, b)));
      },
    },
    {
      method: 'GET', pattern: `${base}/frontends/{frontendId}/acls`, product: P,
      handler: (ctx) => {
        const fe = frontend(ctx);
        const recs = filterRecs(ctx, ctx.store.list(ACL, fe.loc, ctx.now).filter((a) => a.data.frontend_id === fe.id), { name: contains('name') });
        return pageOf(ctx, recs, 'acls', (r) => aclJson(ctx, r));
      },
    },
    {
      // replaces every ACL of the frontend in one call (not recorded; follows the SDK's SetAclsRequest)
      method: 'PUT', pattern: `${base}/frontends/{frontendId}/acls`, product: P,
      handler: (ctx) => {
        const fe = frontend(ctx);
        const b = parseBody(ctx, z.object({ acls: z.array(aclSpec) }));
        const indexes = new Set<number>();
        for (const [i, a] of b.acls.entries()) {
          if (indexes.has(a.index)) throw invalidArguments([{ argument_name: `acls.${i}.index`, reason: 'constraint', help_message: `index ${a.index} is used twice` }]);
          indexes.add(a.index);
        }
        for (const a of ctx.store.list(ACL, fe.loc, ctx.now)) if (a.data.frontend_id === fe.id) ctx.store.remove(ACL, a.id);
        const recs = b.acls.map((a) => putAcl(ctx, fe, a));
        return ok({ acls: recs.map((r) => aclJson(ctx, r)), total_count: recs.length });
      },
    },
    { method: 'GET', pattern: `${base}/acls/{aclId}`, product: P, handler: (ctx) => ok(aclJson(ctx, acl(ctx))) },
    {
      method: 'PUT', pattern: `${base}/acls/{aclId}`, product: P,
      handler: (ctx) => {
        const rec = acl(ctx);
        const b = parseBody(ctx, aclSpec);
        const fe = frontend(ctx, String(rec.data.frontend_id));
        return ok(aclJson(ctx, putAcl(ctx, fe, b, rec)));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/acls/{aclId}`, product: P,
      handler: (ctx) => {
        ctx.store.remove(ACL, acl(ctx).id);
        return noContent();
      },
    },
    // ---- certificates ----
    {
      method: 'POST', pattern: `${base}/lbs/{lbId}/certificates`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const b = parseBody(ctx, certBody);
        if (!b.letsencrypt && !b.custom_certificate) {
          throw invalidArguments([{ argument_name: 'letsencrypt', reason: 'required', help_message: 'one of letsencrypt or custom_certificate is required' }]);
        }
        const id = uuid();
        const cn = b.letsencrypt?.common_name ?? /CN=([^,\n]+)/.exec(b.custom_certificate?.certificate_chain ?? '')?.[1] ?? 'custom';
        const outcome = b.letsencrypt ? letsEncryptOutcome(b.letsencrypt.common_name, b.letsencrypt.subject_alternative_name ?? []) : { status: 'ready', status_details: null };
        const rec = ctx.store.put({
          kind: CERT, id, loc: lbRec.loc,
          data: {
            type: b.letsencrypt ? 'letsencryt' : 'custom', id, common_name: cn,
            subject_alternative_name: b.letsencrypt?.subject_alternative_name ?? [], fingerprint: id.replace(/-/g, '').slice(0, 40),
            not_valid_before: nowIso(ctx.now), not_valid_after: nowIso(ctx.now + 90 * 86400_000), status: 'pending',
            name: b.name ?? cn, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), status_details: null, lb_id: lbRec.id,
          },
          pending: [after(ctx, ctx.env.delays.lb, outcome)],
        });
        return ok(certJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/lbs/{lbId}/certificates`, product: P,
      handler: (ctx) => {
        const lbRec = lb(ctx);
        const recs = filterRecs(ctx, ctx.store.list(CERT, lbRec.loc, ctx.now).filter((r) => r.data.lb_id === lbRec.id), { name: contains('name') });
        return pageOf(ctx, recs, 'certificates', (r) => certJson(ctx, r));
      },
    },
    { method: 'GET', pattern: `${base}/certificates/{certificateId}`, product: P, handler: (ctx) => ok(certJson(ctx, cert(ctx))) },
    {
      method: 'PUT', pattern: `${base}/certificates/{certificateId}`, product: P,
      handler: (ctx) => {
        const rec = cert(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().max(64) }));
        return ok(certJson(ctx, ctx.store.patch(rec, { name: b.name, updated_at: nowIso(ctx.now) })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/certificates/{certificateId}`, product: P,
      handler: (ctx) => {
        const rec = cert(ctx);
        if (ctx.store.list(FRONTEND, rec.loc, ctx.now).some((f) => ((f.data.certificate_ids as Json[]) ?? []).includes(rec.id))) {
          throw preconditionFailed('resource_still_in_use', 'the certificate is still used by a frontend');
        }
        ctx.store.remove(CERT, rec.id);
        return noContent();
      },
    },
  ];
  // the SDK's regional API (Lb.v1.API) serves the same resources under /regions/{region}/; the
  // zoned one (Lb.v1.ZonedAPI) has attach/detach-private-network where the regional one has
  // private-networks/{id}/attach|detach
  const regionalOnly = (r: Route) => /\/private-networks\/\{privateNetworkId\}\/(attach|detach)$/.test(r.pattern);
  const zonedOnly = (r: Route) => /\/(attach|detach)-private-network$/.test(r.pattern);
  return [...zoned.filter((r) => !regionalOnly(r)), ...zoned.filter((r) => !zonedOnly(r)).map(regional)];
}

/**
 * A zoned route served under `/lb/v1/regions/{region}/`: the resource named in the path gives the
 * zone; a create names it in the body (`zone`) or goes to the region's first zone.
 */
function regional(route: Route): Route {
  return {
    ...route,
    pattern: route.pattern.replace('/lb/v1/zones/{zone}/', '/lb/v1/regions/{region}/'),
    handler: (ctx) => {
      const reg = region(ctx);
      let z: string | undefined;
      for (const [k, v] of Object.entries(ctx.params)) {
        if (k === 'region' || k === 'privateNetworkId') continue;
        const rec = ctx.store.findById(v, ctx.now);
        if (rec?.kind.startsWith('lb.')) {
          z = rec.loc;
          break;
        }
      }
      z ??= (isObject(ctx.body) && typeof ctx.body.zone === 'string' ? ctx.body.zone : undefined) ?? ctx.query.get('zone') ?? `${reg}-1`;
      if (regionOfZone(z) !== reg) throw bareNotFound('resource not Found');
      return route.handler({ ...ctx, params: { ...ctx.params, zone: z } });
    },
  };
}

// ---- Let's Encrypt certificates ---------------------------------------------------------------

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * How a Let's Encrypt request ends. Names that are not host names are refused at once (400); the
 * HTTP-01 challenge then needs each name's DNS to point at the load balancer. The sandbox has no
 * DNS: names under `.invalid` (RFC 2606: never resolvable) fail validation and the certificate goes
 * to `error`, every other name validates and the certificate becomes `ready`.
 */
function letsEncryptOutcome(commonName: string, sans: readonly string[]): JsonObject {
  const names = [commonName, ...sans];
  names.forEach((n, i) => {
    if (!HOSTNAME.test(n)) {
      throw invalidArguments([{ argument_name: i === 0 ? 'letsencrypt.common_name' : `letsencrypt.subject_alternative_name.${i - 1}`, reason: 'constraint', help_message: `${n} is not a valid domain name` }]);
    }
  });
  const unresolvable = names.filter((n) => /\.invalid$/i.test(n));
  return unresolvable.length
    ? { status: 'error', status_details: `Let's Encrypt could not validate ${unresolvable.join(', ')}: the name does not resolve to the load balancer's IP` }
    : { status: 'ready', status_details: null };
}
