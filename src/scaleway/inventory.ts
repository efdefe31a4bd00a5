import { IAM_PROJECT, names, nodesOf, normaliseFields } from '../core/desired';
import type { ResourceKind } from '../core/model';
import { ZONES_BY_REGION, type Region } from '../core/schema';
import type { DesiredResource, Inventory, LiveResource, NotChecked } from '../core/state';
import type { ScalewayClients } from './client';
import { kubeReadSource } from './kube-reads';
import { CredentialsError } from './profiles';
import { READ_PERMISSIONS } from './read-permissions';
import { accountReader } from './readers/account';
import { functionsReader } from './readers/functions';
import { probeHiddenProjects } from './readers/hidden-projects';
import { iamReader } from './readers/iam';
import { k8sReader } from './readers/k8s';
import { keyManagerReader } from './readers/key-manager';
import { lbReader } from './readers/lb';
import { objectStorageReader } from './readers/object-storage';
import { rdbReader } from './readers/rdb';
import type { Cluster, LinkKind, Raw, ReadContext, Reader } from './readers/reader';
import { secretManagerReader } from './readers/secret-manager';
import { veleroReader } from './readers/velero';
import { vpcReader } from './readers/vpc';
import { vpcGatewayReader } from './readers/vpc-gateway';

/*
 * Reads the account through the read-only clients, with one reader per Scaleway product
 * (src/scaleway/readers/<product>.ts): one list per kind and locality (page_size
 * 100, further pages in parallel through the SDK's `.all()`), every list in parallel, children
 * (pools, frontends, ACLs, policy rules) listed per parent as soon as their parent's list
 * returns. Nothing is fetched one resource at a time when a list carries the fields: gateway
 * networks come inside their gateway, secrets' versions are counted by the secret list (values
 * are never read).
 *
 * Live fields are normalised and symbolic, like desired ones (see src/core/desired.ts): a final
 * linking pass turns Scaleway ids and addresses into resource ids and hub names.
 */

export interface InventoryOptions {
  organizationId: string;
  /** Regions to read; default fr-par, nl-ams and pl-waw. Zones: every zone of these regions. */
  regions?: readonly Region[];
  /**
   * What the file declares: where a project shows nothing of a product declared in it, one list
   * filtered on that project tells "none" from "this key may not read that project" (see
   * readers/hidden-projects.ts). Without it (and without `everyProject`), a key scoped to some
   * projects would make the others' resources look missing.
   */
  declared?: readonly DesiredResource[];
  /** `import`: probe every project for every product it shows nothing of. */
  everyProject?: boolean;
}

/** The reader of every product, the project list first (the other kinds are named by it). */
export const READERS: readonly Reader[] = [
  accountReader, iamReader, vpcReader, vpcGatewayReader, k8sReader, lbReader, rdbReader, keyManagerReader, secretManagerReader,
  objectStorageReader, functionsReader, veleroReader,
];

/** Kinds that this version does not read, and why (shown as "not checked" in drift). */
export const NOT_READ: Partial<Record<ResourceKind, string>> = {
  sso: 'Keycloak runs inside the project; it is not a Scaleway API resource',
};

/** Kinds no reader lists on their own, because another kind's resource carries them (never reported). */
export const READ_WITH: Partial<Record<ResourceKind, string>> = {
  'lb-ip': 'a load balancer\'s flexible IP is read with it (its ip), never on its own',
};

/**
 * Kinds whose live resources are named after their project: without the project list their
 * names cannot be told apart, so a declared one would look missing and its live twin unmanaged.
 * When the project list cannot be read, they are not checked either. Applications are the one
 * kind that needs no project.
 */
const NEEDS_PROJECT_NAMES = (kind: ResourceKind) => kind !== 'project' && kind !== 'application' && !(kind in NOT_READ);

