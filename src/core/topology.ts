import type { DocPath } from './document';
import { resourceId, type LandingZoneModel, type ResourceKind } from './model';
import type { ProjectRole } from './schema';

/*
 * The topology graph: what the diagram draws, as plain data. Node ids are the resource ids that
 * drift, plan and tags use (`<project>/<kind>/<name>`, src/core/desired.ts), so an overlay keyed
 * by resource id lands on the right box. Names follow the defaults that Scaleway resources get
 * when the file does not name them (`<project>-pn`, `<project>-gw`…), like the desired state;
 * IAM applications live in the pseudo-project `iam`.
 */

/** Diagram layers that the webview can toggle. */
export type TopologyLayer = 'network' | 'iam' | 'dr';

/** What a node stands for: a resource kind, or the off-site copy of backups in another region. */
export type TopologyNodeKind = Exclude<ResourceKind, 'project' | 'pool' | 'lb-ip' | 'lb-backend' | 'lb-frontend' | 'lb-certificate' | 'lb-acl' | 'key-replica' | 'secret-replica' | 'gateway-network' | 'api-key' | 'policy' | 'velero-install' | 'velero-schedule'> | 'dr-site';

/** A box inside a group. */
export interface TopologyNode {
  /** Stable id: the resource id, e.g. `prod/cluster/apps`. */
  id: string;
  kind: TopologyNodeKind;
  /** Id of the group that holds it (`prod/project`, `iam`, `dr/nl-ams`). */
  group: string;
  /** The landing-zone project that owns the resource (undefined for IAM applications and DR sites). */
  project?: string;
  /** The map key or Scaleway name, shown as the first line. */
  label: string;
  /** A short second line: type, version, subnet… */
  detail?: string;
  layer: TopologyLayer;
  /** YAML path of the node's definition; validation findings and "reveal" use it. */
  path: DocPath;
  region?: string;
  zone?: string;
}

/** What a group stands for: a project, the organisation's IAM, or a DR site in another region. */
export type TopologyGroupKind = 'project' | 'iam' | 'dr-site';

/** A container box: one project (or the IAM / DR pseudo-groups). */
export interface TopologyGroup {
  /** `prod/project` for a project, `iam` for IAM applications, `dr/<region>` for a DR site. */
  id: string;
  kind: TopologyGroupKind;
  label: string;
  role?: ProjectRole;
  /** Hubs (security and devops roles) are pinned in the left column. */
  hub: boolean;
  region?: string;
  zone?: string;
  path: DocPath;
}

/** Why two nodes are joined. */
export type TopologyEdgeKind =
  | 'attachment' // gateway on the private network, IP on the gateway, workload on the network
  | 'exposes' // load balancer in front of a cluster
  | 'acl' // hub gateway IP admitted by a load balancer's frontend ACL
  | 'key-use' // a workload or a secret uses a Key Manager key
  | 'stored-in' // an application's API key lives in a vault secret
  | 'endpoint' // a database publishes host and port in a secret
  | 'backup' // Velero cluster backup to its bucket, database backups to another region
  | 'copy'; // the scheduled function copies backups to another region

/** A directed edge between two nodes (possibly in different groups). */
export interface TopologyEdge {
  /** Stable id: `<kind>:<source>-><target>`. */
  id: string;
  kind: TopologyEdgeKind;
  source: string;
  target: string;
  layer: TopologyLayer;
  label?: string;
}

/** The whole graph, groups in display order (hubs first, then spokes, then pseudo-groups). */
export interface Topology {
  groups: TopologyGroup[];
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Hub project names. */
  hubs: string[];
}

/** Group id of a project. */
const projectGroupId = (project: string): string => resourceId(project, 'project');
/** Group id of the organisation's IAM applications. */
const IAM_GROUP_ID = 'iam';
/** Group id of the off-site backup copies in a region. */
const drSiteGroupId = (region: string): string => `dr/${region}`;
/** Node id of the off-site backup copies in a region. */
const drSiteId = (region: string): string => `dr/${region}/backups`;

