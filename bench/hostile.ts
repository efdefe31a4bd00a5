// `npx tsx bench/hostile.ts [--bytes 1048576] [--reader fast|yaml] [--only NAME] [--source]`: every
// hostile shape of test/unit/fuzz-hostile.ts at the size limit (1 MB, core/yaml-limits.ts), each
// validated in its own process so that its peak memory is its own. Goals (issue 13): ≤ 2 s of CPU and
// ≤ 300 MB peak per input, no crash, no range outside the document.
//
// The children run this file bundled by esbuild, as the CLI and the editor's worker run the engine
// (`--source` runs them under tsx instead, whose loader adds about 100 MB and its own CPU). For
// every shape it also measures, each in a process of its own: the `yaml` package alone on the text
// (parseDocument and toJS, the yaml-only share), and `landing-zone validate` itself when dist/cli.js
// is built (CPU and peak of the whole command, from /usr/bin/time). A shape over a goal is measured
// again reading only (SourceDocument), so that what is ours and what is the reader's are told apart.
// Prints JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { SourceDocument } from '../src/core/document';
import { validateText } from '../src/core/validate';
import { MAX_DOCUMENT_BYTES, YAML_OPTIONS } from '../src/core/yaml-limits';
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

const cpuMs = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (process.argv.includes('--child') && PART !== 'validate') {
  const name = arg('only', '');
  const text = PART === 'nothing' ? '' : shapeAt(name, BYTES);
  const cpu0 = process.cpuUsage();
  if (PART === 'read') void new SourceDocument(text, 'hostile.yaml', READER as 'fast' | 'yaml').value;
  // the options SourceDocument gives yaml, and the plain value it builds when the text is readable
  if (PART === 'yaml') {
    try {
      parseDocument(text, YAML_OPTIONS).toJS({ maxAliasCount: 100 });
    } catch { /* an alias bomb: yaml refuses it, as it should */ }
  }
  process.stdout.write(`${JSON.stringify({ cpuMs: cpuMs(process.cpuUsage(cpu0)), peakRssMb: peakMb() })}\n`);
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
  const peakRssMb = peakMb();
  const outside = crashed ? 0 : issueRangeProblems(text, issues).length;
  const rules = [...new Set(issues.map((i) => i.ruleId))];
  process.stdout.write(`${JSON.stringify({ name, bytes: Buffer.byteLength(text), ms: Math.round(ms), cpuMs: cpuMs(cpu), peakRssMb, findings: issues.length, rules, crashed, rangeProblems: outside })}\n`);
} else if (process.argv.includes('--write')) {
  // the shape as a file, for the CLI's own run
  writeFileSync(arg('write', ''), shapeAt(arg('only', ''), BYTES));
} else {
  void main();
}

async function main(): Promise<void> {
  const only = arg('only', '');
  const work = mkdtempSync(join(tmpdir(), 'lz-hostile-'));
  // the children run the engine bundled, as the CLI and the editor's worker do
  let child: string[] = [...process.execArgv, __filename];
  if (!process.argv.includes('--source')) {
    const esbuild = await import('esbuild');
    const outfile = join(work, 'hostile.cjs');
    await esbuild.build({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', external: ['esbuild'] });
    child = [outfile];
  }
  const run = (extra: string[]) => {
    const r = spawnSync(process.execPath, [...child, '--child', '--bytes', String(BYTES), '--reader', READER, ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.trim().split('\n').pop();
    return line ? (JSON.parse(line) as Record<string, unknown>) : { crashed: `exit ${r.status}: ${r.stderr.slice(-500)}` };
  };
  const cli = join(__dirname, '..', 'dist', 'cli.js');
  const timer = '/usr/bin/time';
  const results = [];
  for (const name of Object.keys(HOSTILE)) {
    if (only && name !== only) continue;
    process.stderr.write(`${name}…\n`);
    const result: Record<string, unknown> = { name, ...run(['--only', name]) };
    result.yamlAlone = run(['--only', name, '--part', 'yaml']);
    if (existsSync(cli) && existsSync(timer)) {
      // the whole command, start to exit: node's start, the CLI's modules, reading the file, the report
      const file = join(work, `${name}.yaml`);
      spawnSync(process.execPath, [...child, '--write', file, '--only', name, '--bytes', String(BYTES)]);
      const r = spawnSync(timer, ['-f', 'LZTIME %U %S %M', process.execPath, cli, 'validate', '--file', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const m = /LZTIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
      result.cli = m ? { cpuMs: Math.round((Number(m[1]) + Number(m[2])) * 1000), peakRssMb: Math.round(Number(m[3]) / 1024), exit: r.status } : { crashed: r.stderr.slice(-300) };
      rmSync(file, { force: true });
    }
    if (!met(result)) {
      // over a goal: a process that only starts, and one that only reads the text as validation does
      result.shares = { processAlone: run(['--only', name, '--part', 'nothing']), reading: run(['--only', name, '--part', 'read']) };
    }
    results.push(result);
  }
  rmSync(work, { recursive: true, force: true });
  const ok = results.every(met);
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, load: loadavg().map((l) => Number(l.toFixed(2))), bytes: BYTES, reader: READER, engine: process.argv.includes('--source') ? 'source (tsx)' : 'bundled (esbuild)', goals: '≤ 2000 ms of CPU, ≤ 300 MB peak, no crash, no range outside (yamlAlone: the yaml package alone on the text; cli: landing-zone validate, whole process)', results, goalsMet: ok }, null, 2)}\n`);
}
