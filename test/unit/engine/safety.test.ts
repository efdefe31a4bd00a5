import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { after, before, describe, it, test } from 'node:test';
import { UsageError } from '../../../src/cli/command';
import { failure } from '../../../src/cli/main';
import { CancelledError, httpStatus, isCancelled, OperationError } from '../../../src/core/errors';
import { redact } from '../../../src/core/redact';
import { describeFailure } from '../../../src/scaleway/operations/operation-session';
import { failedLocalityGuard } from '../../../src/scaleway/operations/restore';
import { LockBusyError } from '../../../src/scaleway/operations/lock';
import { CredentialsError } from '../../../src/scaleway/profiles';
import { arrangeDr, drFile } from '../ops/dr-scenario';
import { type Arranged, runCli, scenario } from '../ops/helpers';

describe('restore region with no copy in the fallback region', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ({ a, dir, path, env } = await scenario(drFile));
    await arrangeDr(a, env);
  });
  after(() => a.sandbox.close());

  it('refuses before any write, and never sends a request that writes to fr-par', async () => {
    const start = a.sandbox.requestLog.length;
    const r = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--yes'], env, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no copy of a backup of prod\/main in nl-ams: a region restore restores only from copies in the fallback region, never from \(or into\) fr-par, the failed region\. Nothing was created/);
    const log = a.sandbox.requestLog.slice(start);
    assert.ok(log.length > 0, 'it read the account');
    assert.deepEqual(log.filter((e) => e.method !== 'GET' && e.method !== 'HEAD'), [], 'no write at all');
    assert.deepEqual(log.filter((e) => e.path.includes('/backups/') && e.path.endsWith('/restore')), []);
  });

  it('the dry run lists only reads of fr-par: the backup restore and the endpoint version go to nl-ams', async () => {
    const r = await runCli(['restore', 'region', '--project', 'prod', '--file', path, '--dry-run'], env, dir);
    assert.equal(r.code, 0, r.stderr);
    const writes = r.stdout.split('\n').filter((l) => /^\s+(POST|PATCH|PUT|DELETE) /.test(l));
    assert.ok(writes.length >= 4, r.stdout);
    for (const w of writes) assert.doesNotMatch(w, /fr-par/, w);
    assert.match(r.stdout, /POST \/rdb\/v1\/regions\/nl-ams\/backups\/\{backup\}\/restore/);
    assert.match(r.stdout, /POST \/secret-manager\/v1beta1\/regions\/nl-ams\/secrets\/\{secret\}\/versions/);
  });
});

test('the restore write guard: the failed zone, or the failed region and its zones; reads and other places pass', () => {
  const region = failedLocalityGuard({ kind: 'region', sourceRegion: 'fr-par', sourceZone: 'fr-par-1' });
  assert.match(region('POST', '/rdb/v1/regions/fr-par/backups/b/restore') ?? '', /fr-par is the failed region/);
  assert.match(region('POST', '/lb/v1/zones/fr-par-2/lbs') ?? '', /fr-par is the failed region/);
  assert.equal(region('POST', '/rdb/v1/regions/nl-ams/instances'), undefined);
  assert.equal(region('POST', '/account/v3/projects'), undefined);
  const zone = failedLocalityGuard({ kind: 'zone', sourceRegion: 'fr-par', sourceZone: 'fr-par-1' });
  assert.match(zone('POST', '/lb/v1/zones/fr-par-1/lbs') ?? '', /fr-par-1 is the failed zone/);
  assert.equal(zone('POST', '/lb/v1/zones/fr-par-2/lbs'), undefined);
  assert.equal(zone('POST', '/rdb/v1/regions/fr-par/instances'), undefined, 'a zone restore writes to the (surviving) region');
});

test('one redaction: the user information of any URL, credential assignments, known secrets', () => {
  assert.equal(redact('connect ECONNREFUSED http://user:0badc0de-key@127.0.0.1:1/rdb/v1'), 'connect ECONNREFUSED http://***@127.0.0.1:1/rdb/v1');
  assert.equal(redact('API https://token@api.example.com'), 'API https://***@api.example.com');
  assert.equal(redact('mail admin@example.com at http://example.com/a@b'), 'mail admin@example.com at http://example.com/a@b');
  assert.equal(redact('SCW_SECRET_KEY=abc123 and x-auth-token: zzz'), 'SCW_SECRET_KEY=*** and x-auth-token: ***');
  assert.equal(redact('the value s3cr3t-v4lue leaked', ['s3cr3t-v4lue']), 'the value *** leaked');
});

