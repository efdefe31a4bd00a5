import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourceDocument } from '../../core/document';
import { httpStatus, isError } from '../../core/errors';
import { redact } from '../../core/redact';
import type { LandingZoneModel } from '../../core/model';
import { validateText } from '../../core/validate';
import { readOnlyClients, writeClients, type ClientOptions, type ScalewayClients } from '../client';
import { describeProfile, type ScalewayProfile } from '../profiles';
import { openSession as openEngineSession } from '../session';
import type { OperationContext } from './context';
import { JournalStore } from '../journal';
import type { FilePort } from './rotate-secret';

/*
 * What every rotation and restore starts with: read and validate landing-zone.yaml, resolve the
 * credentials, refuse another organisation, build the clients. Shared by the CLI commands and,
 * later, the editor's commands (they pass their own progress and cancellation).
 */

export interface OperationSessionOptions {
  file: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  profile?: string;
  /** A dry run or a report gets read-only clients only. */
  readOnly: boolean;
  signal: AbortSignal;
  progress(line: string): void;
  clientOptions?: ClientOptions;
}

/** An operation's workbench: the engine's session (file, model, profile) with the clients, the file port and the journals. */
export interface OperationSession {
  path: string;
  model: LandingZoneModel;
  /** The parsed file, for ranges of findings. */
  source: SourceDocument;
  profile: ScalewayProfile;
  ctx: OperationContext;
  file: FilePort;
  journals: JournalStore;
}

/** A problem with the file or the credentials, worded for the user (exit code 2). */
class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

export async function loadModel(path: string): Promise<{ text: string; model: LandingZoneModel; source: SourceDocument }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SessionError(code === 'ENOENT' ? `${path} does not exist; pass --file FILE` : `cannot read ${path} (${code ?? 'error'})`);
  }
  const result = validateText(text, path);
  if (!result.model) {
    const first = result.issues.find((i) => i.severity === 'error') ?? result.issues[0];
    const where = first ? `${path}:${first.range.start.line + 1}:${first.range.start.character + 1}` : path;
    throw new SessionError(`${where} ${first?.message ?? 'invalid landing zone'} (run landing-zone validate for every issue)`);
  }
  return { text, model: result.model, source: result.source };
}

export async function openOperationSession(o: OperationSessionOptions): Promise<OperationSession> {
  // the engine's session: the same validation gate, profile resolution and organisation check as drift and apply
  const opened = await openEngineSession({ file: o.file, cwd: o.cwd, profile: { profile: o.profile, env: o.env } });
  if (!opened.ok) throw new SessionError(opened.message);
  const { model, validation, profile } = opened.session;
  const source = validation.source;
  const path = resolve(o.cwd, o.file);
  o.progress(`using ${describeProfile(profile)}`);
  const clientOptions: ClientOptions = { signal: o.signal, ...o.clientOptions };
  const read: ScalewayClients = readOnlyClients(profile, clientOptions);
  const write = o.readOnly ? undefined : writeClients(profile, clientOptions);
  const ctx: OperationContext = { read, write, signal: o.signal, progress: o.progress, now: () => new Date() };
  const file: FilePort = {
    read: () => readFile(path, 'utf8'),
    write: async (text) => {
      // atomic, so an interrupted write never leaves half a landing-zone.yaml
      const tmp = `${path}.lz-tmp`;
      await writeFile(tmp, text);
      await rename(tmp, path);
    },
  };
  return { path, model, source, profile, ctx, file, journals: new JournalStore(path, profile.organizationId) };
}

/** How a failure reads on stderr: one line for what the user can act on, never a value or a URL's credentials. */
export function describeFailure(err: unknown): { message: string; usage: boolean } {
  const text = redact(err instanceof Error ? err.message : String(err));
  // by name: the class may come from another bundle
  if (isError(err, 'SessionError')) return { message: text, usage: true };
  if (isError(err, 'OperationError', 'LZ_OPERATION')) return { message: text, usage: false };
  const status = httpStatus(err);
  if (status !== undefined && isError(err, 'ScalewayError')) return { message: `Scaleway API error ${status}: ${text}`, usage: false };
  return { message: text, usage: false };
}
