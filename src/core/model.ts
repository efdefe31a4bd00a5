import type { DocPath, SourceDocument } from './document';
import type { Range } from './issues';
import { entriesOf } from './rules/rule';
import { HUB_ROLES, type LandingZone, type Project, type Region } from './schema';

/** Kinds of named things that other parts of the file refer to by `project/name`. */
export type SymbolKind = 'project' | 'key' | 'secret' | 'bucket' | 'cluster' | 'database' | 'application';

/** A definition: a project, or a named part of a project, or an IAM application. */
export interface LzSymbol {
  kind: SymbolKind;
  /** `prod` for a project, `security/secrets-key` for a key, `gitlab-provisioner` for an application. */
  id: string;
  /** The last segment: the map key. */
  name: string;
  /** The owning project (undefined for applications). */
  project?: string;
  /** Path of the definition's value; its key's range is `nameRange`. */
  path: DocPath;
  nameRange: Range;
  range: Range;
}

/** A place where the file names a symbol. */
export interface LzReference {
  kind: SymbolKind;
  /** The text as written, e.g. `security/app-data` or `devops`. */
  target: string;
  path: DocPath;
  range: Range;
  /** Which field holds it, for messages: `allowFrom`, `encryptionKey`, `storedIn`… */
  field: string;
}

/** The landing zone with defaults applied, references listed and every definition located. */
export interface LandingZoneModel {
  spec: LandingZone;
  symbols: LzSymbol[];
  references: LzReference[];
  /** Hub projects (security and devops roles) by name. */
  hubs: string[];
  /** Effective region and zone per project. */
  placement: Record<string, { region: Region; zone: string }>;
}

/** Resource kinds as drift, plan, the diagram and tags name them (`lz:id=<project>/<kind>/<name>`). */
export type ResourceKind =
  | 'project'
  | 'private-network'
  | 'public-gateway'
  | 'gateway-ip'
  | 'gateway-network'
  | 'cluster'
  | 'pool'
  | 'load-balancer'
  | 'lb-ip'
  | 'lb-backend'
  | 'lb-frontend'
  | 'lb-certificate'
  | 'lb-acl'
  | 'database'
  | 'bucket'
  | 'key'
  | 'key-replica'
  | 'secret'
  | 'secret-replica'
  | 'application'
  | 'api-key'
  | 'policy'
  | 'sso'
  | 'velero-install'
  | 'velero-schedule'
  | 'backup-copy';

/** Stable id of a resource: `prod/cluster/apps`, `prod/private-network/prod-pn`, `prod/project`. */
export function resourceId(project: string, kind: ResourceKind, name?: string): string {
  return name === undefined ? `${project}/${kind}` : `${project}/${kind}/${name}`;
}

const PROJECT_SYMBOLS: { field: keyof Project; kind: SymbolKind }[] = [
  { field: 'keys', kind: 'key' },
  { field: 'secrets', kind: 'secret' },
  { field: 'buckets', kind: 'bucket' },
  { field: 'clusters', kind: 'cluster' },
  { field: 'databases', kind: 'database' },
];

/** Builds the model from a schema-valid value and the document it came from (for ranges). */
export function buildModel(spec: LandingZone, src: SourceDocument): LandingZoneModel {
  const symbols: LzSymbol[] = [];
  const references: LzReference[] = [];
  // ranges located when first read: the rules read a few, and locating 37,000 projects twice
  // each was a third of building the model of a megabyte
  const define = (kind: SymbolKind, id: string, name: string, path: DocPath, project?: string) => {
    let nameRange: Range | undefined;
    let range: Range | undefined;
    symbols.push({
      kind, id, name, project, path,
      get nameRange() { return (nameRange ??= src.keyRangeOf(path)); },
      get range() { return (range ??= src.rangeOf(path)); },
    });
  };
  const refer = (kind: SymbolKind, target: string, path: DocPath, field: string) =>
    references.push({ kind, target, path, range: src.rangeOf(path), field });

  const placement: LandingZoneModel['placement'] = {};
  for (const [pname, project] of entriesOf(spec.projects)) {
    const ppath = ['projects', pname];
    define('project', pname, pname, ppath);
    const at = { region: project.region ?? spec.defaults.region, zone: project.zone ?? spec.defaults.zone };
    // a project may be named `__proto__`, which an assignment would not store; defineProperty for
    // every name cost three times an assignment on a 37,000-project file
    if (pname === '__proto__') Object.defineProperty(placement, pname, { value: at, enumerable: true, writable: true, configurable: true });
    else placement[pname] = at;
    for (const { field, kind } of PROJECT_SYMBOLS) {
      const map = project[field] as Record<string, unknown> | undefined;
      for (const name of Object.keys(map ?? {})) define(kind, `${pname}/${name}`, name, [...ppath, field, name], pname);
    }
    for (const [sname, secret] of Object.entries(project.secrets ?? {})) {
      if (secret.encryptionKey) refer('key', secret.encryptionKey, [...ppath, 'secrets', sname, 'encryptionKey'], 'encryptionKey');
    }
    for (const [cname, cluster] of Object.entries(project.clusters ?? {})) {
      const cpath = [...ppath, 'clusters', cname];
      cluster.loadBalancer?.allowFrom.forEach((hub, i) => refer('project', hub, [...cpath, 'loadBalancer', 'allowFrom', i], 'allowFrom'));
      cluster.keys?.forEach((key, i) => refer('key', key, [...cpath, 'keys', i], 'keys'));
    }
    for (const [dname, db] of Object.entries(project.databases ?? {})) {
      const dpath = [...ppath, 'databases', dname];
      if (db.encryptionKey) refer('key', db.encryptionKey, [...dpath, 'encryptionKey'], 'encryptionKey');
      if (db.endpointSecret) refer('secret', db.endpointSecret, [...dpath, 'endpointSecret'], 'endpointSecret');
    }
  }
  for (const [aname, app] of Object.entries(spec.iam?.applications ?? {})) {
    const apath = ['iam', 'applications', aname];
    define('application', aname, aname, apath);
    app.policy.forEach((rule, i) => rule.projects?.forEach((p, j) => refer('project', p, [...apath, 'policy', i, 'projects', j], 'projects')));
    if (app.apiKey) {
      refer('secret', app.apiKey.storedIn, [...apath, 'apiKey', 'storedIn'], 'storedIn');
      if (app.apiKey.defaultProject) refer('project', app.apiKey.defaultProject, [...apath, 'apiKey', 'defaultProject'], 'defaultProject');
    }
  }
  const dr = spec.disasterRecovery;
  if (dr?.velero) {
    refer('bucket', dr.velero.bucket, ['disasterRecovery', 'velero', 'bucket'], 'velero.bucket');
    dr.velero.clusters?.forEach((c, i) => refer('cluster', c, ['disasterRecovery', 'velero', 'clusters', i], 'velero.clusters'));
  }
  if (dr?.backupCopy) refer('project', dr.backupCopy.project, ['disasterRecovery', 'backupCopy', 'project'], 'backupCopy.project');

  const hubs = entriesOf(spec.projects)
    .filter(([, p]) => HUB_ROLES.includes(p.role))
    .map(([name]) => name);
  return { spec, symbols, references, hubs, placement };
}
