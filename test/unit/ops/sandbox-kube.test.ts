import assert from 'node:assert/strict';
import { serveKubeApi } from './helpers';
import { after, before, describe, it } from 'node:test';
import { VeleroApi } from '../../../src/sandbox/kube/velero-api';
import { kubeConfigFromYaml } from '../../../src/scaleway/kube-client';
import { ensureVelero } from '../../../src/scaleway/writers/velero-install';
import { veleroCrds, veleroDeployment } from '../../../src/scaleway/writers/velero-manifests';

/*
 * The sandbox's per-cluster Kubernetes API answers as an API server does, through the real
 * @kubernetes/client-node: no velero.io until its CRDs exist, CRD schemas enforced, namespaces
 * required, Deployments that become Available only when they can run, and Velero that acts only
 * while its server runs.
 */

const kubeconfig = (server: string) => `apiVersion: v1
clusters:
- name: c
  cluster: { server: ${server} }
contexts:
- name: admin@c
  context: { cluster: c, user: admin }
current-context: admin@c
kind: Config
users:
- name: admin
  user: { token: tok }
`;

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return read();
}

describe('sandbox Kubernetes API (through @kubernetes/client-node)', () => {
  let server: Awaited<ReturnType<typeof serveKubeApi>>;
  let url = '';
  const goodKey = { accessKey: 'SCWGOODGOODGOODGOOD0', secretKey: 'good' };
  const api = new VeleroApi({
    delays: { startMs: 10, runMs: 30 }, readyMs: 60,
    credentialsValid: (ak, sk) => ak === goodKey.accessKey && sk === goodKey.secretKey,
    bucketAccess: (region: string, bucket: string) => (region === 'fr-par' && bucket === 'acme-prod-velero' ? 'ok' : 'NoSuchBucket'),
  });
  const clientsOf = async (cluster: string) => {
    const kube = await kubeConfigFromYaml(kubeconfig(`${url}/k8s-api/${cluster}`));
    const { k8s, kc } = kube;
    return { kube, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api), ext: kc.makeApiClient(k8s.ApiextensionsV1Api), custom: kc.makeApiClient(k8s.CustomObjectsApi) };
  };
  const status = (e: unknown) => (e as { code?: number }).code;

  before(async () => {
    server = await serveKubeApi(api);
    url = server.url;
  });
  after(() => server.close());

  it('a namespaced object needs its namespace; a CRD-served kind checks and prunes against the schema', async () => {
    const { core, ext, custom } = await clientsOf('k1');
    await assert.rejects(core.createNamespacedSecret({ namespace: 'velero', body: { metadata: { name: 's' }, data: {} } }), (e) => status(e) === 404 && /namespaces .{0,4}velero.{0,4} not found/.test(String((e as Error).message)));
    // a CRD without a schema is refused, as apiextensions.k8s.io/v1 refuses it
    await assert.rejects(ext.createCustomResourceDefinition({ body: { metadata: { name: 'things.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true }] } } }),
      (e) => status(e) === 422 && /schemas are required/.test(String((e as Error).message)));
    await core.createNamespace({ body: { metadata: { name: 'velero' } } });
    const [schedules] = veleroCrds({}).filter((c) => (c.metadata as { name: string }).name === 'schedules.velero.io');
    await custom.createClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', body: schedules! });
    const base = { group: 'velero.io', version: 'v1', namespace: 'velero', plural: 'schedules' };
    await assert.rejects(custom.createNamespacedCustomObject({ ...base, body: { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'x' }, spec: { template: {} } } }),
      (e) => status(e) === 422 && /spec.schedule: Required value/.test(String((e as Error).message)));
    await assert.rejects(custom.createNamespacedCustomObject({ ...base, body: { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'x' }, spec: { schedule: 6, template: {} } } }),
      (e) => status(e) === 422 && /must be of type string/.test(String((e as Error).message)));
    const created = await custom.createNamespacedCustomObject({ ...base, body: { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'x' }, spec: { schedule: '0 * * * *', template: {}, madeUp: true } } }) as { spec: Record<string, unknown>; status?: unknown };
    assert.deepEqual(created.spec, { schedule: '0 * * * *', template: {} }, 'unknown fields are pruned');
    // no Velero server: the schedule stays as created, nothing acts on it
    await new Promise((r) => setTimeout(r, 80));
    const read = await custom.getNamespacedCustomObject({ ...base, name: 'x' }) as { status?: unknown };
    assert.equal(read.status, undefined);
    assert.deepEqual(api.list('k1', 'backups').filter((b) => (b.metadata.labels ?? {})['velero.io/schedule-name'] === 'x'), []);
  });

  it('a Deployment is Available after its rollout only when its images, service account and secrets exist', async () => {
    const { core, apps } = await clientsOf('k2');
    await core.createNamespace({ body: { metadata: { name: 'velero' } } });
    const body = veleroDeployment({}, 'test') as never;
    await apps.createNamespacedDeployment({ namespace: 'velero', body });
    const failing = await apps.readNamespacedDeployment({ name: 'velero', namespace: 'velero' });
    assert.match(String(failing.status?.conditions?.find((c) => c.type === 'ReplicaFailure')?.message), /serviceaccount "velero" not found/);
    await core.createNamespacedServiceAccount({ namespace: 'velero', body: { metadata: { name: 'velero' } } });
    await core.createNamespacedSecret({ namespace: 'velero', body: { metadata: { name: 'cloud-credentials' }, data: { cloud: '' } } });
    const up = await until(() => apps.readNamespacedDeployment({ name: 'velero', namespace: 'velero' }), (d) => d.status?.availableReplicas === 1);
    assert.equal(up.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
    // an image that does not exist: the new rollout never becomes available
    const live = await apps.readNamespacedDeployment({ name: 'velero', namespace: 'velero' });
    live.spec!.template.spec!.containers[0]!.image = 'velero/velero:v9.9.9';
    await apps.replaceNamespacedDeployment({ name: 'velero', namespace: 'velero', body: live });
    await new Promise((r) => setTimeout(r, 120));
    const stuck = await apps.readNamespacedDeployment({ name: 'velero', namespace: 'velero' });
    assert.equal(stuck.status?.availableReplicas, 0);
    assert.equal(stuck.status?.conditions?.find((c) => c.type === 'Available')?.status, 'False');
  });

  it('Velero acts only while it runs; a storage location with a wrong key is Unavailable and its backups fail validation', async () => {
    const { kube, custom, apps } = await clientsOf('k3');
    await ensureVelero(kube, { bucket: 'acme-prod-velero', region: 'fr-par', labels: {} }, { ...goodKey, accessKey: 'SCWBADBADBADBADBADBA', from: 'test' });
    const bsl = { group: 'velero.io', version: 'v1', namespace: 'velero', plural: 'backupstoragelocations', name: 'acme-prod-velero' };
    const unavailable = await until(() => custom.getNamespacedCustomObject(bsl) as Promise<{ status?: { phase?: string; message?: string } }>, (b) => b.status?.phase !== undefined);
    assert.equal(unavailable.status?.phase, 'Unavailable');
    assert.match(String(unavailable.status?.message), /InvalidAccessKeyId/);
    const backups = { group: 'velero.io', version: 'v1', namespace: 'velero', plural: 'backups' };
    await custom.createNamespacedCustomObject({ ...backups, body: { apiVersion: 'velero.io/v1', kind: 'Backup', metadata: { name: 'k3-manual' }, spec: {} } });
    const failed = await custom.getNamespacedCustomObject({ ...backups, name: 'k3-manual' }) as { status?: { phase?: string; validationErrors?: string[] } };
    assert.equal(failed.status?.phase, 'FailedValidation');
    assert.match(String(failed.status?.validationErrors?.[0]), /BackupStorageLocation acme-prod-velero is in Unavailable status/);

    // the right key: Available, and a backup completes; without the server nothing moves
    await ensureVelero(kube, { bucket: 'acme-prod-velero', region: 'fr-par', labels: {} }, { ...goodKey, from: 'test-2' }, { rewriteSecret: true });
    assert.equal((await custom.getNamespacedCustomObject(bsl) as { status?: { phase?: string } }).status?.phase, 'Available');
    await apps.deleteNamespacedDeployment({ name: 'velero', namespace: 'velero' });
    await custom.createNamespacedCustomObject({ ...backups, body: { apiVersion: 'velero.io/v1', kind: 'Backup', metadata: { name: 'k3-later' }, spec: {} } });
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await custom.getNamespacedCustomObject({ ...backups, name: 'k3-later' }) as { status?: unknown }).status, undefined, 'no server: nothing happens');
    await ensureVelero(kube, { bucket: 'acme-prod-velero', region: 'fr-par', labels: {} }, { ...goodKey, from: 'test-2' });
    const done = await until(() => custom.getNamespacedCustomObject({ ...backups, name: 'k3-later' }) as Promise<{ status?: { phase?: string } }>, (b) => b.status?.phase === 'Completed');
    assert.equal(done.status?.phase, 'Completed');
  });
});
