import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Arranged, runCli, scenario } from './helpers';
import { arrangeDr, drFile } from './dr-scenario';

describe('dr check and dr pipeline on the sandbox', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ({ a, dir, path, env } = await scenario(drFile));
  });
  after(() => a.sandbox.close());

  it('scores an empty account low, with one located finding per missing piece, and exits 3', async () => {
    const r = await runCli(['dr', 'check', '--file', path], env, dir);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /landing-zone\.yaml:\d+:\d+ error dr-db-found database prod\/main: project prod does not exist/);
    assert.match(r.stdout, /DR readiness \d+\/100: \d+ finding\(s\)/);
    assert.match(r.stdout, /ok {3}fallback-zone/);
  });

  it('scores 100 when backups, Velero, the bucket and the copy function are all in place; read-only', async () => {
    await arrangeDr(a, env);
    const before = a.sandbox.requestLog.length;
    const sarif = await runCli(['dr', 'check', path, '--format', 'sarif'], env, dir);
    assert.equal(sarif.code, 0, sarif.stderr);
    assert.deepEqual((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results, []);
    const r = await runCli(['dr', 'check', path, '--format', 'json'], env, dir);
    const report = JSON.parse(r.stdout) as { score: number; findings: { ruleId: string; message: string }[] };
    assert.deepEqual(report.findings, []);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(report.score, 100);
    const writes = a.sandbox.requestLog.slice(before).filter((e) => e.method !== 'GET' && e.method !== 'HEAD');
    // the one POST is Velero's own: the client never writes to Scaleway
    assert.deepEqual(writes, []);
  });

  it('finds the lapses: backups switched off, the copy cron not what the file says', async () => {
    const inst = (await a.rdb.listInstances({ region: 'fr-par', name: 'main' }).all())[0]!;
    await a.rdb.updateInstance({ region: 'fr-par', instanceId: inst.id, isBackupScheduleDisabled: true });
    await writeFile(path, (await readFile(path, 'utf8')).replace('schedule: "0 3 * * *"', 'schedule: "0 4 * * *"').replace('"0 */6 * * *"', '"0 */4 * * *"'));
    const r = await runCli(['dr', 'check', '--file', path], env, dir);
    assert.match(r.stdout, /error dr-velero-schedule cluster prod\/apps: Velero schedule velero "0 \*\/6 \* \* \*" is not the file's "0 \*\/4 \* \* \*"/);
    const sarif = JSON.parse((await runCli(['dr', 'check', '--file', path, '--format', 'sarif'], env, dir)).stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'dr-db-backups-on'));
    assert.equal(r.code, 3);
    assert.match(r.stdout, /landing-zone\.yaml:24:18 error dr-db-backups-on database prod\/main: automatic backups are off/);
    assert.match(r.stdout, /error dr-backup-copy-cron backup copy: cron "0 3 \* \* \*" \(the file says "0 4 \* \* \*"\)/);
    await a.rdb.updateInstance({ region: 'fr-par', instanceId: inst.id, isBackupScheduleDisabled: false });
    await writeFile(path, (await readFile(path, 'utf8')).replace('schedule: "0 4 * * *"', 'schedule: "0 3 * * *"').replace('"0 */4 * * *"', '"0 */6 * * *"'));
  });

  it('writes a GitLab pipeline with manual gates', async () => {
    const out = join(dir, '.gitlab-ci.dr.yml');
    const r = await runCli(['dr', 'pipeline', '--ci', 'gitlab', '--file', path, '--out', out], env, dir);
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(out, 'utf8');
    assert.match(text, /dr:restore-zone:prod:\n[\s\S]*?when: manual\n\s+allow_failure: false/);
    assert.match(text, /restore region --project prod --to-region nl-ams/);
    assert.match(text, /resource_group: dr-prod/);
    const bad = await runCli(['dr', 'pipeline', '--ci', 'jenkins', '--file', path], env, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--ci gitlab or --ci github/);
  });
});
