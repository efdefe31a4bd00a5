import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { interruptedNotice, type RunState } from '../../../src/core/journal';
import { markStep, newJournal, type OperationJournal } from '../../../src/core/secrets/journal';
import { startSandbox } from '../../../src/sandbox/server';
import { interruptedRuns, JournalStore, readJournal, readRuns } from '../../../src/scaleway/journal';
import { envFor, runCli } from '../ops/helpers';
import { exampleText } from './helpers';

/*
 * One journal model for apply, rotations and restores: one reader, one writer, one notice of an
 * interrupted run, and journals of the older formats (apply's lines before version 2, the step
 * journals of rotations and restores) read and migrated.
 */

const ORG = '11111111-2222-4333-8444-555555555555';
const OTHER_ORG = '99999999-2222-4333-8444-555555555555';

/** A folder as a landing-zone from before version 2 left it: apply's old lines, open step journals, a history. */
function oldFolder(org = ORG): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lz-journal-model-'));
  const file = join(dir, 'landing-zone.yaml');
  writeFileSync(file, '');
  mkdirSync(join(dir, '.landing-zone', 'journal', 'history'), { recursive: true });
  const line = (o: object) => `${JSON.stringify(o)}\n`;
  writeFileSync(join(dir, '.landing-zone', 'journal.jsonl'), [
    // a completed apply of another organisation, then this organisation's apply killed after 2 of 3 operations
    line({ event: 'run-start', run: 'a0', t: '2026-11-01T09:00:00.000Z', planHash: 'f'.repeat(64), organizationId: OTHER_ORG, operations: 1, profile: 'other' }),
    line({ event: 'op-start', run: 'a0', t: '2026-11-01T09:00:01.000Z', id: 'x', action: 'create', kind: 'project' }),
    line({ event: 'op-done', run: 'a0', t: '2026-11-01T09:00:02.000Z', id: 'x', action: 'create', kind: 'project', scalewayId: 'p-x' }),
    line({ event: 'run-end', run: 'a0', t: '2026-11-01T09:00:03.000Z', status: 'completed', done: 1, failed: 0 }),
    line({ event: 'run-start', run: 'a1', t: '2026-11-02T10:00:00.000Z', planHash: 'abcdef0123456789'.repeat(4), organizationId: org, operations: 3, profile: 'default' }),
    line({ event: 'op-start', run: 'a1', t: '2026-11-02T10:00:01.000Z', id: 'prod', action: 'create', kind: 'project' }),
    line({ event: 'op-done', run: 'a1', t: '2026-11-02T10:00:02.000Z', id: 'prod', action: 'create', kind: 'project', scalewayId: 'p-1' }),
    line({ event: 'op-start', run: 'a1', t: '2026-11-02T10:00:03.000Z', id: 'prod/pn', action: 'create', kind: 'private-network' }),
    line({ event: 'op-done', run: 'a1', t: '2026-11-02T10:00:04.000Z', id: 'prod/pn', action: 'create', kind: 'private-network', scalewayId: 'pn-1' }),
    line({ event: 'op-start', run: 'a1', t: '2026-11-02T10:00:05.000Z', id: 'prod/gw', action: 'create', kind: 'public-gateway' }),
    '{"event":"op-done","run":"a1","t":"2026-11-02T10:0', // torn by the kill
  ].join(''));
  const steps = [{ id: 'network', title: 'Private Network in fr-par-2' }, { id: 'db-main', title: 'Restore database main' }, { id: 'endpoint-main', title: 'Publish the endpoint of main' }];
  const at = new Date('2026-11-03T08:00:00.000Z');
  let restore = newJournal('restore-zone', 'prod', 'rz-old', at, steps);
  // started towards another zone than the file's fallback today
  restore.outputs = { sourceZone: 'fr-par-1', targetZone: 'fr-par-3', sourceRegion: 'fr-par', targetRegion: 'fr-par' };
  restore = markStep(restore, 'network', 'done', new Date('2026-11-03T08:01:00.000Z'), 'created lz-prod-restore in fr-par (pn-9)');
  restore = markStep(restore, 'db-main', 'failed', new Date('2026-11-03T08:02:00.000Z'), 'no backup of prod/main is ready');
  writeFileSync(join(dir, '.landing-zone', 'journal', 'restore-zone-prod.json'), JSON.stringify(restore, null, 2));
  let waiting = newJournal('rotate-api-key', 'gitlab-provisioner', 'key-old', new Date('2026-11-04T08:00:00.000Z'), [{ id: 'create-key', title: 'Create' }, { id: 'repin-file', title: 'Pin' }, { id: 'delete-old-keys', title: 'Delete' }]);
  waiting = { ...markStep(markStep(waiting, 'create-key', 'done', new Date('2026-11-04T08:01:00.000Z'), 'SCWNEW, vault revision 2'), 'repin-file', 'done', new Date('2026-11-04T08:02:00.000Z')), status: 'waiting' };
  waiting.outputs = { graceUntil: '2026-11-07T08:00:00.000Z', newRevision: 2 };
  writeFileSync(join(dir, '.landing-zone', 'journal', 'rotate-api-key-gitlab-provisioner.json'), JSON.stringify(waiting));
  const finished = { ...markStep(newJournal('rotate-secret', 'security/argocd-admin', 'rot-old', new Date('2026-10-01T08:00:00.000Z'), [{ id: 'create-version', title: 'Create' }]), 'create-version', 'done', new Date('2026-10-01T08:01:00.000Z'), 'revision 2'), status: 'done' as const };
  writeFileSync(join(dir, '.landing-zone', 'journal', 'history', 'rot-old.json'), JSON.stringify(finished));
  writeFileSync(join(dir, '.landing-zone', 'journal', 'rotate-key-security-k.json.1234.tmp'), '{"version":1,"id":'); // a write cut short
  return { dir, file };
}

