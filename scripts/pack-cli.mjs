// `npm run pack:cli`: the CLI as an npm package, `dist/scaleway-landing-zone-cli-<version>.tgz`.
// The package is the minified, per-command split bundle (esbuild.mjs --cli-package), the fonts
// that PNG export sets its labels in, the JSON Schema and a README; its one dependency is the
// native PNG rasteriser. No devDependency is needed at run time, and no package.json in the
// repository that installs it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { QUICK_LOOKUP, quickAnswers } from './cli-quick.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist', 'cli-package');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`pack-cli: ${cmd} ${args.join(' ')} exited ${r.status}\n`);
    process.exit(1);
  }
  return r.stdout;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'bin'), { recursive: true });
run(process.execPath, [join(root, 'esbuild.mjs'), '--cli-package', out], root);

// --help, --version and each command's --help answered by the bin itself, as in the repository's
// launcher (scripts/cli-quick.mjs): no chunk of the bundle is loaded for them
const quick = await quickAnswers(join(out, 'dist', 'landing-zone.mjs'));
writeFileSync(join(out, 'bin', 'landing-zone.mjs'), [
  '#!/usr/bin/env node',
  "import module from 'node:module';",
  `const quick = ${JSON.stringify(quick)};`,
  QUICK_LOOKUP,
  'const argv = process.argv.slice(2);',
  'const answer = quickAnswer(quick, argv);',
  'if (answer) {',
  '  process.stdout.write(answer.out);',
  '  if (answer.err) process.stderr.write(answer.err);',
  '  process.exitCode = answer.code;',
  '} else {',
  '  // Node 22+ keeps the compiled code of the bundle between runs (a no-op on Node 20)',
  '  try { module.enableCompileCache?.(); } catch { /* a read-only cache folder: start without it */ }',
  "  import('../dist/landing-zone.mjs').then((cli) => cli.runFromProcess());",
  '}',
  '',
].join('\n'), { mode: 0o755 });

const fonts = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')));
mkdirSync(join(out, 'fonts'), { recursive: true });
for (const f of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) copyFileSync(join(fonts, 'ttf', f), join(out, 'fonts', f));
copyFileSync(join(fonts, 'LICENSE'), join(out, 'fonts', 'LICENSE'));

mkdirSync(join(out, 'schemas'), { recursive: true });
copyFileSync(join(root, 'schemas', 'landing-zone.schema.json'), join(out, 'schemas', 'landing-zone.schema.json'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
// data that commands read at run time beside the bundle (the DR function's deployable zip, the catalog snapshot…)
for (const asset of manifest.cliPackage?.assets ?? []) {
  const from = join(root, asset);
  if (!existsSync(from)) {
    process.stderr.write(`pack-cli: ${asset} is missing; run \`npm run build\` first\n`);
    process.exit(1);
  }
  cpSync(from, join(out, asset), { recursive: true });
}

const resvg = manifest.dependencies['@resvg/resvg-js'];
writeFileSync(join(out, 'package.json'), `${JSON.stringify({
  name: manifest.cliPackage.name,
  version: manifest.version,
  description: 'The Scaleway Landing Zone command line: validate, draw, compare, plan and apply a whole Scaleway organisation described in one landing-zone.yaml.',
  license: manifest.license,
  keywords: ['scaleway', 'landing zone', 'drift', 'disaster recovery', 'infrastructure'],
  type: 'module',
  bin: { 'landing-zone': 'bin/landing-zone.mjs' },
  engines: { node: manifest.engines.node },
  dependencies: { '@resvg/resvg-js': resvg },
  files: ['bin', 'dist', 'fonts', 'schemas', ...(manifest.cliPackage?.assets ?? []), 'README.md', 'LICENSE'],
}, null, 2)}\n`);

writeFileSync(join(out, 'README.md'), [
  `# ${manifest.cliPackage.name}`,
  '',
  'The command line of Scaleway Landing Zone: one reviewed `landing-zone.yaml` describes a whole Scaleway',
  'organisation (projects by role, hub-and-spoke network, IAM, keys, secrets, disaster recovery); this',
  'CLI validates it, draws it, compares it with the account, plans and applies it, rotates secrets and',
  'runs disaster-recovery restores. The VS Code extension of the same version shares its engine.',
  '',
  '```sh',
  `npm install --global ${manifest.cliPackage.name}@${manifest.version}`,
  'landing-zone validate landing-zone.yaml',
  'landing-zone --help',
  '```',
  '',
  `Node ${manifest.engines.node}. No package.json is needed in the repository that uses it.`,
  '',
].join('\n'));

const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', join(root, 'dist')], out));
const file = join(root, 'dist', packed[0].filename);
process.stdout.write(`${file}\n`);
process.stderr.write(`pack-cli: ${packed[0].filename}, ${(packed[0].size / 1e6).toFixed(2)} MB packed, ${packed[0].entryCount} files\n`);
