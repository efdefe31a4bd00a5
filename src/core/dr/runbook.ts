import { BACKUP_COPY_BUCKET } from '../desired';
import type { LandingZoneModel } from '../model';
import { bucketName, REGIONS, ZONES_BY_REGION, type ClusterSpec, type DatabaseSpec, type Region } from '../schema';
import { veleroClusters } from './readiness';

/*
 * The restore runbooks as explicit steps. The same definition drives the dry run (which prints
 * each step and the API calls it would make), the journal (one entry per step) and the executor
 * in src/scaleway/operations/restore.ts.
 *
 * Zone failure: the project's region still answers. Databases get a replacement instance
 * (Managed Databases are regional; the fallback zone is recorded in its tags), restored from the
 * latest good backup; a cluster whose control plane is still ready is reused, else replaced.
 * Region failure (or a deleted project): everything is recreated in the fallback region from the
 * file, then restored from the backups stored there.
 * Either way the failed resources are only read, never written.
 */

export type RestoreKind = 'zone' | 'region';

export interface RunbookStep {
  id: string;
  title: string;
  /** What the step calls, as `METHOD path` (for the dry run). */
  calls: string[];
}

export interface RestorePlan {
  kind: RestoreKind;
  project: string;
  sourceRegion: Region;
  sourceZone: string;
  targetRegion: Region;
  targetZone: string;
  databases: { name: string; spec: DatabaseSpec }[];
  clusters: { name: string; spec: ClusterSpec; velero: boolean }[];
  /**
   * The bucket a replacement cluster's Velero must read to see the backups: the Velero bucket
   * for a zone restore (buckets are regional), the DR copy in the target region for a region
   * restore (Velero's objects under the `velero` prefix). Absent: no copy in the target region.
   */
  veleroSource?: VeleroSource;
  steps: RunbookStep[];
}

export interface VeleroSource {
  bucket: string;
  region: Region;
  /** The landing-zone project that owns the bucket: Velero's key must be granted Object Storage there and name it (`SCW…@<project id>`). */
  project: string;
  prefix?: string;
}

/** Where the backup-copy function puts Velero's objects in the DR bucket (functions/backup-copy/copy.ts). */
export const DR_COPY_VELERO_PREFIX = 'velero';

export function describeVeleroSource(s: VeleroSource): string {
  return `${s.bucket} (${s.region}, project ${s.project}${s.prefix ? `, prefix ${s.prefix}/` : ''})`;
}

function veleroSourceOf(model: LandingZoneModel, kind: RestoreKind, targetRegion: Region): VeleroSource | undefined {
  const spec = model.spec;
  const dr = spec.disasterRecovery;
  if (kind === 'zone') {
    const [bp, bn] = (dr?.velero?.bucket ?? '').split('/');
    if (!bp || !bn) return undefined;
    return { bucket: bucketName(spec.organization.name, bp, bn, spec.projects[bp]?.buckets?.[bn]?.name), region: model.placement[bp]?.region ?? spec.defaults.region, project: bp };
  }
  const copy = dr?.backupCopy;
  if (!copy || copy.toRegion !== targetRegion) return undefined;
  return {
    bucket: bucketName(spec.organization.name, copy.project, BACKUP_COPY_BUCKET, spec.projects[copy.project]?.buckets?.[BACKUP_COPY_BUCKET]?.name),
    region: targetRegion, project: copy.project, prefix: DR_COPY_VELERO_PREFIX,
  };
}

export type PlanResult = { ok: true; plan: RestorePlan } | { ok: false; problem: string };

export interface RestoreOptions {
  /** Zone restore: the failed zone (default: the project's zone). */
  fromZone?: string;
  /** Region restore: where to (default: regionFailure.fallbackRegion). */
  toRegion?: string;
}

