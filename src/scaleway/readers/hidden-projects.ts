import { covers } from '../../core/drift';
import type { ResourceKind } from '../../core/model';
import type { Region } from '../../core/schema';
import type { DesiredResource, LiveResource, NotChecked } from '../../core/state';
import type { ScalewayClients } from '../client';
import { READ_PERMISSIONS } from '../read-permissions';

/*
 * A key whose rules grant a product on some projects only reads, in an organisation-wide list,
 * the resources of those projects: Scaleway filters the list and answers 200. What is declared in
 * the other projects would then read as "missing" (and plan would create it a second time). So
 * where a project shows nothing of a product that the file declares there, one list filtered on
 * that project tells the two apart: Scaleway answers 403 for a project the key may not read, and
 * that product is then "not checked" in that project, never "missing".
 */

type Probe = (c: ScalewayClients, region: Region, zone: string, projectId: string) => Promise<unknown>;

/** One list of one item, filtered on the project, per permission set (the narrowest one each reader needs). */
const PROBES: Record<string, Probe> = {
  PrivateNetworksReadOnly: (c, region, _zone, projectId) => c.vpc.listPrivateNetworks({ region, projectId, pageSize: 1 }),
  VPCGatewayReadOnly: (c, _region, zone, projectId) => c.vpcgw.listGateways({ zone: zone as never, projectId, pageSize: 1 }),
  KubernetesReadOnly: (c, region, _zone, projectId) => c.k8s.listClusters({ region, projectId, pageSize: 1 }),
  LoadBalancersReadOnly: (c, _region, zone, projectId) => c.lb.listLbs({ zone: zone as never, projectId, pageSize: 1 }),
  RelationalDatabasesReadOnly: (c, region, _zone, projectId) => c.rdb.listInstances({ region, projectId, pageSize: 1 }),
  KeyManagerReadOnly: (c, region, _zone, projectId) => c.keys.listKeys({ region, projectId, pageSize: 1, scheduledForDeletion: false }),
  SecretManagerReadOnly: (c, region, _zone, projectId) => c.secret.listSecrets({ region, projectId, pageSize: 1, scheduledForDeletion: false }),
  FunctionsReadOnly: (c, region, _zone, projectId) => c.functions.listNamespaces({ region, projectId, pageSize: 1 }),
};

/** The permission set a kind's reader needs, when it is granted per project and can be probed. */
const setOf = (kind: ResourceKind): string | undefined => {
  const p = READ_PERMISSIONS[kind];
  return p?.scope === 'projects' && PROBES[p.sets[0]!] ? p.sets[0] : undefined;
};

export interface HiddenProjectsInput {
  clients: ScalewayClients;
  /** What was read: a project that shows a resource of a product is readable for that product. */
  live: readonly LiveResource[];
  /** Scaleway project id → name, from the organisation-wide project list. */
  projectNames: ReadonlyMap<string, string>;
  notChecked: readonly NotChecked[];
  /** Resources the file declares (`every-project` mode: every project and product is probed instead). */
  declared?: readonly DesiredResource[];
  /** `import`: probe each project for each product it shows nothing of, declared or not. */
  everyProject?: { regions: readonly Region[] };
  /** Turns a failed probe into "not checked" entries (the inventory's own wording and permissions). */
  unread(kinds: ResourceKind[], err: unknown, where: { region: string; project: string; projectId: string }): void;
}

/** Probes each (product, project) pair that the file declares something in and that shows nothing; returns how many. */
export async function probeHiddenProjects(input: HiddenProjectsInput): Promise<number> {
  const seen = new Set<string>();
  for (const l of input.live) {
    const set = setOf(l.kind);
    if (set) seen.add(`${set}|${l.projectId}`);
  }
  const idOf = new Map([...input.projectNames].map(([id, name]) => [name, id]));
  const wanted = new Map<string, { set: string; projectId: string; project: string; region: Region; zone: string }>();
  const want = (set: string, projectId: string, region: Region, zone?: string) => {
    const key = `${set}|${projectId}`;
    if (seen.has(key) || wanted.has(key)) return;
    wanted.set(key, { set, projectId, project: input.projectNames.get(projectId)!, region, zone: zone ?? `${region}-1` });
  };
  for (const d of input.declared ?? []) {
    const set = setOf(d.kind);
    const projectId = idOf.get(d.project);
    // a project that does not exist is missing with all it holds: the project list is organisation-wide
    if (!set || !projectId) continue;
    // already not checked (the whole kind, or this region)
    if (input.notChecked.some((n) => covers(n, d))) continue;
    want(set, projectId, d.region as Region, d.zone);
  }
  if (input.everyProject) {
    // a product whose organisation-wide list already failed is reported as such: no probe adds to that
    const failed = new Set(input.notChecked.filter((n) => n.project === undefined && n.cause !== 'depends').map((n) => setOf(n.kind)));
    for (const projectId of input.projectNames.keys()) {
      for (const set of Object.keys(PROBES)) if (!failed.has(set)) want(set, projectId, input.everyProject.regions[0] ?? 'fr-par');
    }
  }
  const kindsOf = (set: string) => (Object.keys(READ_PERMISSIONS) as ResourceKind[]).filter((k) => setOf(k) === set);
  await Promise.all([...wanted.values()].map(async (w) => {
    try {
      await PROBES[w.set]!(input.clients, w.region, w.zone, w.projectId);
    } catch (err) {
      input.unread(kindsOf(w.set), err, { region: w.region, project: w.project, projectId: w.projectId });
    }
  }));
  return wanted.size;
}
