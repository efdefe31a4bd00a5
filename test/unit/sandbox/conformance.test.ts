import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CASSETTE_DIR, HELD_OUT_DIR, catalogServed, compareShape, coverage, describe, listCassettes, perCassette, replayAll } from './cassettes';
import { API_CHANGES, AWAITING_CATALOG, EXCLUDED, HELD_OUT_EXCLUDED } from './conformance-exclusions';

const cassettes = existsSync(CASSETTE_DIR);
/** Dated API changes that excused a key in either folder's replay. */
const changesUsed = new Set<unknown>();

test('the shape comparison is strict both ways, on first array elements, and stops at null', () => {
  assert.deepEqual(compareShape({ a: 1, b: { c: 1 } }, { a: 2, b: { c: 2, d: 3 }, e: null }), { missing: [], extra: ['b.d', 'e'] });
  assert.deepEqual(compareShape({ l: [{ x: 1, y: 2 }] }, { l: [{ x: 1 }] }), { missing: ['l[].y'], extra: [] });
  // an empty list on either side has no element to compare; null against an object is a value
  assert.deepEqual(compareShape({ l: [{ x: 1 }], n: null }, { l: [], n: { deep: 1 } }), { missing: [], extra: [] });
  assert.deepEqual(compareShape({ k: 1 }, {}), { missing: ['k'], extra: [] });
});

/** Prints the report's per-cassette lines, coverage and dated changes, and holds every in-scope interaction to a match. */
function reportAndMatch(t: { diagnostic(s: string): void }, report: Awaited<ReturnType<typeof replayAll>>): void {
  for (const c of report.changesUsed) changesUsed.add(c);
  for (const line of perCassette(report)) t.diagnostic(line);
  for (const line of coverage(report).split('\n')) t.diagnostic(line);
  for (const c of report.changesUsed) t.diagnostic(`dated API change excused: ${c.kind} ${c.key} before ${c.since} (${c.evidence})`);
  const mismatches = report.outcomes.filter((o) => !o.ok && o.verdict !== 'excluded');
  assert.deepEqual(mismatches.map((o) => `${o.file}#${o.index} ${o.endpoint}: ${describe(o)}`), []);
}

test('conformance: every in-scope recorded interaction matches strictly (status, key sets both ways, Content-Type)', { skip: !cassettes && 'cassettes not found' }, async (t) => {
  const files = listCassettes();
  assert.ok(files.length >= 55, `expected the 55 shared cassettes, found ${files.length}`);
  const report = await replayAll(files);
  reportAndMatch(t, report);

  // every exclusion is still needed: a listed interaction that now matches, or a dated change that
  // excuses nothing, must leave the lists
  const excluded = report.outcomes.filter((o) => o.verdict === 'excluded');
  for (const e of EXCLUDED) assert.ok(excluded.some((o) => o.file === e.file && o.index === e.index), `${e.file}#${e.index} is excluded but matches now: remove it`);
  const catalogExcluded = excluded.filter((o) => AWAITING_CATALOG.includes(o.endpoint)).length;
  assert.ok(excluded.length <= EXCLUDED.length + (catalogServed() ? 0 : catalogExcluded), 'only listed interactions are excluded');
  assert.ok(excluded.length <= 10, `too many exclusions: ${excluded.length}`);
  assert.ok(report.outcomes.length >= 1400, `the in-scope replay shrank: ${report.outcomes.length} interactions`);
});

test('held-out conformance: real recordings the sandbox was not built from match strictly too', async (t) => {
  const files = listCassettes(HELD_OUT_DIR);
  assert.ok(files.length >= 10, `expected the held-out recordings, found ${files.length}`);
  const report = await replayAll(files, HELD_OUT_DIR);
  reportAndMatch(t, report);
  const excluded = report.outcomes.filter((o) => o.verdict === 'excluded');
  for (const e of HELD_OUT_EXCLUDED) assert.ok(excluded.some((o) => o.file === e.file && o.index === e.index), `${e.file}#${e.index} is excluded but matches now: remove it`);
  assert.ok(excluded.length <= HELD_OUT_EXCLUDED.length, 'only listed interactions are excluded');
});

test('every dated API change excuses at least one recorded key (in either folder)', { skip: !cassettes && 'cassettes not found' }, () => {
  for (const c of API_CHANGES) assert.ok(changesUsed.has(c), `the dated change ${c.kind} ${c.key} excuses nothing: remove it`);
});
