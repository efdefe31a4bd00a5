import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { desiredResources, normaliseFields } from '../../../src/core/desired';
import { computeDrift, driftStates } from '../../../src/core/drift';
import { buildPlan } from '../../../src/core/plan';
import type { Inventory, LiveResource } from '../../../src/core/state';
import { validateText } from '../../../src/core/validate';

const ORG = '11111111-2222-3333-4444-555555555555';
const FILE = `version: 1
organization: { id: ${ORG}, name: t }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  hub:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S, bastion: { port: 61000, allowedIps: [203.0.113.7/32] } }
    secrets:
      token: { path: /shared, version: 2 }
  app:
    role: environment
    clusters:
      apps:
        version: "1.35"
        pools: { default: { nodeType: PRO2-S, size: 3, autoscale: { min: 3, max: 6 } } }
drift:
  ignore:
    - { resource: app/cluster/apps, field: pools.default.size, reason: autoscaler }
    - { resource: hub/secret/token, field: path, reason: moving, expires: "2020-01-01" }
`;

function desired() {
  const v = validateText(FILE);
  assert.ok(v.model, JSON.stringify(v.issues));
  return { model: v.model!, desired: desiredResources(v.model!) };
}

/** A live copy of every declared resource (tagged unless `untagged`), with edits. */
function liveFromDesired(edit: (l: LiveResource) => void = () => {}, untagged: string[] = []): Inventory {
  const { desired: ds } = desired();
  const resources: LiveResource[] = ds.map((d, i) => ({
    kind: d.kind, scalewayId: `id-${i}`, lzId: untagged.includes(d.id) || d.kind === 'project' ? undefined : d.id, naturalId: d.id,
    projectId: `p-${d.project}`, projectName: d.project, name: d.name, region: d.region, zone: d.zone,
    tags: untagged.includes(d.id) ? [] : ['lz:managed', `lz:id=${d.id}`], fields: { ...d.fields },
  }));
  resources.forEach(edit);
  return { organizationId: ORG, resources, notChecked: [], readAt: '2026-01-01T00:00:00Z' };
}

test('an identical account is in sync; /32 and ordering are normalised away', () => {
  const { desired: ds, model } = desired();
  const inv = liveFromDesired((l) => {
    if (l.kind === 'public-gateway') l.fields = normaliseFields('public-gateway', { ...l.fields, bastionAllowedIps: ['203.0.113.7'], type: 'vpc_gw_s' });
    if (l.kind === 'cluster') l.fields = normaliseFields('cluster', { ...l.fields, version: '1.35.3' });
  });
  const r = computeDrift(ds, inv, { ignores: model.spec.drift!.ignore, now: new Date('2019-06-01') });
  assert.equal(r.inSync, true, JSON.stringify(r.entries.filter((e) => e.status !== 'in-sync')));
  assert.equal(r.summary.coverage, 100);
});

test('ignores: a cluster-level pools.<pool>.<field> ignore covers the pool; an expired ignore is a finding and no longer hides', () => {
  const { desired: ds, model } = desired();
  const inv = liveFromDesired((l) => {
    if (l.kind === 'pool') l.fields.size = 5;
    if (l.kind === 'secret') l.fields.path = '/other';
  });
  const r = computeDrift(ds, inv, { ignores: model.spec.drift!.ignore, now: new Date('2026-06-01') });
  const pool = r.entries.find((e) => e.id === 'app/pool/apps-default')!;
  assert.equal(pool.status, 'in-sync');
  assert.deepEqual(pool.ignored, [{ field: 'size', declared: 3, live: 5, reason: 'autoscaler' }]);
  const secret = r.entries.find((e) => e.id === 'hub/secret/token')!;
  assert.equal(secret.status, 'changed');
  assert.deepEqual(r.expiredIgnores, [{ index: 1, resource: 'hub/secret/token', field: 'path', expires: '2020-01-01', reason: 'moving' }]);
  assert.equal(r.inSync, false);
  // before the expiry date the same ignore hides the change
  const early = computeDrift(ds, inv, { ignores: model.spec.drift!.ignore, now: new Date('2019-06-01') });
  assert.equal(early.inSync, true);
});

