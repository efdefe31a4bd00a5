import type { LandingZoneModel } from '../model';
import { durationSeconds, type SecretSpec } from '../schema';
import type { OperationJournal } from './journal';

/*
 * Secret rotation, as a state machine over the journal:
 *
 *   create-version ─▶ replicate ─▶ repin-file ─▶ (grace period: previous version still enabled) ─▶ disable-previous ─▶ done
 *
 * `replicate` writes the same value to the secret of the same name in each `replication.regions`
 * (what a region restore reads when the primary region is gone); without replicas it is skipped.
 *
 * The first run creates the new version (marked with the run id in its description, so a re-run
 * after a crash finds it instead of creating another), re-pins the file, and stops in `waiting`
 * while consumers move to the new revision. Any later run of `rotate-secret` on the same secret
 * (or `--finish`) resumes the journal: before the grace period ends it only reports when it will
 * end; after, it disables the previous version and closes the rotation. Destroying a version is a
 * separate, confirmed command that refuses an enabled version.
 */

export const SECRET_ROTATION_STEPS = [
  { id: 'create-version', title: 'Create the new secret version' },
  { id: 'replicate', title: 'Copy the new version to the replica regions' },
  { id: 'repin-file', title: 'Re-pin the version in landing-zone.yaml' },
  { id: 'disable-previous', title: 'Disable the previous version after the grace period' },
] as const;

const DEFAULT_GRACE = '7d';

/** The secret a `project/name` argument names, with its rotation settings (defaults applied). */
export interface SecretTarget {
  ref: string;
  project: string;
  name: string;
  spec: SecretSpec;
  gracePeriodSeconds: number;
  length: number;
  alphabet: NonNullable<SecretSpec['rotation']>['alphabet'];
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: string };

export function resolveSecret(model: LandingZoneModel, ref: string): Resolved<SecretTarget> {
  const m = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/.exec(ref);
  if (!m) return { ok: false, problem: `"${ref}" is not a secret reference; write PROJECT/NAME, e.g. security/argocd-admin` };
  const [, project, name] = m as unknown as [string, string, string];
  const p = model.spec.projects[project];
  if (!p) return { ok: false, problem: `project "${project}" is not in the file (projects: ${Object.keys(model.spec.projects).join(', ')})` };
  const spec = p.secrets?.[name];
  if (!spec) {
    const names = Object.keys(p.secrets ?? {});
    return { ok: false, problem: `secret "${name}" is not declared under projects.${project}.secrets${names.length ? ` (declared: ${names.join(', ')})` : ''}` };
  }
  const grace = spec.rotation?.gracePeriod ?? DEFAULT_GRACE;
  return {
    ok: true,
    value: {
      ref, project, name, spec,
      gracePeriodSeconds: durationSeconds(grace) ?? 7 * 86400,
      length: spec.rotation?.length ?? 32,
      alphabet: spec.rotation?.alphabet ?? 'alphanumeric',
    },
  };
}

/** What the next run of a rotation should do, read from its journal and the clock. */
export type RotationPhase =
  | { phase: 'start' }
  | { phase: 'resume'; step: string }
  | { phase: 'grace'; until: Date }
  | { phase: 'finish' }
  | { phase: 'done' };

export function rotationPhase(j: OperationJournal | undefined, now: Date): RotationPhase {
  if (!j || j.status === 'done') return { phase: j ? 'done' : 'start' };
  const pending = j.steps.find((s) => s.status === 'pending' || s.status === 'failed');
  if (!pending) return { phase: 'done' };
  if (pending.id !== 'disable-previous' && pending.id !== 'delete-old-keys') return { phase: 'resume', step: pending.id };
  const until = typeof j.outputs.graceUntil === 'string' ? new Date(j.outputs.graceUntil) : now;
  return now.getTime() >= until.getTime() ? { phase: 'finish' } : { phase: 'grace', until };
}

/** `3d 4h` from seconds, for "the grace period ends in …". */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${Math.max(m, s > 0 ? 1 : 0)}m`;
}
