// The fast YAML path either declines (undefined) or builds exactly what the yaml package builds:
// the same node kinds, values, flow style and ranges, and the same plain value. Checked on the
// example, every rule fixture, a generated 500-project file and thousands of mutations.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { fastParse } from '../../src/core/fast-yaml';
import { generateLandingZone } from '../../bench/generate';
import { loadFixture } from './rules/fixture';
import { mutate, prng } from './fuzz-mutate';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');

/** A comparable outline of a node tree: kinds, values, flow and ranges [start, valueEnd]. */
function outline(node: unknown): unknown {
  if (isMap(node)) return { map: node.flow ? 'flow' : 'block', range: node.range?.slice(0, 2), items: node.items.map((p) => [outline(p.key), outline(p.value)]) };
  if (isSeq(node)) return { seq: node.flow ? 'flow' : 'block', range: node.range?.slice(0, 2), items: node.items.map(outline) };
  if (isScalar(node)) return { scalar: node.value, type: node.type, range: node.range };
  if (isPair(node)) return { pair: true };
  return node === null || node === undefined ? null : { other: String(node) };
}

/** undefined when the fast path declined; otherwise a description of any difference. */
export function difference(text: string): string | undefined {
  const fast = fastParse(text);
  if (!fast) return undefined;
  const slow = parseDocument(text, { uniqueKeys: false, logLevel: 'silent' });
  if (slow.errors.length > 0) return `yaml reports ${slow.errors[0]!.code} but the fast path accepted the text`;
  try {
    assert.deepEqual(outline(fast.contents), outline(slow.contents));
    assert.deepEqual(fast.toJS(), slow.toJS());
  } catch (err) {
    return (err as Error).message.slice(0, 3000);
  }
  return undefined;
}

test('the fast path accepts the example and matches yaml exactly', () => {
  assert.ok(fastParse(example), 'the example is on the fast path');
  assert.equal(difference(example), undefined);
});

test('the fast path matches yaml on every rule fixture (both variants)', () => {
  const dir = join(root, 'test', 'fixtures', 'rules');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const fx = loadFixture(join(dir, f), f);
    for (const text of [fx.bad, fx.good]) assert.equal(difference(text), undefined, f);
  }
});

test('the fast path accepts and matches a generated 500-project file', () => {
  const text = generateLandingZone(500);
  assert.ok(fastParse(text));
  assert.equal(difference(text), undefined);
});

test('on mutations the fast path declines or matches yaml', () => {
  const rand = prng(7);
  let accepted = 0;
  const started = Date.now();
  for (let n = 0; n < 3000 && Date.now() - started < 4000; n++) {
    const { text, applied } = mutate(example, rand);
    const diff = difference(text);
    assert.equal(diff, undefined, `after ${applied.join(', ')}\n${diff}\n--- input ---\n${text}`);
    if (fastParse(text)) accepted++;
  }
  assert.ok(accepted > 10, `the fast path accepted only ${accepted} mutations`);
});

test('constructs the fast path declines', () => {
  for (const text of [
    'a: &x 1\nb: *x\n', 'a: !tag 1\n', 'a: |\n  text\n', 'a: >\n  text\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n',
    'a: "multi\n  line"\n', 'a: [1,\n  2]\n', 'a:\n', 'a: 1\r\nb: 2\r\n', 'a:\tb\n', '? a\n: b\n', '- a\n- b\n',
    'a: 0x1F\n', 'a: 1e3\n', 'a: .inf\n', 'a: True\n', 'a: b: c\n', 'a: [a: b]\n', 'a: [1, 2,]\n',
  ]) assert.equal(fastParse(text), undefined, JSON.stringify(text));
});
