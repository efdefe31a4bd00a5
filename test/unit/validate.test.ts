// The layers of validateText: the reference example is clean, syntax errors are all reported with
// duplicate keys, schema findings carry exact ranges and "did you mean", credentials are caught
// even in a file that does not parse, and the output is sorted and stable.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue, Range } from '../../src/core/issues';
import { generateLandingZone } from '../../bench/generate';
import { desiredResources } from '../../src/core/desired';
import { SourceDocument } from '../../src/core/document';
import { ruleCatalog, RULES, validateText } from '../../src/core/validate';
import { ValidationInterrupted } from '../../src/core/validate-interrupted';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');
const fmt = (r: Range) => `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
const brief = (issues: Issue[]) => issues.map((i) => `${fmt(i.range)} ${i.ruleId} ${i.message}`);

test('the reference example validates with zero findings and a model', () => {
  const r = validateText(example, 'examples/landing-zone.yaml');
  assert.deepEqual(brief(r.issues), []);
  assert.ok(r.model);
  assert.deepEqual(r.model.hubs, ['security', 'devops']);
});

test('CRLF line ends: zero findings, and findings at the same line and column as with LF', () => {
  assert.deepEqual(brief(validateText(example.replace(/\n/g, '\r\n')).issues), []);
  const broken = example.replace('fallbackRegion: nl-ams', 'fallbackRegion: fr-par');
  const lf = brief(validateText(broken).issues);
  assert.equal(lf.length, 1);
  assert.deepEqual(brief(validateText(broken.replace(/\n/g, '\r\n')).issues), lf);
});

test('anchors and aliases: many aliases are fine, an alias bomb is one syntax finding', () => {
  let first = true;
  const aliased = example.replace(/allowFrom: \[security, devops\]/g, () => (first ? ((first = false), 'allowFrom: &hubs [security, devops]') : 'allowFrom: *hubs'));
  assert.deepEqual(brief(validateText(aliased).issues), []);
  const many = `x: &x [a]\n${Array.from({ length: 300 }, (_, i) => `k${i}: *x`).join('\n')}\n`;
  assert.ok(!validateText(many).issues.some((i) => i.ruleId === 'yaml-syntax'));
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 7; i++) levels.push(`${'abcdefg'[i]}: &${'abcdefg'[i]} [${Array(9).fill(`*${'abcdefg'[i - 1]}`).join(', ')}]`);
  const started = Date.now();
  const bomb = validateText(`${levels.join('\n')}\n`);
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(bomb.issues.map((i) => i.ruleId), ['yaml-syntax']);
  assert.match(bomb.issues[0]!.message, /Aliases expand this document/);
});

test('the example covers the roles and sections the issue asks for', () => {
  const r = validateText(example);
  const spec = r.model!.spec;
  for (const p of ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']) assert.ok(spec.projects[p], p);
  assert.ok(spec.iam?.applications && spec.disasterRecovery?.velero && spec.disasterRecovery.backupCopy && spec.disasterRecovery.zoneFailure && spec.disasterRecovery.regionFailure && spec.disasterRecovery.objectives && spec.drift?.ignore.length);
});

test('syntax: every error is reported, not only the first', () => {
  const text = 'version: 1\norganization: { id: x, name: acme\ndefaults:\n  region: [fr-par\nprojects: {}\n';
  const r = validateText(text);
  const syntax = r.issues.filter((i) => i.ruleId === 'yaml-syntax');
  assert.ok(syntax.length >= 2, brief(r.issues).join('\n'));
  assert.equal(r.model, undefined);
  for (const i of syntax) assert.match(i.message, /^YAML syntax error/);
});

test('syntax: duplicate keys, on the second key, with the key named', () => {
  const text = 'version: 1\nversion: 1\nprojects:\n  prod: {}\n  prod: {}\n';
  const r = validateText(text);
  assert.deepEqual(brief(r.issues.filter((i) => i.ruleId === 'yaml-duplicate-key')).map((s) => s.split(' ')[0]), ['2:1-2:8', '5:3-5:7']);
  assert.match(r.issues.find((i) => i.ruleId === 'yaml-duplicate-key')!.message, /"version" appears more than once/);
});

test('schema: unknown key with did-you-mean and a rename fix, at the key', () => {
  const text = example.replace('    role: monitoring\n', '    rol: monitoring\n');
  const line = text.split('\n').findIndex((l) => l === '    rol: monitoring');
  const r = validateText(text);
  const unknown = r.issues.find((i) => i.ruleId === 'schema-unknown-key')!;
  assert.equal(fmt(unknown.range), `${line + 1}:5-${line + 1}:8`);
  assert.match(unknown.message, /Unknown key "rol" in projects\.monitoring\. Did you mean "role"\?/);
  assert.equal(unknown.fix?.edits?.[0]?.newText, 'role');
  // the required field is then missing: reported on the object that lacks it
  assert.ok(r.issues.some((i) => i.ruleId === 'schema' && /Missing required field "role" in projects\.monitoring/.test(i.message)));
});

test('schema: wrong type and enum, on the value', () => {
  const text = example.replace('        size: 3,', '').replace('default: { nodeType: PRO2-S, size: 3,', 'default: { nodeType: PRO2-S, size: three,').replace('cni: cilium\n        pools:\n          default: { nodeType: DEV1-L', 'cni: flannel\n        pools:\n          default: { nodeType: DEV1-L');
  const r = validateText(text);
  const lines = text.split('\n');
  const sizeLine = lines.findIndex((l) => l.includes('size: three'));
  const size = r.issues.find((i) => i.path.join('.') === 'projects.prod.clusters.apps.pools.default.size')!;
  assert.equal(size.range.start.line, sizeLine);
  assert.equal(size.range.start.character, lines[sizeLine]!.indexOf('three'));
  assert.match(size.message, /expected a number/);
  const cni = r.issues.find((i) => i.path.join('.') === 'projects.dev.clusters.apps.cni')!;
  assert.match(cni.message, /expected one of "cilium", "calico", "kilo", "none"/);
});

test('schema: missing top-level field points at the document', () => {
  const r = validateText('version: 1\nprojects: {}\n');
  const messages = r.issues.map((i) => i.message);
  assert.ok(messages.some((m) => /Missing required field "organization"/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /Missing required field "defaults"/.test(m)));
});

test('credentials are reported even when the file does not parse, without echoing the value', () => {
  const secret = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
  const r = validateText(`version: 1\norganization: { id: ${secret}\nnote: "${secret}"\n  bad: [\n`);
  const creds = r.issues.filter((i) => i.ruleId === 'no-credentials');
  assert.equal(creds.length, 1, brief(r.issues).join('\n')); // the id field is an id, the note is not
  assert.equal(fmt(creds[0]!.range), '3:8-3:44');
  for (const i of r.issues) assert.ok(!i.message.includes(secret));
  assert.ok(r.issues.some((i) => i.ruleId === 'yaml-syntax'));
});

test('empty and comment-only documents give schema findings, not exceptions', () => {
  for (const text of ['', '# nothing\n', '---\n', 'null\n', '[]\n', '42\n']) {
    const r = validateText(text);
    assert.ok(r.issues.length > 0, JSON.stringify(text));
  }
});

test('issues are sorted by position and stable across runs', () => {
  const text = example.replace('fallbackRegion: nl-ams', 'fallbackRegion: fr-par').replace('version: 3', 'version: latest');
  const a = validateText(text).issues;
  const b = validateText(text).issues;
  assert.deepEqual(a, b);
  const keys = a.map((i) => i.range.start.line * 1e4 + i.range.start.character);
  assert.deepEqual(keys, [...keys].sort((x, y) => x - y));
});

test('rule catalog: unique ids, each with a why and a fix; every rule is in it', () => {
  const catalog = ruleCatalog();
  const ids = catalog.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of catalog) {
    assert.match(r.id, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(r.why.length > 20 && r.fix.length > 10, r.id);
  }
  for (const r of RULES) assert.ok(ids.includes(r.id));
});

test('interrupted between two steps, validateText stops with ValidationInterrupted; never otherwise', () => {
  let asked = 0;
  assert.throws(() => validateText(example, 'x', { interrupted: () => ++asked >= 3 }), ValidationInterrupted);
  assert.equal(asked, 3, 'it stopped at the first step that was told to');
  let steps = 0;
  const r = validateText(example, 'x', { interrupted: () => { steps++; return false; } });
  assert.deepEqual(r.issues, validateText(example, 'x').issues);
  assert.ok(steps > RULES.filter((rule) => rule.input === 'model').length, 'asked before every rule of the model');
  // a large file is stopped while it is read, every thousand entries or so
  const big = generateLandingZone(300);
  let reads = 0;
  assert.throws(() => new SourceDocument(big, 'x', 'fast', () => ++reads > 1), ValidationInterrupted);
  assert.equal(reads, 2);
  assert.deepEqual(new SourceDocument(big, 'x', 'fast', () => false).value, new SourceDocument(big, 'x', 'fast').value);
});

test('drift ignores of declared parts are accepted without building the desired state, exactly as with it', () => {
  // every id the desired state holds, ignored: none is unknown (the direct check and the desired state agree)
  const base = validateText(example, 'x');
  const ids = desiredResources(base.model!).map((r) => r.id);
  const withIgnores = `${example.replace(/\ndrift:[\s\S]*?(?=\n\S|$)/, '')}\ndrift:\n  ignore:\n${ids.map((id) => `    - { resource: ${id}, reason: test }`).join('\n')}\n`;
  const r = validateText(withIgnores, 'x');
  assert.ok(r.model, 'the file with the ignores is valid');
  assert.equal(r.model.spec.drift?.ignore?.length, ids.length);
  assert.deepEqual(r.issues.filter((i) => i.ruleId === 'drift-ignore-unknown').map((i) => i.message), []);
  // a near miss of each directly declared kind is still a typo
  for (const id of ['prod/pool/apps-defaul', 'prod/cluster/app', 'security/key/secrets-ke', 'prod/private-network/prod-p']) {
    const typo = validateText(`${withIgnores}    - { resource: ${id}, reason: test }\n`, 'x');
    assert.ok(typo.issues.some((i) => i.ruleId === 'drift-ignore-unknown' && i.message.includes(id)), id);
  }
});
