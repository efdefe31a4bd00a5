import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Arranged, editJournal, journalRecords, lastRunOf, readTree, runCli, scenario, transcript } from './helpers';

const file = (orgId: string) => `version: 1
organization: { id: ${orgId}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  security:
    role: security
    keys:
      secrets-key: { usage: symmetric_encryption, rotationPeriod: 90d }
      app-data: { usage: symmetric_encryption, rotationPeriod: 30d }
    secrets:
      ci-scw-key:
        path: /iam
        version: 1
        rotation: { gracePeriod: 1d }
  devops:
    role: devops
iam:
  applications:
    gitlab-provisioner:
      purpose: provision the devops project from CI
      policy:
        - { permissionSets: [VPCFullAccess], projects: [devops] }
      apiKey: { storedIn: security/ci-scw-key, expiresInDays: 90, defaultProject: devops }
    do-everything:
      purpose: deploy apps and also rotate backups
      policy:
        - { permissionSets: [AllProductsFullAccess], projects: [devops, security] }
`;

describe('rotate-key and rotate-api-key on the sandbox', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let appId: string;
  let vaultId: string;
  let oldKey: string;

  before(async () => {
    ({ a, dir, path, env } = await scenario(file));
    const org = a.sandbox.organizationId;
    const security = await a.account.createProject({ name: 'security', organizationId: org, description: '' });
    const devops = await a.account.createProject({ name: 'devops', organizationId: org, description: '' });
    await a.keys.createKey({ projectId: security.id, name: 'secrets-key', unprotected: true, usage: { symmetricEncryption: 'aes_256_gcm' }, rotationPolicy: { rotationPeriod: `${90 * 86400}s` } });
    // no rotation policy: the report must say so
    await a.keys.createKey({ projectId: security.id, name: 'app-data', unprotected: true, usage: { symmetricEncryption: 'aes_256_gcm' } });
    const vault = await a.secret.createSecret({ projectId: security.id, name: 'ci-scw-key', path: '/iam', protected: false });
    vaultId = vault.id;
    const app = await a.iam.createApplication({ name: 'gitlab-provisioner', organizationId: org, description: '' });
    appId = app.id;
    const k = await a.iam.createAPIKey({ applicationId: app.id, description: 'first key', defaultProjectId: devops.id, expiresAt: new Date(Date.now() + 5 * 86_400_000) });
    oldKey = k.accessKey;
    await a.secret.createSecretVersion({ secretId: vault.id, data: Buffer.from(k.secretKey!).toString('base64') });
    await a.iam.createApplication({ name: 'do-everything', organizationId: org, description: '' });
  });
  after(() => a.sandbox.close());

  it('rotates a key and reports the policy, the next rotation and the keys that need attention', async () => {
    const r = await runCli(['rotate-key', 'security/secrets-key', '--file', path], env, dir);
    assert.equal(r.code, 1, r.stderr); // app-data has no policy
    assert.match(r.stdout, /security\/secrets-key: rotated now \(rotation \d+\)/);
    assert.match(r.stdout, /security\/secrets-key: period 90d \(file 90d\), next rotation \d{4}-/);
    assert.match(r.stdout, /security\/app-data: period none \(file 30d\)/);
    assert.match(r.stdout, /no rotation policy in Key Manager/);
    const json = await runCli(['rotate-key', 'security/secrets-key', '--file', path, '--check', '--format', 'json'], env, dir);
    const report = JSON.parse(json.stdout) as { rotated?: unknown; report: { ref: string; problems: string[] }[] };
    assert.equal(report.rotated, undefined);
    assert.equal(report.report.find((x) => x.ref === 'security/secrets-key')?.problems.length, 0);

    // the rotate call fails mid-way; the re-run rotates once
    const count = async () => (await a.keys.listKeys({ name: 'secrets-key', scheduledForDeletion: false }).all())[0]!.rotationCount;
    const c0 = await count();
    a.sandbox.setFaults({ perEndpoint: { 'POST /key-manager/v1alpha1/regions/{region}/keys/{keyId}/rotate': { rateReset: 1 } } });
    const failed = await runCli(['rotate-key', 'security/secrets-key', '--file', path], env, dir);
    a.sandbox.setFaults({});
    assert.equal(failed.code, 1);
    assert.equal(await count(), c0);
    const resumed = await runCli(['rotate-key', 'security/secrets-key', '--file', path], env, dir);
    assert.match(resumed.stdout, /rotated now/);
    assert.equal(await count(), c0 + 1);
    // a lost response: the key did rotate, but the journal is still open — a step journal of the
    // format before version 2 (one JSON file per operation), as an older landing-zone left it
    await mkdir(join(dir, '.landing-zone', 'journal'), { recursive: true });
    await writeFile(join(dir, '.landing-zone', 'journal', 'rotate-key-security-secrets-key.json'), JSON.stringify({
      version: 1, id: 'kr-lost', kind: 'rotate-key', target: 'security/secrets-key', startedAt: new Date().toISOString(), updatedAt: new Date().toISOString(), status: 'running',
      steps: [{ id: 'rotate', title: 'Rotate', status: 'pending' }],
      outputs: { keyId: (await a.keys.listKeys({ name: 'secrets-key', scheduledForDeletion: false }).all())[0]!.id, rotationCountBefore: c0 },
    }));
    const lost = await runCli(['rotate-key', 'security/secrets-key', '--file', path], env, dir);
    assert.match(lost.stderr, /the rotation of the key security\/secrets-key \(run kr-lost, started [^)]+\) was interrupted after 0 of 1 steps; landing-zone rotate-key security\/secrets-key \(or the editor's Rotate Key\) resumes it/);
    assert.match(lost.stderr, /went through .*not rotating again/);
    assert.equal(await count(), c0 + 1);
    // the old journal was read, finished in the log, and its folder set aside: nothing is open any more
    const migrated = (await journalRecords(dir)).filter((r) => r.run === 'kr-lost');
    assert.deepEqual(migrated.map((r) => `${String(r.event)} ${String(r.status ?? '')}`), ['run-start ', 'outputs ', 'op-done done', 'run-end completed']);
    assert.ok(existsSync(join(dir, '.landing-zone', 'journal.v1', 'rotate-key-security-secrets-key.json')));
    assert.ok(!existsSync(join(dir, '.landing-zone', 'journal')));
    const quiet = await runCli(['rotate-key', 'security/secrets-key', '--file', path, '--check'], env, dir);
    assert.doesNotMatch(quiet.stderr, /interrupted/);

    const unknown = await runCli(['rotate-key', 'security/nope', '--file', path], env, dir);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not declared under projects.security.keys/);
  });

  it('rotates an API key into the vault, survives a fault, deletes the old key after the grace period, and reports', async () => {
    const check = await runCli(['rotate-api-key', 'gitlab-provisioner', '--file', path, '--check'], env, dir);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /application-many-purposes .*do-everything/);

    // the vault write fails right after the key was created: the orphan key must not survive the resume
    a.sandbox.setFaults({ perEndpoint: { 'POST /secret-manager/v1beta1/regions/{region}/secrets/{secretId}/versions': { rateReset: 1 } } });
    const failed = await runCli(['rotate-api-key', 'gitlab-provisioner', '--file', path], env, dir);
    a.sandbox.setFaults({});
    assert.equal(failed.code, 1);
    assert.equal(((await a.iam.listAPIKeys({ applicationId: appId }).all()).filter((k) => k.applicationId === appId)).length, 2, JSON.stringify((await a.iam.listAPIKeys({ applicationId: appId }).all()).filter((k) => k.applicationId === appId)) + failed.stderr);

    const r = await runCli(['rotate-api-key', 'gitlab-provisioner', '--file', path], env, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deleted SCW\w+, created by an interrupted run/);
    assert.match(r.stdout, /stored as version 2 of security\/ci-scw-key/);
    const keys = (await a.iam.listAPIKeys({ applicationId: appId }).all()).filter((k) => k.applicationId === appId);
    assert.equal(keys.length, 2);
    const fresh = keys.find((k) => k.accessKey !== oldKey)!;
    assert.ok(fresh.expiresAt && fresh.expiresAt.getTime() > Date.now() + 89 * 86_400_000);
    const stored = await a.secret.accessSecretVersion({ secretId: vaultId, revision: '2' });
    const secretKey = Buffer.from(stored.data, 'base64').toString();
    assert.match(secretKey, /^[0-9a-f-]{36}$/);
    assert.match(await readFile(path, 'utf8'), /ci-scw-key:\n {8}path: \/iam\n {8}version: 2\n/);

    await editJournal(dir, (records) => {
      const run = lastRunOf(records, 'rotate-api-key', 'gitlab-provisioner');
      for (const r of records) if (r.run === run && r.event === 'outputs' && 'graceUntil' in (r.outputs as object)) (r.outputs as Record<string, unknown>).graceUntil = new Date(Date.now() - 1000).toISOString();
      return records;
    });
    const fin = await runCli(['rotate-api-key', 'gitlab-provisioner', '--file', path, '--finish'], env, dir);
    assert.equal(fin.code, 0, fin.stderr);
    assert.match(fin.stdout, new RegExp(`old key\\(s\\) ${oldKey} deleted, vault version 1 disabled`));
    assert.deepEqual(((await a.iam.listAPIKeys({ applicationId: appId }).all()).filter((k) => k.applicationId === appId)).map((k) => k.accessKey), [fresh.accessKey]);

    // the secret key never reaches an output or a journal
    for (const t of transcript) assert.ok(!t.includes(secretKey));
    for (const f of await readTree(join(dir, '.landing-zone'))) assert.ok(!f.text.includes(secretKey), f.path);
  });
});
