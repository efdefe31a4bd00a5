// Bounded cost on hostile input (issue 13, part 2): every shape that once made validation
// quadratic, exponential or crash gives a capped, located answer; the cost grows linearly with
// the size; a project named __proto__ is an ordinary name. bench/hostile.ts runs the same shapes
// up to the 1 MB size limit and measures time and memory.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FINDINGS_PER_RULE, validateText } from '../../src/core/validate';
import { parseDocument } from 'yaml';
import { SourceDocument } from '../../src/core/document';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_NODES, readYaml, SYNTAX_ERRORS_SHOWN, SYNTAX_PREFIX, YAML_OPTIONS } from '../../src/core/yaml-limits';
import { generateLandingZone } from '../../bench/generate';
import { BROKEN, brokenText, HOSTILE, ONE_DOCUMENT } from './fuzz-hostile';
import { issueRangeProblems, mutate, prng, rangeProblems } from './fuzz-mutate';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const now = new Date('2026-06-01T00:00:00Z');

for (const [name, make] of Object.entries(HOSTILE)) {
  test(`hostile input ${name}: no crash, findings capped per rule, every range inside the document`, () => {
    const text = make(30_000);
    const result = validateText(text, 'hostile.yaml', { now, reader: 'fast' });
    assert.deepEqual(rangeProblems(text, now), []);
    const perRule = new Map<string, number>();
    for (const i of result.issues) perRule.set(i.ruleId, (perRule.get(i.ruleId) ?? 0) + 1);
    for (const [rule, n] of perRule) assert.ok(n <= MAX_FINDINGS_PER_RULE + 1, `${rule}: ${n} findings`);
    assert.ok(!perRule.has('internal'), result.issues.find((i) => i.ruleId === 'internal')?.message);
  });
}

test('the 2,000-item anchor aliased 2,000 times is one syntax finding, at once', () => {
  const text = `a: &a [${Array(2000).fill('x').join(', ')}]\n${Array.from({ length: 2000 }, (_, i) => `k${i}: *a`).join('\n')}\n`;
  const started = performance.now();
  const result = validateText(text);
  // 16.7 s and 2.5 GB before the alias budget; the bound is loose for a loaded machine
  assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  assert.deepEqual(result.issues.map((i) => i.ruleId), ['yaml-syntax']);
  assert.match(result.issues[0]!.message, /ALIAS_EXPANSION.*from \d+ to \d+ nodes/);
  assert.equal(result.issues[0]!.range.start.line, 1, 'on an alias of the big anchor');
});

test('400 projects on one subnet: one overlap finding per project, capped, with a summary', () => {
  const text = HOSTILE.sharedSubnet!(46_000);
  const projects = text.match(/^ {2}p\d+:$/gm)!.length;
  assert.ok(projects > 300);
  const issues = validateText(text).issues.filter((i) => i.ruleId === 'cidr-overlap');
  assert.equal(issues.length, MAX_FINDINGS_PER_RULE + 1);
  const summary = issues[issues.length - 1]!;
  assert.match(summary.message, /more cidr-overlap finding\(s\) after this one are not shown \((\d+) in all\)/);
  const total = Number(/\((\d+) in all\)/.exec(summary.message)![1]);
  assert.equal(total, projects, 'one per project, not one per pair');
  // every shown finding names a project it overlaps
  for (const i of issues.slice(0, -1)) assert.match(i.message, /^p\d+'s subnet 10\.0\.0\.0\/24 overlaps p\d+'s 10\.0\.0\.0\/24/);
});

test('projects without a network: each fix proposes its own free subnet', () => {
  const text = HOSTILE.noNetwork!(3_000);
  const issues = validateText(text).issues.filter((i) => i.ruleId === 'project-network' && i.fix?.edits);
  const subnets = issues.map((i) => /subnet: ([\d./]+)/.exec(i.fix!.edits![0]!.newText)![1]);
  assert.ok(subnets.length > 10);
  assert.equal(new Set(subnets.slice(0, 56)).size, Math.min(56, subnets.length), 'no two fixes share a subnet while free ones remain');
});

// (how the cost grows is the linear-cost tests' business: absolute times depend on the machine's load)
test('50,000 duplicate keys: capped and summarised, each shown one with a fix that removes it', () => {
  const text = 'k: 1\n'.repeat(50_000);
  const issues = validateText(text).issues;
  assert.equal(issues.length, MAX_FINDINGS_PER_RULE + 1);
  assert.match(issues[issues.length - 1]!.message, /49899 more yaml-duplicate-key finding\(s\) after this one are not shown \(49999 in all\)/);
  assert.deepEqual(issues[0]!.fix?.edits, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: '' }]);
});

