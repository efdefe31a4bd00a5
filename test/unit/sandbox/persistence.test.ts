// State file: reload on restart, hashed API keys, atomic writes that survive kill -9.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Iam, Secret, Vpc } from '@scaleway/sdk';
import { loadSnapshot } from '../../../src/sandbox/persist';
import { startSandbox } from '../../../src/sandbox/server';
import { clientFor, loose, raw } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'lz-sandbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('state is saved, reloaded on restart, and never holds an API key secret in clear', async () => {
  const file = join(dir, 'state.json');
  const first = await startSandbox({ stateFile: file, transitionMs: 0 });
  const client = clientFor(first);
  const pn = await loose(new Vpc.v2.API(client)).createPrivateNetwork({ name: 'kept', tags: ['lz:managed'] });
  const iam = loose(new Iam.v1alpha1.API(client));
  const app = await iam.createApplication({ name: 'ci' });
  const key = await iam.createAPIKey({ applicationId: app.id });
  const sm = loose(new Secret.v1beta1.API(client));
  const secret = await sm.createSecret({ name: 'db' });
  await sm.createSecretVersion({ secretId: secret.id, data: Buffer.from('v1').toString('base64') });
  await first.close();

  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(key.secretKey!), 'an API key secret is stored in clear');
  assert.ok(!text.includes(first.secretKey), 'the owner secret is stored in clear');

  // same credentials (as from a sourced --print-env) keep working across the restart
  const second = await startSandbox({ stateFile: file, credentials: { accessKey: first.accessKey, secretKey: first.secretKey } });
  try {
    assert.equal(second.organizationId, first.organizationId);
    assert.equal(second.accessKey, first.accessKey);
    const c2 = clientFor(second);
    assert.equal((await loose(new Vpc.v2.API(c2)).getPrivateNetwork({ privateNetworkId: pn.id })).name, 'kept');
    const value = await loose(new Secret.v1beta1.API(c2)).accessSecretVersion({ secretId: secret.id, revision: '1' });
    assert.equal(Buffer.from(value.data, 'base64').toString(), 'v1');
    // the application's key still authenticates (403, not 401: it has no policy): only its hash was kept
    assert.equal((await raw(second, 'GET', '/iam/v1alpha1/api-keys', undefined, { 'X-Auth-Token': key.secretKey! })).status, 403);
  } finally {
    await second.close();
  }

  // without the old secret a restart mints a new owner key, and the old one stops working
  const third = await startSandbox({ stateFile: file });
  try {
    assert.notEqual(third.accessKey, first.accessKey);
    assert.equal((await raw(third, 'GET', '/account/v3/projects', undefined, { 'X-Auth-Token': first.secretKey })).status, 401);
    assert.equal((await raw(third, 'GET', '/account/v3/projects')).status, 200);
  } finally {
    await third.close();
  }
});

test('a corrupt state file is refused, never silently replaced', async () => {
  const file = join(dir, 'corrupt.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, '{"version":1,"organizationId":');
  await assert.rejects(startSandbox({ stateFile: file }), /not valid JSON/);
  assert.equal(readFileSync(file, 'utf8'), '{"version":1,"organizationId":');
});

test('kill -9 during writes always leaves the last good state', async (t) => {
  const file = join(dir, 'killed.json');
  const child = join(__dirname, 'fixtures', 'writer-child.ts');
  let lastCount = 0;
  let interrupted = 0;
  for (let round = 0; round < 3; round += 1) {
    const p = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      p.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      p.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    // let it write for a while, then kill it without warning at a different moment each round
    await new Promise((r) => setTimeout(r, 150 + round * 70));
    p.kill('SIGKILL');
    await new Promise((r) => p.on('exit', r));
    // a leftover temporary file means the kill landed in the middle of a write
    if (readdirSync(dir).some((f) => f.startsWith('.killed.json.') && f.endsWith('.tmp'))) interrupted += 1;
    const snap = await loadSnapshot(file);
    assert.ok(snap, 'the state file must exist');
    const count = snap.records.filter((r) => r.kind === 'vpc.private_network').length;
    assert.ok(count >= 2000 && count >= lastCount, `state went backwards or lost the bulk: ${count} < ${lastCount}`);
    lastCount = count;
  }
  t.diagnostic(`${interrupted} of 3 kills landed during a write`);
  // no temporary file is mistaken for the state, and a restart loads it (and sweeps the leftovers)
  const sb = await startSandbox({ stateFile: file });
  try {
    assert.equal(sb.state.count('vpc.private_network'), lastCount);
  } finally {
    await sb.close();
  }
  assert.ok(readdirSync(dir).includes('killed.json'));
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('.killed.json.')), 'stale temporary files are swept on start');
});
