import type { JournalStep, OperationJournal, OperationKind, StepStatus } from './secrets/journal';

/*
 * The one journal model of every operation that writes to the account: apply, the rotations and
 * the restores. A run is a sequence of records, one JSON object per line of
 * `.landing-zone/journal.jsonl` next to landing-zone.yaml, appended and fsynced before the
 * request they announce (scaleway/journal.ts writes and reads the file). Replaying a run's records
 * gives its state: which steps (apply: operations) finished, the ids they produced, whether the
 * run ended, waits, or was interrupted. Records hold ids, revisions, times and states only: never
 * a field value, never a secret.
 *
 * Two older formats are read and upgraded here, so journals already on users' disks keep working:
 * apply's lines before version 2 (no `v`, no `operation`), and the step journals of rotations and
 * restores (`.landing-zone/journal/<kind>-<target>.json`, one JSON document per operation).
 */

/** What a run carries out. */
export type RunOperation = 'apply' | OperationKind;

/** `waiting`: a rotation is done but for its grace period, and a later run of the same command finishes it. */
export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'interrupted' | 'abandoned';

type Stamp = { v: 2; run: string; t: string };

/** One line of the journal. Apply's step ids are `<action> <resource id>`; a rotation's or restore's are its step ids. */
export type JournalRecord = Stamp & (
  | { event: 'run-start'; operation: RunOperation; target: string; organizationId?: string; profile?: string; planHash?: string; operations: number; steps?: { id: string; title: string }[] }
  | { event: 'op-start'; id: string; action?: string; kind?: string }
  | { event: 'op-done'; id: string; action?: string; kind?: string; scalewayId?: string; status?: 'done' | 'skipped' | 'warning'; detail?: string }
  | { event: 'op-failed'; id: string; action?: string; kind?: string; error: string }
  | { event: 'outputs'; outputs: Record<string, string | number | boolean> }
  | { event: 'run-end'; status: Exclude<RunStatus, 'running'>; done?: number; failed?: number }
);

/** A record before the writer stamps it with its version, run and time (now, unless it says when). */
export type JournalEntry = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, keyof Stamp> & { run?: string; t?: string } : never) : never;

export interface RunStep {
  title?: string;
  status: StepStatus;
  detail?: string;
  at?: string;
}

/** What a run's records say, replayed. */
export interface RunState {
  run: string;
  operation: RunOperation;
  /** What the run is about: the organisation (apply), `security/argocd-admin`, `gitlab-provisioner`, `prod`. */
  target: string;
  organizationId?: string;
  profile?: string;
  planHash?: string;
  /** Operations (apply) or steps the run was started with. */
  total: number;
  startedAt: string;
  updatedAt: string;
  status: RunStatus;
  /** By step id, declared steps first in their order, then in the order they were journalled. */
  steps: Map<string, RunStep>;
  outputs: Record<string, string | number | boolean>;
}

const OPERATIONS: readonly RunOperation[] = ['apply', 'rotate-secret', 'rotate-key', 'rotate-api-key', 'restore-zone', 'restore-region'];
const END_STATUSES = new Set<string>(['waiting', 'completed', 'failed', 'interrupted', 'abandoned']);

const str = (v: unknown): v is string => typeof v === 'string';

/**
 * One parsed line as a version-2 record, or undefined when it is not a journal record at all.
 * Apply's lines before version 2 had no `v` and no `operation`: their run-start is an apply of the
 * organisation it names.
 */
export function upgradeRecord(raw: unknown): JournalRecord | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (!str(r.run) || !str(r.t) || !str(r.event)) return undefined;
  if (r.v === 2) return r as unknown as JournalRecord;
  if (r.v !== undefined) return undefined;
  switch (r.event) {
    case 'run-start':
      if (!str(r.organizationId)) return undefined;
      return { ...(r as object), v: 2, operation: 'apply', target: r.organizationId } as JournalRecord;
    case 'op-start': case 'op-done': case 'op-failed':
      return str(r.id) ? { ...(r as object), v: 2 } as JournalRecord : undefined;
    case 'run-end':
      return END_STATUSES.has(String(r.status)) ? { ...(r as object), v: 2 } as JournalRecord : undefined;
    default:
      return undefined;
  }
}

const stepKey = (r: { id: string; action?: string }) => (r.action ? `${r.action} ${r.id}` : r.id);

