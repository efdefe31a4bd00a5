import { httpStatus } from '../../core/errors';
import { createHash } from 'node:crypto';
import type { PlanOperation } from '../../core/plan';
import { retryTransient } from '../http';
import { kubeError, kubeStatus, kubeTransient, type kubeConfigFor } from '../kube-client';
import type { WriteContext } from './writer';
import {
  backupStorageLocation, credentialsFile, CREDENTIALS_ACCESS_KEY, CREDENTIALS_FROM, CREDENTIALS_SECRET, SPEC_DIGEST, toSchemaModel,
  veleroCrds, veleroDeployment, VELERO_DEPLOYMENT, VELERO_NAMESPACE, type VeleroTarget,
} from './velero-manifests';

/*
 * Installs Velero into a cluster through its Kubernetes API (the kubeconfig the K8s API hands
 * out), idempotently: each object is read first and written only when it is missing or differs
 * from what apply would write (a digest of it, in an annotation: the API server adds defaults,
 * so comparing whole objects would always differ). The writer (velero.ts) then waits until the
 * Deployment is Available and the BackupStorageLocation validated `Available`, and fails with the
 * reason (the BSL's message, the Deployment's condition) when it does not get there.
 *
 * The S3 key comes from the vault: the Secret Manager secret the Velero IAM application's API key
 * is stored in (`iam.applications.<app>.apiKey.storedIn`), at the version the file pins. It goes
 * from the access call into the Kubernetes Secret and nowhere else: not into the plan, the
 * journal, a log or an error.
 */

/** Requests one install made, by verb (the README quotes them). */
export interface InstallCalls {
  get: number;
  create: number;
  replace: number;
}

export interface VeleroCredentials {
  accessKey: string;
  secretKey: string;
  /** `security/velero-scw-key@1`: which vault version the Secret holds. */
  from: string;
}

type Target = VeleroTarget;

const digest = (o: unknown) => createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 32);