export function restorePlan(model: LandingZoneModel, kind: RestoreKind, project: string, options: RestoreOptions = {}): PlanResult {
  const p = model.spec.projects[project];
  if (!p) return { ok: false, problem: `project "${project}" is not in the file (projects: ${Object.keys(model.spec.projects).join(', ')})` };
  const placement = model.placement[project]!;
  const dr = model.spec.disasterRecovery;
  let sourceZone = placement.zone;
  let targetRegion: Region = placement.region;
  let targetZone: string;
  if (kind === 'zone') {
    if (options.fromZone) {
      if (!(ZONES_BY_REGION[placement.region] ?? []).includes(options.fromZone)) {
        return { ok: false, problem: `--from-zone ${options.fromZone} is not a zone of ${project}'s region ${placement.region}` };
      }
      sourceZone = options.fromZone;
    }
    const fallback = dr?.zoneFailure?.fallbackZone;
    if (!fallback) return { ok: false, problem: 'disasterRecovery.zoneFailure.fallbackZone is not declared; add it to the file (e.g. fallbackZone: fr-par-2)' };
    if (fallback === sourceZone) return { ok: false, problem: `the fallback zone ${fallback} is the failed zone; change disasterRecovery.zoneFailure.fallbackZone` };
    if (!(ZONES_BY_REGION[placement.region] ?? []).includes(fallback)) {
      return { ok: false, problem: `the fallback zone ${fallback} is not in ${project}'s region ${placement.region}; a zone restore stays in the region (use restore region)` };
    }
    targetZone = fallback;
  } else {
    const to = options.toRegion ?? dr?.regionFailure?.fallbackRegion;
    if (!to) return { ok: false, problem: 'no target region: pass --to-region or declare disasterRecovery.regionFailure.fallbackRegion' };
    if (!(REGIONS as readonly string[]).includes(to)) return { ok: false, problem: `--to-region ${to} is not a Scaleway region (${REGIONS.join(', ')})` };
    if (to === placement.region) return { ok: false, problem: `the target region ${to} is ${project}'s own region; pick another with --to-region` };
    targetRegion = to as Region;
    targetZone = ZONES_BY_REGION[targetRegion][0]!;
  }
  const backedUp = new Set(veleroClusters(model));
  const databases = Object.entries(p.databases ?? {}).map(([name, spec]) => ({ name, spec }));
  const clusters = Object.entries(p.clusters ?? {}).map(([name, spec]) => ({ name, spec, velero: backedUp.has(`${project}/${name}`) }));
  if (databases.length === 0 && clusters.length === 0) return { ok: false, problem: `project ${project} declares no database and no cluster: nothing to restore` };

  const r = targetRegion;
  const src = placement.region;
  const veleroSource = clusters.some((c) => c.velero) ? veleroSourceOf(model, kind, r) : undefined;
  const steps: RunbookStep[] = [];
  if (kind === 'region') {
    steps.push({
      id: 'network', title: `Ensure the private network of ${project} in ${r}`,
      calls: [`GET /account/v3/projects?name=${project}`, `GET /vpc/v2/regions/${r}/private-networks?project_id=…`, `POST /vpc/v2/regions/${r}/private-networks`],
    });
  }
  for (const { name, spec } of databases) {
    steps.push({
      id: `db-${name}-instance`,
      title: `Create the replacement database ${project}/${name} in ${kind === 'zone' ? targetZone : r} (${spec.engine}, ${spec.nodeType}, private network)`,
      calls: [`GET /rdb/v1/regions/${src}/instances?name=…`, `GET /rdb/v1/regions/${r}/instances?tags=lz-run=…`, `POST /rdb/v1/regions/${r}/instances`, `GET /rdb/v1/regions/${r}/instances/{new}`],
    });
    steps.push({
      id: `db-${name}-restore`,
      title: `Restore the latest good backup of ${project}/${name} into it`,
      // a region restore restores only from a copy in the fallback region: never from (or into) the failed one
      calls: [`GET /rdb/v1/regions/${r}/backups?instance_id=…`, `POST /rdb/v1/regions/${r}/backups/{backup}/restore`, `GET /rdb/v1/regions/${r}/instances/{new}`],
    });
  }
  for (const { name, velero } of clusters) {
    steps.push({
      id: `cluster-${name}`,
      title: kind === 'zone' ? `Reuse the cluster ${project}/${name} if its control plane is ready, else replace it` : `Recreate the cluster ${project}/${name} in ${r}`,
      calls: kind === 'zone'
        ? [`GET /k8s/v1/regions/${r}/clusters?name=…`, `POST /k8s/v1/regions/${r}/clusters (only if the cluster is not ready)`]
        : [`GET /k8s/v1/regions/${r}/clusters?tags=lz-run=…`, `POST /k8s/v1/regions/${r}/clusters`, `GET /k8s/v1/regions/${r}/clusters/{new}`],
    });
    if (velero) {
      steps.push({
        id: `velero-${name}`,
        title: `Restore ${project}/${name} with Velero from the latest completed backup ${veleroSource ? `in ${describeVeleroSource(veleroSource)}` : `(no backup copy in ${r}: only what the cluster's Velero already reads)`} and follow it to the end`,
        calls: [`GET /k8s/v1/regions/${r}/clusters/{cluster}/kubeconfig`, 'GET /apis/velero.io/v1/namespaces/velero/backups', 'POST /apis/velero.io/v1/namespaces/velero/restores', 'GET /apis/velero.io/v1/namespaces/velero/restores/{restore} (until it ends)'],
      });
    }
  }
  for (const { name, spec } of databases) {
    if (!spec.endpointSecret) continue;
    const [sp] = spec.endpointSecret.split('/');
    // a region restore publishes to the secret's replica in the fallback region, never into the failed region
    const secretRegion = kind === 'region' ? r : model.placement[sp!]?.region ?? src;
    steps.push({
      id: `endpoint-${name}`,
      title: `Publish the new host and port of ${project}/${name} as a new version of ${spec.endpointSecret}`,
      calls: [`GET /secret-manager/v1beta1/regions/${secretRegion}/secrets?name=…`, `GET /secret-manager/v1beta1/regions/${secretRegion}/secrets/{secret}/versions`, `POST /secret-manager/v1beta1/regions/${secretRegion}/secrets/{secret}/versions`],
    });
  }
  steps.push({
    id: 'repoint-file',
    title: kind === 'zone' ? `Re-point landing-zone.yaml: ${project} zone ${targetZone}, endpoint secret versions` : `Re-point landing-zone.yaml: ${project} region ${r}, zone ${targetZone}, endpoint secret versions`,
    calls: ['(local file edit, no API call)'],
  });
  return {
    ok: true,
    plan: { kind, project, sourceRegion: src, sourceZone, targetRegion, targetZone, databases, clusters, ...(veleroSource ? { veleroSource } : {}), steps },
  };
}
