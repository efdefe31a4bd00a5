import type { Issue } from '../issues';
import { REGIONS, ZONES_BY_REGION } from '../schema';
import { appendToSequence, setKey } from './edits';
import { valuesOf, entriesOf, finding, isProduction, keyAt, own, valueAt, written, type ModelRule } from './rule';

const SEED_DR = 'Reference landing zone, disaster recovery: "Velero backs up each cluster to an Object Storage bucket … After a zone failure: restore the cluster with Velero and the database from its backup … After a region failure or a deleted project: recreate the resources from the file in the fallback region."';

/** Whether Velero backs up a cluster: the declared list, else (the writers' default) every cluster of an environment project. */
function veleroCovers(model: Parameters<ModelRule['check']>[0]['model'], project: string, cluster: string): boolean {
  const velero = model.spec.disasterRecovery?.velero;
  if (!velero) return false;
  if (velero.clusters) return velero.clusters.includes(`${project}/${cluster}`);
  return own(model.spec.projects, project)?.role === 'environment';
}

/** A production cluster that no Velero schedule covers has nothing to restore after a zone failure. */
const veleroBackup: ModelRule = {
  id: 'velero-backup',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Velero backs up every production cluster to Object Storage: without a backup, a zone failure or a deleted cluster loses its state.',
  fix: 'Add the cluster to disasterRecovery.velero.clusters, or add disasterRecovery.velero (a bucket with object lock and a schedule).',
  source: SEED_DR,
  check({ model, source }) {
    const out: Issue[] = [];
    const velero = model.spec.disasterRecovery?.velero;
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      if (!isProduction(pname, p)) continue;
      for (const cname of Object.keys(p.clusters ?? {})) {
        if (veleroCovers(model, pname, cname)) continue;
        const id = `${pname}/${cname}`;
        const listPath = ['disasterRecovery', 'velero', 'clusters'];
        const fix = !velero
          ? { title: 'Add disasterRecovery.velero with a bucket (objectLock: true) and a schedule that covers this cluster.' }
          : { title: `Add ${id} to velero.clusters`, edits: written(source, listPath) ? appendToSequence(source, listPath, [id]) : undefined };
        out.push(finding(veleroBackup, keyAt(source, ['projects', pname, 'clusters', cname]),
          velero
            ? `Production cluster ${id} is not in disasterRecovery.velero.clusters: Velero never backs it up, so a zone failure would lose it.`
            : `Production cluster ${id} has no Velero backup (no disasterRecovery.velero): a zone failure or a deleted cluster would lose its state.`,
          fix));
      }
    }
    return out;
  },
};

/**
 * Both failure plans, so `landing-zone restore` knows where to go when a zone or a region is lost.
 * A warning: nothing fails at apply without them (and `import` cannot read a plan from an account),
 * but `validate` still fails CI on it.
 */
const drPlan: ModelRule = {
  id: 'dr-plan',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'A landing zone with clusters or databases plans for both failures: where to restore after a zone failure, and where to recreate everything after a region failure.',
  fix: 'Add disasterRecovery with zoneFailure.fallbackZone (another zone of the primary region) and regionFailure.fallbackRegion (another region).',
  source: SEED_DR,
  check({ model, source }) {
    const hasWorkloads = valuesOf(model.spec.projects).some((p) => Object.keys(p.clusters ?? {}).length > 0 || Object.keys(p.databases ?? {}).length > 0);
    if (!hasWorkloads) return [];
    const { region, zone } = model.spec.defaults;
    const dr = model.spec.disasterRecovery;
    const otherZone = ZONES_BY_REGION[region].find((z) => z !== zone);
    const copyTo = dr?.backupCopy?.toRegion;
    const otherRegion = copyTo && copyTo !== region ? copyTo : REGIONS.find((r) => r !== region)!;
    const zonePlan = otherZone ? `zoneFailure: { fallbackZone: ${otherZone} }` : undefined;
    const regionPlan = `regionFailure: { fallbackRegion: ${otherRegion} }`;
    if (!dr) {
      const plans = [zonePlan, regionPlan].filter(Boolean).join(', ');
      return [finding(drPlan, keyAt(source, ['projects']),
        'The landing zone has clusters or databases but no disasterRecovery plan: nothing says where to restore after a zone failure or a region failure.',
        { title: 'Add a disasterRecovery plan for zone and region failures', edits: setKey(source, [], 'disasterRecovery', `{ ${plans} }`) })];
    }
    const out: Issue[] = [];
    const at = keyAt(source, ['disasterRecovery']);
    // a region with a single zone (it-mil) has no zone to fall back to: the region plan covers it
    if (!dr.zoneFailure && zonePlan) {
      out.push(finding(drPlan, at, `disasterRecovery has no zoneFailure plan: after the loss of ${zone} nothing says where clusters and databases are restored.`,
        { title: `Add zoneFailure with fallbackZone ${otherZone}`, edits: setKey(source, ['disasterRecovery'], 'zoneFailure', `{ fallbackZone: ${otherZone} }`) }));
    }
    if (!dr.regionFailure) {
      out.push(finding(drPlan, at, `disasterRecovery has no regionFailure plan: after the loss of ${region} nothing says where the landing zone is recreated.`,
        { title: `Add regionFailure with fallbackRegion ${otherRegion}`, edits: setKey(source, ['disasterRecovery'], 'regionFailure', `{ fallbackRegion: ${otherRegion} }`) }));
    }
    return out;
  },
};

/** Velero's bucket is write-once, so a compromised cluster (or a mistaken `velero delete`) cannot erase its own backups. */
const veleroBucketLock: ModelRule = {
  id: 'velero-bucket-lock',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'The Velero bucket has object lock (and versioning), so backups cannot be deleted or overwritten by whoever controls the cluster.',
  fix: 'Set objectLock: true and versioning: true on the bucket that disasterRecovery.velero.bucket names.',
  source: `${SEED_DR} The reference file's Velero bucket: { versioning: true, objectLock: true }.`,
  check({ model, source }) {
    const ref = model.spec.disasterRecovery?.velero?.bucket;
    if (!ref) return [];
    const [pname, bname] = ref.split('/') as [string, string];
    const bucket = own(own(model.spec.projects, pname)?.buckets, bname);
    if (!bucket || bucket.objectLock) return [];
    const bpath = ['projects', pname, 'buckets', bname];
    const edits = [...(setKey(source, bpath, 'objectLock', 'true') ?? [])];
    if (!bucket.versioning) edits.push(...(setKey(source, bpath, 'versioning', 'true') ?? []));
    const at = written(source, [...bpath, 'objectLock']) ? valueAt(source, [...bpath, 'objectLock']) : keyAt(source, bpath);
    return [finding(veleroBucketLock, at,
      `Bucket ${ref} holds the Velero backups but has no object lock: whoever controls a cluster could delete its own backups.`,
      { title: bucket.versioning ? 'Set objectLock: true' : 'Set objectLock: true and versioning: true', edits: edits.length ? edits : undefined })];
  },
};

export const drCoverageRules: ModelRule[] = [veleroBackup, drPlan, veleroBucketLock];
