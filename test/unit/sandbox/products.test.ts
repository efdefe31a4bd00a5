// Every product through the real SDK: CRUD, paging, filters, tags, transitions, error shapes.
import { zip } from '../../../scripts/zip.mjs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Function as Fn, Iam, Ipam, K8s, KeyManager, Lb, Rdb, Secret, Vpc, Vpcgw } from '@scaleway/sdk';
import type { Sandbox } from '../../../src/sandbox/server';
import { clientFor, elapse, fast, loose, raw, withSandbox, type Client } from './helpers';

let sb: Sandbox;
let client: Client;
before(async () => ({ sb, client } = await withSandbox()));
after(() => sb.close());

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The SDK's error for a failed call, with its HTTP status. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; status?: number; body?: Record<string, unknown> };
    return { name: e.name, status: e.status ?? 0, body: e.body ?? {} };
  }
  throw new assert.AssertionError({ message: 'expected the call to fail' });
}

describe('account and IAM', () => {
  test('projects: create, list by name, update, delete', async () => {
    const api = loose(new Account.v3.ProjectAPI(client));
    const p = await api.createProject({ name: 'security', description: 'hub' });
    assert.equal(p.organizationId, sb.organizationId);
    const found = await api.listProjects({ name: 'security' }).all();
    assert.deepEqual(found.map((x) => x.id), [p.id]);
    assert.equal((await api.updateProject({ projectId: p.id, description: 'hub (IAM)' })).description, 'hub (IAM)');
    await api.deleteProject({ projectId: p.id });
    const gone = await failure(api.getProject({ projectId: p.id }));
    assert.equal(gone.status, 404);
    assert.equal(gone.body.type, 'not_found');
  });

  test('API keys: the secret appears only in the create answer, and authenticates', async () => {
    const iam = loose(new Iam.v1alpha1.API(client));
    const app = await iam.createApplication({ name: 'gitlab-provisioner', tags: ['lz:managed'] });
    const key = await iam.createAPIKey({ applicationId: app.id, description: 'ci' });
    assert.match(key.accessKey, /^SCW[A-Z0-9]{17}$/);
    assert.match(key.secretKey ?? '', /^[0-9a-f-]{36}$/);
    assert.equal((await iam.getAPIKey({ accessKey: key.accessKey })).secretKey, null);
    const listed = await iam.listAPIKeys({ bearerId: app.id }).all();
    assert.deepEqual(listed.map((k) => [k.accessKey, k.secretKey]), [[key.accessKey, null]]);
    assert.equal((await iam.getApplication({ applicationId: app.id })).nbApiKeys, 1);
    // the state never holds the secret in clear
    assert.ok(!JSON.stringify(sb.state.list('iam.api_key')).includes(key.secretKey!));
  });

  test('policies and rules drive what an application key may do (403 permissions_denied)', async () => {
    const iam = loose(new Iam.v1alpha1.API(client));
    const app = await iam.createApplication({ name: 'reader' });
    const key = await iam.createAPIKey({ applicationId: app.id });
    const appClient = clientFor(sb, { accessKey: key.accessKey, secretKey: key.secretKey! });
    const denied = await failure(loose(new Vpc.v2.API(appClient)).listPrivateNetworks({}));
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { details: [{ action: 'read', resource: 'vpc' }], message: 'insufficient permissions', type: 'permissions_denied' });
    const policy = await iam.createPolicy({ name: 'read-vpc', applicationId: app.id, rules: [{ permissionSetNames: ['VPCReadOnly'], organizationId: sb.organizationId }] });
    assert.equal(policy.nbRules, 1);
    assert.equal((await loose(new Vpc.v2.API(appClient)).listPrivateNetworks({})).totalCount >= 0, true);
    const write = await failure(loose(new Vpc.v2.API(appClient)).createPrivateNetwork({ name: 'x' }));
    assert.equal(write.status, 403);
    const rules = await iam.listRules({ policyId: policy.id }).all();
    assert.deepEqual(rules.map((r) => r.permissionSetNames), [['VPCReadOnly']]);
    await iam.setRules({ policyId: policy.id, rules: [{ permissionSetNames: ['VPCFullAccess'], projectIds: [sb.projectId] }] });
    await loose(new Vpc.v2.API(appClient)).createPrivateNetwork({ name: 'allowed-now' });
  });

  test('project-scoped rules: a key granted VPCFullAccess on one project cannot write in another; groups grant too', async () => {
    const iam = loose(new Iam.v1alpha1.API(client));
    const account = loose(new Account.v3.ProjectAPI(client));
    const devops = await account.createProject({ name: 'devops' });
    const prod = await account.createProject({ name: 'prod' });
    const app = await iam.createApplication({ name: 'gitlab-provisioner' });
    const key = await iam.createAPIKey({ applicationId: app.id, defaultProjectId: devops.id });
    await iam.createPolicy({ name: 'vpc-devops', applicationId: app.id, rules: [{ permissionSetNames: ['VPCFullAccess'], projectIds: [devops.id] }] });
    const vpc = loose(new Vpc.v2.API(clientFor(sb, { accessKey: key.accessKey, secretKey: key.secretKey! })));
    const mine = await vpc.createPrivateNetwork({ name: 'devops-pn', projectId: devops.id });
    assert.equal(mine.projectId, devops.id);
    assert.equal((await failure(vpc.createPrivateNetwork({ name: 'prod-pn', projectId: prod.id }))).status, 403);
    const theirs = await loose(new Vpc.v2.API(client)).createPrivateNetwork({ name: 'prod-pn', projectId: prod.id });
    assert.equal((await failure(vpc.updatePrivateNetwork({ privateNetworkId: theirs.id, name: 'taken' }))).status, 403);
    assert.equal((await failure(vpc.deletePrivateNetwork({ privateNetworkId: theirs.id }))).status, 403);
    await vpc.updatePrivateNetwork({ privateNetworkId: mine.id, tags: ['ok'] });
    // its lists show only the projects it was granted
    const seen = await vpc.listPrivateNetworks({}).all();
    assert.ok(seen.some((p) => p.id === mine.id) && seen.every((p) => p.projectId === devops.id), 'a devops-scoped key sees only devops');
    assert.equal((await failure(vpc.listPrivateNetworks({ projectId: prod.id }))).status, 403);
    // a policy on a group reaches its member applications
    const reader = await iam.createApplication({ name: 'auditor' });
    const readerKey = await iam.createAPIKey({ applicationId: reader.id });
    const group = await iam.createGroup({ name: 'auditors' });
    await iam.addGroupMember({ groupId: group.id, applicationId: reader.id });
    await iam.createPolicy({ name: 'read-all', groupId: group.id, rules: [{ permissionSetNames: ['AllProductsReadOnly'], organizationId: sb.organizationId }] });
    const audit = loose(new Vpc.v2.API(clientFor(sb, { accessKey: readerKey.accessKey, secretKey: readerKey.secretKey! })));
    assert.equal((await audit.getPrivateNetwork({ privateNetworkId: theirs.id })).name, 'prod-pn');
    assert.equal((await failure(audit.deletePrivateNetwork({ privateNetworkId: theirs.id }))).status, 403);
  });

  test('groups: members are added and removed', async () => {
    const iam = loose(new Iam.v1alpha1.API(client));
    const app = await iam.createApplication({ name: 'member' });
    const g = await iam.createGroup({ name: 'ops', tags: ['t'] });
    assert.deepEqual((await iam.addGroupMember({ groupId: g.id, applicationId: app.id })).applicationIds, [app.id]);
    assert.deepEqual((await iam.removeGroupMember({ groupId: g.id, applicationId: app.id })).applicationIds, []);
    await iam.deleteGroup({ groupId: g.id });
    assert.equal((await failure(iam.getGroup({ groupId: g.id }))).status, 404);
  });
});

