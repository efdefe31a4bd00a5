import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { writeClients } from '../../../src/scaleway/client';
import { runCli } from '../ops/helpers';
import { exampleText, FAST_RETRY, inventoryOf, sandboxEnv, sandboxProfile } from './helpers';

let sb: Sandbox;
let dir: string;

before(async () => {
  sb = await startSandbox({ transitionMs: 10 });
  dir = mkdtempSync(join(tmpdir(), 'lz-cli-'));
  writeFileSync(join(dir, 'landing-zone.yaml'), exampleText(sb));
});
after(async () => { await sb.close(); });

async function run(args: string[], env: NodeJS.ProcessEnv = sandboxEnv(sb), stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args, env, dir, stdin);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

test('drift: exit 3 on drift with stable JSON and SARIF; refuses another organisation naming both; says what credentials are missing', async () => {
  const a = await run(['drift', '--format', 'json']);
  assert.equal(a.code, 3, a.err);
  const json = JSON.parse(a.out) as { inSync: boolean; summary: { missing: number }; entries: { id: string; status: string; range?: { start: { line: number } } }[] };
  assert.equal(json.inSync, false);
  assert.ok(json.summary.missing > 60);
  assert.equal(json.entries.find((e) => e.id === 'prod/cluster/apps')?.status, 'missing');
  assert.ok((json.entries.find((e) => e.id === 'prod/cluster/apps')?.range?.start.line ?? 0) > 100);
  const again = await run(['drift', '--format', 'json']);
  assert.equal(again.out, a.out, 'the JSON is identical from one run to the next');
  const s = await run(['drift', 'landing-zone.yaml', '--format', 'sarif']);
  assert.equal((JSON.parse(s.out) as { version: string }).version, '2.1.0');
  assert.match(a.err, new RegExp(`organisation ${sb.organizationId}`));
  assert.ok(!(a.out + a.err + s.out).includes(sb.secretKey), 'the secret key is never printed');

  const other = await run(['drift'], { ...sandboxEnv(sb), SCW_DEFAULT_ORGANIZATION_ID: '99999999-9999-4999-8999-999999999999' });
  assert.equal(other.code, 2);
  assert.match(other.err, /99999999-9999-4999-8999-999999999999/);
  assert.match(other.err, new RegExp(sb.organizationId));
  const none = await run(['drift'], { SCW_CONFIG_PATH: '/nonexistent/config.yaml' });
  assert.equal(none.code, 2);
  assert.match(none.err, /access_key \(or SCW_ACCESS_KEY\)/);
  // a secret key the API refuses: exit 1 and what to fix, not a report of 70 kinds "not checked"
  const wrong = '0badc0de-0000-4000-8000-000000000000';
  // every command, the readers and the operations alike: the SDK clients' one error interceptor
  for (const cmd of [['drift'], ['plan'], ['dr', 'check'], ['rotate-key', 'security/secrets-key', '--check']]) {
    const refused = await run(cmd, { ...sandboxEnv(sb), SCW_SECRET_KEY: wrong });
    assert.equal(refused.code, 1, `${cmd}: ${refused.err}`);
    assert.match(refused.err, new RegExp(`refused the credentials of profile .*access key ${sb.accessKey}.*check the secret key`));
    assert.doesNotMatch(refused.err, /internal error|\n\s+at /);
    assert.ok(!(refused.out + refused.err).includes(wrong), 'the refused secret key is not printed');
  }
});

