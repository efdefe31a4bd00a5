import { BACKUP_COPY_BUCKET } from '../../core/desired';
import type { DrFacts } from '../../core/dr/readiness';
import { drProjects, veleroClusters } from '../../core/dr/readiness';
import { latestCompletedBackup } from '../../core/dr/velero';
import type { LandingZoneModel } from '../../core/model';
import { bucketName } from '../../core/schema';
import type { ScalewayClients } from '../client';
import { BACKUP_COPY_FUNCTION, codeState } from '../readers/functions';
import { s3ClientFor } from './s3-client';
import { kubeConfigFor } from '../kube-client';
import { veleroClient, type VeleroPort } from './velero-client';

/*
 * Reads what `dr check` scores, with the read-only clients only: database backup settings and
 * backups, each backed-up cluster's Velero (through its kubeconfig), the Velero bucket over S3,
 * the backup-copy function, its cron and the manifest of its last copy in the DR bucket. A fact that cannot be read becomes an `error` on
 * that fact, so one unreachable cluster does not hide the rest of the report.
 */

type Project = { id: string; name: string };

/** Where the copy function writes the manifest of its last run (functions/backup-copy/copy.ts). */
const COPY_MANIFEST_KEY = 'manifest/latest.json';

export async function gatherDrFacts(c: ScalewayClients, model: LandingZoneModel): Promise<DrFacts> {
  const facts: DrFacts = { databases: {}, clusters: {}, buckets: {} };
  const projects: Project[] = (await c.account.listProjects({ organizationId: c.profile.organizationId }).all()).map((p) => ({ id: p.id, name: p.name }));
  const idOf = (name: string) => projects.find((p) => p.name === name)?.id;
  const dr = model.spec.disasterRecovery;
  const velero = new Set(veleroClusters(model));
  const otherRegions = [dr?.regionFailure?.fallbackRegion, dr?.backupCopy?.toRegion].filter((r): r is NonNullable<typeof r> => Boolean(r));

  for (const project of drProjects(model)) {
    const p = model.spec.projects[project]!;
    const region = model.placement[project]!.region;
    const projectId = idOf(project);
    for (const name of Object.keys(p.databases ?? {})) {
      const ref = `${project}/${name}`;
      if (!projectId) { facts.databases[ref] = { found: false, error: `project ${project} does not exist` }; continue; }
      facts.databases[ref] = await safe(async () => {
        const inst = (await c.rdb.listInstances({ region: region as never, projectId, name }).all()).find((i) => i.name === name);
        if (!inst) return { found: false };
        const backups = (await c.rdb.listDatabaseBackups({ region: region as never, instanceId: inst.id }).all()).filter((b) => b.status === 'ready');
        const regions = new Set(backups.map((b) => b.region as string));
        // copies in the fallback regions are listed there, by the instance's name
        for (const other of otherRegions.filter((r) => r !== region)) {
          const copies = (await c.rdb.listDatabaseBackups({ region: other as never, projectId }).all()).filter((b) => b.status === 'ready' && b.instanceName === name);
          if (copies.length > 0) regions.add(other);
          backups.push(...copies);
        }
        const latest = backups.map((b) => b.createdAt?.getTime() ?? 0).sort((a, b) => b - a)[0];
        return {
          found: true, region,
          backupsEnabled: inst.backupSchedule ? !inst.backupSchedule.disabled : false,
          frequencyHours: inst.backupSchedule?.frequency, retentionDays: inst.backupSchedule?.retention,
          sameRegion: inst.backupSameRegion,
          latestGoodBackupAt: latest ? new Date(latest).toISOString() : undefined,
          backupRegions: [...regions],
          createdAt: inst.createdAt?.toISOString(), nextBackupAt: inst.backupSchedule?.nextRunAt?.toISOString(),
        };
      });
    }
    for (const name of Object.keys(p.clusters ?? {})) {
      const ref = `${project}/${name}`;
      if (!velero.has(ref)) continue;
      if (!projectId) { facts.clusters[ref] = { found: false, error: `project ${project} does not exist` }; continue; }
      facts.clusters[ref] = await safe(async () => {
        const cluster = (await c.k8s.listClusters({ region: region as never, projectId, name }).all()).find((x) => x.name === name);
        if (!cluster) return { found: false };
        const v = await veleroOf(c, region, cluster.id);
        const { installed, health } = await v.health();
        // without the velero.io API there is nothing more to read: no schedule, no backup
        if (!installed) return { found: true, velero: health, schedules: [] };
        const backups = await v.listBackups();
        return { found: true, velero: health, schedules: await v.listSchedules(), latestCompletedBackupAt: latestCompletedBackup(backups)?.completedAt };
      });
    }
    for (const [name, bucket] of Object.entries(p.buckets ?? {})) {
      const ref = `${project}/${name}`;
      if (dr?.velero?.bucket !== ref) continue;
      // the Object Storage name, not the file's key: bucket names are global (schema.ts bucketName)
      const s3Name = bucketName(model.spec.organization.name, project, name, bucket.name);
      if (!projectId) { facts.buckets[ref] = { found: false, error: `project ${project} does not exist` }; continue; }
      facts.buckets[ref] = await safe(async () => {
        const { s3, S3 } = await s3ClientFor(c.profile, bucket.region ?? region, projectId);
        try {
          try {
            await s3.send(new S3.HeadBucketCommand({ Bucket: s3Name }));
          } catch (err) {
            if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return { found: false };
            throw err;
          }
          const versioning = (await s3.send(new S3.GetBucketVersioningCommand({ Bucket: s3Name }))).Status;
          let objectLock = false;
          try {
            objectLock = (await s3.send(new S3.GetObjectLockConfigurationCommand({ Bucket: s3Name }))).ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
          } catch (err) {
            if ((err as Error).name !== 'ObjectLockConfigurationNotFoundError') throw err;
          }
          return { found: true, versioning: versioning || undefined, objectLock };
        } finally {
          s3.destroy();
        }
      });
    }
    if (dr?.backupCopy?.project === project) {
      facts.backupCopy = projectId
        ? await safe(() => readBackupCopy(c, model, region, projectId), (error) => ({ functionFound: false, cronFound: false, error }))
        : { functionFound: false, cronFound: false, error: `project ${project} does not exist` };
    }
  }
  return facts;
}