/** Builds the topology graph of a resolved model. Pure and deterministic (file order). */
export function buildTopology(model: LandingZoneModel): Topology {
  const { spec } = model;
  const groups: TopologyGroup[] = [];
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const nodeIds = new Set<string>();
  const addNode = (n: TopologyNode) => {
    if (nodeIds.has(n.id)) return; // names are unique per kind and project; the validator reports duplicates
    nodeIds.add(n.id);
    nodes.push(n);
  };
  const edgeIds = new Set<string>();
  const addEdge = (kind: TopologyEdgeKind, source: string | undefined, target: string | undefined, layer: TopologyLayer, label?: string) => {
    // a reference that does not resolve is the validator's finding; the diagram just omits the edge
    if (!source || !target || !nodeIds.has(source) || !nodeIds.has(target)) return;
    const id = `${kind}:${source}->${target}`;
    if (edgeIds.has(id)) return;
    edgeIds.add(id);
    edges.push({ id, kind, source, target, layer, ...(label ? { label } : {}) });
  };

  const hubs = model.hubs;
  const ordered = [
    ...Object.keys(spec.projects).filter((p) => hubs.includes(p)),
    ...Object.keys(spec.projects).filter((p) => !hubs.includes(p)),
  ];
  const gatewayIpOf = new Map<string, string>();
  const pnOf = new Map<string, string>();
  const keyId = (ref: string) => { const [p, k] = ref.split('/'); return p && k ? resourceId(p, 'key', k) : undefined; };
  const secretId = (ref: string) => { const [p, s] = ref.split('/'); return p && s ? resourceId(p, 'secret', s) : undefined; };

  // Nodes first, so that cross-project edges can check that both ends exist.
  for (const p of ordered) {
    const project = spec.projects[p]!;
    const { region, zone } = model.placement[p] ?? { region: spec.defaults.region, zone: spec.defaults.zone };
    const group = projectGroupId(p);
    const ppath = ['projects', p];
    groups.push({ id: group, kind: 'project', label: p, role: project.role, hub: hubs.includes(p), region, zone, path: ppath });
    const net = project.network;
    if (net) {
      const pn = resourceId(p, 'private-network', net.privateNetwork.name ?? `${p}-pn`);
      pnOf.set(p, pn);
      addNode({ id: pn, kind: 'private-network', group, project: p, label: net.privateNetwork.name ?? `${p}-pn`, detail: net.privateNetwork.subnet, layer: 'network', path: [...ppath, 'network', 'privateNetwork'], region });
      const gwName = net.publicGateway.name ?? `${p}-gw`;
      const gw = resourceId(p, 'public-gateway', gwName);
      const bastion = net.publicGateway.bastion ? ` · SSH :${net.publicGateway.bastion.port}` : '';
      addNode({ id: gw, kind: 'public-gateway', group, project: p, label: gwName, detail: `${net.publicGateway.type}${bastion}`, layer: 'network', path: [...ppath, 'network', 'publicGateway'], region, zone });
      if (net.publicGateway.reservedIp) {
        const ip = resourceId(p, 'gateway-ip', `${gwName}-ip`);
        gatewayIpOf.set(p, ip);
        addNode({ id: ip, kind: 'gateway-ip', group, project: p, label: `${gwName}-ip`, detail: 'reserved IP', layer: 'network', path: [...ppath, 'network', 'publicGateway', 'reservedIp'], region, zone });
      }
    }
    if (project.sso) {
      addNode({ id: resourceId(p, 'sso', 'keycloak'), kind: 'sso', group, project: p, label: 'keycloak', detail: project.sso.keycloak.protocols.join(' · '), layer: 'iam', path: [...ppath, 'sso'], region, zone });
    }
    for (const [name, cluster] of Object.entries(project.clusters ?? {})) {
      const cpath = [...ppath, 'clusters', name];
      const nodesCount = Object.values(cluster.pools).reduce((n, pool) => n + pool.size, 0);
      addNode({ id: resourceId(p, 'cluster', name), kind: 'cluster', group, project: p, label: name, detail: `Kapsule ${cluster.version} · ${nodesCount} nodes`, layer: 'network', path: cpath, region, zone });
      if (cluster.loadBalancer) {
        addNode({ id: resourceId(p, 'load-balancer', `${name}-lb`), kind: 'load-balancer', group, project: p, label: `${name}-lb`, detail: `${cluster.loadBalancer.type}${cluster.loadBalancer.https ? ' · HTTPS' : ''}`, layer: 'network', path: [...cpath, 'loadBalancer'], region, zone });
      }
    }
    for (const [name, db] of Object.entries(project.databases ?? {})) {
      addNode({ id: resourceId(p, 'database', name), kind: 'database', group, project: p, label: name, detail: `${db.engine}${db.ha ? ' · HA' : ''}`, layer: 'network', path: [...ppath, 'databases', name], region, zone });
    }
    for (const [name, bucket] of Object.entries(project.buckets ?? {})) {
      const flags = [bucket.versioning ? 'versioned' : '', bucket.objectLock ? 'locked' : ''].filter(Boolean).join(' · ');
      addNode({ id: resourceId(p, 'bucket', name), kind: 'bucket', group, project: p, label: name, detail: flags || 'bucket', layer: 'network', path: [...ppath, 'buckets', name], region: bucket.region ?? region });
    }
    for (const [name, key] of Object.entries(project.keys ?? {})) {
      addNode({ id: resourceId(p, 'key', name), kind: 'key', group, project: p, label: name, detail: `rotates ${key.rotationPeriod}`, layer: 'iam', path: [...ppath, 'keys', name], region });
    }
    for (const [name, secret] of Object.entries(project.secrets ?? {})) {
      addNode({ id: resourceId(p, 'secret', name), kind: 'secret', group, project: p, label: name, detail: `${secret.path} · v${secret.version}`, layer: 'iam', path: [...ppath, 'secrets', name], region });
    }
  }

  const dr = spec.disasterRecovery;
  if (dr?.backupCopy && spec.projects[dr.backupCopy.project]) {
    const p = dr.backupCopy.project;
    const { region, zone } = model.placement[p]!;
    addNode({ id: resourceId(p, 'backup-copy', 'backup-copy'), kind: 'backup-copy', group: projectGroupId(p), project: p, label: 'backup-copy', detail: `function · ${dr.backupCopy.schedule}`, layer: 'dr', path: ['disasterRecovery', 'backupCopy'], region, zone });
  }
  const applications = Object.entries(spec.iam?.applications ?? {});
  if (applications.length > 0) {
    groups.push({ id: IAM_GROUP_ID, kind: 'iam', label: 'IAM applications', hub: false, path: ['iam'] });
    for (const [name, app] of applications) {
      addNode({ id: resourceId('iam', 'application', name), kind: 'application', group: IAM_GROUP_ID, label: name, detail: app.apiKey ? `API key · ${app.apiKey.expiresInDays}d` : 'no API key', layer: 'iam', path: ['iam', 'applications', name] });
    }
  }
  // The off-site copy: where the backup-copy function and cross-region database backups write.
  const offsite = dr?.backupCopy?.toRegion ?? dr?.regionFailure?.fallbackRegion;
  const crossRegionDbs = ordered.flatMap((p) => Object.entries(spec.projects[p]!.databases ?? {})
    .filter(([, db]) => !db.backups.sameRegion).map(([name]) => ({ p, name })));
  if (offsite && (dr?.backupCopy || crossRegionDbs.length > 0)) {
    const id = drSiteId(offsite);
    groups.push({ id: drSiteGroupId(offsite), kind: 'dr-site', label: `DR site ${offsite}`, hub: false, region: offsite, path: dr?.backupCopy ? ['disasterRecovery', 'backupCopy', 'toRegion'] : ['disasterRecovery', 'regionFailure'] });
    addNode({ id, kind: 'dr-site', group: drSiteGroupId(offsite), label: `backups ${offsite}`, detail: 'cross-region copies', layer: 'dr', path: dr?.backupCopy ? ['disasterRecovery', 'backupCopy', 'toRegion'] : ['disasterRecovery', 'regionFailure', 'fallbackRegion'], region: offsite });
  }

  // Edges, in a fixed order so ids and their sequence are stable.
  for (const p of ordered) {
    const project = spec.projects[p]!;
    const pn = pnOf.get(p);
    const gw = project.network ? resourceId(p, 'public-gateway', project.network.publicGateway.name ?? `${p}-gw`) : undefined;
    addEdge('attachment', gatewayIpOf.get(p), gw, 'network');
    addEdge('attachment', gw, pn, 'network');
    for (const [name, cluster] of Object.entries(project.clusters ?? {})) {
      const cid = resourceId(p, 'cluster', name);
      const lb = resourceId(p, 'load-balancer', `${name}-lb`);
      addEdge('attachment', cid, pn, 'network');
      if (cluster.loadBalancer) {
        addEdge('exposes', lb, cid, 'network');
        for (const hub of cluster.loadBalancer.allowFrom) addEdge('acl', gatewayIpOf.get(hub), lb, 'network', 'ACL allow');
      }
      for (const key of cluster.keys ?? []) addEdge('key-use', keyId(key), cid, 'iam');
    }
    for (const [name, db] of Object.entries(project.databases ?? {})) {
      const did = resourceId(p, 'database', name);
      addEdge('attachment', did, pn, 'network');
      if (db.encryptionKey) addEdge('key-use', keyId(db.encryptionKey), did, 'iam');
      if (db.endpointSecret) addEdge('endpoint', did, secretId(db.endpointSecret), 'iam');
      if (!db.backups.sameRegion && offsite) addEdge('backup', did, drSiteId(offsite), 'dr', `every ${db.backups.everyHours}h`);
    }
    for (const [name, secret] of Object.entries(project.secrets ?? {})) {
      if (secret.encryptionKey) addEdge('key-use', keyId(secret.encryptionKey), resourceId(p, 'secret', name), 'iam');
    }
  }
  for (const [name, app] of applications) {
    if (app.apiKey) addEdge('stored-in', resourceId('iam', 'application', name), secretId(app.apiKey.storedIn), 'iam');
  }
  if (dr?.velero) {
    const bucket = dr.velero.bucket.split('/');
    const bucketId = bucket[0] && bucket[1] ? resourceId(bucket[0], 'bucket', bucket[1]) : undefined;
    for (const c of veleroClusters(model)) addEdge('backup', resourceId(c.project, 'cluster', c.name), bucketId, 'dr', 'Velero');
    if (dr.backupCopy && offsite) {
      const copy = resourceId(dr.backupCopy.project, 'backup-copy', 'backup-copy');
      addEdge('copy', bucketId, copy, 'dr');
      addEdge('copy', copy, drSiteId(offsite), 'dr', `to ${offsite}`);
    }
  }
  return { groups, nodes, edges, hubs: [...hubs] };
}

