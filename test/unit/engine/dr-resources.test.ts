import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { drReadiness } from '../../../src/core/dr/readiness';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { readOnlyClients, writeClients } from '../../../src/scaleway/client';
import { gatherDrFacts } from '../../../src/scaleway/operations/dr-facts';
import { s3ClientFor } from '../../../src/scaleway/operations/s3-client';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import { schedulesOf } from '../../../src/scaleway/readers/velero-objects';
import { driftOf, EXAMPLE_UNREAD, exampleText, FAST_RETRY, inventoryOf, modelOf, planAndApply, sandboxProfile } from './helpers';

/*
 * The disaster-recovery kinds (buckets over S3, the backup-copy function and its cron, Velero
 * Schedules in the clusters) end to end on the sandbox, with the real SDKs: read by drift,
 * created and repaired by apply, and what `dr check` then finds.
 */

const DR_KINDS = new Set(['bucket', 'backup-copy', 'velero-install', 'velero-schedule']);

let sb: Sandbox;
let profile: ScalewayProfile;
let text: string;

before(async () => {
  sb = await startSandbox({ transitionMs: 20 });
  profile = await sandboxProfile(sb);
  text = exampleText(sb);
});
after(async () => { await sb.close(); });

const findingsOf = async () => (await driftOf(profile, text)).entries
  .filter((e) => DR_KINDS.has(e.kind) && e.status !== 'in-sync')
  .map((e) => `${e.status} ${e.id}${e.changes ? ` ${e.changes.map((c) => `${c.field}:${String(c.declared)}→${String(c.live)}`).join(',')}` : ''}`);

test('apply creates buckets, the Velero schedule and the copy function; drift reads them with GETs only; changes behind the back are named and repaired', async () => {
  const first = await driftOf(profile, text);
  const declared = first.entries.filter((e) => DR_KINDS.has(e.kind));
  assert.deepEqual(declared.map((e) => `${e.status} ${e.id}`).sort(), [
    'missing devops/backup-copy/backup-copy', 'missing devops/bucket/artifacts', 'missing devops/bucket/backup-copy', 'missing prod/bucket/velero', 'missing prod/velero-install/apps-velero', 'missing prod/velero-schedule/apps-velero',
  ]);

  const { plan, result } = await planAndApply(profile, text);
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  const mine = plan.operations.filter((o) => DR_KINDS.has(o.kind));
  assert.deepEqual(mine.map((o) => o.summary), [
    'create bucket devops/bucket/artifacts ("acme-devops-artifacts", versioning, fr-par)',
    'create bucket devops/bucket/backup-copy ("acme-devops-backup-copy", versioning, nl-ams)',
    'create bucket prod/bucket/velero ("acme-prod-velero", versioning, object lock, fr-par)',
    'create velero-install prod/velero-install/apps-velero (Velero v1.18.1 writing to bucket acme-prod-velero (fr-par) with the S3 key in security/velero-scw-key, fr-par)',
    'create velero-schedule prod/velero-schedule/apps-velero (Velero "0 */6 * * *", kept 30 d, to bucket acme-prod-velero, fr-par)',
    'create backup-copy devops/backup-copy/backup-copy (function and cron "0 3 * * *", copies to nl-ams, fr-par)',
  ]);
  // the bucket, the cluster and Velero itself before the Schedule; the vault's key before Velero
  const schedule = mine.find((o) => o.kind === 'velero-schedule')!;
  assert.deepEqual([...schedule.after].sort(), ['prod/bucket/velero', 'prod/cluster/apps', 'prod/velero-install/apps-velero']);
  const install = mine.find((o) => o.kind === 'velero-install')!;
  assert.deepEqual([...install.after].sort(), ['iam/api-key/velero-backup', 'prod/bucket/velero', 'prod/cluster/apps', 'security/secret/velero-scw-key']);

  const mark = sb.requestLog.length;
  const synced = await driftOf(profile, text, EXAMPLE_UNREAD);
  assert.deepEqual(synced.entries.filter((e) => DR_KINDS.has(e.kind)).map((e) => `${e.status} ${e.id}`).sort(), [
    'in-sync devops/backup-copy/backup-copy', 'in-sync devops/bucket/artifacts', 'in-sync devops/bucket/backup-copy', 'in-sync prod/bucket/velero', 'in-sync prod/velero-install/apps-velero', 'in-sync prod/velero-schedule/apps-velero',
  ]);
  assert.equal(synced.verdict, 'accepted-not-checked', JSON.stringify(synced.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked')));
  const reads = sb.requestLog.slice(mark);
  assert.ok(reads.some((r) => r.path.startsWith('/s3/')), 'buckets are read over S3');
  assert.ok(reads.some((r) => r.path.includes('/schedules')), 'schedules are read from the cluster');
  assert.ok(reads.some((r) => r.path.endsWith('/deployments/velero')), 'Velero\'s deployment is read from the cluster');
  assert.ok(!reads.some((r) => r.path.includes('/secrets/cloud-credentials')), 'drift never reads the credentials Secret');
  assert.deepEqual(reads.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [], 'drift only reads');

  // idempotent: a second apply has nothing to do for these kinds
  const again = await planAndApply(profile, text);
  assert.deepEqual(again.plan.operations.filter((o) => DR_KINDS.has(o.kind)).map((o) => o.summary), []);

  // behind the tool's back: suspend versioning, delete the cron, change the Velero schedule
  const rw = writeClients(profile, FAST_RETRY);
  const inv = await inventoryOf(profile);
  const find = (kind: string, id: string) => inv.resources.find((r) => r.kind === kind && (r.lzId ?? r.naturalId) === id)!;
  // the bucket is devops's: S3 acts in the project named after the access key
  const { s3 } = await s3ClientFor(profile, 'fr-par', find('project', 'devops/project').scalewayId);
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'acme-devops-artifacts', VersioningConfiguration: { Status: 'Suspended' } }));
  s3.destroy();
  const copy = find('backup-copy', 'devops/backup-copy/backup-copy');
  for (const c of await rw.functions.listCrons({ region: 'fr-par', functionId: copy.scalewayId }).all()) await rw.functions.deleteCron({ region: 'fr-par', cronId: c.id });
  const velero = find('velero-schedule', 'prod/velero-schedule/apps-velero');
  const [clusterId, name] = velero.scalewayId.split('/') as [string, string];
  const kube = await schedulesOf(rw, 'fr-par', clusterId);
  const [live] = (await kube.list()).filter((s) => s.name === name);
  await kube.delete(name);
  await kube.create({ name, labels: live!.labels, schedule: '0 */4 * * *', ttlSeconds: 30 * 86400, storageLocation: 'acme-prod-velero' });

  assert.deepEqual(await findingsOf(), [
    'changed devops/backup-copy/backup-copy schedule:0 3 * * *→null',
    'changed devops/bucket/artifacts versioning:true→false',
    'changed prod/velero-schedule/apps-velero schedule:0 */6 * * *→0 */4 * * *',
  ]);

  const repair = await planAndApply(profile, text);
  assert.equal(repair.result.status, 'completed', JSON.stringify(repair.result.failed));
  assert.deepEqual(repair.plan.operations.map((o) => `${o.action} ${o.id}`), [
    'update devops/bucket/artifacts', 'update prod/velero-schedule/apps-velero', 'update devops/backup-copy/backup-copy',
  ]);
  assert.deepEqual(await findingsOf(), []);
  // one of each: no second namespace, function, cron or schedule
  assert.equal(sb.state.list('function.namespace').filter((n) => (n.tags as string[]).includes('lz:id=devops/backup-copy/backup-copy')).length, 1);
  assert.equal((await rw.functions.listCrons({ region: 'fr-par', functionId: copy.scalewayId }).all()).length, 1);
  assert.equal((await kube.list()).length, 1);
});

