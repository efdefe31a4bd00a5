// Every rule has its own page (docs/rules/<rule-id>.md: why, how to fix, the source), the page is
// what `npm run schema` writes, and every surface links to it: SARIF's rule `helpUri`, each JSON
// finding's `helpUri`, and the editor's diagnostic code target.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orphanRuleDocs, ruleDocs } from '../../../scripts/gen-schema';
import { toJsonReport } from '../../../src/core/format/json';
import { ruleHelpUri } from '../../../src/core/format/rule-docs';
import { toSarif } from '../../../src/core/format/sarif';
import { ruleDocsUrl } from '../../../src/core/language/quick-fixes';
import { ruleCatalog, validateText } from '../../../src/core/validate';

const root = join(__dirname, '..', '..', '..');

test('every rule id has a doc at docs/rules/<rule-id>.md with why, how to fix and a source, and no doc names a rule that does not exist', () => {
  const rules = ruleCatalog();
  assert.ok(rules.length >= 55, `${rules.length} rules`);
  for (const r of rules) {
    const path = join(root, 'docs', 'rules', `${r.id}.md`);
    assert.ok(existsSync(path), `docs/rules/${r.id}.md exists`);
    const text = readFileSync(path, 'utf8');
    for (const heading of ['## Why', '## How to fix', '## Source']) assert.ok(text.includes(heading), `${r.id}: ${heading}`);
    assert.ok(text.includes(r.why) && text.includes(r.fix), `${r.id}: its why and fix`);
  }
  assert.deepEqual(orphanRuleDocs(), []);
});

test('the rule docs are what npm run schema writes (run it after changing a rule)', () => {
  const stale = ruleDocs().filter(([, current, wanted]) => current !== wanted).map(([path]) => path);
  assert.deepEqual(stale, []);
});

test('quota rules name the Scaleway page they take their figure from', () => {
  for (const id of ['quota-api-keys', 'quota-applications', 'quota-policies', 'quota-private-networks']) {
    const text = readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');
    assert.match(text, /<https:\/\/www\.scaleway\.com\/en\/docs\/(iam|vpc)\/faq\/>/, id);
    assert.match(text, /GET \/iam\/v1alpha1\/quota/, `${id} notes the quota API`);
  }
});

test('SARIF rules and JSON findings carry the rule doc as helpUri; the editor links the same page', () => {
  const text = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8').replace('version: "1.35"', 'version: "1.20"');
  const { issues } = validateText(text);
  assert.ok(issues.length > 0);
  const options = { file: 'lz.yaml', helpUri: (id: string) => ruleHelpUri(id) };
  const sarif = toSarif(issues, { ...options, rules: ruleCatalog(), toolVersion: '0' }) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
  for (const r of sarif.runs[0]!.tool.driver.rules) assert.equal(r.helpUri, `https://example.invalid/scaleway-landing-zone/blob/main/docs/rules/${r.id}.md`);
  for (const i of toJsonReport(issues, options).issues) assert.equal(i.helpUri, ruleHelpUri(i.ruleId));
  assert.equal(ruleDocsUrl('kubernetes-version', 'https://git.example/acme/lz/blob/main/README.md'), 'https://git.example/acme/lz/blob/main/docs/rules/kubernetes-version.md');
});