/** The clusters Velero backs up: the listed ones, or by default every environment cluster. */
export function veleroClusters(model: LandingZoneModel): { project: string; name: string }[] {
  const velero = model.spec.disasterRecovery?.velero;
  if (!velero) return [];
  if (velero.clusters) {
    return velero.clusters.map((ref) => ref.split('/')).filter((x) => x.length === 2).map(([project, name]) => ({ project: project!, name: name! }));
  }
  return Object.entries(model.spec.projects)
    .filter(([, p]) => p.role === 'environment')
    .flatMap(([project, p]) => Object.keys(p.clusters ?? {}).map((name) => ({ project, name })));
}

/**
 * The node (or else the group) whose YAML path is the longest prefix of `path`: where a
 * validation finding or the editor's cursor belongs in the diagram. Undefined when none matches.
 */
export function nodeAtPath(topology: Topology, path: DocPath): string | undefined {
  let best: { id: string; len: number } | undefined;
  const consider = (id: string, p: DocPath) => {
    if (p.length > path.length || (best && p.length <= best.len)) return;
    for (let i = 0; i < p.length; i++) if (p[i] !== path[i]) return;
    best = { id, len: p.length };
  };
  for (const n of topology.nodes) consider(n.id, n.path);
  for (const g of topology.groups) consider(g.id, g.path);
  return best?.id;
}
