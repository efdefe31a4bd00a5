import { newestRuntime } from '../../core/catalog';
import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import { BACKUP_COPY_FUNCTION, TO_REGION_VARIABLE } from '../readers/functions';
import { isNotFound, waitUntil } from '../wait';
import type { Known, WriteContext, Writer } from '../writers';

/*
 * The backup-copy function: namespace → function → cron, each tagged (the cron has no tags: it
 * is the function's only cron). Every step looks for what an interrupted run left before it
 * creates, so a resumed apply finishes the chain without a second namespace or function.
 */

const regionOf = (op: PlanOperation) => (op.region ?? 'fr-par') as never;
const fields = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
const tagOf = (op: PlanOperation) => `lz:id=${op.id}`;

function projectOf(op: PlanOperation, ctx: WriteContext): string {
  const k = ctx.lookup(`${op.project}/project`);
  if (!k) throw new Error(`${op.project}/project is not known yet (a dependency failed or was skipped)`);
  return k.scalewayId;
}

async function namespaceOf(op: PlanOperation, ctx: WriteContext): Promise<string | undefined> {
  const list = await ctx.clients.functions.listNamespaces({ region: regionOf(op), projectId: projectOf(op, ctx), pageSize: 100 }).all();
  return list.find((n) => (n.tags ?? []).includes(tagOf(op)))?.id;
}

/** The cron that triggers the function: updated in place, created when it is missing. */
async function ensureCron(op: PlanOperation, ctx: WriteContext, functionId: string): Promise<void> {
  const f = fields(op, ctx);
  const crons = await ctx.clients.functions.listCrons({ region: regionOf(op), functionId, pageSize: 100 }).all();
  const args = { toRegion: String(f.toRegion) };
  const cron = crons[0];
  if (!cron) {
    await ctx.clients.functions.createCron({ region: regionOf(op), functionId, schedule: String(f.schedule), name: BACKUP_COPY_FUNCTION, args });
  } else if (cron.schedule !== f.schedule || (cron.args as { toRegion?: unknown } | undefined)?.toRegion !== f.toRegion) {
    await ctx.clients.functions.updateCron({ region: regionOf(op), cronId: cron.id, schedule: String(f.schedule), args });
  }
}

export const backupCopyWriter: Writer = {
  async find(op, ctx) {
    const ns = await namespaceOf(op, ctx);
    if (!ns) return undefined;
    const fn = (await ctx.clients.functions.listFunctions({ region: regionOf(op), namespaceId: ns, pageSize: 100 }).all()).find((x) => (x.tags ?? []).includes(tagOf(op)));
    return fn ? { scalewayId: fn.id, attrs: { namespaceId: ns } } : undefined;
  },
  async complete(op, ctx, found) {
    await ensureCron(op, ctx, found.scalewayId);
  },
  async create(op, ctx): Promise<Known> {
    const f = fields(op, ctx);
    const region = regionOf(op);
    let ns = await namespaceOf(op, ctx);
    if (!ns) {
      ns = (await ctx.clients.functions.createNamespace({
        region, projectId: projectOf(op, ctx), name: op.name, tags: lzTags(op.id), environmentVariables: {}, secretEnvironmentVariables: [], activateVpcIntegration: false,
      })).id;
    }
    const nsId = ns;
    await waitUntil(() => ctx.clients.functions.getNamespace({ region, namespaceId: nsId }), (n) => n.status === 'ready' || n.status === 'error', ctx.poll);
    const fn = await ctx.clients.functions.createFunction({
      region, namespaceId: nsId, name: BACKUP_COPY_FUNCTION, tags: lzTags(op.id), environmentVariables: { [TO_REGION_VARIABLE]: String(f.toRegion) },
      runtime: (await nodeRuntime(ctx, region)) as never, handler: 'handler.copy', privacy: 'private', minScale: 0, maxScale: 1, memoryLimit: 256, secretEnvironmentVariables: [],
      description: `landing-zone: copies backups to ${String(f.toRegion)}`,
    });
    await ensureCron(op, ctx, fn.id);
    return { scalewayId: fn.id, attrs: { namespaceId: nsId } };
  },
  async update(op, ctx) {
    const f = fields(op, ctx);
    const tags = op.changes?.find((c) => c.field === 'tags')?.declared as string[] | undefined;
    if (tags || op.changes?.some((c) => c.field === 'toRegion')) {
      const fn = await ctx.clients.functions.getFunction({ region: regionOf(op), functionId: op.scalewayId! });
      await ctx.clients.functions.updateFunction({
        region: regionOf(op), functionId: op.scalewayId!, ...(tags ? { tags } : {}),
        environmentVariables: { ...fn.environmentVariables, [TO_REGION_VARIABLE]: String(f.toRegion) },
      });
    }
    await ensureCron(op, ctx, op.scalewayId!);
  },
  async delete(op, ctx) {
    let namespaceId: string | undefined;
    try {
      namespaceId = (await ctx.clients.functions.getFunction({ region: regionOf(op), functionId: op.scalewayId! })).namespaceId;
      await ctx.clients.functions.deleteFunction({ region: regionOf(op), functionId: op.scalewayId! });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!namespaceId) return;
    // the namespace goes with the function only when the tool made it for this function
    try {
      const ns = await ctx.clients.functions.getNamespace({ region: regionOf(op), namespaceId });
      if ((ns.tags ?? []).includes(tagOf(op))) await ctx.clients.functions.deleteNamespace({ region: regionOf(op), namespaceId });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

/** The newest Node runtime the region's live runtimes catalog offers (not deprecated or past support when it can). */
async function nodeRuntime(ctx: WriteContext, region: ReturnType<typeof regionOf>): Promise<string> {
  const { runtimes } = await ctx.clients.functions.listFunctionRuntimes({ region });
  const offered = runtimes.filter((r) => r.status !== 'end_of_life').map((r) => ({ name: r.name, status: r.status === 'available' ? undefined : r.status }));
  const name = newestRuntime({ values: offered, date: '', source: 'live' }, 'node');
  if (!name) throw new Error(`no Node runtime is offered for Serverless Functions in ${String(region)} (offered: ${offered.map((r) => r.name).join(', ') || 'none'})`);
  return name;
}
