// Lifecycles the recordings show, through the real SDK on a hand-driven clock: clusters waiting for
// a pool, load balancers' instance, IPAM records of private IPs, RDB automatic backups, the LB's
// zoned and regional private-network calls, and 204s that say they are JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ipam, K8s, Lb, Rdb, Vpc } from '@scaleway/sdk';
import { clientFor, loose, raw } from './helpers';
import { startSandbox } from '../../../src/sandbox/server';

async function held() {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const sb = await startSandbox({ transitionMs: 1000, clock: () => now });
  return { sb, client: clientFor(sb), pass: (ms: number) => { now += ms; }, now: () => now };
}

test('a cluster created without pools settles as pool_required, and is ready once a pool is', async () => {
  const { sb, client, pass } = await held();
  try {
    const k8s = loose(new K8s.v1.API(client));
    const c = await k8s.createCluster({ name: 'c', version: '1.35.3', cni: 'cilium', type: 'kapsule', description: '' });
    assert.equal(c.status, 'creating');
    pass(1000);
    assert.equal((await k8s.getCluster({ clusterId: c.id })).status, 'pool_required');
    const listed = await k8s.listClusters({ status: 'pool_required' });
    assert.deepEqual(listed.clusters.map((x) => x.id), [c.id], 'the status filter sees the status the API answers');
    // a PATCH answers `updating`, then the cluster is settled again
    assert.equal((await k8s.updateCluster({ clusterId: c.id, tags: ['x'] })).status, 'updating');
    pass(1000);
    const p = await k8s.createPool({ clusterId: c.id, name: 'default', nodeType: 'pro2_s', size: 1, autoscaling: false, autohealing: true });
    assert.equal(p.status, 'scaling');
    assert.equal((await k8s.getCluster({ clusterId: c.id })).status, 'pool_required', 'no pool is ready yet');
    pass(1000);
    assert.equal((await k8s.getPool({ poolId: p.id })).status, 'ready');
    const ready = await raw(sb, 'GET', `/k8s/v1/regions/fr-par/clusters/${c.id}`);
    assert.equal((ready.json as { status: string }).status, 'ready');
    assert.equal('new_images_enabled' in (ready.json as object), false, 'recorded clusters no longer carry new_images_enabled');
    const pool = (await raw(sb, 'GET', `/k8s/v1/regions/fr-par/pools/${p.id}`)).json as Record<string, unknown>;
    assert.deepEqual([pool.labels, pool.taints, pool.startup_taints], [{}, [], []]);
  } finally {
    await sb.close();
  }
});

test('a load balancer has one instance: none while to_create, unknown while creating, then ready', async () => {
  const { sb, client, pass } = await held();
  try {
    const lb = loose(new Lb.v1.ZonedAPI(client));
    const created = await lb.createLb({ name: 'lb', type: 'LB-S', description: '' });
    assert.equal(created.status, 'to_create');
    assert.deepEqual(created.instances, []);
    pass(1);
    const creating = await lb.getLb({ lbId: created.id });
    assert.deepEqual([creating.status, creating.instances.length, creating.instances[0]?.status], ['creating', 1, 'unknown']);
    pass(1000);
    const ready = await lb.getLb({ lbId: created.id });
    assert.deepEqual([ready.status, ready.instances.length, ready.instances[0]?.status, ready.instances[0]?.id], ['ready', 1, 'ready', creating.instances[0]?.id]);
    // the regional API reaches the same load balancer
    const regional = loose(new Lb.v1.API(client));
    assert.equal((await regional.getLb({ region: 'fr-par', lbId: created.id })).id, created.id);
    await assert.rejects(raw(sb, 'GET', `/lb/v1/regions/nl-ams/lbs/${created.id}`).then((r) => { if (r.status !== 200) throw new Error(String(r.status)); }), /404/);
  } finally {
    await sb.close();
  }
});

