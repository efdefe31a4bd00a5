import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { lockTimeoutMs } from '../../../src/cli/options';
import { acquireOrganizationLock, lockPath, readLock } from '../../../src/scaleway/operations/lock';
import { runCli } from '../ops/helpers';
import { duplicates, exampleText, sandboxEnv } from './helpers';

let sb: Sandbox;

before(async () => {
  sb = await startSandbox({ transitionMs: 10 });
});
after(async () => { await sb.close(); });

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-lock-'));
  writeFileSync(join(dir, 'landing-zone.yaml'), exampleText(sb));
  return dir;
}

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(String(r.stdout));
}

test('two apply --yes on one file at once: one at a time, the second plans from what the first made; 0 duplicated resources', async () => {
  const dir = folder();
  const env = sandboxEnv(sb);
  const [a, b] = await Promise.all([
    runCli(['apply', '--yes', '--lock-timeout', '10m'], env, dir),
    runCli(['apply', '--yes', '--lock-timeout', '10m'], env, dir),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const waited = [a, b].filter((r) => /waiting up to 600 s for apply \(cli, pid \d+ on .+, since .+\) to finish/.test(r.stderr));
  assert.equal(waited.length, 1, 'exactly one of them waited for the other');
  // the one that waited found everything made: nothing left to do
  assert.match(waited[0]!.stdout, /No changes in what could be read; 1 declared resource\(s\) not checked/);
  assert.deepEqual(duplicates(sb), []);
  assert.equal(await readLock(dir, sb.organizationId), undefined, 'the lock is released');
  const drift = await runCli(['drift', '--accept-not-checked', 'sso'], env, dir);
  assert.equal(drift.code, 0, drift.stdout + drift.stderr);
});

test('without --lock-timeout the second apply refuses at once, naming the holder (exit 75), and changes nothing', async () => {
  const dir = folder();
  const held = await acquireOrganizationLock({ dir, organizationId: sb.organizationId, command: 'rotate-secret security/x', surface: 'vscode' });
  try {
    const before = sb.requestLog.filter((e) => e.method !== 'GET').length;
    const r = await runCli(['apply', '--yes'], sandboxEnv(sb), dir);
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`another operation holds organisation ${sb.organizationId}: rotate-secret security/x \\(vscode, pid ${process.pid} on ${hostname()}, since \\S+\\); wait for it to finish or pass --lock-timeout`));
    assert.equal(sb.requestLog.filter((e) => e.method !== 'GET').length, before, 'no write was sent');
    // rotations and restores take the same lock
    const rot = await runCli(['rotate-key', 'security/secrets-key'], sandboxEnv(sb), dir);
    assert.equal(rot.code, 75, rot.stderr);
    assert.match(rot.stderr, /landing-zone rotate-key: another operation holds organisation/);
    const restore = await runCli(['restore', 'zone', '--project', 'prod', '--yes'], sandboxEnv(sb), dir);
    assert.equal(restore.code, 75, restore.stderr);
    // a read-only run does not need it
    const check = await runCli(['rotate-key', 'security/secrets-key', '--check'], sandboxEnv(sb), dir);
    assert.notEqual(check.code, 75, check.stderr);
  } finally {
    await held.release();
  }
  assert.equal(await readLock(dir, sb.organizationId), undefined);
});

test('a dead holder on this host is taken over with a message; a holder on another host is honoured', async () => {
  const dir = folder();
  mkdirSync(join(dir, '.landing-zone', 'locks'), { recursive: true });
  const path = lockPath(dir, sb.organizationId);
  const dead = deadPid();
  writeFileSync(path, JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'apply', organizationId: sb.organizationId, surface: 'cli', token: 't1' }));
  assert.equal((await readLock(dir, sb.organizationId))?.alive, false);
  const r = await runCli(['rotate-key', 'security/secrets-key'], sandboxEnv(sb), dir);
  assert.match(r.stderr, new RegExp(`taking over the lock of apply \\(cli, pid ${dead} on ${hostname()}, since 2026-01-01T00:00:00.000Z\\): that process is no longer running`));
  assert.notEqual(r.code, 75);
  assert.equal(await readLock(dir, sb.organizationId), undefined, 'released after the run');

  writeFileSync(path, JSON.stringify({ pid: 4242, host: 'ci-runner-7', startedAt: '2026-01-01T00:00:00.000Z', command: 'apply', organizationId: sb.organizationId, surface: 'cli', token: 't2' }));
  const t0 = Date.now();
  const other = await runCli(['apply', '--yes', '--lock-timeout', '1'], sandboxEnv(sb), dir);
  assert.equal(other.code, 75);
  assert.ok(Date.now() - t0 >= 900, 'it waited for the timeout');
  assert.match(other.stderr, /apply \(cli, pid 4242 on ci-runner-7, since 2026-01-01T00:00:00.000Z\) \(waited 1 s\)/);
  assert.match(other.stderr, new RegExp(`delete ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // no temporary file is left behind by the attempts
  assert.deepEqual(readdirSync(join(dir, '.landing-zone', 'locks')), [`${sb.organizationId}.lock`]);
});

test('two takers of one dead lock: exactly one gets it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-lock-'));
  mkdirSync(join(dir, '.landing-zone', 'locks'), { recursive: true });
  const org = '11111111-1111-4111-8111-111111111111';
  writeFileSync(lockPath(dir, org), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'x', command: 'apply', organizationId: org, surface: 'cli', token: 'dead' }));
  const results = await Promise.allSettled([1, 2, 3, 4].map(() => acquireOrganizationLock({ dir, organizationId: org, command: 'apply', pollMs: 5 })));
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status === 'rejected' ? String(r.reason) : 'ok')));
  for (const r of results) if (r.status === 'rejected') assert.match(String(r.reason), /LockBusyError|another operation holds/);
  await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireOrganizationLock>>>).value.release();
});

test('--lock-timeout takes seconds or a unit; anything else is a usage error', () => {
  assert.equal(lockTimeoutMs(undefined), 0);
  assert.equal(lockTimeoutMs('30'), 30_000);
  assert.equal(lockTimeoutMs('1.5s'), 1500);
  assert.equal(lockTimeoutMs('5m'), 300_000);
  assert.throws(() => lockTimeoutMs('soon'), /--lock-timeout must be a duration such as 30, 30s, 5m or 1h, not "soon"/);
  assert.throws(() => lockTimeoutMs('48h'), /at most 24h/);
});