test('an unclosed { is reported once, at the bracket, with a fix that closes it', () => {
  const text = 'version: 1\norganization: { id: x, name: acme\ndefaults:\n  region: fr-par\n';
  const issues = validateText(text).issues.filter((i) => i.ruleId === 'yaml-syntax');
  assert.equal(issues.length, 1);
  assert.deepEqual(issues[0]!.range, { start: { line: 1, character: 14 }, end: { line: 1, character: 15 } });
  assert.match(issues[0]!.message, /unclosed \{: the flow map that starts here \(line 2\) has no closing \}/);
  assert.deepEqual(issues[0]!.fix?.edits, [{ range: { start: { line: 1, character: 33 }, end: { line: 1, character: 33 } }, newText: ' }' }]);
});

/** The least of three runs: a loaded machine slows runs down, never speeds them up. */
function bestMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

for (const name of ['sharedSubnet', 'noNetwork', 'duplicateKeys', 'unknownKeys', 'unclosedFlow', 'largeValid']) {
  test(`linear cost: ${name} at 8× the size takes well under 64× the time`, () => {
    const small = HOSTILE[name]!(12_500);
    const large = HOSTILE[name]!(100_000);
    validateText(small); // warm the JIT
    // interleaved, so that a burst of the neighbours' load slows both sizes, not the large one alone
    let a = Infinity;
    let b = Infinity;
    for (let i = 0; i < 3; i++) {
      a = Math.min(a, bestMs(() => validateText(small)));
      b = Math.min(b, bestMs(() => validateText(large)));
    }
    // linear is 8× (n log n a little more); quadratic would be 64×. Generous for a loaded machine;
    // the floor keeps millisecond noise out.
    assert.ok(b <= 24 * Math.max(a, 5), `${name}: ${a.toFixed(1)} ms → ${b.toFixed(1)} ms`);
  });
}

test('a project named __proto__ is an ordinary (invalid) name, not a vanished one', () => {
  const text = example.replace(/^ {2}dev:$/m, '  __proto__:');
  assert.notEqual(text, example);
  for (const reader of ['yaml', 'fast'] as const) {
    const result = validateText(text, 'proto.yaml', { now, reader });
    assert.ok(result.model, reader);
    assert.ok(Object.keys(result.model.spec.projects).includes('__proto__'), reader);
    assert.equal(Object.getPrototypeOf(result.model.spec.projects), Object.prototype);
    assert.ok(Object.keys(result.model.placement).includes('__proto__'));
    const names = result.issues.filter((i) => i.ruleId === 'name-invalid');
    assert.equal(names.length, 1);
    assert.deepEqual(names[0]!.path, ['projects', '__proto__']);
  }
  // a schema finding inside it names the key as written
  const bad = text.replace(/(^ {2}__proto__:\n {4}role: )environment/m, '$1environmnt');
  const schema = validateText(bad, 'proto.yaml', { now }).issues.find((i) => i.ruleId === 'schema');
  assert.deepEqual(schema?.path, ['projects', '__proto__', 'role']);
});

test('past the size limit: one document-size finding that names the limit and the fix, and nothing is parsed', () => {
  const text = `version: 1\n${'# padding\n'.repeat(110_000)}`;
  assert.ok(text.length > MAX_DOCUMENT_BYTES);
  const result = validateText(text, 'big.yaml', { now });
  assert.deepEqual(result.issues.map((i) => i.ruleId), ['document-size']);
  assert.match(result.issues[0]!.message, /^This file is 1\.\d+ MB; landing-zone files are limited to 1 MB \(about 1,000 projects, where Scaleway allows 25 per organisation by default\)\. Split/);
  assert.equal(result.source.value, undefined);
  // multi-byte text counts in UTF-8 bytes, as the CLI counts the file
  const accents = `version: 1\ndescription: "${'é'.repeat(530_000)}"\n`;
  assert.ok(accents.length < MAX_DOCUMENT_BYTES);
  assert.deepEqual(validateText(accents, 'e.yaml', { now }).issues.map((i) => i.ruleId), ['document-size']);
});

