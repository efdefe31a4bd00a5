import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CANARY, envFor, readTree, runCli, sandboxWithClients, tempDir, transcript, type Arranged } from './helpers';
import { arrangeDr, drFile, type DrWorld } from './dr-scenario';

/*
 * A canary value goes into every secret of the account and through stdin into a rotation; then
 * every command runs (successes, a failure, a debug run). The canary must not appear in any
 * output, in the sandbox's request log file, in a journal or in landing-zone.yaml.
 */
describe('a canary secret value never leaks', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let w: DrWorld;
  let logFile: string;

  before(async () => {
    dir = await tempDir();
    logFile = join(dir, 'sandbox.log');
    a = await sandboxWithClients({ onRequest: (e) => appendFileSync(logFile, `${JSON.stringify(e)}\n`) });
    path = join(dir, 'landing-zone.yaml');
    const text = drFile(a.sandbox.organizationId).replace('iam:', '') + `iam:
  applications:
    velero-backup:
      purpose: write Velero backups of prod
      policy:
        - { permissionSets: [ObjectStorageFullAccess], projects: [prod] }
      apiKey: { storedIn: prod/velero-key, expiresInDays: 30 }
`;
    await writeFile(path, text.replace('    buckets:\n', '      velero-key: { path: /iam, version: 1 }\n      db-password: { path: /db, version: 1, rotation: { gracePeriod: 1d } }\n    buckets:\n'));
    env = { ...envFor(a.sandbox, dir), LZ_DEBUG: '1' };
    w = await arrangeDr(a, env);
    for (const name of ['velero-key', 'db-password']) {
      const s = await a.secret.createSecret({ region: 'fr-par', projectId: w.prodId, name, path: name === 'velero-key' ? '/iam' : '/db', protected: false });
      await a.secret.createSecretVersion({ region: 'fr-par', secretId: s.id, data: Buffer.from(CANARY).toString('base64') });
    }
    await a.secret.createSecretVersion({ region: 'fr-par', secretId: w.secretId, data: Buffer.from(JSON.stringify({ host: CANARY, port: '1' })).toString('base64') });
    const app = await a.iam.createApplication({ name: 'velero-backup', organizationId: a.sandbox.organizationId, description: '' });
    await a.iam.createAPIKey({ applicationId: app.id, description: 'old', expiresAt: new Date(Date.now() + 86_400_000) });
  });
  after(() => a.sandbox.close());

  it('through every command', async () => {
    const runs: [string[], string?][] = [
      [['rotate-secret', 'prod/db-password', '--file', path, '--value-from', 'stdin'], `${CANARY}\n`],
      [['rotate-secret', 'prod/db-password', '--file', path, '--finish']],
      [['rotate-secret', 'prod/db-password', '--file', path, '--destroy-version', '1', '--confirm', 'prod/db-password@1']],
      [['rotate-api-key', 'velero-backup', '--file', path]],
      [['rotate-api-key', 'velero-backup', '--file', path, '--check']],
      [['dr', 'check', '--file', path]],
      [['dr', 'check', '--file', path, '--format', 'json']],
      [['dr', 'pipeline', '--ci', 'gitlab', '--file', path]],
      [['restore', 'zone', '--project', 'prod', '--file', path, '--dry-run']],
      [['restore', 'zone', '--project', 'prod', '--file', path, '--yes']],
    ];
    for (const [argv, stdin] of runs) {
      const r = await runCli(argv, env, dir, stdin ?? CANARY);
      assert.ok(r.code === 0 || r.code === 1 || r.code === 3, `${argv.join(' ')}: ${r.code} ${r.stderr}`);
    }
    // a failing rotation with the canary on stdin, debug on
    a.sandbox.setFaults({ perEndpoint: { 'POST /secret-manager/v1beta1/regions/{region}/secrets/{secretId}/versions': { rateReset: 1 } } });
    const failed = await runCli(['rotate-secret', 'prod/velero-key', '--file', path, '--value-from', 'stdin'], env, dir, CANARY);
    a.sandbox.setFaults({});
    assert.equal(failed.code, 1);
    // and a value on the command line is refused without being echoed
    const argv = await runCli(['rotate-secret', 'prod/velero-key', '--file', path, '--value', CANARY], env, dir);
    assert.equal(argv.code, 2);

    assert.ok(transcript.length > 20);
    for (const t of transcript) assert.ok(!t.includes(CANARY), 'canary in a command output');
    for (const f of await readTree(join(dir, '.landing-zone'))) assert.ok(!f.text.includes(CANARY), `canary in ${f.path}`);
    assert.ok(!(await readFile(logFile, 'utf8')).includes(CANARY), 'canary in the sandbox log');
    assert.ok(!(await readFile(path, 'utf8')).includes(CANARY), 'canary in landing-zone.yaml');
    assert.ok(!JSON.stringify(a.sandbox.requestLog).includes(CANARY));
    // the rotation did store it
    const sid = (await a.secret.listSecrets({ region: 'fr-par', projectId: w.prodId, name: 'db-password', scheduledForDeletion: false }).all())[0]!.id;
    assert.equal(Buffer.from((await a.secret.accessSecretVersion({ region: 'fr-par', secretId: sid, revision: '2' })).data, 'base64').toString(), CANARY);
  });
});
