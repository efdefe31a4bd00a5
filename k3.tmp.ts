import { parseDocument } from 'yaml';
import { validateText } from './src/core/validate';
function blockDeep(cols: number) { const l: string[] = []; for (let c = 0; c < cols; c += 2) { l.push(`${' '.repeat(c)}- b${c}:`); } l.push(' '.repeat(cols + 2) + 'x'); return 'a:\n' + l.join('\n') + '\n'; }
function recurse(n: number, f: () => void): void { if (n === 0) f(); else recurse(n - 1, f); }
for (const [name, text] of [['block 200', blockDeep(200)], ['block 260', blockDeep(260)], ['flow 256', `a: ${'['.repeat(256)}x${']'.repeat(256)}\n`], ['flow 999', `a: ${'['.repeat(100)}x${']'.repeat(100)}\n`], ['mixed', 'a: ' + '{ a: '.repeat(256) + 'x' + ' }'.repeat(256)]] as const) {
  for (const depth of [0, 5000, 8000]) {
    recurse(depth, () => {
      const t = performance.now();
      let r: string;
      try { const v = validateText(text); r = v.issues.slice(0, 2).map((i) => i.message.slice(0, 80)).join(' | '); } catch (e) { r = 'THROW ' + (e as Error).message; }
      console.log(name, depth, (performance.now() - t).toFixed(0), 'ms', r);
    });
  }
}