test('private IPs of load balancers and databases are IPAM records found by resource id, released with them', async () => {
  const { sb, client, pass } = await held();
  try {
    const vpc = loose(new Vpc.v2.API(client));
    const ipam = loose(new Ipam.v1.API(client));
    const pn = await vpc.createPrivateNetwork({ name: 'pn', subnets: ['10.1.0.0/24'] });
    const lb = loose(new Lb.v1.ZonedAPI(client));
    const l = await lb.createLb({ name: 'lb', type: 'LB-S', description: '' });
    pass(1000);
    // the zoned form the SDK's ZonedAPI sends (the network in the body)
    const link = await lb.attachPrivateNetwork({ lbId: l.id, privateNetworkId: pn.id, dhcpConfig: {} });
    assert.equal(link.ipamIds.length, 1);
    const lbIps = await ipam.listIPs({ resourceId: l.id });
    assert.deepEqual(lbIps.ips.map((i) => [i.id, i.resource?.type]), [[link.ipamIds[0], 'lb_server']]);
    assert.ok(lbIps.ips[0]!.address.startsWith('10.1.0.'));
    await lb.detachPrivateNetwork({ lbId: l.id, privateNetworkId: pn.id });
    assert.equal((await ipam.listIPs({ resourceId: l.id })).totalCount, 0);
    // the regional form (the network in the path)
    const regional = loose(new Lb.v1.API(client));
    await regional.attachPrivateNetwork({ region: 'fr-par', lbId: l.id, privateNetworkId: pn.id, ipamConfig: {} });
    assert.equal((await ipam.listIPs({ resourceId: l.id })).totalCount, 1);
    const detached = await raw(sb, 'POST', `/lb/v1/regions/fr-par/lbs/${l.id}/private-networks/${pn.id}/detach`, '{}');
    assert.deepEqual([detached.status, detached.type, detached.text], [204, 'application/json', '']);

    const rdb = loose(new Rdb.v1.API(client));
    const db = await rdb.createInstance({
      name: 'db', engine: 'PostgreSQL-16', nodeType: 'DB-DEV-S', isHaCluster: false, disableBackup: false,
      initEndpoints: [{ privateNetwork: { privateNetworkId: pn.id, ipamConfig: {} } }],
    });
    const dbIps = await ipam.listIPs({ resourceId: db.id });
    assert.deepEqual(dbIps.ips.map((i) => [i.resource?.type, i.address]), [['rdb_instance', db.endpoints[0]?.privateNetwork?.serviceIp]]);
    pass(1000);
    await rdb.deleteInstance({ instanceId: db.id });
    assert.equal((await ipam.listIPs({ resourceId: db.id })).totalCount, 0);
  } finally {
    await sb.close();
  }
});

test('a database gets automatic backups on its schedule: the first one a frequency after creation, kept for the retention', async () => {
  const { sb, client, pass, now } = await held();
  try {
    const rdb = loose(new Rdb.v1.API(client));
    const db = await rdb.createInstance({ name: 'db', engine: 'PostgreSQL-16', nodeType: 'DB-DEV-S', isHaCluster: false, disableBackup: false });
    assert.equal(db.backupSchedule?.nextRunAt?.getTime(), now() + 24 * 3600_000, 'recorded: next_run_at = created_at + frequency');
    const off = await rdb.createInstance({ name: 'off', engine: 'PostgreSQL-16', nodeType: 'DB-DEV-S', isHaCluster: false, disableBackup: true });
    assert.equal(off.backupSchedule?.nextRunAt, undefined, 'recorded: null while disabled');
    pass(1000);
    assert.equal((await rdb.listDatabaseBackups({ instanceId: db.id })).totalCount, 0, 'a new instance has no backup yet');
    pass(24 * 3600_000);
    const first = await rdb.listDatabaseBackups({ instanceId: db.id });
    assert.equal(first.totalCount, 1);
    assert.deepEqual([first.databaseBackups[0]!.status, first.databaseBackups[0]!.databaseName], ['ready', 'rdb']);
    assert.equal((await rdb.listDatabaseBackups({ instanceId: off.id })).totalCount, 0);
    // three more days: three more runs; after the 7-day retention the oldest go
    pass(3 * 24 * 3600_000);
    assert.equal((await rdb.listDatabaseBackups({ instanceId: db.id })).totalCount, 4);
    pass(10 * 24 * 3600_000);
    const kept = await rdb.listDatabaseBackups({ instanceId: db.id });
    assert.equal(kept.totalCount, 7, 'a daily schedule kept 7 days holds 7 backups');
    assert.ok(kept.databaseBackups.every((b) => b.expiresAt!.getTime() > now()));
    // the project filter still works although backups never show their project_id
    const byProject = await raw(sb, 'GET', `/rdb/v1/regions/fr-par/backups?project_id=${sb.projectId}`);
    assert.equal((byProject.json as { total_count: number }).total_count, 7);
    assert.equal('project_id' in (byProject.json as { database_backups: object[] }).database_backups[0]!, false);
    // a schedule change restarts it from the time of the change
    const patched = await rdb.updateInstance({ instanceId: db.id, backupScheduleFrequency: 12 });
    assert.equal(patched.backupSchedule?.nextRunAt?.getTime(), now() + 12 * 3600_000);
    assert.equal('start_hour' in ((await raw(sb, 'GET', `/rdb/v1/regions/fr-par/instances/${db.id}`)).json as { backup_schedule: object }).backup_schedule, false);
  } finally {
    await sb.close();
  }
});
