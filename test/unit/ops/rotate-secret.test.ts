import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Arranged, CANARY, editJournal, lastRunOf, readTree, runCli, scenario, transcript } from './helpers';

const file = (orgId: string) => `# ACME landing zone (rotation test)
version: 1
organization: { id: ${orgId}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  security:
    role: security
    secrets:
      # read by ArgoCD; keep the comment
      argocd-admin:
        path: /shared
        version: 1   # pinned, never latest
        rotation: { every: 90d, gracePeriod: 3d, length: 40, alphabet: hex }
        replication: { regions: [nl-ams] }
      stdin-secret: { path: /shared, version: 1 }
  devops:
    role: devops
`;

describe('rotate-secret on the sandbox', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let secretId: string;
  let stdinSecretId: string;
  let replicaId: string;

  before(async () => {
    ({ a, dir, path, env } = await scenario(file));
    const project = await a.account.createProject({ name: 'security', organizationId: a.sandbox.organizationId, description: '' });
    const s = await a.secret.createSecret({ projectId: project.id, name: 'argocd-admin', path: '/shared', protected: false });
    await a.secret.createSecretVersion({ secretId: s.id, data: Buffer.from('initial-value').toString('base64') });
    secretId = s.id;
    const replica = await a.secret.createSecret({ region: 'nl-ams', projectId: project.id, name: 'argocd-admin', path: '/shared', protected: false });
    await a.secret.createSecretVersion({ region: 'nl-ams', secretId: replica.id, data: Buffer.from('initial-value').toString('base64') });
    replicaId = replica.id;
    const s2 = await a.secret.createSecret({ projectId: project.id, name: 'stdin-secret', path: '/shared', protected: false });
    await a.secret.createSecretVersion({ secretId: s2.id, data: Buffer.from('initial').toString('base64') });
    stdinSecretId = s2.id;
  });
  after(() => a.sandbox.close());

  const versions = async (id = secretId) => (await a.secret.listSecretVersions({ secretId: id }).all()).map((v) => `${v.revision}:${v.status}`).sort();

  it('creates a version, re-pins the file keeping comments, waits for the grace period, then disables the old one', async () => {
    const r = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path], env, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /version 2 created and pinned/);
    assert.match(r.stdout, /grace period ends/);
    assert.deepEqual(await versions(), ['1:enabled', '2:enabled']);
    const text = await readFile(path, 'utf8');
    assert.equal(text, file(a.sandbox.organizationId).replace('version: 1   # pinned', 'version: 2   # pinned'));
    const value = await a.secret.accessSecretVersion({ secretId, revision: '2' });
    assert.match(Buffer.from(value.data, 'base64').toString(), /^[0-9a-f]{40}$/);
    // the replica in nl-ams holds the same value
    const copy = await a.secret.accessSecretVersion({ region: 'nl-ams', secretId: replicaId, revision: '2' });
    assert.equal(copy.data, value.data);

    // a re-run inside the grace period creates nothing and says when it ends
    const again = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path], env, dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /grace period ends/);
    assert.deepEqual(await versions(), ['1:enabled', '2:enabled']);

    // time passes: the grace period is over
    await editJournal(dir, (records) => {
      const run = lastRunOf(records, 'rotate-secret', 'security/argocd-admin');
      for (const r of records) if (r.run === run && r.event === 'outputs' && 'graceUntil' in (r.outputs as object)) (r.outputs as Record<string, unknown>).graceUntil = new Date(Date.now() - 1000).toISOString();
      return records;
    });
    const fin = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--finish'], env, dir);
    assert.equal(fin.code, 0, fin.stderr);
    assert.match(fin.stdout, /version 1 disabled/);
    assert.deepEqual(await versions(), ['1:disabled', '2:enabled']);
    const replicaVersions = (await a.secret.listSecretVersions({ region: 'nl-ams', secretId: replicaId }).all()).map((v) => `${v.revision}:${v.status}`).sort();
    assert.deepEqual(replicaVersions, ['1:disabled', '2:enabled']);
    const nothing = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--finish'], env, dir);
    assert.match(nothing.stdout, /no rotation in progress/);
  });

  it('destroys only a disabled, unpinned version, after a typed confirmation', async () => {
    const noConfirm = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--destroy-version', '1'], env, dir);
    assert.equal(noConfirm.code, 2);
    assert.match(noConfirm.stderr, /--confirm security\/argocd-admin@1/);
    const pinned = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--destroy-version', '2', '--confirm', 'security/argocd-admin@2'], env, dir);
    assert.equal(pinned.code, 1);
    assert.match(pinned.stderr, /pins/);
    const ok = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--destroy-version', '1', '--confirm', 'security/argocd-admin@1'], env, dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(!(await versions()).includes('1:enabled'));
  });

  it('resumes after a fault on the create without a second version, and after a crash before the journal was saved', async () => {
    a.sandbox.setFaults({ perEndpoint: { 'POST /secret-manager/v1beta1/regions/{region}/secrets/{secretId}/versions': { rateReset: 1 } } });
    const failed = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path], env, dir);
    a.sandbox.setFaults({});
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /connection lost|ECONNRESET|socket/i);
    const before = (await versions()).length;
    const resumed = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path], env, dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resuming rotation/);
    assert.equal((await versions()).length, before + 1);

    // a crash between the create and the journal write: the journal still says "create-version pending"
    await editJournal(dir, (records) => {
      const run = lastRunOf(records, 'rotate-secret', 'security/argocd-admin');
      // the steps' and the run's ends never reached the disk; its outputs (the revision before) did
      return records.filter((r) => r.run !== run || (r.event !== 'op-done' && r.event !== 'op-failed' && r.event !== 'run-end'));
    });
    const count = (await versions()).length;
    const again = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path], env, dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /already exists; not creating another/);
    assert.equal((await versions()).length, count);

    // the previous version is still enabled (grace period): it cannot be destroyed
    const enabled = await runCli(['rotate-secret', 'security/argocd-admin', '--file', path, '--destroy-version', '2', '--confirm', 'security/argocd-admin@2'], env, dir);
    assert.equal(enabled.code, 1);
    assert.match(enabled.stderr, /is enabled; disable it first/);
  });

  it('takes a value from stdin, never from argv, and the value appears nowhere', async () => {
    const argv = await runCli(['rotate-secret', 'security/stdin-secret', '--file', path, '--value', CANARY], env, dir);
    assert.equal(argv.code, 2);
    assert.match(argv.stderr, /never taken from the command line/);
    assert.ok(!argv.stderr.includes(CANARY));
    const r = await runCli(['rotate-secret', 'security/stdin-secret', '--file', path, '--value-from', 'stdin'], env, dir, `${CANARY}\n`);
    assert.equal(r.code, 0, r.stderr);
    const v = await a.secret.accessSecretVersion({ secretId: stdinSecretId, revision: '2' });
    assert.equal(Buffer.from(v.data, 'base64').toString(), CANARY);
    for (const t of transcript) assert.ok(!t.includes(CANARY), 'canary in CLI output');
    for (const f of await readTree(join(dir, '.landing-zone'))) assert.ok(!f.text.includes(CANARY), `canary in ${f.path}`);
    assert.ok(!(await readFile(path, 'utf8')).includes(CANARY));
    assert.ok(!JSON.stringify(a.sandbox.requestLog).includes(CANARY));
  });
});
