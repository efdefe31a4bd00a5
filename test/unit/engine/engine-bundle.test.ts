import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

// The extension's engine as src/extension/engine-loader.ts loads it: the ES module build in
// dist/engine/ (npm test builds before the unit stage), entered with import().
const dir = resolve('dist/engine');
type Meta = { outputs: Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }> };

function meta(): Meta {
  const file = resolve('dist/meta/engine.json');
  assert.ok(existsSync(file), 'dist/meta/engine.json is missing: run npm run build');
  return JSON.parse(readFileSync(file, 'utf8')) as Meta;
}

/** The source files an entry runs before its own code: its output and its static imports, transitively. */
function staticInputs(m: Meta, entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o) || !m.outputs[o]) continue;
    seen.add(o);
    for (const i of m.outputs[o]!.imports) if (i.kind === 'import-statement') stack.push(i.path);
  }
  return [...seen].flatMap((o) => Object.keys(m.outputs[o]!.inputs));
}

/** Names the extension takes from loadEngine(): `const { a, b } = await loadEngine()` and `engine.x` after `const engine = await loadEngine()`. */
function namesTheExtensionUses(loader: 'loadEngine' | 'loadProfiles'): Set<string> {
  const names = new Set<string>();
  for (const f of readdirSync('src/extension').filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join('src/extension', f), 'utf8');
    for (const m of text.matchAll(new RegExp(`const \\{([^}]+)\\} = await ${loader}\\(\\)`, 'g'))) for (const n of m[1]!.split(',')) names.add(n.trim().split(':')[0]!.trim());
    for (const m of text.matchAll(new RegExp(`const (\\w+) = await ${loader}\\(\\)`, 'g'))) for (const u of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) names.add(u[1]!);
  }
  names.delete('');
  return names;
}

test('the engine\'s profile part, which every cloud command loads first, holds no SDK, zod or sandbox', () => {
  const inputs = staticInputs(meta(), 'dist/engine/engine-profile.mjs');
  assert.ok(inputs.some((i) => i.endsWith('src/scaleway/profiles.ts')), 'it holds the profiles');
  assert.deepEqual(inputs.filter((i) => /@scaleway\/sdk|[\\/]zod[\\/]|@aws-sdk|src\/sandbox\//.test(i)), []);
});

test('the whole engine leaves the sandbox to a chunk of its own, which only Start Sandbox loads', () => {
  const m = meta();
  const whole = staticInputs(m, 'dist/engine/engine.mjs');
  assert.ok(whole.some((i) => i.includes('@scaleway/sdk')), 'the engine holds the SDK');
  assert.deepEqual(whole.filter((i) => i.startsWith('src/sandbox/')), [], 'no sandbox code before Start Sandbox');
  const sandboxChunk = Object.entries(m.outputs).find(([, o]) => Object.keys(o.inputs).includes('src/sandbox/server.ts'));
  assert.ok(sandboxChunk, 'the sandbox is built');
  assert.ok(m.outputs['dist/engine/engine.mjs']!.imports.some((i) => i.kind === 'dynamic-import' && i.path === sandboxChunk[0]), 'engine.mjs imports it on demand');
});

test('both entries load with import() and give every name the extension takes from them; the sandbox starts from its chunk', async () => {
  const profilePart = (await import(pathToFileURL(join(dir, 'engine-profile.mjs')).href)) as Record<string, unknown>;
  const usedFromProfiles = namesTheExtensionUses('loadProfiles');
  assert.ok(usedFromProfiles.has('resolveProfile'), 'the session resolves its profile through loadProfiles()');
  assert.deepEqual([...usedFromProfiles].filter((n) => typeof profilePart[n] !== 'function'), []);

  const engine = (await import(pathToFileURL(join(dir, 'engine.mjs')).href)) as Record<string, unknown>;
  const usedFromEngine = namesTheExtensionUses('loadEngine');
  assert.ok(usedFromEngine.size >= 15, `the call sites were read (${[...usedFromEngine].join(', ')})`);
  assert.deepEqual([...usedFromEngine].filter((n) => engine[n] === undefined), [], 'exported by dist/engine/engine.mjs');
  // and nothing more: every name it exports is one a command loads (dead exports only weigh on the chunk)
  assert.deepEqual(Object.keys(engine).filter((n) => !usedFromEngine.has(n)), [], 'exported by engine.mjs, used by no command');

  const startSandbox = engine.startSandbox as (o?: object) => Promise<{ url: string; organizationId: string; accessKey: string; secretKey: string; close(): Promise<void> }>;
  const sb = await startSandbox();
  try {
    const resolveProfile = profilePart.resolveProfile as (i: object) => Promise<{ organizationId: string; apiUrl?: string }>;
    const profile = await resolveProfile({ env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId } });
    assert.equal(profile.organizationId, sb.organizationId);
    // a read through the bundle reaches every product, S3 (imported on demand from a chunk) included
    const readInventory = engine.readInventory as (c: unknown, o: object) => Promise<{ notChecked: { kind: string; reason: string }[] }>;
    const readOnlyClients = engine.readOnlyClients as (p: unknown) => unknown;
    const inventory = await readInventory(readOnlyClients(profile), { organizationId: profile.organizationId, regions: ['fr-par'] });
    assert.ok(Array.isArray(inventory.notChecked));
    assert.deepEqual(inventory.notChecked.filter((u) => u.kind !== 'sso'), [], 'every kind was read');
    const res = await fetch(`${sb.url}/account/v3/projects?organization_id=${sb.organizationId}`, { headers: { 'X-Auth-Token': sb.secretKey } });
    assert.equal(res.status, 200);
  } finally {
    await sb.close();
  }
});
