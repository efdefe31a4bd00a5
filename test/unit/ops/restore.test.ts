import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { writeClients } from '../../../src/scaleway/client';
import { resolveProfile } from '../../../src/scaleway/profiles';
import { type Arranged, CANARY, readTree, runCli, scenario, transcript } from './helpers';
import { arrangeDr, drFile, installVelero, type DrWorld } from './dr-scenario';

const writesTo = (log: { method: string; path: string }[], fragment: string) =>
  log.filter((e) => e.method !== 'GET' && e.method !== 'HEAD' && e.path.includes(fragment));

describe('restore zone and restore region on the sandbox', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let w: DrWorld;

  before(async () => {
    ({ a, dir, path, env } = await scenario(drFile));
    w = await arrangeDr(a, env);
  });
  after(() => a.sandbox.close());

  it('a dry run prints every step and its calls, and makes no request at all', async () => {
    const before = a.sandbox.requestLog.length;
    const r = await runCli(['restore', 'zone', '--project', 'prod', '--file', path, '--dry-run'], env, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dry run: zone restore of prod from fr-par-1 to fr-par-2/);
    assert.match(r.stdout, /1\. Create the replacement database prod\/main in fr-par-2 \(PostgreSQL-16, DB-DEV-S, private network\)\n {5}GET \/rdb\/v1\/regions\/fr-par\/instances/);
    assert.match(r.stdout, /POST \/apis\/velero.io\/v1\/namespaces\/velero\/restores/);
    assert.match(r.stdout, /Publish the new host and port of prod\/main as a new version of prod\/main-db-endpoint/);
    assert.equal(a.sandbox.requestLog.length, before);
    const region = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--dry-run'], env, dir);
    assert.match(region.stdout, /Ensure the private network of prod in nl-ams/);
    assert.equal(a.sandbox.requestLog.length, before);
    const same = await runCli(['restore', 'zone', '--project', 'prod', '--from-zone', 'fr-par-2', '--file', path, '--dry-run'], env, dir);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /the fallback zone fr-par-2 is the failed zone; change disasterRecovery.zoneFailure.fallbackZone/);
    const noYes = await runCli(['restore', 'zone', '--project', 'prod', '--file', path], env, dir);
    assert.equal(noYes.code, 2);
    // on a terminal, the project name must be typed
    const wrong = await runCli(['restore', 'zone', '--project', 'prod', '--file', path], env, dir, 'staging\n', true);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /Type the project name to continue: not confirmed; nothing was done/);
    assert.equal(a.sandbox.requestLog.length, before);
  });

  it('zone: a fault mid-way, then the resume finishes without a second instance and never writes to the source', async () => {
    const start = a.sandbox.requestLog.length;
    a.sandbox.setFaults({ perEndpoint: { 'POST /rdb/v1/regions/{region}/backups/{databaseBackupId}/restore': { rateReset: 1 } } });
    const failed = await runCli(['restore', 'zone', '--project', 'prod', '--file', path, '--yes'], env, dir);
    a.sandbox.setFaults({});
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /\[1\/6\] done: created main-dr-fr-par-2/);
    const r = await runCli(['restore', 'zone', '--project', 'prod', '--file', path, '--yes'], env, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /resuming zone restore/);
    assert.match(r.stderr, /\[1\/6\] .*already done/);
    assert.match(r.stdout, /control plane of apps is ready: reused/);
    assert.match(r.stdout, /Velero restore rz-[\w-]+-apps of velero-\d+ Completed/);
    const replacements = (await a.rdb.listInstances({ region: 'fr-par', projectId: w.prodId }).all()).filter((i) => i.name.startsWith('main-dr'));
    assert.equal(replacements.length, 1);
    assert.equal(replacements[0]!.status, 'ready');
    assert.equal(replacements[0]!.engine, 'PostgreSQL-16');
    assert.ok(replacements[0]!.endpoints.some((e) => e.privateNetwork?.privateNetworkId === w.pnId));
    // the consumers' secret has a new version with the replacement's address; the file pins it
    const v2 = await a.secret.accessSecretVersion({ region: 'fr-par', secretId: w.secretId, revision: '2' });
    const ep = JSON.parse(Buffer.from(v2.data, 'base64').toString()) as { host: string; port: string };
    assert.ok(replacements[0]!.endpoints.some((e) => e.ip === ep.host && String(e.port) === ep.port));
    const text = await readFile(path, 'utf8');
    assert.match(text, /role: environment\n {4}zone: fr-par-2\n/);
    assert.match(text, /version: 2 {3}# consumers read this/);
    // never a write to the failed database
    assert.deepEqual(writesTo(a.sandbox.requestLog.slice(start), w.instanceId), []);
    assert.deepEqual(writesTo(a.sandbox.requestLog.slice(start), `/clusters/${w.clusterId}`), []);
  });

  it('region: cancelled mid-way, resumed, a PartiallyFailed Velero restore reported per resource; nothing written in the failed region', async () => {
    await writeFile(path, drFile(a.sandbox.organizationId));
    // the copy function put a copy of the database backup in nl-ams
    a.sandbox.state.bulkInsert('rdb.backup', 'nl-ams', [{
      id: '0b0b0b0b-1111-4222-8333-444444444444', instance_id: w.instanceId, database_name: 'rdb', name: 'main-copy', status: 'ready',
      size: 1255, expires_at: null, created_at: new Date(Date.now() - 3600_000).toISOString(), updated_at: null, instance_name: 'main',
      download_url: null, download_url_expires_at: null, same_region: false, region: 'nl-ams', project_id: w.prodId,
    }]);
    const start = a.sandbox.requestLog.length;
    // Ctrl-C while the replacement cluster is being created
    const controller = { fired: false };
    let stderr = '';
    let stdout = '';
    const input = new PassThrough();
    input.end(CANARY);
    const code = await main(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], {
      stdout: new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }),
      stderr: new Writable({
        write(c, _e, cb) {
          stderr += String(c);
          if (!controller.fired && /\[4\/7\] Recreate the cluster/.test(stderr)) {
            controller.fired = true;
            process.emit('SIGINT');
          }
          cb();
        },
      }),
      stdin: input, cwd: dir, env, isTTY: false,
    });
    transcript.push(stdout, stderr);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /cancelled; the journal keeps what was done/);

    // a new cluster has no Velero: the runbook stops there, saying so, until the bootstrap installs it
    const bare = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], env, dir);
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /\[4\/7\] done: /);
    assert.match(bare.stderr, /Velero does not run in cluster [\w-]+: Velero is not installed \(the cluster serves no velero.io API\)\. A replacement cluster needs Velero reading the bucket that holds the backups: acme-devops-backup-copy \(nl-ams, project devops, prefix velero\/\), read-only/);
    const replacement = (await a.k8s.listClusters({ region: 'nl-ams', projectId: w.prodId }).all())[0]!;
    // the DR region's copy bucket (arrangeDr made it, and the copy function filled it) is what the
    // replacement's Velero reads
    const replacementClients = writeClients(await resolveProfile({ env }));
    // reading the bucket without the prefix the copy writes under, Velero sees no backup
    await installVelero(replacementClients, 'nl-ams', replacement.id, 'acme-devops-backup-copy', a.sandbox, { readOnly: true, projectId: w.devopsId });
    const blind = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], env, dir);
    assert.equal(blind.code, 1);
    assert.match(blind.stderr, /no completed Velero backup is visible from apps; its Velero must read acme-devops-backup-copy \(nl-ams, project devops, prefix velero\/\)/);
    await installVelero(replacementClients, 'nl-ams', replacement.id, 'acme-devops-backup-copy', a.sandbox, { prefix: 'velero', readOnly: true, projectId: w.devopsId });

    a.sandbox.extras.velero.setRestoreOutcome({
      phase: 'PartiallyFailed',
      errors: { namespaces: { shop: ['error restoring persistentvolumeclaims/shop/data: volume snapshot not found'] } },
      warnings: { cluster: ['could not restore, CustomResourceDefinition "certificates.cert-manager.io" already exists'] },
    });
    // then a fault while publishing the endpoint: the run stops after the Velero restore
    a.sandbox.setFaults({ perEndpoint: { 'POST /secret-manager/v1beta1/regions/{region}/secrets/{secretId}/versions': { rateReset: 1 } } });
    const faulty = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], env, dir);
    a.sandbox.setFaults({});
    assert.equal(faulty.code, 1);
    assert.match(faulty.stderr, /resuming region restore/);
    assert.match(faulty.stderr, /connection lost during POST \/secret-manager/);
    const r = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], env, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /resuming region restore/);
    assert.match(r.stderr, /\[5\/7\] .*already done/);
    assert.match(r.stdout, /WARNING Restore prod\/apps with Velero .* PartiallyFailed: 1 error\(s\), 1 warning\(s\)/);
    assert.match(r.stdout, /velero rr-[\w-]+-apps: error namespace\/shop: error restoring persistentvolumeclaims\/shop\/data: volume snapshot not found/);
    assert.match(r.stdout, /velero rr-[\w-]+-apps: warning cluster: could not restore, CustomResourceDefinition/);
    assert.match(r.stdout, /finished with warnings/);

    const clusters = (await a.k8s.listClusters({ region: 'nl-ams', projectId: w.prodId }).all());
    assert.equal(clusters.length, 1);
    const dbs = (await a.rdb.listInstances({ region: 'nl-ams', projectId: w.prodId }).all());
    assert.equal(dbs.length, 1);
    const text = await readFile(path, 'utf8');
    assert.match(text, /role: environment\n {4}region: nl-ams\n {4}zone: nl-ams-1\n/);
    const replica = await a.secret.listSecretVersions({ region: 'nl-ams', secretId: w.replicaSecretId }).all();
    assert.equal(replica.length, 2);
    // nothing in the failed region was written to
    assert.deepEqual(writesTo(a.sandbox.requestLog.slice(start), '/regions/fr-par/'), []);
    assert.deepEqual(writesTo(a.sandbox.requestLog.slice(start), `/k8s-api/${w.clusterId}/`), []);
  });

  it('no value reaches an output or a journal', async () => {
    for (const t of transcript) assert.ok(!t.includes(CANARY));
    for (const f of await readTree(join(dir, '.landing-zone'))) assert.ok(!f.text.includes(CANARY), f.path);
  });
});
