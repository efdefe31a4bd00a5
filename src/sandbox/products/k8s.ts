import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  after, checkQuota, scheduleDelete, commonFilters, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, region, uuid,
  type Ctx, type Route,
} from '../context';
import { invalidArguments, notFound, transientState } from '../errors';
import { nowIso, type JsonObject } from '../json';
import type { Rec } from '../store';
import { offered, requireOffered } from './catalog';
import { PN } from './vpc';

const CLUSTER = 'k8s.cluster';
const POOL = 'k8s.pool';
const ACL = 'k8s.acl';

/** Patch versions Kapsule offers in a region, newest first, from the recorded catalog (products/catalog.ts). */
const versionsOf = (ctx: Ctx, loc: string): JsonObject[] => {
  const l = ctx.env.catalog.listing(`/k8s/v1/regions/${loc}/versions`);
  return Array.isArray(l?.items) ? (l.items as JsonObject[]) : [];
};
const newestVersion = (ctx: Ctx, loc: string): string | undefined => versionsOf(ctx, loc).map((v) => String(v.name)).sort(compareVersions).pop();
const compareVersions = (a: string, b: string): number => {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};
const CNIS = ['cilium', 'cilium_native', 'calico', 'kilo', 'none'];
const tags = z.array(z.string()).nullish();

const poolSpec = z.object({
  name: z.string().max(64).nullish(), node_type: z.string(), placement_group_id: z.string().nullish(), autoscaling: z.boolean().nullish(),
  size: z.number().int().min(0).max(150), min_size: z.number().int().min(0).nullish(), max_size: z.number().int().min(0).nullish(),
  container_runtime: z.string().nullish(), autohealing: z.boolean().nullish(), tags, kubelet_args: z.record(z.string(), z.string()).nullish(),
  upgrade_policy: z.object({ max_unavailable: z.number().int().nullish(), max_surge: z.number().int().nullish() }).nullish(),
  zone: z.string().nullish(), root_volume_type: z.string().nullish(), root_volume_size: z.number().int().nullish(),
  public_ip_disabled: z.boolean().nullish(), security_group_id: z.string().nullish(), version: z.string().nullish(),
});
const createCluster = z.object({
  project_id: z.string().nullish(), type: z.string().nullish(), name: z.string().min(1).max(100), description: z.string().nullish(), tags,
  version: z.string(), cni: z.string(), pools: z.array(poolSpec).nullish(),
  autoscaler_config: z.record(z.string(), z.unknown()).nullish(), auto_upgrade: z.record(z.string(), z.unknown()).nullish(),
  feature_gates: z.array(z.string()).nullish(), admission_plugins: z.array(z.string()).nullish(),
  open_id_connect_config: z.record(z.string(), z.unknown()).nullish(), apiserver_cert_sans: z.array(z.string()).nullish(),
  private_network_id: z.string().nullish(), pod_cidr: z.string().nullish(), service_cidr: z.string().nullish(), service_dns_ip: z.string().nullish(),
});
const updateCluster = z.object({
  name: z.string().min(1).max(100).nullish(), description: z.string().nullish(), tags,
  autoscaler_config: z.record(z.string(), z.unknown()).nullish(), auto_upgrade: z.record(z.string(), z.unknown()).nullish(),
  feature_gates: z.array(z.string()).nullish(), admission_plugins: z.array(z.string()).nullish(),
  open_id_connect_config: z.record(z.string(), z.unknown()).nullish(), apiserver_cert_sans: z.array(z.string()).nullish(),
});
const aclSpec = z.object({ ip: z.string().nullish(), scaleway_ranges: z.boolean().nullish(), description: z.string().nullish() });

function clusterJson(rec: Rec): JsonObject {
  return rec.data;
}

function poolJson(rec: Rec): JsonObject {
  return rec.data;
}

function aclJson(rec: Rec): JsonObject {
  const { cluster_id: _c, ...rest } = rec.data;
  return rest;
}

