import { readFileSync } from 'node:fs';
import { validateText } from './src/core/validate';
import { parseDocument } from 'yaml';
const example = readFileSync('examples/landing-zone.yaml', 'utf8');
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  for (let i = 0; i < 20; i++) validateText(example, 'x', { reader: 'fast' });
  const a = (performance.now() - t) / 20; t = performance.now();
  for (let i = 0; i < 20; i++) parseDocument(example);
  const b = (performance.now() - t) / 20;
  console.log(a.toFixed(2), b.toFixed(2));
}
