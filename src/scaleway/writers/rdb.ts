import { Rdb } from '@scaleway/sdk';
import { randomBytes } from 'node:crypto';
import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import { generateSecretValue } from '../../core/secrets/generate';
import { waitGone, waitUntil } from '../wait';
import { adoptTags, changed, declared, gone, ImmutableFieldError, immutable, need, notTransient, projectOf, regionOf, tagFilter, type WriteContext, type Writer } from './writer';

/**
 * A database password that satisfies RDB's rules (upper, lower, digit, special): core's one
 * generator, as rotations use, with one character of each class appended. Never shown.
 */
function dbPassword(): string {
  return `${generateSecretValue(24, 'alphanumeric', randomBytes).toString('utf8')}Aa1!`;
}

const waitDb = (ctx: WriteContext, op: PlanOperation, id: string) =>
  waitUntil(() => ctx.clients.rdb.getInstance({ region: regionOf(op), instanceId: id }), notTransient(Rdb.v1.INSTANCE_TRANSIENT_STATUSES), ctx.poll);

export const databaseWriter: Writer = {
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
