import { generateSecretValue } from '../core/secrets/generate';
import { randomBytes } from 'node:crypto';
import { K8s, Lb, Rdb, Vpcgw } from '@scaleway/sdk';
import { lzTags } from '../core/desired';
import { newestPatch } from '../core/catalog';
import type { PlanOperation } from '../core/plan';
import type { DesiredResource } from '../core/state';
import type { ScalewayClients } from './client';
import { isNotFound, waitGone, waitUntil, type BatchWatcher, type PollOptions } from './wait';
import { DR_WRITERS } from './writers/dr-writers';

/*
 * One writer per kind: create (tagged `lz:managed` + `lz:id=<id>`, then wait for a stable
 * state), update the fields that can change in place, delete (404 = already gone).
 *
 * `find` is what makes a create safe to repeat: before a retried create (a connection lost
 * during the POST, a resumed apply) the writer looks for the resource by its tag or natural key
 * and adopts it instead of creating a second one.
 *
 * Generated values (a database password, the initial revisions of a secret, an API key's
 * secret key) go straight from memory into Scaleway: never into a log line, an error, the
 * journal or the plan.
 */

/** What the executor knows about a resource: created in this run, or matched in the inventory. */
export interface Known {
  scalewayId: string;
  attrs: Record<string, unknown>;
}

export interface WriteContext {
  clients: ScalewayClients;
  organizationId: string;
  /** Declared resources by id (the writer reads its own and its dependencies'). */
  desired: ReadonlyMap<string, DesiredResource>;
  lookup(id: string): Known | undefined;
  poll: PollOptions;
  /** Shared by every operation of a run: one list request per poll for each kind and place. */
  watcher: BatchWatcher<{ id: string; status: string }>;
  /** Answers shared by the operations of a run (Kubernetes versions per region). */
  cache: Map<string, Promise<unknown>>;
}

export interface Writer {
  create(op: PlanOperation, ctx: WriteContext): Promise<Known>;
  update(op: PlanOperation, ctx: WriteContext): Promise<void>;
  delete(op: PlanOperation, ctx: WriteContext): Promise<void>;
  find(op: PlanOperation, ctx: WriteContext): Promise<Known | undefined>;
  /** After `find` adopted a resource that an interrupted create left half-done: finish its later steps. */
  complete?(op: PlanOperation, ctx: WriteContext, found: Known): Promise<void>;
}

/** A change this version cannot make in place (it needs a replacement). */
export class ImmutableFieldError extends Error {
  constructor(op: PlanOperation, fields: string[]) {
    super(`${op.id}: ${fields.join(', ')} cannot be changed in place; delete the resource (or rename it in the file) and apply again`);
    this.name = 'ImmutableFieldError';
  }
}

const tagFilter = (id: string) => [`lz:id=${id}`];
const need = (ctx: WriteContext, id: string): Known => {
  const k = ctx.lookup(id);
  if (!k) throw new Error(`${id} is not known yet (a dependency failed or was skipped)`);
  return k;
};
const projectOf = (op: PlanOperation, ctx: WriteContext) => need(ctx, `${op.project}/project`).scalewayId;
const depOf = (op: PlanOperation, ctx: WriteContext, kind: string) => ctx.desired.get(op.id)?.dependsOn.find((d) => d.split('/')[1] === kind);
const changed = (op: PlanOperation, field: string) => op.changes?.some((c) => c.field === field) ?? false;
const declared = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
const zoneOf = (op: PlanOperation) => op.zone as never;
const regionOf = (op: PlanOperation) => op.region as never;
const immutable = (op: PlanOperation, fields: string[]) => {
  const bad = fields.filter((f) => changed(op, f));
  if (bad.length) throw new ImmutableFieldError(op, bad);
};
async function gone(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
/** The tags an adoption sets (the plan computed them: the resource's own tags plus the lz ones). */
const adoptTags = (op: PlanOperation): string[] | undefined => op.changes?.find((c) => c.field === 'tags')?.declared as string[] | undefined;

const notTransient = <S extends string>(transient: readonly S[]) => (x: { status: S | string }) => !(transient as readonly string[]).includes(x.status);

/** A random value from an alphabet (core's one generator, as rotations use); used only to fill a new secret, never shown. */
function generateSecret(length = 32, alphabet: Parameters<typeof generateSecretValue>[1] = 'alphanumeric'): string {
  return generateSecretValue(length, alphabet, (n) => randomBytes(n)).toString('utf8');
}

/** A database password that satisfies RDB's rules (upper, lower, digit, special). */
function dbPassword(): string {
  return `${generateSecret(20)}Aa1!${randomBytes(2).toString('hex')}`;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const project: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.account.listProjects({ organizationId: ctx.organizationId, name: op.name }).all();
    const p = list.find((x) => x.name === op.name);
    return p ? { scalewayId: p.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const p = await ctx.clients.account.createProject({ name: op.name, organizationId: ctx.organizationId, description: String(declared(op, ctx).description ?? '') });
    return { scalewayId: p.id, attrs: {} };
  },
  async update(op, ctx) {
    await ctx.clients.account.updateProject({ projectId: op.scalewayId!, description: String(declared(op, ctx).description ?? '') });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.account.deleteProject({ projectId: op.scalewayId! }));
  },
};