describe('VPC, IPAM and Public Gateways', () => {
  test('private networks: paging with .all(), tag filter (all tags must match), name filter', async () => {
    const vpc = loose(new Vpc.v2.API(client));
    for (let i = 0; i < 45; i += 1) {
      await vpc.createPrivateNetwork({ name: `paged-${i}`, tags: i % 3 === 0 ? ['lz:managed', `lz:id=p/private-network/paged-${i}`] : ['other'] });
    }
    const first = await vpc.listPrivateNetworks({ name: 'paged-', pageSize: 10 });
    assert.equal(first.totalCount, 45);
    assert.equal(first.privateNetworks.length, 10);
    const all = await vpc.listPrivateNetworks({ name: 'paged-', pageSize: 10 }).all();
    assert.equal(all.length, 45);
    assert.equal(new Set(all.map((p) => p.id)).size, 45);
    const managed = await vpc.listPrivateNetworks({ tags: ['lz:managed'] }).all();
    assert.equal(managed.length, 15);
    const one = await vpc.listPrivateNetworks({ tags: ['lz:managed', 'lz:id=p/private-network/paged-3'] }).all();
    assert.deepEqual(one.map((p) => p.name), ['paged-3']);
    const desc = await vpc.listPrivateNetworks({ name: 'paged-', orderBy: 'name_desc', pageSize: 1 });
    assert.equal(desc.privateNetworks[0]!.name, 'paged-9');
  });

  test('custom routes: CRUD through the SDK, checked next hop, listed with the managed subnet routes', async () => {
    const vpc = loose(new Vpc.v2.API(client));
    const v = await vpc.createVPC({ name: 'routes-vpc' });
    const pn = await vpc.createPrivateNetwork({ name: 'routes-pn', vpcId: v.id, subnets: ['10.40.0.0/22'] });
    const other = await vpc.createPrivateNetwork({ name: 'elsewhere' });
    const r = await vpc.createRoute({ vpcId: v.id, destination: '192.168.42.0/24', nexthopPrivateNetworkId: pn.id, tags: ['lz:route'] });
    // an empty description becomes "Custom route", as recorded
    assert.equal(r.description, 'Custom route');
    assert.equal((await vpc.getRoute({ routeId: r.id })).destination, '192.168.42.0/24');
    assert.equal((await vpc.updateRoute({ routeId: r.id, destination: '192.168.43.0/24' })).destination, '192.168.43.0/24');
    const noHop = await failure(vpc.createRoute({ vpcId: v.id, destination: '192.168.44.0/24' }));
    assert.equal(noHop.status, 400);
    const foreign = await failure(vpc.createRoute({ vpcId: v.id, destination: '192.168.44.0/24', nexthopPrivateNetworkId: other.id }));
    assert.equal(foreign.status, 400);
    const bad = await failure(vpc.createRoute({ vpcId: v.id, destination: 'nowhere', nexthopPrivateNetworkId: pn.id }));
    assert.equal(bad.body.type, 'invalid_arguments');
    const listed = await raw(sb, 'GET', `/vpc/v2/regions/fr-par/routes-with-nexthop?vpc_id=${v.id}&tags=lz:route`);
    const routes = (listed.json as { routes: { route: { type: string; destination: string; id: string; tags: string[] } }[]; total_count: number });
    // one managed route per subnet (IPv4 and IPv6), then the custom one
    assert.deepEqual(routes.routes.map((x) => x.route.type), ['subnet', 'subnet', 'custom']);
    assert.equal(routes.routes[0]!.route.id, '');
    assert.deepEqual(routes.routes[0]!.route.tags, ['MANAGED']);
    assert.equal(routes.total_count, 3);
    await vpc.deleteRoute({ routeId: r.id });
    assert.equal((await failure(vpc.getRoute({ routeId: r.id }))).status, 404);
  });

  test('GET /metadata names the partition and domain; keys carry their srn, secrets an empty one', async () => {
    const m = await raw(sb, 'GET', '/metadata');
    assert.deepEqual(m.json, { platform: 'external', partition: 'scw', domain: 'scw.eu' });
    const key = await raw(sb, 'POST', '/key-manager/v1alpha1/regions/fr-par/keys', JSON.stringify({ project_id: sb.projectId, name: 'srn', usage: { symmetric_encryption: 'aes_256_gcm' }, unprotected: true }));
    const k = key.json as { id: string; srn: string };
    assert.equal(k.srn, `srn://key-manager.scw.eu/regions/fr-par/keys/${k.id}`);
    const sec = await raw(sb, 'POST', '/secret-manager/v1beta1/regions/fr-par/secrets', JSON.stringify({ project_id: sb.projectId, name: 'srn-secret' }));
    assert.equal((sec.json as { srn: string }).srn, '');
  });

  test('private network subnets, default VPC, update and 404 with the real body', async () => {
    const vpc = loose(new Vpc.v2.API(client));
    const pn = await vpc.createPrivateNetwork({ name: 'prod-pn', subnets: ['10.30.0.0/22'] });
    assert.deepEqual(pn.subnets.map((s) => s.subnet).filter((s) => !s.includes(':')), ['10.30.0.0/22']);
    const v = await vpc.getVPC({ vpcId: pn.vpcId });
    assert.equal(v.isDefault, true);
    assert.equal((await vpc.updatePrivateNetwork({ privateNetworkId: pn.id, tags: ['x'] })).tags[0], 'x');
    assert.deepEqual((await vpc.addSubnets({ privateNetworkId: pn.id, subnets: ['10.31.0.0/24'] })).subnets, ['10.31.0.0/24']);
    assert.ok((await vpc.getPrivateNetwork({ privateNetworkId: pn.id })).subnets.some((s) => s.subnet === '10.31.0.0/24'));
    await vpc.deleteSubnets({ privateNetworkId: pn.id, subnets: ['10.31.0.0/24'] });
    assert.ok(!(await vpc.getPrivateNetwork({ privateNetworkId: pn.id })).subnets.some((s) => s.subnet === '10.31.0.0/24'));
    await vpc.deletePrivateNetwork({ privateNetworkId: pn.id });
    const gone = await failure(vpc.getPrivateNetwork({ privateNetworkId: pn.id }));
    assert.deepEqual(gone.body, { message: 'resource is not found', resource: 'private_network', resource_id: pn.id, type: 'not_found' });
  });

  test('gateway: allocating -> running (waiter), 409 transient_state while configuring, network attach books an IPAM IP', async (t) => {
    // a hand-driven clock holds the gateway in its transient states for as long as the test needs
    let now = Date.now();
    const held = await withSandbox({ transitionMs: 500, clock: () => now });
    t.after(() => held.sb.close());
    const gwApi = loose(new Vpcgw.v2.API(held.client));
    const pn = await loose(new Vpc.v2.API(held.client)).createPrivateNetwork({ name: 'gw-pn', subnets: ['10.0.0.0/24'] });
    const ip = await gwApi.createIP({ tags: ['lz:managed'] });
    const gw = await gwApi.createGateway({ name: 'security-gw', type: 'VPC-GW-S', ipId: ip.id, enableBastion: true, bastionPort: 61000 });
    assert.equal(gw.status, 'allocating');
    assert.equal(gw.ipv4?.address, ip.address);
    const busy = await failure(gwApi.updateGateway({ gatewayId: gw.id, name: 'renamed' }));
    assert.equal(busy.status, 409);
    assert.equal(busy.name, 'TransientStateError');
    assert.equal(busy.body.current_state, 'allocating');
    now += 499;
    assert.equal((await gwApi.getGateway({ gatewayId: gw.id })).status, 'allocating');
    now += 1;
    // the SDK's own waiter sees it running
    assert.equal((await gwApi.waitForGateway({ gatewayId: gw.id }, fast)).status, 'running');
    // a filter that looks at another kind (gateway networks) must not serve a stale cached answer
    assert.deepEqual((await gwApi.listGateways({ privateNetworkIds: [pn.id] }).all()).map((g) => g.id), []);
    const gwn = await gwApi.createGatewayNetwork({ gatewayId: gw.id, privateNetworkId: pn.id, enableMasquerade: true, pushDefaultRoute: true });
    assert.equal((await gwApi.getGateway({ gatewayId: gw.id })).status, 'configuring');
    assert.equal((await failure(gwApi.createGatewayNetwork({ gatewayId: gw.id, privateNetworkId: pn.id }))).status, 409);
    now += 500;
    assert.equal((await gwApi.getGatewayNetwork({ gatewayNetworkId: gwn.id })).status, 'ready');
    assert.equal((await gwApi.getGateway({ gatewayId: gw.id })).status, 'running');
    const upgraded = await gwApi.upgradeGateway({ gatewayId: gw.id, type: 'VPC-GW-M' });
    assert.deepEqual([upgraded.type, upgraded.status], ['VPC-GW-M', 'configuring']);
    now += 500;
    const ipamIps = await loose(new Ipam.v1.API(held.client)).listIPs({ privateNetworkId: pn.id }).all();
    assert.equal(ipamIps.length, 1);
    assert.equal(ipamIps[0]!.id, gwn.ipamIpId);
    assert.match(ipamIps[0]!.address, /^10\.0\.0\.\d+\/24$/);
    const listed = await gwApi.listGateways({ privateNetworkIds: [pn.id] }).all();
    assert.deepEqual(listed.map((g) => g.id), [gw.id]);
    assert.equal(listed[0]!.gatewayNetworks.length, 1);
    const deleted = await gwApi.deleteGateway({ gatewayId: gw.id, deleteIp: false });
    assert.equal(deleted.status, 'deleting');
    assert.equal(deleted.name, 'security-gw');
    assert.equal((await gwApi.getGateway({ gatewayId: gw.id })).status, 'deleting');
    now += 500;
    assert.equal((await failure(gwApi.getGateway({ gatewayId: gw.id }))).status, 404);
    // the reserved IP outlives its gateway when delete_ip is false
    assert.equal((await gwApi.getIP({ ipId: ip.id })).address, ip.address);
  });

  test('IPAM: book a chosen address, then it is taken', async () => {
    const ipam = loose(new Ipam.v1.API(client));
    const pn = await loose(new Vpc.v2.API(client)).createPrivateNetwork({ name: 'ipam-pn', subnets: ['10.5.0.0/24'] });
    const ip = await ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false, address: '10.5.0.7', projectId: sb.projectId });
    assert.equal(ip.address, '10.5.0.7/24');
    const again = await failure(ipam.bookIP({ source: { privateNetworkId: pn.id }, isIpv6: false, address: '10.5.0.7', projectId: sb.projectId }));
    assert.equal(again.status, 412);
    await ipam.releaseIP({ ipId: ip.id });
  });
});

