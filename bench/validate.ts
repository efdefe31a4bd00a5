// `npx tsx bench/validate.ts [--runs N]`: parse + validate time of examples/landing-zone.yaml and of
// a generated 500-project file, side by side in one process with yaml-language-server's
// doValidation using our JSON Schema on the same text. Runs are warm and interleaved (ours, theirs,
// ours, …) so machine load hits both alike; prints JSON with medians, means and the ratio.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server';
import { validateText } from '../src/core/validate';
import { generateLandingZone } from './generate';

const root = join(__dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
// Warm-up until the JIT has settled for both sides: at least 5 runs and 3 s, whichever is longer
// (hundreds of runs for the example, a few for the 500-project file).
const WARMUP_RUNS = 5;
const WARMUP_MS = 3000;
const SCHEMA_URI = 'file:///schemas/landing-zone.schema.json';
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'landing-zone.schema.json'), 'utf8')) as Record<string, unknown>;

const ls = getLanguageService({
  schemaRequestService: (uri: string) => (uri === SCHEMA_URI ? Promise.resolve(JSON.stringify(schema)) : Promise.reject(new Error(`no schema ${uri}`))),
  workspaceContext: { resolveRelativePath: (relative: string) => relative },
});
ls.configure({ validate: true, hover: false, completion: false, format: false, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*landing-zone.yaml'], schema }] });

let version = 0;
/** A new version each time, so yaml-language-server re-parses instead of answering from its cache. */
const theirs = (text: string) => ls.doValidation(TextDocument.create('file:///bench/landing-zone.yaml', 'yaml', ++version, text), false);
// the read-only surfaces' reader (editor, `validate`); the anchor rows below measure the yaml reader
const ours = (text: string) => validateText(text, 'landing-zone.yaml', { reader: 'fast' });

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { medianMs: round(median), meanMs: round(xs.reduce((a, b) => a + b, 0) / xs.length), minMs: round(s[0]!) };
};
const round = (x: number) => Math.round(x * 1000) / 1000;

async function measure(name: string, text: string, oursFn: (text: string) => unknown = ours) {
  const ours = oursFn as (text: string) => ReturnType<typeof validateText>;
  const oursResult = ours(text);
  const theirsResult = await theirs(text);
  const warmStart = performance.now();
  for (let i = 0; i < WARMUP_RUNS || performance.now() - warmStart < WARMUP_MS; i++) { ours(text); await theirs(text); }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    ours(text);
    a.push(performance.now() - t);
    t = performance.now();
    await theirs(text);
    b.push(performance.now() - t);
  }
  const o = stats(a);
  const y = stats(b);
  return {
    name,
    bytes: Buffer.byteLength(text),
    lines: text.split('\n').length,
    ours: { ...o, findings: oursResult.issues.length, checks: 'syntax, schema, semantic and policy rules' },
    yamlLanguageServer: { ...y, diagnostics: theirsResult.length, checks: 'syntax and JSON Schema' },
    ratio: round(o.medianMs / y.medianMs),
    /** Best case against best case: the least disturbed by other processes on a loaded machine. */
    minRatio: round(o.minMs / y.minMs),
  };
}

function withAnchor(text: string): string {
  let first = true;
  const out = text.replace(/allowFrom: \[security, devops\]/g, () => (first ? ((first = false), 'allowFrom: &hubs [security, devops]') : 'allowFrom: *hubs'));
  if (first) throw new Error('no allowFrom to rewrite');
  return out;
}

async function mainBench() {
  const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');
  const large = generateLandingZone(500);
  const results = [
    await measure('examples/landing-zone.yaml', example),
    await measure('generated 500 projects', large),
    // An anchor and aliases (`allowFrom: &hubs [...]`, `*hubs`) make our fast YAML path decline:
    // the general-parser case.
    await measure('examples/landing-zone.yaml with an anchor (general YAML parser)', withAnchor(example)),
    // minutes on a loaded machine (yaml-language-server expands every alias): `--quick` leaves it out
    ...(process.argv.includes('--quick') ? [] : [await measure('generated 500 projects with an anchor (general YAML parser)', withAnchor(large))]),
    await measure('generated 500 projects, yaml reader (what plan and apply read with)', large, (text) => validateText(text, 'landing-zone.yaml')),
  ];
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    runs: RUNS,
    target: 'ratio ≤ 0.5 (ours / yaml-language-server, medians)',
    results,
    targetMet: results.slice(0, 2).every((r) => r.ratio <= 0.5),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

void mainBench();
