import type { PlanOperation } from '../../core/plan';
import { retryTransient } from '../http';
import { kubeConfigFor, kubeError, kubeStatus, kubeTransient } from '../kube-client';
import { schedulesOf, labelOfId, LZ_ID_LABEL, LZ_MANAGED_LABEL } from '../readers/velero-objects';
import { readVeleroHealth, veleroHealthOf } from '../readers/velero-install';
import { waitUntil } from '../wait';
import { ensureVelero, veleroCredentials } from './velero-install';
import { VELERO_NAMESPACE } from './velero-manifests';
import type { Known, WriteContext, Writer } from './writer';

/*
 * Velero in a backed-up cluster: its install (server, storage location, credentials; the steps
 * are in velero-install.ts, which restores use too) and its Schedules.
 *
 * A Velero Schedule in a backed-up cluster, labelled `lz-managed` and `lz-id`. The cluster must be
 * ready first (its Kubernetes API answers only then). A Schedule holds no state of its own (its
 * backups are separate objects that stay), so a change replaces it under the same name.
 */

const regionOf = (op: PlanOperation) => op.region ?? 'fr-par';
const fields = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};

/** The cluster's Scaleway id: from the live id (`<cluster>/<schedule>` or `<cluster>/velero`), else the cluster this plan depends on. */
function clusterOf(op: PlanOperation, ctx: WriteContext): string {
  if (op.scalewayId) return op.scalewayId.split('/')[0]!;
  const dep = ctx.desired.get(op.id)?.dependsOn.find((d) => d.split('/')[1] === 'cluster');
  const k = dep ? ctx.lookup(dep) : undefined;
  if (!k) throw new Error(`${op.id}: its cluster is not known yet (a dependency failed or was skipped)`);
  return k.scalewayId;
}

async function readyApi(op: PlanOperation, ctx: WriteContext) {
  const clusterId = clusterOf(op, ctx);
  await waitUntil(() => ctx.clients.k8s.getCluster({ region: regionOf(op) as never, clusterId }), (c) => c.status === 'ready', ctx.poll);
  return { clusterId, api: await schedulesOf(ctx.clients, regionOf(op), clusterId) };
}

async function put(op: PlanOperation, ctx: WriteContext, name: string): Promise<Known> {
  const { clusterId, api } = await readyApi(op, ctx);
  const f = fields(op, ctx);
  const spec = { name, labels: { [LZ_MANAGED_LABEL]: 'true', [LZ_ID_LABEL]: labelOfId(op.id) }, schedule: String(f.schedule), ttlSeconds: Number(f.ttl), storageLocation: String(f.bucket) };
  try {
    await api.create(spec);
  } catch (err) {
    // a retried create whose first attempt went through: replace it with the declared one
    if ((err as { code?: number }).code !== 409) throw err;
    await api.delete(name);
    await api.create(spec);
  }
  return { scalewayId: `${clusterId}/${name}`, attrs: {} };
}

export const veleroScheduleWriter: Writer = {
  async find(op, ctx) {
    const { clusterId, api } = await readyApi(op, ctx);
    const s = (await api.list()).find((x) => x.labels[LZ_ID_LABEL] === labelOfId(op.id));
    return s ? { scalewayId: `${clusterId}/${s.name}`, attrs: {} } : undefined;
  },
  create: (op, ctx) => put(op, ctx, op.name),
  async update(op, ctx) {
    const name = op.scalewayId!.split('/').slice(1).join('/');
    const { api } = await readyApi(op, ctx);
    await api.delete(name);
    await put(op, ctx, name);
  },
  async delete(op, ctx) {
    const api = await schedulesOf(ctx.clients, regionOf(op), clusterOf(op, ctx));
    await api.delete(op.scalewayId!.split('/').slice(1).join('/'));
  },
};

async function install(op: PlanOperation, ctx: WriteContext): Promise<Known> {
  const clusterId = clusterOf(op, ctx);
  const region = regionOf(op);
  await waitUntil(() => ctx.clients.k8s.getCluster({ region: region as never, clusterId }), (x) => x.status === 'ready', ctx.poll);
  const f = fields(op, ctx);
  const creds = await veleroCredentials(op, ctx);
  const bucketProject = typeof f._bucketProject === 'string' ? ctx.lookup(`${f._bucketProject}/project`)?.scalewayId : undefined;
  const target = {
    bucket: String(f.bucket), region: String(f.bucketRegion), labels: { [LZ_MANAGED_LABEL]: 'true', [LZ_ID_LABEL]: labelOfId(op.id) },
    ...(bucketProject ? { projectId: bucketProject } : {}),
  };
  // a repair writes the Secret again: its content is never read back to compare (only its annotations are)
  const kube = await kubeConfigFor(ctx.clients, region, clusterId);
  await ensureVelero(kube, target, creds, { rewriteSecret: op.action === 'update' });
  creds.secretKey = '';
  // a rollout takes about a minute on Kapsule (image pulls); a wrong image or key never gets there
  const poll = { ...ctx.poll, timeoutMs: Math.min(ctx.poll.timeoutMs ?? 10 * 60_000, 10 * 60_000) };
  let last = await veleroHealthOf(kube.k8s, kube.kc, target.bucket);
  try {
    last = await waitUntil(async () => {
      last = await veleroHealthOf(kube.k8s, kube.kc, target.bucket);
      if (last.stuck) throw new Error(last.health);
      return last;
    }, (h) => h.health === 'Available', poll);
  } catch (err) {
    throw new Error(`${op.id}: Velero was installed but is not working: ${last.health}${(err as Error).message === last.health ? '' : ` (${(err as Error).message})`}`);
  }
  return { scalewayId: `${clusterId}/velero`, attrs: {} };
}

export const veleroInstallWriter: Writer = {
  async find(op, ctx) {
    const clusterId = clusterOf(op, ctx);
    const h = await readVeleroHealth(ctx.clients, regionOf(op), clusterId, String(fields(op, ctx).bucket));
    return h.lzId === labelOfId(op.id) ? { scalewayId: `${clusterId}/velero`, attrs: {} } : undefined;
  },
  create: (op, ctx) => install(op, ctx),
  async update(op, ctx) {
    await install(op, ctx);
  },
  async delete(op, ctx) {
    // the namespace goes with everything in it (server, location, credentials); the CRDs stay:
    // deleting them would delete every Velero object, the records of the backups included
    const clusterId = clusterOf(op, ctx);
    const { k8s, kc } = await kubeConfigFor(ctx.clients, regionOf(op), clusterId);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    for (const [what, fn] of [['namespace velero', () => core.deleteNamespace({ name: VELERO_NAMESPACE })], ['cluster role binding velero', () => rbac.deleteClusterRoleBinding({ name: 'velero' })]] as const) {
      try {
        await retryTransient(fn, kubeTransient);
      } catch (err) {
        if (kubeStatus(err) !== 404) throw kubeError(`Velero uninstall (${what})`, err);
      }
    }
  },
};