describe('Load Balancer', () => {
  test('lb with backend, frontend and ACLs: /32 dropped, setAcls replaces all, 404 without type', async () => {
    const lb = loose(new Lb.v1.ZonedAPI(client));
    const created = await lb.createLb({ name: 'apps-lb', type: 'LB-S', description: '', tags: ['lz:managed'] });
    assert.equal(created.status, 'to_create');
    assert.equal(created.ip.length, 1);
    await elapse();
    const ready = await lb.waitForLb({ lbId: created.id }, fast);
    assert.equal(ready.status, 'ready');
    const be = await lb.createBackend({ lbId: created.id, name: 'ingress', forwardProtocol: 'tcp', forwardPort: 30443, forwardPortAlgorithm: 'roundrobin', stickySessions: 'none', stickySessionsCookieName: '', healthCheck: { port: 30443, checkMaxRetries: 2, checkSendProxy: false }, serverIp: ['10.0.0.5'] });
    const fe = await lb.createFrontend({ lbId: created.id, name: 'https', inboundPort: 443, backendId: be.id, enableHttp3: false });
    assert.equal(fe.backend?.id, be.id);
    assert.equal(fe.lb?.id, created.id);
    const acl = await lb.createAcl({ frontendId: fe.id, name: 'allow-security', action: { type: 'allow' }, match: { ipSubnet: ['51.15.1.2/32', '10.0.0.0/24'] }, index: 1, description: '' });
    assert.deepEqual(acl.match?.ipSubnet, ['51.15.1.2', '10.0.0.0/24']);
    const set = await lb.setAcls({
      frontendId: fe.id,
      acls: [
        { name: 'allow-devops', action: { type: 'allow' }, match: { ipSubnet: ['51.15.9.9/32'] }, index: 1, description: '' },
        { name: 'deny-all', action: { type: 'deny' }, match: { ipSubnet: ['0.0.0.0/0'] }, index: 100, description: '' },
      ],
    });
    assert.equal(set.totalCount, 2);
    const acls = await lb.listAcls({ frontendId: fe.id }).all();
    assert.deepEqual(acls.map((a) => [a.name, a.match?.ipSubnet]).sort(), [['allow-devops', ['51.15.9.9']], ['deny-all', ['0.0.0.0/0']]]);
    const cert = await lb.createCertificate({ lbId: created.id, name: 'apps', letsencrypt: { commonName: 'apps.acme.example', subjectAlternativeName: [] } });
    assert.equal((await elapse().then(() => lb.getCertificate({ certificateId: cert.id }))).status, 'ready');
    const migrating = await lb.migrateLb({ lbId: created.id, type: 'LB-GP-M' });
    assert.deepEqual([migrating.type, migrating.status], ['lb-gp-m', 'migrating']);
    await elapse();
    assert.equal((await lb.getLb({ lbId: created.id })).status, 'ready');
    await lb.deleteLb({ lbId: created.id, releaseIp: true });
    await elapse();
    const gone = await failure(lb.getLb({ lbId: created.id }));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { message: 'lbs not Found' });
  });
});

