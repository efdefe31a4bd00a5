import { readFileSync } from 'node:fs';
import { randomDocument, landingZoneDocument } from './test/unit/fuzz-yaml-generate';
import { difference, prng, validationDifference } from './test/unit/fuzz-mutate';
import { fastParse } from './src/core/fast-yaml';
const N = Number(process.argv[2] ?? 3000);
const seed = Number(process.argv[3] ?? 1);
const rand = prng(seed);
const example = readFileSync('examples/landing-zone.yaml', 'utf8');
const byClass = new Map<string, number>();
let accepted = 0, fails = 0;
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const g = i % 5 === 4 ? landingZoneDocument(rand, example) : randomDocument(rand);
  let diff: string | undefined;
  try { diff = difference(g.text) ?? (i % 5 === 4 || i % 10 === 0 ? validationDifference(g.text) : undefined); } catch (e) { diff = 'THROW ' + (e as Error).stack; }
  if (fastParse(g.text)) accepted++;
  if (diff) {
    fails++;
    for (const c of g.classes.length ? g.classes : ['none']) byClass.set(c, (byClass.get(c) ?? 0) + 1);
    if (fails <= Number(process.env.SHOW ?? 3)) console.log('----', i, g.classes, JSON.stringify(g.text).slice(0, 1500), '\n', diff.slice(0, 1500));
  }
}
console.log({ N, accepted, fails, ms: Date.now() - t0, byClass: Object.fromEntries(byClass) });