test('an apply interrupted after the namespace finishes the chain in that namespace (no second namespace)', async () => {
  const rw = writeClients(profile, FAST_RETRY);
  const inv = await inventoryOf(profile);
  const copy = inv.resources.find((r) => r.kind === 'backup-copy' && r.lzId === 'devops/backup-copy/backup-copy')!;
  // what a run killed between the namespace and the function leaves
  await rw.functions.deleteFunction({ region: 'fr-par', functionId: copy.scalewayId });
  for (let i = 0; i < 100 && (await findingsOf()).length === 0; i += 1) await new Promise((done) => setTimeout(done, 20));
  assert.deepEqual(await findingsOf(), ['missing devops/backup-copy/backup-copy']);
  const { result } = await planAndApply(profile, text);
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  assert.deepEqual(await findingsOf(), []);
  const tagged = sb.state.list('function.namespace').filter((n) => (n.tags as string[]).includes('lz:id=devops/backup-copy/backup-copy'));
  assert.equal(tagged.length, 1);
  assert.equal(sb.state.list('function.function').filter((f) => f.namespace_id === tagged[0]!.id).length, 1);
});

test('after apply and one run of the copy, dr check finds nothing about buckets, Velero or the copy function', async () => {
  const { model } = modelOf(text);
  // a copy that never ran is a finding: run the deployed function once, as its cron would
  const fn = sb.state.list('function.function').find((f) => (f.tags as string[]).includes('lz:id=devops/backup-copy/backup-copy'))!;
  const cron = sb.state.list('function.cron').find((c) => c.function_id === fn.id)!;
  for (let i = 0; i < 100 && sb.state.get('function.cron', String(cron.id))?.status !== 'ready'; i += 1) await new Promise((done) => setTimeout(done, 20));
  const run = await sb.extras.functions.runCron(String(cron.id));
  assert.equal(run.statusCode, 200, `${run.error ?? ''} ${run.logs}`);
  // the Schedule's first backup completes after the sandbox's Velero delays
  let findings: string[] = [];
  for (let i = 0; i < 100; i += 1) {
    const r = drReadiness(model, await gatherDrFacts(readOnlyClients(profile, FAST_RETRY), model), new Date());
    findings = r.findings.filter((f) => /^(bucket|velero|backup-copy)/.test(f.id)).map((f) => `${f.id} ${f.message}`);
    if (findings.length === 0) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.deepEqual(findings, []);
});
