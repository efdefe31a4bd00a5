import type { PlanOperation } from '../../core/plan';
import { schedulesOf, labelOfId, LZ_ID_LABEL, LZ_MANAGED_LABEL } from '../readers/velero';
import { waitUntil } from '../wait';
import type { Known, WriteContext, Writer } from '../writers';

/*
 * A Velero Schedule in a backed-up cluster, labelled `lz-managed` and `lz-id`. The cluster must be
 * ready first (its Kubernetes API answers only then). A Schedule holds no state of its own (its
 * backups are separate objects that stay), so a change replaces it under the same name.
 */

const regionOf = (op: PlanOperation) => op.region ?? 'fr-par';
const fields = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};

/** The cluster's Scaleway id: from the live id (`<cluster>/<schedule>`), else the cluster this plan depends on. */
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
