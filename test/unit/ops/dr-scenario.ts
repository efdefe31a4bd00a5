import { CreateBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { veleroOf } from '../../../src/scaleway/operations/dr-facts';
import { writeClients, type ScalewayClients } from '../../../src/scaleway/client';
import { requireFunctionBundle } from '../../../src/scaleway/operations/function-bundle';
import { kubeConfigFor } from '../../../src/scaleway/kube-client';
import { readVeleroHealth } from '../../../src/scaleway/readers/velero-install';
import { ensureVelero } from '../../../src/scaleway/writers/velero-install';
import { resolveProfile } from '../../../src/scaleway/profiles';
import type { Arranged } from './helpers';

/** A landing zone with a prod project whose database, cluster and bucket are backed up. */
export const drFile = (orgId: string) => `# DR scenario
version: 1
organization: { id: ${orgId}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  security:
    role: security
  devops:
    role: devops
  prod:
    role: environment
    network:
      privateNetwork: { subnet: 10.30.0.0/22 }
      publicGateway: { type: VPC-GW-S }
    clusters:
      apps:
        version: "1.35"
        pools:
          default: { nodeType: PRO2-S, size: 3 }
    databases:
      main:
        engine: PostgreSQL-16
        nodeType: DB-DEV-S
        backups: { everyHours: 6, retentionDays: 14, sameRegion: false }
        endpointSecret: prod/main-db-endpoint
    secrets:
      main-db-endpoint:
        path: /endpoints
        version: 1   # consumers read this
        type: key_value
    buckets:
      velero: { versioning: true, objectLock: true }
disasterRecovery:
  velero: { bucket: prod/velero, schedule: "0 */6 * * *", clusters: [prod/apps] }
  backupCopy: { project: devops, schedule: "0 3 * * *", toRegion: nl-ams }
  zoneFailure: { fallbackZone: fr-par-2 }
  regionFailure: { fallbackRegion: nl-ams }
  objectives: { rpo: 6h, rto: 2h }
`;

export interface DrWorld {
  prodId: string;
  devopsId: string;
  pnId: string;
  instanceId: string;
  clusterId: string;
  backupId: string;
  secretId: string;
  replicaSecretId: string;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('scenario: timed out');
}

/**
 * Installs Velero into a cluster the way apply does (ensureVelero, through @kubernetes/client-node)
 * with the given S3 key, and waits until it runs. For scenarios built without apply.
 */
export async function installVelero(c: ScalewayClients, region: string, clusterId: string, bucket: string, key: { accessKey: string; secretKey: string }, where: { prefix?: string; readOnly?: boolean; projectId?: string } = {}): Promise<void> {
  const kube = await kubeConfigFor(c, region, clusterId);
  await ensureVelero(kube, { bucket, region, labels: {}, ...where }, { accessKey: key.accessKey, secretKey: key.secretKey, from: 'test' });
  await until(() => readVeleroHealth(c, region, clusterId, bucket), (h) => h.health === 'Available');
}

/** Builds the whole scenario in the sandbox through the real SDKs. */
export async function arrangeDr(a: Arranged, env: NodeJS.ProcessEnv): Promise<DrWorld> {
  const org = a.sandbox.organizationId;
  const prod = await a.account.createProject({ name: 'prod', organizationId: org, description: '' });
  const devops = await a.account.createProject({ name: 'devops', organizationId: org, description: '' });
  const c = writeClients(await resolveProfile({ env }));
  const pn = await c.vpc.createPrivateNetwork({ region: 'fr-par', projectId: prod.id, name: 'prod-pn', subnets: ['10.30.0.0/22'], defaultRoutePropagationEnabled: false });
  const inst = await a.rdb.createInstance({
    region: 'fr-par', projectId: prod.id, name: 'main', engine: 'PostgreSQL-16', nodeType: 'db-dev-s', isHaCluster: false, disableBackup: false,
    userName: 'admin', password: 'a-long-password-1A!', tags: [], initSettings: [], volumeType: 'sbs_5k', volumeSize: 20_000_000_000,
    backupSameRegion: false, initEndpoints: [{ privateNetwork: { privateNetworkId: pn.id, ipamConfig: {} } }],
  });
  await until(() => a.rdb.getInstance({ region: 'fr-par', instanceId: inst.id }), (i) => i.status === 'ready');
  await a.rdb.updateInstance({ region: 'fr-par', instanceId: inst.id, backupScheduleFrequency: 6, backupScheduleRetention: 14, isBackupScheduleDisabled: false });
  const backup = await a.rdb.createDatabaseBackup({ region: 'fr-par', instanceId: inst.id, databaseName: 'rdb', name: 'main-latest' });
  await until(() => a.rdb.getDatabaseBackup({ region: 'fr-par', databaseBackupId: backup.id }), (b) => b.status === 'ready');
  const versions = (await a.k8s.listVersions({ region: 'fr-par' })).versions.map((v) => v.name);
  const cluster = await a.k8s.createCluster({
    region: 'fr-par', projectId: prod.id, type: '', name: 'apps', description: '', version: versions.find((v) => v.startsWith('1.35.'))!, cni: 'cilium',
    privateNetworkId: pn.id,
    pools: [{ name: 'default', nodeType: 'pro2_s', autoscaling: false, size: 3, containerRuntime: 'containerd', autohealing: true, tags: [], kubeletArgs: {}, zone: 'fr-par-1', rootVolumeType: 'default_volume_type', publicIpDisabled: false }],
  });
  await until(() => a.k8s.getCluster({ region: 'fr-par', clusterId: cluster.id }), (x) => x.status === 'ready');
  const s3 = new S3Client({
    region: 'fr-par', endpoint: `${a.sandbox.url}/s3/fr-par`, forcePathStyle: true,
    // S3 acts in the project named after the access key: the Velero bucket is prod's
    credentials: { accessKeyId: `${a.sandbox.accessKey}@${prod.id}`, secretAccessKey: a.sandbox.secretKey }, requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'acme-prod-velero', ObjectLockEnabledForBucket: true }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'acme-prod-velero', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } } }));
  // the cluster's bootstrap installed Velero on the bucket (what apply does for the file's clusters)
  await installVelero(c, 'fr-par', cluster.id, 'acme-prod-velero', a.sandbox, { projectId: prod.id });
  const velero = await veleroOf(c, 'fr-par', cluster.id);
  await velero.createSchedule('velero', '0 */6 * * *', '720h');
  await until(() => velero.listBackups(), (l) => l.some((b) => b.phase === 'Completed'));
  // the copy function with its real code, its credentials as secret variables, and one run that landed
  const drS3 = new S3Client({
    region: 'nl-ams', endpoint: `${a.sandbox.url}/s3/nl-ams`, forcePathStyle: true,
    credentials: { accessKeyId: `${a.sandbox.accessKey}@${devops.id}`, secretAccessKey: a.sandbox.secretKey }, requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  await drS3.send(new CreateBucketCommand({ Bucket: 'acme-devops-backup-copy' }));
  const ns = await a.functions.createNamespace({
    region: 'fr-par', projectId: devops.id, name: 'dr', environmentVariables: {}, activateVpcIntegration: false,
    secretEnvironmentVariables: [{ key: 'SCW_ACCESS_KEY', value: a.sandbox.accessKey }, { key: 'SCW_SECRET_KEY', value: a.sandbox.secretKey }],
  });
  await until(() => a.functions.getNamespace({ region: 'fr-par', namespaceId: ns.id }), (x) => x.status === 'ready');
  const fn = await a.functions.createFunction({
    region: 'fr-par', namespaceId: ns.id, name: 'backup-copy', minScale: 0, maxScale: 1, runtime: 'node22', memoryLimit: 256,
    environmentVariables: { LZ_TARGET_BUCKET: `nl-ams:acme-devops-backup-copy@${devops.id}`, LZ_VELERO_BUCKET: `fr-par:acme-prod-velero@${prod.id}`, LZ_DATABASES: `fr-par:${prod.id}`, LZ_POLL_MS: '20' },
    privacy: 'private', secretEnvironmentVariables: [], httpOption: 'enabled', handler: 'handler.handle',
  } as never);
  const bundle = requireFunctionBundle('backup-copy');
  const upload = await a.functions.getFunctionUploadURL({ region: 'fr-par', functionId: fn.id, contentLength: bundle.zip.length });
  await fetch(upload.url, { method: 'PUT', body: new Uint8Array(bundle.zip), headers: { 'Content-Type': 'application/octet-stream' } });
  await a.functions.deployFunction({ region: 'fr-par', functionId: fn.id });
  await until(() => a.functions.getFunction({ region: 'fr-par', functionId: fn.id }), (x) => x.status === 'ready' || x.status === 'error');
  const cron = await a.functions.createCron({ region: 'fr-par', functionId: fn.id, schedule: '0 3 * * *', name: 'copy' } as never);
  await until(() => a.functions.getCron({ region: 'fr-par', cronId: cron.id }), (x) => x.status === 'ready');
  const run = await a.sandbox.extras.functions.runCron(cron.id);
  if (run.statusCode !== 200) throw new Error(`scenario: the copy run failed: ${run.error ?? ''} ${run.body ?? ''} ${run.logs}`);
  drS3.destroy();
  const secret = await a.secret.createSecret({ region: 'fr-par', projectId: prod.id, name: 'main-db-endpoint', path: '/endpoints', protected: false, type: 'key_value' });
  await a.secret.createSecretVersion({ region: 'fr-par', secretId: secret.id, data: Buffer.from('{"host":"10.30.0.5","port":"5432"}').toString('base64') });
  const replica = await a.secret.createSecret({ region: 'nl-ams', projectId: prod.id, name: 'main-db-endpoint', path: '/endpoints', protected: false, type: 'key_value' });
  await a.secret.createSecretVersion({ region: 'nl-ams', secretId: replica.id, data: Buffer.from('{"host":"10.30.0.5","port":"5432"}').toString('base64') });
  return { prodId: prod.id, devopsId: devops.id, pnId: pn.id, instanceId: inst.id, clusterId: cluster.id, backupId: backup.id, secretId: secret.id, replicaSecretId: replica.id };
}
