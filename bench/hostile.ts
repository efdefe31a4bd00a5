// `npx tsx bench/hostile.ts [--bytes 1048576] [--reader fast|yaml] [--only NAME]`: every hostile
// shape of test/unit/fuzz-hostile.ts at the size limit (1 MB, core/yaml-limits.ts), each validated in its own
// process so that its peak memory is its own. Goals (issue 13): ≤ 2 s and ≤ 300 MB per input, no
// crash, no range outside the document. Prints JSON.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { validateText } from '../src/core/validate';
import { MAX_DOCUMENT_BYTES } from '../src/core/yaml-limits';
import { HOSTILE } from '../test/unit/fuzz-hostile';
import { rangeProblems } from '../test/unit/fuzz-mutate';

const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : fallback; };
// at the limit by default; a shape's generator may overshoot by a line, so it is asked again for a
// little less until it fits (a file over the limit is only the one document-size finding)
const BYTES = Number(arg('bytes', String(MAX_DOCUMENT_BYTES)));

/** The shape at `bytes` or just under, never over. */
function shapeAt(name: string, bytes: number): string {
  let target = bytes;
  let text = HOSTILE[name]!(target);
  for (let i = 0; i < 8 && Buffer.byteLength(text) > bytes; i++) {
    target -= Buffer.byteLength(text) - bytes + 64;
    text = HOSTILE[name]!(target);
  }
  return text;
}
const READER = arg('reader', 'fast');

if (process.argv.includes('--child')) {
  // one input, in this process: the parent reads one JSON line
  const name = arg('only', '');
  const text = shapeAt(name, BYTES);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let crashed: string | undefined;
  let findings = 0;
  let rules: string[] = [];
  try {
    const issues = validateText(text, 'hostile.yaml', { reader: READER as 'fast' | 'yaml' }).issues;
    findings = issues.length;
    rules = [...new Set(issues.map((i) => i.ruleId))];
  } catch (err) {
    crashed = err instanceof Error ? err.message : String(err);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const outside = crashed ? 0 : rangeProblems(text, new Date()).length;
  process.stdout.write(`${JSON.stringify({ name, bytes: Buffer.byteLength(text), ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), findings, rules, crashed, rangeProblems: outside })}\n`);
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
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, load: loadavg().map((l) => Number(l.toFixed(2))), bytes: BYTES, reader: READER, goals: '≤ 2000 ms, ≤ 300 MB, no crash, no range outside', results, goalsMet: ok }, null, 2)}\n`);
}
