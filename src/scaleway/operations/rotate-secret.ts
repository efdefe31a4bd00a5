import { httpStatus } from '../../core/errors';
import { randomBytes } from 'node:crypto';
import { repinSecretVersion } from '../../core/secrets/file-edit';
import { generateSecretValue } from '../../core/secrets/generate';
import { isStepDone, markStep, newJournal, runMarker, type OperationJournal } from '../../core/secrets/journal';
import { generatedPayload, needsCurrentValue } from '../../core/secrets/payload';
import { humanDuration, resolveSecret, rotationPhase, SECRET_ROTATION_STEPS, type SecretTarget } from '../../core/secrets/rotation';
import type { LandingZoneModel } from '../../core/model';
import type { ScalewayClients } from '../client';
import { CancelledError, checkCancelled, OperationError, type OperationContext } from './context';
import type { JournalStore } from '../journal';
import { findSecret, mustFindSecret, projectIdByName } from './lookup';

/** Reads and writes landing-zone.yaml (the CLI: the file on disk; the editor: the document). */
export interface FilePort {
  read(): Promise<string>;
  write(text: string): Promise<void>;
}

/** Where a new value comes from. Never argv: a value on a command line lands in shell history and `ps`. */
export type ValueSource = { kind: 'generate' } | { kind: 'stdin'; read(): Promise<Buffer> };

export interface RotateSecretInput {
  model: LandingZoneModel;
  ref: string;
  file: FilePort;
  journals: JournalStore;
  value: ValueSource;
  /** Only finish an open rotation (disable the previous version); never start one. */
  finishOnly?: boolean;
}

export interface RotationOutcome {
  status: 'waiting' | 'done' | 'nothing';
  journal?: OperationJournal;
  /** Report lines for stdout. Never a value. */
  lines: string[];
}

/**
 * Rotates a Secret Manager secret (see src/core/secrets/rotation.ts for the state machine).
 * The value exists only in memory, between its source and the create request, and is wiped after.
 */
