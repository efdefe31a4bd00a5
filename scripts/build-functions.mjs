// Bundles the Serverless Functions this repository deploys (functions/<name>/handler.ts) with
// their dependencies into the zip the Functions API takes: `handler.js` at the root, handler
// `handler.handle`, for Scaleway's Node runtime. The zip is byte-for-byte reproducible (fixed
// dates, sorted entries), so its SHA-256 names the code: apply tags the function with it and
// redeploys when it changes. Writes dist/functions/<name>.zip; called by esbuild.mjs.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zip } from './zip.mjs';

export const FUNCTIONS = existsSync('functions') ? readdirSync('functions').filter((n) => existsSync(join('functions', n, 'handler.ts'))) : [];

export async function buildFunctions(outDir = 'dist/functions') {
  mkdirSync(outDir, { recursive: true });
  const built = [];
  for (const name of FUNCTIONS) {
    const r = await esbuild.build({
      entryPoints: [join('functions', name, 'handler.ts')], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20',
      minify: true, legalComments: 'none', logLevel: 'warning', outfile: 'handler.js',
    });
    const code = Buffer.from(r.outputFiles[0].contents);
    const archive = zip(new Map([['handler.js', code]]));
    writeFileSync(join(outDir, `${name}.zip`), archive);
    built.push({ name, bytes: archive.length, sha256: createHash('sha256').update(archive).digest('hex') });
  }
  return built;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  buildFunctions().then((built) => {
    for (const f of built) console.log(`dist/functions/${f.name}.zip ${f.bytes} bytes sha256 ${f.sha256}`);
  });
}
