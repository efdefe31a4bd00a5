import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readOnlyClients } from '../../../src/scaleway/client';
import { groupNotServed, kubeConfigFromYaml, kubeError, kubeStatus } from '../../../src/scaleway/kube-client';
import { kubeGetterOf } from '../../../src/scaleway/kube-reads';
import { veleroHealthFrom, veleroHealthOf } from '../../../src/scaleway/readers/velero-install';
import { listSchedules } from '../../../src/scaleway/readers/velero-objects';
import { resolveProfile } from '../../../src/scaleway/profiles';

/*
 * The readers' plain GETs on a cluster's Kubernetes API against @kubernetes/client-node, on one
 * HTTPS server whose certificate the kubeconfig names as its CA (as Scaleway's kubeconfigs do):
 * the same requests, the same answers, the same errors.
 */

const dir = join(__dirname, '..', '..', 'fixtures', 'kube-tls');
const cert = readFileSync(join(dir, 'cert.pem'));
const key = readFileSync(join(dir, 'key.pem'));
const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let url: string;

const DEPLOYMENT = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'velero', namespace: 'velero', labels: { 'lz-id': 'prod.velero-install.apps-velero' }, annotations: { 'landing-zone/credentials-from': 'security/velero-scw-key@1' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'velero', image: 'velero/velero:v1.15.0' }] } } },
  status: { availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] },
};
const LOCATIONS = { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocationList', items: [{ metadata: { name: 'default', labels: {} }, spec: { default: true, objectStorage: { bucket: 'velero-b' }, config: { region: 'fr-par', s3Url: 'https://s3.fr-par.scw.cloud' } }, status: { phase: 'Available' } }] };
const SCHEDULES = { apiVersion: 'velero.io/v1', kind: 'ScheduleList', items: [{ metadata: { name: 'daily', labels: { 'lz-id': 'prod.velero-schedule.apps-daily' } }, spec: { schedule: '0 3 * * *', template: { ttl: '720h0m0s', storageLocation: 'default' } } }] };
const NOT_SERVED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 };

let schedulesServed = true;

before(async () => {
  server = createServer({ cert, key }, (req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.headers.authorization !== 'Bearer t0ken') return send(401, { kind: 'Status', code: 401, message: 'Unauthorized' });
    const path = req.url!.replace(/^\/base/, '');
    if (path === '/apis/apps/v1/namespaces/velero/deployments/velero') return send(200, DEPLOYMENT);
    if (path === '/apis/velero.io/v1/namespaces/velero/backupstoragelocations') return send(200, LOCATIONS);
    if (path === '/apis/velero.io/v1/namespaces/velero/schedules') return schedulesServed ? send(200, SCHEDULES) : send(404, NOT_SERVED);
    return send(404, NOT_SERVED);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});
after(() => { server.close(); });

const kubeconfig = (ca: Buffer | undefined, token = 't0ken') => [
  'apiVersion: v1', 'clusters:', '- name: "apps"', '  cluster:', ...(ca ? [`    certificate-authority-data: ${ca.toString('base64')}`] : []), `    server: ${url}`,
  'contexts:', '- name: admin@apps', '  context:', '    cluster: "apps"', '    user: apps-admin', 'current-context: admin@apps', 'kind: Config', 'preferences: {}',
  'users:', '- name: apps-admin', '  user:', `    token: ${token}`, '',
].join('\n');

const clients = async () => readOnlyClients(await resolveProfile({ env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: 'http://127.0.0.1:9', SCW_ACCESS_KEY: 'SCWXXXXXXXXXXXXXXXXX', SCW_SECRET_KEY: '11111111-1111-4111-8111-111111111111', SCW_DEFAULT_ORGANIZATION_ID: '22222222-2222-4222-8222-222222222222' } }), { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });

test('the readers\' GETs are the requests client-node makes, over TLS checked against the kubeconfig\'s CA, and read the same', async () => {
  const c = await clients();
  const yaml = kubeconfig(cert);
  seen.length = 0;
  const ours = await veleroHealthFrom(await kubeGetterOf(c, yaml));
  const oursSeen = seen.splice(0);
  const { k8s, kc } = await kubeConfigFromYaml(yaml);
  const theirs = await veleroHealthOf(k8s, kc);
  const theirsSeen = seen.splice(0);
  assert.deepEqual(ours, theirs);
  assert.equal(ours.health, 'Available');
  assert.equal(ours.lzId, 'prod.velero-install.apps-velero');
  const key = (r: (typeof seen)[number]) => `${r.method} ${r.url} accept=${r.headers.accept} authorization=${r.headers.authorization}`;
  assert.deepEqual(oursSeen.map(key).sort(), theirsSeen.map(key).sort());
  assert.equal(oursSeen.length, 2);
  // the Scaleway secret key never goes to a cluster
  for (const r of oursSeen) assert.equal(r.headers['x-auth-token'], undefined);

  const schedules = await listSchedules(await kubeGetterOf(c, yaml));
  assert.deepEqual(schedules, [{ name: 'daily', labels: { 'lz-id': 'prod.velero-schedule.apps-daily' }, schedule: '0 3 * * *', paused: false, ttl: '720h0m0s', storageLocation: 'default' }]);
  assert.equal(seen.at(-1)!.url, '/base/apis/velero.io/v1/namespaces/velero/schedules');
});

test('an API group the cluster does not serve reads as no schedules; other failures say status and message like client-node\'s', async () => {
  const c = await clients();
  schedulesServed = false;
  try {
    assert.deepEqual(await listSchedules(await kubeGetterOf(c, kubeconfig(cert))), []);
  } finally {
    schedulesServed = true;
  }
  const wrongToken = await kubeGetterOf(c, kubeconfig(cert, 'nope'));
  const err = await wrongToken('/apis/velero.io/v1/namespaces/velero/schedules').then(() => undefined, (e: unknown) => e);
  assert.equal(kubeStatus(err), 401);
  assert.equal(groupNotServed(err), false);
  assert.match(String((kubeError('Velero (list schedules)', err) as Error).message), /Velero \(list schedules\): the cluster's Kubernetes API answered 401 \(Unauthorized\)/);
  const missing = await (await kubeGetterOf(c, kubeconfig(cert)))('/apis/velero.io/v1/namespaces/velero/nothing').then(() => undefined, (e: unknown) => e);
  assert.equal(groupNotServed(missing), true);
});

test('TLS is checked: without the kubeconfig\'s CA, the cluster\'s self-signed certificate is refused', async () => {
  const c = await clients();
  const get = await kubeGetterOf(c, kubeconfig(undefined));
  seen.length = 0;
  await assert.rejects(get('/apis/velero.io/v1/namespaces/velero/schedules'));
  assert.equal(seen.length, 0, 'no request reached the server');
});

test('a kubeconfig that authenticates otherwise than with a token alone is turned into request options by client-node\'s own code', async () => {
  const c = await clients();
  // a client certificate beside the token: not the shape Scaleway serves, so client-node's applyToHTTPSOptions decides
  const yaml = kubeconfig(cert).replace('    token: t0ken', ['    token: t0ken', `    client-certificate-data: ${cert.toString('base64')}`, `    client-key-data: ${key.toString('base64')}`].join('\n'));
  seen.length = 0;
  const h = await veleroHealthFrom(await kubeGetterOf(c, yaml));
  assert.equal(h.health, 'Available');
  assert.equal(seen.length, 2);
  for (const r of seen) assert.equal(r.headers.authorization, 'Bearer t0ken');
});