/** Status and Scaleway's own words from a failed read (SDK, S3 or Kubernetes client error). */
function failureOf(err: unknown): { status?: number; scalewayMessage: string } {
  const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; code?: unknown; body?: unknown; message?: unknown; name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = [e.status, e.statusCode, e.$metadata?.httpStatusCode, e.code].find((x): x is number => typeof x === 'number' && x >= 100 && x < 600);
  const body = e.body && typeof e.body === 'object' ? (e.body as { type?: unknown; message?: unknown }) : undefined;
  const type = typeof body?.type === 'string' ? body.type : typeof e.name === 'string' && e.name !== 'Error' && !e.name.endsWith('Error') ? e.name : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : typeof body?.message === 'string' ? body.message : String(err);
  return { ...(status !== undefined ? { status } : {}), scalewayMessage: type && !message.startsWith(type) ? `${type}: ${message}` : message };
}

/** The kinds each link is resolved through: when one could not be read, the link cannot be either. */
const LINK_TARGETS: Record<LinkKind, ResourceKind[]> = {
  'private-network': ['private-network'], 'key-ref': ['key'], 'project-name': ['project'], 'acl-subnets': ['public-gateway', 'gateway-ip'],
  // a backend's servers read as "the nodes of cluster X" only when the clusters (and their nodes) were read
  'backend-servers': ['cluster'], 'certificate-frontend': ['lb-frontend'],
};

export async function readInventory(clients: ScalewayClients, options: InventoryOptions): Promise<Inventory> {
  if (!clients.readOnly) throw new Error('readInventory needs the read-only clients');
  const org = options.organizationId;
  const regions = options.regions ?? ['fr-par', 'nl-ams', 'pl-waw'];
  const zones = regions.flatMap((r) => ZONES_BY_REGION[r]);
  const raws: Raw[] = [];
  const notChecked: NotChecked[] = Object.entries(NOT_READ).map(([kind, reason]) => ({ kind: kind as ResourceKind, reason, cause: 'not-read' as const }));
  const projectNames = new Map<string, string>();

  /**
   * Runs one reader; a failure marks its kinds as not checked (in that region when the reader is
   * regional or zonal) instead of failing the whole read, with what Scaleway answered and the
   * permission set that would let the read through.
   */
  const unread = (kinds: ResourceKind[], err: unknown, region?: string, project?: { project: string; projectId: string }): void => {
    // a refused key (the HTTP layer's CredentialsError) is not a kind left unchecked: it stops the read
    if (err instanceof CredentialsError) throw err;
    const f = failureOf(err);
    const denied = f.status === 403;
    const why = denied ? `permission denied (${f.scalewayMessage})` : f.status ? `Scaleway answered ${f.status} (${f.scalewayMessage})` : f.scalewayMessage;
    for (const kind of kinds) {
      if (notChecked.some((n) => n.kind === kind && (!n.region || n.region === region) && (n.project === undefined || n.project === project?.project))) continue;
      const perm = READ_PERMISSIONS[kind];
      notChecked.push({
        kind, ...(region ? { region } : {}), ...(project ?? {}), reason: why, cause: denied ? 'denied' : 'failed', ...f,
        ...(perm ? { needs: perm.sets, scope: perm.scope } : {}),
      });
    }
  };
  const guard = async (kinds: ResourceKind[], fn: () => Promise<void>, region?: string, project?: { project: string; projectId: string }): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      unread(kinds, err, region, project);
    }
  };
  // the project list's names: what every project-scoped kind is named by
  let projectsRead!: () => void;
  const namesRead = new Promise<void>((resolve) => { projectsRead = resolve; });
  const push = (r: Raw) => {
    raws.push(r);
    if (r.live.kind === 'project') projectNames.set(r.live.scalewayId, r.live.name);
  };

  // one cluster list per region, shared by the cluster reader and the Velero readers
  const clusterLists = new Map<string, Promise<Cluster[]>>();
  const clustersIn = (region: Region) => {
    if (!clusterLists.has(region)) clusterLists.set(region, clients.at(3).k8s.listClusters({ region, organizationId: org, pageSize: 100 }).all());
    return clusterLists.get(region)!;
  };

  const ctx: ReadContext = {
    clients, organizationId: org, regions, zones, push, guard, clustersIn, kube: kubeReadSource(clients),
    projectNames: () => namesRead.then(() => projectNames),
  };
  await Promise.all(READERS.map((r) => (r === accountReader ? r.read(ctx).finally(projectsRead) : r.read(ctx))));
  const projectsUnread = notChecked.find((n) => n.kind === 'project' && !n.region);
  if (!projectsUnread && (options.declared || options.everyProject)) {
    await probeHiddenProjects({
      clients, live: raws.map((r) => r.live), projectNames, notChecked,
      ...(options.declared ? { declared: options.declared } : {}),
      ...(options.everyProject ? { everyProject: { regions } } : {}),
      // permission is granted per project, not per region: the answer holds in every region
      unread: (kinds, err, where) => unread(kinds, err, undefined, { project: where.project, projectId: where.projectId }),
    });
  }
  if (projectsUnread) {
    const kinds = new Set<ResourceKind>([...raws.map((r) => r.live.kind), ...notChecked.map((n) => n.kind), ...(Object.keys(READ_PERMISSIONS) as ResourceKind[])]);
    for (const kind of [...kinds].filter(NEEDS_PROJECT_NAMES)) {
      // its own failures stay (granting the project list alone would not fix them); where it was
      // read, it still cannot be matched
      const own = notChecked.filter((n) => n.kind === kind);
      if (own.some((n) => !n.region) || (own.length > 0 && regions.every((r) => own.some((n) => n.region === r)))) continue;
      notChecked.push({
        kind, cause: 'depends', dependsOn: 'project',
        reason: 'its resources are matched by project name, and the project list could not be read',
      });
    }
  }
  return link(raws, projectNames, org, notChecked);
}