describe('Kubernetes', () => {
  test('cluster creating -> ready, pools, kubeconfig pointing into the sandbox', async () => {
    const k8s = loose(new K8s.v1.API(client));
    const pn = await loose(new Vpc.v2.API(client)).createPrivateNetwork({ name: 'k8s-pn' });
    const c = await k8s.createCluster({
      name: 'apps', version: '1.35.3', cni: 'cilium', privateNetworkId: pn.id, description: '', tags: ['lz:managed'],
      pools: [{ name: 'default', nodeType: 'PRO2-S', size: 3, autoscaling: true, minSize: 3, maxSize: 6, autohealing: true, containerRuntime: 'containerd', tags: [], kubeletArgs: {}, rootVolumeType: 'default_volume_type', publicIpDisabled: false }],
      autoscalerConfig: {}, featureGates: [], admissionPlugins: [], apiserverCertSans: [],
    });
    assert.equal(c.status, 'creating');
    assert.equal((await elapse().then(() => k8s.waitForCluster({ clusterId: c.id }, fast))).status, 'ready');
    const pools = await k8s.listPools({ clusterId: c.id }).all();
    assert.deepEqual(pools.map((p) => [p.name, p.nodeType, p.size]), [['default', 'pro2-s', 3]]);
    const text = await (await k8s.getClusterKubeConfig({ clusterId: c.id })).text();
    assert.ok(text.includes(`server: ${sb.url}/k8s-api/${c.id}`), text);
    assert.deepEqual((await k8s.listClusters({ privateNetworkId: pn.id }).all()).map((x) => x.id), [c.id]);
    const bad = await failure(k8s.createCluster({ name: 'x', version: '1.2.3', cni: 'cilium' }));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.type, 'invalid_arguments');
  });
});

