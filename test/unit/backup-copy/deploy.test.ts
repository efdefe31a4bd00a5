import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { drReadiness } from '../../../src/core/dr/readiness';
import { readZip } from '../../../src/sandbox/functions-runtime';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { readOnlyClients, writeClients } from '../../../src/scaleway/client';
import { gatherDrFacts } from '../../../src/scaleway/operations/dr-facts';
import { requireFunctionBundle } from '../../../src/scaleway/operations/function-bundle';
import { s3ClientFor } from '../../../src/scaleway/operations/s3-client';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import { zip } from '../../../scripts/zip.mjs';
import { driftOf, exampleText, FAST_RETRY, modelOf, planAndApply, sandboxEnv, sandboxProfile } from '../engine/helpers';
import { runCli } from '../ops/helpers';

/*
 * The backup-copy function deployed by apply on the sandbox, with the real SDKs: the code zip
 * uploaded and deployed, the application's API key in the namespace's secret variables (and
 * nowhere else), a cron run that lands the copies in the DR region, `dr check` reading their
 * age, and a changed or broken bundle redeployed or reported.
 */

const COPY_ID = 'devops/backup-copy/backup-copy';

describe('the backup-copy function, deployed by apply', () => {
  let sb: Sandbox;
  let profile: ScalewayProfile;
  let text: string;
  const fn = () => sb.state.list('function.function').find((f) => (f.tags as string[]).includes(`lz:id=${COPY_ID}`))!;
  const ns = () => sb.state.list('function.namespace').find((n) => (n.tags as string[]).includes(`lz:id=${COPY_ID}`))!;
  const projectIdOf = (name: string) => String(sb.state.list('account.project').find((p) => p.name === name)!.id);
  const copyChecks = async () => {
    const { model } = modelOf(text);
    const r = drReadiness(model, await gatherDrFacts(readOnlyClients(profile, FAST_RETRY), model), new Date());
    return r.projects.find((p) => p.project === 'devops')!.checks.filter((c) => c.id.startsWith('backup-copy')).map((c) => `${c.ok ? 'ok' : 'MISS'} ${c.id} ${c.message}`);
  };

  before(async () => {
    sb = await startSandbox({ transitionMs: 20, cronCheckMs: 0 });
    profile = await sandboxProfile(sb);
    text = exampleText(sb);
  });
  after(async () => { await sb.close(); });

  it('uploads and deploys the bundle on the catalog\'s newest Node runtime, with the application\'s key as secret variables only', async () => {
    const { plan, result } = await planAndApply(profile, text);
    assert.equal(result.status, 'completed', JSON.stringify(result.failed));
    const f = fn();
    const bundle = requireFunctionBundle('backup-copy');
    assert.equal(f.status, 'ready');
    assert.equal(f.handler, 'handler.handle');
    const runtimes = (await writeClients(profile, FAST_RETRY).functions.listFunctionRuntimes({ region: 'fr-par' })).runtimes.map((r) => r.name).filter((n) => /^node\d+$/.test(n));
    assert.equal(f.runtime, runtimes.sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)))[0]);
    assert.ok((f.tags as string[]).includes(`lz:code=${bundle.short}`));
    // each bucket with its project: S3 acts in the project named after the access key
    assert.deepEqual((f.environment_variables as Record<string, string>).LZ_TARGET_BUCKET, `nl-ams:acme-devops-backup-copy@${projectIdOf('devops')}`);
    assert.deepEqual((f.environment_variables as Record<string, string>).LZ_VELERO_BUCKET, `fr-par:acme-prod-velero@${projectIdOf('prod')}`);
    assert.match((f.environment_variables as Record<string, string>).LZ_DATABASES!, /^fr-par:[0-9a-f-]{36}$/);
    const upload = sb.requestLog.find((e) => e.method === 'PUT' && e.path === `/s3/fr-par/serverless-functions-code-sandbox-fr-par/uploads/function-${String(f.id)}.zip`);
    assert.equal(upload?.status, 200, 'the zip went to the signed upload URL');

    // the vault's secret key is what the namespace holds, hashed as the API shows it
    const rw = writeClients(profile, FAST_RETRY);
    const vault = (await rw.secret.listSecrets({ region: 'fr-par', name: 'backup-copy-scw-key', scheduledForDeletion: false }).all())[0]!;
    const secretKey = Buffer.from((await rw.secret.accessSecretVersion({ region: 'fr-par', secretId: vault.id, revision: '1' })).data, 'base64').toString('utf8');
    const namespace = ns();
    assert.equal((namespace.environment_variables as Record<string, string>).LZ_CREDENTIALS, 'security/backup-copy-scw-key@1');
    const hashed = namespace.secret_environment_variables as { key: string; hashed_value: string }[];
    assert.deepEqual(hashed.map((s) => s.key).sort(), ['SCW_ACCESS_KEY', 'SCW_SECRET_KEY']);
    assert.equal(hashed.find((s) => s.key === 'SCW_SECRET_KEY')!.hashed_value, createHash('sha256').update(secretKey).digest('hex'));
    assert.ok(!JSON.stringify(plan).includes(secretKey), 'not in the plan');
    assert.ok(!JSON.stringify(sb.state.list('function.function')).includes(secretKey) && !JSON.stringify(namespace).includes(secretKey), 'not in what the API returns');

    const drift = await driftOf(profile, text);
    assert.deepEqual(drift.entries.filter((e) => e.id === COPY_ID || e.id === 'devops/bucket/backup-copy').map((e) => `${e.status} ${e.id}`).sort(),
      ['in-sync devops/backup-copy/backup-copy', 'in-sync devops/bucket/backup-copy']);
  });

  it('dr check: deployed and ready, but no copy has landed yet is a finding', async () => {
    const checks = await copyChecks();
    assert.match(checks[0]!, /^ok backup-copy-function backup copy: function ready in devops \(node\d+\)$/);
    assert.match(checks[2]!, /^MISS backup-copy-fresh backup copy: no copy has landed in acme-devops-backup-copy \(nl-ams\) yet \(RPO 6h\)$/);
  });

  it('a cron run copies the newest database backup and the Velero objects to the DR region; dr check reads the copy\'s age', async () => {
    const rw = writeClients(profile, FAST_RETRY);
    const prodMain = (await rw.rdb.listInstances({ region: 'fr-par', name: 'main' }).all()).find((i) => i.name === 'main' && sb.state.get('account.project', i.projectId)?.name === 'prod')!;
    const backup = await rw.rdb.createDatabaseBackup({ region: 'fr-par', instanceId: prodMain.id, databaseName: 'rdb', name: 'nightly' });
    for (let i = 0; i < 100 && (await rw.rdb.getDatabaseBackup({ region: 'fr-par', databaseBackupId: backup.id })).status !== 'ready'; i += 1) await new Promise((r) => setTimeout(r, 20));
    // what is in the Velero bucket is what the Velero that apply installed wrote: its schedule's first backup
    const { s3 } = await s3ClientFor(profile, 'fr-par', projectIdOf('prod'));
    let velero: string[] = [];
    for (let i = 0; i < 100 && velero.length === 0; i += 1) {
      velero = ((await s3.send(new ListObjectsV2Command({ Bucket: 'acme-prod-velero' }))).Contents ?? []).map((o) => o.Key!);
      if (velero.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    s3.destroy();
    const backupName = /^backups\/([^/]+)\/velero-backup\.json$/.exec(velero.find((k) => k.endsWith('/velero-backup.json')) ?? '')?.[1];
    assert.match(backupName ?? '', /^[a-z0-9-]+-\d{14}$/, velero.join('\n'));
    assert.ok(velero.includes(`backups/${backupName}/${backupName}.tar.gz`), velero.join('\n'));

    const cron = sb.state.list('function.cron').find((c) => c.function_id === fn().id)!;
    assert.equal(cron.schedule, '0 3 * * *');
    const run = await sb.extras.functions.runCron(String(cron.id));
    assert.equal(run.statusCode, 200, `${run.error ?? ''}\n${run.logs}\n${run.body ?? ''}`);
    assert.match(run.logs, new RegExp(`backup copy ok: 1/1 database backups and ${velero.length} Velero objects copied, 0 error\\(s\\)`));
    assert.ok(!run.logs.includes(sb.secretKey));

    const { s3: dr } = await s3ClientFor(profile, 'nl-ams', projectIdOf('devops'));
    const keys = ((await dr.send(new ListObjectsV2Command({ Bucket: 'acme-devops-backup-copy' }))).Contents ?? []).map((o) => o.Key!);
    assert.ok(keys.some((k) => k.startsWith('rdb/fr-par/main/rdb/') && k.endsWith(`-${backup.id}.dump`)), keys.join('\n'));
    for (const k of velero) assert.ok(keys.includes(`velero/${k}`), k);
    const manifest = JSON.parse(await (await dr.send(new GetObjectCommand({ Bucket: 'acme-devops-backup-copy', Key: 'manifest/latest.json' }))).Body!.transformToString()) as { status: string };
    assert.equal(manifest.status, 'ok');
    dr.destroy();

    const checks = await copyChecks();
    assert.match(checks[2]!, /^ok backup-copy-fresh backup copy: newest copy in acme-devops-backup-copy \(nl-ams\) 0h ago \(RPO 6h\)$/);
  });

  it('a rotated key reaches the function: rotate-api-key re-pins the vault secret, drift names the credentials, apply passes the new key on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lz-rotate-'));
    const path = join(dir, 'landing-zone.yaml');
    await writeFile(path, text);
    const r = await runCli(['rotate-api-key', 'backup-copy', '--file', path], sandboxEnv(sb), dir);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    text = await readFile(path, 'utf8');
    assert.match(text, /backup-copy-scw-key:\n\s+path: \/iam\n\s+version: 2/, r.stdout + r.stderr);
    const drift = await driftOf(profile, text);
    assert.deepEqual(drift.entries.find((e) => e.id === COPY_ID)!.changes?.map((c) => `${c.field}:${String(c.live)}→${String(c.declared)}`),
      ['credentials:security/backup-copy-scw-key@1→security/backup-copy-scw-key@2']);
    const { result } = await planAndApply(profile, text);
    assert.equal(result.status, 'completed', JSON.stringify(result.failed));
    const rw = writeClients(profile, FAST_RETRY);
    const vault = (await rw.secret.listSecrets({ region: 'fr-par', name: 'backup-copy-scw-key', scheduledForDeletion: false }).all())[0]!;
    const secretKey = Buffer.from((await rw.secret.accessSecretVersion({ region: 'fr-par', secretId: vault.id, revision: '2' })).data, 'base64').toString('utf8');
    const hashed = ns().secret_environment_variables as { key: string; hashed_value: string }[];
    assert.equal(hashed.find((x) => x.key === 'SCW_SECRET_KEY')!.hashed_value, createHash('sha256').update(secretKey).digest('hex'));
    assert.ok(!r.stdout.includes(secretKey) && !r.stderr.includes(secretKey));
    for (let i = 0; i < 100 && fn().status !== 'ready'; i += 1) await new Promise((done) => setTimeout(done, 20));
    const cron = sb.state.list('function.cron').find((c) => c.function_id === fn().id)!;
    const run = await sb.extras.functions.runCron(String(cron.id));
    assert.equal(run.statusCode, 200, `${run.error ?? ''} ${run.logs}`);
  });

  it('a changed bundle is drift (code outdated) and apply redeploys it; a broken one is reported with the build error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lz-fn-'));
    const original = requireFunctionBundle('backup-copy');
    // the same handler plus a file: another hash
    const files = readZip(original.zip) as Map<string, Buffer>;
    await writeFile(join(dir, 'backup-copy.zip'), zip(new Map([...files, ['VERSION', Buffer.from('2\n')]])));
    process.env.LZ_FUNCTIONS_DIR = dir;
    try {
      const drift = await driftOf(profile, text);
      const entry = drift.entries.find((e) => e.id === COPY_ID)!;
      assert.deepEqual(entry.changes?.map((c) => `${c.field}:${String(c.live)}→${String(c.declared)}`), ['code:outdated→current']);
      const { result } = await planAndApply(profile, text);
      assert.equal(result.status, 'completed', JSON.stringify(result.failed));
      assert.ok((fn().tags as string[]).includes(`lz:code=${requireFunctionBundle('backup-copy').short}`));
      assert.equal(fn().status, 'ready');

      await writeFile(join(dir, 'backup-copy.zip'), zip(new Map([['index.js', Buffer.from('module.exports.other = 1')]])));
      const broken = await planAndApply(profile, text);
      assert.equal(broken.result.status, 'failed');
      assert.match(JSON.stringify(broken.result.failed), /the backup-copy function did not build: handler \\"handler.handle\\": handler.js is not in the zip/);
      const checks = await copyChecks();
      assert.match(checks[0]!, /^MISS backup-copy-function backup copy: the function's build failed: handler "handler.handle": handler.js is not in the zip/);
    } finally {
      delete process.env.LZ_FUNCTIONS_DIR;
    }
    // the real bundle again: apply repairs the function
    const repaired = await planAndApply(profile, text);
    assert.equal(repaired.result.status, 'completed', JSON.stringify(repaired.result.failed));
    assert.equal(fn().status, 'ready');
    assert.ok((fn().tags as string[]).includes(`lz:code=${original.short}`));
  });
});