test('a secret only needs its pinned version to exist; fewer versions is drift', () => {
  const { desired: ds } = desired();
  const more = computeDrift(ds, liveFromDesired((l) => { if (l.kind === 'secret') l.fields.version = 7; }));
  assert.equal(more.inSync, true);
  const fewer = computeDrift(ds, liveFromDesired((l) => { if (l.kind === 'secret') l.fields.version = 1; }));
  assert.deepEqual(fewer.entries.find((e) => e.id === 'hub/secret/token')!.changes, [{ field: 'version', declared: 2, live: 1 }]);
});

test('untagged resources match by name and are reported so; unmanaged, missing and not-checked are counted', () => {
  const { desired: ds } = desired();
  const inv = liveFromDesired(() => {}, ['hub/private-network/hub-pn']);
  inv.resources = inv.resources.filter((l) => l.kind !== 'gateway-network');
  inv.resources.push({ kind: 'private-network', scalewayId: 'rogue', naturalId: 'app/private-network/rogue', projectId: 'p-app', projectName: 'app', name: 'rogue', region: 'fr-par', tags: [], fields: { subnets: ['10.9.0.0/24'] } });
  inv.notChecked.push({ kind: 'secret', reason: 'permission denied' });
  const r = computeDrift(ds, inv);
  const pn = r.entries.find((e) => e.id === 'hub/private-network/hub-pn')!;
  assert.equal(pn.matchedBy, 'name');
  assert.equal(r.summary.matchedByName, 1);
  assert.deepEqual(r.entries.filter((e) => e.status !== 'in-sync').map((e) => `${e.status} ${e.id}`), [
    'missing hub/gateway-network/hub-gw-hub-pn', 'unmanaged app/private-network/rogue', 'not-checked hub/secret/token',
  ]);
  assert.equal(r.summary.coverage, Math.round(((ds.length - 1) / ds.length) * 1000) / 10);
  assert.deepEqual(driftStates(r)['app/private-network/rogue'], 'unmanaged');
  assert.equal(driftStates(r)['hub/secret/token'], undefined);
  // the report does not depend on the order the API listed things in
  const shuffled = { ...inv, resources: [...inv.resources].reverse() };
  assert.equal(JSON.stringify(computeDrift(ds, shuffled)), JSON.stringify(r));
});

test('plan: dependency order, deletes after creates (leaves first), resources outside declared projects left alone, stable hash', () => {
  const { desired: ds } = desired();
  const inv = liveFromDesired();
  inv.resources = inv.resources.filter((l) => l.projectName !== 'app');
  inv.resources.push(
    { kind: 'public-gateway', scalewayId: 'gw-x', naturalId: 'hub/public-gateway/old', projectId: 'p-hub', projectName: 'hub', name: 'old', zone: 'fr-par-1', region: 'fr-par', tags: [], fields: {} },
    { kind: 'private-network', scalewayId: 'pn-x', naturalId: 'hub/private-network/old', projectId: 'p-hub', projectName: 'hub', name: 'old', region: 'fr-par', tags: [], fields: {} },
    { kind: 'private-network', scalewayId: 'pn-y', naturalId: 'other/private-network/x', projectId: 'p-other', projectName: 'other', name: 'x', region: 'fr-par', tags: [], fields: {} },
  );
  const plan = buildPlan(ds, inv);
  assert.deepEqual(plan.operations.map((o) => `${o.action} ${o.id}`), [
    'create app/project', 'create app/cluster/apps', 'create app/pool/apps-default',
    'delete hub/public-gateway/old', 'delete hub/private-network/old',
  ]);
  assert.deepEqual(plan.operations[4]!.after, ['hub/public-gateway/old']);
  assert.deepEqual(plan.leftAlone.map((n) => n.id), ['other/private-network/x']);
  assert.equal(plan.planHash, buildPlan(ds, { ...inv, resources: [...inv.resources].reverse() }).planHash);
  assert.doesNotMatch(JSON.stringify(plan), /password|secretKey/i);
});