test('apply: asks for --yes off a terminal, applies, then drift is in sync (exit 0); a saved plan is refused once the account moved', async () => {
  const refused = await run(['apply']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--yes/);
  const planned = await run(['plan', '--out', 'plan.json']);
  assert.equal(planned.code, 0);
  assert.match(planned.out, /Plan: 84 to create, 0 to update, 0 to delete/);
  const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { operations: { summary: string }[] };
  const tampered = { ...saved, operations: saved.operations.slice(1) };
  writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
  const t = await run(['apply', '--plan', 'tampered.json', '--yes']);
  assert.equal(t.code, 2);
  assert.match(t.err, /modified after it was made/);

  const applied = await run(['apply', '--plan', 'plan.json', '--yes']);
  assert.equal(applied.code, 0, applied.err);
  assert.match(applied.err, /apply: completed: 84 done/);
  const journal = readFileSync(join(dir, '.landing-zone/journal.jsonl'), 'utf8');
  for (const line of journal.trim().split('\n')) {
    const e = JSON.parse(line) as Record<string, unknown>;
    for (const k of Object.keys(e)) assert.ok(['v', 'event', 'run', 't', 'operation', 'target', 'planHash', 'organizationId', 'operations', 'profile', 'id', 'action', 'kind', 'scalewayId', 'error', 'status', 'done', 'failed'].includes(k), k);
  }
  assert.ok(!journal.includes(sb.secretKey));
  // every generated value (secret versions, the API keys' secret keys) stays out of every output
  const rw = writeClients(await sandboxProfile(sb), FAST_RETRY);
  const values: string[] = [];
  for (const secret of await rw.secret.listSecrets({ region: 'fr-par', scheduledForDeletion: false }).all()) {
    for (let rev = 1; rev <= secret.versionCount; rev += 1) {
      const v = await rw.secret.accessSecretVersion({ region: 'fr-par', secretId: secret.id, revision: String(rev) });
      values.push(Buffer.from(v.data, 'base64').toString('utf8'));
    }
  }
  assert.ok(values.length >= 8, `${values.length} secret values`);
  const outputs = [applied.out, applied.err, planned.out, planned.err, journal, readFileSync(join(dir, 'plan.json'), 'utf8')].join('\n');
  for (const v of values) {
    const needle = (JSON.parse(v.startsWith('{') ? v : JSON.stringify({ v })) as Record<string, string>);
    for (const x of Object.values(needle)) if (x.length >= 16) assert.ok(!outputs.includes(x), 'a generated secret value leaked into an output');
  }
  // SSO is the one kind this version never reads: not "in sync" (exit 3) until it is accepted by name
  const unread = await run(['drift']);
  assert.equal(unread.code, 3, unread.out);
  assert.match(unread.out, /^not checked: could not read sso; nothing differs in what was read: 85 declared, 84 matching/m);
  const inSync = await run(['drift', '--accept-not-checked', 'sso']);
  assert.equal(inSync.code, 0, inSync.out);
  assert.match(inSync.out, /^no drift in what was read; not checked, accepted: sso: 85 declared, 84 matching/m);
  const stale = await run(['apply', '--plan', 'plan.json', '--yes']);
  assert.equal(stale.code, 2);
  assert.match(stale.err, /the account changed since plan.json was made/);
  const nothing = await run(['apply', '--yes']);
  assert.equal(nothing.code, 0);
  assert.match(nothing.out, /No changes/);
});

test('deletes need --allow-delete and the typed project names (or --yes --allow-delete)', async () => {
  const profile = await sandboxProfile(sb);
  const inv = await inventoryOf(profile);
  const prod = inv.resources.find((r) => r.kind === 'project' && r.name === 'prod')!;
  await writeClients(profile, FAST_RETRY).vpc.createPrivateNetwork({ region: 'fr-par', projectId: prod.scalewayId, name: 'stray', subnets: ['10.98.0.0/24'], defaultRoutePropagationEnabled: false });
  const no = await run(['apply', '--yes']);
  assert.equal(no.code, 2);
  assert.match(no.err, /deletes 1 resource\(s\) in prod; refusing without --allow-delete/);
  const wrong = await run(['apply', '--allow-delete'], { ...sandboxEnv(sb), LZ_CONFIRM_FROM_STDIN: '1' }, 'dev\n');
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /did not match/);
  const typed = await run(['apply', '--allow-delete'], { ...sandboxEnv(sb), LZ_CONFIRM_FROM_STDIN: '1' }, 'prod\n');
  assert.equal(typed.code, 0, typed.err);
  assert.equal((await run(['drift', '--accept-not-checked', 'sso'])).code, 0);
});

test('import writes a file that validates and plans to no changes', async () => {
  // the example lives in fr-par, with replicas and backup copies in nl-ams: import reads both
  const r = await run(['import', '--out', 'imported.yaml', '--name', 'acme', '--region', 'fr-par', '--region', 'nl-ams']);
  assert.equal(r.code, 0, r.err);
  const p = await run(['plan', 'imported.yaml']);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /No changes: the account matches the file/, readFileSync(join(dir, 'imported.yaml'), 'utf8'));
  const again = await run(['import', '--out', 'imported.yaml']);
  assert.equal(again.code, 2);
  assert.match(again.err, /--force/);
});
