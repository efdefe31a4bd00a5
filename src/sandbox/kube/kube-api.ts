import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAgainstSchema, type OpenApiSchema } from './structural-schema';

/*
 * Per Kapsule cluster, the Kubernetes API at the kubeconfig's server URL
 * (`<sandbox>/k8s-api/<clusterId>`), as `@kubernetes/client-node` calls it. A new cluster has what
 * a new Kapsule cluster has: the core API (namespaces — `default`, `kube-system` —, secrets,
 * service accounts, config maps, services), `apps/v1` deployments, RBAC and
 * `apiextensions.k8s.io/v1` CRDs. Any other group (Velero's `velero.io`) answers 404 "the server
 * could not find the requested resource", exactly as an API server does, until a CRD serves it;
 * its objects are then checked against the CRD's OpenAPI schema (unknown fields pruned).
 *
 * Status is computed when an object is read (no timers, so a closed sandbox leaves nothing
 * running): a Deployment becomes Available `readyMs` after its last spec change when its images
 * exist, its service account exists and the secrets its volumes mount exist. Controllers (the
 * Velero model in velero-api.ts) plug in through `KubeController` to move their objects.
 */

export const KUBE_PREFIX = '/k8s-api/';

/** A kind the API server serves. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** For CRD-served kinds: the schema objects are checked against, and whether status is a subresource. */
  schema?: OpenApiSchema;
  statusSubresource?: boolean;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

/** One object as the sandbox keeps it. */
export interface StoredObject {
  group: string;
  plural: string;
  namespace: string;
  obj: KubeObject;
  createdMs: number;
  /** Last change of the spec (a Deployment rolls out again from there). */
  specChangedMs: number;
  /** Controller state that is never served (a restore's decided outcome…). */
  hidden?: Record<string, unknown>;
  /** Seeded objects keep their status. */
  frozen?: boolean;
}

/** What a controller sees of one cluster. */
export interface ClusterView {
  readonly id: string;
  get(group: string, plural: string, namespace: string, name: string): StoredObject | undefined;
  list(group: string, plural: string, namespace?: string): StoredObject[];
  /** Whether the Deployment is Available now, and since when. */
  availableSince(namespace: string, name: string, now: number): number | undefined;
  /** Whether a CRD serves this group and plural. */
  serves(group: string, plural: string): boolean;
}

export interface KubeController {
  /** Resources (`group/plural`) whose objects are one set shared by every cluster that serves them. */
  readonly shared?: ReadonlySet<string>;
  /** Brings a served object's status up to date before it is returned. */
  settle?(cluster: ClusterView, s: StoredObject, now: number): void;
  /** After an object was created in a cluster (a Schedule's first backup…). */
  created?(cluster: ClusterView, s: StoredObject, now: number): void;
  /** Whether a shared object shows in this cluster (a backup only where a storage location sees its files). */
  visible?(cluster: ClusterView, s: StoredObject, now: number): boolean;
}

export interface KubeApiOptions {
  /** Where objects survive a restart (the sandbox's state file); absent: memory only. */
  persistence?: { load(): unknown; save(snapshot: unknown): void };
  /** Whether the cluster exists (a kubeconfig of a deleted cluster stops working). */
  clusterExists?(clusterId: string): boolean;
  /** Whether a bearer token is valid for the cluster; default: any non-empty token. */
  tokenValid?(clusterId: string, token: string): boolean;
  /** Whether a registry serves this image; default: `imageKnown` below. */
  imageExists?(image: string): boolean;
  /** A Deployment's rollout time (ms). */
  readyMs?: number;
  now?: () => number;
}

class KubeError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

const BUILTIN: ResourceType[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
];

/** Namespaces a new Kapsule cluster has. */
const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Images the sandbox's registry serves: Velero and its AWS (S3) plugin from v1.10 on, and
 * anything under the public library. A tag that does not exist is an ImagePullBackOff.
 */
