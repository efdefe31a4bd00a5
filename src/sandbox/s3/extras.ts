import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256, type Env } from '../context';
import { FunctionsRuntime } from '../functions-runtime';
import { VeleroApi } from '../kube/velero-api';
import type { Store } from '../store';
import { S3Service } from './s3-service';

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

export function createExtraProtocols(store: Store, env: Env, options: { cronCheckMs?: number } = {}): ExtraProtocols {
  const s3: S3Service = new S3Service({
    isKnownAccessKey: (ak) => store.get('iam.api_key', ak) !== undefined,
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
      const key = store.get('iam.api_key', ak);
      const exp = key?.data.expires_at;
      return key?.hidden?.secret_hash === sha256(sk) && !(typeof exp === 'string' && Date.parse(exp) <= Date.now());
    },
    bucketExists: (region, bucket) => s3.list().some((b) => b.region === region && b.name === bucket),
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
