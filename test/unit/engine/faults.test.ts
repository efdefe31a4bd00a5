import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { faultTrial, interruptTrial, killTrial } from './trials';

// `npm test` runs a few trials; bench/faults.ts runs the full twenty of each (see its output).
const FAULT_SEEDS = [1, 2, 3];
const KILL_SEEDS = [11, 12];

test(`apply converges under 20 % 429/503 and 2 % resets, without duplicates or orphans (seeds ${FAULT_SEEDS.join(', ')})`, async () => {
  for (const seed of FAULT_SEEDS) {
    const r = await faultTrial(seed);
    assert.ok(r.ok, `seed ${seed}: ${r.detail}`);
  }
});

test(`kill -9 at a random step, then resume: completes without duplicates (seeds ${KILL_SEEDS.join(', ')})`, async () => {
  for (const seed of KILL_SEEDS) {
    const r = await killTrial(seed);
    assert.ok(r.ok, `seed ${seed}: ${r.detail}`);
  }
});

test('Ctrl-C stops cleanly: running operations finish, the journal says interrupted, and the next apply completes', async () => {
  const r = await interruptTrial();
  assert.ok(r.ok, r.detail);
});