const privateNetwork: Writer = {
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

const gatewayIp: Writer = {
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

const gateway: Writer = {
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

const gatewayNetwork: Writer = {
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

const cluster: Writer = {
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

const pool: Writer = {
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

const waitLb = (ctx: WriteContext, op: PlanOperation, lbId: string) => {
  const lbs = () => ctx.clients.lb.listLbs({ zone: zoneOf(op), organizationId: ctx.organizationId, pageSize: 100 }).all();
  return ctx.watcher.wait(`lb ${String(op.zone)}`, lbs, lbId, notTransient(Lb.v1.LB_TRANSIENT_STATUSES));
};

const loadBalancer: Writer = {
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

const frontend: Writer = {
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

const lbBackend: Writer = {
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

const lbCertificate: Writer = {
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

const acl: Writer = {
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

const waitDb = (ctx: WriteContext, op: PlanOperation, id: string) =>
  waitUntil(() => ctx.clients.rdb.getInstance({ region: regionOf(op), instanceId: id }), notTransient(Rdb.v1.INSTANCE_TRANSIENT_STATUSES), ctx.poll);

const database: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.rdb.listInstances({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id) }).all();
    if (!list[0]) return undefined;
    await waitDb(ctx, op, list[0].id);
    return { scalewayId: list[0].id, attrs: {} };
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const db = await ctx.clients.rdb.createInstance({
      region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, engine: String(f.engine), userName: 'admin', password: dbPassword(),
      nodeType: String(f.nodeType), isHaCluster: Boolean(f.ha), disableBackup: false, tags: lzTags(op.id),
      volumeType: (f.volumeType as never) ?? undefined, volumeSize: Number(f.volumeSizeGb ?? 10) * 1e9,
      initEndpoints: typeof f.privateNetwork === 'string' ? [{ privateNetwork: { privateNetworkId: need(ctx, f.privateNetwork).scalewayId, ipamConfig: {} } }] : undefined,
      backupSameRegion: Boolean(f.backupSameRegion), encryption: { enabled: Boolean(f.encryptedAtRest) },
    });
    const instances = () => ctx.clients.rdb.listInstances({ region: regionOf(op), organizationId: ctx.organizationId, pageSize: 100 }).all();
    await ctx.watcher.wait(`rdb ${String(op.region)}`, instances, db.id, notTransient(Rdb.v1.INSTANCE_TRANSIENT_STATUSES));
    await ctx.clients.rdb.updateInstance({
      region: regionOf(op), instanceId: db.id, backupScheduleFrequency: Number(f.backupEveryHours), backupScheduleRetention: Number(f.backupRetentionDays),
      isBackupScheduleDisabled: false, backupSameRegion: Boolean(f.backupSameRegion),
    });
    return { scalewayId: db.id, attrs: {} };
  },
  async complete(op, ctx, found) {
    const f = declared(op, ctx);
    await ctx.clients.rdb.updateInstance({
      region: regionOf(op), instanceId: found.scalewayId, backupScheduleFrequency: Number(f.backupEveryHours), backupScheduleRetention: Number(f.backupRetentionDays),
      isBackupScheduleDisabled: false, backupSameRegion: Boolean(f.backupSameRegion),
    });
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.rdb.updateInstance({ region: regionOf(op), instanceId: op.scalewayId!, tags });
    immutable(op, ['engine', 'encryptedAtRest', 'privateNetwork', 'region']);
    const f = declared(op, ctx);
    const id = op.scalewayId!;
    if (changed(op, 'nodeType')) {
      await ctx.clients.rdb.upgradeInstance({ region: regionOf(op), instanceId: id, nodeType: String(f.nodeType) });
      await waitDb(ctx, op, id);
    }
    if (changed(op, 'ha') && f.ha) {
      await ctx.clients.rdb.upgradeInstance({ region: regionOf(op), instanceId: id, enableHa: true });
      await waitDb(ctx, op, id);
    } else if (changed(op, 'ha')) {
      throw new ImmutableFieldError(op, ['ha (turning high availability off)']);
    }
    if (changed(op, 'volumeSizeGb') || changed(op, 'volumeType')) {
      await ctx.clients.rdb.upgradeInstance({ region: regionOf(op), instanceId: id, volumeSize: Number(f.volumeSizeGb) * 1e9, ...(changed(op, 'volumeType') ? { volumeType: f.volumeType as never } : {}) });
      await waitDb(ctx, op, id);
    }
    if (['backupEveryHours', 'backupRetentionDays', 'backupSameRegion'].some((x) => changed(op, x))) {
      await ctx.clients.rdb.updateInstance({
        region: regionOf(op), instanceId: id, backupScheduleFrequency: Number(f.backupEveryHours), backupScheduleRetention: Number(f.backupRetentionDays),
        isBackupScheduleDisabled: false, backupSameRegion: Boolean(f.backupSameRegion),
      });
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.rdb.deleteInstance({ region: regionOf(op), instanceId: op.scalewayId! }));
    await waitGone(() => ctx.clients.rdb.getInstance({ region: regionOf(op), instanceId: op.scalewayId! }), ctx.poll);
  },
};

const key: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.keys.listKeys({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id), scheduledForDeletion: false }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const period = Number(f.rotationPeriod);
    const k = await ctx.clients.keys.createKey({
      region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, description: typeof f.description === 'string' ? f.description : undefined, tags: lzTags(op.id), unprotected: false,
      usage: f.usage === 'symmetric_encryption' ? { symmetricEncryption: 'aes_256_gcm' } : f.usage === 'asymmetric_signing' ? { asymmetricSigning: 'ec_p256_sha256' as never } : { asymmetricEncryption: 'rsa_oaep_3072_sha256' as never },
      rotationPolicy: { rotationPeriod: `${period}s`, nextRotationAt: new Date(Date.now() + period * 1000) } as never,
    });
    return { scalewayId: k.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.keys.updateKey({ region: regionOf(op), keyId: op.scalewayId!, tags });
    immutable(op, ['usage', 'region']);
    const f = declared(op, ctx);
    await ctx.clients.keys.updateKey({
      region: regionOf(op), keyId: op.scalewayId!, description: typeof f.description === 'string' ? f.description : undefined,
      ...(changed(op, 'rotationPeriod') ? { rotationPolicy: { rotationPeriod: `${Number(f.rotationPeriod)}s`, nextRotationAt: new Date(Date.now() + Number(f.rotationPeriod) * 1000) } as never } : {}),
    });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.keys.deleteKey({ region: regionOf(op), keyId: op.scalewayId! }));
  },
};

/** True when an API key of the file stores its secret key in this secret: apply fills it, not a generated value. */
function filledByApiKey(id: string, ctx: WriteContext): boolean {
  const [p, , n] = id.split('/');
  for (const d of ctx.desired.values()) if (d.kind === 'api-key' && d.fields.storedIn === `${p}/${n}`) return true;
  return false;
}

/** A generated first value that fits the secret's type (structured types are JSON objects of strings). */
function placeholder(type: string): string {
  const v = generateSecret(32);
  if (type === 'key_value') return JSON.stringify({ value: v });
  if (type === 'basic_credentials') return JSON.stringify({ username: 'admin', password: v });
  if (type === 'database_credentials') return JSON.stringify({ engine: '', username: 'admin', password: v, host: '', dbname: '', port: '' });
  return v;
}

/** The `{"host","port"}` of the database whose `endpointSecret` this secret is (what `restore` writes too). */
async function databaseEndpoint(op: PlanOperation, ctx: WriteContext): Promise<string | undefined> {
  const [p, , n] = op.id.split('/');
  const db = [...ctx.desired.values()].find((d) => d.kind === 'database' && d.fields._endpointSecret === `${p}/${n}`);
  const known = db ? ctx.lookup(db.id) : undefined;
  if (!db || !known) return undefined;
  const instance = await ctx.clients.rdb.getInstance({ region: db.region as never, instanceId: known.scalewayId });
  const e = instance.endpoints.find((x) => x.privateNetwork) ?? instance.endpoints[0];
  const host = e?.ip ?? e?.hostname;
  return host && e ? JSON.stringify({ host, port: String(e.port) }) : undefined;
}

async function addVersions(op: PlanOperation, ctx: WriteContext, secretId: string, from: number, to: number): Promise<void> {
  if (filledByApiKey(op.id, ctx)) {
    if (from === 0 && op.action === 'update') await refillApiKey(op, ctx);
    return;
  }
  const type = String(declared(op, ctx).type ?? 'opaque');
  const endpoint = from < to ? await databaseEndpoint(op, ctx) : undefined;
  for (let v = from + 1; v <= to; v += 1) {
    const [data, description] = endpoint
      ? [endpoint, 'endpoint of the database, written by landing-zone apply']
      : [placeholder(type), 'generated by landing-zone apply; replace with landing-zone rotate-secret'];
    await ctx.clients.secret.createSecretVersion({ region: regionOf(op), secretId, data: b64(data), description, disablePrevious: false });
  }
}

/** What a secret and its replica update alike: adopted tags, description and path (type, key and region cannot change). */
async function updateSecretMetadata(op: PlanOperation, ctx: WriteContext): Promise<void> {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.secret.updateSecret({ region: regionOf(op), secretId: op.scalewayId!, tags });
    immutable(op, ['type', 'encryptionKey', 'region']);
    const f = declared(op, ctx);
    if (changed(op, 'description') || changed(op, 'path')) {
      await ctx.clients.secret.updateSecret({ region: regionOf(op), secretId: op.scalewayId!, description: typeof f.description === 'string' ? f.description : undefined, path: String(f.path) });
    }
}

const secret: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.secret.listSecrets({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id), scheduledForDeletion: false }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: { versions: list[0].versionCount } } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const keyRef = typeof f.encryptionKey === 'string' ? f.encryptionKey.split('/') : undefined;
    const s = await ctx.clients.secret.createSecret({
      region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, tags: lzTags(op.id), description: typeof f.description === 'string' ? f.description : undefined,
      type: f.type as never, path: String(f.path), protected: false, keyId: keyRef ? need(ctx, `${keyRef[0]}/key/${keyRef[1]}`).scalewayId : undefined,
    });
    await addVersions(op, ctx, s.id, 0, Number(f.version));
    return { scalewayId: s.id, attrs: {} };
  },
  async complete(op, ctx, found) {
    const have = Number(found.attrs.versions ?? 0);
    await addVersions({ ...op, action: 'create' }, ctx, found.scalewayId, have, Number(declared(op, ctx).version));
  },
  async update(op, ctx) {
    await updateSecretMetadata(op, ctx);
    const v = op.changes?.find((c) => c.field === 'version');
    if (v) await addVersions(op, ctx, op.scalewayId!, Number(v.live), Number(v.declared));
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.secret.deleteSecret({ region: regionOf(op), secretId: op.scalewayId! }));
  },
};

/**
 * Copies revisions `from+1..to` of the primary secret into its replica, so that a revision number
 * means the same value in every region (consumers pin it). A revision the primary no longer serves
 * (disabled or destroyed) cannot be read: the replica gets a disabled placeholder in its place,
 * which keeps the numbering aligned and is never served.
 */
async function copyVersions(op: PlanOperation, ctx: WriteContext, replicaId: string, from: number, to: number): Promise<void> {
  const primaryDep = depOf(op, ctx, 'secret')!;
  const primary = need(ctx, primaryDep);
  const primaryRegion = (ctx.desired.get(primaryDep)?.region ?? op.region) as never;
  const type = String(declared(op, ctx).type ?? 'opaque');
  for (let v = from + 1; v <= to; v += 1) {
    let data: string | undefined;
    try {
      data = (await ctx.clients.secret.accessSecretVersion({ region: primaryRegion, secretId: primary.scalewayId, revision: String(v) })).data;
    } catch (err) {
      const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
      if (status !== 412 && status !== 404) throw err;
    }
    try {
      if (data !== undefined) {
        await ctx.clients.secret.createSecretVersion({ region: regionOf(op), secretId: replicaId, data, description: `landing-zone replica of revision ${v} (${String(op.region)})`, disablePrevious: false });
      } else {
        const made = await ctx.clients.secret.createSecretVersion({ region: regionOf(op), secretId: replicaId, data: b64(placeholder(type)), description: `landing-zone placeholder: revision ${v} is not enabled in the primary`, disablePrevious: false });
        await ctx.clients.secret.disableSecretVersion({ region: regionOf(op), secretId: replicaId, revision: String(made.revision) });
      }
    } finally {
      data = '';
    }
  }
}

const secretReplica: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.secret.listSecrets({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id), scheduledForDeletion: false }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: { versions: list[0].versionCount } } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const keyDep = depOf(op, ctx, 'key-replica');
    const s = await ctx.clients.secret.createSecret({
      region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, tags: lzTags(op.id), description: typeof f.description === 'string' ? f.description : undefined,
      type: f.type as never, path: String(f.path), protected: false, keyId: keyDep ? need(ctx, keyDep).scalewayId : undefined,
    });
    await copyVersions(op, ctx, s.id, 0, Number(f.version));
    return { scalewayId: s.id, attrs: {} };
  },
  async complete(op, ctx, found) {
    await copyVersions(op, ctx, found.scalewayId, Number(found.attrs.versions ?? 0), Number(declared(op, ctx).version));
  },
  async update(op, ctx) {
    await updateSecretMetadata(op, ctx);
    // stale: revisions the primary has and the replica lacks (a rotation that never reached it)
    const v = op.changes?.find((c) => c.field === 'version');
    if (v) await copyVersions(op, ctx, op.scalewayId!, Number(v.live), Number(v.declared));
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.secret.deleteSecret({ region: regionOf(op), secretId: op.scalewayId! }));
  },
};

