import { z } from 'zod';
import type { JsonObject } from './json';

/**
 * The seed format: projects, then resources in creation order. Each resource's fields are the
 * API's own create-request fields (snake_case), plus references by name that the loader turns
 * into ids: `project`, `private_network`, `ip`, `gateway`, `key`, `application`, `namespace`.
 * Seeding goes through the same handlers as HTTP requests, so a seeded resource is exactly
 * what the API would have created; transitions are completed at once (everything is ready).
 */
const base = z.object({
  /** Project name; the default project when absent. */
  project: z.string().optional(),
  name: z.string(),
  region: z.string().optional(),
  zone: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

const acl = z.object({
  name: z.string(), index: z.number().int(), action: z.enum(['allow', 'deny']).default('allow'),
  /** CIDRs, or `@gateway:<name>` for a seeded gateway's public IP. */
  ip_subnet: z.array(z.string()), description: z.string().optional(),
});

const resource = z.discriminatedUnion('kind', [
  base.extend({ kind: z.literal('vpc') }).loose(),
  base.extend({ kind: z.literal('private_network'), subnets: z.array(z.string()).optional() }).loose(),
  base.extend({ kind: z.literal('gateway_ip') }).loose(),
  base.extend({
    kind: z.literal('gateway'), type: z.string().default('VPC-GW-S'), ip: z.string().optional(),
    networks: z.array(z.string()).default([]), enable_bastion: z.boolean().optional(), bastion_port: z.number().optional(),
  }).loose(),
  base.extend({ kind: z.literal('lb_ip') }).loose(),
  base.extend({
    kind: z.literal('lb'), type: z.string().default('LB-S'), ip: z.string().optional(), description: z.string().optional(),
    backends: z.array(z.object({ name: z.string(), forward_protocol: z.enum(['tcp', 'http']).default('http'), forward_port: z.number().int(), server_ip: z.array(z.string()).default([]) })).default([]),
    frontends: z.array(z.object({ name: z.string(), inbound_port: z.number().int(), backend: z.string(), acls: z.array(acl).default([]) })).default([]),
  }),
  base.extend({
    kind: z.literal('cluster'), version: z.string(), cni: z.string().default('cilium'), private_network: z.string().optional(),
    pools: z.array(z.object({ name: z.string(), node_type: z.string(), size: z.number().int(), autoscaling: z.boolean().optional(), min_size: z.number().int().optional(), max_size: z.number().int().optional() })).default([]),
  }).loose(),
  base.extend({
    kind: z.literal('database'), engine: z.string(), node_type: z.string(), is_ha_cluster: z.boolean().optional(),
    encryption: z.object({ enabled: z.boolean() }).optional(), volume_type: z.string().optional(), volume_size: z.number().optional(),
    private_network: z.string().optional(), databases: z.array(z.string()).default([]),
    backup_schedule: z.object({ frequency: z.number().int(), retention: z.number().int(), same_region: z.boolean().optional() }).optional(),
    backups: z.array(z.object({ name: z.string(), database: z.string() })).default([]),
  }),
  base.extend({
    kind: z.literal('key'), usage: z.record(z.string(), z.string()).default({ symmetric_encryption: 'aes_256_gcm' }),
    rotation_policy: z.object({ rotation_period: z.string() }).optional(), description: z.string().optional(), unprotected: z.boolean().optional(),
  }),
  base.extend({
    kind: z.literal('secret'), path: z.string().optional(), type: z.string().optional(), key: z.string().optional(), description: z.string().optional(),
    protected: z.boolean().optional(),
    /** Plain-text demo values; each becomes a version (base64 on the wire, as the SDK sends it). */
    versions: z.array(z.object({ value: z.string(), enabled: z.boolean().default(true) })).default([]),
  }),
  /** `managed`: created and owned by Scaleway (a VPN gateway's application and policy): `managed: true`, not editable. */
  base.extend({ kind: z.literal('application'), description: z.string().optional(), managed: z.boolean().optional() }),
  base.extend({
    kind: z.literal('policy'), application: z.string().optional(), description: z.string().optional(), managed: z.boolean().optional(),
    rules: z.array(z.object({ permission_set_names: z.array(z.string()), projects: z.array(z.string()).optional() })).default([]),
  }),
  base.extend({
    kind: z.literal('function_namespace'),
    functions: z.array(z.object({
      name: z.string(), runtime: z.string().default('node22'), handler: z.string().optional(),
      crons: z.array(z.object({ name: z.string(), schedule: z.string() })).default([]),
    })).default([]),
  }),
]);

const seedSchema = z.object({
  version: z.literal(1),
  description: z.string().optional(),
  organization: z.object({ id: z.uuid().optional(), name: z.string().optional() }).default({}),
  projects: z.array(z.object({ name: z.string().min(1), description: z.string().optional() })).default([]),
  resources: z.array(resource).default([]),
});

export type SeedDoc = z.input<typeof seedSchema>;
type Seed = z.output<typeof seedSchema>;
type Resource = Seed['resources'][number];

export function parseSeed(v: unknown): Seed {
  const r = seedSchema.safeParse(v);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`invalid seed: ${i ? `${i.path.join('.')}: ${i.message}` : 'unknown error'}`);
  }
  return r.data;
}

