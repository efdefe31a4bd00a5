// Loaded by the real VS Code extension host through `extensionTestsPath` (see scripts/run-ext-tests.mjs).
// Every `*.test.js` next to this file (bundled from test/integration/**/*.test.ts) is a mocha file in
// the `tdd` interface (`suite`/`test`): adding a test is adding a file.
// Two passes (scripts/test-integration.mjs): LZ_IT_PASS=trusted runs every file outside untrusted/ in a
// trusted workspace; LZ_IT_PASS=untrusted runs the files under untrusted/ in Restricted Mode.
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000 });
  // LZ_IT_GREP narrows a local run to matching tests, as mocha's --grep does
  if (process.env.LZ_IT_GREP) mocha.grep(process.env.LZ_IT_GREP);
  const untrusted = process.env.LZ_IT_PASS === 'untrusted';
  const files = testFiles(__dirname).filter((f) => relative(__dirname, f).startsWith('untrusted/') === untrusted).sort();
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The extension host's stdout is not ours: the outside runner reads the counts from this file.
      const out = process.env.VSCODE_TEST_RESULT_FILE;
      if (out) {
        const stats = runner.stats;
        writeFileSync(out, JSON.stringify({
          passes: stats?.passes ?? 0,
          failures,
          pending: stats?.pending ?? 0,
          files: files.map((f) => relative(__dirname, f)),
        }));
      }
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
