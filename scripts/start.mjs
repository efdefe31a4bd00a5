// `npm start`: the main job on the embedded default, step by step, each step a function so later
// issues add theirs (sandbox, apply, drift, diagram) without touching the others.
// Today: build, then validate examples/landing-zone.yaml with the built CLI and print its summary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const EXAMPLE = 'examples/landing-zone.yaml';
const CLI = ['bin/landing-zone.js'];

function step(title, fn) {
  console.error(`\n▶ ${title}`);
  const ok = fn();
  if (!ok) {
    console.error(`✖ ${title} failed`);
    process.exit(1);
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}

// 1. Build the extension, the CLI and the webview bundles (dist/).
function build() {
  return run(process.execPath, ['esbuild.mjs']);
}

// 2. Validate the reference landing zone with the built CLI: zero findings expected; prints
//    projects by role, hubs and the finding counts.
function validate() {
  if (!existsSync('dist/cli.js')) return false;
  return run(process.execPath, [...CLI, 'validate', EXAMPLE, '--summary']);
}

// 3. (sandbox issue) Start the local Scaleway-compatible sandbox.
// 4. (engine issue) Plan and apply the example to the sandbox, then show drift.
// 5. (diagram issue) Write the diagram of the example.

step('Build', build);
step(`Validate ${EXAMPLE}`, validate);
console.error('\n✔ done');
