/*
 * Seeded mutations of a YAML text for the fuzz test (bounded, in `npm test`) and the long run
 * (bench/fuzz.ts): truncations, deleted, duplicated, swapped and shuffled lines, re-indented lines,
 * YAML-significant characters, odd Unicode and type changes.
 */

/** mulberry32: small, fast and reproducible from a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
