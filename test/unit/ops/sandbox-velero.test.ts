import assert from 'node:assert/strict';
import { serveKubeApi } from './helpers';
import { after, before, describe, it } from 'node:test';
import { describeResults, latestCompletedBackup } from '../../../src/core/dr/velero';
import { VeleroApi } from '../../../src/sandbox/kube/velero-api';
import { veleroFromKubeconfig } from '../../../src/scaleway/operations/velero-client';
import { kubeConfigFromYaml } from '../../../src/scaleway/kube-client';
import { ensureVelero } from '../../../src/scaleway/writers/velero-install';

const kubeconfig = (server: string, token = 'tok') => `apiVersion: v1
clusters:
- name: c
  cluster:
    server: ${server}
contexts:
- name: admin@c
  context: { cluster: c, user: admin }
current-context: admin@c
kind: Config
users:
- name: admin
  user:
    token: ${token}
`;

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((res) => setTimeout(res, 20));
  }
  return read();
}

describe('sandbox Velero API (through @kubernetes/client-node)', () => {
  let server: Awaited<ReturnType<typeof serveKubeApi>>;
  let url = '';
  const api = new VeleroApi({ delays: { startMs: 10, runMs: 40 }, readyMs: 20, clusterExists: (id) => id !== 'gone' });

  /** Velero installed as apply installs it, and running. */
  async function installed(cluster: string) {
    await ensureVelero(await kubeConfigFromYaml(kubeconfig(`${url}/k8s-api/${cluster}`)), { bucket: 'acme-prod-velero', region: 'fr-par', labels: {} }, { accessKey: 'SCWAAAAAAAAAAAAAAAAA', secretKey: 'not-checked-here', from: 'test' });
    const v = await veleroFromKubeconfig(kubeconfig(`${url}/k8s-api/${cluster}`));
    assert.equal((await until(() => v.health(), (h) => h.health === 'Available')).health, 'Available');
    return v;
  }

  before(async () => {
    server = await serveKubeApi(api);
    url = server.url;
  });
  after(() => server.close());

  it('lists seeded backups and restores the latest completed one', async () => {
    api.seedBackup('daily-20260101000000', { completedAt: new Date(Date.now() - 7200_000), scheduleName: 'daily' });
    api.seedBackup('daily-20260101060000', { completedAt: new Date(Date.now() - 3600_000), scheduleName: 'daily' });
    api.seedBackup('broken', { completedAt: new Date(Date.now() - 60_000), phase: 'PartiallyFailed' });
    const v = await installed('c1');
    const backups = await v.listBackups();
    assert.equal(backups.length, 3);
    assert.equal(latestCompletedBackup(backups)?.name, 'daily-20260101060000');
    const r = await v.createRestore('dr-1', 'daily-20260101060000', { 'landing-zone/run': 'x' });
    assert.ok(['New', 'InProgress'].includes(r.phase), r.phase);
    assert.equal((await until(() => v.getRestore('dr-1'), (x) => x?.phase !== 'New' && x?.phase !== 'InProgress'))?.phase, 'Completed');
    assert.equal(await v.getRestore('nope'), undefined);
  });

  it('a schedule takes its first backup at once; a PartiallyFailed restore reports per resource', async () => {
    const v = await installed('c2');
    assert.deepEqual(await v.listSchedules(), []);
    await v.createSchedule('daily', '0 */6 * * *', '720h');
    assert.equal((await v.listSchedules())[0]?.schedule, '0 */6 * * *');
    const b = latestCompletedBackup(await until(() => v.listBackups(), (l) => l.some((x) => x.phase === 'Completed')));
    assert.ok(b?.name.startsWith('daily-'));
    api.setRestoreOutcome({ phase: 'PartiallyFailed', errors: { namespaces: { apps: ['error restoring persistentvolumeclaims/apps/data: volume snapshot not found'] } }, warnings: { cluster: ['could not restore, CustomResourceDefinition "x" already exists'] } });
    await v.createRestore('dr-2', b!.name, {});
    const r = await until(() => v.getRestore('dr-2'), (x) => x?.phase === 'PartiallyFailed');
    assert.equal(r?.phase, 'PartiallyFailed');
    assert.equal(r?.errors, 1);
    assert.equal(r?.warnings, 1);
    const lines = describeResults(await v.restoreResults('dr-2'));
    assert.deepEqual(lines, [
      'error namespace/apps: error restoring persistentvolumeclaims/apps/data: volume snapshot not found',
      'warning cluster: could not restore, CustomResourceDefinition "x" already exists',
    ]);
  });

  it('a restore of an unknown backup fails validation; a missing token is refused', async () => {
    const v = await installed('c3');
    await v.createRestore('bad', 'nope', {});
    const r = await v.getRestore('bad');
    assert.equal(r?.phase, 'FailedValidation');
    assert.match(r!.validationErrors[0]!, /not found/);
    const anon = await veleroFromKubeconfig(kubeconfig(`${url}/k8s-api/c3`, '""'));
    await assert.rejects(anon.listBackups(), (e: { code?: number }) => e.code === 401);
  });
});

