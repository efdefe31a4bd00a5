import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256, type Env } from '../context';
import { FunctionsRuntime } from '../functions-runtime';
import { VeleroApi } from '../kube/velero-api';
import type { Store } from '../store';
import { S3Service, type S3Caller } from './s3-service';

/**
 * The protocols the sandbox speaks besides Scaleway's JSON APIs: Object Storage (S3, XML) under
 * `/s3/` and, per Kapsule cluster, Velero's Kubernetes API under `/k8s-api/<clusterId>` (the
 * server URL of the kubeconfig the k8s product hands out). The server calls `handle` once per
 * request, before its JSON routing; `undefined` means "not mine".
 */
export interface ExtraProtocols {
  readonly s3: S3Service;
  readonly velero: VeleroApi;
  /** Function code uploads, builds and runs (crons, and `run` for tests). */
  readonly functions: FunctionsRuntime;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, baseUrl: string): Promise<number | undefined>;
}

export interface ExtraOptions {
  cronCheckMs?: number;
  /** The server's IAM check: whether the key's rules grant the product (read, or write) on the project. */
  allows?(accessKey: string, product: string, projectId: string, write: boolean): boolean;
}

export function createExtraProtocols(store: Store, env: Env, options: ExtraOptions = {}): ExtraProtocols {
  /** `SCW…` acts in the key's preferred project, `SCW…@<project id>` in the one it names. */
  const callerOf = (sent: string): S3Caller | 'no-such-project' | undefined => {
    const at = sent.indexOf('@');
    const accessKey = at < 0 ? sent : sent.slice(0, at);
    const key = store.get('iam.api_key', accessKey);
    if (!key) return undefined;
    if (at >= 0) {
      const projectId = sent.slice(at + 1);
      return store.get('account.project', projectId) ? { accessKey, projectId } : 'no-such-project';
    }
    return { accessKey, projectId: String(key.data.default_project_id ?? store.projectId) };
  };
  const allows = (caller: S3Caller, projectId: string, write: boolean) => options.allows?.(caller.accessKey, 'ObjectStorage', projectId, write) ?? true;
  const s3: S3Service = new S3Service({
    callerOf,
    allows,
    defaultProjectId: store.projectId,
    persistence: inStore(store, 's3'),
    // Velero writes its backups into buckets while nobody looks: let it catch up before a read
    beforeRequest: () => velero.catchUp(),
  });
  const velero: VeleroApi = new VeleroApi({
    persistence: inStore(store, 'velero'),
    clusterExists: (id) => store.get('k8s.cluster', id) !== undefined,
    tokenValid: (id, token) => token.length > 0 && store.get('k8s.cluster', id)?.hidden?.kube_token === token,
    // a BackupStorageLocation reaches this sandbox's S3: its key must be one the sandbox issued
    credentialsValid: (ak, sk) => {
      const key = store.get('iam.api_key', ak.split('@')[0]!);
      const exp = key?.data.expires_at;
      return key?.hidden?.secret_hash === sha256(sk) && !(typeof exp === 'string' && Date.parse(exp) <= Date.now());
    },
    bucketAccess: (region, bucket, accessKeyId) => {
      const caller = callerOf(accessKeyId);
      return typeof caller === 'object' ? s3.access(region, bucket, caller, false) : 'AccessDenied';
    },
    objectExists: (region, bucket, key) => s3.has(region, bucket, key),
    writeObject: (region, bucket, key, body, contentType, at) => s3.writeObject(region, bucket, key, body, contentType, at),
  });
  const functions = new FunctionsRuntime({ store, env, cronCheckMs: options.cronCheckMs });
  // the run hook is the owner's (a user key), as only a person triggers a run by hand
  const isUserKey = (token: string) => store.list('iam.api_key').some((k) => k.hidden?.secret_hash === sha256(token) && typeof k.data.application_id !== 'string');
  return {
    s3,
    velero,
    functions,
    async handle(req, res, url, body, baseUrl) {
      return (await functions.handle(req, res, url, body, isUserKey)) ?? (await s3.handle(req, res, url, body)) ?? (await velero.handle(req, res, url, body, baseUrl));
    },
  };
}

/**
 * Keeps a protocol's snapshot as one record of the sandbox's store, so it lands in the state file
 * (`--state`) with everything else and comes back on restart. The transaction is what makes the
 * store schedule a save.
 */
function inStore(store: Store, id: string): { load(): unknown; save(snapshot: unknown): void } {
  const kind = 'sandbox.extras';
  return {
    load: () => store.get(kind, id)?.data.snapshot,
    save: (snapshot) => {
      store.transaction(() => store.put({ kind, id, loc: 'global', data: { snapshot: snapshot as never } }));
    },
  };
}