const application: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.iam.listApplications({ organizationId: ctx.organizationId, name: op.name }).all();
    const a = list.find((x) => x.tags.includes(`lz:id=${op.id}`));
    return a ? { scalewayId: a.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const a = await ctx.clients.iam.createApplication({ name: op.name, organizationId: ctx.organizationId, description: String(declared(op, ctx).description ?? ''), tags: lzTags(op.id) });
    return { scalewayId: a.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.iam.updateApplication({ applicationId: op.scalewayId!, tags });
    await ctx.clients.iam.updateApplication({ applicationId: op.scalewayId!, description: String(declared(op, ctx).description ?? '') });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deleteApplication({ applicationId: op.scalewayId! }));
  },
};

function ruleSpecs(op: PlanOperation, ctx: WriteContext) {
  const rules = declared(op, ctx).rules as { permissionSets: string[]; projects?: string[]; organization?: boolean }[];
  return rules.map((r) => (r.organization
    ? { permissionSetNames: r.permissionSets, organizationId: ctx.organizationId, condition: '' }
    : { permissionSetNames: r.permissionSets, projectIds: (r.projects ?? []).map((p) => need(ctx, `${p}/project`).scalewayId), condition: '' }));
}

const policy: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.iam.listPolicies({ organizationId: ctx.organizationId, tag: `lz:id=${op.id}` }).all();
    const p = list.find((x) => x.tags.includes(`lz:id=${op.id}`));
    return p ? { scalewayId: p.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const p = await ctx.clients.iam.createPolicy({
      name: op.name, description: `least-privilege policy of ${op.name}`, organizationId: ctx.organizationId, tags: lzTags(op.id),
      applicationId: need(ctx, `${op.project}/application/${op.name}`).scalewayId, rules: ruleSpecs(op, ctx),
    });
    return { scalewayId: p.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) {
      await ctx.clients.iam.updatePolicy({ policyId: op.scalewayId!, tags });
      if (op.changes?.length === 1) return;
    }
    await ctx.clients.iam.setRules({ policyId: op.scalewayId!, rules: ruleSpecs(op, ctx) });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deletePolicy({ policyId: op.scalewayId! }));
  },
};

