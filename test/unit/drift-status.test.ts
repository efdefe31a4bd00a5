// The editor's drift status (status bar, Landing Zone view) from real drift reports: never
// "in sync" when anything could not be read. The vscode-free half of the status bar feature.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { desiredResources } from '../../src/core/desired';
import { computeDrift } from '../../src/core/drift';
import type { Inventory, LiveResource } from '../../src/core/state';
import { validateText } from '../../src/core/validate';
import { driftSnapshot, driftStatusDetails, driftStatusText } from '../../src/extension/drift-status';

const FILE = `version: 1
organization: { id: 11111111-2222-3333-4444-555555555555, name: t }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  hub:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S }
    keys:
      k: { usage: symmetric_encryption, rotationPeriod: 90d }
`;

function report(edit: (inv: Inventory) => void = () => {}) {
  const v = validateText(FILE);
  assert.ok(v.model);
  const desired = desiredResources(v.model);
  const resources: LiveResource[] = desired.map((d, i) => ({
    kind: d.kind, scalewayId: `id-${i}`, lzId: d.kind === 'project' ? undefined : d.id, naturalId: d.id, projectId: 'p', projectName: d.project,
    name: d.name, region: d.region, zone: d.zone, tags: d.kind === 'project' ? [] : ['lz:managed', `lz:id=${d.id}`], fields: { ...d.fields },
  }));
  const inv: Inventory = { organizationId: '11111111-2222-3333-4444-555555555555', resources, notChecked: [], readAt: '2026-01-01T00:00:00Z' };
  edit(inv);
  return computeDrift(desired, inv);
}

test('everything read and equal: in sync', () => {
  const snap = driftSnapshot(report(), 'file:///lz.yaml');
  assert.equal(driftStatusText(snap), ' · $(pass) in sync');
  assert.match(driftStatusDetails(snap)[0]!, /coverage 100%/);
});

test('a kind that could not be read: "not checked" with the count, never in sync; the details name it', () => {
  const snap = driftSnapshot(report((inv) => {
    inv.resources = inv.resources.filter((l) => l.kind !== 'key');
    inv.notChecked.push({ kind: 'key', region: 'fr-par', reason: 'permission denied', cause: 'denied', status: 403 });
  }), 'file:///lz.yaml');
  assert.equal(snap.verdict, 'not-checked');
  assert.equal(driftStatusText(snap), ' · $(circle-slash) 1 kind(s) not checked');
  assert.doesNotMatch(driftStatusText(snap), /in sync/);
  assert.match(driftStatusDetails(snap).join('\n'), /could not read: key/);
  assert.equal(snap.resources.get('hub/key/k')?.state, 'not-checked');
});

test('drift and an unread kind: both are shown', () => {
  const snap = driftSnapshot(report((inv) => {
    inv.resources = inv.resources.filter((l) => l.kind !== 'private-network' && l.kind !== 'key');
    inv.notChecked.push({ kind: 'key', reason: 'boom', cause: 'failed' });
  }), 'file:///lz.yaml');
  assert.equal(driftStatusText(snap), ' · $(warning) 1 to reconcile · $(circle-slash) 1 kind(s) not checked');
});

test('one vocabulary: the explorer\'s and hovers\' states and the counts are core\'s drift statuses, the same as the diagram\'s', () => {
  const r = report((inv) => {
    const gw = inv.resources.find((l) => l.kind === 'public-gateway')!;
    gw.fields = { ...gw.fields, type: 'VPC-GW-M' };
    inv.resources = inv.resources.filter((l) => l.kind !== 'key');
  });
  const snap = driftSnapshot(r, 'file:///lz.yaml');
  for (const e of r.entries) assert.equal(snap.resources.get(e.id)?.state, e.status, e.id);
  assert.equal(snap.resources.get('hub/public-gateway/hub-gw')?.state, 'changed');
  assert.equal(snap.resources.get('hub/key/k')?.state, 'missing');
  assert.deepEqual(snap.counts, { 'in-sync': r.summary.inSync, changed: 1, missing: 1, unmanaged: 0, 'not-checked': 0 });
  for (const [id, state] of Object.entries(snap.states ?? {})) assert.equal(snap.resources.get(id)?.state, state, id);
  assert.equal(driftStatusText(snap), ' · $(warning) 2 to reconcile');
});
