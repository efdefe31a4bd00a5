import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { gitlabPipeline } from '../../../src/core/dr/pipeline';
import { drReadiness, type DrFacts } from '../../../src/core/dr/readiness';
import { restorePlan } from '../../../src/core/dr/runbook';
import { apiKeyFindings } from '../../../src/core/secrets/api-keys';
import { repinSecretVersion, replaceScalar, setKey } from '../../../src/core/secrets/file-edit';
import { alphabetOf, generateSecretValue } from '../../../src/core/secrets/generate';
import { markStep, newJournal } from '../../../src/core/secrets/journal';
import { apiDurationSeconds, keyRotationReport } from '../../../src/core/secrets/keys';
import { resolveSecret, rotationPhase, SECRET_ROTATION_STEPS } from '../../../src/core/secrets/rotation';
import { validateText } from '../../../src/core/validate';

const example = readFileSync('examples/landing-zone.yaml', 'utf8');
const model = () => validateText(example).model!;
const now = new Date('2026-06-01T12:00:00Z');

describe('secret values', () => {
  it('are drawn from the declared alphabet at the declared length', () => {
    for (const alphabet of ['alphanumeric', 'hex', 'base64url', 'printable'] as const) {
      const v = generateSecretValue(64, alphabet, (n) => randomBytes(n)).toString();
      assert.equal(v.length, 64);
      for (const ch of v) assert.ok(alphabetOf(alphabet).includes(ch), `${ch} not in ${alphabet}`);
    }
  });
  it('reject biased bytes instead of folding them (uniform)', () => {
    // 62 characters: bytes 248..255 would favour the first 8 if folded
    const v = generateSecretValue(4, 'alphanumeric', () => Uint8Array.from([255, 250, 248, 0, 1, 2, 61, 62]));
    assert.equal(v.toString(), 'ABC9'.slice(0, 3) + alphabetOf('alphanumeric')[61]);
  });
});

describe('file edits keep the author\'s layout', () => {
  it('re-pins a version in block and flow style, keeping comments', () => {
    const r = repinSecretVersion(example, 'security/argocd-admin', 7);
    assert.ok(r.ok && r.changed);
    const diff = example.split('\n').filter((l, i) => l !== r.text.split('\n')[i]);
    assert.deepEqual(diff, ['        version: 1']);
    const flow = 'projects:\n  p:\n    secrets:\n      s: { path: /x, version: latest }  # comment\n';
    const f = repinSecretVersion(flow, 'p/s', 3);
    assert.ok(f.ok);
    assert.equal(f.text, 'projects:\n  p:\n    secrets:\n      s: { path: /x, version: 3 }  # comment\n');
    assert.deepEqual(repinSecretVersion(flow, 'p/nope', 3).ok, false);
  });
  it('adds a key to a block or flow mapping, or replaces it', () => {
    const block = 'projects:\n  prod:\n    role: environment\n    network:\n      a: 1\n';
    const r = setKey(block, ['projects', 'prod'], 'zone', 'fr-par-2');
    assert.ok(r.ok);
    assert.equal(r.text, 'projects:\n  prod:\n    role: environment\n    zone: fr-par-2\n    network:\n      a: 1\n');
    const again = setKey(r.text, ['projects', 'prod'], 'zone', 'fr-par-3');
    assert.ok(again.ok);
    assert.match(again.text, /zone: fr-par-3\n/);
    const flow = setKey('projects:\n  p: { role: devops }\n', ['projects', 'p'], 'zone', 'nl-ams-1');
    assert.ok(flow.ok);
    assert.equal(flow.text, 'projects:\n  p: { role: devops, zone: nl-ams-1 }\n');
    assert.equal(replaceScalar('a: [\n', ['a'], '1').ok, false);
  });
});