/** Every run the records tell of, in the order they started; records of a run never started are ignored. */
export function replayJournal(records: Iterable<JournalRecord>): RunState[] {
  const runs = new Map<string, RunState>();
  for (const r of records) {
    if (r.event === 'run-start') {
      const known = runs.get(r.run);
      // a run continued in a later process (a rotation past its grace period) starts nothing new
      if (known) continue;
      runs.set(r.run, {
        run: r.run, operation: OPERATIONS.includes(r.operation) ? r.operation : 'apply', target: r.target,
        ...(r.organizationId ? { organizationId: r.organizationId } : {}), ...(r.profile ? { profile: r.profile } : {}), ...(r.planHash ? { planHash: r.planHash } : {}),
        total: r.operations, startedAt: r.t, updatedAt: r.t, status: 'running',
        steps: new Map((r.steps ?? []).map((s) => [s.id, { title: s.title, status: 'pending' as StepStatus }])), outputs: {},
      });
      continue;
    }
    const s = runs.get(r.run);
    if (!s) continue;
    s.updatedAt = r.t;
    if (r.event === 'run-end') {
      s.status = r.status;
      continue;
    }
    // anything journalled after the run stopped (a waiting rotation finished later) means it runs again
    if (s.status !== 'abandoned') s.status = 'running';
    if (r.event === 'outputs') Object.assign(s.outputs, r.outputs);
    else {
      const key = stepKey(r);
      const step: RunStep = { ...s.steps.get(key), status: 'pending', at: r.t };
      if (r.event === 'op-done') {
        step.status = r.status ?? 'done';
        if (r.detail !== undefined) step.detail = r.detail;
        else if (r.scalewayId) step.detail = r.scalewayId;
      } else if (r.event === 'op-failed') {
        step.status = 'failed';
        step.detail = r.error;
      }
      s.steps.set(key, step);
    }
  }
  return [...runs.values()];
}

/** A run that stopped before its end: the process died, was cancelled, or a step failed and the run can be resumed. */
export function isInterrupted(run: RunState): boolean {
  return run.status === 'running' || run.status === 'interrupted';
}

/** Runs that are neither finished nor abandoned: a rotation or restore resumes the last of its target's. */
export function isOpen(run: RunState): boolean {
  return run.status === 'running' || run.status === 'interrupted' || run.status === 'waiting';
}

function doneSteps(run: RunState): number {
  let n = 0;
  for (const s of run.steps.values()) if (s.status === 'done' || s.status === 'skipped' || s.status === 'warning') n += 1;
  return n;
}

const LABELS: Record<RunOperation, (target: string) => string> = {
  apply: () => 'apply',
  'rotate-secret': (t) => `rotation of the secret ${t}`,
  'rotate-key': (t) => `rotation of the key ${t}`,
  'rotate-api-key': (t) => `rotation of the API key of ${t}`,
  'restore-zone': (t) => `zone restore of ${t}`,
  'restore-region': (t) => `region restore of ${t}`,
};

/** The CLI command that resumes a run, and the editor's command that does the same. */
function resumeCommand(run: Pick<RunState, 'operation' | 'target'>): { cli: string; editor: string } {
  switch (run.operation) {
    case 'apply': return { cli: 'landing-zone apply', editor: 'Apply' };
    case 'rotate-secret': return { cli: `landing-zone rotate-secret ${run.target}`, editor: 'Rotate Secret' };
    case 'rotate-key': return { cli: `landing-zone rotate-key ${run.target}`, editor: 'Rotate Key' };
    case 'rotate-api-key': return { cli: `landing-zone rotate-api-key ${run.target}`, editor: 'Rotate API Key' };
    case 'restore-zone': return { cli: `landing-zone restore zone --project ${run.target}`, editor: 'Restore after a Zone Failure' };
    case 'restore-region': return { cli: `landing-zone restore region --project ${run.target}`, editor: 'Restore after a Region Failure' };
  }
}

/**
 * What the CLI and the editor say about a run that was interrupted, for every kind of operation:
 * what it was, how far it got, where it stopped, and the command that resumes it.
 */
