// The seed policies' rules beyond their fixtures: the fixes that add whole blocks (a plan, a
// project) produce a file without that finding and without new ones, and the defaults they write
// come from the catalog snapshot, not from the code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledCatalog, offerOf } from '../../../src/core/catalog';
import type { Catalog } from '../../../src/core/catalog';
import { validateText } from '../../../src/core/validate';
import { applyEdits } from './fixture';

const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');
const run = (text: string, catalog?: Catalog) => validateText(text, 'seed.yaml', { now: NOW, catalog });
const summary = (text: string) => run(text).issues.map((i) => `${i.ruleId}: ${i.message}`);

const withoutDr = example.slice(0, example.indexOf('disasterRecovery:')) + example.slice(example.indexOf('drift:'));
const withoutMonitoring = example.replace(/\n  monitoring:\n(?: {4}.*\n)+/, '\n');

test('dr-plan: a file without disasterRecovery gets one plan for both failures, and its fix leaves no dr-plan finding', () => {
  const found = run(withoutDr).issues.filter((i) => i.ruleId === 'dr-plan');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.fix?.edits?.[0]?.newText, '\ndisasterRecovery: { zoneFailure: { fallbackZone: fr-par-2 }, regionFailure: { fallbackRegion: nl-ams } }');
  const fixed = applyEdits(withoutDr, found[0]!.fix!.edits!);
  assert.deepEqual(summary(fixed).filter((s) => /^(dr-plan|yaml-syntax|schema)/.test(s)), []);
});

test('velero-backup: without disasterRecovery.velero the production cluster is reported, the others are not', () => {
  const found = run(withoutDr).issues.filter((i) => i.ruleId === 'velero-backup');
  assert.deepEqual(found.map((i) => i.path.join('/')), ['projects/prod/clusters/apps']);
  assert.match(found[0]!.message, /no Velero backup/);
});

test('velero-backup: clusters absent from velero means every environment cluster (the writers\' default)', () => {
  const text = example.replace(', clusters: [prod/apps] }', ' }');
  assert.deepEqual(run(text).issues.filter((i) => i.ruleId === 'velero-backup'), []);
});

test('monitoring-project: the fix adds a monitoring project on a free subnet with the catalog\'s first gateway type', () => {
  const found = run(withoutMonitoring).issues.filter((i) => i.ruleId === 'monitoring-project');
  assert.equal(found.length, 1);
  const first = offerOf(bundledCatalog(), 'gateway-types', 'fr-par-1')!.values[0]!.name;
  const edit = found[0]!.fix!.edits![0]!.newText;
  assert.match(edit, new RegExp(`monitoring: \\{ role: monitoring, network: \\{ privateNetwork: \\{ subnet: 10\\.200\\.0\\.0/24 \\}, publicGateway: \\{ type: ${first}, reservedIp: true \\} \\} \\}`));
  const fixed = applyEdits(withoutMonitoring, found[0]!.fix!.edits!);
  assert.deepEqual(summary(fixed), []);
});

test('monitoring-project: a catalog that offers other gateway types changes what the fix writes', () => {
  const snapshot = bundledCatalog();
  const offer = offerOf(snapshot, 'gateway-types', 'fr-par-1')!;
  const catalog: Catalog = { ...snapshot, offers: { ...snapshot.offers, 'gateway-types': { 'fr-par-1': { ...offer, values: [{ name: 'VPC-GW-M' }, ...offer.values] } } } };
  const found = run(withoutMonitoring, catalog).issues.filter((i) => i.ruleId === 'monitoring-project');
  assert.match(found[0]!.fix!.edits![0]!.newText, /type: VPC-GW-M,/);
});

test('key-project: keys in a monitoring or shared project are reported; a security project\'s are not', () => {
  const text = example.replace('    description: Logs and metrics\n', '    description: Logs and metrics\n    keys:\n      logs-key: { usage: symmetric_encryption, rotationPeriod: 90d }\n');
  const found = run(text).issues.filter((i) => i.ruleId === 'key-project');
  assert.deepEqual(found.map((i) => i.path.join('/')), ['projects/monitoring/keys/logs-key']);
  assert.deepEqual(run(example).issues, []);
});