/** Writes every object of a Velero install that is missing or differs; returns the requests made. */
export async function ensureVelero(kube: Awaited<ReturnType<typeof kubeConfigFor>>, target: Target, creds: VeleroCredentials, options: { rewriteSecret?: boolean } = {}): Promise<InstallCalls> {
  const { k8s, kc } = kube;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const calls: InstallCalls = { get: 0, create: 0, replace: 0 };
  const ns = VELERO_NAMESPACE;

  type Live = { metadata?: { annotations?: Record<string, string>; resourceVersion?: string } };
  /** Read; create when absent; replace when the digest differs. `body` carries the digest annotation already. */
  async function ensure(what: string, body: Record<string, unknown> & { metadata: Record<string, unknown> }, ops: {
    read(): Promise<unknown>; create(b: never): Promise<unknown>; replace(b: never): Promise<unknown>;
  }, extra?: (live: Live) => boolean): Promise<void> {
    // over everything apply writes, its own annotations included (a new vault version changes them)
    const wanted = digest(body);
    const meta = body.metadata as { annotations?: Record<string, string> };
    meta.annotations = { ...(meta.annotations ?? {}), [SPEC_DIGEST]: wanted };
    let live: Live | undefined;
    try {
      calls.get += 1;
      live = (await retryTransient(() => ops.read(), kubeTransient)) as Live;
    } catch (err) {
      if (kubeStatus(err) !== 404) throw kubeError(`Velero install (read ${what})`, err);
    }
    try {
      if (!live) {
        calls.create += 1;
        await retryTransient(() => ops.create(body as never), kubeTransient);
      } else if (live.metadata?.annotations?.[SPEC_DIGEST] !== wanted || extra?.(live)) {
        calls.replace += 1;
        (body.metadata as { resourceVersion?: string }).resourceVersion = live.metadata?.resourceVersion;
        await retryTransient(() => ops.replace(body as never), kubeTransient);
      }
    } catch (err) {
      // a create whose answer was lost comes back 409: the next apply finds it and compares
      throw kubeError(`Velero install (write ${what})`, err);
    }
  }

  const labels = target.labels;
  for (const crd of veleroCrds(labels)) {
    const name = String((crd.metadata as { name: string }).name);
    const model = { ...crd, spec: { ...(crd.spec as Record<string, unknown>), versions: ((crd.spec as { versions: Record<string, unknown>[] }).versions).map((v) => ({ ...v, schema: { openAPIV3Schema: toSchemaModel((v.schema as { openAPIV3Schema: unknown }).openAPIV3Schema) } })) } };
    await ensure(`CRD ${name}`, model as never, {
      read: () => ext.readCustomResourceDefinition({ name }),
      create: (body) => ext.createCustomResourceDefinition({ body }),
      replace: (body) => ext.replaceCustomResourceDefinition({ name, body }),
    });
  }
  await ensure(`namespace ${ns}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...labels, component: 'velero' } } }, {
    read: () => core.readNamespace({ name: ns }),
    create: (body) => core.createNamespace({ body }),
    replace: (body) => core.replaceNamespace({ name: ns, body }),
  });
  await ensure('service account velero', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'velero', namespace: ns, labels: { ...labels, component: 'velero' } } }, {
    read: () => core.readNamespacedServiceAccount({ name: 'velero', namespace: ns }),
    create: (body) => core.createNamespacedServiceAccount({ namespace: ns, body }),
    replace: (body) => core.replaceNamespacedServiceAccount({ name: 'velero', namespace: ns, body }),
  });
  await ensure('cluster role binding velero', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: { name: 'velero', labels: { ...labels, component: 'velero' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'velero', namespace: ns }],
  }, {
    read: () => rbac.readClusterRoleBinding({ name: 'velero' }),
    create: (body) => rbac.createClusterRoleBinding({ body }),
    replace: (body) => rbac.replaceClusterRoleBinding({ name: 'velero', body }),
  });
  // the digest covers the annotations (vault version, access key), never the secret key itself
  const secretBody = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: CREDENTIALS_SECRET, namespace: ns, labels: { ...labels, component: 'velero' }, annotations: { [CREDENTIALS_FROM]: creds.from, [CREDENTIALS_ACCESS_KEY]: creds.accessKey } },
  };
  const keyId = target.projectId ? `${creds.accessKey}@${target.projectId}` : creds.accessKey;
  const secretWithData = () => ({ ...secretBody, data: { cloud: Buffer.from(credentialsFile(keyId, creds.secretKey)).toString('base64') } });
  await ensure(`secret ${CREDENTIALS_SECRET}`, secretBody, {
    read: () => core.readNamespacedSecret({ name: CREDENTIALS_SECRET, namespace: ns }),
    create: (body) => core.createNamespacedSecret({ namespace: ns, body: { ...secretWithData(), metadata: (body as { metadata: object }).metadata } as never }),
    replace: (body) => core.replaceNamespacedSecret({ name: CREDENTIALS_SECRET, namespace: ns, body: { ...secretWithData(), metadata: (body as { metadata: object }).metadata } as never }),
  }, (live) => options.rewriteSecret === true || !(live as { data?: Record<string, string> }).data?.cloud);
  const bsl = backupStorageLocation(target) as Record<string, unknown> & { metadata: Record<string, unknown> };
  const bslApi = { group: 'velero.io', version: 'v1', namespace: ns, plural: 'backupstoragelocations', name: target.bucket };
  await ensure(`BackupStorageLocation ${target.bucket}`, bsl, {
    read: () => custom.getNamespacedCustomObject(bslApi),
    create: (body) => custom.createNamespacedCustomObject({ ...bslApi, body }),
    replace: (body) => custom.replaceNamespacedCustomObject({ ...bslApi, body }),
  });
  const deployment = veleroDeployment(labels, creds.from) as Record<string, unknown> & { metadata: Record<string, unknown> };
  await ensure(`deployment ${VELERO_DEPLOYMENT}`, deployment, {
    read: () => apps.readNamespacedDeployment({ name: VELERO_DEPLOYMENT, namespace: ns }),
    create: (body) => apps.createNamespacedDeployment({ namespace: ns, body }),
    replace: (body) => apps.replaceNamespacedDeployment({ name: VELERO_DEPLOYMENT, namespace: ns, body }),
  });
  return calls;
}

/**
 * The S3 key Velero uses, read from the vault at the pinned version: a key/value version holds
 * `{"SCW_ACCESS_KEY","SCW_SECRET_KEY"}`; one that holds the secret key alone names its access key
 * in its description (what apply and `rotate-api-key` write).
 */
export async function veleroCredentials(op: PlanOperation, ctx: WriteContext): Promise<VeleroCredentials> {
  const f = ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
  const ref = typeof f.credentials === 'string' ? f.credentials : undefined;
  if (!ref) {
    throw new Error(`${op.id}: Velero needs an S3 key for bucket ${String(f.bucket)} and the file has none. Declare an IAM application for it under iam.applications (policy: ObjectStorageFullAccess on the bucket's project, apiKey.storedIn: a vault secret) and apply again`);
  }
  const [sp, sn] = ref.split('/') as [string, string];
  const vaultId = `${sp}/secret/${sn}`;
  const vault = ctx.lookup(vaultId);
  if (!vault) throw new Error(`${op.id}: the vault secret ${ref} is not known yet (a dependency failed or was skipped)`);
  const region = (ctx.desired.get(vaultId)?.region ?? op.region ?? 'fr-par') as never;
  const revision = f.credentialsVersion === 'latest' || f.credentialsVersion === undefined ? 'latest_enabled' : String(f.credentialsVersion);
  let data: string;
  let resolved = revision;
  try {
    const v = await ctx.clients.secret.accessSecretVersion({ region, secretId: vault.scalewayId, revision });
    data = Buffer.from(v.data, 'base64').toString('utf8');
    resolved = String(v.revision);
  } catch (err) {
    const status = httpStatus(err);
    throw new Error(`${op.id}: version ${revision} of the vault secret ${ref} could not be read${status ? ` (HTTP ${status})` : ''}; check that the Velero application's API key was stored there (landing-zone rotate-api-key stores a new one)`);
  }
  let accessKey: string | undefined;
  let secretKey = data.trim();
  if (secretKey.startsWith('{')) {
    try {
      const j = JSON.parse(secretKey) as { SCW_ACCESS_KEY?: string; SCW_SECRET_KEY?: string };
      accessKey = j.SCW_ACCESS_KEY;
      secretKey = j.SCW_SECRET_KEY ?? '';
    } catch {
      secretKey = '';
    }
  }
  if (!accessKey) {
    // apply stores the secret key alone: the version's description names its access key
    const v = await ctx.clients.secret.getSecretVersion({ region, secretId: vault.scalewayId, revision: resolved });
    accessKey = /\b(SCW[A-Z0-9]{17})\b/.exec(v.description ?? '')?.[1];
  }
  if (!accessKey || !secretKey) {
    throw new Error(`${op.id}: version ${revision} of the vault secret ${ref} does not hold an API key (expected {"SCW_ACCESS_KEY","SCW_SECRET_KEY"}, or a secret key whose version names its access key)`);
  }
  return { accessKey, secretKey, from: `${ref}@${String(f.credentialsVersion ?? 'latest')}` };
}
