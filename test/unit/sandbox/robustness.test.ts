// Bad input never crashes the server nor corrupts its state, and gets the real API's error bodies.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { Lb } from '@scaleway/sdk';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { clientFor, loose, raw } from './helpers';

let sb: Sandbox;
before(async () => { sb = await startSandbox({ transitionMs: 0, maxBodyBytes: 64 * 1024 }); });
after(() => sb.close());

const PN = '/vpc/v2/regions/fr-par/private-networks';

test('authentication: missing, malformed and unknown tokens get the real 401 bodies', async () => {
  const missing = await fetch(`${sb.url}${PN}`);
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('content-type'), 'application/json');
  assert.deepEqual(await missing.json(), { message: 'authentication is denied', method: 'api_key', reason: 'invalid_argument', type: 'denied_authentication' });
  const unknown = await raw(sb, 'GET', PN, undefined, { 'X-Auth-Token': '00000000-0000-4000-8000-000000000000' });
  assert.deepEqual(unknown.json, { message: 'authentication is denied', method: 'api_key', reason: 'not_found', type: 'denied_authentication' });
});

test('malformed JSON, wrong types and missing fields get invalid_arguments with details', async () => {
  const malformed = await raw(sb, 'POST', PN, '{"name": ');
  assert.equal(malformed.status, 400);
  assert.equal((malformed.json as { type: string }).type, 'invalid_arguments');
  const wrongType = await raw(sb, 'POST', PN, JSON.stringify({ name: 42, tags: 'not-a-list' }));
  assert.equal(wrongType.status, 400);
  const details = (wrongType.json as { details: { argument_name: string; reason: string }[] }).details;
  assert.deepEqual(details.map((d) => [d.argument_name, d.reason]).sort(), [['name', 'format'], ['tags', 'format']]);
  const missing = await raw(sb, 'POST', '/lb/v1/zones/fr-par-1/frontends/00000000-0000-4000-8000-000000000000/acls', JSON.stringify({}));
  assert.equal(missing.status, 404, 'the frontend is checked before the body');
  const noVersion = await raw(sb, 'POST', '/k8s/v1/regions/fr-par/clusters', JSON.stringify({ name: 'x', cni: 'cilium' }));
  assert.deepEqual((noVersion.json as { details: unknown[] }).details, [{ argument_name: 'version', reason: 'required', help_message: 'required argument is missing' }]);
  const badRegion = await raw(sb, 'GET', '/vpc/v2/regions/mars-1/private-networks');
  assert.equal(badRegion.status, 400);
  const badPage = await raw(sb, 'GET', `${PN}?page=0`);
  assert.equal(badPage.status, 400);
});

test('unknown ids: standard not_found bodies, and the LB/Functions ones without type', async () => {
  const id = '00000000-0000-4000-8000-000000000000';
  assert.deepEqual((await raw(sb, 'GET', `/vpc-gw/v2/zones/fr-par-1/gateways/${id}`)).json, { message: 'resource is not found', resource: 'gateway', resource_id: id, type: 'not_found' });
  assert.deepEqual((await raw(sb, 'GET', `/lb/v1/zones/fr-par-1/lbs/${id}`)).json, { message: 'lbs not Found' });
  assert.deepEqual((await raw(sb, 'DELETE', `/functions/v1beta1/regions/fr-par/crons/${id}`)).json, { message: 'Cron was not found' });
  assert.equal((await raw(sb, 'GET', '/no/such/api')).status, 404);
  assert.equal((await raw(sb, 'GET', `${PN}/%E0%A4%A`)).status, 404);
});

test('oversized bodies are refused with 413 and the server keeps serving', async () => {
  const huge = JSON.stringify({ name: 'x', tags: ['a'.repeat(200 * 1024)] });
  const r = await raw(sb, 'POST', PN, huge);
  assert.equal(r.status, 413);
  assert.equal((await raw(sb, 'GET', PN)).status, 200);
});

test('garbage on the socket and aborted requests do not crash the server', async () => {
  await new Promise<void>((resolve) => {
    const s = connect(sb.port, '127.0.0.1', () => s.end('NOT HTTP AT ALL\r\n\r\n'));
    let answer = '';
    s.on('data', (d: Buffer) => { answer += d.toString(); });
    s.on('close', () => {
      assert.match(answer, /^HTTP\/1\.1 400/);
      resolve();
    });
    s.on('error', () => resolve());
  });
  await new Promise<void>((resolve) => {
    const s = connect(sb.port, '127.0.0.1', () => {
      s.write(`POST ${PN} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${sb.secretKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
      setTimeout(() => s.destroy(), 20);
    });
    s.on('close', () => resolve());
  });
  assert.equal((await raw(sb, 'GET', PN)).status, 200);
});

test('a request that fails half-way leaves no partial change (atomic per request)', async () => {
  const lb = loose(new Lb.v1.ZonedAPI(clientFor(sb)));
  const ip = await lb.createIp({ isIpv6: false });
  const before = sb.state.count('lb.lb');
  // the first IP is attached before the second one is found missing: everything must roll back
  const r = await raw(sb, 'POST', '/lb/v1/zones/fr-par-1/lbs', JSON.stringify({ name: 'half', type: 'LB-S', ip_ids: [ip.id, '00000000-0000-4000-8000-000000000000'] }));
  assert.equal(r.status, 404);
  assert.equal(sb.state.count('lb.lb'), before);
  assert.equal((await lb.getIp({ ipId: ip.id })).lbId, null, 'the first IP was attached and must have been detached again');
});

test('quotas_exceeded when a project reaches its limit', async () => {
  const small = await startSandbox({ quotas: { 'vpcgw.gateway': 1 } });
  try {
    assert.equal((await raw(small, 'POST', '/vpc-gw/v2/zones/fr-par-1/gateways', JSON.stringify({ name: 'one' }))).status, 200);
    const r = await raw(small, 'POST', '/vpc-gw/v2/zones/fr-par-1/gateways', JSON.stringify({ name: 'two' }));
    assert.equal(r.status, 403);
    assert.equal((r.json as { type: string }).type, 'quotas_exceeded');
    assert.equal(small.state.count('vpcgw.gateway'), 1);
  } finally {
    await small.close();
  }
});

test('the sandbox refuses to listen on a non-loopback address', async () => {
  await assert.rejects(startSandbox({ host: '0.0.0.0' }), /loopback only/);
});

test('many concurrent writers: every create lands, none is lost', async () => {
  const before = sb.state.count('vpc.private_network');
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => raw(sb, 'POST', PN, JSON.stringify({ name: `c-${i}` }))));
  assert.ok(results.every((r) => r.status === 200));
  assert.equal(sb.state.count('vpc.private_network'), before + 50);
});