describe('Managed databases', () => {
  test('instance provisioning -> ready, backup settings, backup create/restore/export, snapshot and instance from snapshot', async () => {
    const rdb = loose(new Rdb.v1.API(client));
    const inst = await rdb.createInstance({ name: 'main', engine: 'PostgreSQL-16', nodeType: 'DB-PRO2-XS', isHaCluster: true, userName: 'admin', password: 'S3cret-pass!', disableBackup: false, tags: ['lz:managed'], encryption: { enabled: true }, volumeType: 'sbs_5k', volumeSize: 50_000_000_000 });
    assert.equal(inst.status, 'provisioning');
    await elapse();
    const ready = await rdb.waitForInstance({ instanceId: inst.id }, fast);
    assert.equal(ready.status, 'ready');
    assert.ok(ready.endpoints.length >= 1);
    assert.equal(ready.encryption?.enabled, true);
    const updated = await rdb.updateInstance({ instanceId: inst.id, backupScheduleFrequency: 6, backupScheduleRetention: 14, isBackupScheduleDisabled: false, backupSameRegion: false });
    assert.deepEqual([updated.backupSchedule?.frequency, updated.backupSchedule?.retention, updated.backupSameRegion], [6, 14, false]);
    await rdb.createDatabase({ instanceId: inst.id, name: 'app' });
    const backup = await rdb.createDatabaseBackup({ instanceId: inst.id, databaseName: 'app', name: 'nightly' });
    assert.equal(backup.status, 'creating');
    assert.equal((await elapse().then(() => rdb.getDatabaseBackup({ databaseBackupId: backup.id }))).status, 'ready');
    const restoring = await rdb.restoreDatabaseBackup({ databaseBackupId: backup.id, instanceId: inst.id, databaseName: 'app' });
    assert.equal(restoring.status, 'restoring');
    assert.equal((await elapse().then(() => rdb.getDatabaseBackup({ databaseBackupId: backup.id }))).status, 'ready');
    await elapse();
    assert.equal((await rdb.getInstance({ instanceId: inst.id })).status, 'ready');
    const exported = await rdb.exportDatabaseBackup({ databaseBackupId: backup.id });
    assert.equal(exported.status, 'exporting');
    assert.ok((await elapse().then(() => rdb.getDatabaseBackup({ databaseBackupId: backup.id }))).downloadUrl?.startsWith(sb.url));
    assert.deepEqual((await rdb.listDatabaseBackups({ instanceId: inst.id }).all()).map((b) => b.id), [backup.id]);
    const bigger = await rdb.upgradeInstance({ instanceId: inst.id, volumeSize: 100_000_000_000 });
    assert.deepEqual([bigger.status, bigger.volume?.size], ['configuring', 100_000_000_000]);
    await elapse();
    assert.equal((await rdb.upgradeInstance({ instanceId: inst.id, nodeType: 'DB-PRO2-S' })).nodeType, 'db-pro2-s');
    await elapse();
    const snap = await rdb.createSnapshot({ instanceId: inst.id, name: 'before-upgrade' });
    assert.equal((await elapse().then(() => rdb.getSnapshot({ snapshotId: snap.id }))).status, 'ready');
    const copy = await rdb.createInstanceFromSnapshot({ snapshotId: snap.id, instanceName: 'main-restored', isHaCluster: false });
    assert.equal(copy.status, 'provisioning');
    await elapse();
    assert.equal((await rdb.getInstance({ instanceId: copy.id })).status, 'ready');
    const dbs = await rdb.listDatabases({ instanceId: copy.id }).all();
    assert.ok(dbs.some((d) => d.name === 'app'), 'the snapshot carries the databases');
    // the password never reaches the state
    assert.ok(!JSON.stringify(sb.state.list('rdb.instance')).includes('S3cret-pass!'));
  });
});

