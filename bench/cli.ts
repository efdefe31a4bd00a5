// bench/cli: the CLI's cold start as a user meets it — a new process per run, the way a shell or
// a CI job starts `landing-zone`, timed like hyperfine (warm-up runs, then runs interleaved across
// the commands, so load that comes and goes hits them all alike). Prints JSON on stdout:
//   commands[name]   median / min / p90 wall of the whole process, ms; `overNodeMs` = median minus
//                    `node -e 0`'s (what our code costs on top of starting Node)
//   loads[name]      what the command's modules weigh (dist/cli/meta.json from the build): bytes
//                    parsed, and the @scaleway/sdk products and other large packages among them
//                    (--help, --version and a command's --help: the launcher alone, which answers them itself)
//   targets          `--help` ≤ 150 ms; `drift --help` ≤ 10 ms over `--help`
// usage: npx tsx bench/cli.ts [--runs 20] [--warmup 3]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const CLI = join(root, 'bin', 'landing-zone.js');
const EXAMPLE = join(root, 'examples', 'landing-zone.yaml');
const CASES: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  '--help': [CLI, '--help'],
  '--version': [CLI, '--version'],
  'validate example': [CLI, 'validate', EXAMPLE],
  'drift --help': [CLI, 'drift', '--help'],
};

interface Meta { outputs: Record<string, { bytes: number; entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, { bytesInOutput: number }> }> }

/** The outputs a module loads before it runs: itself and its static imports, transitively. */
function staticClosure(meta: Meta, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const o = stack.pop()!;
    if (seen.has(o) || !meta.outputs[o]) continue;
    seen.add(o);
    for (const i of meta.outputs[o]!.imports) if (i.kind === 'import-statement' && i.path.startsWith('dist/')) stack.push(i.path);
  }
  return seen;
}

/** Per command: bytes of JavaScript parsed to run it, and which SDK products and large packages are among them. */
function loads(): Record<string, unknown> {
  const file = join(root, 'dist', 'cli', 'meta.json');
  if (!existsSync(file)) return { error: 'dist/cli/meta.json is missing: run npm run build' };
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Meta;
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === 'src/cli/main.ts')!;
  const base = staticClosure(meta, entry);
  const out: Record<string, unknown> = {};
  const describe = (outs: Set<string>) => {
    const packages = new Map<string, number>();
    for (const o of outs) {
      for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[o]!.inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const name = m ? m[1]! : 'ours';
        packages.set(name, (packages.get(name) ?? 0) + bytesInOutput);
      }
    }
    const bytes = [...outs].reduce((s, o) => s + meta.outputs[o]!.bytes, 0);
    return {
      kb: Math.round(bytes / 1024),
      sdkProducts: [...packages.keys()].filter((p) => p.startsWith('@scaleway/sdk-')).map((p) => p.slice('@scaleway/sdk-'.length)).sort(),
      largest: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([p, b]) => `${p} ${Math.round(b / 1024)} KB`),
    };
  };
  // --help, --version and a command's --help are answered by the launcher (dist/cli.js, scripts/cli-quick.mjs): no module of dist/cli
  const launcherKb = Math.round(statSync(join(root, 'dist', 'cli.js')).size / 1024);
  out['--help'] = { kb: launcherKb, sdkProducts: [], largest: [`launcher (dist/cli.js) ${launcherKb} KB`] };
  out['--version'] = out['--help'];
  out['<command> --help'] = out['--help'];
  out['any other command'] = describe(base);
  for (const [o, v] of Object.entries(meta.outputs)) {
    const m = /^src\/cli\/commands\/([\w-]+)\.ts$/.exec(v.entryPoint ?? '');
    if (m) out[m[1]!] = describe(new Set([...base, ...staticClosure(meta, o)]));
  }
  return out;
}

function main(): void {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build');
  const runs = arg('runs', 20);
  const warmup = arg('warmup', 3);
  const load0 = loadavg();
  const times = new Map<string, number[]>(Object.keys(CASES).map((k) => [k, []]));
  for (let r = -warmup; r < runs; r += 1) {
    for (const [name, args] of Object.entries(CASES)) {
      const t0 = performance.now();
      const p = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const ms = performance.now() - t0;
      if (p.status !== 0) throw new Error(`${name} exited ${p.status}: ${p.stderr}`);
      if (r >= 0) times.get(name)!.push(ms);
    }
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
    return { medianMs: Math.round(q(0.5)), minMs: Math.round(s[0]!), p90Ms: Math.round(q(0.9)) };
  };
  const floor = stat(times.get('node -e 0')!).medianMs;
  const commands = Object.fromEntries([...times].map(([k, v]) => {
    const s = stat(v);
    return [k, { ...s, ...(k === 'node -e 0' ? {} : { overNodeMs: s.medianMs - floor }) }];
  }));
  const help = commands['--help'] as { medianMs: number };
  // a command's own --help should cost what --help costs: the launcher answers both
  const commandHelpOverHelpMs = (commands['drift --help'] as { medianMs: number }).medianMs - help.medianMs;
  process.stdout.write(JSON.stringify({
    bench: 'cli',
    node: process.version,
    runs,
    loadAverage: { before: load0.map((x) => Math.round(x * 10) / 10), after: loadavg().map((x) => Math.round(x * 10) / 10) },
    commands,
    loads: loads(),
    commandHelpOverHelpMs,
    targets: { helpMs: 150, commandHelpOverHelpMs: 10 },
    pass: help.medianMs <= 150 && commandHelpOverHelpMs <= 10,
  }, null, 2) + '\n');
}

main();