describe('rotation state machine', () => {
  it('starts, resumes a pending step, waits out the grace period, then finishes', () => {
    assert.deepEqual(rotationPhase(undefined, now), { phase: 'start' });
    let j = newJournal('rotate-secret', 'security/x', 'rot-1', now, [...SECRET_ROTATION_STEPS]);
    assert.deepEqual(rotationPhase(j, now), { phase: 'resume', step: 'create-version' });
    j = markStep(markStep(markStep(j, 'create-version', 'done', now), 'replicate', 'skipped', now), 'repin-file', 'done', now);
    j.outputs.graceUntil = new Date(now.getTime() + 3600_000).toISOString();
    assert.equal(rotationPhase(j, now).phase, 'grace');
    assert.equal(rotationPhase(j, new Date(now.getTime() + 3600_001)).phase, 'finish');
  });
  it('resolves a secret with its defaults, or says what is wrong in one line', () => {
    const r = resolveSecret(model(), 'security/elasticsearch-credentials');
    assert.ok(r.ok && r.value.gracePeriodSeconds === 7 * 86400 && r.value.length === 32);
    const bad = resolveSecret(model(), 'security/nope');
    assert.ok(!bad.ok && /declared: elasticsearch-credentials/.test(bad.problem));
    assert.ok(!resolveSecret(model(), 'nope').ok);
  });
});

describe('key rotation report (for drift)', () => {
  it('reports the policy, mismatches, missing policies and overdue keys', () => {
    const report = keyRotationReport(model(), [
      { ref: 'security/secrets-key', keyId: 'k1', state: 'enabled', rotationPeriod: '7776000s', nextRotationAt: new Date('2026-07-01T00:00:00Z'), lastRotatedAt: new Date('2026-05-01T00:00:00Z') },
      { ref: 'security/app-data', keyId: 'k2', state: 'enabled', rotationPeriod: '2160h', lastRotatedAt: new Date('2025-01-01T00:00:00Z') },
    ], now);
    assert.deepEqual(report.find((r) => r.ref === 'security/secrets-key')?.problems, []);
    const app = report.find((r) => r.ref === 'security/app-data')!;
    assert.equal(app.overdue, true);
    assert.match(app.problems.join('\n'), /rotation period is 90d in Key Manager, 180d in the file/);
    assert.equal(apiDurationSeconds('2160h'), 90 * 86400);
  });
});

describe('API key findings', () => {
  it('flags expired keys and applications with more than one purpose', () => {
    const m = model();
    const f = apiKeyFindings(m, [
      { accessKey: 'SCWOLD', applicationName: 'gitlab-provisioner', description: '', expiresAt: new Date('2026-05-01T00:00:00Z') },
      { accessKey: 'SCWA', applicationName: 'velero-backup', description: '', expiresAt: new Date('2026-12-01T00:00:00Z'), defaultProjectId: 'p1' },
      { accessKey: 'SCWB', applicationName: 'velero-backup', description: '', expiresAt: new Date('2026-12-01T00:00:00Z'), defaultProjectId: 'p2' },
    ], now);
    assert.ok(f.some((x) => x.ruleId === 'api-key-expired' && x.application === 'gitlab-provisioner'));
    assert.ok(f.some((x) => x.ruleId === 'application-many-purposes' && x.application === 'velero-backup' && /2 different projects/.test(x.message)));
  });
});

