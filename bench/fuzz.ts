// `npx tsx bench/fuzz.ts [--seconds N] [--seed S]`: the long run of test/unit/fuzz.test.ts — mutated,
// truncated and shuffled versions of the example (and of a generated 50-project file) never make
// validateText throw, every range lies inside the document, and the fast YAML path never differs
// from the yaml package. Prints progress and stops at the first failure with its input.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { difference, mutate, prng, rangeProblems } from '../test/unit/fuzz-mutate';
import { generateLandingZone } from './generate';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('--seconds', 60);
const seed = arg('--seed', Date.now() % 1_000_000);
const rand = prng(seed);
const seeds = [readFileSync(join(__dirname, '..', 'examples', 'landing-zone.yaml'), 'utf8'), generateLandingZone(50)];
const now = new Date();
const started = Date.now();
let cases = 0;
while (Date.now() - started < seconds * 1000) {
  const { text, applied } = mutate(seeds[cases % seeds.length]!, rand);
  let problems: string[];
  try {
    problems = rangeProblems(text, now);
    const diff = difference(text);
    if (diff) problems.push(`fast path differs: ${diff}`);
  } catch (err) {
    problems = [`threw: ${(err as Error).stack}`];
  }
  if (problems.length) {
    const file = join(__dirname, 'results', `fuzz-failure-${seed}-${cases}.yaml`);
    try { writeFileSync(file, text); } catch { /* results/ may not exist */ }
    console.error(`FAIL after ${cases} cases (seed ${seed}, ${applied.join(', ')}):\n${problems.join('\n')}`);
    process.exit(1);
  }
  cases++;
  if (cases % 1000 === 0) console.error(`${cases} cases, ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(JSON.stringify({ seed, seconds, cases, failures: 0 }));