function imageKnown(image: string): boolean {
  const m = /^(?:docker\.io\/)?([a-z0-9./-]+):([\w.-]+)$/.exec(image);
  if (!m) return false;
  const [, repo, tag] = m as unknown as [string, string, string];
  if (repo === 'velero/velero') return /^v1\.(1[0-9])\.\d+$/.test(tag);
  if (repo === 'velero/velero-plugin-for-aws') return /^v1\.([6-9]|1[0-4])\.\d+$/.test(tag);
  return repo.startsWith('library/');
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface Cluster {
  objects: Map<string, StoredObject>;
}

export class KubeApi {
  private readonly clusters = new Map<string, Cluster>();
  /** Objects of shared resources (Velero's backups live in the bucket, not in a cluster). */
  private readonly sharedObjects = new Map<string, StoredObject>();
  private readonly controllers: KubeController[] = [];
  private resourceVersion = 1000;
  private readonly readyMs: number;
  private readonly now: () => number;
  baseUrl = '';

  constructor(private readonly options: KubeApiOptions = {}) {
    this.readyMs = options.readyMs ?? 300;
    this.now = options.now ?? Date.now;
    const snap = options.persistence?.load() as { rv?: number; shared?: [string, StoredObject][]; clusters?: [string, [string, StoredObject][]][] } | undefined;
    if (snap && Array.isArray(snap.clusters) && snap.clusters.every(([, objs]) => Array.isArray(objs) && objs.every(([, s]) => typeof s?.group === 'string'))) {
      this.resourceVersion = snap.rv ?? this.resourceVersion;
      for (const [k, v] of snap.shared ?? []) this.sharedObjects.set(k, v);
      for (const [id, objects] of snap.clusters) this.clusters.set(id, { objects: new Map(objects) });
    }
  }

  /** A Deployment's rollout time can be shortened by tests. */
  deploymentReadyMs = (): number => this.readyMsOverride ?? this.readyMs;
  private readyMsOverride: number | undefined;
  setReadyMs(ms: number): void {
    this.readyMsOverride = ms;
  }

  addController(c: KubeController): void {
    this.controllers.push(c);
  }

  persist(): void {
    this.options.persistence?.save({
      rv: this.resourceVersion,
      shared: [...this.sharedObjects],
      clusters: [...this.clusters].map(([id, c]) => [id, [...c.objects]]),
    });
  }

  nextVersion(): string {
    return String(++this.resourceVersion);
  }

  /** The clusters that have a Kubernetes API object store (every cluster once a client reached it). */
  clusterIds(): string[] {
    return [...this.clusters.keys()].filter((id) => id !== '' && (!this.options.clusterExists || this.options.clusterExists(id)));
  }

  /** The view a controller or a test has of one cluster. */
  view(clusterId: string): ClusterView {
    const c = this.cluster(clusterId);
    const api = this;
    return {
      id: clusterId,
      get: (group, plural, namespace, name) => this.storeFor(c, group, plural).get(keyOf(group, plural, namespace, name)),
      list: (group, plural, namespace) => [...this.storeFor(c, group, plural).values()].filter((s) => s.group === group && s.plural === plural && (namespace === undefined || s.namespace === namespace)),
      availableSince(namespace, name, now) {
        const s = c.objects.get(keyOf('apps', 'deployments', namespace, name));
        return s ? api.deploymentHealth(c, s, now).availableSince : undefined;
      },
      serves: (group, plural) => this.customType(c, group, plural) !== undefined,
    };
  }

  /** Puts an object as a controller would (a synced backup); shared resources go to the shared set. */
  putObject(clusterId: string, s: StoredObject): void {
    this.storeFor(this.cluster(clusterId), s.group, s.plural).set(keyOf(s.group, s.plural, s.namespace, s.obj.metadata.name), s);
  }

  newMeta(name: string, namespace: string | undefined, now: number, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
    return { name, ...(namespace ? { namespace } : {}), uid: uid(), resourceVersion: this.nextVersion(), creationTimestamp: new Date(now).toISOString(), generation: 1, ...extra };
  }

  /** Handles a request under /k8s-api/; returns the status sent, or undefined when the path is not ours. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, baseUrl: string, extra?: (clusterId: string, path: string) => { status: number; data: Buffer } | undefined): Promise<number | undefined> {
    if (!url.pathname.startsWith(KUBE_PREFIX)) return undefined;
    this.baseUrl = baseUrl;
    const method = req.method ?? 'GET';
    const [clusterId = '', ...rest] = url.pathname.slice(KUBE_PREFIX.length).split('/');
    const path = `/${rest.join('/')}`;
    try {
      if (this.options.clusterExists && !this.options.clusterExists(clusterId)) {
        // what a client sees when the cluster behind a kubeconfig is gone: nothing answers there
        throw new KubeError(404, 'NotFound', `cluster ${clusterId} not found`);
      }
      const raw = method === 'GET' ? extra?.(clusterId, path) : undefined;
      if (raw) {
        res.writeHead(raw.status, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(raw.data.length) });
        res.end(raw.data);
        return raw.status;
      }
      this.authenticate(req, clusterId);
      const rv = this.resourceVersion;
      const reply = this.route(method, clusterId, path, url.searchParams, body, String(req.headers['content-type'] ?? ''));
      send(res, reply.status, reply.body);
      // a read can create objects too (a Schedule's first backup): save when anything got a new version
      if (method !== 'GET' || this.resourceVersion !== rv) this.persist();
      return reply.status;
    } catch (err) {
      if (!(err instanceof KubeError)) throw err;
      send(res, err.code, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code,
        ...(err.details ? { details: err.details } : {}),
      });
      return err.code;
    }
  }

  private authenticate(req: IncomingMessage, clusterId: string): void {
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const valid = this.options.tokenValid ? this.options.tokenValid(clusterId, token) : token.length > 0;
    if (!valid) throw new KubeError(401, 'Unauthorized', 'Unauthorized');
  }

  private cluster(id: string): Cluster {
    let c = this.clusters.get(id);
    if (!c) {
      c = { objects: new Map() };
      const now = this.now();
      for (const ns of INITIAL_NAMESPACES) {
        const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: this.newMeta(ns, undefined, now, { labels: { 'kubernetes.io/metadata.name': ns } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
        c.objects.set(keyOf('', 'namespaces', '', ns), { group: '', plural: 'namespaces', namespace: '', obj, createdMs: now, specChangedMs: now });
      }
      this.clusters.set(id, c);
    }
    return c;
  }

  private isShared(group: string, plural: string): boolean {
    return this.controllers.some((x) => x.shared?.has(`${group}/${plural}`));
  }

  private storeFor(c: Cluster, group: string, plural: string): Map<string, StoredObject> {
    return this.isShared(group, plural) ? this.sharedObjects : c.objects;
  }

  /** The kind a CRD of this cluster serves, if any. */
  private customType(c: Cluster, group: string, plural: string, version?: string): ResourceType | undefined {
    const crd = c.objects.get(keyOf('apiextensions.k8s.io', 'customresourcedefinitions', '', `${plural}.${group}`));
    if (!crd) return undefined;
    const spec = crd.obj.spec as unknown as CrdSpec;
    const v = spec.versions.find((x) => x.served && (version === undefined || x.name === version));
    if (!v) return undefined;
    return {
      group, version: v.name, plural, kind: spec.names.kind, namespaced: spec.scope === 'Namespaced',
      schema: v.schema?.openAPIV3Schema, statusSubresource: Boolean(v.subresources?.status),
    };
  }

  private typeOf(c: Cluster, group: string, version: string, plural: string): ResourceType | undefined {
    return BUILTIN.find((t) => t.group === group && t.version === version && t.plural === plural) ?? this.customType(c, group, plural, version);
  }

  private route(method: string, clusterId: string, path: string, q: URLSearchParams, body: Buffer, contentType: string): { status: number; body: unknown } {
    const c = this.cluster(clusterId);
    if (method === 'GET' && path === '/version') {
      return { status: 200, body: { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' } };
    }
    if (method === 'GET' && path === '/apis') return { status: 200, body: this.groups(c) };
    const parts = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') [group, version, rest] = ['', 'v1', parts.slice(2)];
    else if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
    else throw cannotFind();
    if (method === 'GET' && rest.length === 0) return { status: 200, body: this.resourceList(c, group, version) };
    let namespace = '';
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      [namespace, plural, name, sub] = [rest[1]!, rest[2]!, rest[3], rest[4]];
    } else {
      [plural, name, sub] = [rest[0]!, rest[1], rest[2]];
    }
    const type = this.typeOf(c, group, version, plural);
    if (!type || (sub !== undefined && sub !== 'status') || rest.length > 5) throw cannotFind();
    if (namespace && !type.namespaced) throw cannotFind();
    const store = this.storeFor(c, group, plural);
    const now = this.now();

    if (method === 'GET' && !name) {
      const selector = parseSelector(q.get('labelSelector'));
      const items = [...store.values()]
        .filter((s) => s.group === group && s.plural === plural && (!namespace || s.namespace === namespace))
        .map((s) => [s, this.served(c, type, s, now)] as const)
        .filter(([s]) => this.visible(c, s, now))
        .map(([, o]) => o)
        .filter((o) => matches(o, selector))
        .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
      return { status: 200, body: { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: String(this.resourceVersion) }, items } };
    }
    if (type.namespaced && !namespace && name) throw cannotFind();
    if (method === 'POST' && !name) {
      if (type.namespaced && !namespace) throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      const input = parseObject(body);
      return { status: 201, body: this.create(c, type, namespace, input, now) };
    }
    if (!name) throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const key = keyOf(group, plural, namespace, name);
    const s = store.get(key);
    if (method === 'GET') {
      if (!s) throw notFound(type, name);
      const out = this.served(c, type, s, now);
      if (!this.visible(c, s, now)) throw notFound(type, name);
      return { status: 200, body: out };
    }
    if (method === 'PUT' || method === 'PATCH') {
      if (!s) throw notFound(type, name);
      let input: KubeObject;
      if (method === 'PATCH') {
        if (!/merge-patch\+json|strategic-merge-patch\+json/.test(contentType)) {
          throw new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`);
        }
        input = mergePatch(structuredClone(s.obj), parseObject(body)) as KubeObject;
      } else input = parseObject(body);
      return { status: 200, body: this.replace(c, type, s, input, sub === 'status', now) };
    }
    if (method === 'DELETE') {
      if (!s) throw notFound(type, name);
      const out = this.served(c, type, s, now);
      this.remove(c, s);
      return { status: 200, body: out };
    }
    throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  private create(c: Cluster, type: ResourceType, namespace: string, input: KubeObject, now: number): KubeObject {
    const meta = (input.metadata ?? {}) as KubeObject['metadata'];
    const name = typeof meta.name === 'string' ? meta.name : '';
    const what = `${type.kind}${type.group ? `.${type.group}` : ''} "${name}"`;
    if (!name) throw invalid(type, name, [['metadata.name', 'Required value: name or generateName is required']]);
    const nameRule = type.plural === 'namespaces' ? DNS_LABEL : DNS_SUBDOMAIN;
    if (!nameRule.test(name)) throw invalid(type, name, [['metadata.name', `Invalid value: "${name}": a lowercase RFC 1123 ${type.plural === 'namespaces' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'`]]);
    if (meta.namespace !== undefined && namespace && meta.namespace !== namespace) {
      throw new KubeError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    if (type.namespaced && !c.objects.has(keyOf('', 'namespaces', '', namespace))) {
      throw new KubeError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    const store = this.storeFor(c, type.group, type.plural);
    const key = keyOf(type.group, type.plural, namespace, name);
    if (store.has(key)) throw new KubeError(409, 'AlreadyExists', `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" already exists`, { name, group: type.group, kind: type.plural });
    const obj = this.validated(c, type, input, what);
    obj.metadata = { ...this.newMeta(name, type.namespaced ? namespace : undefined, now), ...pick(meta, ['labels', 'annotations', 'ownerReferences', 'finalizers']) };
    if (type.plural === 'namespaces') obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
    delete obj.status;
    const stored: StoredObject = { group: type.group, plural: type.plural, namespace: type.namespaced ? namespace : '', obj, createdMs: now, specChangedMs: now };
    store.set(key, stored);
    const view = this.view(this.idOf(c));
    for (const ctl of this.controllers) ctl.created?.(view, stored, now);
    return this.served(c, type, stored, now);
  }

  private replace(c: Cluster, type: ResourceType, s: StoredObject, input: KubeObject, statusOnly: boolean, now: number): KubeObject {
    const meta = (input.metadata ?? {}) as KubeObject['metadata'];
    const name = s.obj.metadata.name;
    if (meta.name !== undefined && meta.name !== name) throw new KubeError(400, 'BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== s.obj.metadata.resourceVersion) {
      throw new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${type.plural}${type.group ? `.${type.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: type.group, kind: type.plural });
    }
    if (statusOnly) {
      s.obj.status = input.status ?? {};
    } else {
      const obj = this.validated(c, type, input, `${type.kind}${type.group ? `.${type.group}` : ''} "${name}"`);
      const specChanged = JSON.stringify(specOf(obj)) !== JSON.stringify(specOf(s.obj));
      const status = s.obj.status;
      const generation = Number(s.obj.metadata.generation ?? 1) + (specChanged ? 1 : 0);
      obj.metadata = { ...s.obj.metadata, ...pick(meta, ['labels', 'annotations', 'ownerReferences', 'finalizers']), generation };
      if (type.statusSubresource || type.group === 'apps' || type.plural === 'namespaces') obj.status = status;
      else if (obj.status === undefined) delete obj.status;
      s.obj = obj;
      if (specChanged) s.specChangedMs = now;
    }
    s.obj.metadata.resourceVersion = this.nextVersion();
    return this.served(c, type, s, now);
  }

  private remove(c: Cluster, s: StoredObject): void {
    this.storeFor(c, s.group, s.plural).delete(keyOf(s.group, s.plural, s.namespace, s.obj.metadata.name));
    if (s.plural === 'namespaces') {
      // the namespace controller deletes what the namespace held (at once here; a real one takes a moment)
      for (const [k, o] of c.objects) if (o.namespace === s.obj.metadata.name) c.objects.delete(k);
    }
    if (s.plural === 'customresourcedefinitions') {
      const spec = s.obj.spec as unknown as CrdSpec;
      if (!this.isShared(spec.group, spec.names.plural)) {
        for (const [k, o] of c.objects) if (o.group === spec.group && o.plural === spec.names.plural) c.objects.delete(k);
      }
    }
  }

  private idOf(c: Cluster): string {
    for (const [id, x] of this.clusters) if (x === c) return id;
    return '';
  }

  /** Checks an incoming object and returns a clean copy (a CRD kind's unknown fields pruned). */
  private validated(c: Cluster, type: ResourceType, input: KubeObject, what: string): KubeObject {
    const obj = structuredClone(input);
    obj.apiVersion = apiVersionOf(type);
    obj.kind = type.kind;
    const problems: [string, string][] = [];
    if (type.schema) {
      const { metadata, apiVersion, kind, ...rest } = obj;
      const checked = checkAgainstSchema({ ...rest }, { ...type.schema, properties: { ...(type.schema.properties ?? {}), metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, apiVersion: { type: 'string' }, kind: { type: 'string' } } }, '', problems) as Record<string, unknown>;
      for (const k of Object.keys(obj)) if (!['metadata', 'apiVersion', 'kind'].includes(k)) delete obj[k];
      Object.assign(obj, checked, { metadata, apiVersion, kind });
    }
    if (type.plural === 'customresourcedefinitions') problems.push(...crdProblems(obj));
    if (type.plural === 'deployments') problems.push(...deploymentProblems(obj));
    if (type.plural === 'secrets') {
      for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) problems.push([`data[${k}]`, 'Invalid value: not base64-encoded']);
      }
    }
    if (problems.length) throw invalid(type, String(input.metadata?.name ?? ''), problems, what);
    void c;
    return obj;
  }

  /** Whether every controller lets this cluster see the object (only shared objects can be hidden). */
  private visible(c: Cluster, s: StoredObject, now: number): boolean {
    if (!this.isShared(s.group, s.plural)) return true;
    const view = this.view(this.idOf(c));
    return this.controllers.every((ctl) => ctl.visible?.(view, s, now) ?? true);
  }

  /** A served copy of an object, its status brought up to date. */
  private served(c: Cluster, type: ResourceType, s: StoredObject, now: number): KubeObject {
    if (!s.frozen) {
      if (s.plural === 'deployments' && s.group === 'apps') s.obj.status = this.deploymentHealth(c, s, now).status;
      if (s.plural === 'customresourcedefinitions') s.obj.status = crdStatus(s);
      const view = this.view(this.idOf(c));
      for (const ctl of this.controllers) ctl.settle?.(view, s, now);
    }
    void type;
    return structuredClone(s.obj);
  }

  /**
   * A Deployment's rollout as the deployment controller reports it. One replica: a pod that cannot
   * be created (missing service account) is a ReplicaFailure; a pod whose image does not exist or
   * whose secret volume is missing never becomes ready (ImagePullBackOff, ContainerCreating).
   */
  private deploymentHealth(c: Cluster, s: StoredObject, now: number): { status: Record<string, unknown>; availableSince?: number } {
    const ns = s.namespace;
    const spec = (s.obj.spec ?? {}) as DeploymentSpec;
    const pod = spec.template?.spec ?? {};
    const replicas = spec.replicas ?? 1;
    const generation = Number(s.obj.metadata.generation ?? 1);
    const sa = pod.serviceAccountName ?? 'default';
    const conditions: Record<string, unknown>[] = [];
    const stamp = new Date(s.specChangedMs).toISOString();
    let ready = replicas > 0;
    if (sa !== 'default' && !c.objects.has(keyOf('', 'serviceaccounts', ns, sa))) {
      ready = false;
      conditions.push({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', lastUpdateTime: stamp, lastTransitionTime: stamp, message: `pods "${s.obj.metadata.name}-" is forbidden: error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found` });
    }
    const images = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((x) => x.image ?? '');
    const imageOk = this.options.imageExists ?? imageKnown;
    const badImage = images.find((i) => !imageOk(i));
    const missingSecret = (pod.volumes ?? []).map((v) => v.secret?.secretName).find((n) => n && !c.objects.has(keyOf('', 'secrets', ns, n)));
    if (badImage || missingSecret) ready = false;
    const since = s.specChangedMs + this.deploymentReadyMs();
    const available = ready && now >= since;
    conditions.unshift({
      type: 'Available', status: available ? 'True' : 'False', reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.', lastUpdateTime: stamp, lastTransitionTime: stamp,
    });
    const deadline = (spec.progressDeadlineSeconds ?? 600) * 1000;
    const stuck = !ready && now - s.specChangedMs > deadline;
    conditions.push({
      type: 'Progressing', status: stuck ? 'False' : 'True', reason: stuck ? 'ProgressDeadlineExceeded' : available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
      message: stuck ? `ReplicaSet "${s.obj.metadata.name}" has timed out progressing.` : `ReplicaSet "${s.obj.metadata.name}" ${available ? 'has successfully progressed' : 'is progressing'}.`,
      lastUpdateTime: stamp, lastTransitionTime: stamp,
    });
    const up = available ? replicas : 0;
    return {
      status: { observedGeneration: generation, replicas, updatedReplicas: replicas, readyReplicas: up, availableReplicas: up, ...(up < replicas ? { unavailableReplicas: replicas - up } : {}), conditions },
      availableSince: available ? since : undefined,
    };
  }

  private groups(c: Cluster): unknown {
    const byGroup = new Map<string, Set<string>>();
    for (const t of BUILTIN) if (t.group) byGroup.set(t.group, new Set([t.version]));
    for (const s of c.objects.values()) {
      if (s.plural !== 'customresourcedefinitions') continue;
      const spec = s.obj.spec as unknown as CrdSpec;
      const set = byGroup.get(spec.group) ?? new Set();
      for (const v of spec.versions) if (v.served) set.add(v.name);
      byGroup.set(spec.group, set);
    }
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [...byGroup].map(([name, versions]) => ({
        name, versions: [...versions].map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${[...versions][0]}`, version: [...versions][0] },
      })),
    };
  }

  private resourceList(c: Cluster, group: string, version: string): unknown {
    const types = BUILTIN.filter((t) => t.group === group && t.version === version);
    for (const s of c.objects.values()) {
      if (s.plural !== 'customresourcedefinitions') continue;
      const spec = s.obj.spec as unknown as CrdSpec;
      if (spec.group !== group) continue;
      const t = this.customType(c, group, spec.names.plural, version);
      if (t) types.push(t);
    }
    if (types.length === 0) throw cannotFind();
    return {
      kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
      resources: types.map((t) => ({ name: t.plural, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] })),
    };
  }
}

interface CrdSpec {
  group: string;
  names: { plural: string; kind: string; singular?: string; listKind?: string };
  scope: 'Namespaced' | 'Cluster';
  versions: { name: string; served: boolean; storage: boolean; schema?: { openAPIV3Schema?: OpenApiSchema }; subresources?: { status?: unknown } }[];
}

interface DeploymentSpec {
  replicas?: number;
  progressDeadlineSeconds?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: {
    metadata?: { labels?: Record<string, string> };
    spec?: {
      serviceAccountName?: string;
      containers?: { name?: string; image?: string }[];
      initContainers?: { name?: string; image?: string }[];
      volumes?: { name?: string; secret?: { secretName?: string } }[];
    };
  };
}

function crdProblems(obj: KubeObject): [string, string][] {
  const out: [string, string][] = [];
  const spec = (obj.spec ?? {}) as Partial<CrdSpec>;
  if (!spec.group) out.push(['spec.group', 'Required value']);
  if (!spec.names?.plural) out.push(['spec.names.plural', 'Required value']);
  if (!spec.names?.kind) out.push(['spec.names.kind', 'Required value']);
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') out.push(['spec.scope', `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"`]);
  if (spec.group && spec.names?.plural && obj.metadata?.name !== `${spec.names.plural}.${spec.group}`) {
    out.push(['metadata.name', `Invalid value: "${String(obj.metadata?.name)}": must be spec.names.plural+"."+spec.group`]);
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) out.push(['spec.versions', 'Invalid value: must have exactly one version marked as storage version']);
  else if (versions.filter((v) => v.storage).length !== 1) out.push(['spec.versions', 'Invalid value: must have exactly one version marked as storage version']);
  versions.forEach((v, i) => {
    // apiextensions.k8s.io/v1 requires a structural schema for every version
    if (!v.schema?.openAPIV3Schema) out.push([`spec.versions[${i}].schema.openAPIV3Schema`, 'Required value: schemas are required']);
    else if (v.schema.openAPIV3Schema.type !== 'object') out.push([`spec.versions[${i}].schema.openAPIV3Schema.type`, 'Required value: must be object at the root']);
  });
  return out;
}

function crdStatus(s: StoredObject): Record<string, unknown> {
  const spec = s.obj.spec as unknown as CrdSpec;
  const t = new Date(s.createdMs).toISOString();
  return {
    acceptedNames: spec.names,
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: t },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: t },
    ],
    storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
  };
}

