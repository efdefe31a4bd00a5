/*
 * The journal of a long operation (a rotation, a restore): which steps are done and the ids they
 * produced, so an interrupted run resumes where it stopped. It is journalled after every step in
 * `.landing-zone/journal.jsonl` next to the file (core/journal.ts: the records, their replay). It never holds a secret value or key: only ids,
 * revisions, times and step states (a test greps every journal for a canary value).
 */

export type StepStatus = 'pending' | 'done' | 'skipped' | 'warning' | 'failed';
export type OperationKind = 'rotate-secret' | 'rotate-key' | 'rotate-api-key' | 'restore-zone' | 'restore-region';

export interface JournalStep {
  id: string;
  title: string;
  status: StepStatus;
  /** One line about the outcome: an id, a revision, a reason. Never a value. */
  detail?: string;
  at?: string;
}

export interface OperationJournal {
  version: 1;
  /** Unique per run; also the idempotency marker on what the run creates. */
  id: string;
  kind: OperationKind;
  /** What the operation is about: `security/argocd-admin`, `gitlab-provisioner`, `prod`. */
  target: string;
  startedAt: string;
  updatedAt: string;
  /** `waiting`: the rotation is done but for its grace period; a later run finishes it. */
  status: 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';
  steps: JournalStep[];
  /** Ids and numbers later steps need (new instance id, new revision…). */
  outputs: Record<string, string | number | boolean>;
}

export function newJournal(kind: OperationKind, target: string, id: string, now: Date, steps: { id: string; title: string }[]): OperationJournal {
  const at = now.toISOString();
  return {
    version: 1, id, kind, target, startedAt: at, updatedAt: at, status: 'running',
    steps: steps.map((s) => ({ ...s, status: 'pending' as const })), outputs: {},
  };
}

/** A copy with one step's status set (and its time). */
export function markStep(j: OperationJournal, stepId: string, status: StepStatus, now: Date, detail?: string): OperationJournal {
  return {
    ...j,
    updatedAt: now.toISOString(),
    steps: j.steps.map((s) => (s.id === stepId ? { ...s, status, at: now.toISOString(), ...(detail !== undefined ? { detail } : {}) } : s)),
  };
}

export function isStepDone(j: OperationJournal, stepId: string): boolean {
  const s = j.steps.find((x) => x.id === stepId);
  return s?.status === 'done' || s?.status === 'skipped' || s?.status === 'warning';
}

/** The marker put on what a run creates (a version's description, a resource tag). */
export function runMarker(j: Pick<OperationJournal, 'id'>): string {
  return `lz-run=${j.id}`;
}
