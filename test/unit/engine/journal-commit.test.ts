import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPlan, type Plan } from '../../../src/core/plan';
import type { DesiredResource, Inventory } from '../../../src/core/state';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { executePlan } from '../../../src/scaleway/apply';
import { writeClients } from '../../../src/scaleway/client';
import { replayJournal } from '../../../src/core/journal';
import { Journal, JOURNAL_PATH, readJournal } from '../../../src/scaleway/journal';
import type { ScalewayProfile } from '../../../src/scaleway/profiles';
import { exampleText, FAST_RETRY, inventoryOf, modelOf, sandboxProfile } from './helpers';

test('journal group commit: every append resolves once its line is in the file, lines in the order appended', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-journal-'));
  const path = join(dir, JOURNAL_PATH);
  const journal = new Journal(path);
  try {
    const lines = (): string[] => readFileSync(path, 'utf8').trim().split('\n');
    await journal.append({ event: 'run-start', operation: 'apply', target: 'o', planHash: 'h', organizationId: 'o', operations: 300, profile: 'default' });
    assert.equal(lines().length, 1, 'the awaited first line is in the file');
    // 300 appends in one go, as when many operations finish together: each resolves with its line (and all before it) on disk
    const seenAtResolve: number[] = [];
    await Promise.all(Array.from({ length: 300 }, (_, i) => journal.append({ event: 'op-start', id: `op-${i}`, action: 'create', kind: 'key' }).then(() => {
      seenAtResolve[i] = lines().findIndex((l) => l.includes(`"id":"op-${i}"`));
    })));
    assert.ok(seenAtResolve.every((at, i) => at === i + 1), 'each line was in the file, at its place, when its append resolved');
    // appended while a batch is on its way: a later batch, still after it
    const a = journal.append({ event: 'op-done', id: 'op-0', action: 'create', kind: 'key' });
    const b = journal.append({ event: 'op-done', id: 'op-1', action: 'create', kind: 'key' });
    await b;
    await a;
    await journal.append({ event: 'run-end', status: 'completed', done: 2, failed: 0 });
    await journal.flushed();
    const events = readJournal(path);
    assert.equal(events.length, 304);
    assert.deepEqual(events.slice(-3).map((e) => e.event), ['op-done', 'op-done', 'run-end']);
    assert.ok(events.every((e) => e.run === journal.run));
    const [last] = replayJournal(events);
    assert.equal(last?.status, 'completed');
    assert.deepEqual([...last!.steps].filter(([, s]) => s.status === 'done').map(([k]) => k), ['create op-0', 'create op-1']);
  } finally {
    journal.close();
  }
});

test('journal group commit: a journal that cannot be written rejects its appends, and the next batch still tries', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-journal-'));
  // a file where the journal's folder should be: the folder cannot be made
  writeFileSync(join(dir, '.landing-zone'), 'not a folder');
  const journal = new Journal(join(dir, JOURNAL_PATH));
  await assert.rejects(journal.append({ event: 'run-start', operation: 'apply', target: 'o', planHash: 'h', organizationId: 'o', operations: 1, profile: 'default' }), /ENOTDIR|EEXIST/);
  await assert.rejects(journal.append({ event: 'run-end', status: 'failed', done: 0, failed: 0 }), /ENOTDIR|EEXIST/);
  await journal.flushed();
});

/** The example's plan against a fresh sandbox, for `body`; the sandbox closes after it. */
async function withExamplePlan(body: (w: { sb: Sandbox; profile: ScalewayProfile; desired: DesiredResource[]; inventory: Inventory; plan: Plan }) => Promise<void>): Promise<void> {
  const sb = await startSandbox({ transitionMs: 10 });
  try {
    const profile = await sandboxProfile(sb);
    const { desired, model } = modelOf(exampleText(sb));
    const inventory = await inventoryOf(profile);
    await body({ sb, profile, desired, inventory, plan: buildPlan(desired, inventory, { ignores: model.spec.drift?.ignore ?? [] }) });
  } finally {
    await sb.close();
  }
}

test('apply with a journal that cannot be written sends nothing: the run stops before its first request', () => withExamplePlan(async ({ sb, profile, desired, inventory, plan }) => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-journal-'));
    writeFileSync(join(dir, '.landing-zone'), 'not a folder');
    const journal = new Journal(join(dir, JOURNAL_PATH));
    const before = sb.requestLog.length;
    await assert.rejects(executePlan({ plan, desired, inventory, clients: writeClients(profile, FAST_RETRY), journal }), /ENOTDIR|EEXIST/);
    assert.deepEqual(sb.requestLog.slice(before).filter((r) => r.method !== 'GET'), [], 'no write reached the API');
}));

test('apply journals every operation before and after it, through the group commit', () => withExamplePlan(async ({ sb, profile, desired, inventory, plan }) => {
    const path = join(mkdtempSync(join(tmpdir(), 'lz-journal-')), JOURNAL_PATH);
    const journal = new Journal(path);
    const result = await executePlan({ plan, desired, inventory, clients: writeClients(profile, FAST_RETRY), journal, concurrency: 64 });
    journal.close();
    assert.equal(result.status, 'completed', JSON.stringify(result.failed));
    const events = readJournal(path);
    const starts = events.filter((e) => e.event === 'op-start').map((e) => `${e.action} ${e.id}`);
    const dones = events.filter((e) => e.event === 'op-done').map((e) => `${e.action} ${e.id}`);
    assert.equal(starts.length, plan.operations.length);
    assert.deepEqual(new Set(dones), new Set(result.done));
    // every operation's start line comes before its done line, and before the start of anything that waits for it
    const at = new Map(events.map((e, i) => [`${e.event} ${'action' in e ? e.action : ''} ${'id' in e ? e.id : ''}`, i]));
    for (const op of plan.operations) {
      const start = at.get(`op-start ${op.action} ${op.id}`)!;
      assert.ok(start < at.get(`op-done ${op.action} ${op.id}`)!, `${op.id}: started before done`);
      for (const a of op.after) {
        const dep = plan.operations.find((o) => o.id === a && o.action === op.action);
        if (dep) assert.ok(at.get(`op-done ${dep.action} ${dep.id}`)! < start, `${op.id} starts after ${dep.id} is done`);
      }
    }
    assert.deepEqual([events[0]?.event, events.at(-1)?.event], ['run-start', 'run-end']);
}));