describe('Secret Manager and Key Manager', () => {
  test('secret versions: access by revision, latest and latest_enabled; enable, disable, delete', async () => {
    const km = loose(new KeyManager.v1alpha1.API(client));
    const key = await km.createKey({ name: 'secrets-key', usage: { symmetricEncryption: 'aes_256_gcm' }, unprotected: true, rotationPolicy: { rotationPeriod: '7776000s' }, tags: ['lz:managed'] });
    const sm = loose(new Secret.v1beta1.API(client));
    const s = await sm.createSecret({ name: 'elasticsearch-credentials', path: '/shared', keyId: key.id, tags: ['lz:managed'], protected: false });
    assert.equal(s.keyId, key.id);
    const v1 = await sm.createSecretVersion({ secretId: s.id, data: b64('first-value') });
    const v2 = await sm.createSecretVersion({ secretId: s.id, data: b64('second-value'), disablePrevious: true });
    assert.deepEqual([v1.revision, v2.revision], [1, 2]);
    assert.equal((await sm.getSecretVersion({ secretId: s.id, revision: '1' })).status, 'disabled');
    const latest = await sm.accessSecretVersion({ secretId: s.id, revision: 'latest' });
    assert.equal(Buffer.from(latest.data, 'base64').toString(), 'second-value');
    await sm.disableSecretVersion({ secretId: s.id, revision: '2' });
    const none = await failure(sm.accessSecretVersion({ secretId: s.id, revision: 'latest_enabled' }));
    assert.equal(none.status, 404);
    await sm.enableSecretVersion({ secretId: s.id, revision: '1' });
    assert.equal(Buffer.from((await sm.accessSecretVersion({ secretId: s.id, revision: 'latest_enabled' })).data, 'base64').toString(), 'first-value');
    const disabled = await failure(sm.accessSecretVersion({ secretId: s.id, revision: '2' }));
    assert.equal(disabled.status, 412);
    await sm.deleteSecretVersion({ secretId: s.id, revision: '2' });
    const versions = await sm.listSecretVersions({ secretId: s.id }).all();
    assert.deepEqual(versions.map((v) => [v.revision, v.status]), [[1, 'enabled'], [2, 'deleted']]);
    // values appear neither in the state's visible data nor in the request log
    assert.ok(!JSON.stringify(sb.state.list('secret.version')).includes(b64('first-value')));
    assert.ok(!JSON.stringify(sb.requestLog).includes('first-value'));
  });

  test('protected secrets refuse deletion with 412 precondition_failed; deleted secrets leave lists', async () => {
    const sm = loose(new Secret.v1beta1.API(client));
    const s = await sm.createSecret({ name: 'locked', protected: true });
    const refused = await failure(sm.deleteSecret({ secretId: s.id }));
    assert.deepEqual(refused.body, { help_message: 'cannot delete a protected secret', message: 'precondition is not respected', precondition: 'protected_resource', type: 'precondition_failed' });
    await sm.unprotectSecret({ secretId: s.id });
    await sm.deleteSecret({ secretId: s.id });
    assert.ok(!(await sm.listSecrets({ name: 'locked' }).all()).some((x) => x.id === s.id));
  });

  test('keys: rotate, disable, enable, and filter by tags', async () => {
    const km = loose(new KeyManager.v1alpha1.API(client));
    const k = await km.createKey({ name: 'app-data', usage: { symmetricEncryption: 'aes_256_gcm' }, unprotected: true, tags: ['team:data'] });
    assert.equal(k.rotationCount, 1);
    assert.equal((await km.rotateKey({ keyId: k.id })).rotationCount, 2);
    assert.equal((await km.disableKey({ keyId: k.id })).state, 'disabled');
    assert.equal((await km.enableKey({ keyId: k.id })).state, 'enabled');
    assert.deepEqual((await km.listKeys({ tags: ['team:data'] }).all()).map((x) => x.id), [k.id]);
  });

  test('keys encrypt and decrypt for real (AES-256-GCM), data keys included, across rotations', async () => {
    const km = loose(new KeyManager.v1alpha1.API(client));
    const k = await km.createKey({ name: 'envelope', usage: { symmetricEncryption: 'aes_256_gcm' }, unprotected: true });
    const sealed = await km.encrypt({ keyId: k.id, plaintext: b64('patient records') });
    assert.notEqual(sealed.ciphertext, b64('patient records'));
    await km.rotateKey({ keyId: k.id });
    const opened = await km.decrypt({ keyId: k.id, ciphertext: sealed.ciphertext });
    assert.equal(Buffer.from(opened.plaintext, 'base64').toString(), 'patient records', 'what an older rotation sealed still opens');
    const dk = await km.generateDataKey({ keyId: k.id, algorithm: 'aes_256_gcm', withoutPlaintext: false });
    assert.equal(Buffer.from(dk.plaintext!, 'base64').length, 32);
    assert.equal((await km.decrypt({ keyId: k.id, ciphertext: dk.ciphertext })).plaintext, dk.plaintext);
    const tampered = Buffer.from(sealed.ciphertext, 'base64');
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    assert.equal((await failure(km.decrypt({ keyId: k.id, ciphertext: tampered.toString('base64') }))).status, 400);
    await km.disableKey({ keyId: k.id });
    assert.equal((await failure(km.encrypt({ keyId: k.id, plaintext: b64('x') }))).status, 412);
  });

  test('organization_id filters match records that only carry a project (secrets, keys, API keys)', async () => {
    const km = loose(new KeyManager.v1alpha1.API(client));
    const sm = loose(new Secret.v1beta1.API(client));
    const iam = loose(new Iam.v1alpha1.API(client));
    const k = await km.createKey({ name: 'org-scoped', usage: { symmetricEncryption: 'aes_256_gcm' }, unprotected: true });
    const s = await sm.createSecret({ name: 'org-scoped' });
    assert.ok((await km.listKeys({ organizationId: sb.organizationId }).all()).some((x) => x.id === k.id));
    assert.ok((await sm.listSecrets({ organizationId: sb.organizationId }).all()).some((x) => x.id === s.id));
    assert.ok((await iam.listAPIKeys({ organizationId: sb.organizationId }).all()).some((x) => x.accessKey === sb.accessKey));
    assert.equal((await sm.listSecrets({ organizationId: '00000000-0000-4000-8000-000000000000' }).all()).length, 0);
  });
});

