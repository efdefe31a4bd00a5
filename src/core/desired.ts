import { resourceId, type LandingZoneModel, type ResourceKind } from './model';
import { isProduction } from './rules/rule';
import { bucketName, durationSeconds, REGIONS, type ClusterSpec, type LandingZone, type Region } from './schema';
import type { DesiredResource } from './state';

/*
 * The model turned into the resources the file asks for, with dependencies and normalised
 * fields. Conventions shared with the inventory readers (src/scaleway) and import:
 *
 * - A resource's id is `<project>/<kind>/<name>`. For top-level resources <name> is the name in
 *   Scaleway; for children it is `<parent name>-<child name>` (pool `apps-default` of cluster
 *   `apps`, ACL `apps-lb-https-allow-security`). So an untagged live resource gets the same id
 *   from its project, its parents' names and its own name: that is how it is "matched by name".
 * - IAM lives at organisation level: its resources use the pseudo-project `iam`.
 * - Fields whose name starts with `_` are hints for writers (an ACL's index), never compared: an
 *   ACL list that admits the same sources before the same final deny is the same policy.
 * - Fields are symbolic, never Scaleway ids: a cluster names its private network by resource id,
 *   a secret its key as `project/key`, an ACL the hub project whose gateway IP it admits. The
 *   readers translate ids and addresses back into these names, so comparing, planning and
 *   importing never depend on ids that only exist after creation.
 */

/** Tag that marks what the tool created or adopted. */
export const LZ_MANAGED_TAG = 'lz:managed';
/** Tag prefix that carries the resource id: `lz:id=prod/cluster/apps`. */
export const LZ_ID_PREFIX = 'lz:id=';
/** The pseudo-project of organisation-level IAM resources. */
export const IAM_PROJECT = 'iam';

/** The tags the tool puts on a resource it creates. */
export function lzTags(id: string): string[] {
  return [LZ_MANAGED_TAG, `${LZ_ID_PREFIX}${id}`];
}

/** The resource id carried by a tag list, if any. */
export function lzIdOf(tags: readonly string[]): string | undefined {
  const t = tags.find((x) => x.startsWith(LZ_ID_PREFIX));
  return t?.slice(LZ_ID_PREFIX.length);
}

/** Kinds that can carry tags (or, for API keys, the id in their description). Others match by their natural key. */
export const TAGGABLE_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'private-network', 'gateway-ip', 'public-gateway', 'cluster', 'pool', 'load-balancer',
  'database', 'key', 'key-replica', 'secret', 'secret-replica', 'application', 'policy', 'api-key',
]);

/** Order of kinds from the roots of the dependency graph to the leaves; deletes run in reverse. */
export const KIND_ORDER: readonly ResourceKind[] = [
  'project', 'application', 'policy', 'key', 'key-replica', 'secret', 'secret-replica', 'api-key', 'private-network', 'gateway-ip',
  'public-gateway', 'gateway-network', 'cluster', 'pool', 'load-balancer', 'lb-ip', 'lb-backend', 'lb-frontend',
  'lb-certificate', 'lb-acl', 'database', 'bucket', 'sso', 'velero-install', 'velero-schedule', 'backup-copy',
];

/** Names the file implies in Scaleway when it does not say otherwise. */
export const names = {
  privateNetwork: (project: string, spec: LandingZone['projects'][string]) => spec.network?.privateNetwork.name ?? `${project}-pn`,
  gateway: (project: string, spec: LandingZone['projects'][string]) => spec.network?.publicGateway.name ?? `${project}-gw`,
  gatewayIp: (gateway: string) => `${gateway}-ip`,
  loadBalancer: (cluster: string) => `${cluster}-lb`,
  frontend: (lb: ClusterSpec['loadBalancer']) => (lb?.https === false ? 'http' : 'https'),
  allowAcl: (hub: string) => `allow-${hub}`,
  denyAcl: 'deny-all',
  backend: (frontend: string) => `${frontend}-backend`,
  certificate: (frontend: string) => `${frontend}-cert`,
  /** A replica's id name: the secret's or key's name and the replica's region. */
  replica: (name: string, region: string) => `${name}-${region}`,
};

/**
 * What a load balancer's backend sends traffic to: the nodes of the cluster it serves, by the
 * cluster's resource id (the readers turn the backend's server IPs back into this when they are
 * exactly the cluster's nodes).
 */
