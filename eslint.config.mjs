// The layer rules live here: the whole layer map of DESIGN.md ("who may import whom"). Only
// src/extension may import `vscode` at run time (type-only imports are fine everywhere), src/core
// stays pure (no fs, no network, no child processes, no `process`), and each layer imports only
// the layers below it. A deliberate exception is named below with its reason. Import loops are
// held by test/unit/import-graph.test.ts.
import tseslint from 'typescript-eslint';

const vscodeRuntime = {
  name: 'vscode',
  message: 'Only src/extension may import vscode at run time; use `import type` or move the code into src/extension.',
  allowTypeImports: true,
};
const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'child_process', 'worker_threads', 'cluster']
  .flatMap((m) => [m, `node:${m}`])
  .map((name) => ({ name, message: 'src/core is pure: I/O comes in through ports (interfaces) from src/scaleway, src/cli or src/extension.' }));

/** An import of another layer, by the relative path an import in this repository uses to reach it. */
const layer = (name, message, extra = {}) => ({ group: [`**/${name}/**`, `**/${name}`], message, ...extra });
const layers = {
  core: (why) => layer('core', why),
  protocol: (why) => layer('protocol', why),
  scaleway: (why) => layer('scaleway', why),
  cli: (why) => layer('cli', why),
  extension: (why) => layer('extension', why),
  sandbox: (why) => layer('sandbox', why),
  webview: (why) => layer('webview', why),
};
const restrict = (paths, patterns) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'tools/**', '.vscode-test/**', 'bin/**', 'bench/results/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeRuntime] }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime, ...nodeIo], ['protocol', 'scaleway', 'cli', 'extension', 'sandbox', 'webview'].map((l) => layers[l](`src/core imports nothing of ours above it (${l} is above it).`))),
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: the caller passes what it needs from process (env, cwd, time).' }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime], [
        ...['scaleway', 'cli', 'extension', 'sandbox', 'webview'].map((l) => layers[l](`src/protocol is shared by both ends of a message: it may import src/core types only, not ${l}.`)),
        { ...layers.core('src/protocol may import only the types of src/core.'), allowTypeImports: true },
      ]),
    },
  },
  {
    files: ['src/scaleway/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime], ['protocol', 'cli', 'extension', 'sandbox', 'webview'].map((l) => layers[l](`src/scaleway (the SDK adapter) may import src/core only, not ${l}.`))) },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime], ['extension', 'webview'].map((l) => layers[l](`src/cli may import core, scaleway, protocol and sandbox, not ${l}.`))) },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime], ['core', 'protocol', 'scaleway', 'cli', 'extension', 'webview'].map((l) => layers[l](`src/sandbox is the world, not the tool: it imports nothing of ours (${l}); it may read data files.`))) },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([], [
        ...['cli', 'webview'].map((l) => layers[l](`src/extension may import core, scaleway and protocol, not ${l}.`)),
        { ...layers.sandbox('src/extension uses the sandbox only to start it, through the engine bundle (engine.ts).'), allowTypeImports: true },
      ]),
    },
  },
  {
    // named exception: the engine bundle's entry starts the local sandbox ("Start Sandbox"), the
    // one use of src/sandbox that DESIGN.md grants the extension
    files: ['src/extension/engine.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([], ['cli', 'webview'].map((l) => layers[l](`src/extension may import core, scaleway and protocol, not ${l}.`))) },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([vscodeRuntime], [
        ...['scaleway', 'cli', 'extension', 'sandbox'].map((l) => layers[l](`webview is browser code: it may import src/protocol and the pure drawing code of src/core/diagram, not ${l}.`)),
        // named exception: the layer names of the diagram's toolbar are a type of core/topology (erased at build)
        { regex: '/src/core/(?!diagram/|topology$)', message: 'webview may import only src/core/diagram (the pure drawing code) of src/core.' },
        { group: ['**/src/core/topology'], message: 'webview may import only types from src/core/topology.', allowTypeImports: true },
      ]),
    },
  },
  {
    files: ['test/integration/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