test('past the node budget: one document-size finding, before the schema runs', () => {
  const text = 'k: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n'.repeat(16_000);
  assert.ok(text.length < MAX_DOCUMENT_BYTES);
  for (const reader of ['fast', 'yaml'] as const) {
    const result = validateText(text, 'many.yaml', { now, reader });
    assert.deepEqual(result.issues.map((i) => i.ruleId), ['document-size'], reader);
    assert.match(result.issues[0]!.message, /has 176,001 YAML nodes; validation checks at most 150,000/);
    assert.deepEqual(result.issues[0]!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  }
});

test('a 1,000-project landing zone is within both budgets and validates with zero findings', () => {
  const text = generateLandingZone(1000);
  assert.ok(text.length < MAX_DOCUMENT_BYTES, `${text.length}`);
  assert.ok(text.length > 0.95 * MAX_DOCUMENT_BYTES);
  const result = validateText(text, 'large.yaml', { now, reader: 'fast' });
  assert.ok(result.source.nodeCount < MAX_DOCUMENT_NODES);
  assert.deepEqual(result.issues, []);
  assert.ok(result.model);
});

test('a fix built on first read is plain data for the worker\'s structured clone and for JSON', () => {
  const text = HOSTILE.noNetwork!(3_000);
  const issue = validateText(text, 'n.yaml', { now }).issues.find((i) => i.ruleId === 'project-network')!;
  const plain = JSON.parse(JSON.stringify(issue)) as unknown;
  assert.deepEqual(structuredClone(issue), plain);
  assert.match(JSON.stringify(plain), /"edits":\[\{"range"/);
});

/** The same text as SourceDocument reads it, but read whole (what readYaml's shortcut must equal). */
function readWhole(text: string): SourceDocument {
  const whole = new SourceDocument(text, 'whole.yaml', 'yaml');
  Object.defineProperty(whole, 'doc', { value: parseDocument(text, YAML_OPTIONS) });
  Object.defineProperty(whole, 'readTo', { value: undefined });
  return whole;
}

test('reading stops early only where the errors before the stop equal those of reading the whole text', () => {
  const rand = prng(20261207);
  const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
  let stopped = 0;
  const texts: string[] = [HOSTILE.unclosedFlow!(40_000), HOSTILE.indicatorSoup!(40_000)];
  for (let k = 0; k < 300; k++) texts.push(brokenText(rand, 4_000 + Math.floor(rand() * 12_000)));
  // mutated landing zones, several in a row: errors among valid structure
  for (let k = 0; k < 60; k++) texts.push(Array.from({ length: 6 }, () => mutate(example, rand).text).join('\n'));
  for (const text of texts) {
    // a small prefix, so that thousands of constructs are cut at the stop in little time
    const bounded = readYaml(text, 20, 1_000);
    if (bounded.readTo === undefined) continue;
    stopped++;
    const whole = parseDocument(text, YAML_OPTIONS);
    const at = (errors: typeof whole.errors) => errors.filter((e) => e.pos[0] < bounded.readTo!).map((e) => `${e.code} ${e.pos.join('-')} ${e.message}`);
    assert.deepEqual(at(bounded.doc.errors), at(whole.errors), JSON.stringify(text.slice(0, bounded.readTo + 200)));
    assert.ok(bounded.doc.errors.length > 20);
    assert.ok(bounded.doc.errors.every((e) => e.pos[0] < bounded.readTo!));
  }
  assert.ok(stopped > 80, `${stopped} texts stopped early`);
});

test('a large text with more syntax errors than shown: the shown findings equal those of the whole text, and one finding says where reading stopped', () => {
  assert.equal(SYNTAX_ERRORS_SHOWN, MAX_FINDINGS_PER_RULE);
  const rand = prng(7);
  const texts = [HOSTILE.unclosedFlow!(300_000), HOSTILE.indicatorSoup!(300_000), brokenText(rand, 300_000, ONE_DOCUMENT)];
  for (const text of texts) {
    const result = validateText(text, 'broken.yaml', { now });
    const source = result.source;
    assert.ok(source.readTo !== undefined && source.readTo < 4 * SYNTAX_PREFIX, 'read only the beginning');
    const whole = readWhole(text).syntaxIssues(MAX_FINDINGS_PER_RULE).filter((i) => i.ruleId === 'yaml-syntax');
    const shown = result.issues.filter((i) => i.ruleId === 'yaml-syntax');
    assert.equal(shown.length, MAX_FINDINGS_PER_RULE);
    assert.deepEqual(shown, whole.slice(0, MAX_FINDINGS_PER_RULE));
    const stop = result.issues.filter((i) => i.ruleId === 'document-size');
    assert.equal(stop.length, 1);
    const at = source.position(source.readTo);
    assert.deepEqual(stop[0]!.range, { start: at, end: at });
    assert.match(stop[0]!.message, new RegExp(`^Reading stopped here, at line ${(at.line + 1).toLocaleString('en-GB')} of [\\d,]+: the text before it holds [\\d,]+ YAML syntax errors, so the rest of the file was not read \\(nor checked\\)\\.`));
    assert.deepEqual(issueRangeProblems(text, result.issues), []);
  }
  // few errors at the beginning: the whole text is read, as before
  const late = `${generateLandingZone(40)}${HOSTILE.unclosedFlow!(200_000)}`;
  assert.equal(validateText(late, 'late.yaml', { now }).source.readTo, undefined);
});
