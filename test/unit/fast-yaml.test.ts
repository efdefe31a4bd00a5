// The fast YAML path either declines (undefined) or builds exactly what the yaml package builds:
// the same node kinds, values, flow style and ranges, and the same plain value. Checked on the
// example, every rule fixture, a generated 500-project file and thousands of mutations.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastParse } from '../../src/core/fast-yaml';
import { generateLandingZone } from '../../bench/generate';
import { loadFixture } from './rules/fixture';
import { difference, mutate, prng } from './fuzz-mutate';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');

test('the fast path accepts the example and matches yaml exactly', () => {
  assert.ok(fastParse(example), 'the example is on the fast path');
  assert.equal(difference(example), undefined);
});

test('CRLF line ends stay on the fast path and match yaml', () => {
  const crlf = example.replace(/\n/g, '\r\n');
  assert.ok(fastParse(crlf));
  assert.equal(difference(crlf), undefined);
  assert.equal(difference(generateLandingZone(20).replace(/\n/g, '\r\n')), undefined);
});

test('simple block scalars stay on the fast path and match yaml', () => {
  for (const text of [
    'a: |\n  x y\n  # not a comment\nb: 1\n', 'a: >-\n  x\n  y\n\nb: 1\n', 'p:\n  a: >\n    one\n    two\n  b: 1\n',
    'l:\n  - |-\n    x\n  - y\n', 'a: |\n  end of file', 'a: >\r\n  x\r\n  y\r\nb: 1\r\n', 'a: |  \n  x\n',
    example.replace('    description: Production workloads\n', '    description: >-\n      Production workloads,\n      the ones customers see\n'),
  ]) {
    assert.ok(fastParse(text), JSON.stringify(text));
    assert.equal(difference(text), undefined, JSON.stringify(text));
  }
});

test('a leading --- stays on the fast path and matches yaml', () => {
  for (const text of [`---\n${example}`, `# header\n--- # doc\n${example}`]) {
    assert.ok(fastParse(text));
    assert.equal(difference(text), undefined);
  }
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
    'a: &x 1\nb: *x\n', 'a: !tag 1\n', 'a: |+\n  text\n', 'a: |2\n  text\n', 'a: >\n  one\n\n  two\n', 'a: |\n  one\n    more\n', 'a: |\nb: 1\n', '--- !tag\na: 1\n', 'a: 1\n---\nb: 2\n', '---\na: 1\n...\n', '%YAML 1.2\n---\na: 1\n',
    'a: "multi\n  line"\n', 'a: [1,\n  2]\n', 'a:\n', 'a: 1\rb: 2\r', 'a:\tb\n', '? a\n: b\n', '- a\n- b\n',
    'a: 0x1F\n', 'a: 1e3\n', 'a: .inf\n', 'a: True\n', 'a: b: c\n', 'a: [a: b]\n', 'a: [1, 2,]\n',
  ]) assert.equal(fastParse(text), undefined, JSON.stringify(text));
});
