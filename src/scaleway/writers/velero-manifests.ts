import { VELERO_VERSION } from '../../core/desired';

/*
 * What apply installs into a cluster for Velero, as Kubernetes objects: the velero.io CRDs, the
 * `velero` namespace, its service account bound to cluster-admin (Velero reads and recreates every
 * kind of object: what `velero install` sets up), the credentials Secret, the
 * BackupStorageLocation on the Scaleway bucket and the server Deployment with the AWS (S3)
 * object-store plugin as an init container.
 *
 * The CRD schemas are written from Velero's documented API (velero.io/docs, "API types"): the
 * fields a landing zone and its operators use are typed, status is kept as Velero writes it.
 * Pinned versions: Velero v1.18 goes with velero-plugin-for-aws v1.14 (the plugin's
 * compatibility table); 1.18.1 carries the fix for CVE-2026-32637 (unsafe tarball extraction on
 * restore).
 */

const VELERO_IMAGE = `velero/velero:${VELERO_VERSION}`;
const AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.2';
export const VELERO_NAMESPACE = 'velero';
export const VELERO_DEPLOYMENT = 'velero';
export const CREDENTIALS_SECRET = 'cloud-credentials';
/** Annotations on the credentials Secret: which vault version and access key it holds (never the secret key). */
export const CREDENTIALS_FROM = 'landing-zone/credentials-from';
export const CREDENTIALS_ACCESS_KEY = 'landing-zone/credentials-access-key';
/** Annotation with a digest of what apply wrote: a second apply that would write the same skips the write. */
export const SPEC_DIGEST = 'landing-zone/spec-digest';

/** Scaleway's Object Storage endpoint of a region: what the BSL's `s3Url` must be. */
const s3Endpoint = (region: string) => `https://s3.${region}.scw.cloud`;

/** An OpenAPI v3 schema, as a CRD carries it. */
export type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const nullableBool: Schema = { type: 'boolean', nullable: true };
const int: Schema = { type: 'integer' };
const strings: Schema = { type: 'array', items: str };
const stringMap: Schema = { type: 'object', additionalProperties: str };
const anything: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const obj = (properties: Record<string, Schema>, required?: string[]): Schema => ({ type: 'object', properties, ...(required ? { required } : {}) });
const labelSelector = obj({ matchLabels: stringMap, matchExpressions: { type: 'array', items: obj({ key: str, operator: str, values: strings }, ['key', 'operator']) } });
const credential = obj({ name: str, key: str, optional: bool }, ['key']);

const backupSpec = obj({
  metadata: obj({ labels: stringMap }),
  includedNamespaces: strings, excludedNamespaces: strings, includedResources: strings, excludedResources: strings,
  includedClusterScopedResources: strings, excludedClusterScopedResources: strings,
  includedNamespaceScopedResources: strings, excludedNamespaceScopedResources: strings,
  labelSelector, orLabelSelectors: { type: 'array', items: labelSelector },
  snapshotVolumes: nullableBool, ttl: str, includeClusterResources: nullableBool, hooks: anything,
  storageLocation: str, volumeSnapshotLocations: strings, defaultVolumesToFsBackup: nullableBool,
  snapshotMoveData: nullableBool, datamover: str, orderedResources: stringMap,
  csiSnapshotTimeout: str, itemOperationTimeout: str, resourcePolicy: anything, uploaderConfig: anything,
});

interface CrdDef {
  kind: string;
  plural: string;
  /** v1 unless said (the data mover's kinds are v2alpha1). */
  version?: string;
  spec: Schema;
  columns?: { name: string; path: string }[];
}