test('a kind that could not be read in one region is not checked there only', () => {
  const { desired: ds } = desired();
  const other = liveFromDesired();
  other.notChecked.push({ kind: 'secret', region: 'nl-ams', reason: 'region unavailable' });
  const elsewhere = computeDrift(ds, other);
  assert.equal(elsewhere.summary.coverage, 100, 'every declared resource was compared');
  // but a failed read may hide unmanaged secrets there: not "in sync"
  assert.equal(elsewhere.inSync, false);
  assert.equal(elsewhere.verdict, 'not-checked');
  assert.deepEqual(elsewhere.notChecked.map((n) => `${n.kind} ${n.region} ${n.declared}`), ['secret nl-ams 0']);
  const here = liveFromDesired();
  here.notChecked.push({ kind: 'public-gateway', region: 'fr-par', reason: 'region unavailable' });
  const r = computeDrift(ds, here);
  assert.deepEqual(r.entries.filter((e) => e.status === 'not-checked').map((e) => `${e.id}: ${e.reason}`), ['hub/public-gateway/hub-gw: fr-par: region unavailable']);
});

test('ignores of unmanaged resources: by id with or without field, a declared project never reaches its content, a declared id never accepts a duplicate', () => {
  const { desired: ds } = desired();
  const live = (kind: LiveResource['kind'], id: string, extra: Partial<LiveResource> = {}): LiveResource => {
    const [project, , name] = id.split('/');
    return { kind, scalewayId: `x-${id}`, naturalId: id, projectId: `p-${project!}`, projectName: project, name: name ?? project!, region: 'fr-par', tags: [], fields: {}, ...extra };
  };
  const inv = liveFromDesired();
  inv.resources.push(
    live('project', 'poc/project'), live('private-network', 'poc/private-network/poc-pn'),
    live('private-network', 'app/private-network/hand-pn'), live('private-network', 'app/private-network/other-pn'),
    live('cluster', 'app/cluster/apps', { lzId: 'app/cluster/apps', tags: ['lz:managed', 'lz:id=app/cluster/apps'] }), // a duplicate of the declared cluster
  );
  const ignores = [
    { resource: 'poc/project', reason: 'POC' },
    { resource: 'app/private-network/hand-pn', field: 'subnets', reason: 'hand-made' },
    { resource: 'app/project', reason: 'declared: its own fields only' },
    { resource: 'app/cluster/apps', field: 'version', reason: 'declared: not its duplicate' },
  ];
  const r = computeDrift(ds, inv, { ignores, now: new Date('2026-06-01') });
  const line = (id: string) => r.entries.filter((e) => e.id === id && !(e.status === 'in-sync' && !e.undeclared)).map((e) => `${e.status}${e.undeclared ? ' undeclared' : ''} ${e.ignored?.map((i) => `${i.field}=${String(i.live)}: ${i.reason}`).join() ?? ''}`);
  assert.deepEqual(line('poc/project'), ['in-sync undeclared exists=true: POC']);
  assert.deepEqual(line('poc/private-network/poc-pn'), ['in-sync undeclared exists=true: POC']);
  assert.deepEqual(line('app/private-network/hand-pn'), ['in-sync undeclared exists=true: hand-made']);
  assert.deepEqual(line('app/private-network/other-pn'), ['unmanaged ']);
  assert.deepEqual(line('app/cluster/apps'), ['unmanaged ']);
  assert.equal(r.summary.ignoredUnmanaged, 3);
  assert.equal(r.summary.unmanaged, 2);
  assert.equal(r.summary.inSync, ds.length, 'in sync counts declared resources only');
  assert.equal(driftStates(r)['poc/project'], undefined, 'the diagram draws the file and its drift, not accepted extras');
  assert.equal(driftStates(r)['app/private-network/other-pn'], 'unmanaged');

  const plan = buildPlan(ds, inv, { ignores, now: new Date('2026-06-01') });
  assert.deepEqual(plan.operations.map((o) => `${o.action} ${o.id}`).sort(), ['delete app/cluster/apps', 'delete app/private-network/other-pn']);
  assert.deepEqual(plan.leftAlone.map((n) => n.id), ['app/private-network/hand-pn', 'poc/private-network/poc-pn', 'poc/project']);
  // expired, the same ignores accept nothing
  const late = computeDrift(ds, inv, { ignores: ignores.map((i) => ({ ...i, expires: '2026-01-01' })), now: new Date('2026-06-01') });
  assert.equal(late.summary.ignoredUnmanaged, 0);
  assert.equal(late.summary.unmanaged, 5);
  assert.equal(late.summary.expiredIgnores, 4);
});
