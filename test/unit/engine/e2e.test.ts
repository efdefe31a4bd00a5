import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { driftStates } from '../../../src/core/drift';
import { buildPlan } from '../../../src/core/plan';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { executePlan } from '../../../src/scaleway/apply';
import { writeClients } from '../../../src/scaleway/client';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import { driftOf, duplicates, EXAMPLE_UNREAD, exampleText, FAST_RETRY, inventoryOf, modelOf, planAndApply, sandboxProfile } from './helpers';

let sb: Sandbox;
let profile: ScalewayProfile;
let text: string;

before(async () => {
  sb = await startSandbox({ transitionMs: 20 });
  profile = await sandboxProfile(sb);
  text = exampleText(sb);
});
after(async () => { await sb.close(); });

test('empty account → apply the example → in sync → changes behind the back → exactly those → plan → apply → in sync', async () => {
  const first = await driftOf(profile, text);
  assert.equal(first.inSync, false);
  assert.equal(first.summary.inSync, 0);
  assert.equal(first.summary.missing, first.summary.declared - first.summary.notChecked);

  const { plan, result } = await planAndApply(profile, text);
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  assert.ok(plan.operations.every((o) => o.action === 'create'));
  assert.deepEqual(duplicates(sb), []);

  const before = sb.requestLog.length;
  const synced = await driftOf(profile, text, EXAMPLE_UNREAD);
  assert.equal(synced.verdict, 'accepted-not-checked', JSON.stringify(synced.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked')));
  assert.ok(sb.requestLog.slice(before).every((r) => r.method === 'GET'), 'drift only reads');
  assert.equal(synced.summary.matchedByName, 0, 'everything the tool made carries its tag');

  // behind the tool's back, with the SDK
  const rw = writeClients(profile, FAST_RETRY);
  const inv = await inventoryOf(profile);
  const find = (kind: string, id: string) => inv.resources.find((r) => r.kind === kind && (r.lzId ?? r.naturalId) === id)!;
  const acl = find('lb-acl', 'prod/lb-acl/apps-lb-https-allow-devops');
  await rw.lb.deleteAcl({ zone: 'fr-par-1', aclId: acl.scalewayId });
  const pool = find('pool', 'dev/pool/apps-default');
  await rw.k8s.updatePool({ region: 'fr-par', poolId: pool.scalewayId, size: 5 });
  const prodId = find('project', 'prod/project').scalewayId;
  await rw.vpcgw.createGateway({ zone: 'fr-par-1', projectId: prodId, name: 'rogue-gw', type: 'VPC-GW-S', enableSmtp: false, enableBastion: false });
  await rw.vpc.createPrivateNetwork({ region: 'fr-par', projectId: prodId, name: 'rogue-pn', subnets: ['10.99.0.0/24'], defaultRoutePropagationEnabled: false });

  const drifted = await driftOf(profile, text);
  const findings = drifted.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked').map((e) => `${e.status} ${e.id}${e.changes ? ` ${e.changes.map((c) => `${c.field}:${String(c.declared)}→${String(c.live)}`).join(',')}` : ''}`);
  // the pool's three new nodes are not behind the load balancer: its backend still lists the first two
  const firstNodes = find('cluster', 'dev/cluster/apps').attrs!.nodeIps as string[];
  const devNodes = (await rw.k8s.listNodes({ region: 'fr-par', clusterId: find('cluster', 'dev/cluster/apps').scalewayId }).all()).map((n) => n.publicIpV4!);
  assert.equal(firstNodes.length, 2);
  assert.equal(devNodes.length, 5);
  assert.ok(firstNodes.every((ip) => devNodes.includes(ip)), 'a grown pool keeps its nodes');
  assert.deepEqual(findings, [
    'missing prod/lb-acl/apps-lb-https-allow-devops',
    `changed dev/lb-backend/apps-lb-https-backend servers:nodes:dev/cluster/apps→${firstNodes.join(',')}`,
    'changed dev/pool/apps-default size:2→5',
    'unmanaged prod/private-network/rogue-pn',
    'unmanaged prod/public-gateway/rogue-gw',
  ]);
  const states = driftStates(drifted);
  assert.equal(states['prod/lb-acl/apps-lb-https-allow-devops'], 'missing');
  assert.equal(states['prod/public-gateway/rogue-gw'], 'unmanaged');
  assert.equal(states['prod/cluster/apps'], 'in-sync');

  const { model, desired } = modelOf(text);
  const inv2 = await inventoryOf(profile);
  const plan2 = buildPlan(desired, inv2, { ignores: model.spec.drift?.ignore ?? [] });
  assert.deepEqual(plan2.operations.map((o) => `${o.action} ${o.id}`), [
    'update dev/pool/apps-default',
    'update dev/lb-backend/apps-lb-https-backend',
    'create prod/lb-acl/apps-lb-https-allow-devops',
    'delete prod/public-gateway/rogue-gw',
    'delete prod/private-network/rogue-pn',
  ]);
  assert.match(plan2.operations[0]!.summary, /size 5 → 2/);
  assert.equal(plan2.planHash, buildPlan(desired, inv2, { ignores: model.spec.drift?.ignore ?? [] }).planHash, 'the plan hash is deterministic');

  const r2 = await executePlan({ plan: plan2, desired, inventory: inv2, clients: rw });
  assert.equal(r2.status, 'completed', JSON.stringify(r2.failed));
  const final = await driftOf(profile, text, EXAMPLE_UNREAD);
  assert.equal(final.verdict, 'accepted-not-checked', JSON.stringify(final.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked')));
  assert.deepEqual(duplicates(sb), []);
  // the rogue gateway's automatic IP went with it
  assert.equal(sb.state.list('vpcgw.ip').length, 6);
});

test('an operation that keeps failing fails the apply, its dependents are skipped, and the next apply completes', async () => {
  const sb2 = await startSandbox({ transitionMs: 10 });
  try {
    const p2 = await sandboxProfile(sb2);
    const t2 = exampleText(sb2);
    sb2.setFaults({ perEndpoint: { 'POST /vpc-gw/v2/zones/{zone}/gateways': { rate503: 1 } } });
    const { result } = await planAndApply(p2, t2);
    assert.equal(result.status, 'failed');
    assert.ok(result.failed.some((f) => f.id === 'prod/public-gateway/prod-gw'));
    assert.ok(result.notRun.includes('create prod/gateway-network/prod-gw-prod-pn'));
    assert.ok(result.notRun.includes('create prod/lb-acl/apps-lb-https-allow-security'), 'ACLs wait for the hub gateway they admit');
    assert.ok(result.done.includes('create prod/cluster/apps'), 'independent work went on');
    sb2.setFaults({});
    const again = await planAndApply(p2, t2);
    assert.equal(again.result.status, 'completed', JSON.stringify(again.result.failed));
    assert.equal((await driftOf(p2, t2, EXAMPLE_UNREAD)).verdict, 'accepted-not-checked');
    assert.deepEqual(duplicates(sb2), []);
  } finally {
    await sb2.close();
  }
});
