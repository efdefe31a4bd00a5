import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CASSETTE_DIR, coverage, listCassettes, replayAll } from './cassettes';

test('conformance: every in-scope recorded interaction matches (status and JSON key set)', { skip: !existsSync(CASSETTE_DIR) && 'cassettes not found' }, async (t) => {
  const files = listCassettes();
  assert.ok(files.length >= 50, `expected the shared cassettes, found ${files.length}`);
  const report = await replayAll(files);
  for (const line of coverage(report).split('\n')) t.diagnostic(line);
  const mismatches = report.outcomes.filter((o) => o.verdict === 'mismatch');
  assert.deepEqual(
    mismatches.map((o) => `${o.file}#${o.index} ${o.endpoint}: recorded ${o.recordedStatus}, got ${o.status}${o.missing.length ? `, missing ${o.missing.join(', ')}` : ''}`),
    [],
  );
  // what cannot be replayed must stay the exception, and is listed above
  const excused = report.outcomes.filter((o) => o.verdict !== 'match' && o.verdict !== 'mismatch');
  assert.ok(excused.length <= 5, `too many interactions not replayable: ${excused.length}`);
  assert.ok(report.outcomes.length > 1000, 'the in-scope replay shrank unexpectedly');
});
