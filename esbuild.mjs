// One build for the three bundles: the extension (node, vscode external), the CLI (node) and
// the diagram webview (browser). `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { buildFunctions } from './scripts/build-functions.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--cli-package DIR`: only the CLI of the npm package (scripts/pack-cli.mjs), into DIR/dist
const packageDir = process.argv.includes('--cli-package') ? process.argv[process.argv.indexOf('--cli-package') + 1] : undefined;

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // phase 2 of the extension (editor, commands, explorer), loaded by src/extension/extension.ts
    ...common,
    entryPoints: ['src/extension/main.ts'],
    outfile: 'dist/extension-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // the editor's validation off the extension host's thread (src/extension/validation-client.ts)
    ...common,
    entryPoints: ['src/extension/validation-worker.ts'],
    outfile: 'dist/validation-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // the cloud half of the extension (SDK, engine, sandbox), loaded on first use by src/extension/engine-loader.ts
    ...common,
    entryPoints: ['src/extension/engine.ts'],
    outfile: 'dist/engine.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // 2.9 MB minified, only for Velero (DR check, restores): left out of the .vsix budget; resolved
    // from node_modules when present (development, tests), otherwise those steps report it missing
    external: ['@kubernetes/client-node'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // a native module (one binary per platform, from npm): resolved at run time, never bundled
    external: ['@resvg/resvg-js'],
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((t) => existsSync(t.entryPoints[0]));

/*
 * The CLI of the npm package: minified ES modules split per command, so `landing-zone --help`
 * parses a few hundred kilobytes instead of the whole SDK. Bundled CommonJS dependencies call
 * `require` and read `__dirname`, which ES modules lack: the banner gives them both.
 */
const cliPackage = {
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  entryPoints: { 'landing-zone': 'src/cli/main.ts' },
  outdir: `${packageDir}/dist`,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  splitting: true,
  target: 'node20',
  external: ['@resvg/resvg-js'],
  banner: {
    js: "import { createRequire as __lzCreateRequire } from 'node:module'; import { fileURLToPath as __lzFileURLToPath } from 'node:url'; import { dirname as __lzDirname } from 'node:path'; const require = __lzCreateRequire(import.meta.url); const __filename = __lzFileURLToPath(import.meta.url); const __dirname = __lzDirname(__filename);",
  },
};

if (packageDir) {
  await esbuild.build(cliPackage);
  // the package ships the functions apply deploys beside its bundle (pack-cli copies dist/functions)
  await buildFunctions();
} else if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  // the Serverless Functions apply deploys (dist/functions/<name>.zip)
  await buildFunctions();
}
