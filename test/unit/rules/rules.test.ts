// One test per rule fixture (test/fixtures/rules): the violating document yields exactly the
// marked ranges for its rule, with the expected message and fix; applying the first fix's edits
// removes that finding; the clean twin has no finding at all. A last test checks that every
// registered rule has a fixture, so a new rule cannot ship untested.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, Range } from '../../../src/core/issues';
import { bundledCatalog } from '../../../src/core/catalog';
import { RULES, validateText } from '../../../src/core/validate';
import { applyEdits, loadFixture } from './fixture';

const dir = join(__dirname, '..', '..', 'fixtures', 'rules');
const NOW = new Date('2026-06-01T00:00:00Z');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const fmt = (r: Range) => `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;

for (const file of files) {
  const fx = loadFixture(join(dir, file), file);
  test(`rule ${fx.rule} (${file})`, () => {
    const bad = validateText(fx.bad, file, { now: NOW });
    const found: Issue[] = bad.issues.filter((i) => i.ruleId === fx.rule);
    assert.deepEqual(found.map((i) => fmt(i.range)).sort(), fx.expected.map(fmt).sort(),
      `ranges of ${fx.rule}; all findings:\n${bad.issues.map((i) => `${fmt(i.range)} ${i.ruleId} ${i.message}`).join('\n')}`);
    assert.ok(found.some((i) => i.message.includes(fx.message)), `a message containing "${fx.message}"; got:\n${found.map((i) => i.message).join('\n')}`);
    for (const i of found) {
      assert.ok(i.fix?.title, `every finding has a fix title (${i.message})`);
      assert.ok(!/SCW[A-Z0-9]{17}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(i.message), 'messages never echo credentials or ids');
    }
    if (fx.fix !== undefined) {
      const withEdits = found.find((i) => i.fix?.edits?.length);
      assert.ok(withEdits, 'a finding with fix edits');
      assert.equal(withEdits.fix!.edits![0]!.newText, fx.fix);
      const fixed = validateText(applyEdits(fx.bad, withEdits.fix!.edits!), file, { now: NOW });
      assert.equal(fixed.issues.filter((i) => i.ruleId === 'yaml-syntax' || i.ruleId === 'schema').length, 0, 'the fix keeps the file valid');
      assert.ok(fixed.issues.filter((i) => i.ruleId === fx.rule).length < found.length, 'the fix removes the finding');
    }
    const good = validateText(fx.good, file, { now: NOW });
    assert.deepEqual(good.issues.map((i) => `${fmt(i.range)} ${i.ruleId} ${i.message}`), [], 'the clean twin has no findings');
  });
}

test('every rule has a fixture', () => {
  const covered = new Set(files.map((f) => f.split('.')[0]));
  // a catalog rule whose catalog the bundled snapshot has no recorded answer for finds nothing
  // offline: test/unit/catalog.test.ts checks it against a catalog passed in, as plan time does
  const offlineless = RULES.filter((r) => 'catalogKind' in r && !bundledCatalog().offers[(r as { catalogKind: 'lb-types' }).catalogKind]).map((r) => r.id);
  // (permission sets: no API answer recorded either, but Scaleway's documentation lists them, dated)
  assert.deepEqual(offlineless.sort(), ['load-balancer-type'], 'LB types: recorded nowhere');
  // quotas need 51 to 256 of something: test/unit/rules/quotas.test.ts generates those documents
  const generated = RULES.filter((r) => r.id.startsWith('quota-')).map((r) => r.id);
  const missing = RULES.map((r) => r.id).filter((id) => !covered.has(id) && !offlineless.includes(id) && !generated.includes(id));
  assert.deepEqual(missing, []);
});
