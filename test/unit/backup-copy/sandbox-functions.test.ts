import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Function as Fn, createClient } from '@scaleway/sdk';
import { cronMatches } from '../../../src/sandbox/cron';
import { readZip } from '../../../src/sandbox/functions-runtime';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { zip } from '../../../scripts/zip.mjs';

/*
 * The sandbox's Serverless Functions lifecycle, as Scaleway behaves (recorded in the shared
 * tf/function cassettes): a function without code stays `created` and fails every build; the
 * signed upload URL takes the zip; a deploy goes `pending`, then `ready` or `error` with why; a
 * ready function's cron runs its handler on schedule (driven here by a hand clock), with the
 * namespace's secret variables in its environment.
 */

describe('sandbox: functions lifecycle and crons', () => {
  let sb: Sandbox;
  let api: InstanceType<typeof Fn.v1beta1.API>;
  let now = Date.parse('2026-12-07T02:58:00Z');
  let namespaceId: string;
  const settle = async (functionId: string) => {
    for (let i = 0; i < 20; i += 1) {
      const f = await api.getFunction({ region: 'fr-par', functionId });
      if (f.status !== 'pending') return f;
      now += 1000;
    }
    throw new Error('never settled');
  };
  const upload = async (functionId: string, body: Buffer) => {
    const u = await api.getFunctionUploadURL({ region: 'fr-par', functionId, contentLength: body.length });
    return fetch(u.url, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': 'application/octet-stream' } });
  };
  const handler = (code: string) => zip(new Map([['handler.js', Buffer.from(code)]]));

  before(async () => {
    sb = await startSandbox({ transitionMs: 500, cronCheckMs: 0, clock: () => now });
    api = new Fn.v1beta1.API(createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultProjectId: sb.projectId, defaultRegion: 'fr-par' }));
    const ns = await api.createNamespace({
      region: 'fr-par', projectId: sb.projectId, name: 'lifecycle', environmentVariables: { PLAIN: 'p' },
      secretEnvironmentVariables: [{ key: 'TOP_SECRET', value: 's3cr3t-value' }], activateVpcIntegration: false,
    });
    namespaceId = ns.id;
    now += 1000;
    assert.equal((await api.getNamespace({ region: 'fr-par', namespaceId })).status, 'ready');
  });
  after(async () => { await sb.close(); });

  const create = (name: string) => api.createFunction({
    region: 'fr-par', namespaceId, name, environmentVariables: {}, minScale: 0, maxScale: 1, runtime: 'node22', memoryLimit: 256,
    privacy: 'private', secretEnvironmentVariables: [], handler: 'handler.handle',
  } as never);

  it('a function without code stays created, and a deploy or an update of it ends in error', async () => {
    const f = await create('no-code');
    now += 60_000;
    assert.equal((await api.getFunction({ region: 'fr-par', functionId: f.id })).status, 'created');
    await api.updateFunction({ region: 'fr-par', functionId: f.id, environmentVariables: { A: 'b' } });
    const patched = await settle(f.id);
    assert.equal(patched.status, 'error');
    assert.match(patched.errorMessage ?? '', /no code was uploaded/);
    const deployed = await api.deployFunction({ region: 'fr-par', functionId: f.id });
    assert.equal(deployed.status, 'pending');
    assert.equal((await settle(f.id)).status, 'error');
    assert.equal((await sb.extras.functions.run(f.id)).error, 'the function is error, with no deployed code to run');
  });

  it('the upload URL takes exactly the declared length; a zip without the handler fails its build', async () => {
    const f = await create('bad-zip');
    const body = handler('module.exports.handle = async () => ({ statusCode: 200, body: "x" })');
    const u = await api.getFunctionUploadURL({ region: 'fr-par', functionId: f.id, contentLength: body.length });
    const wrongLength = await fetch(u.url, { method: 'PUT', body: new Uint8Array(Buffer.concat([body, Buffer.from('x')])) });
    assert.equal(wrongLength.status, 403);
    assert.equal((await upload(f.id, Buffer.from('not a zip'))).status, 200);
    await api.deployFunction({ region: 'fr-par', functionId: f.id });
    assert.equal((await settle(f.id)).errorMessage, 'the archive is not a zip file');
    assert.equal((await upload(f.id, zip(new Map([['main.js', Buffer.from('module.exports.handle = 1')]])))).status, 200);
    await api.deployFunction({ region: 'fr-par', functionId: f.id });
    assert.match((await settle(f.id)).errorMessage ?? '', /handler "handler.handle": handler.js is not in the zip/);
  });

  it('deploys pending then ready; its cron runs the handler on schedule with the namespace\'s secret variables', async () => {
    const f = await create('ok');
    const code = 'module.exports.handle = async (event) => ({ statusCode: 200, body: JSON.stringify({ secret: process.env.TOP_SECRET === "s3cr3t-value", plain: process.env.PLAIN, api: Boolean(process.env.SCW_API_URL), args: JSON.parse(event.body) }) });';
    assert.equal((await upload(f.id, handler(code))).status, 200);
    assert.equal((await api.deployFunction({ region: 'fr-par', functionId: f.id })).status, 'pending');
    assert.equal((await settle(f.id)).status, 'ready');
    // the secret value is never answered, only its hash
    assert.ok(!JSON.stringify(await api.getNamespace({ region: 'fr-par', namespaceId })).includes('s3cr3t-value'));
    await api.createCron({ region: 'fr-par', functionId: f.id, schedule: '0 3 * * *', name: 'nightly', args: { toRegion: 'nl-ams' } });
    now += 1000;
    assert.deepEqual(await sb.extras.functions.tick(), [], 'nothing is due before 03:00');
    now = Date.parse('2026-12-07T03:00:30Z');
    const runs = await sb.extras.functions.tick();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.statusCode, 200, runs[0]!.error ?? runs[0]!.logs);
    assert.deepEqual(JSON.parse(runs[0]!.body!), { secret: true, plain: 'p', api: true, args: { toRegion: 'nl-ams' } });
    assert.deepEqual(await sb.extras.functions.tick(), [], 'once per scheduled minute');
  });

  it('the run hook answers the owner and refuses anyone else', async () => {
    const f = (await api.listFunctions({ region: 'fr-par', namespaceId }).all()).find((x) => x.name === 'ok')!;
    const hook = `${sb.url}/sandbox-hooks/functions/${f.id}/run`;
    assert.equal((await fetch(hook, { method: 'POST' })).status, 401);
    const r = await fetch(hook, { method: 'POST', headers: { 'X-Auth-Token': sb.secretKey } });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { statusCode: number }).statusCode, 200);
  });

  it('reads cron expressions and zips as Scaleway and zip tools write them', () => {
    const at = (iso: string) => new Date(iso);
    assert.ok(cronMatches('0 */6 * * *', at('2026-12-07T12:00:00Z')));
    assert.ok(!cronMatches('0 */6 * * *', at('2026-12-07T13:00:00Z')));
    assert.ok(cronMatches('30 2 * * 1-5', at('2026-12-07T02:30:00Z')), 'a Monday');
    assert.ok(cronMatches('0 0 * * 7', at('2026-12-06T00:00:00Z')), '7 is Sunday too');
    assert.ok(!cronMatches('61 * * * *', at('2026-12-07T02:30:00Z')));
    const files = readZip(zip(new Map([['a/b.txt', Buffer.from('hello')], ['c.js', Buffer.alloc(10_000, 1)]])));
    assert.ok(files instanceof Map);
    assert.equal(files.get('a/b.txt')!.toString(), 'hello');
    assert.equal(files.get('c.js')!.length, 10_000);
  });
});