const summary = (r: RunState) => ({ run: r.run, operation: r.operation, target: r.target, status: r.status, steps: Object.fromEntries([...r.steps].map(([k, s]) => [k, s.status])) });

test('one reader: apply\'s old lines and the old step journals read as runs of one model, the torn line skipped', () => {
  const { file } = oldFolder();
  assert.deepEqual(readRuns(file).map(summary), [
    { run: 'rot-old', operation: 'rotate-secret', target: 'security/argocd-admin', status: 'completed', steps: { 'create-version': 'done' } },
    { run: 'a0', operation: 'apply', target: OTHER_ORG, status: 'completed', steps: { 'create x': 'done' } },
    { run: 'a1', operation: 'apply', target: ORG, status: 'running', steps: { 'create prod': 'done', 'create prod/pn': 'done', 'create prod/gw': 'pending' } },
    { run: 'rz-old', operation: 'restore-zone', target: 'prod', status: 'running', steps: { network: 'done', 'db-main': 'failed', 'endpoint-main': 'pending' } },
    { run: 'key-old', operation: 'rotate-api-key', target: 'gitlab-provisioner', status: 'waiting', steps: { 'create-key': 'done', 'repin-file': 'done', 'delete-old-keys': 'pending' } },
  ]);
});

test('one notice for every kind of operation: the interrupted apply and restore of the organisation, not the waiting rotation nor another organisation\'s run', () => {
  const { file } = oldFolder();
  const notices = interruptedRuns(file, ORG).map(interruptedNotice);
  assert.deepEqual(notices, [
    'the apply of 2026-11-02T10:00:00.000Z (plan abcdef012345) was interrupted after 2 of 3 operations; landing-zone apply (or the editor\'s Apply) reads the account again and resumes it; what it created is found by its tags',
    'the zone restore of prod (run rz-old, started 2026-11-03T08:00:00.000Z) was interrupted after 1 of 3 steps; it stopped at Restore database main: no backup of prod/main is ready; landing-zone restore zone --project prod (or the editor\'s Restore after a Zone Failure) resumes it from its journal',
  ]);
  // the other organisation's folder view: its apply completed, and the old step journals name no organisation (they are the file's)
  assert.deepEqual(interruptedRuns(file, OTHER_ORG).map((r) => r.run), ['rz-old']);
});

test('one writer: a rotation\'s steps, outputs and wait go to the log as records, and load gives the same journal back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-journal-model-'));
  const file = join(dir, 'landing-zone.yaml');
  const store = new JournalStore(file, ORG);
  let j: OperationJournal = newJournal('rotate-secret', 'security/x', 'rot-1', new Date('2026-12-01T08:00:00.000Z'), [{ id: 'create-version', title: 'Create' }, { id: 'disable-previous', title: 'Disable' }]);
  j.outputs.gracePeriodSeconds = 3600;
  await store.save(j);
  j.outputs.previousRevision = 1;
  await store.save(j); // mutated in place, as the rotations do: only the new output is journalled
  j = { ...markStep(j, 'create-version', 'done', new Date('2026-12-01T08:01:00.000Z'), 'revision 2'), status: 'waiting' };
  j.outputs.newRevision = 2;
  await store.save(j);
  await store.save(j); // nothing changed: nothing written
  const lines = readJournal(join(dir, '.landing-zone', 'journal.jsonl'));
  assert.deepEqual(lines.map((r) => r.event), ['run-start', 'outputs', 'outputs', 'outputs', 'op-done', 'run-end']);
  assert.ok(lines.every((r) => r.v === 2 && r.run === 'rot-1'));
  assert.deepEqual((lines[0] as { organizationId?: string }).organizationId, ORG);

  const loaded = await new JournalStore(file, ORG).load('rotate-secret', 'security/x');
  assert.deepEqual({ ...loaded, updatedAt: '' }, { ...j, updatedAt: '', steps: j.steps.map((s) => (s.status === 'pending' ? { id: s.id, title: s.title, status: s.status } : s)) });
  assert.deepEqual(interruptedRuns(file, ORG), [], 'a rotation waiting for its grace period is not interrupted');

  // a later process finishes it: the run is the same one, completed; the next load starts anew
  const later = new JournalStore(file, ORG);
  const open = (await later.load('rotate-secret', 'security/x'))!;
  await later.close(markStep(open, 'disable-previous', 'done', new Date('2026-12-02T08:00:00.000Z'), 'revision 1 disabled'));
  assert.equal(await later.load('rotate-secret', 'security/x'), undefined);
  assert.deepEqual(readRuns(file).map(summary), [{ run: 'rot-1', operation: 'rotate-secret', target: 'security/x', status: 'completed', steps: { 'create-version': 'done', 'disable-previous': 'done' } }]);

  // an abandoned run is closed too
  const restore = newJournal('restore-region', 'prod', 'rr-1', new Date(), [{ id: 'network', title: 'Network' }]);
  await later.save(restore);
  assert.equal(interruptedRuns(file, ORG).length, 1);
  await later.abandon((await later.load('restore-region', 'prod'))!);
  assert.equal(await later.load('restore-region', 'prod'), undefined);
  assert.deepEqual(interruptedRuns(file, ORG), []);
});

