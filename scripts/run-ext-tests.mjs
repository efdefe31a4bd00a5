// Runs a mocha suite inside code-server's real workbench and (remote, Node) extension host, driven by
// headless Debian chromium through playwright-core. No mocked vscode anywhere.
// code-server must run with `--vscode-option enable-smoke-test-driver`: without it the built workbench
// ignores the ?payload= parameter that carries extensionDevelopmentPath / extensionTestsPath.
//
// usage: node scripts/run-ext-tests.mjs <codeServerUrl> <extensionDevelopmentPath> <extensionTestsPath> <workspaceFolder>
// env:   CHROMIUM (default /usr/bin/chromium), TEST_TIMEOUT_MS (default 300000), SHOT (png written at the end),
//        EXT_ENV (JSON object: extra environment for the extension host), VERBOSE=1 (all browser console output)
// Last stdout line: `N passed, N failed`. Exit 0 only when the runner ended with 0 and no test failed.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const [base, devPath, testsPath, folder] = process.argv.slice(2);
if (!folder) {
  console.error('usage: run-ext-tests.mjs <codeServerUrl> <extensionDevelopmentPath> <extensionTestsPath> <workspaceFolder>');
  process.exit(2);
}

// code-server uses the page's host:port as the remote authority of the files it serves
const authority = new URL(base).host;
const remote = (p) => `vscode-remote://${authority}${resolve(p)}`;
const scratch = mkdtempSync(join(tmpdir(), 'lz-ext-tests-'));
const resultFile = join(scratch, 'result.json');
const extEnv = { ...(process.env.EXT_ENV ? JSON.parse(process.env.EXT_ENV) : {}), VSCODE_TEST_RESULT_FILE: resultFile };
const payload = [
  ['extensionDevelopmentPath', remote(devPath)],
  ['extensionTestsPath', remote(testsPath)],
  ['extensionEnvironment', JSON.stringify(extEnv)],
];
const url = `${base}/?folder=${encodeURIComponent(resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const t0 = Date.now();
const ctx = await chromium.launchPersistentContext(join(scratch, 'chromium'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: chromiumArgs,
  viewport: { width: 1400, height: 900 },
});
let code = 'crashed';
try {
  const page = ctx.pages()[0] ?? await ctx.newPage();
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  // the workbench calls window.codeAutomationExit(code) when the extension test runner ends
  await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
  page.on('console', async (m) => {
    let args;
    try { args = await Promise.all(m.args().map((a) => a.jsonValue())); } catch { args = [m.text()]; }
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2);   // drop '%c INFO', 'color: …'
    const text = format(...args);
    // the extension host's console (mocha's spec reporter) is forwarded to the page's console
    if (process.env.VERBOSE || /✔|✘|passing|failing|pending|^\s+\d+\) |AssertionError|\[ext-test\]|Error/.test(text)) {
      console.error(text);
    }
  });
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  await page.goto(url);
  const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300_000);
  let timer;
  code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT }).catch(() => {});
} finally {
  await ctx.close().catch(() => {});
}

let res = null;
try { res = JSON.parse(readFileSync(resultFile, 'utf8')); } catch { /* the suite never ran */ }
rmSync(scratch, { recursive: true, force: true });
console.error(`[ext-tests] runner exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s` +
  (res ? `; files: ${res.files.join(', ')}` : '; no result file: the suite did not run'));
const passed = res?.passes ?? 0;
// a runner that died or timed out without a result counts as one failure
const failed = res ? res.failures + (code === 0 || res.failures > 0 ? 0 : 1) : 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