describe('Functions', () => {
  test('namespace pending -> ready, function deploy, cron; 404 without type', async () => {
    const fn = loose(new Fn.v1beta1.API(client));
    const ns = await fn.createNamespace({ name: 'backup-copy', environmentVariables: {}, secretEnvironmentVariables: [{ key: 'TOKEN', value: 'hidden' }] });
    assert.equal(ns.status, 'pending');
    assert.equal((await elapse().then(() => fn.getNamespace({ namespaceId: ns.id }))).status, 'ready');
    assert.ok(!JSON.stringify(sb.state.list('function.namespace')).includes('hidden'));
    const f = await fn.createFunction({ name: 'copy', namespaceId: ns.id, runtime: 'python312', privacy: 'private', httpOption: 'enabled', sandbox: 'v2' });
    // without code a deploy fails its build, as on Scaleway
    await fn.deployFunction({ functionId: f.id });
    assert.equal((await elapse().then(() => fn.getFunction({ functionId: f.id }))).status, 'error');
    const code = zip(new Map([['handler.py', Buffer.from('def handle(event, context):\n    return {"statusCode": 200}\n')]]));
    const upload = await fn.getFunctionUploadURL({ functionId: f.id, contentLength: code.length });
    assert.equal((await fetch(upload.url, { method: 'PUT', body: new Uint8Array(code) })).status, 200);
    await fn.deployFunction({ functionId: f.id });
    assert.equal((await elapse().then(() => fn.getFunction({ functionId: f.id }))).status, 'ready');
    const cron = await fn.createCron({ functionId: f.id, schedule: '0 3 * * *', name: 'nightly' });
    assert.equal((await elapse().then(() => fn.getCron({ cronId: cron.id }))).status, 'ready');
    assert.deepEqual((await fn.listCrons({ functionId: f.id }).all()).map((c) => c.id), [cron.id]);
    const missing = await failure(fn.getNamespace({ namespaceId: '00000000-0000-4000-8000-000000000000' }));
    assert.deepEqual(missing.body, { message: 'Namespace was not found' });
  });
});