test('migrate on read: the first write moves the old step journals into the log once, and every run reads the same after', async () => {
  const { dir, file } = oldFolder();
  const before = readRuns(file).map(summary);
  const store = new JournalStore(file, ORG);
  // the interrupted restore resumes from the old journal: same run, its network step done
  const open = (await store.load('restore-zone', 'prod'))!;
  assert.equal(open.id, 'rz-old');
  assert.equal(open.outputs.targetZone, 'fr-par-3');
  await store.save(markStep(open, 'db-main', 'done', new Date('2026-12-01T08:00:00.000Z'), 'backup b-1 restored into i-2'));
  assert.ok(!existsSync(join(dir, '.landing-zone', 'journal')), 'the old folder is set aside');
  assert.ok(existsSync(join(dir, '.landing-zone', 'journal.v1', 'restore-zone-prod.json')));
  const after = readRuns(file).map(summary);
  // the log ended in a torn line: the first record appended after it (rot-old's start) is still read
  assert.deepEqual(after, before.map((r) => (r.run === 'rz-old' ? { ...r, steps: { ...r.steps, 'db-main': 'done' } } : r)));

  // a migration cut short after its append (the folder still there): nothing is appended twice
  cpSync(join(dir, '.landing-zone', 'journal.v1'), join(dir, '.landing-zone', 'journal'), { recursive: true });
  const text = readFileSync(join(dir, '.landing-zone', 'journal.jsonl'), 'utf8');
  await new JournalStore(file, ORG).save(newJournal('rotate-key', 'security/k', 'kr-1', new Date('2026-12-02T00:00:00.000Z'), [{ id: 'rotate', title: 'Rotate' }]));
  const added = readFileSync(join(dir, '.landing-zone', 'journal.jsonl'), 'utf8').slice(text.length).trim().split('\n').map((l) => JSON.parse(l) as { run: string });
  assert.deepEqual(added.map((r) => r.run), ['kr-1']);
  assert.deepEqual(readRuns(file).filter((r) => r.run !== 'kr-1').map(summary), after);
});

test('the CLI says the one notice of each interrupted run before it plans, and the run it resumes is the journal\'s', { timeout: 120_000 }, async () => {
  const sb = await startSandbox({ transitionMs: 10 });
  try {
    const { dir, file } = oldFolder(sb.organizationId);
    writeFileSync(file, exampleText(sb));
    const env = envFor(sb, dir);
    const plan = await runCli(['plan', '--file', file], env, dir);
    assert.equal(plan.code, 0, plan.stderr);
    const notices = plan.stderr.split('\n').filter((l) => l.startsWith('plan: the '));
    assert.deepEqual(notices, interruptedRuns(file, sb.organizationId).map((r) => `plan: ${interruptedNotice(r)}`));
    assert.equal(notices.length, 2);
    // a restore towards another zone than the open one refuses, naming the open run and how to give it up
    const other = await runCli(['restore', 'zone', '--project', 'prod', '--file', file, '--yes'], env, dir);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /restore zone: the zone restore of prod \(run rz-old/);
    assert.match(other.stderr, /to fr-par-3 is in progress \(run rz-old in \S+journal\.jsonl\); finish it with the same options, or give it up with `landing-zone restore zone --project prod --abandon`/);
    const abandoned = await runCli(['restore', 'zone', '--project', 'prod', '--file', file, '--abandon'], env, dir);
    assert.equal(abandoned.code, 0, abandoned.stderr);
    assert.match(abandoned.stdout, /zone restore rz-old \(started 2026-11-03T08:00:00.000Z\) abandoned/);
    assert.deepEqual(interruptedRuns(file, sb.organizationId).map((r) => r.run), ['a1']);
  } finally {
    await sb.close();
  }
});
