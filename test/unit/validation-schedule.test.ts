import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationSchedule } from '../../src/extension/validation-schedule';

/** A validation that the test finishes by hand, recording what ran and when. */
function harness(quietMs = 0) {
  const started: number[] = [];
  const interrupted: number[] = [];
  const finish: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const schedule = new ValidationSchedule<number>((version) => {
    started.push(version);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((resolve) => finish.push(() => { inFlight -= 1; resolve(); }));
  }, quietMs, (version) => interrupted.push(version));
  const done = async () => { finish.shift()!(); await sleep(0); };
  return { schedule, started, interrupted, done, maxInFlight: () => maxInFlight };
}

describe('validation as you type', () => {
  it('validates a change at once when nothing of the document is being validated', () => {
    const h = harness();
    h.schedule.changed('a', 1);
    assert.deepEqual(h.started, [1]);
  });

  it('while a run is in flight, it is told to stop, only the newest version waits, and starts the moment the run answers', async () => {
    const h = harness();
    h.schedule.changed('a', 1);
    for (let v = 2; v <= 9; v += 1) h.schedule.changed('a', v);
    assert.deepEqual(h.started, [1], 'never two runs of one document at once');
    assert.deepEqual(h.interrupted, [2, 3, 4, 5, 6, 7, 8, 9], 'each newer version asks the run to stop');
    await h.done();
    assert.deepEqual(h.started, [1, 9], 'the versions typed meanwhile are skipped for the newest');
    await h.done();
    assert.equal(h.schedule.busy('a'), false);
    assert.equal(h.maxInFlight(), 1);
  });

  it('documents do not wait for each other', () => {
    const h = harness();
    h.schedule.changed('a', 1);
    h.schedule.changed('b', 1);
    assert.deepEqual(h.started, [1, 1]);
  });

  it('a closed document\'s waiting version is dropped', async () => {
    const h = harness();
    h.schedule.changed('a', 1);
    h.schedule.changed('a', 2);
    h.schedule.forget('a');
    await h.done();
    assert.deepEqual(h.started, [1]);
  });

  it('with a pause set, the newest version of a burst runs once the pause is over', async () => {
    const h = harness(30);
    h.schedule.changed('a', 1);
    h.schedule.changed('a', 2);
    assert.deepEqual(h.started, []);
    await sleep(80);
    assert.deepEqual(h.started, [2]);
    h.schedule.dispose();
  });
});
