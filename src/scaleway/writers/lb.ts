import { Lb } from '@scaleway/sdk';
import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import { isNotFound, waitGone, waitUntil } from '../wait';
import { adoptTags, changed, declared, depOf, gone, need, notTransient, projectOf, regionOf, tagFilter, zoneOf, type Known, type WriteContext, type Writer } from './writer';

const waitLb = (ctx: WriteContext, op: PlanOperation, lbId: string) => {
  const lbs = () => ctx.clients.lb.listLbs({ zone: zoneOf(op), organizationId: ctx.organizationId, pageSize: 100 }).all();
  return ctx.watcher.wait(`lb ${String(op.zone)}`, lbs, lbId, notTransient(Lb.v1.LB_TRANSIENT_STATUSES));
};

export const loadBalancerWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.lb.listLbs({ zone: zoneOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id) }).all();
    if (!list[0]) return undefined;
    await waitLb(ctx, op, list[0].id);
    return { scalewayId: list[0].id, attrs: {} };
  },
  async create(op, ctx) {
    const lb = await ctx.clients.lb.createLb({ zone: zoneOf(op), projectId: projectOf(op, ctx), name: op.name, description: '', type: String(declared(op, ctx).type), tags: lzTags(op.id), assignFlexibleIp: true });
    await waitLb(ctx, op, lb.id);
    return { scalewayId: lb.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) {
      const lb = await ctx.clients.lb.getLb({ zone: zoneOf(op), lbId: op.scalewayId! });
      await ctx.clients.lb.updateLb({ zone: zoneOf(op), lbId: lb.id, name: lb.name, description: lb.description, tags });
    }
    if (changed(op, 'type')) {
      await ctx.clients.lb.migrateLb({ zone: zoneOf(op), lbId: op.scalewayId!, type: String(declared(op, ctx).type) });
      await waitLb(ctx, op, op.scalewayId!);
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.lb.deleteLb({ zone: zoneOf(op), lbId: op.scalewayId!, releaseIp: true }));
    await waitGone(() => ctx.clients.lb.getLb({ zone: zoneOf(op), lbId: op.scalewayId! }), ctx.poll);
  },
};

export const lbFrontendWriter: Writer = {
  async find(op, ctx) {
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    const list = await ctx.clients.lb.listFrontends({ zone: zoneOf(op), lbId, name: op.name }).all();
    const fe = list.find((x) => x.name === op.name);
    return fe ? { scalewayId: fe.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    // the backend (its own kind: the cluster's nodes) is made first; the certificate is attached after
    const backendId = need(ctx, depOf(op, ctx, 'lb-backend')!).scalewayId;
    const fe = await ctx.clients.lb.createFrontend({ zone: zoneOf(op), lbId, name: op.name, inboundPort: Number(f.inboundPort), backendId, enableHttp3: false, enableAccessLogs: false });
    await waitLb(ctx, op, lbId);
    return { scalewayId: fe.id, attrs: {} };
  },
  async update(op, ctx) {
    const fe = await ctx.clients.lb.getFrontend({ zone: zoneOf(op), frontendId: op.scalewayId! });
    const beDep = depOf(op, ctx, 'lb-backend');
    const backendId = (beDep ? ctx.lookup(beDep)?.scalewayId : undefined) ?? fe.backend?.id ?? '';
    // certificateIds are sent back as they are: an update without them would detach the certificate
    await ctx.clients.lb.updateFrontend({ zone: zoneOf(op), frontendId: fe.id, name: fe.name, inboundPort: Number(declared(op, ctx).inboundPort), backendId, certificateIds: fe.certificateIds, enableHttp3: fe.enableHttp3 });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.lb.deleteFrontend({ zone: zoneOf(op), frontendId: op.scalewayId! }));
  },
};

/**
 * The public IPv4 of every node of the cluster the backend serves (Kapsule's node list). Why apply
 * sets them rather than the cluster's cloud controller: see README, "The load balancer".
 */
async function clusterNodeIps(op: PlanOperation, ctx: WriteContext): Promise<string[]> {
  const clusterId = need(ctx, depOf(op, ctx, 'cluster')!).scalewayId;
  const nodes = await ctx.clients.k8s.listNodes({ region: regionOf(op), clusterId, pageSize: 100 }).all();
  const ips = nodes.map((n) => n.publicIpV4).filter((ip): ip is string => typeof ip === 'string' && ip.length > 0).sort();
  if (ips.length === 0) throw new Error(`${op.id}: the cluster ${depOf(op, ctx, 'cluster')!} has no node with an address yet; the backend would serve nothing (give a pool a size above 0, then apply again)`);
  return ips;
}

