import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ConnectionLostError, limitedFetch } from '../../../src/scaleway/http';
import { nodeTransport } from '../../../src/scaleway/transport';

// A bare HTTP server whose answers the tests choose: what the transport must turn into a
// fetch-like Response or a fetch-like failure.
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else if (req.url === '/reset') {
        req.socket.destroy();
      } else if (req.url === '/cookies') {
        res.writeHead(200, [['Content-Type', 'application/json'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Total-Count', '7']]);
        res.end('{"ok":true}');
      } else {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ echo: body, method: req.method }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

test('a body, its length and the headers reach the server; the answer is a Response with status, headers and JSON', async () => {
  const send = nodeTransport(4);
  const res = await send(`${base}/things?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': 'tok' }, body: '{"name":"é"}' });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.json(), { echo: '{"name":"é"}', method: 'POST' });
  const last = seen.at(-1)!;
  assert.equal(last.url, '/things?x=1');
  assert.equal(last.headers['content-length'], String(Buffer.byteLength('{"name":"é"}')), 'length in bytes, not characters');
  assert.equal(last.headers['x-auth-token'], 'tok');
});

test('204 has no body; repeated headers are all kept', async () => {
  const send = nodeTransport(4);
  const empty = await send(`${base}/empty`, { method: 'DELETE', headers: {} });
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
  const cookies = await send(`${base}/cookies`, { method: 'GET', headers: {} });
  assert.deepEqual(cookies.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.equal(cookies.headers.get('x-total-count'), '7');
  assert.equal(cookies.headers.get('X-Total-Count'), '7', 'names in any case');
  assert.equal(cookies.headers.get('content-type'), 'application/json');
  assert.equal(cookies.headers.get('set-cookie'), 'a=1, b=2', 'repeated values joined as fetch joins them');
  assert.equal(cookies.headers.get('retry-after'), null);
  assert.equal(cookies.headers.has('Content-Type'), true);
  assert.deepEqual([...cookies.headers].filter(([k]) => k === 'content-type' || k === 'x-total-count'), [['content-type', 'application/json'], ['x-total-count', '7']], 'iterated like a Headers: lower-case names, sorted');
});

test('the answer reads like a fetch Response: once, a clone before that reads again, as text, bytes, Blob or stream', async () => {
  const send = nodeTransport(4);
  const res = await send(`${base}/things`, { method: 'POST', headers: {}, body: 'é' });
  assert.equal(res.ok, true);
  assert.equal(res.statusText, 'Created');
  const copy = res.clone();
  assert.deepEqual(await res.json(), { echo: 'é', method: 'POST' });
  assert.equal(res.bodyUsed, true);
  await assert.rejects(res.text(), TypeError, 'a body reads once');
  assert.throws(() => res.clone(), TypeError, 'no clone of a read body');
  const blob = await copy.clone().blob();
  assert.equal(blob.type, 'application/json');
  assert.equal(await blob.text(), '{"echo":"é","method":"POST"}');
  assert.equal(new TextDecoder().decode(await copy.clone().arrayBuffer()), '{"echo":"é","method":"POST"}');
  assert.equal(await new Response(copy.clone().body).text(), '{"echo":"é","method":"POST"}', 'the body as a web stream');
  const reader = copy.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  assert.equal(Buffer.concat(chunks).toString('utf8'), '{"echo":"é","method":"POST"}', 'read through getReader()');
  assert.equal(copy.bodyUsed, true, 'a body read as a stream is used');
  await assert.rejects(copy.text(), TypeError, 'and reads no more');
  const notFound = await send(`${base}/empty`, { method: 'GET', headers: {} });
  assert.equal(notFound.ok, true);
  assert.equal(await notFound.text(), '');
});

test('a dropped connection fails like fetch: a TypeError whose cause names the socket error', async () => {
  const send = nodeTransport(4);
  const err = await send(`${base}/reset`, { method: 'GET', headers: {} }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof TypeError, String(err));
  assert.match(String((err as { cause?: { code?: string } }).cause?.code), /ECONNRESET|EPIPE/);
  const refused = await send('http://127.0.0.1:1/x', { method: 'GET', headers: {} }).then(() => undefined, (e: unknown) => e);
  assert.ok(refused instanceof TypeError);
  assert.equal((refused as { cause?: { code?: string } }).cause?.code, 'ECONNREFUSED');
});

test('an aborted request rejects with the signal’s reason', async () => {
  const send = nodeTransport(4);
  const ctl = new AbortController();
  ctl.abort(new Error('stop'));
  await assert.rejects(send(`${base}/x`, { method: 'GET', headers: {}, signal: ctl.signal }), /stop/);
});

test('the HTTP layer sends its headers on every attempt, the same body each time, and gives up on a reset GET after its attempts', async () => {
  const http = limitedFetch({ headers: { 'x-auth-token': 'secret-token' }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  const n = seen.length;
  const res = await http.fetch(new Request(`${base}/echo`, { method: 'PATCH', body: 'payload', headers: { 'content-type': 'text/plain' } }));
  assert.deepEqual(await res.json(), { echo: 'payload', method: 'PATCH' });
  assert.equal(seen[n]!.headers['x-auth-token'], 'secret-token');
  assert.equal(seen[n]!.headers['content-type'], 'text/plain');
  const resets = seen.filter((s) => s.url === '/reset').length;
  await assert.rejects(http.fetch(new Request(`${base}/reset`)), (e: unknown) => e instanceof ConnectionLostError && !e.message.includes('secret-token'));
  assert.equal(seen.filter((s) => s.url === '/reset').length - resets, 2, 'two attempts, then the error');
});
