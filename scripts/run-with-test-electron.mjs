// The same integration suite through the standard @vscode/test-electron API.
//   node scripts/run-with-test-electron.mjs             -> VS Code = code-server through scripts/code-shim.sh
//   LZ_VSCODE_DOWNLOAD=1 node scripts/run-with-test-electron.mjs
//                                                      -> test-electron downloads VS Code (needs its update
//                                                         server; where only npm and apt are reachable it fails)
// Builds the extension and the suite first; scripts/ensure-tools.sh must have run for the shim.
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-integration-tests.mjs'], { stdio: 'inherit' });

const workspace = join(mkdtempSync(join(tmpdir(), 'lz-te-')), 'workspace');
cpSync('test/fixtures/workspace', workspace, { recursive: true });
if (existsSync('examples/landing-zone.yaml')) cpSync('examples/landing-zone.yaml', join(workspace, 'landing-zone.yaml'));

const testEnv = { LZ_TEST_FIXTURES: join(root, 'test/fixtures'), LZ_TEST_ROOT: root };
let code = 0;
try {
  await runTests({
    ...(process.env.LZ_VSCODE_DOWNLOAD ? {} : { vscodeExecutablePath: join(root, 'scripts/code-shim.sh') }),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/integration/index'),
    launchArgs: [workspace],
    // real VS Code hands extensionTestsEnv to the extension host; the shim forwards EXT_ENV
    extensionTestsEnv: { ...testEnv, EXT_ENV: JSON.stringify(testEnv) },
  });
} catch (e) {
  console.error(`runTests failed: ${e instanceof Error ? e.message : String(e)}`);
  code = 1;
} finally {
  rmSync(dirname(workspace), { recursive: true, force: true });
}
process.exit(code);