/** Creates an application's API key and writes its secret key straight into the vault secret. */
async function createAndStoreKey(d: DesiredResource, ctx: WriteContext): Promise<string> {
  const f = d.fields;
  const days = Number(f.expiresInDays ?? 90);
  const created = await ctx.clients.iam.createAPIKey({
    applicationId: need(ctx, `${d.project}/application/${d.name}`).scalewayId,
    description: `landing-zone lz:id=${d.id} storedIn=${String(f.storedIn)}`,
    expiresAt: new Date(Date.now() + days * 86_400_000),
    defaultProjectId: typeof f.defaultProject === 'string' ? need(ctx, `${f.defaultProject}/project`).scalewayId : undefined,
  });
  // the secret key exists only in this response: straight into the vault, nowhere else
  const [sp, sn] = String(f.storedIn).split('/');
  const vault = need(ctx, `${sp}/secret/${sn}`);
  const region = ctx.desired.get(`${sp}/secret/${sn}`)?.region ?? d.region;
  await ctx.clients.secret.createSecretVersion({ region: region as never, secretId: vault.scalewayId, data: b64(created.secretKey ?? ''), description: `secret key of ${created.accessKey}`, disablePrevious: true });
  return created.accessKey;
}

/**
 * A vault secret that should hold an API key's secret key but has no version: an apply was
 * stopped between creating the key and storing it, and the secret key is gone for good. Make a
 * new key, store it, and delete the keys whose secret nobody holds.
 */