test('an API URL with credentials in it is never echoed: drift, plan, apply, dr check, rotate-key', async () => {
  const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'lz-redact-'));
  const org = '11111111-2222-4333-8444-555555555555';
  (await import('node:fs')).writeFileSync(`${dir}/landing-zone.yaml`, `version: 1\norganization: { id: ${org}, name: acme }\ndefaults: { region: fr-par, zone: fr-par-1 }\nprojects:\n  security:\n    role: security\n    keys:\n      k: { usage: symmetric_encryption, rotationPeriod: 90d }\n`);
  const env = { SCW_CONFIG_PATH: '/nonexistent/c.yaml', SCW_ACCESS_KEY: 'SCWXXXXXXXXXXXXXXXXX', SCW_SECRET_KEY: '0badc0de-0000-4000-8000-000000000001', SCW_DEFAULT_ORGANIZATION_ID: org, SCW_API_URL: 'http://apiuser:hunter2-url-password@127.0.0.1:9', LZ_RETRY_ATTEMPTS: '1' };
  for (const cmd of [['drift'], ['plan'], ['apply', '--yes'], ['dr', 'check'], ['rotate-key', 'security/k']]) {
    const r = await runCli(cmd, env, dir);
    assert.notEqual(r.code, 0, cmd.join(' '));
    assert.ok(!(r.stdout + r.stderr).includes('hunter2'), `${cmd.join(' ')}: ${r.stderr}`);
    assert.ok(!(r.stdout + r.stderr).includes('apiuser'), `${cmd.join(' ')}: ${r.stderr}`);
  }
});

test('exit codes: usage 2, refused credentials and failed operations 1, locked 75, cancelled 130, internal 70 — messages redacted', () => {
  const run = (err: unknown) => {
    let text = '';
    const code = failure('x', err, { stderr: new Writable({ write(c, _e, cb) { text += String(c); cb(); } }), env: {} }, 'usage');
    return { code, text };
  };
  assert.equal(run(new UsageError('bad')).code, 2);
  assert.equal(run(new CredentialsError('refused')).code, 1);
  assert.equal(run(new OperationError('not found')).code, 1);
  const holder = { pid: 1, host: 'h', startedAt: 't', command: 'apply', organizationId: 'o', surface: 'cli', token: 'k' };
  assert.equal(run(new LockBusyError(holder, '/x.lock', 0)).code, 75);
  assert.equal(run(new CancelledError()).code, 130);
  const internal = run(new TypeError('cannot read properties of undefined (GET http://u:pw-secret@h/x)'));
  assert.equal(internal.code, 70);
  assert.equal(internal.text, 'landing-zone x: internal error: cannot read properties of undefined (GET http://***@h/x)\n');
  // another bundle's error: same name, another class
  const foreign = Object.assign(new Error('held'), { name: 'LockBusyError' });
  assert.equal(run(foreign).code, 75);
});

test('one error model: cancellation and HTTP status recognised by name and by the field the SDK sets', () => {
  assert.ok(isCancelled(new CancelledError()));
  assert.ok(isCancelled(Object.assign(new Error('x'), { name: 'CancelledError' })), 'from another bundle');
  assert.ok(isCancelled(Object.assign(new Error('Canceled'), { name: 'Canceled' })), "VS Code's CancellationError");
  assert.ok(isCancelled(new DOMException('aborted', 'AbortError')));
  assert.ok(!isCancelled(new Error('cancelled')));
  // @scaleway/sdk-client's ScalewayError sets `status`; statusCode is not a field it has
  assert.equal(httpStatus(Object.assign(new Error('http error 404'), { name: 'ScalewayError', status: 404 })), 404);
  assert.equal(httpStatus({ statusCode: 404 }), undefined);
  assert.equal(describeFailure(Object.assign(new Error('http error 409: resource is in a transient state'), { name: 'ScalewayError', status: 409 })).message, 'Scaleway API error 409: http error 409: resource is in a transient state');
});
