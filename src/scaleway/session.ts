import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { desiredResources } from '../core/desired';
import type { LandingZoneModel } from '../core/model';
import type { Region } from '../core/schema';
import type { DesiredResource } from '../core/state';
import { RULES, validateText, type ValidationResult } from '../core/validate';
import { CredentialsError, organizationMismatch, resolveProfile, type ProfileInput, type ScalewayProfile } from './profiles';

/*
 * What drift, plan and apply do first: read and validate the file, resolve the credentials, and
 * refuse when the file describes another organisation than the credentials reach. Problems come
 * back as values; the CLI and the extension turn them into exit codes or notifications.
 */

/** Regions the inventory reads when nothing narrows it: where the sandbox and the products are. */
export const DEFAULT_READ_REGIONS: readonly Region[] = ['fr-par', 'nl-ams', 'pl-waw'];

export interface Session {
  file: string;
  text: string;
  validation: ValidationResult;
  model: LandingZoneModel;
  desired: DesiredResource[];
  profile: ScalewayProfile;
  /** Regions the file uses: the inventory reads these. */
  regions: Region[];
}

export type SessionResult = { ok: true; session: Session } | { ok: false; message: string };

export async function openSession(opts: { file: string; cwd: string; profile: ProfileInput; now?: Date }): Promise<SessionResult> {
  const file = resolve(opts.cwd, opts.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  const validation = validateText(text, file, { now: opts.now });
  // policy findings (the reference architecture's rules) do not stop a comparison with the account;
  // syntax, schema and semantic errors do: the model would not mean what the file says
  const policy = new Set(RULES.filter((r) => r.layer === 'policy').map((r) => r.id));
  const errors = validation.issues.filter((i) => i.severity === 'error' && !policy.has(i.ruleId));
  if (!validation.model || errors.length > 0) {
    const first = errors[0];
    return {
      ok: false,
      message: `${opts.file} has ${errors.length} error(s); fix them first (landing-zone validate ${opts.file})${first ? `: ${first.range.start.line + 1}:${first.range.start.character + 1} ${first.message}` : ''}`,
    };
  }
  let profile: ScalewayProfile;
  try {
    profile = await resolveProfile(opts.profile);
  } catch (err) {
    if (err instanceof CredentialsError) return { ok: false, message: err.message };
    throw err;
  }
  const mismatch = organizationMismatch(validation.model.spec.organization.id, profile);
  if (mismatch) return { ok: false, message: mismatch };
  const model = validation.model;
  const regions = new Set<Region>([model.spec.defaults.region, ...Object.values(model.placement).map((p) => p.region)]);
  // secrets' replicas (and their keys' copies) live in the replication regions: read those too
  for (const p of Object.values(model.spec.projects)) for (const x of Object.values(p.secrets ?? {})) for (const r of x.replication?.regions ?? []) regions.add(r);
  return { ok: true, session: { file, text, validation, model, desired: desiredResources(model), profile, regions: [...regions].sort() } };
}