export function interruptedNotice(run: RunState): string {
  const failed = [...run.steps.entries()].find(([, s]) => s.status === 'failed');
  const unit = run.operation === 'apply' ? 'operations' : 'steps';
  const name = run.operation === 'apply' ? `the apply of ${run.startedAt}${run.planHash ? ` (plan ${run.planHash.slice(0, 12)})` : ''}` : `the ${LABELS[run.operation](run.target)} (run ${run.run}, started ${run.startedAt})`;
  const where = failed ? `; it stopped at ${failed[1].title ?? failed[0]}${failed[1].detail ? `: ${failed[1].detail}` : ''}` : '';
  const how = resumeCommand(run);
  const resume = run.operation === 'apply'
    ? `${how.cli} (or the editor's ${how.editor}) reads the account again and resumes it; what it created is found by its tags`
    : `${how.cli} (or the editor's ${how.editor}) resumes it from its journal`;
  return `${name} was interrupted after ${doneSteps(run)} of ${run.total} ${unit}${where}; ${resume}`;
}

const STATUS_OF: Record<RunStatus, OperationJournal['status']> = {
  running: 'running', waiting: 'waiting', completed: 'done', failed: 'failed', interrupted: 'cancelled', abandoned: 'failed',
};

/** A rotation's or restore's run as the step journal its code works on. */
export function operationJournalOf(run: RunState): OperationJournal {
  const steps: JournalStep[] = [...run.steps.entries()].map(([id, s]) => ({
    id, title: s.title ?? id, status: s.status, ...(s.detail !== undefined ? { detail: s.detail } : {}), ...(s.at ? { at: s.at } : {}),
  }));
  return {
    version: 1, id: run.run, kind: run.operation as OperationKind, target: run.target, startedAt: run.startedAt, updatedAt: run.updatedAt,
    status: STATUS_OF[run.status], steps, outputs: { ...run.outputs },
  };
}

/**
 * The records that take a step journal from `before` (undefined: not journalled yet) to `after`:
 * the run's start, each step whose state changed, the outputs that changed, and its end or wait.
 */
export function entriesBetween(before: OperationJournal | undefined, after: OperationJournal, o: { organizationId?: string } = {}): JournalEntry[] {
  const run = after.id;
  // the operation's own clock (the times it put in its journal), not the writer's
  const t = after.updatedAt;
  const out: JournalEntry[] = [];
  if (!before) {
    out.push({ run, t: after.startedAt, event: 'run-start', operation: after.kind, target: after.target, ...(o.organizationId ? { organizationId: o.organizationId } : {}), operations: after.steps.length, steps: after.steps.map((s) => ({ id: s.id, title: s.title })) });
  }
  const changed: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(after.outputs)) if (before?.outputs[k] !== v) changed[k] = v;
  if (Object.keys(changed).length > 0) out.push({ run, t, event: 'outputs', outputs: changed });
  for (const s of after.steps) {
    const b = before?.steps.find((x) => x.id === s.id);
    if (b ? b.status === s.status && b.detail === s.detail : s.status === 'pending') continue;
    const at = s.at ?? t;
    if (s.status === 'pending') out.push({ run, t: at, event: 'op-start', id: s.id });
    else if (s.status === 'failed') out.push({ run, t: at, event: 'op-failed', id: s.id, error: s.detail ?? 'failed' });
    else out.push({ run, t: at, event: 'op-done', id: s.id, status: s.status, ...(s.detail !== undefined ? { detail: s.detail } : {}) });
  }
  if (after.status !== (before?.status ?? 'running')) {
    const end: Partial<Record<OperationJournal['status'], Exclude<RunStatus, 'running'>>> = { waiting: 'waiting', done: 'completed', failed: 'failed', cancelled: 'interrupted' };
    const status = end[after.status];
    if (status) out.push({ run, t, event: 'run-end', status });
  }
  return out;
}

/** A step journal of the old format, as the records that replay to it (its times kept). */
export function upgradeStepJournal(j: OperationJournal): JournalRecord[] {
  return entriesBetween(undefined, j).map((e) => ({ ...e, v: 2, run: j.id, t: e.t ?? j.updatedAt }) as JournalRecord);
}

/** Whether a parsed JSON document looks like an old-format step journal. */
export function isStepJournal(raw: unknown): raw is OperationJournal {
  if (!raw || typeof raw !== 'object') return false;
  const j = raw as Record<string, unknown>;
  return j.version === 1 && str(j.id) && str(j.kind) && OPERATIONS.includes(j.kind as RunOperation) && j.kind !== 'apply' && str(j.target) && str(j.startedAt) && Array.isArray(j.steps) && typeof j.outputs === 'object';
}