export const nodesOf = (clusterId: string) => `nodes:${clusterId}`;

/** The bucket (in the backupCopy project, in backupCopy.toRegion) that receives the copies. */
export const BACKUP_COPY_BUCKET = 'backup-copy';

/** Child id name: `<parent name>-<child name>`. */
export const childName = (parent: string, child: string) => `${parent}-${child}`;

/**
 * Normalises comparable fields the same way on both sides: what the API rewrites (ACL subnets
 * lose `/32`, node types come back lower-case with underscores, versions with a patch number)
 * and what has no order (subnet lists, permission sets).
 */
export function normaliseFields(kind: ResourceKind, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  const sortStrings = (k: string) => {
    if (Array.isArray(out[k])) out[k] = [...(out[k] as string[])].map(String).sort();
  };
  const upper = (k: string) => {
    if (typeof out[k] === 'string') out[k] = (out[k] as string).toUpperCase().replace(/_/g, '-');
  };
  switch (kind) {
    case 'private-network':
      sortStrings('subnets');
      break;
    case 'public-gateway':
      upper('type');
      if (Array.isArray(out.bastionAllowedIps)) out.bastionAllowedIps = (out.bastionAllowedIps as string[]).map(stripHost).sort();
      break;
    case 'cluster':
      if (typeof out.version === 'string') out.version = (out.version as string).split('.').slice(0, 2).join('.');
      break;
    case 'pool':
    case 'database':
    case 'load-balancer':
      upper('nodeType');
      upper('type');
      break;
    case 'lb-certificate':
      sortStrings('subjectAlternativeNames');
      break;
    case 'lb-backend':
      if (Array.isArray(out.servers)) out.servers = [...(out.servers as string[])].map(String).sort();
      break;
    case 'lb-acl':
      if (Array.isArray(out.match)) out.match = (out.match as string[]).map(stripHost).sort();
      break;
    case 'policy':
      if (Array.isArray(out.rules)) {
        out.rules = (out.rules as { permissionSets: string[]; projects?: string[]; organization?: boolean }[])
          .map((r) => ({ permissionSets: [...r.permissionSets].sort(), ...(r.organization ? { organization: true } : { projects: [...(r.projects ?? [])].sort() }) }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      }
      break;
    default:
      break;
  }
  return out;
}

/** `1.2.3.4/32` → `1.2.3.4`: the LB and gateway APIs store single hosts without the prefix. */
function stripHost(cidr: string): string {
  return cidr.endsWith('/32') ? cidr.slice(0, -3) : cidr;
}

/** The Velero release apply installs (with velero-plugin-for-aws v1.14, its compatible plugin). */
export const VELERO_VERSION = 'v1.18.1';

/** Clusters whose Velero takes backups: the declared list, else every cluster of an environment project. */
function backedUpClusters(spec: LandingZone): string[] {
  const v = spec.disasterRecovery?.velero;
  if (!v) return [];
  return v.clusters ?? Object.entries(spec.projects).filter(([, x]) => x.role === 'environment').flatMap(([n, x]) => Object.keys(x.clusters ?? {}).map((c) => `${n}/${c}`));
}

/**
 * Clusters apply installs Velero into: those it backs up, the clusters of the project that holds
 * the Velero bucket, and every production cluster (a restore needs Velero there). None without
 * `disasterRecovery.velero`: there is no bucket to point it at.
 */
function veleroInstallClusters(model: LandingZoneModel): string[] {
  const spec = model.spec;
  const v = spec.disasterRecovery?.velero;
  if (!v) return [];
  const bucketProject = v.bucket.split('/')[0];
  const out = new Set(backedUpClusters(spec));
  for (const [name, p] of Object.entries(spec.projects)) {
    if (name !== bucketProject && !isProduction(name, p)) continue;
    for (const c of Object.keys(p.clusters ?? {})) out.add(`${name}/${c}`);
  }
  return [...out].filter((ref) => {
    const [p, c] = ref.split('/') as [string, string];
    return spec.projects[p]?.clusters?.[c] !== undefined;
  }).sort();
}

/**
 * Velero's S3 key: the API key of the IAM application whose policy grants an Object Storage
 * permission set on the bucket's project and whose key is kept in the vault (apiKey.storedIn);
 * one named for Velero first. The pinned version of that vault secret is what apply reads.
 */
function veleroCredentialsOf(spec: LandingZone, bucketProject: string): { application: string; secret: string; version: number | 'latest' | null } | undefined {
  const candidates = Object.entries(spec.iam?.applications ?? {}).filter(([, a]) => a.apiKey?.storedIn
    && a.policy.some((r) => r.permissionSets.some((ps) => /^ObjectStorage/.test(ps)) && (r.organization || (r.projects ?? []).includes(bucketProject))));
  const [name, app] = candidates.find(([n]) => /velero/i.test(n)) ?? candidates[0] ?? [];
  if (!name || !app?.apiKey) return undefined;
  const [sp, sn] = app.apiKey.storedIn.split('/') as [string, string];
  const version = spec.projects[sp]?.secrets?.[sn]?.version;
  return { application: name, secret: app.apiKey.storedIn, version: version ?? null };
}

/** Every resource the file asks for, in a stable order (kind order, then id). */
export function desiredResources(model: LandingZoneModel): DesiredResource[] {
  const out: DesiredResource[] = [];
  const spec = model.spec;
  const replicaKeys = new Set<string>();
  const add = (r: Omit<DesiredResource, 'fields'> & { fields: Record<string, unknown> }) =>
    out.push({ ...r, fields: normaliseFields(r.kind, r.fields) });

  for (const [p, project] of Object.entries(spec.projects)) {
    const { region, zone } = model.placement[p]!;
    const ppath = ['projects', p];
    const projectId = resourceId(p, 'project');
    add({ id: projectId, kind: 'project', project: p, name: p, region, fields: { description: project.description ?? '' }, dependsOn: [], path: ppath });

    let pnId: string | undefined;
    if (project.network) {
      const pn = names.privateNetwork(p, project);
      pnId = resourceId(p, 'private-network', pn);
      add({ id: pnId, kind: 'private-network', project: p, name: pn, region, fields: { subnets: [project.network.privateNetwork.subnet] }, dependsOn: [projectId], path: [...ppath, 'network', 'privateNetwork'] });

      const gwSpec = project.network.publicGateway;
      const gw = names.gateway(p, project);
      const gwId = resourceId(p, 'public-gateway', gw);
      const gwDeps = [projectId];
      if (gwSpec.reservedIp) {
        const ipName = names.gatewayIp(gw);
        const ipId = resourceId(p, 'gateway-ip', ipName);
        add({ id: ipId, kind: 'gateway-ip', project: p, name: ipName, region, zone, fields: {}, dependsOn: [projectId], path: [...ppath, 'network', 'publicGateway', 'reservedIp'] });
        gwDeps.push(ipId);
      }
      const gwFields: Record<string, unknown> = { type: gwSpec.type, bastion: Boolean(gwSpec.bastion) };
      if (gwSpec.bastion) {
        gwFields.bastionPort = gwSpec.bastion.port;
        gwFields.bastionAllowedIps = gwSpec.bastion.allowedIps ?? [];
      }
      add({ id: gwId, kind: 'public-gateway', project: p, name: gw, region, zone, fields: gwFields, dependsOn: gwDeps, path: [...ppath, 'network', 'publicGateway'] });
      const gwnName = childName(gw, pn);
      add({ id: resourceId(p, 'gateway-network', gwnName), kind: 'gateway-network', project: p, name: gwnName, region, zone, fields: { privateNetwork: pnId, masquerade: true }, dependsOn: [gwId, pnId], path: [...ppath, 'network'] });
    }

    if (project.sso) {
      add({ id: resourceId(p, 'sso', 'keycloak'), kind: 'sso', project: p, name: 'keycloak', region, fields: { protocols: [...project.sso.keycloak.protocols].sort(), realm: project.sso.keycloak.realm }, dependsOn: [projectId], path: [...ppath, 'sso'] });
    }

    for (const [k, key] of Object.entries(project.keys ?? {})) {
      const fields: Record<string, unknown> = { usage: key.usage, rotationPeriod: durationSeconds(key.rotationPeriod) };
      if (key.description !== undefined) fields.description = key.description;
      add({ id: resourceId(p, 'key', k), kind: 'key', project: p, name: k, region, fields, dependsOn: [projectId], path: [...ppath, 'keys', k] });
    }

    for (const [s, secret] of Object.entries(project.secrets ?? {})) {
      const deps = [projectId];
      const fields: Record<string, unknown> = { path: secret.path, type: secret.type, version: secret.version === 'latest' ? 1 : secret.version };
      if (secret.encryptionKey) {
        fields.encryptionKey = secret.encryptionKey;
        const [kp, kn] = secret.encryptionKey.split('/') as [string, string];
        deps.push(resourceId(kp, 'key', kn));
      }
      if (secret.description !== undefined) fields.description = secret.description;
      const secretId = resourceId(p, 'secret', s);
      add({ id: secretId, kind: 'secret', project: p, name: s, region, fields, dependsOn: deps, path: [...ppath, 'secrets', s] });
      // Replicas: a secret of the same name, path, type and pinned version in each other region
      // of replication.regions, encrypted with a copy of its key made in that region (Key Manager
      // keys are regional: a secret can only use a key of its own region).
      for (const r of secret.replication?.regions ?? []) {
        if (r === region) continue;
        const rfields: Record<string, unknown> = { ...fields };
        const rdeps = [projectId, secretId];
        if (secret.encryptionKey) {
          const [kp, kn] = secret.encryptionKey.split('/') as [string, string];
          const keySpec = spec.projects[kp]?.keys?.[kn];
          const keyReplicaId = resourceId(kp, 'key-replica', names.replica(kn, r));
          if (keySpec && !replicaKeys.has(keyReplicaId)) {
            replicaKeys.add(keyReplicaId);
            const kf: Record<string, unknown> = { usage: keySpec.usage, rotationPeriod: durationSeconds(keySpec.rotationPeriod) };
            if (keySpec.description !== undefined) kf.description = keySpec.description;
            add({ id: keyReplicaId, kind: 'key-replica', project: kp, name: kn, region: r, fields: kf, dependsOn: [resourceId(kp, 'project')], path: ['projects', kp, 'keys', kn] });
          }
          rdeps.push(keyReplicaId);
        }
        add({ id: resourceId(p, 'secret-replica', names.replica(s, r)), kind: 'secret-replica', project: p, name: s, region: r, fields: rfields, dependsOn: rdeps, path: [...ppath, 'secrets', s, 'replication', 'regions'] });
      }
    }

    for (const [c, cluster] of Object.entries(project.clusters ?? {})) {
      const cpath = [...ppath, 'clusters', c];
      const clusterId = resourceId(p, 'cluster', c);
      const fields: Record<string, unknown> = { version: cluster.version, cni: cluster.cni };
      const deps = [projectId];
      if (pnId) {
        fields.privateNetwork = pnId;
        deps.push(pnId);
      }
      add({ id: clusterId, kind: 'cluster', project: p, name: c, region, fields, dependsOn: deps, path: cpath });
      for (const [poolName, pool] of Object.entries(cluster.pools)) {
        const pf: Record<string, unknown> = { nodeType: pool.nodeType, size: pool.size, autoscaling: Boolean(pool.autoscale) };
        if (pool.autoscale) {
          pf.minSize = pool.autoscale.min;
          pf.maxSize = pool.autoscale.max;
        }
        add({ id: resourceId(p, 'pool', childName(c, poolName)), kind: 'pool', project: p, name: poolName, region, zone: pool.zone ?? zone, fields: pf, dependsOn: [clusterId], path: [...cpath, 'pools', poolName] });
      }
      const lb = cluster.loadBalancer;
      if (lb) {
        const lbName = names.loadBalancer(c);
        const lbId = resourceId(p, 'load-balancer', lbName);
        const lbPath = [...cpath, 'loadBalancer'];
        add({ id: lbId, kind: 'load-balancer', project: p, name: lbName, region, zone, fields: { type: lb.type }, dependsOn: [projectId], path: lbPath });
        const fe = names.frontend(lb);
        const feName = childName(lbName, fe);
        const feId = resourceId(p, 'lb-frontend', feName);
        // With domains, the LB terminates TLS with a managed certificate and forwards plain HTTP to
        // the ingress on port 80 (SSL offloading); without, 443 (or 80) is passed through as TCP to
        // the ingress on the same port. Servers: the cluster's nodes (see README, "The load balancer").
        const domains = lb.https ? [...new Set(lb.domains ?? [])] : [];
        const offload = domains.length > 0;
        const port = lb.https ? 443 : 80;
        const beName = names.backend(fe);
        const beId = resourceId(p, 'lb-backend', childName(lbName, beName));
        const poolIds = Object.keys(cluster.pools).map((x) => resourceId(p, 'pool', childName(c, x)));
        add({
          id: beId, kind: 'lb-backend', project: p, name: beName, region, zone,
          fields: { forwardProtocol: offload ? 'http' : 'tcp', forwardPort: offload ? 80 : port, servers: nodesOf(clusterId) },
          dependsOn: [lbId, clusterId, ...poolIds], path: lbPath,
        });
        add({ id: feId, kind: 'lb-frontend', project: p, name: fe, region, zone, fields: { inboundPort: port }, dependsOn: [lbId, beId], path: lbPath });
        if (offload) {
          const certName = names.certificate(fe);
          add({
            id: resourceId(p, 'lb-certificate', childName(lbName, certName)), kind: 'lb-certificate', project: p, name: certName, region, zone,
            fields: { type: 'letsencrypt', commonName: domains[0], subjectAlternativeNames: domains.slice(1), status: 'ready', frontend: fe },
            dependsOn: [lbId, feId], path: [...lbPath, 'domains'],
          });
        }
        lb.allowFrom.forEach((hub, i) => {
          const hubSpec = spec.projects[hub];
          const acl = names.allowAcl(hub);
          const deps2 = [feId];
          // the hub's gateway must exist first: its address is what the ACL admits
          if (hubSpec?.network) deps2.push(resourceId(hub, 'public-gateway', names.gateway(hub, hubSpec)));
          add({ id: resourceId(p, 'lb-acl', childName(feName, acl)), kind: 'lb-acl', project: p, name: acl, region, zone, fields: { action: 'allow', match: [`hub:${hub}`], _index: i }, dependsOn: deps2, path: [...lbPath, 'allowFrom', i] });
        });
        if (lb.allowFrom.length > 0) {
          add({ id: resourceId(p, 'lb-acl', childName(feName, names.denyAcl)), kind: 'lb-acl', project: p, name: names.denyAcl, region, zone, fields: { action: 'deny', match: ['0.0.0.0/0'], _index: lb.allowFrom.length }, dependsOn: [feId], path: [...lbPath, 'allowFrom'] });
        }
      }
    }

    for (const [d, db] of Object.entries(project.databases ?? {})) {
      const fields: Record<string, unknown> = {
        engine: db.engine, nodeType: db.nodeType, ha: db.ha, encryptedAtRest: db.encryptedAtRest,
        backupEveryHours: db.backups.everyHours, backupRetentionDays: db.backups.retentionDays, backupSameRegion: db.backups.sameRegion,
      };
      if (db.volume) {
        fields.volumeType = db.volume.type;
        fields.volumeSizeGb = db.volume.sizeGb;
      }
      const deps = [projectId];
      if (pnId) {
        fields.privateNetwork = pnId;
        deps.push(pnId);
      }
      // a hint for the endpoint secret's writer: its first value is this database's host and port
      if (db.endpointSecret) fields._endpointSecret = db.endpointSecret;
      add({ id: resourceId(p, 'database', d), kind: 'database', project: p, name: d, region, fields, dependsOn: deps, path: [...ppath, 'databases', d] });
    }

    for (const [b, bucket] of Object.entries(project.buckets ?? {})) {
      // _bucketName: the global Object Storage name, for the writer (bucket names are never compared)
      add({ id: resourceId(p, 'bucket', b), kind: 'bucket', project: p, name: b, region: bucket.region ?? region, fields: { versioning: bucket.versioning, objectLock: bucket.objectLock, _bucketName: bucketName(spec.organization.name, p, b, bucket.name) }, dependsOn: [projectId], path: [...ppath, 'buckets', b] });
    }
  }

  for (const [a, app] of Object.entries(spec.iam?.applications ?? {})) {
    const apath = ['iam', 'applications', a];
    const appId = resourceId(IAM_PROJECT, 'application', a);
    add({ id: appId, kind: 'application', project: IAM_PROJECT, name: a, region: 'global', fields: { description: app.purpose }, dependsOn: [], path: apath });
    const rules = app.policy.map((r) => (r.organization ? { permissionSets: r.permissionSets, organization: true } : { permissionSets: r.permissionSets, projects: r.projects ?? [] }));
    const ruleProjects = [...new Set(app.policy.flatMap((r) => r.projects ?? []))].filter((x) => spec.projects[x]).map((x) => resourceId(x, 'project'));
    add({ id: resourceId(IAM_PROJECT, 'policy', a), kind: 'policy', project: IAM_PROJECT, name: a, region: 'global', fields: { rules }, dependsOn: [appId, ...ruleProjects], path: [...apath, 'policy'] });
    if (app.apiKey) {
      const [sp, sn] = app.apiKey.storedIn.split('/') as [string, string];
      const fields: Record<string, unknown> = { storedIn: app.apiKey.storedIn, expiresInDays: app.apiKey.expiresInDays };
      const deps = [appId, resourceId(sp, 'secret', sn)];
      if (app.apiKey.defaultProject) {
        fields.defaultProject = app.apiKey.defaultProject;
        if (spec.projects[app.apiKey.defaultProject]) deps.push(resourceId(app.apiKey.defaultProject, 'project'));
      }
      add({ id: resourceId(IAM_PROJECT, 'api-key', a), kind: 'api-key', project: IAM_PROJECT, name: a, region: 'global', fields, dependsOn: deps, path: [...apath, 'apiKey'] });
    }
  }

  const dr = spec.disasterRecovery;
  if (dr?.velero) {
    // Velero itself in every cluster that needs it (veleroInstallClusters), then one Schedule per
    // backed-up cluster (the declared list, else every cluster of an environment project), writing
    // to the bucket's Object Storage name, which is also the name of the backup storage location
    const [bp, bn] = dr.velero.bucket.split('/') as [string, string];
    const bucket = spec.projects[bp]?.buckets?.[bn];
    const storage = bucketName(spec.organization.name, bp, bn, bucket?.name);
    const bucketRegion = bucket?.region ?? model.placement[bp]?.region ?? spec.defaults.region;
    const creds = veleroCredentialsOf(spec, bp);
    const installId = (cp: string, cn: string) => resourceId(cp, 'velero-install', childName(cn, 'velero'));
    for (const ref of veleroInstallClusters(model)) {
      const [cp, cn] = ref.split('/') as [string, string];
      const fields = {
        version: VELERO_VERSION, bucket: storage, bucketRegion, s3Url: `https://s3.${bucketRegion}.scw.cloud`,
        credentials: creds?.secret ?? null, credentialsVersion: creds?.version ?? null, health: 'Available',
        // the bucket's project: Velero's key must name it (`SCW…@<project id>`), S3 acts in one project
        _bucketProject: bp,
      };
      const deps = [resourceId(cp, 'cluster', cn), resourceId(bp, 'bucket', bn)];
      if (creds) deps.push(resourceId(creds.secret.split('/')[0]!, 'secret', creds.secret.split('/')[1]!), resourceId(IAM_PROJECT, 'api-key', creds.application));
      add({ id: installId(cp, cn), kind: 'velero-install', project: cp, name: 'velero', region: model.placement[cp]?.region ?? spec.defaults.region, fields, dependsOn: deps, path: ['disasterRecovery', 'velero'] });
    }
    for (const ref of backedUpClusters(spec)) {
      const [cp, cn] = ref.split('/') as [string, string];
      const fields = { schedule: dr.velero.schedule, ttl: durationSeconds(dr.velero.ttl ?? '30d'), bucket: storage };
      add({ id: resourceId(cp, 'velero-schedule', childName(cn, 'velero')), kind: 'velero-schedule', project: cp, name: 'velero', region: model.placement[cp]?.region ?? spec.defaults.region, fields, dependsOn: [resourceId(cp, 'cluster', cn), resourceId(bp, 'bucket', bn), installId(cp, cn)], path: ['disasterRecovery', 'velero'] });
    }
  }
  if (dr?.backupCopy) {
    const copy = dr.backupCopy;
    const p = copy.project;
    const path = ['disasterRecovery', 'backupCopy'];
    // the DR region's bucket that receives the copies, in the copy's project (versioned)
    const target = resourceId(p, 'bucket', BACKUP_COPY_BUCKET);
    const targetName = bucketName(spec.organization.name, p, BACKUP_COPY_BUCKET, spec.projects[p]?.buckets?.[BACKUP_COPY_BUCKET]?.name);
    if (!out.some((r) => r.id === target)) {
      add({ id: target, kind: 'bucket', project: p, name: BACKUP_COPY_BUCKET, region: copy.toRegion, fields: { versioning: true, objectLock: false, _bucketName: targetName }, dependsOn: [resourceId(p, 'project')], path });
    }
    const deps = [resourceId(p, 'project'), target];
    const fields: Record<string, unknown> = {
      schedule: copy.schedule, toRegion: copy.toRegion,
      // what the reader reports for a function running this build's bundle (src/scaleway/readers/functions.ts)
      code: 'current',
      credentials: null,
      _targetBucket: `${copy.toRegion}:${targetName}`,
      // S3 acts in one project per request: the function names each bucket's project (functions/backup-copy/config.ts)
      _targetBucketProject: p,
    };
    if (dr.velero) {
      const [bp, bn] = dr.velero.bucket.split('/') as [string, string];
      const b = spec.projects[bp]?.buckets?.[bn];
      fields._veleroBucket = `${b?.region ?? model.placement[bp]?.region ?? spec.defaults.region}:${bucketName(spec.organization.name, bp, bn, b?.name)}`;
      fields._veleroBucketProject = bp;
      if (spec.projects[bp]) deps.push(resourceId(bp, 'project'));
    }
    // production databases: the others keep their automatic backups in their own region
    fields._databases = Object.entries(spec.projects).filter(([name, x]) => isProduction(name, x) && Object.keys(x.databases ?? {}).length > 0)
      .map(([name]) => ({ project: name, region: model.placement[name]?.region ?? spec.defaults.region }));
    for (const d of fields._databases as { project: string }[]) deps.push(resourceId(d.project, 'project'));
    const app = copy.application ? spec.iam?.applications?.[copy.application] : undefined;
    if (app?.apiKey) {
      const [sp, sn] = app.apiKey.storedIn.split('/') as [string, string];
      const version = spec.projects[sp]?.secrets?.[sn]?.version ?? 'latest';
      // which vault version the namespace's secret variables hold: a rotation re-pins it, and the next apply passes the new key on
      fields.credentials = `${app.apiKey.storedIn}@${version}`;
      fields._vaultRegion = model.placement[sp]?.region ?? spec.defaults.region;
      deps.push(resourceId(IAM_PROJECT, 'api-key', copy.application!), resourceId(sp, 'secret', sn));
    }
    add({ id: resourceId(p, 'backup-copy', 'backup-copy'), kind: 'backup-copy', project: p, name: 'backup-copy', region: model.placement[p]?.region ?? spec.defaults.region, fields, dependsOn: deps, path });
  }

  // an endpoint secret is written once its database exists: its first value is the database's endpoint
  // (looked up by id, the first of an id as find() would: a scan per database was quadratic)
  const byId = new Map<string, DesiredResource>();
  for (const r of out) if (!byId.has(r.id)) byId.set(r.id, r);
  for (const d of out) {
    if (d.kind !== 'database' || typeof d.fields._endpointSecret !== 'string') continue;
    const [sp, sn] = d.fields._endpointSecret.split('/') as [string, string];
    byId.get(resourceId(sp, 'secret', sn))?.dependsOn.push(d.id);
  }

  // dependencies on resources the file does not produce (a reference to a missing project) are
  // validation findings, not graph edges
  const ids = new Set(out.map((r) => r.id));
  for (const r of out) r.dependsOn = r.dependsOn.filter((d) => ids.has(d) && d !== r.id);
  const rank = (k: ResourceKind) => KIND_ORDER.indexOf(k);
  return out.sort((a, b) => rank(a.kind) - rank(b.kind) || a.id.localeCompare(b.id));
}

/**
 * The regions a comparison must read: the projects' and every declared resource's (a bucket with
 * its own region, the DR bucket in backupCopy.toRegion), so nothing declared is "missing" merely
 * because its region was not read.
 */
export function readRegions(model: LandingZoneModel, desired: readonly DesiredResource[] = desiredResources(model)): Region[] {
  const out = new Set<Region>([model.spec.defaults.region, ...Object.values(model.placement).map((p) => p.region)]);
  for (const d of desired) if (d.region && (REGIONS as readonly string[]).includes(d.region)) out.add(d.region as Region);
  return [...out].sort();
}
