// `npm start`: the main job on the embedded default, step by step.
//   build → validate the example → start the local sandbox seeded with a half-migrated
//   organisation (examples/sandbox-seed.json) → drift before → plan + apply → drift after (the
//   kinds this version never reads, SSO, accepted unread by name and said so) → DR readiness →
//   the diagram with the drift overlay.
// The sandbox is throwaway: its state goes to .landing-zone/start/ and it stops at the end
// (`landing-zone sandbox --state .landing-zone/start/sandbox-state.json --print-env` brings the
// same account back). Its credentials only ever travel in this process's environment.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const EXAMPLE = 'examples/landing-zone.yaml';
const SEED = 'examples/sandbox-seed.json';
const WORK = resolve('.landing-zone/start');
const CLI = resolve('bin/landing-zone.js');
const DIAGRAM = resolve('dist/landing-zone.svg');
const DRIFT_JSON = join(WORK, 'drift.json');
// Kinds this version never reads, accepted unread by name (drift lists them, and so does this script):
// Keycloak runs inside the security project and is not a Scaleway API resource.
const ACCEPT_NOT_CHECKED = ['sso'];

let sandbox;
let sandboxEnv = {};

function title(text) {
  console.error(`\n▶ ${text}`);
}

function fail(text) {
  console.error(`✖ ${text}`);
  stopSandbox();
  process.exit(1);
}

/** Runs the CLI; `ok` lists the exit codes that are expected outcomes (3 = drift / readiness findings). */
function cli(args, { ok = [0], capture = false, cwd = WORK } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...sandboxEnv, SCW_CONFIG_PATH: join(WORK, 'no-scw-config.yaml'), SCW_PROFILE: '' },
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (!ok.includes(r.status ?? -1)) fail(`landing-zone ${args[0]} exited with ${r.status}`);
  return r;
}

async function startSandbox() {
  const state = join(WORK, 'sandbox-state.json');
  rmSync(state, { force: true });
  sandbox = spawn(process.execPath, [CLI, 'sandbox', '--print-env', '--seed', resolve(SEED), '--state', state, '--transition-ms', '50'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: sandbox.stdout });
  const env = {};
  await new Promise((done, reject) => {
    sandbox.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /^(SCW_[A-Z_]+)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2];
      if (env.SCW_API_URL && env.SCW_SECRET_KEY && env.SCW_DEFAULT_ORGANIZATION_ID && env.SCW_DEFAULT_ZONE) done();
    });
  }).catch((err) => fail(err.message));
  sandboxEnv = env;
  console.error(`  sandbox at ${env.SCW_API_URL}, organisation ${env.SCW_DEFAULT_ORGANIZATION_ID}, access key ${env.SCW_ACCESS_KEY}`);
}

function stopSandbox() {
  if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGTERM');
}

/** The sandbox's API with the owner's key (it never leaves this process's memory). */
async function api(method, path) {
  const r = await fetch(`${sandboxEnv.SCW_API_URL}${path}`, { method, headers: { 'X-Auth-Token': sandboxEnv.SCW_SECRET_KEY } });
  if (!r.ok) fail(`${method} ${path} answered ${r.status}`);
  return r.json();
}

/**
 * Triggers one run of the deployed backup-copy function through the sandbox's run hook (the
 * sandbox runs the uploaded zip in a child Node process with the namespace's secret variables)
 * and shows what landed in the DR region.
 */
async function runBackupCopy() {
  const { functions } = await api('GET', '/functions/v1beta1/regions/fr-par/functions?name=backup-copy&page_size=100');
  const fn = functions.find((f) => f.name === 'backup-copy' && f.tags.some((t) => t.startsWith('lz:id=')));
  if (!fn) fail('apply did not create the backup-copy function');
  console.log(`function backup-copy: ${fn.status}, runtime ${fn.runtime}, code ${fn.tags.find((t) => t.startsWith('lz:code=')) ?? 'none'}`);
  const run = await api('POST', `/sandbox-hooks/functions/${fn.id}/run`);
  for (const line of run.logs.trim().split('\n').filter(Boolean)) console.log(`  | ${line}`);
  if (run.statusCode !== 200) fail(`the backup copy failed: ${run.error ?? run.body}`);
  const summary = JSON.parse(run.body);
  console.log(`copy ${summary.status} in ${run.durationMs} ms: ${summary.databasesCopied} database backup(s) and ${summary.veleroCopied} Velero object(s) now in the DR region (manifest/latest.json)`);
}

