// `npx tsx bench/hostile.ts [--bytes 5242880] [--reader fast|yaml] [--only NAME]`: every hostile
// shape of test/unit/fuzz-hostile.ts at the CLI's size limit (5 MB), each validated in its own
// process so that its peak memory is its own. Goals (issue 13): ≤ 2 s and ≤ 300 MB per input, no
// crash, no range outside the document. Prints JSON.
import { spawnSync } from 'node:child_process';
import { validateText } from '../src/core/validate';
import { HOSTILE } from '../test/unit/fuzz-hostile';
import { rangeProblems } from '../test/unit/fuzz-mutate';

const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : fallback; };
const BYTES = Number(arg('bytes', String(5 * 1024 * 1024)));
const READER = arg('reader', 'fast');

if (process.argv.includes('--child')) {
  // one input, in this process: the parent reads one JSON line
  const name = arg('only', '');
  const text = HOSTILE[name]!(BYTES);
  const t0 = performance.now();
  let crashed: string | undefined;
  let findings = 0;
  try {
    findings = validateText(text, 'hostile.yaml', { reader: READER as 'fast' | 'yaml' }).issues.length;
  } catch (err) {
    crashed = err instanceof Error ? err.message : String(err);
  }
  const ms = performance.now() - t0;
  const outside = crashed ? 0 : rangeProblems(text, new Date()).length;
  process.stdout.write(`${JSON.stringify({ name, bytes: Buffer.byteLength(text), ms: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), findings, crashed, rangeProblems: outside })}\n`);
} else {
  const only = arg('only', '');
  const results = [];
  for (const name of Object.keys(HOSTILE)) {
    if (only && name !== only) continue;
    process.stderr.write(`${name}…\n`);
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--only', name, '--bytes', String(BYTES), '--reader', READER], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.trim().split('\n').pop();
    results.push(line ? (JSON.parse(line) as Record<string, unknown>) : { name, crashed: `exit ${r.status}: ${r.stderr.slice(-500)}` });
  }
  const ok = results.every((r) => !r.crashed && (r.ms as number) <= 2000 && (r.peakRssMb as number) <= 300 && r.rangeProblems === 0);
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, bytes: BYTES, reader: READER, goals: '≤ 2000 ms, ≤ 300 MB, no crash, no range outside', results, goalsMet: ok }, null, 2)}\n`);
}
