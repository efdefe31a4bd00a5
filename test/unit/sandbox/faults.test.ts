// Fault injection (429 exactly as recorded, 503, connection resets), latency and the request log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Vpc } from '@scaleway/sdk';
import { startSandbox } from '../../../src/sandbox/server';
import { clientFor, loose, raw } from './helpers';

/** Status of each of n identical requests; 0 for a reset connection. */
async function statuses(url: string, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    try {
      const res = await fetch(`${url}/vpc/v2/regions/fr-par/private-networks`, { headers: { 'X-Auth-Token': token } });
      await res.arrayBuffer();
      out.push(res.status);
    } catch {
      out.push(0);
    }
  }
  return out;
}

test('faults are reproducible from the seed, and every kind shows up', async () => {
  const faults = { rate429: 0.3, rate503: 0.2, rateReset: 0.1, seed: 42 };
  const a = await startSandbox({ faults });
  const b = await startSandbox({ faults });
  try {
    const sa = await statuses(a.url, a.secretKey, 60);
    const sb = await statuses(b.url, b.secretKey, 60);
    assert.deepEqual(sa, sb);
    for (const code of [200, 429, 503, 0]) assert.ok(sa.includes(code), `expected some ${code} in ${sa.join(',')}`);
    b.setFaults({ ...faults, seed: 43 });
    assert.notDeepEqual(await statuses(b.url, b.secretKey, 60), sa);
    // the log records resets as status 0, and every other answer with its status
    assert.deepEqual(a.requestLog.map((e) => e.status), sa);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a 429 is exactly what Envoy answered in the recordings: empty body, X-Envoy-Ratelimited, no Retry-After', async () => {
  const sb = await startSandbox({ faults: { rate429: 1 } });
  try {
    const r = await raw(sb, 'GET', '/vpc/v2/regions/fr-par/private-networks');
    assert.equal(r.status, 429);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('x-envoy-ratelimited'), 'true');
    assert.equal(r.headers.get('retry-after'), null);
    // and the SDK, which never retries, surfaces it as an error with status 429
    await assert.rejects(loose(new Vpc.v2.API(clientFor(sb))).listPrivateNetworks({}), (e: { status?: number }) => e.status === 429);
  } finally {
    await sb.close();
  }
});

test('per-endpoint faults hit only that endpoint', async () => {
  const sb = await startSandbox({ faults: { perEndpoint: { 'GET /vpc/v2/regions/{region}/private-networks': { rate503: 1 } } } });
  try {
    assert.equal((await raw(sb, 'GET', '/vpc/v2/regions/fr-par/private-networks')).status, 503);
    assert.equal((await raw(sb, 'GET', '/vpc/v2/regions/fr-par/vpcs')).status, 200);
    sb.setFaults({ perEndpoint: { '/lb/v1/': { rate429: 1 } } });
    assert.equal((await raw(sb, 'GET', '/lb/v1/zones/fr-par-1/lbs')).status, 429);
    assert.equal((await raw(sb, 'GET', '/vpc/v2/regions/fr-par/private-networks')).status, 200);
  } finally {
    await sb.close();
  }
});

test('latency is added to every answer', async () => {
  const sb = await startSandbox({ latencyMs: 60 });
  try {
    const t0 = performance.now();
    await raw(sb, 'GET', '/account/v3/projects');
    assert.ok(performance.now() - t0 >= 55);
    assert.ok(sb.requestLog[0]!.ms >= 55);
    sb.setLatency(0);
  } finally {
    await sb.close();
  }
});

test('the request log holds method, path, status and time — never a token, a query or a body', async () => {
  const sb = await startSandbox();
  try {
    const client = clientFor(sb);
    const { Secret } = await import('@scaleway/sdk');
    const sm = loose(new Secret.v1beta1.API(client));
    const s = await sm.createSecret({ name: 'db-password' });
    await sm.createSecretVersion({ secretId: s.id, data: Buffer.from('hunter2-very-secret').toString('base64') });
    await sm.accessSecretVersion({ secretId: s.id, revision: 'latest' });
    await loose(new Vpc.v2.API(client)).listPrivateNetworks({ tags: ['lz:managed'] });
    await raw(sb, 'GET', '/account/v3/projects', undefined, { 'X-Auth-Token': 'not-a-valid-token' });
    const text = JSON.stringify(sb.requestLog);
    for (const secret of [sb.secretKey, 'hunter2', Buffer.from('hunter2-very-secret').toString('base64'), 'lz:managed', 'not-a-valid-token']) {
      assert.ok(!text.includes(secret), `log leaks ${secret}`);
    }
    for (const e of sb.requestLog) assert.deepEqual(Object.keys(e).sort(), ['method', 'ms', 'path', 'status']);
    assert.deepEqual(sb.requestLog.map((e) => `${e.method} ${e.status}`), ['POST 200', 'POST 200', 'GET 200', 'GET 200', 'GET 401']);
  } finally {
    await sb.close();
  }
});
