// Mutated, truncated and shuffled versions of the example never make validateText throw, and
// every range (findings and fix edits) lies inside the document. Bounded to a few seconds here;
// `npx tsx bench/fuzz.ts` runs the same for as long as you like.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN, brokenText, ONE_DOCUMENT } from './fuzz-hostile';
import { mutate, prng, rangeProblems } from './fuzz-mutate';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const BUDGET_MS = Number(process.env.LZ_FUZZ_MS ?? 3000);
const MAX_CASES = Number(process.env.LZ_FUZZ_CASES ?? 1500);
const MIN_CASES = 20;

test('fuzz: mutated examples never throw and every range lies inside the document', () => {
  const rand = prng(20261129);
  const now = new Date('2026-06-01T00:00:00Z');
  const started = Date.now();
  let cases = 0;
  // at least MIN_CASES whatever the machine's load, then as many as the budget allows
  while (cases < MIN_CASES || (cases < MAX_CASES && Date.now() - started < BUDGET_MS)) {
    const { text, applied } = mutate(example, rand);
    let problems: string[];
    try {
      problems = rangeProblems(text, now);
    } catch (err) {
      assert.fail(`validateText threw after ${applied.join(', ')}: ${(err as Error).stack}\n--- input ---\n${text}`);
    }
    assert.deepEqual(problems, [], `after ${applied.join(', ')}\n--- input ---\n${text}`);
    cases++;
  }
});

test('fuzz: every prefix of the example (truncation at each line) is handled', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const l = example.split('\n');
  for (let i = 0; i <= l.length; i++) assert.deepEqual(rangeProblems(l.slice(0, i).join('\n'), now), [], `first ${i} lines`);
});

test('fuzz: large broken texts, where reading stops after the first errors, never throw and every range lies inside the document', () => {
  const rand = prng(20261208);
  const now = new Date('2026-06-01T00:00:00Z');
  for (let k = 0; k < 8; k++) {
    // 64 KB and more: the size from which reading may stop early (core/yaml-limits.ts)
    const text = brokenText(rand, 66_000 + Math.floor(rand() * 60_000), k % 2 === 0 ? BROKEN : ONE_DOCUMENT);
    let problems: string[];
    try {
      problems = rangeProblems(text, now);
    } catch (err) {
      assert.fail(`validateText threw: ${(err as Error).stack}\n--- input (start) ---\n${text.slice(0, 2000)}`);
    }
    assert.deepEqual(problems, [], text.slice(0, 2000));
  }
});
