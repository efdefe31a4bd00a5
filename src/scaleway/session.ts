import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { desiredResources, readRegions } from '../core/desired';
import type { LandingZoneModel } from '../core/model';
import type { Region } from '../core/schema';
import type { DesiredResource } from '../core/state';
import { RULES, validateText, type ValidationResult } from '../core/validate';
import { isError } from '../core/errors';
import type { RunState } from '../core/journal';
import { interruptedRuns } from './journal';
import { organizationMismatch, resolveProfile, type ProfileInput, type ScalewayProfile } from './profiles';

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
  /** Regions the file uses: the inventory reads these (computed here, once, for every surface). */
  regions: Region[];
  /** Runs of this organisation from this folder that were interrupted (apply, rotations, restores): core/journal.ts's interruptedNotice says each. */
  interruptedRuns: RunState[];
}

export type SessionResult = { ok: true; session: Session } | { ok: false; message: string };

export interface OpenSessionOptions {
  /** The landing-zone file; its folder holds the journal and the lock. */
  file: string;
  cwd: string;
  /** The file's text as the editor has it (unsaved changes included); read from disk when absent. */
  text?: string;
  /** How to resolve the credentials (the CLI: --profile and SCW_*)… */
  profile?: ProfileInput;
  /** …or credentials the caller already resolved (the editor's sign-in, its sandbox). */
  resolved?: ScalewayProfile;
  /**
   * The YAML reader: `fast` (core's fast path, held equal to yaml's by a differential test, as
   * validate and the editor read) for a command that only reads the account; default yaml's.
   */
  reader?: 'fast' | 'yaml';
  now?: Date;
}

/**
 * The one way into the engine, for the CLI and the editor alike: the validation gate, the
 * credentials and the organisation check, the desired resources, the regions to read, and the
 * runs (of any operation) that were interrupted, for the one notice core/journal.ts words.
 */
export async function openSession(opts: OpenSessionOptions): Promise<SessionResult> {
  const file = resolve(opts.cwd, opts.file);
  // the credentials are read (the scw config file) while the landing-zone file is read and
  // validated; a failure is reported after the file's own errors, as before
  const profiled = opts.resolved ? Promise.resolve(opts.resolved) : resolveProfile(opts.profile ?? {});
  profiled.catch(() => undefined);
  let text: string;
  if (opts.text !== undefined) text = opts.text;
  else {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { ok: false, message: `cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  }
  const validation = validateText(text, file, { now: opts.now, ...(opts.reader ? { reader: opts.reader } : {}) });
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
    profile = await profiled;
  } catch (err) {
    if (isError(err, 'CredentialsError')) return { ok: false, message: (err as Error).message };
    throw err;
  }
  const mismatch = organizationMismatch(validation.model.spec.organization.id, profile);
  if (mismatch) return { ok: false, message: mismatch };
  const model = validation.model;
  const desired = desiredResources(model);
  return { ok: true, session: { file, text, validation, model, desired, profile, regions: readRegions(model, desired), interruptedRuns: interruptedRuns(file, profile.organizationId) } };
}
