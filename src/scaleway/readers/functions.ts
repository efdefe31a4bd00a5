import { LZ_ID_PREFIX } from '../../core/desired';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import { functionBundle } from '../operations/function-bundle';
import { pushAll, type Reader } from './reader';

/*
 * The backup-copy function: a Serverless Functions namespace, the function (tagged, or named
 * `backup-copy`) and its cron. One live resource per function: its schedule is the cron's (null
 * when the cron is gone), its target region the function's TO_REGION variable, `code` what runs
 * (`current` only when the function is ready with this build's bundle: `lz:code=` tag), and
 * `credentials` the vault version whose API key the namespace's secret variables hold.
 */

export const BACKUP_COPY_FUNCTION = 'backup-copy';
export const TO_REGION_VARIABLE = 'TO_REGION';
/** Plain variable of the namespace naming the vault secret version of its secret key (`security/x@3`), never the key. */
export const CREDENTIALS_VARIABLE = 'LZ_CREDENTIALS';
export const CODE_TAG = 'lz:code=';

const isCopy = (f: { name: string; tags?: string[] }) =>
  f.name === BACKUP_COPY_FUNCTION || (f.tags ?? []).some((t) => t.startsWith(LZ_ID_PREFIX) && t.split('/')[1] === 'backup-copy');

/**
 * What a function runs, from its status and code tag: `current` (ready with this build's bundle),
 * `outdated` (ready with other code: another build, or deployed by hand), `not deployed` (a
 * function without code stays `created`), `build error`, `deploying`.
 */
export function codeState(fn: { status: string; tags?: string[] }): string {
  if (fn.status === 'error') return 'build error';
  if (fn.status === 'created') return 'not deployed';
  if (fn.status !== 'ready') return 'deploying';
  const tag = (fn.tags ?? []).find((t) => t.startsWith(CODE_TAG))?.slice(CODE_TAG.length);
  const local = functionBundle(BACKUP_COPY_FUNCTION);
  // without the local bundle (a trimmed install) tagged code cannot be called outdated
  if (!local) return tag ? 'current' : 'outdated';
  return local.short === tag ? 'current' : 'outdated';
}

async function readBackupCopies(c: ScalewayClients, region: string, organizationId: string): Promise<LiveResource[]> {
  const r = region as never;
  const namespaces = await c.functions.listNamespaces({ region: r, organizationId, pageSize: 100 }).all();
  const out: LiveResource[] = [];
  await Promise.all(namespaces.map(async (ns) => {
    const fns = (await c.functions.listFunctions({ region: r, namespaceId: ns.id, pageSize: 100 }).all()).filter(isCopy);
    await Promise.all(fns.map(async (fn) => {
      const crons = await c.functions.listCrons({ region: r, functionId: fn.id, pageSize: 100 }).all();
      const cron = crons[0];
      out.push({
        kind: 'backup-copy', scalewayId: fn.id, naturalId: '', projectId: ns.projectId, name: fn.name, region, tags: (fn.tags ?? []).filter((t) => !t.startsWith(CODE_TAG)),
        fields: {
          schedule: cron ? cron.schedule : null, toRegion: fn.environmentVariables?.[TO_REGION_VARIABLE] ?? null,
          code: codeState(fn), credentials: ns.environmentVariables?.[CREDENTIALS_VARIABLE] ?? null,
        },
        attrs: { namespaceId: ns.id, cronId: cron?.id, crons: crons.length, status: fn.status, errorMessage: fn.errorMessage ?? fn.buildMessage ?? undefined },
      });
    }));
  }));
  return out;
}

/** The backup-copy function, per region. */
export const functionsReader: Reader = {
  kinds: ['backup-copy'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['backup-copy'], async () => pushAll(ctx, await readBackupCopies(ctx.clients, region, ctx.organizationId)), region)));
  },
};
