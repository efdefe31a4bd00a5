// Reviewer decisions in the file: `# landing-zone-ignore <rule>: <reason>` suppresses one finding
// (on its line, or alone on the line before), is reported as suppressed in SARIF with the reason,
// and is itself a finding without a reason, with an unknown rule, or when it suppresses nothing.
// `rules:` turns a rule off or changes its severity for the file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonReport } from '../../../src/core/format/json';
import { toSarif } from '../../../src/core/format/sarif';
import { ruleCatalog, validateText } from '../../../src/core/validate';
import { applyEdits } from './fixture';

const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');
const run = (text: string) => validateText(text, 'lz.yaml', { now: NOW });
const lines = (text: string) => run(text).issues.map((i) => `${i.range.start.line + 1} ${i.severity} ${i.ruleId}`);
// monitoring becomes a shared project: one monitoring-project finding on the `projects:` key (line 11)
const noMonitoring = example.replace('  monitoring:\n    role: monitoring\n', '  monitoring:\n    role: shared\n');

test('without a suppression the finding is there', () => {
  assert.deepEqual(lines(noMonitoring), ['11 warning monitoring-project']);
});

test('a comment alone on the line before suppresses the finding, with its reason', () => {
  const text = noMonitoring.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-project: logs go to the group SIEM (ticket OPS-12)\nprojects:\n');
  const r = run(text);
  assert.deepEqual(r.issues, []);
  assert.equal(r.suppressed.length, 1);
  assert.equal(r.suppressed[0]!.issue.ruleId, 'monitoring-project');
  assert.equal(r.suppressed[0]!.justification, 'logs go to the group SIEM (ticket OPS-12)');
  const sarif = toSarif(r.issues, { file: 'lz.yaml', rules: ruleCatalog(), toolVersion: '0', suppressed: r.suppressed }) as { runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[] };
  assert.deepEqual(sarif.runs[0]!.results.map((x) => [x.ruleId, x.suppressions]), [['monitoring-project', [{ kind: 'inSource', justification: 'logs go to the group SIEM (ticket OPS-12)' }]]]);
  const json = toJsonReport(r.issues, { file: 'lz.yaml', suppressed: r.suppressed });
  assert.equal(json.suppressed?.[0]?.justification, 'logs go to the group SIEM (ticket OPS-12)');
  assert.equal(json.counts.warnings, 0);
});

test('a comment at the end of the finding\'s line suppresses it; blank and comment lines between a comment and its line are skipped', () => {
  assert.deepEqual(lines(noMonitoring.replace('\nprojects:\n', '\nprojects: # landing-zone-ignore monitoring-project: logs go to the SIEM\n')), []);
  assert.deepEqual(lines(noMonitoring.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-project: logs go to the SIEM\n\n# the projects\nprojects:\n')), []);
});

test('a suppression without a reason suppresses nothing and is a finding, with a fix that asks for the reason', () => {
  const text = noMonitoring.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-project\nprojects:\n');
  const r = run(text);
  assert.deepEqual(r.issues.map((i) => `${i.range.start.line + 1} ${i.ruleId}`), ['11 suppression', '12 monitoring-project']);
  const sup = r.issues[0]!;
  assert.match(sup.message, /gives no reason/);
  assert.equal(applyEdits(text, sup.fix!.edits!).split('\n')[10], '# landing-zone-ignore monitoring-project: <reason>');
});

test('an unknown rule id is a finding with the nearest id as its fix; a suppression of syntax or credentials is refused', () => {
  const text = noMonitoring.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-projet: logs go to the SIEM\nprojects:\n');
  const r = run(text);
  const sup = r.issues.find((i) => i.ruleId === 'suppression')!;
  assert.match(sup.message, /no rule is called "monitoring-projet"; did you mean monitoring-project\?/);
  assert.equal(applyEdits(text, sup.fix!.edits!), noMonitoring.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-project: logs go to the SIEM\nprojects:\n'));
  const cred = run(example.replace('\nprojects:\n', '\n# landing-zone-ignore no-credentials: a test key\nprojects:\n')).issues;
  assert.match(cred.find((i) => i.ruleId === 'suppression')!.message, /no-credentials findings cannot be suppressed/);
});

test('a suppression that suppresses nothing is reported (info), so it cannot hide a future finding', () => {
  const r = run(example.replace('\nprojects:\n', '\n# landing-zone-ignore monitoring-project: no monitoring yet\nprojects:\n'));
  assert.deepEqual(r.issues.map((i) => `${i.range.start.line + 1} ${i.severity} ${i.ruleId}`), ['11 info suppression']);
  assert.match(r.issues[0]!.message, /suppresses nothing/);
});

test('the words inside a string or a block scalar are not a suppression', () => {
  const quoted = noMonitoring.replace('    description: Logs and metrics\n', '    description: "x # landing-zone-ignore monitoring-project: no"\n');
  assert.deepEqual(lines(quoted), ['11 warning monitoring-project']);
  const block = noMonitoring.replace('\nprojects:\n', '\nprojects:\n').replace('    description: Logs and metrics\n', '    description: |\n      # landing-zone-ignore monitoring-project: not a comment\n');
  assert.deepEqual(lines(block), ['11 warning monitoring-project']);
});

test('rules: off removes a rule\'s findings, warning/error/info change their severity; unknown or fixed ids are findings', () => {
  assert.deepEqual(lines(`${noMonitoring}rules:\n  monitoring-project: off\n`), []);
  assert.deepEqual(lines(`${noMonitoring}rules:\n  monitoring-project: error\n`), ['11 error monitoring-project']);
  assert.deepEqual(lines(`${noMonitoring}rules:\n  monitoring-project: info\n`), ['11 info monitoring-project']);
  const typo = `${noMonitoring}rules:\n  monitoring-projects: off\n`;
  const r = run(typo);
  const cfg = r.issues.find((i) => i.ruleId === 'rule-config')!;
  assert.match(cfg.message, /did you mean monitoring-project\?/);
  assert.equal(applyEdits(typo, cfg.fix!.edits!), `${noMonitoring}rules:\n  monitoring-project: off\n`);
  assert.match(run(`${example}rules:\n  no-credentials: off\n`).issues[0]!.message, /no-credentials cannot be changed/);
  assert.equal(run(`${example}rules:\n  monitoring-project: never\n`).issues[0]!.ruleId, 'schema', 'a level that is not off, info, warning or error');
});

test('a rules: section and a suppression do not change what a file without them reports', () => {
  assert.deepEqual(run(example).issues, []);
  assert.deepEqual(run(example).suppressed, []);
});
