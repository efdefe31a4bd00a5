import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { COMMANDS, main } from '../../src/cli/main';

// dist/cli.js answers --help, --version, "no command" and each command's --help itself, with what
// main() printed for them at build time (scripts/cli-quick.mjs); npm test builds before the unit stage.
const launcher = resolve('dist/cli.js');
const QUICK = [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v'], ...COMMANDS.flatMap((c) => [[c.name, '--help'], [c.name, '-h'], [c.name, '--file', 'x.yaml', '--help']])];

async function fromSource(argv: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => { out += t; return true; } }, stderr: { write: (t: string) => { err += t; return true; } }, stdin: process.stdin, cwd: process.cwd(), env: {}, isTTY: false };
  const code = await main(argv, io as unknown as Parameters<typeof main>[1]);
  return { out, err, code };
}

test('the launcher answers --help, --version, no command and each command\'s --help exactly as the CLI does', async () => {
  assert.ok(existsSync(launcher), 'dist/cli.js is missing: run npm run build');
  for (const argv of QUICK) {
    const p = spawnSync(process.execPath, [launcher, ...argv], { encoding: 'utf8' });
    const want = await fromSource(argv);
    assert.equal(p.stdout, want.out, `stdout of ${argv.join(' ') || '(no command)'}`);
    assert.equal(p.stderr, want.err, `stderr of ${argv.join(' ') || '(no command)'}`);
    assert.equal(p.status, want.code, `exit code of ${argv.join(' ') || '(no command)'}`);
  }
});

test('the launcher\'s own answers load no module of the build; every other command does', () => {
  // the launcher alone, without the dist/cli/ folder beside it
  const alone = join(mkdtempSync(join(tmpdir(), 'lz-launcher-')), 'cli.js');
  copyFileSync(launcher, alone);
  for (const argv of QUICK) assert.notEqual(spawnSync(process.execPath, [alone, ...argv], { encoding: 'utf8' }).stdout, '', argv.join(' '));
  const other = spawnSync(process.execPath, [alone, 'validate', 'examples/landing-zone.yaml'], { encoding: 'utf8' });
  assert.equal(other.status, 1);
  assert.match(other.stderr, /cannot load dist\/cli \(run npm run build\)/);
  const run = spawnSync(process.execPath, [alone, 'drift', '--file', 'landing-zone.yaml'], { encoding: 'utf8' });
  assert.match(run.stderr, /cannot load dist\/cli/, 'a command without --help loads the build');
  // what main() would not answer with a command's usage still goes to the build
  for (const argv of [['nonsense', '--help'], ['__proto__'], ['constructor', '--help'], ['--help', '-h']]) {
    assert.match(spawnSync(process.execPath, [alone, ...argv], { encoding: 'utf8' }).stderr, /cannot load dist\/cli/, argv.join(' '));
  }
});
