import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { describeEntry } from '../../../src/core/drift';
import { drReadiness } from '../../../src/core/dr/readiness';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { readOnlyClients, writeClients } from '../../../src/scaleway/client';
import { gatherDrFacts } from '../../../src/scaleway/operations/dr-facts';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import { kubeConfigFor } from '../../../src/scaleway/kube-client';
import { schedulesOf } from '../../../src/scaleway/readers/velero-objects';
import { driftOf, EXAMPLE_ORG, FAST_RETRY, inventoryOf, modelOf, planAndApply, sandboxProfile } from './helpers';

/*
 * Velero is installed by apply, not assumed: a new cluster serves no velero.io API, apply installs
 * Velero (CRDs, namespace, RBAC, the S3 key from the vault, the storage location, the server) and
 * waits until it runs, a second apply changes nothing, and a broken install is reported by drift
 * and dr check and repaired by apply. Real @kubernetes/client-node and @scaleway/sdk against the sandbox.
 */

const file = (org: string, k8sVersion: string) => `version: 1
organization: { id: ${org}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  security:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S }
    secrets:
      velero-scw-key: { path: /iam, version: 1, description: S3 key of Velero }
  devops:
    role: devops
    network:
      privateNetwork: { subnet: 10.0.1.0/24 }
      publicGateway: { type: VPC-GW-S }
  prod:
    role: environment
    network:
      privateNetwork: { subnet: 10.10.0.0/22 }
      publicGateway: { type: VPC-GW-S }
    clusters:
      apps:
        version: "${k8sVersion}"
        pools: { default: { nodeType: PRO2-S, size: 3 } }
    buckets:
      velero: { versioning: true, objectLock: true }
iam:
  applications:
    velero-backup:
      purpose: write Velero backups of the prod cluster to Object Storage
      policy:
        - { permissionSets: [ObjectStorageFullAccess], projects: [prod] }
      apiKey: { storedIn: security/velero-scw-key, expiresInDays: 90, defaultProject: prod }
disasterRecovery:
  velero: { bucket: prod/velero, schedule: "0 */6 * * *" }
  objectives: { rpo: 6h, rto: 2h }
`;

let sb: Sandbox;
let profile: ScalewayProfile;
let text: string;

before(async () => {
  sb = await startSandbox({ transitionMs: 20 });
  sb.extras.velero.setDelays({ startMs: 20, runMs: 60, readyMs: 100 });
  profile = await sandboxProfile(sb);
  // a Kubernetes minor the sandbox's catalog offers, whichever it is
  const offered = (await writeClients(profile, FAST_RETRY).k8s.listVersions({ region: 'fr-par' })).versions.map((v) => v.name);
  text = file(sb.organizationId ?? EXAMPLE_ORG, offered[0]!.split('.').slice(0, 2).join('.'));
});
after(async () => { await sb.close(); });

const kubeRequests = (from: number) => sb.requestLog.slice(from).filter((r) => r.path.startsWith('/k8s-api/'));
const veleroFindings = async () => (await driftOf(profile, text)).entries
  .filter((e) => e.kind.startsWith('velero') && e.status !== 'in-sync')
  .map((e) => `${e.status} ${e.id}${e.changes ? ` ${e.changes.map((c) => `${c.field}→${String(c.live)}`).join(',')}` : ''}`);

async function clusterId(): Promise<string> {
  const k = (await inventoryOf(profile)).resources.find((r) => r.kind === 'cluster' && r.lzId === 'prod/cluster/apps');
  assert.ok(k, 'the cluster exists');
  return k.scalewayId;
}

