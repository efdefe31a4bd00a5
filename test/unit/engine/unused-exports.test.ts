// No dead exports in src/: every value a file of src/ exports is used by another file (src, test,
// bench, scripts, webview, functions), but for the named exceptions of scripts/unused-exports.mjs
// (ALLOWED, each with its reason), found on the TypeScript compiler API.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

test('src/ exports no value that no other file uses, but the named exceptions', { timeout: 600_000 }, async () => {
  const { unusedExports, ALLOWED } = await import(pathToFileURL(resolve('scripts/unused-exports.mjs')).href) as { unusedExports(): string[]; ALLOWED: Record<string, string> };
  const found = unusedExports().map((l) => l.replace(/:\d+ /, ' '));
  assert.deepEqual(found.filter((l) => !(l in ALLOWED)), [], 'exported, used nowhere else: drop `export`, or the code if nothing uses it');
  // an exception that is used now, or gone, leaves the list
  assert.deepEqual(Object.keys(ALLOWED).filter((l) => !found.includes(l)), [], 'allowed but no longer unused');
  for (const [key, why] of Object.entries(ALLOWED)) assert.ok(why.length > 20, `${key}: say why it stays`);
});
