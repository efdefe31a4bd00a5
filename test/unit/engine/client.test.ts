import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { readOnlyClients, writeClients } from '../../../src/scaleway/client';
import { ReadOnlyViolation } from '../../../src/scaleway/http';
import { resolveProfile, type ScalewayProfile } from '../../../src/scaleway/profiles';

let sb: Sandbox;
let profile: ScalewayProfile;

before(async () => {
  sb = await startSandbox({ transitionMs: 0 });
  profile = await resolveProfile({
    env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId },
  });
});
after(async () => { await sb.close(); });

const fastRetry = { attempts: 10, baseDelayMs: 5, maxDelayMs: 50 };

test('the read-only client reads and refuses every write before it leaves the process', async () => {
  const ro = readOnlyClients(profile, { retry: fastRetry });
  const before = sb.requestLog.length;
  const projects = await ro.account.listProjects({ organizationId: profile.organizationId }).all();
  assert.ok(projects.length >= 1);
  await assert.rejects(ro.account.createProject({ name: 'x', description: '', organizationId: profile.organizationId }), ReadOnlyViolation);
  await assert.rejects(ro.vpc.createPrivateNetwork({ region: 'fr-par', name: 'x', defaultRoutePropagationEnabled: false }), ReadOnlyViolation);
  assert.equal(sb.requestLog.length - before, 1, 'only the GET reached the server');
});

test('429 (empty body, no Retry-After), 503 and resets are retried until they succeed', async () => {
  const rw = writeClients(profile, { retry: fastRetry });
  sb.setFaults({ rate429: 0.3, rate503: 0.2, rateReset: 0.1, seed: 7 });
  try {
    for (let i = 0; i < 30; i += 1) {
      const list = await rw.account.listProjects({ organizationId: profile.organizationId });
      assert.ok(list.totalCount >= 1);
    }
  } finally {
    sb.setFaults({});
  }
  assert.ok(rw.stats.retries > 0, 'some requests were retried');
  assert.ok((rw.stats.byStatus[429] ?? 0) > 0 && (rw.stats.byStatus[503] ?? 0) > 0 && (rw.stats.byStatus[0] ?? 0) > 0, JSON.stringify(rw.stats));
});

test('retries are bounded: a permanently failing endpoint surfaces the error', async () => {
  const rw = writeClients(profile, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
  sb.setFaults({ rate503: 1 });
  try {
    await assert.rejects(rw.account.listProjects({ organizationId: profile.organizationId }), (err: Error & { status?: number }) => err.status === 503 || /503|upstream/.test(err.message));
  } finally {
    sb.setFaults({});
  }
  assert.equal(rw.stats.requests, 3);
});

test('the concurrency limit bounds requests in flight', async () => {
  sb.setLatency(20);
  try {
    const ro = readOnlyClients(profile, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => ro.account.listProjects({ organizationId: profile.organizationId })));
    assert.equal(ro.stats.peakInFlight, 3);
    assert.equal(ro.stats.requests, 12);
  } finally {
    sb.setLatency(0);
  }
});

test('errors never carry the secret key', async () => {
  const bad = await resolveProfile({ secretKey: '00000000-0000-0000-0000-000000000000', env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId } });
  const ro = readOnlyClients(bad, { retry: fastRetry });
  await assert.rejects(ro.account.listProjects({}), (err: Error) => {
    assert.ok(!JSON.stringify(err).includes(sb.secretKey) && !String(err.stack).includes('00000000-0000-0000-0000-000000000000'));
    return true;
  });
});

test('the semaphore serves waiting requests by priority, then in arrival order', async () => {
  const { Semaphore } = await import('../../../src/scaleway/http');
  const sem = new Semaphore(1);
  await sem.acquire();
  const order: string[] = [];
  const wait = (name: string, p: number) => sem.acquire(p).then(() => { order.push(name); sem.release(); });
  const all = Promise.all([wait('a0', 0), wait('b2', 2), wait('c0', 0), wait('d2', 2), wait('e1', 1)]);
  sem.release();
  await all;
  assert.deepEqual(order, ['b2', 'd2', 'e1', 'a0', 'c0']);
});

test('a refused secret key stops the read with what to fix, instead of "not checked" for every kind', async () => {
  const { readInventory } = await import('../../../src/scaleway/inventory');
  const { CredentialsError } = await import('../../../src/scaleway/profiles');
  const wrong = '0badc0de-0000-4000-8000-000000000000';
  const bad = await resolveProfile({ secretKey: wrong, env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId } });
  await assert.rejects(readInventory(readOnlyClients(bad, { retry: fastRetry }), { organizationId: sb.organizationId, regions: ['fr-par'] }), (err: Error) => {
    assert.ok(err instanceof CredentialsError, String(err));
    assert.match(err.message, new RegExp(`refused the credentials of profile .*access key ${sb.accessKey}`));
    assert.match(err.message, /denied authentication/);
    assert.match(err.message, /Sign In again|SCW_SECRET_KEY/);
    assert.ok(!err.message.includes(wrong), 'the secret key is not in the message');
    return true;
  });
});

test('a view of the clients at a priority sends first when requests queue, in the same budget and counters', async (t) => {
  // a sandbox of its own: requests an earlier test left in flight (retries, readers after a refusal) would interleave in the shared one's log
  const sb = await startSandbox({ transitionMs: 0 });
  t.after(() => sb.close());
  const own = await resolveProfile({ env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId } });
  const profile = own;
  const c = readOnlyClients(profile, { retry: fastRetry, concurrency: 1 });
  assert.equal(c.at(0), c, 'priority 0 is the clients themselves');
  assert.equal(c.at(5), c.at(5), 'one view per priority');
  assert.equal(c.at(5).stats, c.stats);
  const before = sb.requestLog.length;
  const requests = c.stats.requests;
  // the first takes the one slot; the others queue: the later but higher one goes first
  const first = c.account.listProjects({ organizationId: profile.organizationId });
  const low = c.vpc.listPrivateNetworks({ region: 'fr-par' });
  const high = c.at(5).iam.listApplications({ organizationId: profile.organizationId });
  await Promise.all([first, low, high]);
  const paths = sb.requestLog.slice(before).map((r) => r.path);
  assert.equal(paths.length, 3);
  assert.match(paths[0]!, /\/account\/v3\/projects/);
  assert.match(paths[1]!, /\/iam\/v1alpha1\/applications/);
  assert.match(paths[2]!, /\/vpc\/v2\/regions\/fr-par\/private-networks/);
  assert.equal(c.stats.requests - requests, 3);
  // a view keeps the read-only guard
  await assert.rejects(c.at(5).account.createProject({ name: 'x', description: '', organizationId: profile.organizationId }), ReadOnlyViolation);
});

test('a request\'s body is sent as it was given, whether read from the request\'s state or through its stream', async () => {
  const { limitedFetch } = await import('../../../src/scaleway/http');
  const sent: (string | undefined)[] = [];
  const http = limitedFetch({ fetch: (async (_url: string, init: { body?: string }) => { sent.push(init.body); return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }); }) as unknown as typeof fetch });
  const text = JSON.stringify({ name: 'prod', description: 'é ✓ "quoted"', tags: ['lz:managed'] });
  await http.fetch(new Request('http://127.0.0.1:9/x', { method: 'POST', body: text }));
  // not a string: no source to take, read through the stream
  await http.fetch(new Request('http://127.0.0.1:9/x', { method: 'POST', body: new TextEncoder().encode(text) }));
  await http.fetch(new Request('http://127.0.0.1:9/x', { method: 'GET' }));
  assert.deepEqual(sent, [text, text, undefined]);
});