test('a fresh Kapsule cluster has no Velero: the velero.io API answers 404 and a Schedule cannot be created', async () => {
  // only the cluster, as a platform team would have it before the landing zone
  const rw = writeClients(profile, FAST_RETRY);
  const project = await rw.account.createProject({ name: 'scratch', organizationId: sb.organizationId, description: '' });
  const versions = (await rw.k8s.listVersions({ region: 'fr-par' })).versions.map((v) => v.name);
  const cluster = await rw.k8s.createCluster({
    region: 'fr-par', projectId: project.id, type: '', name: 'bare', description: '', version: versions[0]!, cni: 'cilium',
    pools: [{ name: 'default', nodeType: 'pro2_s', autoscaling: false, size: 1, containerRuntime: 'containerd', autohealing: true, tags: [], kubeletArgs: {}, zone: 'fr-par-1', rootVolumeType: 'default_volume_type', publicIpDisabled: false }],
  } as never);
  for (let i = 0; i < 200 && (await rw.k8s.getCluster({ region: 'fr-par', clusterId: cluster.id })).status !== 'ready'; i += 1) await new Promise((r) => setTimeout(r, 20));

  const { k8s, kc } = await kubeConfigFor(rw, 'fr-par', cluster.id);
  const namespaces = (await kc.makeApiClient(k8s.CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name).sort();
  assert.deepEqual(namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const crds = await kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition();
  assert.deepEqual(crds.items, []);
  await assert.rejects(
    kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({ group: 'velero.io', version: 'v1', namespace: 'velero', plural: 'backups' }),
    (e: { code?: number; body?: string }) => e.code === 404 && /the server could not find the requested resource/.test(String(e.body)),
  );
  const schedules = await schedulesOf(rw, 'fr-par', cluster.id);
  await assert.rejects(schedules.create({ name: 'velero', labels: {}, schedule: '0 */6 * * *', ttlSeconds: 86400, storageLocation: 'default' }),
    /Velero \(create schedule\): the cluster's Kubernetes API answered 404 \(the server could not find the requested resource\)/);
  assert.deepEqual(await schedules.list(), [], 'a cluster without Velero has no schedules (not an error)');
  await rw.k8s.deleteCluster({ region: 'fr-par', clusterId: cluster.id, withAdditionalResources: true });
  await rw.account.deleteProject({ projectId: project.id }).catch(() => undefined);
});

test('apply installs Velero before the schedule, from the vault\'s key; a second apply changes nothing', async () => {
  const before = await veleroFindings();
  assert.deepEqual(before, ['missing prod/velero-install/apps-velero', 'missing prod/velero-schedule/apps-velero']);
  const missing = (await driftOf(profile, text)).entries.find((e) => e.id === 'prod/velero-install/apps-velero')!;
  assert.match(describeEntry(missing), /missing .*Velero is not installed in this cluster: .*landing-zone apply installs it/);

  const mark = sb.requestLog.length;
  const { plan, result } = await planAndApply(profile, text);
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  const install = plan.operations.find((o) => o.kind === 'velero-install')!;
  assert.equal(install.summary, 'create velero-install prod/velero-install/apps-velero (Velero v1.18.1 writing to bucket acme-prod-velero (fr-par) with the S3 key in security/velero-scw-key, fr-par)');
  const schedule = plan.operations.find((o) => o.kind === 'velero-schedule')!;
  assert.ok(schedule.after.includes(install.id), 'the schedule waits for Velero');

  // what is in the cluster now
  const id = await clusterId();
  const { k8s, kc } = await kubeConfigFor(writeClients(profile, FAST_RETRY), 'fr-par', id);
  const crds = (await kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name).sort();
  assert.deepEqual(crds, ['backuprepositories', 'backups', 'backupstoragelocations', 'datadownloads', 'datauploads', 'deletebackuprequests', 'downloadrequests', 'podvolumebackups', 'podvolumerestores', 'restores', 'schedules', 'serverstatusrequests', 'volumesnapshotlocations'].map((p) => `${p}.velero.io`));
  const deployment = await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'velero', namespace: 'velero' });
  assert.equal(deployment.spec?.template.spec?.containers[0]?.image, 'velero/velero:v1.18.1');
  assert.equal(deployment.spec?.template.spec?.initContainers?.[0]?.image, 'velero/velero-plugin-for-aws:v1.14.2');
  assert.equal(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
  const bsl = await kc.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({ group: 'velero.io', version: 'v1', namespace: 'velero', plural: 'backupstoragelocations', name: 'acme-prod-velero' }) as { spec: { config: Record<string, string>; objectStorage: { bucket: string } }; status: { phase: string } };
  assert.deepEqual([bsl.spec.objectStorage.bucket, bsl.spec.config.region, bsl.spec.config.s3Url, bsl.status.phase], ['acme-prod-velero', 'fr-par', 'https://s3.fr-par.scw.cloud', 'Available']);
  // the Secret holds the Velero application's key, read from the vault at the pinned version
  const secret = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ name: 'cloud-credentials', namespace: 'velero' });
  const app = sb.state.list('iam.application').find((a) => a.name === 'velero-backup')!;
  const key = sb.state.list('iam.api_key').find((k) => k.application_id === app.id)!;
  const ini = Buffer.from(secret.data!.cloud!, 'base64').toString();
  // S3 acts in the project named after the key: the Velero bucket's (prod)
  const prod = sb.state.list('account.project').find((p) => p.name === 'prod')!;
  assert.match(ini, new RegExp(`aws_access_key_id=${String(key.access_key)}@${String(prod.id)}\\n`));
  assert.equal(secret.metadata?.annotations?.['landing-zone/credentials-from'], 'security/velero-scw-key@1');
  // … and appears nowhere in what the tool produced
  const secretKey = /aws_secret_access_key=(\S+)/.exec(ini)![1]!;
  assert.ok(!JSON.stringify(plan).includes(secretKey) && !JSON.stringify(result).includes(secretKey));
  assert.ok(!sb.requestLog.some((r) => JSON.stringify(r).includes(secretKey)));

  const installCalls = kubeRequests(mark).filter((r) => !r.path.includes('/schedules'));
  const byVerb = (list: typeof installCalls) => list.reduce<Record<string, number>>((n, r) => ({ ...n, [r.method]: (n[r.method] ?? 0) + 1 }), {});
  console.log(`first apply, Velero install: ${installCalls.length} Kubernetes requests ${JSON.stringify(byVerb(installCalls))}`);
  // 13 CRDs, namespace, service account, binding, Secret, storage location, Deployment
  assert.equal(installCalls.filter((r) => r.method === 'POST').length, 19);
  const kubeconfigs = sb.requestLog.slice(mark).filter((r) => r.path.endsWith('/kubeconfig')).length;
  console.log(`first apply: ${kubeconfigs} kubeconfig GETs on the Kapsule API`);

  // Velero runs: the schedule's first backup completes
  const velero = await schedulesOf(readOnlyClients(profile, FAST_RETRY), 'fr-par', id);
  assert.equal((await velero.list()).length, 1);
  assert.deepEqual(await veleroFindings(), []);

  const again = sb.requestLog.length;
  const second = await planAndApply(profile, text);
  assert.deepEqual(second.plan.operations.map((o) => `${o.action} ${o.id}`), []);
  const writes = kubeRequests(again).filter((r) => r.method !== 'GET');
  assert.deepEqual(writes, [], 'a second apply writes nothing into the cluster');
  console.log(`second apply: ${kubeRequests(again).length} Kubernetes requests (drift's reads), 0 writes`);
});

