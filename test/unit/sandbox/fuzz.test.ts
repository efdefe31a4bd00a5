// Every route, fed odd input: the answer is always a 2xx or a 4xx with a JSON body, never a 500,
// and the server keeps serving. Seeded, so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/sandbox/prng';
import { allRoutes } from '../../../src/sandbox/routes';
import { startSandbox } from '../../../src/sandbox/server';

const ODD_BODIES = [
  '{}', '[]', '"x"', 'null', '42', '{"name": 123}', '{"tags": "x", "project_id": 5}', '{"name": "a", "tags": [1, null]}',
  '{"acls": [{"index": "one"}]}', '{"subnets": ["not-a-cidr"]}', '{"data": {"k": 1}}', '{"__proto__": {"polluted": true}}',
  '{"environment_variables": {"__proto__": "x"}}', '{"size": -1, "min_size": 5, "max_size": 1}', '{"rules": [{}]}',
];

test('no route answers 500 to odd input, and Object.prototype stays clean', async () => {
  const sb = await startSandbox({ transitionMs: 0 });
  const rand = mulberry32(7);
  const failures: string[] = [];
  try {
    // a few real resources, so that some odd requests reach deep into handlers
    const pn = await fetch(`${sb.url}/vpc/v2/regions/fr-par/private-networks`, { method: 'POST', headers: { 'X-Auth-Token': sb.secretKey, 'Content-Type': 'application/json' }, body: '{"name":"fuzz"}' });
    const pnId = ((await pn.json()) as { id: string }).id;
    const ids = [pnId, '00000000-0000-4000-8000-000000000000', 'not-an-id', '1', 'latest', 'SCWXXXXXXXXXXXXXXXXX'];
    for (const route of allRoutes()) {
      for (let n = 0; n < 4; n += 1) {
        const path = route.pattern
          .replace('{region}', 'fr-par')
          .replace('{zone}', 'fr-par-1')
          .replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[Math.floor(rand() * ids.length)]!));
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : ODD_BODIES[Math.floor(rand() * ODD_BODIES.length)];
        const res = await fetch(`${sb.url}${path}?page=${n === 3 ? 'x' : '1'}`, {
          method: route.method, headers: { 'X-Auth-Token': sb.secretKey, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body,
        });
        const text = await res.text();
        if (res.status >= 500) failures.push(`${route.method} ${path} ${body ?? ''} -> ${res.status} ${text}`);
        else if (res.status >= 400 && res.status !== 413 && !text.startsWith('{')) failures.push(`${route.method} ${path} -> ${res.status} without a JSON body`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const alive = await fetch(`${sb.url}/account/v3/projects`, { headers: { 'X-Auth-Token': sb.secretKey } });
    assert.equal(alive.status, 200);
  } finally {
    await sb.close();
  }
});
