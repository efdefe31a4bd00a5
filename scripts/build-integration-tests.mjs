// Bundles test/integration/**/*.ts into out/integration/ (same layout, .js) for the extension host:
// one CommonJS file per test, `vscode` left to the host and `mocha` loaded once from node_modules.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(join(dirname(fileURLToPath(import.meta.url)), '..'));

function entries(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return entries(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

rmSync('out/integration', { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries('test/integration'),
  outbase: 'test/integration',
  outdir: 'out/integration',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