/** Gives every live resource its natural id, then turns ids and addresses into symbolic names. */
function link(raws: Raw[], projectNames: Map<string, string>, organizationId: string, notChecked: NotChecked[]): Inventory {
  const byId = new Map(raws.map((r) => [r.live.scalewayId, r.live]));
  const projectOf = (l: LiveResource) => (l.kind === 'application' || l.kind === 'policy' || l.kind === 'api-key' ? IAM_PROJECT : projectNames.get(l.projectId) ?? l.projectId);
  for (const { live } of raws) live.projectName = projectOf(live);

  const frontendOfBackend = new Map<string, string>();
  for (const { live } of raws) if (live.kind === 'lb-frontend' && typeof live.attrs?.backendId === 'string') frontendOfBackend.set(live.attrs.backendId, live.name);
  const nameOf = (l: LiveResource): string => {
    const parent = l.parentId ? byId.get(l.parentId) : undefined;
    switch (l.kind) {
      case 'project': return l.name;
      case 'pool': return `${parent ? parent.name : String(l.attrs?.cluster ?? '?')}-${l.name}`;
      case 'lb-frontend': return `${parent?.name ?? String(l.attrs?.lb ?? '?')}-${l.name}`;
      case 'lb-acl': return `${parent ? nameOf(parent) : '?'}-${l.name}`;
      // a backend is known by the frontend it serves (backends carry no tags, and hand-made ones any name)
      case 'lb-backend': {
        const fe = frontendOfBackend.get(l.scalewayId);
        return `${parent?.name ?? String(l.attrs?.lb ?? '?')}-${fe ? names.backend(fe) : l.name}`;
      }
      case 'lb-certificate': return `${parent?.name ?? String(l.attrs?.lb ?? '?')}-${l.name}`;
      case 'key-replica':
      case 'secret-replica': return `${l.name}-${l.region ?? '?'}`;
      case 'gateway-network': {
        const pn = byId.get(String(l.attrs?.privateNetworkId ?? ''));
        return `${parent?.name ?? '?'}-${pn?.name ?? String(l.attrs?.privateNetworkId ?? '?')}`;
      }
      case 'gateway-ip': {
        const gw = l.parentId ? byId.get(l.parentId) : undefined;
        return gw ? `${gw.name}-ip` : String(l.attrs?.address ?? l.scalewayId).replace(/[.:]/g, '-');
      }
      default: return l.name;
    }
  };
  for (const { live } of raws) {
    // gateway IPs and gateway networks have no name in Scaleway: they take their gateway's
    if (live.kind === 'gateway-ip') live.name = nameOf(live);
    if (live.kind === 'gateway-network') live.name = byId.get(String(live.attrs?.privateNetworkId ?? ''))?.name ?? String(live.attrs?.privateNetworkId ?? '?');
    live.naturalId = live.kind === 'project' ? `${live.name}/project` : `${live.projectName}/${live.kind}/${nameOf(live)}`;
  }
  const idOf = (l: LiveResource) => l.lzId ?? l.naturalId;

  // hub gateway addresses, for ACLs: an ACL that admits a hub's gateway IP reads as `hub:<project>`
  const hubByAddress = new Map<string, string>();
  for (const { live } of raws) {
    if (live.kind === 'public-gateway' && typeof live.attrs?.ip === 'string') hubByAddress.set(live.attrs.ip, idOf(live).split('/')[0]!);
    if (live.kind === 'gateway-ip' && typeof live.attrs?.address === 'string' && !hubByAddress.has(live.attrs.address)) hubByAddress.set(live.attrs.address, idOf(live).split('/')[0]!);
  }

  // a reference into a kind that could not be read cannot be resolved: the referring kind is not
  // checked there either (a secret's encryption key would read as a raw id, a false "changed")
  const unreadIn = (kind: ResourceKind, region: string | undefined) => notChecked.find((n) => n.kind === kind && n.cause !== 'depends' && n.project === undefined && (!n.region || n.region === region));
  // a kind unread in some projects only (a key scoped to others): a link that does not resolve
  // may point there, so its resource's project is not checked for that kind
  const projectsUnread = (kind: ResourceKind) => [...new Set(notChecked.filter((n) => n.kind === kind && n.cause !== 'depends' && n.project !== undefined).map((n) => n.project!))].sort();
  const resolves = (l: NonNullable<Raw['links']>[number]): boolean => {
    switch (l.kind) {
      case 'private-network': case 'key-ref': return typeof l.value === 'string' && byId.has(l.value);
      // a single address may be a hub's gateway; a range is not one
      case 'acl-subnets': return (l.value as string[]).every((x) => !/^[\d.]+(\/32)?$/.test(x) || hubByAddress.has(x.replace(/\/32$/, '')));
      case 'backend-servers': {
        const ips = JSON.stringify([...(l.value as string[])].sort());
        return raws.some((r) => r.live.kind === 'cluster' && JSON.stringify(r.live.attrs?.nodeIps) === ips);
      }
      // the names of the load balancer's own frontends, read with it
      case 'certificate-frontend': case 'project-name': return true;
    }
  };
  for (const { live, links } of raws) {
    for (const l of links ?? []) {
      if (l.value === undefined || l.value === null || l.value === '' || (Array.isArray(l.value) && l.value.length === 0)) continue;
      const region = live.region === 'global' ? undefined : live.region;
      const target = LINK_TARGETS[l.kind].find((t) => unreadIn(t, live.region));
      if (target) {
        if (notChecked.some((n) => n.kind === live.kind && n.project === undefined && n.id === undefined && (!n.region || n.region === region))) continue;
        notChecked.push({ kind: live.kind, ...(region ? { region } : {}), cause: 'depends', dependsOn: target, reason: `its ${l.field} names a ${target}, and ${target} could not be read${unreadIn(target, live.region)?.region ? ` in ${live.region}` : ''}` });
        continue;
      }
      const hidden = LINK_TARGETS[l.kind].map((t) => ({ kind: t, projects: projectsUnread(t) })).find((h) => h.projects.length > 0);
      if (!hidden || resolves(l)) continue;
      const project = projectNames.get(live.projectId) ?? live.projectId;
      const id = idOf(live);
      if (notChecked.some((n) => n.kind === live.kind && (!n.region || n.region === region) && (n.project === undefined || n.project === project) && (n.id === undefined || n.id === id))) continue;
      // just this resource: the others of its kind resolved what they name
      notChecked.push({
        kind: live.kind, ...(region ? { region } : {}), project, projectId: live.projectId, id, cause: 'depends', dependsOn: hidden.kind,
        reason: `its ${l.field} names a ${hidden.kind} that was not found, and ${hidden.kind} could not be read in project${hidden.projects.length > 1 ? 's' : ''} ${hidden.projects.join(', ')}`,
      });
    }
  }

  for (const { live, links } of raws) {
    for (const l of links ?? []) {
      if (l.kind === 'private-network') {
        const pn = typeof l.value === 'string' ? byId.get(l.value) : undefined;
        if (l.value) live.fields[l.field] = pn ? idOf(pn) : `id:${String(l.value)}`;
      } else if (l.kind === 'key-ref') {
        const key = typeof l.value === 'string' ? byId.get(l.value) : undefined;
        if (l.value) {
          const [p, , n] = key ? idOf(key).split('/') : [];
          // a replica's key is the copy of the file's key in the replica's region: named like it
          live.fields[l.field] = key ? `${p}/${key.kind === 'key-replica' ? key.name : n}` : `id:${String(l.value)}`;
        }
      } else if (l.kind === 'backend-servers') {
        // exactly the nodes of one cluster reads as that cluster; anything else stays addresses
        const ips = [...(l.value as string[])].sort();
        const cluster = ips.length > 0 ? raws.find((r) => r.live.kind === 'cluster' && JSON.stringify(r.live.attrs?.nodeIps) === JSON.stringify(ips))?.live : undefined;
        live.fields[l.field] = cluster ? nodesOf(idOf(cluster)) : ips;
      } else if (l.kind === 'certificate-frontend') {
        const attached = l.value as string[];
        live.fields[l.field] = attached.length === 1 ? attached[0] : attached.length === 0 ? '' : attached;
      } else if (l.kind === 'project-name') {
        if (l.field === 'rules') {
          live.fields.rules = (l.value as { permissionSets: string[]; projectIds?: string[]; organization: boolean }[]).map((r) =>
            r.organization ? { permissionSets: r.permissionSets, organization: true } : { permissionSets: r.permissionSets, projects: (r.projectIds ?? []).map((id) => projectNames.get(id) ?? id) });
        } else if (typeof l.value === 'string' && l.value) {
          live.fields[l.field] = projectNames.get(l.value) ?? l.value;
        }
      } else if (l.kind === 'acl-subnets') {
        live.fields.match = (l.value as string[]).map((s) => {
          const host = s.replace(/\/32$/, '');
          const hub = hubByAddress.get(host);
          return hub ? `hub:${hub}` : s;
        });
      }
    }
    live.fields = normaliseFields(live.kind, live.fields);
    for (const [k, v] of Object.entries(live.fields)) if (v === undefined) delete live.fields[k];
  }

  const resources = raws.map((r) => r.live).sort((a, b) => a.kind.localeCompare(b.kind) || a.naturalId.localeCompare(b.naturalId) || a.scalewayId.localeCompare(b.scalewayId));
  return { organizationId, resources, notChecked: notChecked.sort((a, b) => a.kind.localeCompare(b.kind)), readAt: new Date().toISOString() };
}
