// The done-when test of one engine path: drift, plan, apply, DR check and a restore dry run
// through the CLI and through the modules the extension calls (its engine bundle's entry,
// src/extension/engine.ts, its drift snapshot and its CLI runner) give identical reports on the
// same file and account.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { DriftReport } from '../../../src/core/drift';
import * as engine from '../../../src/extension/engine';
import { runCli as runBundledCli } from '../../../src/extension/cli-runner';
import { driftSnapshot } from '../../../src/extension/drift-status';
import { DrCheckReport, parseCliJson, RestoreDryRun } from '../../../src/protocol/cli-output';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import type { Session } from '../../../src/scaleway/session';
import { runCli } from '../ops/helpers';
import { duplicates, exampleText, sandboxEnv, sandboxProfile } from './helpers';

interface World { sb: Sandbox; dir: string; file: string; env: NodeJS.ProcessEnv; profile: ScalewayProfile }
let editor: World;
let cli: World;

async function world(): Promise<World> {
  const sb = await startSandbox({ transitionMs: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'lz-parity-'));
  const file = join(dir, 'landing-zone.yaml');
  writeFileSync(file, exampleText(sb));
  return { sb, dir, file, env: sandboxEnv(sb), profile: await sandboxProfile(sb) };
}

before(async () => {
  [editor, cli] = await Promise.all([world(), world()]);
});
after(async () => { await Promise.all([editor.sb.close(), cli.sb.close()]); });

/** As the extension opens it: the editor's text, the credentials it resolved. */
async function editorSession(w: World): Promise<Session> {
  const opened = await engine.openSession({ file: w.file, cwd: w.dir, text: readFileSync(w.file, 'utf8'), resolved: w.profile });
  assert.ok(opened.ok, opened.ok ? '' : opened.message);
  return opened.session;
}

async function cliDrift(w: World): Promise<{ summary: DriftReport['summary']; verdict: string; entries: { id: string; status: string }[] }> {
  const r = await runCli(['drift', '--format', 'json'], w.env, w.dir);
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  return JSON.parse(r.stdout) as never;
}

async function sameDrift(w: World): Promise<DriftReport['summary']> {
  const fromCli = await cliDrift(w);
  const { report } = await engine.readDrift(await editorSession(w));
  assert.deepEqual(report.summary, fromCli.summary, 'same counts and coverage');
  assert.equal(report.verdict, fromCli.verdict);
  assert.deepEqual(report.entries.map((e) => [e.id, e.status]), fromCli.entries.map((e) => [e.id, e.status]));
  // the editor's snapshot (status bar, diagram) carries core's states and the same coverage
  const snap = driftSnapshot(report, 'file:///x');
  assert.equal(snap.coverage, fromCli.summary.coverage);
  const cliStates = Object.fromEntries(fromCli.entries.filter((e) => e.status !== 'not-checked' && !(e as { undeclared?: boolean }).undeclared).map((e) => [e.id, e.status]));
  assert.deepEqual(snap.states, cliStates, 'the diagram gets the CLI report\'s vocabulary');
  return report.summary;
}

test('drift and plan: the same report and plan hash from the CLI and the editor\'s engine path', async () => {
  const before = await sameDrift(editor);
  assert.ok(before.missing > 60);
  const p = await runCli(['plan', '--format', 'json'], editor.env, editor.dir);
  assert.equal(p.code, 0, p.stderr);
  const fromCli = JSON.parse(p.stdout) as { planHash: string; operations: unknown[] };
  const { plan } = await engine.readPlan(await editorSession(editor));
  assert.equal(plan.planHash, fromCli.planHash);
  assert.equal(plan.operations.length, fromCli.operations.length);
});

test('apply: the editor\'s path (lock, readPlan, applyPlan) and `landing-zone apply --yes` do the same on two equal accounts', async () => {
  const s = await editorSession(editor);
  const lock = await engine.lockOrganization(s, 'apply', { surface: 'vscode' });
  let result;
  try {
    // while the editor applies, the CLI refuses the same organisation from the same folder
    const busy = await runCli(['apply', '--yes'], editor.env, editor.dir);
    assert.equal(busy.code, 75, busy.stderr);
    assert.match(busy.stderr, /apply \(vscode, pid \d+/);
    const planned = await engine.readPlan(s);
    result = await engine.applyPlan(s, planned);
  } finally {
    await lock.release();
  }
  const c = await runCli(['apply', '--yes'], cli.env, cli.dir);
  assert.equal(c.code, 0, c.stderr);
  const line = /apply: (\w+): (\d+) done, (\d+) failed, (\d+) not run/.exec(c.stderr);
  assert.ok(line, c.stderr);
  assert.deepEqual([result.status, result.done.length, result.failed.length, result.notRun.length], [line[1], Number(line[2]), Number(line[3]), Number(line[4])]);
  assert.deepEqual(duplicates(editor.sb), []);
  // afterwards both accounts read the same, through either surface
  const e = await sameDrift(editor);
  const k = await sameDrift(cli);
  assert.deepEqual(e, k);
  assert.equal(e.missing, 0);
});

test('DR check and a restore dry run: the editor parses the bundled CLI\'s JSON with the protocol schemas; the same reports', async () => {
  const root = resolve('.');
  const run = (args: string[]) => runBundledCli(root, args, { cwd: editor.dir, profile: editor.profile, signal: new AbortController().signal, onProgress: () => undefined });
  const viaEditor = await run(['dr', 'check', '--file', editor.file, '--format', 'json']);
  const viaCli = await runCli(['dr', 'check', '--format', 'json'], editor.env, editor.dir);
  assert.equal(viaEditor.code, viaCli.code);
  const a = parseCliJson(DrCheckReport, viaEditor.stdout, 'dr check');
  const b = parseCliJson(DrCheckReport, viaCli.stdout, 'dr check');
  assert.ok(a.ok && b.ok);
  assert.deepEqual(a.value, b.value);

  const dryEditor = await run(['restore', 'region', '--project', 'prod', '--file', editor.file, '--dry-run', '--format', 'json']);
  assert.equal(dryEditor.code, 0);
  const dry = parseCliJson(RestoreDryRun, dryEditor.stdout, 'restore');
  assert.ok(dry.ok, dry.ok ? '' : dry.problem);
  assert.equal(dry.value.to, 'nl-ams');
  const text = await runCli(['restore', 'region', '--project', 'prod', '--dry-run'], editor.env, editor.dir);
  assert.equal(text.code, 0, text.stderr);
  assert.deepEqual(dry.value.steps.map((s, i) => `${i + 1}. ${s.title}`), text.stdout.split('\n').filter((l) => /^\d+\. /.test(l)));
  // a report that breaks the contract is refused by name, not half-read
  const broken = parseCliJson(DrCheckReport, JSON.stringify({ score: 'high' }), 'dr check');
  assert.deepEqual(broken, { ok: false, problem: 'dr check: the CLI\'s report does not match the protocol (score: Invalid input: expected number, received string)' });
});
