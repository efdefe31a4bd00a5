// drift.ignore accepts live resources the file does not declare: the sandbox seeded with the
// half-migrated organisation (examples/sandbox-seed.json, whose stray project is legacy-poc), the
// reference example, the real engine, the real SDK clients and the CLI in-process.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DriftEntry } from '../../src/core/drift';
import { buildPlan } from '../../src/core/plan';
import { validateText } from '../../src/core/validate';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { executePlan } from '../../src/scaleway/apply';
import { writeClients } from '../../src/scaleway/client';
import type { ScalewayProfile } from '../../src/scaleway/profiles';
import { exampleText, FAST_RETRY, inventoryOf, modelOf, planAndApply, sandboxEnv, sandboxProfile } from './engine/helpers';
import { runCli } from './ops/helpers';

let sb: Sandbox;
let profile: ScalewayProfile;
let base: string;
let dir: string;

before(async () => {
  sb = await startSandbox({ seed: 'examples/sandbox-seed.json', transitionMs: 0 });
  profile = await sandboxProfile(sb);
  // the example accepts legacy-poc itself (so that `npm start` ends in sync): start from the file without that ignore
  base = exampleText(sb).replace(/ {4}- resource: legacy-poc\/project\n {6}reason: [^\n]*\n/, '');
  assert.ok(!base.includes('legacy-poc'), 'the example\'s legacy-poc ignore was removed');
  dir = mkdtempSync(join(tmpdir(), 'lz-ignore-'));
});
after(async () => { await sb.close(); });

const LAST_IGNORE = '      reason: the cluster autoscaler changes the pool size between min and max\n';

/** The example with more drift.ignore entries (flow mappings, one a line). */
function withIgnores(...entries: string[]): string {
  assert.ok(base.includes(LAST_IGNORE), 'the example ends its drift.ignore with the pool-size ignore');
  return base.replace(LAST_IGNORE, `${LAST_IGNORE}${entries.map((e) => `    - ${e}\n`).join('')}`);
}