/** The kubeconfig YAML; its server points back into the sandbox (served by the DR work). */
function kubeconfig(ctx: Ctx, rec: Rec): string {
  const name = String(rec.data.name);
  const token = String(rec.hidden?.kube_token ?? '');
  const yaml = [
    'apiVersion: v1',
    'clusters:',
    `- name: "${name}"`,
    '  cluster:',
    `    server: ${ctx.env.url}/k8s-api/${rec.id}`,
    'contexts:',
    `- name: admin@${name}`,
    '  context:',
    `    cluster: "${name}"`,
    `    user: ${name}-admin`,
    `current-context: admin@${name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${name}-admin`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
  return yaml;
}

export function k8sRoutes(): Route[] {
  const P = 'Kubernetes';
  const base = '/k8s/v1/regions/{region}';
  const cluster = (ctx: Ctx, id = ctx.params.clusterId!) => mustGet(ctx, CLUSTER, id, region(ctx), () => notFound('cluster', id));
  const pool = (ctx: Ctx) => mustGet(ctx, POOL, ctx.params.poolId!, region(ctx), () => notFound('pool', ctx.params.poolId!));
  const requireReady = (rec: Rec) => {
    const s = String(rec.data.status);
    if (s !== 'ready' && s !== 'pool_required') throw transientState('cluster', rec.id, s);
  };

  const addPool = (ctx: Ctx, c: Rec, spec: z.infer<typeof poolSpec>): Rec => {
    if (spec.min_size != null && spec.max_size != null && spec.min_size > spec.max_size) {
      throw invalidArguments([{ argument_name: 'min_size', reason: 'constraint', help_message: 'min_size must not exceed max_size' }]);
    }
    requireOffered(offered.instanceTypes(ctx, spec.zone ?? `${c.loc}-1`), 'node_type', spec.node_type, 'node type');
    const id = uuid();
    return ctx.store.put({
      kind: POOL, id, loc: c.loc,
      data: {
        region: c.loc, id, cluster_id: c.id, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), name: spec.name ?? `pool-${id.slice(0, 8)}`,
        status: 'scaling', version: spec.version ?? String(c.data.version), node_type: spec.node_type.toLowerCase(),
        autoscaling: spec.autoscaling ?? false, size: spec.size, min_size: spec.min_size ?? spec.size, max_size: spec.max_size ?? spec.size,
        container_runtime: spec.container_runtime ?? 'containerd', autohealing: spec.autohealing ?? false, tags: spec.tags ?? [],
        placement_group_id: spec.placement_group_id ?? null, kubelet_args: spec.kubelet_args ?? {},
        upgrade_policy: { max_unavailable: spec.upgrade_policy?.max_unavailable ?? 1, max_surge: spec.upgrade_policy?.max_surge ?? 0 },
        zone: spec.zone ?? `${c.loc}-1`, root_volume_type: spec.root_volume_type ?? 'sbs_5k', root_volume_size: spec.root_volume_size ?? 20_000_000_000,
        public_ip_disabled: spec.public_ip_disabled ?? false, security_group_id: spec.security_group_id ?? uuid(), new_images_enabled: true,
      },
      pending: [after(ctx, ctx.env.delays.pool, { status: 'ready' })],
    });
  };

  return [
    {
      method: 'POST', pattern: `${base}/clusters`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createCluster);
        const project = projectOf(ctx, b.project_id);
        requireOffered(offered.kubernetesVersions(ctx, loc), 'version', b.version, 'version');
        if (!CNIS.includes(b.cni)) throw invalidArguments([{ argument_name: 'cni', reason: 'constraint', help_message: `unknown cni ${b.cni}` }]);
        if (b.private_network_id) {
          const pn = ctx.store.get(PN, b.private_network_id, ctx.now);
          if (!pn || pn.loc !== loc) throw notFound('private_network', b.private_network_id);
        }
        checkQuota(ctx, CLUSTER, 'k8s_clusters', project);
        const id = uuid();
        const ac = b.autoscaler_config ?? {};
        const rec = ctx.store.put({
          kind: CLUSTER, id, loc,
          data: {
            region: loc, id, organization_id: ctx.store.organizationId, project_id: project, created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now),
            type: b.type || 'kapsule', name: b.name, description: b.description ?? '', status: 'creating', version: b.version, cni: b.cni,
            tags: b.tags ?? [], cluster_url: `https://${id}.api.k8s.${loc}.scw.cloud:6443`, dns_wildcard: `*.${id}.nodes.k8s.${loc}.scw.cloud`,
            autoscaler_config: {
              scale_down_disabled: (ac.scale_down_disabled as boolean | null | undefined) ?? false, scale_down_delay_after_add: '10m',
              estimator: 'binpacking', expander: 'random', ignore_daemonsets_utilization: false, balance_similar_node_groups: false,
              expendable_pods_priority_cutoff: 0, scale_down_unneeded_time: '10m', scale_down_utilization_threshold: 0.5,
              max_graceful_termination_sec: 0, skip_nodes_with_local_storage: false, log_level: 2,
            },
            auto_upgrade: { enabled: false, maintenance_window: { start_hour: 0, day: 'any' } }, upgrade_available: b.version !== newestVersion(ctx, loc),
            feature_gates: b.feature_gates ?? [], admission_plugins: b.admission_plugins ?? [],
            open_id_connect_config: { issuer_url: '', client_id: '', username_claim: '', username_prefix: '', groups_claim: [], groups_prefix: '', required_claim: [] },
            apiserver_cert_sans: b.apiserver_cert_sans ?? [], private_network_id: b.private_network_id ?? null,
            commitment_ends_at: nowIso(ctx.now), acl_available: true, iam_nodes_group_id: '',
            pod_cidr: b.pod_cidr ?? '100.64.0.0/15', service_cidr: b.service_cidr ?? '10.32.0.0/20', service_dns_ip: b.service_dns_ip ?? '10.32.0.10',
            new_images_enabled: true,
          },
          hidden: { kube_token: randomBytes(24).toString('base64url') },
          pending: [after(ctx, ctx.env.delays.cluster, { status: 'ready', iam_nodes_group_id: uuid() })],
        });
        for (const p of b.pools ?? []) addPool(ctx, rec, p);
        return ok(clusterJson(rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/clusters`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(CLUSTER, region(ctx), ctx.now), {
        ...commonFilters, status: eq('status'), type: eq('type'), private_network_id: eq('private_network_id'),
      }), 'clusters', clusterJson),
    },
    { method: 'GET', pattern: `${base}/clusters/{clusterId}`, product: P, handler: (ctx) => ok(clusterJson(cluster(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/clusters/{clusterId}`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const b = parseBody(ctx, updateCluster);
        return ok(clusterJson(ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.description != null ? { description: b.description } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}), ...(b.feature_gates != null ? { feature_gates: b.feature_gates } : {}),
          ...(b.admission_plugins != null ? { admission_plugins: b.admission_plugins } : {}),
          ...(b.apiserver_cert_sans != null ? { apiserver_cert_sans: b.apiserver_cert_sans } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/clusters/{clusterId}`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        for (const p of ctx.store.list(POOL, rec.loc, ctx.now)) if (p.data.cluster_id === rec.id) ctx.store.remove(POOL, p.id);
        for (const a of ctx.store.list(ACL, rec.loc, ctx.now)) if (a.data.cluster_id === rec.id) ctx.store.remove(ACL, a.id);
        // with_additional_resources also deletes the cluster's private network when nothing else uses it
        const pnId = rec.data.private_network_id;
        if (ctx.query.get('with_additional_resources') === 'true' && typeof pnId === 'string') {
          const othersUse = ctx.store.list(CLUSTER, rec.loc, ctx.now).some((c) => c.id !== rec.id && c.data.private_network_id === pnId);
          if (!othersUse) ctx.store.remove(PN, pnId);
        }
        return ok(clusterJson(scheduleDelete(ctx, rec, { status: 'deleting', updated_at: nowIso(ctx.now) })));
      },
    },
    {
      method: 'POST', pattern: `${base}/clusters/{clusterId}/upgrade`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const b = parseBody(ctx, z.object({ version: z.string(), upgrade_pools: z.boolean().nullish() }));
        requireOffered(offered.kubernetesVersions(ctx, rec.loc), 'version', b.version, 'version');
        requireReady(rec);
        if (b.upgrade_pools) {
          for (const p of ctx.store.list(POOL, rec.loc, ctx.now)) {
            if (p.data.cluster_id === rec.id) ctx.store.patch(p, { version: b.version, status: 'upgrading' }, [after(ctx, ctx.env.delays.pool, { status: 'ready' })]);
          }
        }
        return ok(clusterJson(ctx.store.patch(rec, { version: b.version, status: 'updating', upgrade_available: b.version !== newestVersion(ctx, rec.loc), updated_at: nowIso(ctx.now) },
          [after(ctx, ctx.env.delays.cluster, { status: 'ready' })])));
      },
    },
    {
      method: 'GET', pattern: `${base}/clusters/{clusterId}/kubeconfig`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const yaml = kubeconfig(ctx, rec);
        // dl=1 (what the SDK's getClusterKubeConfig sends) downloads the file itself
        if (ctx.query.get('dl') === '1' || ctx.query.get('dl') === 'true') {
          return { status: 200, file: { contentType: 'application/octet-stream', name: `kubeconfig-${String(rec.data.name)}.yaml`, data: yaml } };
        }
        return ok({ name: 'kubeconfig', content_type: 'application/octet-stream', content: Buffer.from(yaml).toString('base64') });
      },
    },
    {
      method: 'GET', pattern: `${base}/clusters/{clusterId}/available-versions`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const current = String(rec.data.version);
        return ok({ versions: versionsOf(ctx, rec.loc).filter((v) => compareVersions(String(v.name), current) > 0) });
      },
    },
    // ---- pools ----
    {
      method: 'POST', pattern: `${base}/clusters/{clusterId}/pools`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const b = parseBody(ctx, poolSpec);
        return ok(poolJson(addPool(ctx, rec, b)));
      },
    },
    {
      method: 'GET', pattern: `${base}/clusters/{clusterId}/pools`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const recs = filterRecs(ctx, ctx.store.list(POOL, rec.loc, ctx.now).filter((p) => p.data.cluster_id === rec.id), { name: commonFilters.name!, status: eq('status') });
        return pageOf(ctx, recs, 'pools', poolJson);
      },
    },
    { method: 'GET', pattern: `${base}/pools/{poolId}`, product: P, handler: (ctx) => ok(poolJson(pool(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/pools/{poolId}`, product: P,
      handler: (ctx) => {
        const rec = pool(ctx);
        const b = parseBody(ctx, z.object({
          autoscaling: z.boolean().nullish(), size: z.number().int().min(0).nullish(), min_size: z.number().int().min(0).nullish(),
          max_size: z.number().int().min(0).nullish(), autohealing: z.boolean().nullish(), tags, kubelet_args: z.record(z.string(), z.string()).nullish(),
        }));
        const resized = b.size != null && b.size !== rec.data.size;
        return ok(poolJson(ctx.store.patch(rec, {
          ...(b.autoscaling != null ? { autoscaling: b.autoscaling } : {}), ...(b.size != null ? { size: b.size } : {}),
          ...(b.min_size != null ? { min_size: b.min_size } : {}), ...(b.max_size != null ? { max_size: b.max_size } : {}),
          ...(b.autohealing != null ? { autohealing: b.autohealing } : {}), ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.kubelet_args != null ? { kubelet_args: b.kubelet_args } : {}),
          ...(resized ? { status: 'scaling' } : {}), updated_at: nowIso(ctx.now),
        }, resized ? [after(ctx, ctx.env.delays.pool, { status: 'ready' })] : undefined)));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/pools/{poolId}`, product: P,
      handler: (ctx) => {
        const rec = pool(ctx);
        return ok(poolJson(scheduleDelete(ctx, rec, { status: 'deleting', updated_at: nowIso(ctx.now) })));
      },
    },
    // ---- ACLs (outside the landing zone's needs, kept small) ----
    {
      method: 'GET', pattern: `${base}/clusters/{clusterId}/acls`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        return pageOf(ctx, ctx.store.list(ACL, rec.loc, ctx.now).filter((a) => a.data.cluster_id === rec.id), 'rules', aclJson, 'seq_asc');
      },
    },
    ...(['PUT', 'POST'] as const).map((method): Route => ({
      method, pattern: `${base}/clusters/{clusterId}/acls`, product: P,
      handler: (ctx) => {
        const rec = cluster(ctx);
        const b = parseBody(ctx, z.object({ acls: z.array(aclSpec).nullish() }));
        if (method === 'PUT') for (const a of ctx.store.list(ACL, rec.loc, ctx.now)) if (a.data.cluster_id === rec.id) ctx.store.remove(ACL, a.id);
        const added = (b.acls ?? []).map((a) => {
          const id = uuid();
          return ctx.store.put({
            kind: ACL, id, loc: rec.loc,
            data: { id, region: '', ...(a.ip ? { ip: a.ip } : { scaleway_ranges: a.scaleway_ranges ?? true }), description: a.description ?? '', cluster_id: rec.id },
          });
        });
        return ok({ rules: added.map(aclJson) });
      },
    })),
    {
      method: 'DELETE', pattern: `${base}/acls/{aclId}`, product: P,
      handler: (ctx) => {
        const rec = mustGet(ctx, ACL, ctx.params.aclId!, region(ctx), () => notFound('acl', ctx.params.aclId!));
        ctx.store.remove(ACL, rec.id);
        return noContent();
      },
    },
  ];
}
