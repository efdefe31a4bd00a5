import * as assert from 'node:assert/strict';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { fastParse, fastParseWithValue } from '../../src/core/fast-yaml';
import type { Issue, Range } from '../../src/core/issues';
import { validateText } from '../../src/core/validate';
import { mulberry32 } from '../../src/sandbox/prng';

/*
 * Seeded mutations of a YAML text for the fuzz test (bounded, in `npm test`) and the long run
 * (bench/fuzz.ts): truncations, deleted, duplicated, swapped and shuffled lines, re-indented lines,
 * YAML-significant characters, odd Unicode and type changes.
 */

/** The sandbox's seeded PRNG (mulberry32): the same seed gives the same mutations. */
export const prng = mulberry32;

const NOISE = [':', '{', '}', '[', ']', '-', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '\t', ' ', '\n', '\r\n', '? ', '<<: *a', '&a ', '\u0000', '\ufeff', '😀', 'é', '\u2028', 'null', '~', 'true', '1e9', '-1', '0x1F', '"latest"', 'SCWABCDEFGHIJKLMNOPQ', '10.0.0.300/33'];

export type Mutation = (text: string, rand: () => number) => string;

const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)]!;
const lines = (t: string) => t.split('\n');

export const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  deleteLine: (t, r) => { const l = lines(t); l.splice(Math.floor(r() * l.length), 1); return l.join('\n'); },
  duplicateLine: (t, r) => { const l = lines(t); const i = Math.floor(r() * l.length); l.splice(i, 0, l[i]!); return l.join('\n'); },
  swapLines: (t, r) => { const l = lines(t); const i = Math.floor(r() * l.length); const j = Math.floor(r() * l.length); [l[i], l[j]] = [l[j]!, l[i]!]; return l.join('\n'); },
  shuffleBlock: (t, r) => {
    const l = lines(t); const i = Math.floor(r() * l.length); const n = 2 + Math.floor(r() * 8);
    const block = l.slice(i, i + n);
    for (let k = block.length - 1; k > 0; k--) { const j = Math.floor(r() * (k + 1)); [block[k], block[j]] = [block[j]!, block[k]!]; }
    l.splice(i, block.length, ...block);
    return l.join('\n');
  },
  reindent: (t, r) => { const l = lines(t); const i = Math.floor(r() * l.length); l[i] = ' '.repeat(Math.floor(r() * 9)) + l[i]!.trimStart(); return l.join('\n'); },
  insertNoise: (t, r) => { const i = Math.floor(r() * (t.length + 1)); return t.slice(0, i) + pick(NOISE, r) + t.slice(i); },
  replaceChar: (t, r) => { const i = Math.floor(r() * t.length); return t.slice(0, i) + pick(NOISE, r) + t.slice(i + 1); },
  replaceScalar: (t, r) => {
    const l = lines(t); const i = Math.floor(r() * l.length);
    l[i] = l[i]!.replace(/: [^{[\n]+$/, `: ${pick(NOISE, r)}`);
    return l.join('\n');
  },
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  blockScalar: (t, r) => {
    const l = lines(t); const i = Math.floor(r() * l.length);
    const m = /^(\s*)([^:#]+): ([^{[\n]+)$/.exec(l[i]!);
    if (m) l[i] = `${m[1]}${m[2]}: ${pick(['|', '|-', '>', '>-', '|+', '>2'], r)}\n${m[1]}${' '.repeat(1 + Math.floor(r() * 3))}${m[3]}${r() < 0.3 ? `\n${m[1]}  second line` : ''}${r() < 0.2 ? '\n' : ''}`;
    return l.join('\n');
  },
};

/** Applies 1–4 random mutations. */
export function mutate(text: string, rand: () => number): { text: string; applied: string[] } {
  const names = Object.keys(MUTATIONS);
  const applied: string[] = [];
  let out = text;
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const name = pick(names, rand);
    applied.push(name);
    out = MUTATIONS[name]!(out, rand);
  }
  return { text: out, applied };
}

/** Problems with one result, as readable strings (empty when everything holds). */
export function rangeProblems(text: string, now: Date): string[] {
  return issueRangeProblems(text, validateText(text, 'fuzz.yaml', { now }).issues);
}

/** The same checks on findings already made (bench/hostile.ts checks the run it measured). */
export function issueRangeProblems(text: string, issues: readonly Issue[]): string[] {
  const docLines = text.split('\n');
  const problems: string[] = [];
  const inside = (r: Range, what: string) => {
    for (const p of [r.start, r.end]) {
      if (p.line < 0 || p.line >= docLines.length || p.character < 0 || p.character > docLines[p.line]!.length) {
        problems.push(`${what}: ${p.line}:${p.character} outside the document`);
      }
    }
    if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) problems.push(`${what}: start after end`);
  };
  for (const i of issues) {
    inside(i.range, `${i.ruleId} "${i.message}"`);
    for (const e of i.fix?.edits ?? []) inside(e.range, `${i.ruleId} fix edit`);
    if (i.ruleId === 'internal') problems.push(i.message);
  }
  return problems;
}

/** A comparable outline of a node tree: kinds, values, flow and full ranges [start, valueEnd, nodeEnd]. */
function outline(node: unknown): unknown {
  if (isMap(node)) return { map: node.flow ? 'flow' : 'block', range: node.range, items: node.items.map((p) => [outline(p.key), outline(p.value)]) };
  if (isSeq(node)) return { seq: node.flow ? 'flow' : 'block', range: node.range, items: node.items.map(outline) };
  if (isScalar(node)) return { scalar: node.value, type: node.type, range: node.range };
  if (isPair(node)) return { pair: true };
  return node === null || node === undefined ? null : { other: String(node) };
}

/** undefined when the fast path declined; otherwise a description of any difference. */
export function difference(text: string): string | undefined {
  const fast = fastParse(text);
  if (!fast) return undefined;
  const slow = parseDocument(text, { uniqueKeys: false, logLevel: 'silent' });
  if (slow.errors.length > 0) return `yaml reports ${slow.errors[0]!.code} but the fast path accepted the text`;
  try {
    assert.deepEqual(outline(fast.contents), outline(slow.contents));
    assert.deepEqual(fast.toJS(), slow.toJS());
    assert.deepEqual(fastParseWithValue(text)!.value, slow.toJS());
  } catch (err) {
    return (err as Error).message.slice(0, 3000);
  }
  return undefined;
}


/**
 * undefined when validation gives the same answer whichever YAML reader runs; otherwise the first
 * difference (findings with their messages, ranges, paths and fixes, and whether a model was built).
 */
export function validationDifference(text: string, now = new Date('2026-06-01T00:00:00Z')): string | undefined {
  const fast = validateText(text, 'diff.yaml', { now, reader: 'fast' });
  const slow = validateText(text, 'diff.yaml', { now, reader: 'yaml' });
  try {
    assert.deepEqual(fast.issues, slow.issues);
    assert.equal(fast.model === undefined, slow.model === undefined, 'one reader built a model, the other did not');
    if (fast.model && slow.model) assert.deepEqual(fast.model.spec, slow.model.spec);
  } catch (err) {
    return (err as Error).message.slice(0, 3000);
  }
  return undefined;
}