async function cli(args: string[], text: string): Promise<{ code: number; out: string; err: string }> {
  writeFileSync(join(dir, 'landing-zone.yaml'), text);
  // the example declares SSO, which this version never reads: accepted by name, as `npm start` does
  const r = await runCli(args[0] === 'drift' ? [...args, '--accept-not-checked', 'sso'] : args, sandboxEnv(sb), dir);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

interface DriftJson {
  inSync: boolean;
  verdict: string;
  summary: { declared: number; inSync: number; unmanaged: number; ignoredChanges: number; ignoredUnmanaged: number; expiredIgnores: number };
  entries: DriftEntry[];
  expiredIgnores: { index: number; resource: string }[];
}

const POC = '{ resource: legacy-poc/project, reason: "POC kept until March", expires: 2099-03-31 }';
const POC_IDS = ['legacy-poc/gateway-network/poc-gw-poc-pn', 'legacy-poc/private-network/poc-pn', 'legacy-poc/project', 'legacy-poc/public-gateway/poc-gw'];

test('ignore of the stray project: it validates clean, apply leaves the project and its content, drift reports them ignored and exits 0; expired, they are unmanaged again', async () => {
  const text = withIgnores(POC);
  assert.deepEqual(validateText(text).issues.map((i) => `${i.ruleId} ${i.message}`), [], 'an ignore of an undeclared project is not a finding');

  const { model, desired } = modelOf(text);
  const plan = buildPlan(desired, await inventoryOf(profile), { ignores: model.spec.drift?.ignore ?? [] });
  assert.deepEqual(plan.leftAlone.filter((n) => n.id.startsWith('legacy-poc/')).map((n) => `${n.id}: ${n.reason}`),
    POC_IDS.map((id) => `${id}: accepted by drift.ignore (legacy-poc/project: POC kept until March): never deleted`));
  assert.ok(!plan.operations.some((o) => o.id.startsWith('legacy-poc/')), 'no operation touches legacy-poc');

  const applied = await planAndApply(profile, text);
  assert.equal(applied.result.status, 'completed', JSON.stringify(applied.result.failed));

  const j = await cli(['drift', '--format', 'json'], text);
  assert.equal(j.code, 0, j.out + j.err);
  const report = JSON.parse(j.out) as DriftJson;
  assert.equal(report.verdict, 'accepted-not-checked');
  assert.equal(report.summary.unmanaged, 0);
  assert.equal(report.summary.ignoredUnmanaged, 4);
  assert.equal(report.summary.inSync, report.summary.declared - 1, 'in sync counts declared resources only (SSO is not checked)');
  const poc = report.entries.filter((e) => e.id.startsWith('legacy-poc/'));
  assert.deepEqual(poc.map((e) => `${e.id} ${e.status} ${String(e.undeclared)}`), POC_IDS.map((id) => `${id} in-sync true`));
  const project = poc.find((e) => e.id === 'legacy-poc/project')!;
  assert.deepEqual(project.ignored, [{ field: 'exists', declared: false, live: true, reason: 'POC kept until March' }]);
  assert.equal(project.kind, 'project');
  assert.match(project.scalewayId ?? '', /^[0-9a-f-]{36}$/);
  assert.match(project.reason ?? '', /accepted by drift\.ignore\[1\] \(legacy-poc\/project\)/);

  const t = await cli(['drift'], text);
  assert.equal(t.code, 0, t.out);
  assert.match(t.out, /info drift-ignored legacy-poc\/project: exists differs \(declared false, live true\), ignored: POC kept until March/);
  assert.doesNotMatch(t.out, /drift-unmanaged/);

  // without the ignore, the same account drifts; with it expired, too, and the ignore is a finding
  const without = JSON.parse((await cli(['drift', '--format', 'json'], base)).out) as DriftJson;
  assert.deepEqual(without.entries.filter((e) => e.status === 'unmanaged').map((e) => e.id), POC_IDS);
  const expiredText = withIgnores(POC.replace('2099-03-31', '2020-03-31'));
  const expired = await cli(['drift', '--format', 'json'], expiredText);
  assert.equal(expired.code, 3);
  const er = JSON.parse(expired.out) as DriftJson;
  assert.deepEqual(er.entries.filter((e) => e.status === 'unmanaged').map((e) => e.id), POC_IDS);
  assert.deepEqual(er.expiredIgnores.map((x) => `${x.index} ${x.resource}`), ['1 legacy-poc/project']);
  assert.deepEqual(validateText(expiredText).issues.map((i) => i.ruleId), ['drift-ignore-expired']);
});

test('inside a declared project: an ignored hand-made gateway (ignore with a field) and its network attachment are never deleted, even when the plan deletes; without the ignore they are', async () => {
  const rw = writeClients(profile, FAST_RETRY);
  const inv = await inventoryOf(profile);
  const prod = inv.resources.find((r) => r.kind === 'project' && r.name === 'prod')!.scalewayId;
  const prodPn = inv.resources.find((r) => r.kind === 'private-network' && (r.lzId ?? r.naturalId) === 'prod/private-network/prod-pn')!.scalewayId;
  const gw = await rw.vpcgw.createGateway({ zone: 'fr-par-1', projectId: prod, name: 'hand-gw', type: 'VPC-GW-S', enableSmtp: false, enableBastion: false, tags: [] });
  await rw.vpcgw.createGatewayNetwork({ zone: 'fr-par-1', gatewayId: gw.id, privateNetworkId: prodPn, enableMasquerade: true, pushDefaultRoute: false });
  await rw.vpc.createPrivateNetwork({ region: 'fr-par', projectId: prod, name: 'hand-pn', subnets: ['10.31.0.0/24'], defaultRoutePropagationEnabled: false, tags: [] });

  const accepted = ['prod/gateway-network/hand-gw-prod-pn', 'prod/public-gateway/hand-gw'];
  const text = withIgnores(POC, '{ resource: prod/public-gateway/hand-gw, field: type, reason: load test until Friday }');
  assert.deepEqual(validateText(text).issues.map((i) => `${i.ruleId} ${i.message}`), []);
  const { model, desired } = modelOf(text);
  const now = await inventoryOf(profile);
  const plan = buildPlan(desired, now, { ignores: model.spec.drift?.ignore ?? [] });
  assert.deepEqual(plan.operations.map((o) => `${o.action} ${o.id}`), ['delete prod/private-network/hand-pn']);
  assert.deepEqual(plan.leftAlone.filter((n) => n.id.startsWith('prod/')).map((n) => `${n.id}: ${n.reason}`),
    accepted.map((id) => `${id}: accepted by drift.ignore (prod/public-gateway/hand-gw: load test until Friday): never deleted`));

  const plain = modelOf(withIgnores(POC));
  const unignored = buildPlan(plain.desired, now, { ignores: plain.model.spec.drift?.ignore ?? [] });
  assert.deepEqual(unignored.operations.map((o) => `${o.action} ${o.id}`), [...accepted.map((id) => `delete ${id}`), 'delete prod/private-network/hand-pn']);

  const result = await executePlan({ plan, desired, inventory: now, clients: rw, concurrency: 4 });
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  const still = await rw.vpcgw.getGateway({ zone: 'fr-par-1', gatewayId: gw.id });
  assert.equal(still.name, 'hand-gw');
  assert.deepEqual((await rw.vpcgw.listGatewayNetworks({ zone: 'fr-par-1' }).all()).filter((n) => n.gatewayId === gw.id).map((n) => n.privateNetworkId), [prodPn]);

  const j = await cli(['drift', '--format', 'json'], text);
  assert.equal(j.code, 0, j.out);
  const report = JSON.parse(j.out) as DriftJson;
  assert.deepEqual(report.entries.filter((e) => e.undeclared && e.project === 'prod').map((e) => `${e.id} ${e.status} ${e.ignored?.[0]?.reason ?? ''}`),
    accepted.map((id) => `${id} in-sync load test until Friday`));
  // the apply with deletes allowed goes through the CLI too, and still leaves them
  const applied = await cli(['apply', '--yes', '--allow-delete'], text);
  assert.equal(applied.code, 0, applied.err);
  assert.equal((await rw.vpcgw.getGateway({ zone: 'fr-par-1', gatewayId: gw.id })).name, 'hand-gw');
});

test('an ignored pool of a hand-made cluster: the cluster it would go with is not deleted either (left alone, saying why); the cluster itself is still drift', async () => {
  const rw = writeClients(profile, FAST_RETRY);
  const inv = await inventoryOf(profile);
  const prod = inv.resources.find((r) => r.kind === 'project' && r.name === 'prod')!.scalewayId;
  const prodPn = inv.resources.find((r) => r.kind === 'private-network' && (r.lzId ?? r.naturalId) === 'prod/private-network/prod-pn')!.scalewayId;
  const cluster = await rw.k8s.createCluster({ region: 'fr-par', projectId: prod, type: 'kapsule', name: 'hand-k8s', description: '', tags: [], version: '1.35.3', cni: 'cilium', privateNetworkId: prodPn });
  await rw.k8s.createPool({ region: 'fr-par', clusterId: cluster.id, name: 'gpu', nodeType: 'PRO2-S', size: 1, autoscaling: false, autohealing: true, tags: [], zone: 'fr-par-1', publicIpDisabled: false });

  const text = withIgnores(POC, '{ resource: prod/public-gateway/hand-gw, reason: load test until Friday }', '{ resource: prod/pool/hand-k8s-gpu, reason: GPU trial }');
  assert.deepEqual(validateText(text).issues.map((i) => `${i.ruleId} ${i.message}`), []);
  const { model, desired } = modelOf(text);
  const now = await inventoryOf(profile);
  const plan = buildPlan(desired, now, { ignores: model.spec.drift?.ignore ?? [] });
  assert.ok(!plan.operations.some((o) => o.id.includes('hand-k8s')), plan.operations.map((o) => o.summary).join('\n'));
  const notes = plan.leftAlone.filter((n) => n.id.includes('hand-k8s')).map((n) => `${n.id}: ${n.reason}`);
  assert.deepEqual(notes, [
    'prod/cluster/hand-k8s: holds prod/pool/hand-k8s-gpu, which drift.ignore accepts: not deleted',
    'prod/pool/hand-k8s-gpu: accepted by drift.ignore (prod/pool/hand-k8s-gpu: GPU trial): never deleted',
  ]);

  const j = await cli(['drift', '--format', 'json'], text);
  assert.equal(j.code, 3, 'the cluster itself is not accepted');
  const report = JSON.parse(j.out) as DriftJson;
  assert.deepEqual(report.entries.filter((e) => e.id.includes('hand-k8s')).map((e) => `${e.id} ${e.status} ${e.reason ?? ''}`), [
    'prod/cluster/hand-k8s unmanaged not in the file; it holds prod/pool/hand-k8s-gpu, which drift.ignore accepts: left alone',
    'prod/pool/hand-k8s-gpu in-sync not in the file, accepted by drift.ignore[3] (prod/pool/hand-k8s-gpu): left alone',
  ]);
  // an ignore of the cluster accepts it with its pools: in sync again
  const whole = withIgnores(POC, '{ resource: prod/public-gateway/hand-gw, reason: load test until Friday }', '{ resource: prod/cluster/hand-k8s, reason: GPU trial }');
  const w = await cli(['drift', '--format', 'json'], whole);
  assert.equal(w.code, 0, w.out);
  assert.deepEqual((JSON.parse(w.out) as DriftJson).entries.filter((e) => e.id.includes('hand-k8s')).map((e) => `${e.id} ${e.status} ${e.reason ?? ''}`), [
    'prod/cluster/hand-k8s in-sync not in the file, accepted by drift.ignore[3] (prod/cluster/hand-k8s): left alone',
    'prod/pool/hand-k8s-gpu in-sync not in the file, accepted by drift.ignore[3] (prod/cluster/hand-k8s): left alone',
  ]);
});