export async function rotateSecret(ctx: OperationContext, input: RotateSecretInput): Promise<RotationOutcome> {
  const resolved = resolveSecret(input.model, input.ref);
  if (!resolved.ok) throw new OperationError(resolved.problem);
  const t = resolved.value;
  const write = ctx.write;
  if (!write) throw new OperationError('rotate-secret needs write access');
  const c: ScalewayClients = write;
  let j = await input.journals.load('rotate-secret', t.ref);
  const phase = rotationPhase(j, ctx.now());
  const region = input.model.placement[t.project]!.region;

  if (phase.phase === 'start' || phase.phase === 'done') {
    if (input.finishOnly) return { status: 'nothing', lines: [`${t.ref}: no rotation in progress; nothing to finish`] };
    // a vault secret that holds an application's API key changes only with the key itself: a
    // made-up value here would lock the application out while IAM still honours the old key
    const app = Object.entries(input.model.spec.iam?.applications ?? {}).find(([, a]) => a.apiKey?.storedIn === t.ref)?.[0];
    if (app) throw new OperationError(`${t.ref} holds the secret key of the IAM application ${app} (iam.applications.${app}.apiKey.storedIn); rotate it with \`landing-zone rotate-api-key ${app}\`, which makes a new key and stores it here`);
    j = newJournal('rotate-secret', t.ref, runId('rot', ctx.now()), ctx.now(), [...SECRET_ROTATION_STEPS]);
    j.outputs.gracePeriodSeconds = t.gracePeriodSeconds;
    await input.journals.save(j);
    ctx.progress(`${t.ref}: rotation ${j.id} started`);
  } else {
    ctx.progress(`${t.ref}: resuming rotation ${j!.id} (started ${j!.startedAt})`);
  }
  let journal = j!;
  const save = async (next: OperationJournal) => {
    journal = next;
    await input.journals.save(journal);
  };

  const projectId = await projectIdByName(c, t.project);
  const secret = await mustFindSecret(c, projectId, region, t.ref, t.spec.path);
  journal.outputs.secretId = secret.id;
  const replicas = (t.spec.replication?.regions ?? []).filter((r) => r !== region);

  if (!isStepDone(journal, 'create-version')) {
    // every replica must exist before a version is made: a rotation that could not reach one would
    // leave a new version in the primary that the file does not pin
    const absent: string[] = [];
    for (const r of replicas) if (!await findSecret(c, projectId, r, t.name, t.spec.path)) absent.push(r);
    if (absent.length) {
      throw new OperationError(`the replica of ${t.ref} in ${absent.join(', ')} (replication.regions) does not exist; nothing was changed. Create it with landing-zone apply, then run the rotation again`);
    }
    checkCancelled(ctx.signal);
    const marker = runMarker(journal);
    const versions = await c.secret.listSecretVersions({ region: region as never, secretId: secret.id }).all();
    // a run that crashed after the create but before the journal was saved left its marker: reuse that version
    const existing = versions.find((v) => v.description?.includes(marker));
    let revision: number;
    if (existing) {
      revision = existing.revision;
      ctx.progress(`${t.ref}: version ${revision} of this rotation already exists; not creating another`);
    } else {
      const pinned = typeof t.spec.version === 'number' ? t.spec.version : undefined;
      const latestEnabled = versions.filter((v) => v.status === 'enabled').sort((a, b) => b.revision - a.revision)[0]?.revision;
      const previous = pinned ?? latestEnabled;
      if (previous !== undefined) journal.outputs.previousRevision = previous;
      await save(journal);
      const value = input.value.kind === 'generate'
        ? await generated(c, region, secret.id, t, previous)
        : await input.value.read();
      if (value.length === 0) throw new OperationError('the value read from stdin is empty; pipe the new value into the command');
      try {
        const created = await c.secret.createSecretVersion({
          region: region as never, secretId: secret.id, data: value.toString('base64'),
          description: `landing-zone rotation ${marker}`, disablePrevious: false,
        });
        revision = created.revision;
      } finally {
        value.fill(0);
      }
      ctx.progress(`${t.ref}: created version ${revision}`);
    }
    journal.outputs.newRevision = revision;
    journal.outputs.graceUntil = new Date(ctx.now().getTime() + t.gracePeriodSeconds * 1000).toISOString();
    await save(markStep(journal, 'create-version', 'done', ctx.now(), `revision ${revision}`));
  }

  const newRevision = Number(journal.outputs.newRevision);
  try {
    return await afterCreate();
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // version N exists but the rotation is not finished: say so, and how it ends
    const why = err instanceof Error ? err.message : String(err);
    const left = [!isStepDone(journal, 'replicate') && replicas.length ? `not yet copied to ${replicas.join(', ')}` : '', !isStepDone(journal, 'repin-file') ? 'not yet pinned in the file' : ''].filter(Boolean).join(', ');
    throw new OperationError(`${why}. Version ${newRevision} of ${t.ref} was created${left ? ` (${left})` : ''}; run \`landing-zone rotate-secret ${t.ref}\` again to finish this rotation: it resumes from its journal and creates no other version`);
  }

  async function afterCreate(): Promise<RotationOutcome> {
    if (!isStepDone(journal, 'replicate')) {
      const copied: string[] = [];
      for (const r of replicas) {
        checkCancelled(ctx.signal);
        const replica = await findSecret(c, projectId, r, t.name, t.spec.path);
        if (!replica) throw new OperationError(`the replica of ${t.ref} in ${r} (replication.regions) does not exist; create it with landing-zone apply`);
        const versions = await c.secret.listSecretVersions({ region: r as never, secretId: replica.id }).all();
        const marker = runMarker(journal);
        let rev = versions.find((v) => v.description?.includes(marker))?.revision;
        if (rev === undefined) {
          if (journal.outputs[`replica-${r}-previous`] === undefined) {
            const prev = versions.filter((v) => v.status === 'enabled').sort((a, b) => b.revision - a.revision)[0]?.revision;
            if (prev !== undefined) await save({ ...journal, outputs: { ...journal.outputs, [`replica-${r}-previous`]: prev } });
          }
          // the value is read back from the primary, so a resumed run can copy it too
          const primary = await c.secret.accessSecretVersion({ region: region as never, secretId: secret.id, revision: String(newRevision) });
          try {
            rev = (await c.secret.createSecretVersion({ region: r as never, secretId: replica.id, data: primary.data, description: `landing-zone rotation ${marker}`, disablePrevious: false })).revision;
          } finally {
            primary.data = '';
          }
        }
        await save({ ...journal, outputs: { ...journal.outputs, [`replica-${r}-secretId`]: replica.id, [`replica-${r}-revision`]: rev } });
        copied.push(`${r} revision ${rev}`);
        ctx.progress(`${t.ref}: copied to ${r} (revision ${rev})`);
      }
      await save(markStep(journal, 'replicate', replicas.length ? 'done' : 'skipped', ctx.now(), copied.length ? copied.join(', ') : 'no replica regions'));
    }

    if (!isStepDone(journal, 'repin-file')) {
      checkCancelled(ctx.signal);
      const text = await input.file.read();
      const edit = repinSecretVersion(text, t.ref, newRevision);
      if (!edit.ok) throw new OperationError(`cannot re-pin ${t.ref}: ${edit.problem}`);
      if (edit.changed) await input.file.write(edit.text);
      ctx.progress(`${t.ref}: landing-zone.yaml now pins version ${newRevision}`);
      await save({ ...markStep(journal, 'repin-file', 'done', ctx.now(), `version ${newRevision}`), status: 'waiting' });
    }

    const previous = journal.outputs.previousRevision;
    const graceUntil = new Date(String(journal.outputs.graceUntil));
    const now = ctx.now();
    if (previous === undefined || previous === newRevision) {
      await finish(input.journals, markStep(journal, 'disable-previous', 'skipped', now, 'no previous version'));
      return { status: 'done', journal, lines: [`${t.ref}: version ${newRevision} created and pinned; there was no previous version to disable`] };
    }
    if (now.getTime() < graceUntil.getTime()) {
      const left = humanDuration((graceUntil.getTime() - now.getTime()) / 1000);
      return {
        status: 'waiting', journal,
        lines: [
          `${t.ref}: version ${newRevision} created and pinned in the file; version ${previous} stays enabled for the grace period`,
          `${t.ref}: grace period ends ${graceUntil.toISOString()} (in ${left}); then run \`landing-zone rotate-secret ${t.ref} --finish\` to disable version ${previous}`,
        ],
      };
    }
    checkCancelled(ctx.signal);
    const prev = await c.secret.getSecretVersion({ region: region as never, secretId: secret.id, revision: String(previous) });
    if (prev.status === 'enabled') await c.secret.disableSecretVersion({ region: region as never, secretId: secret.id, revision: String(previous) });
    for (const r of replicas) {
      const rid = journal.outputs[`replica-${r}-secretId`];
      const rprev = journal.outputs[`replica-${r}-previous`];
      if (typeof rid !== 'string' || typeof rprev !== 'number') continue;
      const v = await c.secret.getSecretVersion({ region: r as never, secretId: rid, revision: String(rprev) });
      if (v.status === 'enabled') await c.secret.disableSecretVersion({ region: r as never, secretId: rid, revision: String(rprev) });
    }
    ctx.progress(`${t.ref}: disabled version ${previous}`);
    await finish(input.journals, markStep(journal, 'disable-previous', 'done', now, `revision ${previous} disabled`));
    return {
      status: 'done', journal,
      lines: [`${t.ref}: rotation ${journal.id} done: version ${newRevision} pinned, version ${previous} disabled (destroy it with --destroy-version ${previous})`],
    };
  }
}

