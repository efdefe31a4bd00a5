import type * as ClientNodeModule from '@kubernetes/client-node';
import { childName, LZ_ID_PREFIX, LZ_MANAGED_TAG } from '../../core/desired';
import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import { retryTransient } from '../http';
import { CREDENTIALS_FROM, VELERO_DEPLOYMENT, VELERO_NAMESPACE } from '../writers/velero-manifests';
import { groupNotServed, kubeConfigFor, kubeError, kubeStatus, kubeTransient } from '../kube-client';
import { kubeReadSource, type KubeGetter, type KubeReadSource } from '../kube-reads';
import { idOfLabel, LZ_ID_LABEL } from './velero-objects';
import type { Cluster } from './reader';

/*
 * Whether Velero runs in a cluster, read with GETs only (the Deployment, the velero.io API and the
 * BackupStorageLocations; never the credentials Secret): what drift compares with the file's
 * velero-install and what apply waits for. `health` is `Available` or the one-line reason it is
 * not, with what to do.
 */

export interface VeleroHealth {
  /** Something of Velero is in the cluster (its CRDs or its Deployment). */
  installed: boolean;
  /** Whether the Deployment and the storage location were found. */
  deployment: boolean;
  location: boolean;
  /** The `lz-id` label apply put on the Deployment. */
  lzId?: string;
  version?: string;
  bucket?: string;
  bucketRegion?: string;
  s3Url?: string;
  /** `security/velero-scw-key@1`, from the Deployment's annotation. */
  credentialsFrom?: string;
  health: string;
  /** It cannot get better by waiting (a pod that cannot be created, a rollout past its deadline). */
  stuck: boolean;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };
type Bsl = { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { objectStorage?: { bucket?: string }; config?: Record<string, string>; default?: boolean }; status?: { phase?: string; message?: string } };

export async function readVeleroHealth(c: ScalewayClients, region: string, clusterId: string, bucket?: string): Promise<VeleroHealth> {
  const { k8s, kc } = await kubeConfigFor(c, region, clusterId);
  return veleroHealthOf(k8s, kc, bucket);
}

type ClientNode = typeof ClientNodeModule;

/** The same, on a KubeConfig the caller already has. */
export async function veleroHealthOf(k8s: ClientNode, kc: InstanceType<ClientNode['KubeConfig']>, bucket?: string, slot: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): Promise<VeleroHealth> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  // side by side: neither read needs the other (one round trip per cluster, not two)
  const [deployment, locations] = await Promise.all([
    retryTransient(() => slot(() => apps.readNamespacedDeployment({ name: VELERO_DEPLOYMENT, namespace: VELERO_NAMESPACE })), kubeTransient).catch(deploymentOrNone),
    retryTransient(() => slot(() => custom.listNamespacedCustomObject({ group: 'velero.io', version: 'v1', namespace: VELERO_NAMESPACE, plural: 'backupstoragelocations' })), kubeTransient).then(locationsOf, locationsOrNone),
  ]);
  return healthOf(deployment, locations, bucket);
}

/** The same with plain GETs (kube-reads.ts: the requests client-node makes above), for the readers. */
export async function veleroHealthFrom(get: KubeGetter, bucket?: string): Promise<VeleroHealth> {
  const [deployment, locations] = await Promise.all([
    get(`/apis/apps/v1/namespaces/${VELERO_NAMESPACE}/deployments/${VELERO_DEPLOYMENT}`).then((d) => d as Deployment, deploymentOrNone),
    get(`/apis/velero.io/v1/namespaces/${VELERO_NAMESPACE}/backupstoragelocations`).then(locationsOf, locationsOrNone),
  ]);
  return healthOf(deployment, locations, bucket);
}

type Deployment = ClientNodeModule.V1Deployment;
const deploymentOrNone = (err: unknown): undefined => {
  if (kubeStatus(err) !== 404) throw kubeError('Velero (read deployment)', err);
  return undefined;
};
const locationsOf = (list: unknown) => ((list as { items?: Bsl[] }).items ?? []) as Bsl[] | undefined;
const locationsOrNone = (err: unknown): undefined => {
  if (!groupNotServed(err)) throw kubeError('Velero (list backup storage locations)', err);
  return undefined;
};

