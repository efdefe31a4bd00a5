// Quick fixes where one is obvious: each is the only fix offered for its mistake, and applying it
// gives a file without the finding (and without new ones).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledCatalog, type Catalog } from '../../../src/core/catalog';
import { quickFixesFor } from '../../../src/core/language/quick-fixes';
import { validateText } from '../../../src/core/validate';
import { applyEdits } from './fixture';

const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');
const run = (text: string, catalog?: Catalog) => validateText(text, 'lz.yaml', { now: NOW, catalog });
const devCluster = 'version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: DEV1-L';

/** The fixes offered on the line of the first finding, as the editor's light bulb shows them. */
function fixesOnFirstFinding(text: string, catalog?: Catalog) {
  const { issues } = run(text, catalog);
  assert.ok(issues.length > 0, 'a finding');
  const line = issues[0]!.range.start.line;
  return { issues, fixes: quickFixesFor(issues, { start: { line, character: 0 }, end: { line, character: 999 } }) };
}

function assertOneFixRepairs(text: string, title: RegExp, catalog?: Catalog): string {
  const { fixes, issues } = fixesOnFirstFinding(text, catalog);
  assert.equal(fixes.length, 1, `one fix; findings: ${issues.map((i) => `${i.ruleId} ${i.fix?.title}`).join(' | ')}`);
  assert.match(fixes[0]!.title, title);
  const fixed = applyEdits(text, fixes[0]!.edits);
  assert.deepEqual(run(fixed, catalog).issues.map((i) => `${i.ruleId} ${i.message}`), []);
  return fixed;
}

test('an enum typo: the nearest allowed value', () => {
  const fixed = assertOneFixRepairs(example.replace(devCluster, devCluster.replace('cni: cilium', 'cni: ciliun')), /^Change to cilium$/);
  assert.equal(fixed, example);
});

test('an unquoted version 1.30 is read as 1.3: the message says so and the fix quotes what was written', () => {
  const text = example.replace(devCluster, devCluster.replace('version: "1.35"', 'version: 1.30'));
  const { issues } = run(text);
  assert.match(issues[0]!.message, /YAML reads 1\.30 as the number 1\.3; quote it: "1\.30"/);
  assert.equal(issues[0]!.fix?.edits?.[0]?.newText, '"1.30"');
  // 1.35 unquoted: the quoted text is exactly the example
  assert.equal(assertOneFixRepairs(example.replace(devCluster, devCluster.replace('version: "1.35"', 'version: 1.35')), /^Quote it: "1\.35"$/), example);
});

test('an invalid name: renamed to a valid one that no sibling has', () => {
  const fixed = assertOneFixRepairs(example.replace('    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S', '    databases:\n      Main_DB:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S'), /^Rename to "main-db"$/);
  assert.match(fixed, /\n {6}main-db:\n/);
});

test('a misspelt hub in allowFrom: one fix (change it), not "add the hub" beside it', () => {
  const text = example.replace('allowFrom: [security, devops] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S', 'allowFrom: [security, devop] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S');
  const { issues } = run(text);
  assert.deepEqual(issues.map((i) => i.ruleId), ['ref-unresolved']);
  assert.equal(assertOneFixRepairs(text, /^Change to devops$/), example);
});

test('a hub left out of allowFrom (no typo) is still added', () => {
  const text = example.replace('allowFrom: [security, devops] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S', 'allowFrom: [security] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S');
  assert.equal(assertOneFixRepairs(text, /^Add devops to allowFrom$/), example);
});

test('a cluster without a load balancer: the type comes from a catalog, else from the file, never from the code', () => {
  const text = example.replace('        loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S', '    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S');
  // the snapshot records no LB types: the type the file's other load balancers use most (LB-S and
  // LB-GP-M once each: the first by name)
  const fromFile = fixesOnFirstFinding(text).issues.find((i) => i.ruleId === 'lb-admits-hubs')!;
  assert.match(fromFile.fix!.edits![0]!.newText, /type: LB-GP-M,/);
  const twoLbS = text.replace('{ type: LB-GP-M, https: true', '{ type: LB-S, https: true');
  assert.match(run(twoLbS).issues.find((i) => i.ruleId === 'lb-admits-hubs')!.fix!.edits![0]!.newText, /type: LB-S,/);
  const snapshot = bundledCatalog();
  const live: Catalog = { ...snapshot, offers: { ...snapshot.offers, 'lb-types': { 'fr-par-1': { values: [{ name: 'LB-GP-S' }, { name: 'LB-S' }], date: '2026-12-07', source: 'test' } } } };
  const fromCatalog = run(text, live).issues.find((i) => i.ruleId === 'lb-admits-hubs')!;
  assert.match(fromCatalog.fix!.edits![0]!.newText, /type: LB-GP-S,/);
});

test('an unclosed { is one finding, at the bracket\'s own line, and its fix closes it', () => {
  const text = example.replace('  zoneFailure: { fallbackZone: fr-par-2 }', '  zoneFailure: { fallbackZone: fr-par-2');
  const { issues } = run(text);
  assert.equal(issues.length, 1);
  assert.equal(text.split('\n')[issues[0]!.range.start.line], '  zoneFailure: { fallbackZone: fr-par-2');
  assert.equal(applyEdits(text, issues[0]!.fix!.edits!), example);
});
