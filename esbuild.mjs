// One build for the three bundles: the extension (node, vscode external), the CLI (node) and
// the diagram webview (browser). `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFunctions } from './scripts/build-functions.mjs';
import { QUICK_LOOKUP, quickAnswers } from './scripts/cli-quick.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--cli-package DIR`: only the CLI of the npm package (scripts/pack-cli.mjs), into DIR/dist
const packageDir = process.argv.includes('--cli-package') ? process.argv[process.argv.indexOf('--cli-package') + 1] : undefined;

/*
 * @scaleway/sdk re-exports all of its ~40 per-product packages, and none of them says it has no
 * side effects, so esbuild kept every product in every bundle that imports one (a command that
 * reads ten products parsed all forty). They are generated API classes with nothing to run at
 * load: marked side-effect free, only the products the code names stay in.
 */
const scalewaySdkWithoutSideEffects = {
  name: 'scaleway-sdk-without-side-effects',
  setup(build) {
    const mark = async (args) => {
      if (args.pluginData?.lzResolved) return undefined;
      const inSdk = /^@scaleway\/sdk/.test(args.path) || (args.path.startsWith('.') && /[\\/]@scaleway[\\/]sdk/.test(args.importer));
      if (!inSdk) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { lzResolved: true } });
      if (r.errors.length > 0 || r.external) return r;
      return { path: r.path, namespace: r.namespace, sideEffects: false };
    };
    build.onResolve({ filter: /^@scaleway\/sdk/ }, mark);
    build.onResolve({ filter: /^\./ }, mark);
  },
};

/*
 * zod's `z` namespace carries `z.locales`, its error messages in 40 languages (257 KB of the
 * 443 KB it adds to a bundle): esbuild keeps a namespace whole. The code sets no locale, so zod
 * speaks its default English, which is the one kept.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: "export { default as en } from './en.js';\n", loader: 'js' }));
  },
};

const plugins = [scalewaySdkWithoutSideEffects, zodEnglishOnly];

/*
 * The CLI's Velero steps load @kubernetes/client-node on demand with `import()`, which keeps the
 * whole package (3.5 MB minified: every model of the Kubernetes API) because a namespace import
 * cannot be tree-shaken. In the CLI's bundle the import gets a module that re-exports only the
 * names src/scaleway reaches through it (`k8s.X`, read from the sources at build time, so a new
 * one is never missing): 1.9 MB. The extension's engine bundle gets the same module.
 */