describe('sandbox Velero: schedules run on their cron and backups land in the bucket', () => {
  let server: Awaited<ReturnType<typeof serveKubeApi>>;
  let url = '';
  let offset = 0;
  const written: { region: string; bucket: string; key: string; at: number }[] = [];
  const api = new VeleroApi({
    delays: { startMs: 10, runMs: 40 }, readyMs: 20, now: () => Date.now() + offset,
    writeObject: (region, bucket, key, _body, _type, at) => { written.push({ region, bucket, key, at }); return true; },
  });

  before(async () => {
    server = await serveKubeApi(api);
    url = server.url;
  });
  after(() => server.close());

  it('a 6-hourly schedule has taken two more backups 12 hours later, each written where Velero writes it', async () => {
    // start one minute after a 6-hour boundary, so that the next 12 hours hold exactly two due times
    const sixHours = 6 * 3600_000;
    offset = Math.ceil(Date.now() / sixHours) * sixHours + 60_000 - Date.now();
    const config = kubeconfig(`${url}/k8s-api/c1`);
    await ensureVelero(await kubeConfigFromYaml(config), { bucket: 'acme-prod-velero', region: 'fr-par', labels: {} }, { accessKey: 'SCWAAAAAAAAAAAAAAAAA', secretKey: 'not-checked-here', from: 'test' });
    const v = await veleroFromKubeconfig(config);
    assert.equal((await until(() => v.health(), (h) => h.health === 'Available')).health, 'Available');
    await v.createSchedule('prod', '0 */6 * * *', '720h');
    const first = await until(() => v.listBackups(), (l) => l.length === 1 && l[0]!.phase === 'Completed');
    assert.equal(first.length, 1);
    const start = Date.now() + offset;
    offset += 12 * 3600_000;
    const later = await until(() => v.listBackups(), (l) => l.filter((b) => b.phase === 'Completed').length === 3);
    const names = later.map((b) => b.name).sort();
    assert.equal(names.length, 3, names.join(', '));
    // the two later ones are named after the times the cron names: hours divisible by 6, minute 0
    for (const name of names.slice(1)) assert.match(name, /^prod-\d{8}(00|06|12|18)0000$/);
    const due = names.slice(1).map((n) => Date.UTC(+n.slice(5, 9), +n.slice(9, 11) - 1, +n.slice(11, 13), +n.slice(13, 15)));
    assert.deepEqual(due, [start - 60_000 + sixHours, start - 60_000 + 2 * sixHours].map((t) => Math.round(t / 60_000) * 60_000));
    // every completed backup wrote its files into the location's bucket, stamped when it finished
    for (const name of names) {
      const files = written.filter((w) => w.key.startsWith(`backups/${name}/`));
      assert.deepEqual(files.map((f) => f.key.slice(`backups/${name}/`.length)).sort(),
        [`${name}-logs.gz`, `${name}-resource-list.json.gz`, `${name}-results.gz`, `${name}.tar.gz`, 'velero-backup.json']);
      assert.ok(files.every((f) => f.region === 'fr-par' && f.bucket === 'acme-prod-velero'));
    }
    const laterFiles = written.filter((w) => w.key.startsWith(`backups/${names[2]}/`));
    assert.ok(laterFiles.every((f) => f.at > start), 'stamped with the backup\'s completion, not the read');
    // reading again writes nothing twice
    const count = written.length;
    await v.listBackups();
    assert.equal(written.length, count);
  });
});
