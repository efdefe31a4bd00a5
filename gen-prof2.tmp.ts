import { readFileSync } from 'node:fs';
import { landingZoneDocument } from './test/unit/fuzz-yaml-generate';
import { difference, prng } from './test/unit/fuzz-mutate';
import { validateText } from './src/core/validate';
const rand = prng(3);
const example = readFileSync('examples/landing-zone.yaml', 'utf8');
let tg = 0, td = 0, tf = 0, ty = 0;
for (let i = 0; i < 50; i++) {
  let t = performance.now();
  const g = landingZoneDocument(rand, example); tg += performance.now() - t; t = performance.now();
  difference(g.text); td += performance.now() - t; t = performance.now();
  const a = validateText(g.text, 'x', { reader: 'fast' }); tf += performance.now() - t; t = performance.now();
  const b = validateText(g.text, 'x', { reader: 'yaml' }); ty += performance.now() - t;
  if (i < 3) console.log(a.issues.length, a.issues.slice(0, 3).map((x) => x.ruleId + ': ' + x.message.slice(0, 100)));
}
console.log({ tg, td, tf, ty });