function deploymentProblems(obj: KubeObject): [string, string][] {
  const out: [string, string][] = [];
  const spec = (obj.spec ?? {}) as DeploymentSpec;
  const selector = spec.selector?.matchLabels;
  if (!selector || Object.keys(selector).length === 0) out.push(['spec.selector', 'Required value']);
  const labels = spec.template?.metadata?.labels ?? {};
  if (selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) out.push(['spec.template.metadata.labels', 'Invalid value: `selector` does not match template `labels`']);
  const containers = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) out.push(['spec.template.spec.containers', 'Required value']);
  [...containers, ...(spec.template?.spec?.initContainers ?? [])].forEach((ctr, i) => {
    if (!ctr.name) out.push([`spec.template.spec.containers[${i}].name`, 'Required value']);
    if (!ctr.image) out.push([`spec.template.spec.containers[${i}].image`, 'Required value']);
  });
  return out;
}

function specOf(o: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function parseObject(body: Buffer): KubeObject {
  let obj: unknown;
  try {
    obj = JSON.parse(body.toString('utf8'));
  } catch {
    throw new KubeError(400, 'BadRequest', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new KubeError(400, 'BadRequest', 'the body of the request is not an object');
  return obj as KubeObject;
}

function keyOf(group: string, plural: string, namespace: string, name: string): string {
  return `${group}/${plural}/${namespace}/${name}`;
}

function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

function cannotFind(): KubeError {
  return new KubeError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function notFound(t: Pick<ResourceType, 'group' | 'plural'>, name: string): KubeError {
  return new KubeError(404, 'NotFound', `${t.plural}${t.group ? `.${t.group}` : ''} "${name}" not found`, { name, group: t.group, kind: t.plural });
}

function invalid(t: ResourceType, name: string, problems: [string, string][], what = `${t.kind}${t.group ? `.${t.group}` : ''} "${name}"`): KubeError {
  return new KubeError(422, 'Invalid', `${what} is invalid: ${problems.map(([f, m]) => `${f}: ${m}`).join(', ')}`, {
    name, group: t.group, kind: t.kind, causes: problems.map(([field, message]) => ({ reason: 'FieldValueInvalid', message, field })),
  });
}

function uid(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function parseSelector(s: string | null): [string, string][] {
  if (!s) return [];
  return s.split(',').map((p) => p.split('=').map((x) => x.trim()) as [string, string]).filter(([k]) => k);
}

function matches(o: KubeObject, selector: [string, string][]): boolean {
  const labels = (o.metadata.labels ?? {}) as Record<string, string>;
  return selector.every(([k, v]) => labels[k] === v);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
