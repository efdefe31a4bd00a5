// `landing-zone sandbox` as a user runs it, and the shipped seed of a half-migrated organisation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { Account, Lb, Rdb, Vpc, Vpcgw } from '@scaleway/sdk';
import { startSandbox } from '../../../src/sandbox/server';
import { clientFor, loose } from './helpers';

const root = join(__dirname, '../../..');
const seedFile = join(root, 'examples/sandbox-seed.json');
const dir = mkdtempSync(join(tmpdir(), 'lz-sandbox-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'sandbox', ...args], {
  // cwd is the repository so that `--import tsx` resolves; every path passed is absolute
  cwd: root, env: { ...process.env, SCW_ACCESS_KEY: '', SCW_SECRET_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
});

/** Reads --print-env output until the last variable arrives. */
function readEnv(p: ReturnType<typeof cli>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('SCW_DEFAULT_ZONE=')) resolve(Object.fromEntries(out.trim().split('\n').map((l) => l.split('=', 2) as [string, string])));
    });
    p.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
}

test('sandbox --print-env: source-able lines, seeded org, state saved on SIGTERM, same key after restart', async () => {
  const state = join(dir, 'state.json');
  const p = cli(['--print-env', '--state', state, '--seed', seedFile, '--transition-ms', '10', '--log', join(dir, 'requests.log')]);
  const env = await readEnv(p);
  assert.deepEqual(Object.keys(env), ['SCW_API_URL', 'SCW_ACCESS_KEY', 'SCW_SECRET_KEY', 'SCW_DEFAULT_ORGANIZATION_ID', 'SCW_DEFAULT_PROJECT_ID', 'SCW_DEFAULT_REGION', 'SCW_DEFAULT_ZONE']);
  assert.match(env.SCW_API_URL!, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(env.SCW_ACCESS_KEY!, /^SCW[A-Z0-9]{17}$/);
  assert.match(env.SCW_SECRET_KEY!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const res = await fetch(`${env.SCW_API_URL}/account/v3/projects?name=prod`, { headers: { 'X-Auth-Token': env.SCW_SECRET_KEY! } });
  assert.equal(((await res.json()) as { total_count: number }).total_count, 1);
  let stderr = '';
  p.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  p.kill('SIGTERM');
  const code = await new Promise((r) => p.on('exit', r));
  assert.equal(code, 0);
  assert.match(stderr, /state saved/);
  assert.ok(!stderr.includes(env.SCW_SECRET_KEY!), 'the secret key is printed only by --print-env');
  const log = readFileSync(join(dir, 'requests.log'), 'utf8');
  assert.match(log, /GET \/account\/v3\/projects 200/);
  assert.ok(!log.includes(env.SCW_SECRET_KEY!) && !log.includes('prod'), 'the log holds no token and no query');
  assert.ok(existsSync(state));

  // a shell that sourced the variables keeps its key across a restart; the seed is not re-applied
  const again = cli(['--print-env', '--state', state, '--seed', seedFile], { SCW_ACCESS_KEY: env.SCW_ACCESS_KEY!, SCW_SECRET_KEY: env.SCW_SECRET_KEY! });
  const env2 = await readEnv(again);
  assert.equal(env2.SCW_ACCESS_KEY, env.SCW_ACCESS_KEY);
  const projects = await fetch(`${env2.SCW_API_URL}/account/v3/projects?name=prod`, { headers: { 'X-Auth-Token': env.SCW_SECRET_KEY! } });
  assert.equal(((await projects.json()) as { total_count: number }).total_count, 1);
  again.kill('SIGINT');
  assert.equal(await new Promise((r) => again.on('exit', r)), 0);
});

test('bad options: one clear line on stderr, exit 2', async () => {
  // in-process through the CLI's own entry point: the same path as the binary, without a slow spawn
  const { main } = await import('../../../src/cli/main');
  for (const [args, pattern] of [
    [['--port', 'abc'], /--port must be an integer/],
    [['--host', '0.0.0.0'], /loopback/],
    [['--fault-rate', '2'], /--fault-rate must be a number between 0 and 1/],
    [['--latency=-5'], /--latency must be an integer/],
    [['--seed', join(dir, 'missing.json')], /ENOENT|missing\.json/],
    [['--bogus'], /Unknown option/],
  ] as const) {
    let stderr = '';
    let stdout = '';
    const sink = (append: (s: string) => void) => ({ write: (s: string) => { append(s); return true; } }) as unknown as NodeJS.WritableStream;
    const code = await main(['sandbox', ...args], {
      stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), stdin: process.stdin, cwd: dir, env: {}, isTTY: false,
    });
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr.split('\n')[0]!, pattern);
    assert.equal(stdout, '');
  }
});

