// Organisation quotas: at the limit nothing is reported; one over, exactly one finding, at the
// first item over the quota, naming the count and the limit. Documents are generated from the
// example, so every other rule stays quiet.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../../../src/core/validate';

const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');

/** The example with `n` more applications (each with its own key, secret and policy). */
function withApplications(n: number, apiKeys = true): string {
  const secrets = Array.from({ length: n }, (_, i) => `      extra-key-${i}: { path: /iam, version: 1, encryptionKey: security/secrets-key }\n`).join('');
  const apps = Array.from({ length: n }, (_, i) =>
    `    extra-${i}:\n      purpose: job ${i}\n      policy:\n        - { permissionSets: [VPCReadOnly], projects: [devops] }\n${apiKeys ? `      apiKey: { storedIn: security/extra-key-${i}, expiresInDays: 90 }\n` : ''}`).join('');
  return example
    .replace('    secrets:\n      elasticsearch-credentials:', `    secrets:\n${secrets}      elasticsearch-credentials:`)
    .replace('iam:\n  applications:\n', `iam:\n  applications:\n${apps}`);
}

/** The example with `n` more environment projects, each with its own network. */
function withProjects(n: number): string {
  const projects = Array.from({ length: n }, (_, i) =>
    `  env-${i}:\n    role: environment\n    network:\n      privateNetwork: { subnet: 172.16.${i}.0/24 }\n      publicGateway: { type: VPC-GW-S, reservedIp: true }\n`).join('');
  return example.replace('\niam:\n', `\n${projects}iam:\n`);
}

const findings = (text: string, rule: string) => validateText(text, 'q.yaml', { now: NOW }).issues.filter((i) => i.ruleId === rule);

test('quota-policies: 50 policies pass, 51 is one finding at the 51st application', () => {
  // the example has 3 applications
  assert.deepEqual(findings(withApplications(47), 'quota-policies'), []);
  const over = withApplications(48);
  const found = findings(over, 'quota-policies');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /declares 51 IAM policies; Scaleway allows 50 per organisation/);
  // the 51st application in document order: the 48 generated ones come first, then the example's 3
  assert.deepEqual(found[0]!.path, ['iam', 'applications', 'backup-copy', 'policy']);
  assert.equal(over.split('\n')[found[0]!.range.start.line]!.trim(), 'policy:');
});

test('quota-applications and quota-api-keys: 100 pass, 101 fail; applications without a key do not count as keys', () => {
  assert.deepEqual(findings(withApplications(97), 'quota-applications'), []);
  assert.deepEqual(findings(withApplications(97), 'quota-api-keys'), []);
  const apps = findings(withApplications(98), 'quota-applications');
  assert.equal(apps.length, 1);
  assert.match(apps[0]!.message, /declares 101 IAM applications; Scaleway allows 100/);
  const keys = findings(withApplications(98), 'quota-api-keys');
  assert.equal(keys.length, 1);
  assert.deepEqual(keys[0]!.path, ['iam', 'applications', 'backup-copy', 'apiKey']);
  assert.deepEqual(findings(withApplications(98, false), 'quota-api-keys'), [], '101 applications, only 3 API keys');
});

test('quota-private-networks: 255 pass, 256 fail', () => {
  // the example has 6 projects with a network
  assert.deepEqual(findings(withProjects(249), 'quota-private-networks'), []);
  const found = findings(withProjects(250), 'quota-private-networks');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /declares 256 Private Networks; Scaleway allows 255/);
});

test('a quota rule turned off in the file reports nothing', () => {
  const text = `${withApplications(48)}rules:\n  quota-policies: off\n`;
  assert.equal(findings(withApplications(48), 'quota-policies').length, 1);
  assert.deepEqual(validateText(text, 'q.yaml', { now: NOW }).issues, [], 'no finding at all: the section itself is valid');
});
