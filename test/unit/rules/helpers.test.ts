// The small readers behind the rules: cron schedules and their longest gap, CIDR blocks, and the
// style-preserving edits that fixes are made of.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SourceDocument } from '../../../src/core/document';
import { parseCidr, isPrivate } from '../../../src/core/rules/cidr';
import { longestGapSeconds, parseCron } from '../../../src/core/rules/cron';
import { appendToSequence, removeFromSequence, setKey } from '../../../src/core/rules/edits';
import { applyEdits } from './fixture';

const hours = (cron: string) => {
  const p = parseCron(cron);
  assert.ok(p.ok, cron);
  return longestGapSeconds(p.schedule)! / 3600;
};

test('cron: longest gap between runs', () => {
  assert.equal(hours('0 */6 * * *'), 6);
  assert.equal(hours('0 3 * * *'), 24);
  assert.equal(hours('*/15 * * * *'), 0.25);
  assert.equal(hours('0 0 * * 1'), 168);
  assert.equal(hours('0 0 * * mon'), 168);
  assert.equal(hours('0 9-17 * * 1-5'), 64); // Friday 17:00 → Monday 09:00
  assert.equal(hours('0 0 1,15 * 1'), 168); // day-of-month OR day-of-week
  assert.equal(hours('0 0 1 * *'), 744); // 31-day months
  assert.equal(hours('0 0 * * 0,7'), 168); // 7 is Sunday too
});

test('cron: malformed and impossible schedules', () => {
  assert.deepEqual(parseCron('0 25 * * *'), { ok: false, problem: 'hour "25" is out of range 0–23' });
  assert.equal(parseCron('0 */0 * * *').ok, false);
  assert.equal(parseCron('0 5-3 * * *').ok, false);
  assert.equal(parseCron('0 * * *').ok, false);
  const never = parseCron('0 0 30 2 *');
  assert.ok(never.ok && longestGapSeconds(never.schedule) === undefined);
});

test('cidr: octets, prefix, alignment, RFC 1918', () => {
  assert.ok(parseCidr('10.0.0.0/24').ok);
  assert.deepEqual(parseCidr('10.0.0.300/24'), { ok: false, problem: 'octet 300 is greater than 255' });
  assert.deepEqual(parseCidr('10.0.0.0/33'), { ok: false, problem: 'prefix /33 is greater than /32' });
  const misaligned = parseCidr('10.0.1.0/22');
  assert.ok(!misaligned.ok && misaligned.aligned === '10.0.0.0/22');
  const p = (c: string) => (parseCidr(c) as { cidr: Parameters<typeof isPrivate>[0] }).cidr;
  assert.ok(isPrivate(p('172.31.0.0/16')));
  assert.ok(!isPrivate(p('172.32.0.0/16')));
  assert.ok(!isPrivate(p('8.0.0.0/8')));
  assert.ok(!isPrivate(p('10.0.0.0/7')));
});

test('edits keep the author\'s style: flow grows inline, block grows a line at the same indent', () => {
  const flow = 'a:\n  list: [x, y]\n  map: { k: 1 }\n';
  const src = new SourceDocument(flow);
  assert.equal(applyEdits(flow, appendToSequence(src, ['a', 'list'], ['z'])!), 'a:\n  list: [x, y, z]\n  map: { k: 1 }\n');
  assert.equal(applyEdits(flow, setKey(src, ['a', 'map'], 'n', '2')!), 'a:\n  list: [x, y]\n  map: { k: 1, n: 2 }\n');
  assert.equal(applyEdits(flow, removeFromSequence(src, ['a', 'list'], 1)!), 'a:\n  list: [x]\n  map: { k: 1 }\n');
  const block = 'a:\n  list:\n    - x\n    - y\n  k: 1\n';
  const bsrc = new SourceDocument(block);
  assert.equal(applyEdits(block, appendToSequence(bsrc, ['a', 'list'], ['z', 'w'])!), 'a:\n  list:\n    - x\n    - y\n    - z\n    - w\n  k: 1\n');
  assert.equal(applyEdits(block, setKey(bsrc, ['a'], 'n', '2')!), 'a:\n  list:\n    - x\n    - y\n  k: 1\n  n: 2\n');
  assert.equal(applyEdits(block, removeFromSequence(bsrc, ['a', 'list'], 0)!), 'a:\n  list:\n    - y\n  k: 1\n');
  assert.equal(applyEdits(flow, setKey(src, ['a', 'map'], 'k', '3')!), 'a:\n  list: [x, y]\n  map: { k: 3 }\n');
});