/** What the Deployment and the storage locations (undefined: not there) say about Velero. */
function healthOf(deployment: Deployment | undefined, locations: Bsl[] | undefined, bucket: string | undefined): VeleroHealth {
  const labels = deployment?.metadata?.labels ?? {};
  const container = deployment?.spec?.template?.spec?.containers?.find((x) => x.name === 'velero');
  const bsl = locations?.find((l) => (bucket ? l.metadata?.name === bucket || l.spec?.objectStorage?.bucket === bucket : l.spec?.default)) ?? locations?.find((l) => l.spec?.default);
  const out: VeleroHealth = {
    installed: Boolean(deployment) || locations !== undefined,
    deployment: Boolean(deployment),
    location: Boolean(bsl),
    // the Deployment may be the part that is gone: the storage location carries the same label
    lzId: labels[LZ_ID_LABEL] ?? bsl?.metadata?.labels?.[LZ_ID_LABEL],
    version: container?.image?.split(':')[1],
    bucket: bsl?.spec?.objectStorage?.bucket,
    bucketRegion: bsl?.spec?.config?.region,
    s3Url: bsl?.spec?.config?.s3Url,
    credentialsFrom: deployment?.metadata?.annotations?.[CREDENTIALS_FROM],
    health: 'Available',
    stuck: false,
  };
  const fix = 'landing-zone apply reinstalls it';
  if (locations === undefined) {
    out.health = `the velero.io CRDs are missing, so Velero cannot run: ${fix}`;
    return out;
  }
  if (!deployment) {
    out.health = `deployment ${VELERO_NAMESPACE}/${VELERO_DEPLOYMENT} is missing: nothing takes backups; ${fix}`;
    return out;
  }
  const conditions = (deployment.status?.conditions ?? []) as Condition[];
  const available = conditions.find((x) => x.type === 'Available')?.status === 'True';
  if (!available) {
    const failure = conditions.find((x) => x.type === 'ReplicaFailure' && x.status === 'True');
    const deadline = conditions.find((x) => x.type === 'Progressing' && x.reason === 'ProgressDeadlineExceeded');
    const ready = `${deployment.status?.availableReplicas ?? 0}/${deployment.spec?.replicas ?? 1}`;
    out.stuck = Boolean(failure || deadline);
    out.health = `deployment ${VELERO_NAMESPACE}/${VELERO_DEPLOYMENT} is not available (${ready} ready)${failure ? `: ${failure.message}` : deadline ? ': its rollout exceeded its deadline' : ''}; check \`kubectl -n ${VELERO_NAMESPACE} describe pods\` (image ${container?.image ?? '?'}), then ${fix}`;
    return out;
  }
  if (!bsl) {
    out.health = `no BackupStorageLocation${bucket ? ` for bucket ${bucket}` : ''}: backups have nowhere to go; ${fix}`;
    return out;
  }
  if (bsl.status?.phase !== 'Available') {
    out.health = `BackupStorageLocation ${bsl.metadata?.name ?? '?'} is ${bsl.status?.phase ?? 'not validated yet'}${bsl.status?.message ? `: ${bsl.status.message}` : ''}; check the bucket and the S3 key in the vault (rotate-api-key, then apply)`;
  }
  return out;
}

/** `security/velero-scw-key@2` → `['security/velero-scw-key', 2]`. */
function parseCredentialsFrom(text: string | undefined): [string | null, number | string | null] {
  if (!text) return [null, null];
  const at = text.lastIndexOf('@');
  if (at < 0) return [text, null];
  const v = text.slice(at + 1);
  return [text.slice(0, at), /^\d+$/.test(v) ? Number(v) : v];
}

/** The Velero installs apply made in a region's ready clusters. */
export async function readVeleroInstalls(c: ScalewayClients, region: string, clusters: readonly Cluster[], kube: KubeReadSource = kubeReadSource(c)): Promise<LiveResource[]> {
  const out: LiveResource[] = [];
  await Promise.all(clusters.filter((k) => k.status === 'ready').map(async (k) => {
    const h = await veleroHealthFrom(await kube(region, k.id));
    // an install the tool did not make is not reported (and never deleted); one in a declared cluster is adopted by apply
    if (!h.installed || !h.lzId) return;
    const [credentials, credentialsVersion] = parseCredentialsFrom(h.credentialsFrom);
    out.push({
      kind: 'velero-install', scalewayId: `${k.id}/velero`, naturalId: '', projectId: k.projectId, name: childName(k.name, 'velero'), region,
      tags: [LZ_MANAGED_TAG, `${LZ_ID_PREFIX}${idOfLabel(h.lzId)}`], parentId: k.id,
      // what could not be read (a part that is gone) is left out rather than reported as null: health says why
      fields: {
        ...(h.deployment ? { version: h.version ?? null, credentials, credentialsVersion } : {}),
        ...(h.location ? { bucket: h.bucket ?? null, bucketRegion: h.bucketRegion ?? null, s3Url: h.s3Url ?? null } : {}),
        health: h.health,
      },
      attrs: { clusterId: k.id, cluster: k.name },
    });
  }));
  return out;
}