describe('DR readiness', () => {
  const full = (): DrFacts => ({
    databases: Object.fromEntries(['dev/main', 'staging/main', 'prod/main'].map((r) => [r, {
      found: true, region: 'fr-par', backupsEnabled: true, retentionDays: 30, sameRegion: false,
      latestGoodBackupAt: new Date(now.getTime() - 3600_000).toISOString(), backupRegions: ['fr-par', 'nl-ams'],
    }])),
    clusters: { 'prod/apps': { found: true, schedules: [{ name: 'velero', schedule: '0 */6 * * *', paused: false }], latestCompletedBackupAt: new Date(now.getTime() - 60_000).toISOString() } },
    buckets: { 'prod/velero': { found: true, versioning: 'Enabled', objectLock: true } },
    backupCopy: {
      functionFound: true, cronFound: true, cronSchedule: '0 3 * * *', status: 'ready', code: 'current', credentials: true,
      target: 'acme-devops-backup-copy (nl-ams)', newestCopyAt: new Date(now.getTime() - 2 * 3600_000).toISOString(), lastRunStatus: 'ok',
    },
  });
  it('scores 100 when every fact is in place', () => {
    const r = drReadiness(model(), full(), now);
    assert.deepEqual(r.findings, []);
    assert.equal(r.score, 100);
    assert.deepEqual(r.projects.map((p) => p.project), ['devops', 'dev', 'staging', 'prod']);
  });
  it('backups kept in one region fail for production only, as the db-backup-region policy says', () => {
    const facts = full();
    for (const ref of ['dev/main', 'prod/main']) Object.assign(facts.databases[ref]!, { sameRegion: true, backupRegions: ['fr-par'] });
    const r = drReadiness(model(), facts, now);
    assert.deepEqual(r.findings.map((f) => `${f.id} ${f.project}`), ['db-backup-other-region prod']);
    const dev = r.projects.find((p) => p.project === 'dev')!.checks.find((c) => c.id === 'db-backup-other-region')!;
    assert.equal(dev.ok, true);
    assert.match(dev.message, /backups stay in fr-par, as declared \(sameRegion: true; not production/);
  });
  it('finds stale backups, a missing lock and an unreadable cluster', () => {
    const facts = full();
    facts.databases['prod/main']!.latestGoodBackupAt = new Date(now.getTime() - 7 * 3600_000).toISOString();
    facts.buckets['prod/velero']!.objectLock = false;
    facts.clusters['prod/apps'] = { found: false, error: 'could not be read (401)' };
    const r = drReadiness(model(), facts, now);
    assert.deepEqual(r.findings.map((f) => f.id).sort(), ['bucket-object-lock', 'db-backup-fresh', 'velero-schedule']);
    assert.ok(r.projects.find((p) => p.project === 'prod')!.score < 100);
  });
  it('a new database whose schedule has not run yet says when it will, until it is older than the RPO', () => {
    const facts = full();
    const db = facts.databases['prod/main']!;
    delete db.latestGoodBackupAt;
    db.createdAt = new Date(now.getTime() - 3600_000).toISOString();
    db.nextBackupAt = new Date(now.getTime() + 23 * 3600_000).toISOString();
    const fresh = drReadiness(model(), facts, now).projects.find((p) => p.project === 'prod')!.checks.find((c) => c.id === 'db-backup-fresh')!;
    assert.equal(fresh.ok, true);
    assert.match(fresh.message, /no backup yet — created 1h ago, first automatic backup due /);
    db.createdAt = new Date(now.getTime() - 7 * 3600_000).toISOString();
    const stale = drReadiness(model(), facts, now).projects.find((p) => p.project === 'prod')!.checks.find((c) => c.id === 'db-backup-fresh')!;
    assert.deepEqual([stale.ok, /last good backup never/.test(stale.message)], [false, true]);
    db.backupsEnabled = false;
    db.createdAt = new Date(now.getTime() - 3600_000).toISOString();
    assert.equal(drReadiness(model(), facts, now).findings.some((f) => f.id === 'db-backup-fresh'), true, 'backups off: no schedule will run');
  });
  it('the copy: a function without code, a failed build, no credentials, a copy that never ran or is older than the RPO are findings', () => {
    const copy = (patch: Partial<NonNullable<DrFacts['backupCopy']>>) => {
      const facts = full();
      facts.backupCopy = { ...facts.backupCopy!, ...patch };
      return drReadiness(model(), facts, now).findings.filter((f) => f.id.startsWith('backup-copy')).map((f) => `${f.id} ${f.message}`);
    };
    assert.deepEqual(copy({ status: 'created', code: 'not deployed' }), ['backup-copy-function backup copy: the function has no code (status created); landing-zone apply uploads and deploys it']);
    assert.deepEqual(copy({ status: 'error', code: 'build error', buildError: 'handler.js is not in the zip' }), ['backup-copy-function backup copy: the function\'s build failed: handler.js is not in the zip']);
    assert.match(copy({ credentials: false })[0]!, /no SCW_ACCESS_KEY\/SCW_SECRET_KEY secret variables: set disasterRecovery.backupCopy.application/);
    assert.deepEqual(copy({ newestCopyAt: undefined, lastRunStatus: undefined }), ['backup-copy-fresh backup copy: no copy has landed in acme-devops-backup-copy (nl-ams) yet (RPO 6h)']);
    assert.deepEqual(copy({ newestCopyAt: new Date(now.getTime() - 30 * 3600_000).toISOString() }), ['backup-copy-fresh backup copy: newest copy in acme-devops-backup-copy (nl-ams) 30h ago (RPO 6h)']);
    assert.deepEqual(copy({ lastRunStatus: 'partial', lastRunErrors: ['velero object x: AccessDenied'] }),
      ['backup-copy-fresh backup copy: newest copy in acme-devops-backup-copy (nl-ams) 2h ago (RPO 6h); the last run was partial: velero object x: AccessDenied']);
    assert.deepEqual(copy({ copyError: 'the DR bucket acme-devops-backup-copy (nl-ams) could not be read (AccessDenied)' }),
      ['backup-copy-fresh backup copy: the DR bucket acme-devops-backup-copy (nl-ams) could not be read (AccessDenied)']);
    assert.deepEqual(copy({ code: 'outdated' }), [], 'other code that is ready still copies');
  });
});

describe('restore runbooks', () => {
  it('lists the steps of a zone and a region restore of prod', () => {
    const z = restorePlan(model(), 'zone', 'prod');
    assert.ok(z.ok);
    assert.deepEqual(z.plan.steps.map((s) => s.id), ['db-main-instance', 'db-main-restore', 'cluster-apps', 'velero-apps', 'endpoint-main', 'repoint-file']);
    assert.equal(z.plan.targetZone, 'fr-par-2');
    const r = restorePlan(model(), 'region', 'prod', { toRegion: 'pl-waw' });
    assert.ok(r.ok);
    assert.equal(r.plan.steps[0]!.id, 'network');
    assert.equal(r.plan.targetZone, 'pl-waw-1');
  });
  it('refuses what cannot work, saying how to fix it', () => {
    const same = restorePlan(model(), 'zone', 'prod', { fromZone: 'fr-par-2' });
    assert.ok(!same.ok && /fallback zone fr-par-2 is the failed zone/.test(same.problem));
    const own = restorePlan(model(), 'region', 'prod', { toRegion: 'fr-par' });
    assert.ok(!own.ok && /own region/.test(own.problem));
    const nothing = restorePlan(model(), 'zone', 'security');
    assert.ok(!nothing.ok && /nothing to restore/.test(nothing.problem));
    assert.ok(!restorePlan(model(), 'zone', 'nope').ok);
  });
});

describe('GitLab pipeline', () => {
  it('is valid YAML with manual, non-failing-open gates per project and kind', () => {
    const doc = parse(gitlabPipeline(model())) as Record<string, { rules?: { when?: string; allow_failure?: boolean }[]; needs?: string[]; script?: string[] }>;
    const job = doc['dr:restore-region:prod']!;
    assert.equal(job.rules?.[0]?.when, 'manual');
    assert.equal(job.rules?.[0]?.allow_failure, false);
    assert.deepEqual(job.needs, ['dr:restore-region:prod:dry-run']);
    assert.match(job.script![0]!, /restore region --project prod --to-region nl-ams/);
    assert.ok(doc['dr:check']);
    assert.ok(!doc['dr:restore-zone:security']);
  });
});

describe('generated payloads by secret type', () => {
  it('replace only the password of credentials, refuse what cannot be made up', async () => {
    const { generatedPayload } = await import('../../../src/core/secrets/payload');
    const g = Buffer.from('n3w');
    assert.equal(generatedPayload('p/s', 'opaque', g).ok, true);
    const db = generatedPayload('p/s', 'database_credentials', g, Buffer.from('{"engine":"postgres","username":"app","password":"old","host":"10.0.0.1","port":"5432"}'));
    assert.ok(db.ok);
    assert.deepEqual(JSON.parse(db.value.toString()), { engine: 'postgres', username: 'app', password: 'n3w', host: '10.0.0.1', port: '5432' });
    const none = generatedPayload('p/s', 'basic_credentials', g);
    assert.ok(!none.ok && /--value-from stdin/.test(none.problem));
    const kv = generatedPayload('p/s', 'key_value', g);
    assert.ok(!kv.ok && /cannot be generated/.test(kv.problem));
  });
});

describe('key rotation from the drift inventory', () => {
  it('reads the inventory\'s key resources', async () => {
    const { keyRotationsFromInventory } = await import('../../../src/core/secrets/keys');
    const live = keyRotationsFromInventory([{
      kind: 'key', scalewayId: 'k1', naturalId: 'security/key/secrets-key', projectId: 'p', projectName: 'security', name: 'secrets-key', tags: [],
      fields: { usage: 'symmetric_encryption', rotationPeriod: 7776000 }, attrs: { state: 'enabled', rotatedAt: '2026-05-01T00:00:00Z', nextRotationAt: '2026-07-30T00:00:00Z' },
    }]);
    assert.deepEqual(keyRotationReport(model(), live, now).find((r) => r.ref === 'security/secrets-key')?.problems, []);
  });
});