test('the example seed is a half-migrated organisation consistent with examples/landing-zone.yaml', async () => {
  const lz = parse(readFileSync(join(root, 'examples/landing-zone.yaml'), 'utf8')) as { organization: { id: string }; projects: Record<string, unknown> };
  const sb = await startSandbox({ seed: seedFile });
  try {
    assert.equal(sb.organizationId, lz.organization.id, 'the file and the sandbox must name the same organisation');
    const client = clientFor(sb);
    const projects = (await loose(new Account.v3.ProjectAPI(client)).listProjects({}).all()).map((p) => p.name);
    const planned = Object.keys(lz.projects);
    assert.ok(planned.some((p) => projects.includes(p)) && planned.some((p) => !projects.includes(p)), 'some projects exist, others are still to create');
    assert.ok(projects.some((p) => p !== 'default' && !planned.includes(p)), 'a stray project exists');

    const gateways = await loose(new Vpcgw.v2.API(client)).listGateways({}).all();
    assert.ok(gateways.every((g) => g.status === 'running'), 'seeded resources are settled');
    assert.ok(gateways.some((g) => g.name === 'security-gw' && g.tags.includes('lz:managed')));
    assert.ok(gateways.some((g) => !g.tags.includes('lz:managed')), 'some gateways are untagged');
    const pns = await loose(new Vpc.v2.API(client)).listPrivateNetworks({}).all();
    assert.ok(pns.some((p) => p.name === 'prod-pn' && p.subnets.some((s) => s.subnet === '10.30.0.0/22')));

    const lb = loose(new Lb.v1.ZonedAPI(client));
    const [apps] = await lb.listLbs({ name: 'apps-lb' }).all();
    assert.ok(apps, 'the prod load balancer exists');
    const [fe] = await lb.listFrontends({ lbId: apps.id }).all();
    const acls = await lb.listAcls({ frontendId: fe!.id }).all();
    const security = gateways.find((g) => g.name === 'security-gw')!;
    assert.deepEqual(acls.find((a) => a.name === 'allow-security')?.match?.ipSubnet, [security.ipv4!.address], 'ACLs admit the hub gateway IPs (stored without /32)');
    assert.ok(acls.some((a) => a.name === 'allow-office'), 'an extra ACL was added by hand');

    const [db] = await loose(new Rdb.v1.API(client)).listInstances({ name: 'main' }).all();
    assert.equal(db?.status, 'ready');
    assert.equal(db?.backupSchedule?.frequency, 24);
  } finally {
    await sb.close();
  }
});

test('a bad seed is refused with a message naming the resource, and nothing is saved', async () => {
  const state = join(dir, 'bad-seed-state.json');
  await assert.rejects(
    startSandbox({ stateFile: state, seed: { version: 1, resources: [{ kind: 'gateway', name: 'gw', networks: ['nope-pn'] }] } }),
    /resources\[0\] \(gateway gw\): seed: unknown private_network "nope-pn"/,
  );
  await assert.rejects(startSandbox({ seed: { version: 2 } as unknown as never }), /invalid seed: version/);
  assert.ok(!existsSync(state));
});