function summaryLine(text, prefix) {
  return text.split('\n').filter((l) => l.startsWith(prefix)).at(-1) ?? '';
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, 'no-scw-config.yaml'), '# npm start uses the sandbox only\n');
  // apply keeps its journal next to the file: work on a copy so examples/ stays clean.
  const file = join(WORK, 'landing-zone.yaml');
  copyFileSync(EXAMPLE, file);
  rmSync(join(WORK, '.landing-zone'), { recursive: true, force: true });

  title('Build (extension, CLI, webview)');
  if (spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' }).status !== 0) fail('build failed');
  if (!existsSync(CLI) || !existsSync('dist/cli.js')) fail('dist/cli.js is missing after the build');

  title(`Validate ${EXAMPLE}`);
  cli(['validate', resolve(EXAMPLE), '--summary']);

  title(`Start the local Scaleway sandbox, seeded with a half-migrated organisation (${SEED})`);
  await startSandbox();

  title('Drift before: the account as the seed left it');
  const before = cli(['drift', file], { ok: [0, 3], capture: true });
  for (const line of before.stdout.split('\n')) {
    if (/ (drift-changed|drift-unmanaged) /.test(line)) console.log(line.replace(`${file}:`, `${EXAMPLE}:`));
  }
  console.log(before.stdout.trimEnd().split('\n').at(-1));

  title('Plan and apply the example (the sandbox is disposable: --yes --allow-delete)');
  cli(['apply', file, '--yes', '--allow-delete']);

  title(`Drift after (accepting unread, by name: ${ACCEPT_NOT_CHECKED.join(', ')})`);
  const after = cli(['drift', file, '--format', 'json', '--accept-not-checked', ...ACCEPT_NOT_CHECKED], { ok: [0, 3], capture: true });
  writeFileSync(DRIFT_JSON, after.stdout);
  const report = JSON.parse(after.stdout);
  const s = report.summary;
  const ignored = s.ignoredUnmanaged ? `, ${s.ignoredUnmanaged} undeclared accepted by drift.ignore (left alone)` : '';
  const owned = s.scalewayManaged ? `, ${s.scalewayManaged} created and owned by Scaleway left out (${report.scalewayManaged.map((m) => `${m.kind} "${m.name}"`).join(', ')})` : '';
  console.log(`drift: ${report.verdict}: ${s.declared} declared, ${s.inSync} matching, ${s.missing} missing, ${s.changed} changed, ${s.unmanaged} unmanaged${ignored}${owned}, ${s.notChecked} not checked — coverage ${s.coverage}% (exit ${after.status})`);
  for (const n of report.notChecked) {
    console.log(`  not checked${n.accepted ? ', accepted by this script' : ''}: ${n.kind}${n.region ? ` in ${n.region}` : ''} (${n.declared} declared): ${n.reason}`);
  }
  if (s.missing > 0 || s.changed > 0 || s.unmanaged > 0) fail('the account still differs from the file after apply');
  // an honest end: exit 0 only when everything was read, or what was not is accepted by name above
  if (after.status !== 0) fail(`drift after apply could not read everything (verdict ${report.verdict}): see the lines above`);

  title('Backup copy: run the deployed function once, as its cron ("0 3 * * *") would');
  await runBackupCopy();

  title('DR readiness');
  cli(['dr', 'check', file], { ok: [0, 3] });

  title('Diagram with the drift overlay');
  cli(['diagram', file, '--overlay', DRIFT_JSON, '--out', DIAGRAM]);

  stopSandbox();
  console.error(`\n✔ done. Diagram: ${DIAGRAM}
  Drift report (JSON): ${DRIFT_JSON}
  Sandbox state: ${join(WORK, 'sandbox-state.json')} — continue with:
    node bin/landing-zone.js sandbox --state ${join(WORK, 'sandbox-state.json')} --print-env`);
}

process.on('SIGINT', () => { stopSandbox(); process.exit(130); });
main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