const CRDS: CrdDef[] = [
  { kind: 'Backup', plural: 'backups', spec: backupSpec },
  {
    kind: 'Schedule', plural: 'schedules',
    spec: { ...obj({ schedule: str, template: backupSpec, useOwnerReferencesInBackup: bool, paused: bool, skipImmediately: nullableBool }), required: ['schedule', 'template'] },
  },
  {
    kind: 'Restore', plural: 'restores',
    spec: obj({
      backupName: str, scheduleName: str, includedNamespaces: strings, excludedNamespaces: strings, includedResources: strings, excludedResources: strings,
      namespaceMapping: stringMap, labelSelector, orLabelSelectors: { type: 'array', items: labelSelector }, restorePVs: nullableBool,
      restoreStatus: anything, preserveNodePorts: nullableBool, includeClusterResources: nullableBool, hooks: anything,
      existingResourcePolicy: str, itemOperationTimeout: str, resourceModifier: anything, uploaderConfig: anything,
    }),
  },
  {
    kind: 'BackupStorageLocation', plural: 'backupstoragelocations',
    spec: obj({
      provider: str, objectStorage: obj({ bucket: str, prefix: str, caCert: str }, ['bucket']), config: stringMap, credential,
      default: bool, accessMode: { type: 'string', enum: ['ReadOnly', 'ReadWrite'] }, backupSyncPeriod: str, validationFrequency: str,
    }, ['provider', 'objectStorage']),
  },
  { kind: 'VolumeSnapshotLocation', plural: 'volumesnapshotlocations', spec: obj({ provider: str, config: stringMap, credential }, ['provider']) },
  {
    kind: 'DownloadRequest', plural: 'downloadrequests',
    spec: obj({ target: obj({ kind: { type: 'string', enum: ['BackupLog', 'BackupContents', 'BackupVolumeSnapshots', 'BackupItemOperations', 'BackupResourceList', 'BackupResults', 'RestoreLog', 'RestoreResults', 'RestoreResourceList', 'RestoreItemOperations', 'CSIBackupVolumeSnapshots', 'CSIBackupVolumeSnapshotContents', 'BackupVolumeInfos', 'RestoreVolumeInfo'] }, name: str }, ['kind', 'name']) }, ['target']),
  },
  { kind: 'DeleteBackupRequest', plural: 'deletebackuprequests', spec: obj({ backupName: str }, ['backupName']) },
  { kind: 'ServerStatusRequest', plural: 'serverstatusrequests', spec: obj({}) },
  { kind: 'PodVolumeBackup', plural: 'podvolumebackups', spec: anything },
  { kind: 'PodVolumeRestore', plural: 'podvolumerestores', spec: anything },
  // the server refuses to start without the data mover's kinds (velero.io/v2alpha1), even when it is not used
  { kind: 'DataUpload', plural: 'datauploads', version: 'v2alpha1', spec: obj({ snapshotType: str, csiSnapshot: anything, sourcePVC: str, dataMover: str, backupStorageLocation: str, sourceNamespace: str, dataMoverConfig: stringMap, cancel: bool, operationTimeout: str }) },
  { kind: 'DataDownload', plural: 'datadownloads', version: 'v2alpha1', spec: obj({ targetVolume: anything, backupStorageLocation: str, dataMover: str, snapshotID: str, sourceNamespace: str, dataMoverConfig: stringMap, cancel: bool, operationTimeout: str }) },
  { kind: 'BackupRepository', plural: 'backuprepositories', spec: obj({ volumeNamespace: str, backupStorageLocation: str, resticIdentifier: str, repositoryType: str, maintenanceFrequency: str, repositoryConfig: stringMap }) },
];

