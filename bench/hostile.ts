// `npx tsx bench/hostile.ts [--bytes 1048576] [--reader fast|yaml] [--only NAME]`: every hostile
// shape of test/unit/fuzz-hostile.ts at the size limit (1 MB, core/yaml-limits.ts), each validated in its own
// process so that its peak memory is its own. Goals (issue 13): ≤ 2 s of CPU and ≤ 300 MB peak per
// input, no crash, no range outside the document. A shape over a goal is measured again in three
// more processes (`shares`): one that only starts, one that only reads the text as validation does
// (SourceDocument), and the `yaml` package alone on it (parseDocument and toJS), so that what is ours
// and what is the YAML reader's are told apart. Prints JSON.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseDocument } from 'yaml';
import { SourceDocument } from '../src/core/document';
import { validateText } from '../src/core/validate';
import { MAX_DOCUMENT_BYTES } from '../src/core/yaml-limits';
import { HOSTILE } from '../test/unit/fuzz-hostile';
import { issueRangeProblems } from '../test/unit/fuzz-mutate';
import type { Issue } from '../src/core/issues';

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

/** Where a shape's cost goes: the process alone, reading it as validation does, or the `yaml` package alone on it. */
const PART = arg('part', 'validate');

/** The goals, on CPU time (wall time on a shared machine measures the neighbours too). */
const met = (r: Record<string, unknown>) => !r.crashed && (r.cpuMs as number) <= 2000 && (r.peakRssMb as number) <= 300 && r.rangeProblems === 0;

if (process.argv.includes('--child') && PART !== 'validate') {
  const name = arg('only', '');
  const text = PART === 'nothing' ? '' : shapeAt(name, BYTES);
  const cpu0 = process.cpuUsage();
  if (PART === 'read') void new SourceDocument(text, 'hostile.yaml', READER as 'fast' | 'yaml').value;
  // the options SourceDocument gives yaml, and the plain value it builds when the text is readable
  if (PART === 'yaml') {
    try {
      parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' }).toJS({ maxAliasCount: 100 });
    } catch { /* an alias bomb: yaml refuses it, as it should */ }
  }
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
} else if (process.argv.includes('--child')) {
  // one input, in this process: the parent reads one JSON line
  const name = arg('only', '');
  const text = shapeAt(name, BYTES);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let crashed: string | undefined;
  let issues: Issue[] = [];
  try {
    issues = validateText(text, 'hostile.yaml', { reader: READER as 'fast' | 'yaml' }).issues;
  } catch (err) {
    crashed = err instanceof Error ? err.message : String(err);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // the peak before the ranges are checked: the check is the bench's, not the validation's
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const outside = crashed ? 0 : issueRangeProblems(text, issues).length;
  const rules = [...new Set(issues.map((i) => i.ruleId))];
  process.stdout.write(`${JSON.stringify({ name, bytes: Buffer.byteLength(text), ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb, findings: issues.length, rules, crashed, rangeProblems: outside })}\n`);
} else {
  const only = arg('only', '');
  const results = [];
  for (const name of Object.keys(HOSTILE)) {
    if (only && name !== only) continue;
    process.stderr.write(`${name}…\n`);
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--only', name, '--bytes', String(BYTES), '--reader', READER], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.trim().split('\n').pop();
    const result: Record<string, unknown> = line ? (JSON.parse(line) as Record<string, unknown>) : { name, crashed: `exit ${r.status}: ${r.stderr.slice(-500)}` };
    if (!met(result)) {
      // over a goal: how much of it the reading alone costs, and the yaml package alone on the same text
      const part = (p: string) => {
        const x = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', '--part', p, '--only', name, '--bytes', String(BYTES), '--reader', READER], { encoding: 'utf8', maxBuffer: 1 << 20 });
        const l = x.stdout.trim().split('\n').pop();
        return l ? (JSON.parse(l) as Record<string, unknown>) : { crashed: `exit ${x.status}: ${x.stderr.slice(-300)}` };
      };
      result.shares = { processAlone: part('nothing'), reading: part('read'), yamlPackageAlone: part('yaml') };
    }
    results.push(result);
  }
  const ok = results.every(met);
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, load: loadavg().map((l) => Number(l.toFixed(2))), bytes: BYTES, reader: READER, goals: '≤ 2000 ms of CPU, ≤ 300 MB peak, no crash, no range outside (shares: a process doing nothing, reading only, the yaml package alone)', results, goalsMet: ok }, null, 2)}\n`);
}