async function refillApiKey(op: PlanOperation, ctx: WriteContext): Promise<void> {
  const [p, , n] = op.id.split('/');
  const d = [...ctx.desired.values()].find((x) => x.kind === 'api-key' && x.fields.storedIn === `${p}/${n}`);
  const app = d ? ctx.lookup(`${d.project}/application/${d.name}`) : undefined;
  // no application or no key yet: the API key's own create (later in this plan) fills the secret
  if (!d || !app || !ctx.lookup(d.id)) return;
  const orphans = (await ctx.clients.iam.listAPIKeys({ organizationId: ctx.organizationId, applicationId: app.scalewayId }).all()).filter((k) => k.description.includes(`lz:id=${d.id}`));
  await createAndStoreKey(d, ctx);
  for (const k of orphans) await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: k.accessKey }));
}

/** True when the vault holds a version written for this access key (the description names it). */
async function keyIsStored(d: DesiredResource, ctx: WriteContext, accessKey: string): Promise<boolean> {
  const [sp, sn] = String(d.fields.storedIn).split('/');
  const vault = ctx.lookup(`${sp}/secret/${sn}`);
  if (!vault) return false;
  const region = ctx.desired.get(`${sp}/secret/${sn}`)?.region ?? d.region;
  const versions = await ctx.clients.secret.listSecretVersions({ region: region as never, secretId: vault.scalewayId, pageSize: 100 }).all();
  return versions.some((v) => (v.description ?? '').includes(accessKey));
}

