// `npm test`: every test stage in order, then one summary line `N passed, N failed`.
// Stages: lint, typecheck, build, unit (plain Node, no VS Code), then the stages that need
// browsers or VS Code (added by their own scripts in scripts/test-*.mjs when present).
// `node scripts/test.mjs unit` runs one stage.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;

function run(label, cmd, args, opts = {}) {
  console.error(`\n[test] ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/** Runs node:test files through tsx; counts come from the TAP summary. */
function nodeTests(label, dir) {
  const files = findTests(dir);
  if (files.length === 0) return;
  mkdirSync('.vscode-test', { recursive: true });
  // One TAP file per run, so two runs in the same tree never read each other's results.
  const tap = join('.vscode-test', `${label}-${process.pid}.tap`);
  rmSync(tap, { force: true });
  const ok = run(label, process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stderr',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(tap, { force: true });
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  let f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  // A runner that crashed or wrote no summary is a failure, never "0 failed".
  if ((!ok || !/^# pass /m.test(text)) && f === 0) f = 1;
  passed += p;
  failed += f;
}

function check(label, cmd, args) {
  if (run(label, cmd, args)) passed += 1;
  else failed += 1;
}

const want = (s) => only.length === 0 || only.includes(s);
const bin = (name) => join('node_modules', '.bin', name);

if (want('lint')) check('lint', bin('eslint'), ['.']);
if (want('typecheck')) check('typecheck', bin('tsc'), ['-p', '.', '--noEmit']);
if (want('build') || want('e2e') || want('integration')) check('build', process.execPath, ['esbuild.mjs']);
if (want('unit')) nodeTests('unit', 'test/unit');
if (want('e2e')) nodeTests('e2e', 'test/e2e');
if (want('integration') && existsSync('scripts/test-integration.mjs')) {
  // The VS Code stage prints its own `N passed, N failed` line; we add it to ours.
  // It installs what it lacks (scripts/ensure-tools.sh); LZ_SKIP_VSCODE=1 skips it outside CI.
  console.error('\n[test] integration: node scripts/test-integration.mjs (a real VS Code: code-server + chromium)');
  const r = spawnSync(process.execPath, ['scripts/test-integration.mjs'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(r.stdout ?? '');
  if (m) { passed += Number(m[1]); failed += Number(m[2]); }
  else failed += 1;
  if (r.status !== 0 && m && Number(m[2]) === 0) failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
