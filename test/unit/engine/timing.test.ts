import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RECORDED_DELAYS, transitionProfile } from '../../../src/sandbox/context';
import { sandboxOptions } from '../../../src/cli/commands/sandbox';
import { UsageError } from '../../../src/cli/command';
import { CONNECTION_BUDGET, connectionBudget } from '../../../src/scaleway/client';
import { BatchWatcher, nextPollDelay, waitUntil } from '../../../src/scaleway/wait';
import { buildPlan } from '../../../src/core/plan';
import { modelOf } from './helpers';
import { readFileSync } from 'node:fs';

/*
 * Timing that follows Scaleway: polls whose pause follows the time waited, a connection budget
 * sized to the plan, and the sandbox's profile of recorded provisioning times.
 */

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: {}, isTTY: false };

describe('polling follows the time waited', () => {
  it('pauses a tenth of the wait so far, within min and max', () => {
    const sandbox = { min: 25, max: 500 };
    assert.equal(nextPollDelay(0, sandbox), 25);
    assert.equal(nextPollDelay(1_000, sandbox), 100);
    assert.equal(nextPollDelay(60_000, sandbox), 500);
    const scaleway = { min: 1_000, max: 30_000 };
    // a Managed Database settles in about 200 s: the pause near the end is 20 s, not a fixed minute
    assert.equal(nextPollDelay(200_000, scaleway), 20_000);
    assert.equal(nextPollDelay(5_000, scaleway), 1_000);
  });

  it('sees a state settle soon after it does, with polls that grow with the logarithm of the wait', async () => {
    const settleAt = Date.now() + 300;
    let polls = 0;
    const seen = await waitUntil(async () => { polls += 1; return Date.now() >= settleAt ? 'ready' : 'creating'; }, (s) => s === 'ready', { min: 5, max: 1_000 });
    assert.equal(seen, 'ready');
    assert.ok(Date.now() >= settleAt);
    // 5 ms pauses up to 50 ms waited, then 10 % more each time: about 30 polls for 300 ms; a loaded machine makes fewer
    assert.ok(polls <= 40, `${polls} polls`);
  });

  it('the batch watcher paces its lists by its youngest waiter and answers each waiter once', async () => {
    const settle = new Map([['a', Date.now() + 150], ['b', Date.now() + 250]]);
    let lists = 0;
    const list = async () => { lists += 1; return [...settle].map(([id, at]) => ({ id, status: Date.now() >= at ? 'ready' : 'creating' })); };
    const w = new BatchWatcher<{ id: string; status: string }>({ min: 5, max: 1_000 });
    const [a, b] = await Promise.all([w.wait('k', list, 'a', (x) => x.status === 'ready'), w.wait('k', list, 'b', (x) => x.status === 'ready')]);
    assert.equal(a.status, 'ready');
    assert.equal(b.status, 'ready');
    assert.ok(lists <= 40, `${lists} lists for two waiters`);
  });
});

describe('the connection budget follows the plan', () => {
  it('a chain needs no more than the floor; a wide plan gets up to the ceiling', () => {
    const chain = Array.from({ length: 30 }, (_, i) => ({ id: `op-${i}`, after: i ? [`op-${i - 1}`] : [] }));
    assert.equal(connectionBudget(chain), CONNECTION_BUDGET.min);
    const wide = Array.from({ length: 500 }, (_, i) => ({ id: `op-${i}`, after: [] as string[] }));
    assert.equal(connectionBudget(wide), CONNECTION_BUDGET.max);
    const middle = [{ id: 'root', after: [] as string[] }, ...Array.from({ length: 40 }, (_, i) => ({ id: `leaf-${i}`, after: ['root'] }))];
    assert.equal(connectionBudget(middle), 40);
  });

  it('the example applied to an empty organisation gets the width of its plan', () => {
    const text = readFileSync('examples/landing-zone.yaml', 'utf8');
    const { desired } = modelOf(text);
    const plan = buildPlan(desired, { resources: [], notChecked: [] } as never, { ignores: [] });
    const budget = connectionBudget(plan.operations);
    assert.ok(budget >= CONNECTION_BUDGET.min && budget <= CONNECTION_BUDGET.max);
    // every level of the plan fits in the budget, or the budget is at its ceiling
    const level = new Map<string, number>();
    const widths = new Map<number, number>();
    for (const op of plan.operations) {
      const l = op.after.reduce((m, a) => Math.max(m, (level.get(a) ?? -1) + 1), 0);
      level.set(op.id, l);
      widths.set(l, (widths.get(l) ?? 0) + 1);
    }
    assert.equal(budget, Math.min(CONNECTION_BUDGET.max, Math.max(CONNECTION_BUDGET.min, ...widths.values())));
  });
});

describe('the sandbox runs with Scaleway\'s recorded times', () => {
  it('recorded/N divides every recorded delay by N, keeping their proportions', () => {
    const full = transitionProfile('recorded');
    assert.deepEqual(full, RECORDED_DELAYS);
    const fast = transitionProfile('recorded/100');
    assert.equal(fast.instance, RECORDED_DELAYS.instance / 100);
    assert.equal(fast.gateway, Math.round(RECORDED_DELAYS.gateway / 100));
    // what the recordings show: a database takes minutes, a load balancer seconds
    assert.ok(RECORDED_DELAYS.instance >= 150_000 && RECORDED_DELAYS.lb < 10_000);
  });

  it('`sandbox --transition-ms recorded/N` sets every delay; a wrong profile is a usage error naming the choices', () => {
    const { options } = sandboxOptions(['--transition-ms', 'recorded/1000'], io);
    assert.deepEqual(options.delays, transitionProfile('recorded/1000'));
    assert.equal(options.transitionMs, undefined);
    assert.equal(sandboxOptions(['--transition-ms', '40'], io).options.transitionMs, 40);
    assert.throws(() => sandboxOptions(['--transition-ms', 'recorded/0'], io), (e: unknown) => e instanceof UsageError && /N ≥ 1/.test(e.message));
    assert.throws(() => sandboxOptions(['--transition-ms', 'recordedx'], io), (e: unknown) => e instanceof UsageError && /recorded\/N/.test(e.message));
  });
});