type CopyFacts = NonNullable<DrFacts['backupCopy']>;

/**
 * The copy function as it is deployed (status, code, credentials, cron) and what it copied: the
 * manifest its last run wrote in the DR bucket, else the newest object there. A bucket that
 * cannot be read leaves `copyError`, never a copy time.
 */
async function readBackupCopy(c: ScalewayClients, model: LandingZoneModel, region: string, projectId: string): Promise<CopyFacts> {
  const copy = model.spec.disasterRecovery!.backupCopy!;
  const namespaces = await c.functions.listNamespaces({ region: region as never, projectId }).all();
  let facts: CopyFacts = { functionFound: false, cronFound: false };
  for (const ns of namespaces) {
    const fn = (await c.functions.listFunctions({ region: region as never, namespaceId: ns.id }).all()).find((f) => f.name === BACKUP_COPY_FUNCTION);
    if (!fn) continue;
    const crons = await c.functions.listCrons({ region: region as never, functionId: fn.id }).all();
    const secretKeys = (ns.secretEnvironmentVariables ?? []).map((v) => v.key);
    facts = {
      functionFound: true, cronFound: crons.length > 0, cronSchedule: crons[0]?.schedule,
      status: fn.status, code: codeState(fn), runtime: fn.runtime,
      buildError: fn.status === 'error' ? (fn.errorMessage ?? fn.buildMessage ?? 'no message') : undefined,
      credentials: secretKeys.includes('SCW_ACCESS_KEY') && secretKeys.includes('SCW_SECRET_KEY'),
    };
    break;
  }
  const bucket = bucketName(model.spec.organization.name, copy.project, BACKUP_COPY_BUCKET, model.spec.projects[copy.project]?.buckets?.[BACKUP_COPY_BUCKET]?.name);
  facts.target = `${bucket} (${copy.toRegion})`;
  // the DR bucket is the copy project's: S3 must be told so, or it answers for the key's preferred project
  const { s3, S3 } = await s3ClientFor(c.profile, copy.toRegion, projectId);
  try {
    try {
      const body = await (await s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: COPY_MANIFEST_KEY }))).Body?.transformToString();
      const m = JSON.parse(body ?? '') as { finishedAt?: unknown; status?: unknown; errors?: unknown };
      if (typeof m.finishedAt === 'string' && !Number.isNaN(Date.parse(m.finishedAt))) facts.newestCopyAt = m.finishedAt;
      if (m.status === 'ok' || m.status === 'partial' || m.status === 'failed') facts.lastRunStatus = m.status;
      if (Array.isArray(m.errors)) facts.lastRunErrors = m.errors.filter((e): e is string => typeof e === 'string').slice(0, 3);
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw err;
      if ((err as Error).name === 'NoSuchBucket') {
        facts.copyError = `the DR bucket ${facts.target} does not exist`;
        return facts;
      }
      // no manifest: the newest object, if anything was ever copied there
      let token: string | undefined;
      let newest = 0;
      do {
        const page = await s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const o of page.Contents ?? []) newest = Math.max(newest, o.LastModified?.getTime() ?? 0);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      if (newest > 0) facts.newestCopyAt = new Date(newest).toISOString();
    }
  } catch (err) {
    facts.copyError = `the DR bucket ${facts.target} could not be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  } finally {
    s3.destroy();
  }
  return facts;
}

/** A Velero client on the cluster, through the tool's one Kubernetes client. */
export async function veleroOf(c: ScalewayClients, region: string, clusterId: string): Promise<VeleroPort> {
  return veleroClient(await kubeConfigFor(c, region, clusterId));
}

async function safe<T extends { found?: boolean; error?: string; functionFound?: boolean }>(read: () => Promise<T>, onError?: (message: string) => T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const message = `could not be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    return onError ? onError(message) : ({ found: false, error: message } as T);
  }
}
