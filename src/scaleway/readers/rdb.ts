import { base, type Reader } from './reader';

/** Managed Database instances, per region: engine, node type, HA, encryption, backup schedule, volume. */
export const rdbReader: Reader = {
  kinds: ['database'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['database'], async () => {
      for (const db of await ctx.clients.rdb.listInstances({ region, organizationId: ctx.organizationId, pageSize: 100 }).all()) {
        const live = base('database', { ...db, region });
        const sched = db.backupSchedule;
        live.fields = {
          engine: db.engine, nodeType: db.nodeType, ha: db.isHaCluster, encryptedAtRest: db.encryption?.enabled ?? false,
          backupEveryHours: sched && !sched.disabled ? sched.frequency : 0,
          backupRetentionDays: sched && !sched.disabled ? sched.retention : 0,
          backupSameRegion: db.backupSameRegion,
          volumeType: db.volume?.type, volumeSizeGb: db.volume ? Math.round(db.volume.size / 1e9) : undefined,
        };
        live.attrs = { status: db.status };
        const pnId = db.endpoints.find((e) => e.privateNetwork)?.privateNetwork?.privateNetworkId;
        ctx.push({ live, links: [{ field: 'privateNetwork', kind: 'private-network', value: pnId }] });
      }
    }, region)));
  },
};
