import type { LandingZoneModel } from '../model';
import { veleroClusters, type Topology, type TopologyNode, type TopologyNodeKind } from '../topology';
import type { FailureImpact, FailureScenario, FailureSimulation } from './types';

/*
 * Failure simulation: which boxes a zone or region failure takes away, and how the DR plan in the
 * file brings each back (DESIGN.md, disaster recovery):
 * - zone: zoned resources go; the gateway, its IP and the load balancer are recreated from the
 *   file in the fallback zone, the cluster comes back by Velero and the database from its
 *   automatic backup (or fails over when it is HA);
 * - region: everything in it goes; infrastructure is recreated in the fallback region, and data
 *   comes back only from a copy outside the region (Velero bucket copy, cross-region database
 *   backups, secret replicas). Key Manager keys cannot leave their region.
 */

const ZONED: ReadonlySet<TopologyNodeKind> = new Set(['public-gateway', 'gateway-ip', 'load-balancer', 'cluster', 'database', 'sso']);

/** Zones and regions that the landing zone uses, for the simulation picker. */
export function failureChoices(model: LandingZoneModel): { zones: string[]; regions: string[] } {
  const zones = new Set<string>();
  const regions = new Set<string>();
  for (const p of Object.values(model.placement)) { zones.add(p.zone); regions.add(p.region); }
  return { zones: [...zones].sort(), regions: [...regions].sort() };
}

export function simulateFailure(model: LandingZoneModel, topology: Topology, scenario: FailureScenario): FailureSimulation {
  const impacts: Record<string, FailureImpact> = {};
  const dr = model.spec.disasterRecovery;
  const velero = new Set(veleroClusters(model).map((c) => `${c.project}/cluster/${c.name}`));
  const veleroBucket = dr?.velero?.bucket.split('/');
  const veleroBucketId = veleroBucket?.length === 2 ? `${veleroBucket[0]}/bucket/${veleroBucket[1]}` : undefined;
  const bucketNode = topology.nodes.find((n) => n.id === veleroBucketId);
  const copyRegion = dr?.backupCopy?.toRegion;

  if (scenario.kind === 'zone') {
    const fallback = dr?.zoneFailure?.fallbackZone;
    const lostNodes = topology.nodes.filter((n) => ZONED.has(n.kind) && n.zone === scenario.zone);
    for (const n of lostNodes) impacts[n.id] = zoneImpact(n, model, fallback, velero.has(n.id), Boolean(bucketNode));
    return finish(scenario, impacts, fallback);
  }

  const fallback = dr?.regionFailure?.fallbackRegion;
  const failed = scenario.region;
  const copyOutside = Boolean(copyRegion && copyRegion !== failed) || Boolean(bucketNode && bucketNode.region !== failed);
  for (const n of topology.nodes) {
    if (n.region !== failed) continue;
    impacts[n.id] = regionImpact(n, model, failed, fallback, { velero: velero.has(n.id) && Boolean(bucketNode), copyOutside, copyRegion, isVeleroBucket: n.id === veleroBucketId });
  }
  return finish(scenario, impacts, fallback);
}

function zoneImpact(n: TopologyNode, model: LandingZoneModel, fallback: string | undefined, veleroCovers: boolean, bucketExists: boolean): FailureImpact {
  const noPlan: FailureImpact = { status: 'unrecoverable', note: 'the DR plan names no fallback zone (disasterRecovery.zoneFailure)', short: 'no fallback zone' };
  switch (n.kind) {
    case 'database': {
      const db = model.spec.projects[n.project ?? '']?.databases?.[n.label];
      if (db?.ha) return { status: 'failover', note: 'the HA standby in another zone takes over', short: 'HA standby takes over' };
      if (!fallback) return noPlan;
      return { status: 'restored', note: 'restore from the automatic backup, then update the endpoint consumers use', short: `backup → ${fallback}`, restoreTo: fallback };
    }
    case 'cluster':
      if (!veleroCovers || !bucketExists) return { status: 'unrecoverable', note: 'no Velero backup covers this cluster: workloads and volumes are lost', short: 'no recovery path' };
      if (!fallback) return noPlan;
      return { status: 'restored', note: 'recreate from the file, then restore with Velero', short: `Velero → ${fallback}`, restoreTo: fallback };
    case 'gateway-ip':
      if (!fallback) return noPlan;
      return { status: 'lost', note: 'a new reserved IP; the load balancers\' ACLs are updated from the file', short: `new IP in ${fallback}`, restoreTo: fallback };
    default:
      if (!fallback) return noPlan;
      return { status: 'lost', note: 'recreated from the file', short: `recreate in ${fallback}`, restoreTo: fallback };
  }
}

interface RegionFacts {
  velero: boolean;
  copyOutside: boolean;
  copyRegion?: string;
  isVeleroBucket: boolean;
}

function regionImpact(n: TopologyNode, model: LandingZoneModel, failed: string, fallback: string | undefined, f: RegionFacts): FailureImpact {
  if (!fallback) return { status: 'unrecoverable', note: 'the DR plan names no fallback region (disasterRecovery.regionFailure)', short: 'no fallback region' };
  const project = model.spec.projects[n.project ?? ''];
  switch (n.kind) {
    case 'cluster':
      if (!f.velero) return { status: 'unrecoverable', note: 'no Velero backup covers this cluster: workloads and volumes are lost', short: 'no recovery path' };
      if (!f.copyOutside) return { status: 'unrecoverable', note: `its Velero backups never leave ${failed}`, short: 'no recovery path' };
      return { status: 'restored', note: `recreate from the file, then Velero restore from the copy in ${f.copyRegion ?? 'another region'}`, short: `Velero → ${fallback}`, restoreTo: fallback };
    case 'database': {
      const db = project?.databases?.[n.label];
      if (db && !db.backups.sameRegion) return { status: 'restored', note: 'restore from the cross-region backup, then update the endpoint', short: `backup → ${fallback}`, restoreTo: fallback };
      return { status: 'unrecoverable', note: `its backups stay in ${failed} (backups.sameRegion)`, short: 'no recovery path' };
    }
    case 'bucket':
      if (f.isVeleroBucket && f.copyOutside) return { status: 'restored', note: `recreated; the backups survive as copies in ${f.copyRegion ?? 'another region'}`, short: `copies → ${fallback}`, restoreTo: fallback };
      return { status: 'unrecoverable', note: `no copy of its objects outside ${failed}`, short: 'no recovery path' };
    case 'secret': {
      const secret = project?.secrets?.[n.label];
      const replica = secret?.replication?.regions.find((r) => r !== failed);
      if (replica) return { status: 'restored', note: `recreated from its replica in ${replica}`, short: `replica → ${fallback}`, restoreTo: fallback };
      return { status: 'unrecoverable', note: `no replica outside ${failed}: the value must be issued again`, short: 'no recovery path' };
    }
    case 'key':
      return { status: 'unrecoverable', note: `Key Manager keys never leave ${failed}: data encrypted with it cannot be decrypted`, short: 'no recovery path' };
    case 'dr-site':
      return { status: 'unrecoverable', note: 'the backup copies were in the failed region', short: 'no recovery path' };
    default:
      return { status: 'lost', note: 'recreated from the file', short: `recreate in ${fallback}`, restoreTo: fallback };
  }
}

function finish(scenario: FailureScenario, impacts: Record<string, FailureImpact>, fallback: string | undefined): FailureSimulation {
  const summary = { lost: 0, restored: 0, failover: 0, unrecoverable: 0 };
  for (const i of Object.values(impacts)) summary[i.status]++;
  return { scenario, impacts, summary, ...(fallback ? { fallback } : {}) };
}