/** A generated value in the shape the secret's type needs (credentials keep their other fields). */
async function generated(c: ScalewayClients, region: string, secretId: string, t: SecretTarget, previous: number | undefined): Promise<Buffer> {
  const value = generateSecretValue(t.length, t.alphabet, (n) => randomBytes(n));
  let current: Buffer | undefined;
  if (needsCurrentValue(t.spec.type) && previous !== undefined) {
    const v = await c.secret.accessSecretVersion({ region: region as never, secretId, revision: String(previous) });
    current = Buffer.from(v.data, 'base64');
    v.data = '';
  }
  const payload = generatedPayload(t.ref, t.spec.type, value, current);
  current?.fill(0);
  if (!payload.ok) {
    value.fill(0);
    throw new OperationError(payload.problem);
  }
  if (payload.value !== value) value.fill(0);
  return payload.value;
}

async function finish(journals: JournalStore, j: OperationJournal): Promise<void> {
  await journals.close({ ...j, status: 'done' });
}

export interface DestroyVersionInput {
  model: LandingZoneModel;
  ref: string;
  revision: number;
}

/** Destroys one version. Refuses an enabled version (disable first), and the version the file pins. */
export async function destroySecretVersion(ctx: OperationContext, input: DestroyVersionInput): Promise<string> {
  const resolved = resolveSecret(input.model, input.ref);
  if (!resolved.ok) throw new OperationError(resolved.problem);
  const t = resolved.value;
  const c = ctx.write;
  if (!c) throw new OperationError('destroying a version needs write access');
  if (t.spec.version === input.revision) {
    throw new OperationError(`version ${input.revision} is the one landing-zone.yaml pins for ${t.ref}; rotate first, then destroy the old one`);
  }
  const region = input.model.placement[t.project]!.region;
  const secret = await mustFindSecret(c, await projectIdByName(c, t.project), region, t.ref, t.spec.path);
  const v = await versionOrUndefined(c, region, secret.id, input.revision);
  if (!v) throw new OperationError(`${t.ref} has no version ${input.revision}`);
  if (v.status === 'enabled') {
    throw new OperationError(`version ${input.revision} of ${t.ref} is enabled; disable it first (a rotation does after its grace period) — an enabled version is never destroyed`);
  }
  if (v.status === 'deleted' || v.status === 'scheduled_for_deletion') return `${t.ref}: version ${input.revision} is already ${v.status}`;
  await c.secret.deleteSecretVersion({ region: region as never, secretId: secret.id, revision: String(input.revision) });
  return `${t.ref}: version ${input.revision} destroyed`;
}

async function versionOrUndefined(c: ScalewayClients, region: string, secretId: string, revision: number) {
  try {
    return await c.secret.getSecretVersion({ region: region as never, secretId, revision: String(revision) });
  } catch (err) {
    if (httpStatus(err) === 404) return undefined;
    throw err;
  }
}

/** `rot-20260101T120000-ab12`: sortable, unique enough per target. */
export function runId(prefix: string, now: Date): string {
  return `${prefix}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
}
