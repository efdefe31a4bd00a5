// The layer rules live here: only src/extension may import `vscode` at run time (type-only
// imports are fine everywhere), and src/core stays pure: no fs, no network, no child processes.
import tseslint from 'typescript-eslint';

const vscodeRuntime = {
  name: 'vscode',
  message: 'Only src/extension may import vscode at run time; use `import type` or move the code into src/extension.',
  allowTypeImports: true,
};
const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'child_process', 'worker_threads', 'cluster']
  .flatMap((m) => [m, `node:${m}`])
  .map((name) => ({ name, message: 'src/core is pure: I/O comes in through ports (interfaces) from src/scaleway, src/cli or src/extension.' }));

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
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeRuntime, ...nodeIo] }] },
  },
  {
    files: ['src/extension/**/*.ts', 'test/integration/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