/** The velero.io CRDs, as `apiextensions.k8s.io/v1` objects (plain JSON, OpenAPI key names). */
export function veleroCrds(labels: Record<string, string>): Record<string, unknown>[] {
  return CRDS.map((d) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${d.plural}.velero.io`, labels: { ...labels, component: 'velero' } },
    spec: {
      group: 'velero.io', scope: 'Namespaced',
      names: { kind: d.kind, listKind: `${d.kind}List`, plural: d.plural, singular: d.kind.toLowerCase() },
      versions: [{
        name: d.version ?? 'v1', served: true, storage: true, subresources: {},
        schema: { openAPIV3Schema: obj({ apiVersion: str, kind: str, metadata: { type: 'object' }, spec: d.spec, status: anything }) },
      }],
    },
  }));
}

export interface VeleroTarget {
  /** Object Storage name of the bucket (also the BSL's name, which the Schedule's storageLocation names). */
  bucket: string;
  region: string;
  labels: Record<string, string>;
  /**
   * Where Velero's `backups/` folder sits in the bucket. A replacement cluster reads the DR copy,
   * which keeps Velero's objects under `velero/` (functions/backup-copy/copy.ts).
   */
  prefix?: string;
  /** A location Velero only reads (restores from a copy): it neither writes nor deletes there. */
  readOnly?: boolean;
  /**
   * The bucket's Scaleway project. S3 acts in one project per request, the key's preferred one
   * unless the access key names another (`SCW…@<project id>`): Velero's key names the bucket's.
   */
  projectId?: string;
}

export function backupStorageLocation(t: VeleroTarget): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation',
    metadata: { name: t.bucket, namespace: VELERO_NAMESPACE, labels: t.labels },
    spec: {
      provider: 'aws', default: true, accessMode: t.readOnly ? 'ReadOnly' : 'ReadWrite',
      objectStorage: { bucket: t.bucket, ...(t.prefix ? { prefix: t.prefix } : {}) },
      // Scaleway's S3 wants virtual-hosted style and no checksum header from the v2 AWS SDK (plugin ≥ 1.10)
      config: { region: t.region, s3Url: s3Endpoint(t.region), s3ForcePathStyle: 'false', checksumAlgorithm: '' },
      credential: { name: CREDENTIALS_SECRET, key: 'cloud' },
    },
  };
}

/** The AWS shared-credentials file the plugin reads: the one place the secret key goes. */
export function credentialsFile(accessKey: string, secretKey: string): string {
  return `[default]\naws_access_key_id=${accessKey}\naws_secret_access_key=${secretKey}\n`;
}

/** The server. `credentialsFrom` (`security/velero-scw-key@2`) is noted on it so drift reads it without reading the Secret. */
export function veleroDeployment(labels: Record<string, string>, credentialsFrom: string): Record<string, unknown> {
  const selector = { deploy: 'velero', component: 'velero' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: VELERO_DEPLOYMENT, namespace: VELERO_NAMESPACE, labels: { ...labels, component: 'velero' }, annotations: { [CREDENTIALS_FROM]: credentialsFrom } },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, name: 'velero' } },
        spec: {
          serviceAccountName: 'velero',
          restartPolicy: 'Always',
          initContainers: [{
            name: 'velero-plugin-for-aws', image: AWS_PLUGIN_IMAGE, imagePullPolicy: 'IfNotPresent',
            volumeMounts: [{ name: 'plugins', mountPath: '/target' }],
          }],
          containers: [{
            name: 'velero', image: VELERO_IMAGE, imagePullPolicy: 'IfNotPresent',
            command: ['/velero'], args: ['server', '--uploader-type=kopia'],
            ports: [{ name: 'metrics', containerPort: 8085 }],
            resources: { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
            volumeMounts: [
              { name: 'plugins', mountPath: '/plugins' },
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'cloud-credentials', mountPath: '/credentials' },
            ],
            env: [
              { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
              { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'LD_LIBRARY_PATH', value: '/plugins' },
              { name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/credentials/cloud' },
            ],
          }],
          volumes: [
            { name: 'plugins', emptyDir: {} },
            { name: 'scratch', emptyDir: {} },
            { name: 'cloud-credentials', secret: { secretName: CREDENTIALS_SECRET } },
          ],
        },
      },
    },
  };
}

/** OpenAPI key names → @kubernetes/client-node's V1JSONSchemaProps property names (its serializer maps them back). */
export function toSchemaModel(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toSchemaModel);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    const name = k === 'enum' ? '_enum' : k.startsWith('x-kubernetes-') ? k.replace(/-/g, '_') : k;
    out[name] = k === 'properties' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, toSchemaModel(s)])) : toSchemaModel(v);
  }
  return out;
}
