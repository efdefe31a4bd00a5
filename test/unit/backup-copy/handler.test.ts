import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readConfig, type CopyConfig } from '../../../functions/backup-copy/config';
import { MANIFEST_KEY, runCopy, VELERO_PREFIX, type Manifest } from '../../../functions/backup-copy/copy';
import { DR_COPY_VELERO_PREFIX } from '../../../src/core/dr/runbook';
import { handle } from '../../../functions/backup-copy/handler';
import { type Arranged, sandboxWithClients } from '../ops/helpers';

/*
 * The backup-copy handler against the sandbox's RDB API and Object Storage, with the real
 * @aws-sdk/client-s3 and plain HTTPS calls, as it runs in Scaleway: what lands in the DR bucket,
 * that a second run copies nothing, that a bounded run leaves the rest for the next, and that no
 * secret reaches the logs, the manifest or the answer.
 */

describe('backup-copy handler on the sandbox', () => {
  let a: Arranged;
  let s3: (region: string) => S3Client;
  let projectId: string;
  let instanceId: string;
  let env: Record<string, string>;

  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    for (let i = 0; i < 300; i += 1) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('timed out');
  };
  const keys = async (bucket: string, region: string, prefix = '') =>
    ((await s3(region).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined }))).Contents ?? []).map((o) => o.Key!).sort();
  const manifest = async (): Promise<Manifest> =>
    JSON.parse(await (await s3('nl-ams').send(new GetObjectCommand({ Bucket: 'acme-devops-backup-copy', Key: MANIFEST_KEY }))).Body!.transformToString()) as Manifest;

  before(async () => {
    a = await sandboxWithClients({ cronCheckMs: 0 });
    s3 = (region) => new S3Client({
      region, endpoint: `${a.sandbox.url}/s3/${region}`, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: a.sandbox.accessKey, secretAccessKey: a.sandbox.secretKey },
    });
    const prod = await a.account.createProject({ name: 'prod', organizationId: a.sandbox.organizationId, description: '' });
    projectId = prod.id;
    const inst = await a.rdb.createInstance({
      region: 'fr-par', projectId, name: 'main', engine: 'PostgreSQL-16', nodeType: 'db-dev-s', isHaCluster: false, disableBackup: false,
      userName: 'admin', password: 'a-long-password-1A!', tags: [], initSettings: [], volumeType: 'sbs_5k', volumeSize: 20_000_000_000, backupSameRegion: false,
    } as never);
    instanceId = inst.id;
    await until(() => a.rdb.getInstance({ region: 'fr-par', instanceId }), (i) => i.status === 'ready');
    for (const name of ['older', 'newer']) {
      const b = await a.rdb.createDatabaseBackup({ region: 'fr-par', instanceId, databaseName: 'rdb', name });
      await until(() => a.rdb.getDatabaseBackup({ region: 'fr-par', databaseBackupId: b.id }), (x) => x.status === 'ready');
      await new Promise((r) => setTimeout(r, 5));
    }
    await s3('fr-par').send(new CreateBucketCommand({ Bucket: 'acme-prod-velero' }));
    await s3('nl-ams').send(new CreateBucketCommand({ Bucket: 'acme-devops-backup-copy' }));
    for (let i = 0; i < 5; i += 1) {
      await s3('fr-par').send(new PutObjectCommand({ Bucket: 'acme-prod-velero', Key: `backups/daily-${i}/velero-backup.json`, Body: `{"backup":${i}}` }));
    }
    env = {
      SCW_ACCESS_KEY: a.sandbox.accessKey, SCW_SECRET_KEY: a.sandbox.secretKey, SCW_API_URL: a.sandbox.url, SCW_S3_ENDPOINT: `${a.sandbox.url}/s3/{region}`,
      LZ_DATABASES: `fr-par:${projectId}`, LZ_VELERO_BUCKET: 'fr-par:acme-prod-velero', LZ_TARGET_BUCKET: 'nl-ams:acme-devops-backup-copy', LZ_POLL_MS: '20',
    };
  });
  after(() => a.sandbox.close());

  it('refuses a configuration it cannot use, naming the variable', () => {
    assert.throws(() => readConfig({ ...env, SCW_SECRET_KEY: '' }), /SCW_ACCESS_KEY and SCW_SECRET_KEY \(secret environment variables of the namespace\) are not set/);
    assert.throws(() => readConfig({ ...env, LZ_TARGET_BUCKET: 'acme' }), /LZ_TARGET_BUCKET: "acme" is not <region>:<name>/);
    assert.throws(() => readConfig({ ...env, LZ_MAX_OBJECTS: '-1' }), /LZ_MAX_OBJECTS must be a positive integer/);
  });

  it('copies the newest backup of each database (exported) and every Velero object, then writes the manifest', async () => {
    const logs: string[] = [];
    const m = await runCopy(readConfig(env), () => new Date(), (l) => logs.push(l));
    assert.equal(m.status, 'ok', m.errors.join('\n'));
    const newer = (await a.rdb.listDatabaseBackups({ region: 'fr-par', instanceId }).all()).find((b) => b.name === 'newer')!;
    assert.deepEqual(m.databases.map((d) => [d.instanceName, d.database, d.backupId, d.copied]), [['main', 'rdb', newer.id, true]]);
    assert.equal(m.velero?.copied, 5);
    const rdbKeys = await keys('acme-devops-backup-copy', 'nl-ams', 'rdb/');
    assert.equal(rdbKeys.length, 1);
    assert.match(rdbKeys[0]!, new RegExp(`^rdb/fr-par/main/rdb/.*-${newer.id}\\.dump$`));
    const dump = await (await s3('nl-ams').send(new GetObjectCommand({ Bucket: 'acme-devops-backup-copy', Key: rdbKeys[0]! }))).Body!.transformToString();
    assert.match(dump, /^PGDMP/);
    assert.deepEqual(await keys('acme-devops-backup-copy', 'nl-ams', 'velero/'), [0, 1, 2, 3, 4].map((i) => `velero/backups/daily-${i}/velero-backup.json`));
    assert.deepEqual((await manifest()).startedAt, m.startedAt);
    assert.equal((await keys('acme-devops-backup-copy', 'nl-ams', 'manifest/runs/')).length, 1);
    // the export went through the RDB API
    assert.ok(a.sandbox.requestLog.some((e) => e.method === 'POST' && e.path.endsWith(`/backups/${newer.id}/export`)));
    const text = JSON.stringify(m) + logs.join('\n');
    assert.ok(!text.includes(a.sandbox.secretKey), 'no secret key in the manifest or the logs');
    assert.ok(!text.includes('sandbox-downloads'), 'no signed download URL in the manifest or the logs');
  });

  it('is idempotent: a second run copies nothing, a new Velero object is the only copy of the third', async () => {
    const second = await runCopy(readConfig(env));
    assert.equal(second.status, 'ok');
    assert.deepEqual([second.databases.filter((d) => d.copied).length, second.velero?.copied, second.velero?.skipped], [0, 0, 5]);
    await s3('fr-par').send(new PutObjectCommand({ Bucket: 'acme-prod-velero', Key: 'backups/daily-5/velero-backup.json', Body: '{"backup":5}' }));
    // an object rewritten with other bytes is copied again
    await s3('fr-par').send(new PutObjectCommand({ Bucket: 'acme-prod-velero', Key: 'backups/daily-0/velero-backup.json', Body: '{"backup":"0b"}' }));
    const third = await runCopy(readConfig(env));
    assert.deepEqual([third.velero?.copied, third.velero?.skipped], [2, 4]);
  });

  it('is bounded: LZ_MAX_OBJECTS copies per run, the rest is left for the next run and the manifest says so', async () => {
    for (let i = 10; i < 14; i += 1) await s3('fr-par').send(new PutObjectCommand({ Bucket: 'acme-prod-velero', Key: `backups/daily-${i}/x`, Body: String(i) }));
    const cut = await runCopy(readConfig({ ...env, LZ_MAX_OBJECTS: '3' }));
    assert.deepEqual([cut.status, cut.velero?.copied, cut.velero?.remaining], ['partial', 3, 1]);
    assert.equal((await manifest()).status, 'partial');
    const rest = await runCopy(readConfig({ ...env, LZ_MAX_OBJECTS: '3' }));
    assert.deepEqual([rest.status, rest.velero?.copied, rest.velero?.remaining], ['ok', 1, 0]);
  });

  it('reports what failed without stopping the rest: a missing Velero bucket, a project it may not read', async () => {
    const m = await runCopy(readConfig({ ...env, LZ_VELERO_BUCKET: 'fr-par:no-such-bucket', LZ_DATABASES: `fr-par:${projectId},fr-par:00000000-0000-4000-8000-000000000000` }));
    assert.equal(m.status, 'partial');
    assert.equal(m.databases.length, 1, 'the readable project is still copied');
    assert.ok(m.errors.some((e) => /velero bucket no-such-bucket in fr-par: NoSuchBucket/.test(e)), m.errors.join('\n'));
  });

  it('the exported handler answers 200 with a summary, and 500 naming the missing variable', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env);
      const ok = await handle({}, {});
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((JSON.parse(ok.body) as { status: string }).status, 'ok');
      delete process.env.SCW_SECRET_KEY;
      const bad = await handle({}, {});
      assert.equal(bad.statusCode, 500);
      assert.match(bad.body, /SCW_SECRET_KEY/);
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('the copy and the restore agree on where Velero\'s objects sit in the DR bucket', () => {
  it('the prefix a replacement cluster\'s Velero reads is the one the copy writes under', () => {
    assert.equal(`${DR_COPY_VELERO_PREFIX}/`, VELERO_PREFIX);
  });
});
