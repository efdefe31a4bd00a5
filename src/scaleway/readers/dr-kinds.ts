import { lzIdOf } from '../../core/desired';
import type { ResourceKind } from '../../core/model';
import type { Region } from '../../core/schema';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import { readBackupCopies } from './functions';
import { readBuckets } from './object-storage';
import { kubeSource } from '../kube-client';
import { readVeleroInstalls } from './velero-install';
import { readVeleroSchedules, type Cluster } from './velero-schedules';

/*
 * The readers of the disaster-recovery kinds (buckets, the backup-copy function, Velero
 * schedules), hooked into the inventory with its `push` and `guard`: a failure marks the kind
 * not checked in that region only.
 */

export interface DrReadHooks {
  push(r: { live: LiveResource }): void;
  guard(kinds: ResourceKind[], fn: () => Promise<void>, region?: string, project?: { project: string; projectId: string }): Promise<void>;
  /** Resolves once the project list is read (Scaleway project id → name). */
  projectNames: Promise<ReadonlyMap<string, string>>;
  /** The region's clusters, listed once for the cluster reader and this one. */
  clustersIn(region: Region): Promise<Cluster[]>;
}

export async function readDrKinds(c: ScalewayClients, organizationId: string, regions: readonly Region[], hooks: DrReadHooks): Promise<void> {
  const emit = (list: LiveResource[]) => {
    for (const live of list) hooks.push({ live: { ...live, lzId: live.lzId ?? lzIdOf(live.tags) } });
  };
  // one kubeconfig per cluster for both Velero readers
  const kube = kubeSource(c);
  await Promise.all(regions.flatMap((region) => [
    // S3 lists one project's buckets per request (the one named after the access key): one list per project
    hooks.guard(['bucket'], async () => {
      await Promise.all([...(await hooks.projectNames)].map(([projectId, project]) =>
        hooks.guard(['bucket'], async () => emit(await readBuckets(c, region, projectId, project)), region, { project, projectId })));
    }, region),
    hooks.guard(['backup-copy'], async () => emit(await readBackupCopies(c, region, organizationId)), region),
    hooks.guard(['velero-schedule'], async () => emit(await readVeleroSchedules(c, region, await hooks.clustersIn(region), kube)), region),
    hooks.guard(['velero-install'], async () => emit(await readVeleroInstalls(c, region, await hooks.clustersIn(region), kube)), region),
  ]));
}