const backendSettings = (f: Record<string, unknown>) => ({
  forwardProtocol: f.forwardProtocol as 'tcp' | 'http', forwardPort: Number(f.forwardPort), forwardPortAlgorithm: 'roundrobin' as const,
  stickySessions: 'none' as const, stickySessionsCookieName: '',
});
const backendHealthCheck = (f: Record<string, unknown>) => ({ port: Number(f.forwardPort), checkMaxRetries: 3, checkSendProxy: false, tcpConfig: {} });

export const lbBackendWriter: Writer = {
  async find(op, ctx) {
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    const b = (await ctx.clients.lb.listBackends({ zone: zoneOf(op), lbId, name: op.name }).all()).find((x) => x.name === op.name);
    return b ? { scalewayId: b.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    const b = await ctx.clients.lb.createBackend({ zone: zoneOf(op), lbId, name: op.name, ...backendSettings(f), healthCheck: backendHealthCheck(f), serverIp: await clusterNodeIps(op, ctx) });
    await waitLb(ctx, op, lbId);
    return { scalewayId: b.id, attrs: {} };
  },
  async complete(op, ctx, found) {
    await ctx.clients.lb.setBackendServers({ zone: zoneOf(op), backendId: found.scalewayId, serverIp: await clusterNodeIps(op, ctx) });
  },
  async update(op, ctx) {
    const f = declared(op, ctx);
    if (changed(op, 'forwardProtocol') || changed(op, 'forwardPort')) {
      await ctx.clients.lb.updateBackend({ zone: zoneOf(op), backendId: op.scalewayId!, name: op.name, ...backendSettings(f) });
      await ctx.clients.lb.updateHealthCheck({ zone: zoneOf(op), backendId: op.scalewayId!, ...backendHealthCheck(f) });
    }
    if (changed(op, 'servers')) await ctx.clients.lb.setBackendServers({ zone: zoneOf(op), backendId: op.scalewayId!, serverIp: await clusterNodeIps(op, ctx) });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.lb.deleteBackend({ zone: zoneOf(op), backendId: op.scalewayId! }));
  },
};

type Certificate = Awaited<ReturnType<WriteContext['clients']['lb']['getCertificate']>>;

/** Waits for Let's Encrypt to answer; a refusal becomes an error that says what to fix. */
async function certificateIssued(op: PlanOperation, ctx: WriteContext, certificateId: string): Promise<Certificate> {
  const cert = await waitUntil(() => ctx.clients.lb.getCertificate({ zone: zoneOf(op), certificateId }), (c) => c.status !== 'pending', ctx.poll);
  if (cert.status === 'error') {
    const lbDep = depOf(op, ctx, 'load-balancer')!;
    const lb = await ctx.clients.lb.getLb({ zone: zoneOf(op), lbId: need(ctx, lbDep).scalewayId });
    const names = [cert.commonName, ...cert.subjectAlternativeName.filter((n) => n !== cert.commonName)];
    throw new Error(`${op.id}: Let's Encrypt did not issue the certificate for ${names.join(', ')}${cert.statusDetails ? ` (${cert.statusDetails})` : ''}; point the DNS A record of each name at the load balancer's IP ${lb.ip[0]?.ipAddress ?? '(none)'}, then apply again`);
  }
  return cert;
}

/** Puts the certificate on the frontend (keeping any other certificate it holds). */
async function attachCertificate(op: PlanOperation, ctx: WriteContext, certificateId: string): Promise<void> {
  const feId = need(ctx, depOf(op, ctx, 'lb-frontend')!).scalewayId;
  const fe = await ctx.clients.lb.getFrontend({ zone: zoneOf(op), frontendId: feId });
  if (fe.certificateIds.includes(certificateId)) return;
  await ctx.clients.lb.updateFrontend({
    zone: zoneOf(op), frontendId: fe.id, name: fe.name, inboundPort: fe.inboundPort, backendId: fe.backend?.id ?? '',
    certificateIds: [...fe.certificateIds, certificateId], enableHttp3: fe.enableHttp3,
  });
}

/** Takes the certificate off every frontend of its load balancer (the API refuses to delete a certificate in use). */
async function detachCertificate(op: PlanOperation, ctx: WriteContext, certificateId: string): Promise<void> {
  const cert = await ctx.clients.lb.getCertificate({ zone: zoneOf(op), certificateId });
  if (!cert.lb) return;
  for (const fe of await ctx.clients.lb.listFrontends({ zone: zoneOf(op), lbId: cert.lb.id, pageSize: 100 }).all()) {
    if (!fe.certificateIds.includes(certificateId)) continue;
    await ctx.clients.lb.updateFrontend({
      zone: zoneOf(op), frontendId: fe.id, name: fe.name, inboundPort: fe.inboundPort, backendId: fe.backend?.id ?? '',
      certificateIds: fe.certificateIds.filter((x) => x !== certificateId), enableHttp3: fe.enableHttp3,
    });
  }
}

