import { LZ_ID_PREFIX } from '../../core/desired';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';

/*
 * The backup-copy function: a Serverless Functions namespace, the function (tagged, or named
 * `backup-copy`) and its cron. One live resource per function: its schedule is the cron's (null
 * when the cron is gone), its target region the function's TO_REGION variable.
 */

export const BACKUP_COPY_FUNCTION = 'backup-copy';
export const TO_REGION_VARIABLE = 'TO_REGION';

const isCopy = (f: { name: string; tags?: string[] }) =>
  f.name === BACKUP_COPY_FUNCTION || (f.tags ?? []).some((t) => t.startsWith(LZ_ID_PREFIX) && t.split('/')[1] === 'backup-copy');

export async function readBackupCopies(c: ScalewayClients, region: string, organizationId: string): Promise<LiveResource[]> {
  const r = region as never;
  const namespaces = await c.functions.listNamespaces({ region: r, organizationId, pageSize: 100 }).all();
  const out: LiveResource[] = [];
  await Promise.all(namespaces.map(async (ns) => {
    const fns = (await c.functions.listFunctions({ region: r, namespaceId: ns.id, pageSize: 100 }).all()).filter(isCopy);
    await Promise.all(fns.map(async (fn) => {
      const crons = await c.functions.listCrons({ region: r, functionId: fn.id, pageSize: 100 }).all();
      const cron = crons[0];
      out.push({
        kind: 'backup-copy', scalewayId: fn.id, naturalId: '', projectId: ns.projectId, name: fn.name, region, tags: fn.tags ?? [],
        fields: { schedule: cron ? cron.schedule : null, toRegion: fn.environmentVariables?.[TO_REGION_VARIABLE] ?? null },
        attrs: { namespaceId: ns.id, cronId: cron?.id, crons: crons.length, status: fn.status },
      });
    }));
  }));
  return out;
}