const apiKey: Writer = {
  async complete(op, ctx, found) {
    // adopted after a lost response: if its secret key never reached the vault it is lost for
    // good, so the key is replaced by one whose secret key is stored
    const d = ctx.desired.get(op.id);
    if (!d || await keyIsStored(d, ctx, found.scalewayId)) return;
    const fresh = await createAndStoreKey(d, ctx);
    await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: found.scalewayId }));
    found.scalewayId = fresh;
  },
  async find(op, ctx) {
    const app = ctx.lookup(`${op.project}/application/${op.name}`);
    if (!app) return undefined;
    const list = await ctx.clients.iam.listAPIKeys({ organizationId: ctx.organizationId, applicationId: app.scalewayId }).all();
    const k = list.find((x) => x.description.includes(`lz:id=${op.id}`));
    return k ? { scalewayId: k.accessKey, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const d = ctx.desired.get(op.id);
    if (!d) throw new Error(`${op.id} is not declared`);
    return { scalewayId: await createAndStoreKey(d, ctx), attrs: {} };
  },
  async update(op, ctx) {
    const f = declared(op, ctx);
    if (changed(op, 'expiresInDays')) {
      // IAM cannot move an API key's expiry: a new key (the rotation) gets the declared lifetime
      throw new Error(`${op.id}: an API key's expiry cannot be changed in place; run landing-zone rotate-api-key ${op.name} to replace it by a key that expires after ${String(f.expiresInDays)} days`);
    }
    if (adoptTags(op)) await ctx.clients.iam.updateAPIKey({ accessKey: op.scalewayId!, description: `landing-zone lz:id=${op.id} storedIn=${String(f.storedIn)}` });
    if (changed(op, 'defaultProject') && typeof f.defaultProject === 'string') {
      await ctx.clients.iam.updateAPIKey({ accessKey: op.scalewayId!, defaultProjectId: need(ctx, `${f.defaultProject}/project`).scalewayId });
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: op.scalewayId! }));
  },
};

/** Writers by kind; kinds without one are skipped by the plan (not read, not written). */
export const WRITERS: Partial<Record<PlanOperation['kind'], Writer>> = {
  project, 'private-network': privateNetwork, 'gateway-ip': gatewayIp, 'public-gateway': gateway, 'gateway-network': gatewayNetwork,
  cluster, pool, 'load-balancer': loadBalancer, 'lb-backend': lbBackend, 'lb-frontend': frontend, 'lb-certificate': lbCertificate, 'lb-acl': acl,
  database, key, 'key-replica': key, secret, 'secret-replica': secretReplica,
  application, policy, 'api-key': apiKey, ...DR_WRITERS,
};