test('a deleted Velero deployment is reported by drift and dr check, and repaired by apply', async () => {
  const id = await clusterId();
  const rw = writeClients(profile, FAST_RETRY);
  const { k8s, kc } = await kubeConfigFor(rw, 'fr-par', id);
  await kc.makeApiClient(k8s.AppsV1Api).deleteNamespacedDeployment({ name: 'velero', namespace: 'velero' });

  assert.deepEqual(await veleroFindings(), [
    'changed prod/velero-install/apps-velero health→deployment velero/velero is missing: nothing takes backups; landing-zone apply reinstalls it',
  ]);
  const entry = (await driftOf(profile, text)).entries.find((e) => e.id === 'prod/velero-install/apps-velero')!;
  assert.equal(entry.reason, 'deployment velero/velero is missing: nothing takes backups; landing-zone apply reinstalls it');
  const { model } = modelOf(text);
  const ready = drReadiness(model, await gatherDrFacts(readOnlyClients(profile, FAST_RETRY), model), new Date());
  assert.deepEqual(ready.findings.filter((f) => f.id === 'velero-running').map((f) => f.message), ['cluster prod/apps: deployment velero/velero is missing: nothing takes backups; landing-zone apply reinstalls it']);

  const mark = sb.requestLog.length;
  const repair = await planAndApply(profile, text);
  assert.equal(repair.result.status, 'completed', JSON.stringify(repair.result.failed));
  assert.deepEqual(repair.plan.operations.map((o) => `${o.action} ${o.id}`), ['update prod/velero-install/apps-velero']);
  // only what was missing is created; the Secret is written again (a repair never trusts it)
  const writes = kubeRequests(mark).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^\/k8s-api\/[^/]+/, '')}`);
  assert.deepEqual(writes, ['PUT /api/v1/namespaces/velero/secrets/cloud-credentials', 'POST /apis/apps/v1/namespaces/velero/deployments']);
  assert.deepEqual(await veleroFindings(), []);
});

test('a wrong S3 key leaves the storage location Unavailable: drift says so, apply writes the vault\'s key again', async () => {
  const id = await clusterId();
  const { k8s, kc } = await kubeConfigFor(writeClients(profile, FAST_RETRY), 'fr-par', id);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const live = await core.readNamespacedSecret({ name: 'cloud-credentials', namespace: 'velero' });
  live.data = { cloud: Buffer.from('[default]\naws_access_key_id=SCWXXXXXXXXXXXXXXXXX\naws_secret_access_key=00000000-0000-0000-0000-000000000000\n').toString('base64') };
  await core.replaceNamespacedSecret({ name: 'cloud-credentials', namespace: 'velero', body: live });

  const findings = await veleroFindings();
  assert.equal(findings.length, 1);
  assert.match(findings[0]!, /^changed prod\/velero-install\/apps-velero health→BackupStorageLocation acme-prod-velero is Unavailable: .*InvalidAccessKeyId.*; check the bucket and the S3 key in the vault/);
  const repair = await planAndApply(profile, text);
  assert.equal(repair.result.status, 'completed', JSON.stringify(repair.result.failed));
  assert.deepEqual(await veleroFindings(), []);
});

test('a new key in the vault, re-pinned in the file (what rotate-api-key does): drift names the version, apply gives Velero the new key', async () => {
  const rw = writeClients(profile, FAST_RETRY);
  const app = sb.state.list('iam.application').find((a) => a.name === 'velero-backup')!;
  const fresh = await rw.iam.createAPIKey({ applicationId: String(app.id), description: 'rotated by hand' });
  const vault = (await rw.secret.listSecrets({ region: 'fr-par', name: 'velero-scw-key', scheduledForDeletion: false }).all())[0]!;
  await rw.secret.createSecretVersion({
    region: 'fr-par', secretId: vault.id, disablePrevious: false,
    data: Buffer.from(JSON.stringify({ SCW_ACCESS_KEY: fresh.accessKey, SCW_SECRET_KEY: fresh.secretKey })).toString('base64'),
  });
  const rotated = text.replace('velero-scw-key: { path: /iam, version: 1,', 'velero-scw-key: { path: /iam, version: 2,');
  const findings = (await driftOf(profile, rotated)).entries.filter((e) => e.kind === 'velero-install' && e.status !== 'in-sync');
  assert.deepEqual(findings.map((e) => e.changes?.map((c) => `${c.field}: ${String(c.declared)}→${String(c.live)}`)), [['credentialsVersion: 2→1']]);

  const { plan, result } = await planAndApply(profile, rotated);
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  assert.deepEqual(plan.operations.map((o) => `${o.action} ${o.id}`), ['update prod/velero-install/apps-velero']);
  assert.ok(!JSON.stringify(plan).includes(String(fresh.secretKey)) && !JSON.stringify(result).includes(String(fresh.secretKey)));
  const { k8s, kc } = await kubeConfigFor(rw, 'fr-par', await clusterId());
  const secret = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ name: 'cloud-credentials', namespace: 'velero' });
  assert.equal(secret.metadata?.annotations?.['landing-zone/credentials-access-key'], fresh.accessKey);
  assert.match(Buffer.from(secret.data!.cloud!, 'base64').toString(), new RegExp(`aws_secret_access_key=${String(fresh.secretKey)}\\n`));
  assert.deepEqual((await driftOf(profile, rotated)).entries.filter((e) => e.kind.startsWith('velero') && e.status !== 'in-sync'), []);
});
