// bench/faults: the engine's robustness trials in full (npm test runs a few of each).
//   faults  apply the example under 10 % 429 + 10 % 503 + 2 % connection resets: converges, no
//           duplicate, no orphan — 20 seeds
//   kill    kill -9 `landing-zone apply` at a random step (a random count of started operations in
//           the journal), apply again: completes, resumes, no duplicate, in sync — 20 trials
// Prints JSON on stdout. usage: npx tsx bench/faults.ts [--trials 20] [--parallel 2]
import { faultTrial, killTrial, type TrialResult } from '../test/unit/engine/trials';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

async function pool(seeds: number[], parallel: number, fn: (seed: number) => Promise<TrialResult>): Promise<TrialResult[]> {
  const out: TrialResult[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < seeds.length) {
      const seed = seeds[next++]!;
      const r = await fn(seed);
      process.stderr.write(`[bench] seed ${seed}: ${r.ok ? 'ok' : 'FAILED'} (${r.ms} ms) ${r.detail}\n`);
      out.push(r);
    }
  }));
  return out.sort((a, b) => a.seed - b.seed);
}

async function main(): Promise<void> {
  const trials = arg('trials', 20);
  const parallel = arg('parallel', 2);
  const seeds = Array.from({ length: trials }, (_, i) => i + 1);
  const faults = await pool(seeds, parallel, faultTrial);
  const kills = await pool(seeds.map((s) => 100 + s), parallel, killTrial);
  const summary = (rs: TrialResult[]) => ({ trials: rs.length, passed: rs.filter((r) => r.ok).length, failures: rs.filter((r) => !r.ok).map((r) => ({ seed: r.seed, detail: r.detail })), meanMs: Math.round(rs.reduce((n, r) => n + r.ms, 0) / Math.max(1, rs.length)) });
  process.stdout.write(JSON.stringify({ bench: 'faults', faults: summary(faults), kill: summary(kills) }, null, 2) + '\n');
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
