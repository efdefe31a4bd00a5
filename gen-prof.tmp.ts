import { readFileSync } from 'node:fs';
import { randomDocument, landingZoneDocument } from './test/unit/fuzz-yaml-generate';
import { difference, prng, validationDifference } from './test/unit/fuzz-mutate';
import { fastParse } from './src/core/fast-yaml';
const rand = prng(3);
const example = readFileSync('examples/landing-zone.yaml', 'utf8');
const stat: Record<string, { n: number; acc: number; ms: number; max: number }> = {};
for (let i = 0; i < 1000; i++) {
  const lz = i % 5 === 4;
  const g = lz ? landingZoneDocument(rand, example) : randomDocument(rand);
  const kind = lz ? 'lz' : g.classes.includes('K5') ? 'deep' : 'random';
  const t = performance.now();
  difference(g.text); validationDifference(g.text);
  const ms = performance.now() - t;
  const s = (stat[kind] ??= { n: 0, acc: 0, ms: 0, max: 0 });
  s.n++; s.ms += ms; s.max = Math.max(s.max, ms); if (fastParse(g.text)) s.acc++;
}
console.log(stat);