/** Calls one API route in-process as the sandbox owner; throws on an error status. */
export type SeedCall = (method: string, path: string, body?: JsonObject) => JsonObject;

/** Marks a seeded IAM record as Scaleway's own, which no API call can do. */
export type MarkManaged = (kind: 'iam.application' | 'iam.policy', id: string) => void;

/** Creates every seeded resource through the API handlers, in order. */
export function applySeed(doc: Seed, call: SeedCall, defaultProjectId: string, settle: () => void, markManaged?: MarkManaged): void {
  const projects = new Map<string, string>([['default', defaultProjectId]]);
  for (const p of doc.projects) {
    if (projects.has(p.name)) continue;
    const created = call('POST', '/account/v3/projects', { name: p.name, description: p.description ?? '' });
    projects.set(p.name, String(created.id));
  }
  const ids = new Map<string, string>();
  const ref = (kind: string, project: string | undefined, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const id = ids.get(`${kind}:${project ?? 'default'}:${name}`) ?? ids.get(`${kind}:*:${name}`);
    if (!id) throw new Error(`seed: unknown ${kind} "${name}"${project ? ` in project ${project}` : ''}`);
    return id;
  };
  const remember = (kind: string, project: string | undefined, name: string, id: unknown) => {
    ids.set(`${kind}:${project ?? 'default'}:${name}`, String(id));
    ids.set(`${kind}:*:${name}`, String(id));
  };

  for (const [n, r] of doc.resources.entries()) {
    const projectId = projects.get(r.project ?? 'default');
    if (!projectId) throw new Error(`seed: resources[${n}] (${r.kind} ${r.name}) names unknown project "${r.project}"`);
    try {
      create(r, projectId);
    } catch (err) {
      throw new Error(`seed: resources[${n}] (${r.kind} ${r.name}): ${(err as Error).message}`);
    }
    // seeded resources are settled: the organisation looks as if it had been there for a while
    settle();
  }

  function create(r: Resource, project_id: string): void {
    const region = r.region ?? 'fr-par';
    const zone = r.zone ?? `${region}-1`;
    const tags = r.tags ?? [];
    const p = r.project;
    switch (r.kind) {
      case 'vpc': {
        remember('vpc', p, r.name, call('POST', `/vpc/v2/regions/${region}/vpcs`, { name: r.name, project_id, tags }).id);
        return;
      }
      case 'private_network': {
        const vpc = typeof r.vpc === 'string' ? ref('vpc', p, r.vpc) : undefined;
        const pn = call('POST', `/vpc/v2/regions/${region}/private-networks`, { name: r.name, project_id, tags, subnets: r.subnets ?? [], ...(vpc ? { vpc_id: vpc } : {}) });
        remember('private_network', p, r.name, pn.id);
        return;
      }
      case 'gateway_ip': {
        remember('gateway_ip', p, r.name, call('POST', `/vpc-gw/v2/zones/${zone}/ips`, { project_id, tags }).id);
        return;
      }
      case 'gateway': {
        const gw = call('POST', `/vpc-gw/v2/zones/${zone}/gateways`, {
          name: r.name, project_id, tags, type: r.type, ip_id: ref('gateway_ip', p, r.ip) ?? null,
          enable_bastion: r.enable_bastion ?? false, ...(r.bastion_port ? { bastion_port: r.bastion_port } : {}),
        });
        remember('gateway', p, r.name, gw.id);
        remember('gateway_address', undefined, r.name, (gw.ipv4 as JsonObject | null)?.address);
        for (const net of r.networks) {
          settle();
          call('POST', `/vpc-gw/v2/zones/${zone}/gateway-networks`, { gateway_id: String(gw.id), private_network_id: ref('private_network', p, net)!, enable_masquerade: true, push_default_route: true });
        }
        return;
      }
      case 'lb_ip': {
        remember('lb_ip', p, r.name, call('POST', `/lb/v1/zones/${zone}/ips`, { project_id, tags }).id);
        return;
      }
      case 'lb': {
        const lb = call('POST', `/lb/v1/zones/${zone}/lbs`, {
          name: r.name, project_id, tags, type: r.type, description: r.description ?? '', ...(r.ip ? { ip_id: ref('lb_ip', p, r.ip)! } : {}),
        });
        remember('lb', p, r.name, lb.id);
        const backends = new Map<string, string>();
        for (const b of r.backends) {
          const be = call('POST', `/lb/v1/zones/${zone}/lbs/${String(lb.id)}/backends`, {
            name: b.name, forward_protocol: b.forward_protocol, forward_port: b.forward_port, server_ip: b.server_ip,
            forward_port_algorithm: 'roundrobin', sticky_sessions: 'none', health_check: { port: b.forward_port, check_max_retries: 2 },
          });
          backends.set(b.name, String(be.id));
        }
        for (const f of r.frontends) {
          const backendId = backends.get(f.backend);
          if (!backendId) throw new Error(`frontend ${f.name} names unknown backend ${f.backend}`);
          const fe = call('POST', `/lb/v1/zones/${zone}/lbs/${String(lb.id)}/frontends`, { name: f.name, inbound_port: f.inbound_port, backend_id: backendId });
          for (const a of f.acls) {
            call('POST', `/lb/v1/zones/${zone}/frontends/${String(fe.id)}/acls`, {
              name: a.name, index: a.index, action: { type: a.action }, description: a.description ?? '',
              // `@gateway:<name>` stands for that gateway's public IP, which only exists once seeded
              match: { ip_subnet: a.ip_subnet.map((s) => (s.startsWith('@gateway:') ? ref('gateway_address', undefined, s.slice(9))! : s)) },
            });
          }
        }
        return;
      }
      case 'cluster': {
        const c = call('POST', `/k8s/v1/regions/${region}/clusters`, {
          name: r.name, project_id, tags, version: r.version, cni: r.cni, private_network_id: ref('private_network', p, r.private_network) ?? null,
          pools: r.pools as unknown as JsonObject[],
        });
        remember('cluster', p, r.name, c.id);
        return;
      }
      case 'database': {
        const pn = ref('private_network', p, r.private_network);
        const inst = call('POST', `/rdb/v1/regions/${region}/instances`, {
          name: r.name, project_id, tags, engine: r.engine, node_type: r.node_type, is_ha_cluster: r.is_ha_cluster ?? false,
          encryption: r.encryption ?? { enabled: false }, ...(r.volume_type ? { volume_type: r.volume_type } : {}), ...(r.volume_size ? { volume_size: r.volume_size } : {}),
          ...(pn ? { init_endpoints: [{ private_network: { private_network_id: pn } }] } : {}),
        });
        remember('database', p, r.name, inst.id);
        settle();
        const path = `/rdb/v1/regions/${region}/instances/${String(inst.id)}`;
        for (const db of r.databases) call('POST', `${path}/databases`, { name: db });
        if (r.backup_schedule) {
          call('PATCH', path, {
            backup_schedule_frequency: r.backup_schedule.frequency, backup_schedule_retention: r.backup_schedule.retention,
            is_backup_schedule_disabled: false, ...(r.backup_schedule.same_region !== undefined ? { backup_same_region: r.backup_schedule.same_region } : {}),
          });
        }
        for (const b of r.backups) call('POST', `/rdb/v1/regions/${region}/backups`, { instance_id: String(inst.id), database_name: b.database, name: b.name });
        return;
      }
      case 'key': {
        const k = call('POST', `/key-manager/v1alpha1/regions/${region}/keys`, {
          name: r.name, project_id, tags, usage: r.usage, description: r.description ?? null, unprotected: r.unprotected ?? true,
          ...(r.rotation_policy ? { rotation_policy: r.rotation_policy } : {}),
        });
        remember('key', p, r.name, k.id);
        return;
      }
      case 'secret': {
        const s = call('POST', `/secret-manager/v1beta1/regions/${region}/secrets`, {
          name: r.name, project_id, tags, path: r.path ?? '/', type: r.type ?? 'opaque', description: r.description ?? '',
          protected: r.protected ?? false, key_id: ref('key', undefined, r.key) ?? null,
        });
        remember('secret', p, r.name, s.id);
        for (const [i, v] of r.versions.entries()) {
          const path = `/secret-manager/v1beta1/regions/${region}/secrets/${String(s.id)}/versions`;
          call('POST', path, { data: Buffer.from(v.value).toString('base64'), description: `seeded version ${i + 1}` });
          if (!v.enabled) call('POST', `${path}/${i + 1}/disable`, {});
        }
        return;
      }
      case 'application': {
        const app = call('POST', '/iam/v1alpha1/applications', { name: r.name, description: r.description ?? '', tags });
        remember('application', undefined, r.name, app.id);
        if (r.managed) markManaged?.('iam.application', String(app.id));
        return;
      }
      case 'policy': {
        const policy = call('POST', '/iam/v1alpha1/policies', {
          name: r.name, description: r.description ?? '', tags, ...(r.application ? { application_id: ref('application', undefined, r.application)! } : { no_principal: true }),
          rules: r.rules.map((rule) => ({
            permission_set_names: rule.permission_set_names,
            ...(rule.projects ? { project_ids: rule.projects.map((name) => { const id = projects.get(name); if (!id) throw new Error(`unknown project ${name}`); return id; }) } : {}),
          })) as unknown as JsonObject[],
        });
        if (r.managed) markManaged?.('iam.policy', String(policy.id));
        return;
      }
      case 'function_namespace': {
        const ns = call('POST', `/functions/v1beta1/regions/${region}/namespaces`, { name: r.name, project_id, tags });
        settle();
        for (const f of r.functions) {
          const fn = call('POST', `/functions/v1beta1/regions/${region}/functions`, { name: f.name, namespace_id: String(ns.id), runtime: f.runtime, ...(f.handler ? { handler: f.handler } : {}) });
          call('POST', `/functions/v1beta1/regions/${region}/functions/${String(fn.id)}/deploy`, {});
          for (const c of f.crons) call('POST', `/functions/v1beta1/regions/${region}/crons`, { function_id: String(fn.id), schedule: c.schedule, name: c.name, args: {} });
        }
        return;
      }
    }
  }
}