function kubeClientNamesUsed(dir = 'src/scaleway') {
  const names = new Set();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) for (const n of kubeClientNamesUsed(p)) names.add(n);
    else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\bk8s\.([A-Z]\w+)/g)) names.add(m[1]);
  }
  return names;
}
const kubeClientUsedOnly = {
  name: 'kube-client-used-only',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) => (args.kind === 'dynamic-import' ? { path: 'kube-client', namespace: 'lz-kube-client' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lz-kube-client' }, () => ({
      contents: `export { ${[...kubeClientNamesUsed()].sort().join(', ')} } from '@kubernetes/client-node';\n`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  plugins,
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
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((t) => existsSync(t.entryPoints[0]));

/*
 * The CLI, in the npm package (DIR/dist) and in the repository (dist/cli, started by dist/cli.js,
 * bin/landing-zone.js and the extension's Velero steps): minified ES modules split per command, so
 * `landing-zone --help` parses one small module and `drift` only the products it reads, not the
 * whole 23 MB CommonJS bundle it once was (1.1–1.4 s to start). Bundled CommonJS dependencies
 * call `require` and read `__dirname`, which ES modules lack: the banner gives them both. The
 * chunks sit one folder below the entry, which is where the bundle's own file lookups
 * (function-bundle.ts, png.ts) expect them.
 */
// Bundled CommonJS dependencies call `require` and read `__dirname`, which ES modules lack
const esmBanner = "import { createRequire as __lzCreateRequire } from 'node:module'; import { fileURLToPath as __lzFileURLToPath } from 'node:url'; import { dirname as __lzDirname } from 'node:path'; const require = __lzCreateRequire(import.meta.url); const __filename = __lzFileURLToPath(import.meta.url); const __dirname = __lzDirname(__filename);";

/*
 * The catalog snapshots (catalog/*.json, 310 KB) that validation reads: as `JSON.parse('…')` of
 * one string instead of esbuild's object literal, which V8 parses as code, twice as slowly (about
 * 25 against 13 ms for the 286 KB snapshot in a cold process; every command that validates loads it).
 */
const catalogAsJsonParse = {
  name: 'catalog-as-json-parse',
  setup(build) {
    build.onLoad({ filter: /[\\/]catalog[\\/][^\\/]+\.json$/ }, (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});\n`,
      loader: 'js',
    }));
  },
};

const cliBundle = (outdir, sourcemap) => ({
  bundle: true,
  plugins: [...plugins, kubeClientUsedOnly, catalogAsJsonParse],
  minify: true,
  sourcemap,
  legalComments: 'none',
  logLevel: 'warning',
  entryPoints: { 'landing-zone': 'src/cli/main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  splitting: true,
  target: 'node20',
  external: ['@resvg/resvg-js'],
  banner: { js: esmBanner },
});

/*
 * The cloud half of the extension (SDK, readers, plan/apply, rotations, restores, the sandbox),
 * loaded on first use by src/extension/engine-loader.ts with import(): ES modules split in
 * chunks, so the first cloud command loads its profile part (engine-profile.mjs, no SDK) and
 * Start Sandbox alone loads the sandbox. It was one 3.9 MB CommonJS file that every first use
 * parsed whole. The chunks sit beside the entries in dist/engine/, whose parent is where
 * function-bundle.ts looks for dist/functions.
 */
const engineBundle = {
  ...common,
  entryPoints: { engine: 'src/extension/engine.ts', 'engine-profile': 'src/extension/engine-profile.ts' },
  outdir: 'dist/engine',
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  splitting: true,
  target: 'node20',
  // Apply installs Velero in-process: the Kubernetes client goes in as the CLI's trimmed chunk,
  // loaded only by a Velero step (it was left out, and the packaged extension's apply failed there)
  plugins: [...plugins, kubeClientUsedOnly],
  banner: { js: esmBanner },
};

/*
 * dist/cli.js stays a CommonJS file that `node dist/cli.js …` runs and `require()` returns
 * `runFromProcess` from (bin/landing-zone.js, the extension's cli-runner): it imports the split
 * ES module build beside it. `--help`, `--version`, no command at all and each command's own
 * `--help` are answered by the launcher itself, with the text (and exit code) main() gave for them
 * when the build ran it (scripts/cli-quick.mjs): no ES module loader, no chunk, no catalog
 * snapshot for --version, no engine for `drift --help`.
 */
const cliLauncher = (quick) => [
  "'use strict';",
  '// generated by esbuild.mjs: starts the split ES module build of the CLI in dist/cli/',
  "const { join } = require('node:path');",
  "const { pathToFileURL } = require('node:url');",
  `const quick = ${JSON.stringify(quick ?? {})};`,
  QUICK_LOOKUP,
  'const load = () => {',
  // Node 22+ keeps the compiled code of the bundle between runs (a no-op on Node 20)
  "  try { require('node:module').enableCompileCache?.(); } catch { /* a read-only cache folder: start without it */ }",
  "  return import(pathToFileURL(join(__dirname, 'cli', 'landing-zone.mjs')).href);",
  '};',
  'exports.main = (argv, io) => load().then((cli) => cli.main(argv, io));',
  'exports.runFromProcess = () => {',
  '  const argv = process.argv.slice(2);',
  '  const answer = quickAnswer(quick, argv);',
  '  if (answer) {',
  '    process.stdout.write(answer.out);',
  '    if (answer.err) process.stderr.write(answer.err);',
  '    process.exitCode = answer.code;',
  '    return Promise.resolve();',
  '  }',
  '  return load().then((cli) => cli.runFromProcess(), (err) => {',
  '    process.stderr.write(`landing-zone: cannot load dist/cli (run npm run build): ${err instanceof Error ? err.message : String(err)}\\n`);',
  '    process.exitCode = 1;',
  '  });',
  '};',
  'if (require.main === module) exports.runFromProcess();',
  '',
].join('\n');

async function buildRepositoryCli() {
  // (and the map of the single CommonJS bundle that dist/cli.js used to be)
  for (const old of ['dist/cli', 'dist/cli.js.map']) rmSync(old, { recursive: true, force: true });
  const { metafile } = await esbuild.build({ ...cliBundle('dist/cli', !production), metafile: true });
  writeFileSync('dist/cli.js', cliLauncher(await quickAnswers('dist/cli/landing-zone.mjs')));
  // what each command loads (bench/cli.ts reads it; not shipped)
  writeFileSync('dist/cli/meta.json', JSON.stringify({ outputs: metafile.outputs }));
}

if (packageDir) {
  await esbuild.build(cliBundle(`${packageDir}/dist`, false));
  // the package ships the functions apply deploys beside its bundle (pack-cli copies dist/functions)
  await buildFunctions();
} else if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
  rmSync('dist/engine', { recursive: true, force: true });
  await (await esbuild.context(engineBundle)).watch();
  rmSync('dist/cli', { recursive: true, force: true });
  mkdirSync('dist', { recursive: true });
  // (no quick answers while watching: the launcher loads the build for --help too)
  writeFileSync('dist/cli.js', cliLauncher({}));
  await (await esbuild.context(cliBundle('dist/cli', true))).watch();
} else {
  // each bundle's metafile in dist/meta (what is inside and how big: bench/cli.ts, bench/extension.ts; not shipped)
  mkdirSync('dist/meta', { recursive: true });
  // (and the single CommonJS engine bundle of earlier builds)
  for (const old of ['dist/engine', 'dist/engine.js', 'dist/engine.js.map']) rmSync(old, { recursive: true, force: true });
  await Promise.all([...targets.map(async (t) => {
    const { metafile } = await esbuild.build({ ...t, metafile: true });
    writeFileSync(`dist/meta/${t.outfile.replace(/^dist\//, '').replace(/\.js$/, '')}.json`, JSON.stringify({ outputs: metafile.outputs }));
  }), esbuild.build({ ...engineBundle, metafile: true }).then(({ metafile }) => writeFileSync('dist/meta/engine.json', JSON.stringify({ outputs: metafile.outputs }))), buildRepositoryCli()]);
  // the Serverless Functions apply deploys (dist/functions/<name>.zip)
  await buildFunctions();
}
