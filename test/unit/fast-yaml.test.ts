// The fast YAML path either declines (undefined) or builds exactly what the yaml package builds:
// the same node kinds, values, flow style and full ranges, and the same plain value; and
// validation gives the same findings (messages, ranges, paths, fixes) with either reader. Checked on
// the example, every rule fixture, a generated 500-project file, thousands of mutations, issue 13's
// five classes (K1–K5) and thousands of seeded generated documents (test/unit/fuzz-yaml-generate.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceDocument } from '../../src/core/document';
import { fastParse } from '../../src/core/fast-yaml';
import { validateText } from '../../src/core/validate';
import { generateLandingZone } from '../../bench/generate';
import { loadFixture } from './rules/fixture';
import { difference, mutate, prng, validationDifference } from './fuzz-mutate';
import { landingZoneDocument, randomDocument } from './fuzz-yaml-generate';

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
    'a: |\n  x y\n  # not a comment\n  z\nb: 1\n', 'a: >-\n  x\n  y\nb: 1\n', 'p:\n  a: >\n    one\n    two\n  b: 1\n',
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
  // until enough mutations were accepted, whatever the machine's load, then within the budget
  for (let n = 0; n < 3000 && (accepted <= 10 || Date.now() - started < 4000); n++) {
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

test('issue 13 K1: a comment indented inside a nested block before a dedent or the end', () => {
  for (const text of ['s:\n y:\n  y: 1\n  #\nk: 1\n', 'a:\n  b: 1\n  # x\n', 'a: [1, 2] # x\n  # y\nc: 2\n', 'a:\n  - 1\n  # x\nc: 2\n']) {
    assert.equal(fastParse(text), undefined, JSON.stringify(text));
    assert.equal(validationDifference(text), undefined, JSON.stringify(text));
  }
  // a comment at the indentation of what follows changes no range: it stays on the fast path
  const between = 'a:\n  b:\n    c: 1\n  # x\n  d: 2\n';
  assert.ok(fastParse(between));
  assert.equal(difference(between), undefined);
});

test('issue 13 K2: block scalars with blank, whitespace-only or # lines keep every line', () => {
  for (const text of ['a: |\n  x\n\n\n  # y\nb: 1\n', 'a: |\n  x\n     \n  y\nb: 1\n', 'a: >\n  x\n\n  y\n', 'a: |-\n  x\n   \nb: 1\n']) {
    assert.equal(fastParse(text), undefined, JSON.stringify(text));
    assert.equal(validationDifference(text), undefined, JSON.stringify(text));
  }
  const source = new SourceDocument('a: |\n  x\n\n\n  # y\nb: 1\n', 'k2.yaml', 'fast');
  assert.deepEqual(source.value, { a: 'x\n\n\n# y\n', b: 1 });
});

test('issue 13 K3: a key over 1024 characters is a syntax error on every path', () => {
  const text = `${'k'.repeat(1025)}: 1\n`;
  assert.equal(fastParse(text), undefined);
  assert.equal(validationDifference(text), undefined);
  assert.equal(validateText(text, 'k3.yaml', { reader: 'fast' }).issues[0]?.ruleId, 'yaml-syntax');
});

test('issue 13 K4: a colon just before } is a syntax error on every path', () => {
  const text = 'version: 1\ndisasterRecovery:\n  regionFailure: { fallbackRegion: nl-ams:}\n';
  assert.equal(fastParse(text), undefined);
  assert.equal(validationDifference(text), undefined);
  assert.equal(validateText(text, 'k4.yaml', { reader: 'fast' }).issues[0]?.ruleId, 'yaml-syntax');
});

test('issue 13 K5: deep nesting gives one bounded, deterministic finding on every path', () => {
  for (const text of [`a: ${'['.repeat(2800)}x${']'.repeat(2800)}\n`, `a: ${'['.repeat(1000)}x${']'.repeat(1000)}\n`, `a: ${'{ a: '.repeat(300)}x${' }'.repeat(300)}\n`,
    // (1,400 levels: as deep as fits in the 1 MB size limit)
    Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' v\n']) {
    assert.equal(fastParse(text), undefined);
    const fast = validateText(text, 'k5.yaml', { reader: 'fast' });
    assert.equal(validationDifference(text), undefined);
    assert.deepEqual(fast.issues.map((i) => i.ruleId), ['yaml-syntax']);
    assert.match(fast.issues[0]!.message, /RESOURCE_EXHAUSTION/);
  }
  // 40 levels is beyond the fast path's own limit but an ordinary document for yaml
  const forty = `a: ${'['.repeat(40)}x${']'.repeat(40)}\n`;
  assert.equal(fastParse(forty), undefined);
  assert.equal(validationDifference(forty), undefined);
  assert.ok(!validateText(forty).issues.some((i) => i.ruleId === 'yaml-syntax'));
});

/*
 * The proof the fast path may stand in for yaml: seeded generated documents from a grammar of the
 * YAML a landing-zone file may hold (both families of fuzz-yaml-generate.ts), each compared node by
 * node and, for a share of them, through the whole validation. Seeds and counts are fixed so a
 * failure reproduces; LZ_DIFF_DOCS raises the count (bench/fuzz.ts runs it for as long as you like).
 */
const DOCS = Number(process.env.LZ_DIFF_DOCS ?? 2500);

test(`differential: ${DOCS} generated documents, 0 disagreements between the fast path and yaml`, () => {
  const rand = prng(13);
  const sources = [example, generateLandingZone(4)];
  const seen = new Map<string, number>();
  let accepted = 0;
  let validated = 0;
  for (let n = 0; n < DOCS; n++) {
    const landingZone = n % 8 === 7;
    const g = landingZone ? landingZoneDocument(rand, sources[n % 2]!) : randomDocument(rand);
    // When the fast path declines, both readers are yaml: only accepted documents can differ.
    const onFastPath = fastParse(g.text) !== undefined;
    const diff = difference(g.text) ?? (onFastPath ? (validated++, validationDifference(g.text)) : undefined);
    assert.equal(diff, undefined, `document ${n} (${g.classes.join(', ')}):\n${diff}\n--- input ---\n${JSON.stringify(g.text)}`);
    if (onFastPath) accepted++;
    for (const c of g.classes) seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  // the generator must keep producing what it is for: accepted documents and every class
  assert.ok(accepted >= DOCS / 10, `the fast path accepted only ${accepted} of ${DOCS}`);
  for (const c of ['K1', 'K2', 'K3', 'K4', 'K5', 'anchor', 'alias', 'tag', 'crlf', 'whitespace-line', 'block-scalar', 'multiline-quoted']) {
    assert.ok((seen.get(c) ?? 0) > 0, `no generated document of class ${c}`);
  }
  assert.equal(validated, accepted);
});