async function requestCertificate(op: PlanOperation, ctx: WriteContext): Promise<Known> {
  const f = declared(op, ctx);
  const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
  const c = await ctx.clients.lb.createCertificate({
    zone: zoneOf(op), lbId, name: op.name,
    letsencrypt: { commonName: String(f.commonName), subjectAlternativeName: (f.subjectAlternativeNames as string[] | undefined) ?? [] },
  });
  await certificateIssued(op, ctx, c.id);
  await attachCertificate(op, ctx, c.id);
  return { scalewayId: c.id, attrs: {} };
}

export const lbCertificateWriter: Writer = {
  async find(op, ctx) {
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    // a certificate that Let's Encrypt refused is not adopted: create deletes it and asks again
    const c = (await ctx.clients.lb.listCertificates({ zone: zoneOf(op), lbId, name: op.name }).all()).find((x) => x.name === op.name && x.status !== 'error');
    return c ? { scalewayId: c.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const lbId = need(ctx, depOf(op, ctx, 'load-balancer')!).scalewayId;
    for (const old of (await ctx.clients.lb.listCertificates({ zone: zoneOf(op), lbId, name: op.name }).all()).filter((x) => x.name === op.name && x.status === 'error')) {
      await detachCertificate(op, ctx, old.id);
      await gone(() => ctx.clients.lb.deleteCertificate({ zone: zoneOf(op), certificateId: old.id }));
    }
    return requestCertificate(op, ctx);
  },
  async complete(op, ctx, found) {
    await certificateIssued(op, ctx, found.scalewayId);
    await attachCertificate(op, ctx, found.scalewayId);
  },
  async update(op, ctx) {
    const replace = op.changes?.some((c) => ['type', 'commonName', 'subjectAlternativeNames', 'status'].includes(c.field)) ?? false;
    if (!replace) {
      // only detached (or attached elsewhere): put it back on its frontend
      await attachCertificate(op, ctx, op.scalewayId!);
      return;
    }
    // other names, or Let's Encrypt refused it: a new certificate, then the old one goes
    await requestCertificate(op, ctx);
    await detachCertificate(op, ctx, op.scalewayId!);
    await gone(() => ctx.clients.lb.deleteCertificate({ zone: zoneOf(op), certificateId: op.scalewayId! }));
  },
  async delete(op, ctx) {
    try {
      await detachCertificate(op, ctx, op.scalewayId!);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return;
    }
    await gone(() => ctx.clients.lb.deleteCertificate({ zone: zoneOf(op), certificateId: op.scalewayId! }));
  },
};

/** `hub:security` → the security hub's gateway IP; anything else is a CIDR already. */
function aclSubnets(op: PlanOperation, ctx: WriteContext, match: string[]): string[] {
  return match.map((m) => {
    if (!m.startsWith('hub:')) return m;
    const hub = m.slice(4);
    const gwId = ctx.desired.get(op.id)?.dependsOn.find((d) => d.startsWith(`${hub}/public-gateway/`));
    const ip = gwId ? ctx.lookup(gwId)?.attrs.ip : undefined;
    if (typeof ip !== 'string') throw new Error(`${op.id}: the public IP of hub ${hub}'s gateway is not known`);
    return ip;
  });
}

const aclMatch = (subnets: string[]) => ({ ipSubnet: subnets, ipsEdgeServices: false, httpFilter: 'acl_http_filter_none' as const, httpFilterValue: [], invert: false });

export const lbAclWriter: Writer = {
  async find(op, ctx) {
    const frontendId = need(ctx, depOf(op, ctx, 'lb-frontend')!).scalewayId;
    const list = await ctx.clients.lb.listAcls({ zone: zoneOf(op), frontendId, name: op.name }).all();
    const a = list.find((x) => x.name === op.name);
    return a ? { scalewayId: a.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const frontendId = need(ctx, depOf(op, ctx, 'lb-frontend')!).scalewayId;
    const a = await ctx.clients.lb.createAcl({
      zone: zoneOf(op), frontendId, name: op.name, action: { type: f.action as 'allow' | 'deny' }, match: aclMatch(aclSubnets(op, ctx, f.match as string[])), index: Number(f._index), description: `lz:id=${op.id}`,
    });
    return { scalewayId: a.id, attrs: {} };
  },
  async update(op, ctx) {
    const f = declared(op, ctx);
    await ctx.clients.lb.updateAcl({ zone: zoneOf(op), aclId: op.scalewayId!, name: op.name, action: { type: f.action as 'allow' | 'deny' }, match: aclMatch(aclSubnets(op, ctx, f.match as string[])), index: Number(f._index), description: `lz:id=${op.id}` });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.lb.deleteAcl({ zone: zoneOf(op), aclId: op.scalewayId! }));
  },
};
