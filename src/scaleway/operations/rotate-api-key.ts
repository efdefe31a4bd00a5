import { apiKeyFindings, type LiveApiKey } from '../../core/secrets/api-keys';
import { repinSecretVersion } from '../../core/secrets/file-edit';
import { isStepDone, markStep, newJournal, runMarker, type OperationJournal } from '../../core/secrets/journal';
import { humanDuration, resolveSecret, rotationPhase } from '../../core/secrets/rotation';
import type { LandingZoneModel } from '../../core/model';
import type { ScalewayClients } from '../client';
import { checkCancelled, OperationError, type OperationContext } from './context';
import type { JournalStore } from '../journal';
import { mustFindSecret, projectIdByName } from './lookup';
import { runId, type FilePort, type RotationOutcome } from './rotate-secret';

/*
 * API key rotation for an IAM application:
 *   create-key (and, in the same step, store its secret key as a new version of the vault secret
 *   `apiKey.storedIn`: the secret key exists only in the create response, so it goes straight
 *   from there to Secret Manager) ─▶ repin-file ─▶ grace period ─▶ delete-old-keys (and disable
 *   the previous vault version).
 * A crash between the key and the version leaves a marked key whose secret is lost: the resume
 * deletes that orphan and creates another. A marked version means the pair is complete: adopt it.
 */

const API_KEY_ROTATION_STEPS = [
  { id: 'create-key', title: 'Create the new API key and store its secret key in the vault' },
  { id: 'repin-file', title: 'Re-pin the vault secret version in landing-zone.yaml' },
  { id: 'delete-old-keys', title: 'Delete the old API keys after the grace period' },
];

export interface RotateApiKeyInput {
  model: LandingZoneModel;
  application: string;
  file: FilePort;
  journals: JournalStore;
  finishOnly?: boolean;
}

async function applicationId(c: ScalewayClients, name: string): Promise<string> {
  const apps = await c.iam.listApplications({ organizationId: c.profile.organizationId, name }).all();
  const app = apps.find((a) => a.name === name);
  if (!app) throw new OperationError(`application "${name}" does not exist in organisation ${c.profile.organizationId}; create it with landing-zone apply first`);
  return app.id;
}

export async function rotateApiKey(ctx: OperationContext, input: RotateApiKeyInput): Promise<RotationOutcome> {
  const app = input.model.spec.iam?.applications?.[input.application];
  if (!app) {
    const names = Object.keys(input.model.spec.iam?.applications ?? {});
    throw new OperationError(`application "${input.application}" is not declared under iam.applications${names.length ? ` (declared: ${names.join(', ')})` : ''}`);
  }
  if (!app.apiKey) throw new OperationError(`iam.applications.${input.application} has no apiKey; declare apiKey: { storedIn: PROJECT/SECRET, expiresInDays: N }`);
  const vault = resolveSecret(input.model, app.apiKey.storedIn);
  if (!vault.ok) throw new OperationError(`iam.applications.${input.application}.apiKey.storedIn: ${vault.problem}`);
  const t = vault.value;
  const c = ctx.write;
  if (!c) throw new OperationError('rotate-api-key needs write access');

  let j = await input.journals.load('rotate-api-key', input.application);
  const phase = rotationPhase(j, ctx.now());
  if (phase.phase === 'start' || phase.phase === 'done') {
    if (input.finishOnly) return { status: 'nothing', lines: [`${input.application}: no API key rotation in progress; nothing to finish`] };
    j = newJournal('rotate-api-key', input.application, runId('key', ctx.now()), ctx.now(), API_KEY_ROTATION_STEPS);
    await input.journals.save(j);
    ctx.progress(`${input.application}: API key rotation ${j.id} started`);
  } else {
    ctx.progress(`${input.application}: resuming API key rotation ${j!.id} (started ${j!.startedAt})`);
  }
  let journal: OperationJournal = j!;
  const save = async (next: OperationJournal) => {
    journal = next;
    await input.journals.save(journal);
  };

  const appId = await applicationId(c, input.application);
  const region = input.model.placement[t.project]!.region;
  const secret = await mustFindSecret(c, await projectIdByName(c, t.project), region, t.ref, t.spec.path);
  const marker = runMarker(journal);

  if (!isStepDone(journal, 'create-key')) {
    checkCancelled(ctx.signal);
    const keys = await appKeys(c, appId);
    const versions = await c.secret.listSecretVersions({ region: region as never, secretId: secret.id }).all();
    const markedKeys = keys.filter((k) => k.description.includes(marker));
    const markedVersion = versions.find((v) => v.description?.includes(marker));
    if (journal.outputs.previousRevision === undefined) {
      const previous = typeof t.spec.version === 'number' ? t.spec.version : versions.filter((v) => v.status === 'enabled').sort((a, b) => b.revision - a.revision)[0]?.revision;
      if (previous !== undefined) journal.outputs.previousRevision = previous;
      journal.outputs.oldAccessKeys = keys.filter((k) => !k.description.includes(marker)).map((k) => k.accessKey).join(',');
      await save(journal);
    }
    let accessKey: string;
    let revision: number;
    if (markedVersion && markedKeys.length > 0) {
      const desc = markedVersion.description ?? '';
      accessKey = markedKeys.find((k) => desc.includes(k.accessKey))?.accessKey ?? markedKeys[0]!.accessKey;
      revision = markedVersion.revision;
      ctx.progress(`${input.application}: key ${accessKey} and vault version ${revision} of this rotation already exist; adopting them`);
    } else {
      for (const orphan of markedKeys) {
        // its secret key was only in a response that was lost: it can never be used
        await c.iam.deleteAPIKey({ accessKey: orphan.accessKey });
        ctx.progress(`${input.application}: deleted ${orphan.accessKey}, created by an interrupted run whose secret key was never stored`);
      }
      const created = await c.iam.createAPIKey({
        applicationId: appId,
        // the tool's markers, as apply writes them: drift and apply know the new key as the application's
        description: `landing-zone lz:id=iam/api-key/${input.application} storedIn=${t.ref} rotation ${marker}`,
        expiresAt: new Date(ctx.now().getTime() + app.apiKey.expiresInDays * 86_400_000),
        defaultProjectId: app.apiKey.defaultProject ? await projectIdByName(c, app.apiKey.defaultProject) : undefined,
      });
      accessKey = created.accessKey;
      // a key/value vault secret gets both halves (what `scw` and Terraform read); any other type the secret key alone
      const secretKey = Buffer.from(t.spec.type === 'key_value' && created.secretKey
        ? JSON.stringify({ SCW_ACCESS_KEY: created.accessKey, SCW_SECRET_KEY: created.secretKey })
        : created.secretKey ?? '');
      created.secretKey = undefined;
      if (secretKey.length === 0) throw new OperationError(`IAM returned no secret key for ${accessKey}`);
      try {
        const v = await c.secret.createSecretVersion({
          region: region as never, secretId: secret.id, data: secretKey.toString('base64'),
          description: `landing-zone rotation ${marker} access key ${accessKey}`, disablePrevious: false,
        });
        revision = v.revision;
      } finally {
        secretKey.fill(0);
      }
      ctx.progress(`${input.application}: created API key ${accessKey}; its secret key is version ${revision} of ${t.ref}`);
    }
    journal.outputs.newAccessKey = accessKey;
    journal.outputs.newRevision = revision;
    journal.outputs.graceUntil = new Date(ctx.now().getTime() + t.gracePeriodSeconds * 1000).toISOString();
    await save(markStep(journal, 'create-key', 'done', ctx.now(), `${accessKey}, vault revision ${revision}`));
  }

  const newRevision = Number(journal.outputs.newRevision);
  if (!isStepDone(journal, 'repin-file')) {
    const edit = repinSecretVersion(await input.file.read(), t.ref, newRevision);
    if (!edit.ok) throw new OperationError(`cannot re-pin ${t.ref}: ${edit.problem}`);
    if (edit.changed) await input.file.write(edit.text);
    ctx.progress(`${input.application}: landing-zone.yaml now pins ${t.ref} version ${newRevision}`);
    await save({ ...markStep(journal, 'repin-file', 'done', ctx.now(), `version ${newRevision}`), status: 'waiting' });
  }

  const graceUntil = new Date(String(journal.outputs.graceUntil));
  const oldKeys = String(journal.outputs.oldAccessKeys ?? '').split(',').filter(Boolean);
  const now = ctx.now();
  if (now.getTime() < graceUntil.getTime()) {
    return {
      status: 'waiting', journal,
      lines: [
        `${input.application}: new API key ${String(journal.outputs.newAccessKey)} stored as version ${newRevision} of ${t.ref} (pinned in the file)`,
        `${input.application}: ${oldKeys.length ? `old key(s) ${oldKeys.join(', ')} stay` : 'no old key stays'} valid until ${graceUntil.toISOString()} (in ${humanDuration((graceUntil.getTime() - now.getTime()) / 1000)}); then run \`landing-zone rotate-api-key ${input.application} --finish\``,
      ],
    };
  }
  checkCancelled(ctx.signal);
  const live = new Set((await appKeys(c, appId)).map((k) => k.accessKey));
  for (const ak of oldKeys) {
    if (live.has(ak)) await c.iam.deleteAPIKey({ accessKey: ak });
  }
  const previous = journal.outputs.previousRevision;
  if (typeof previous === 'number' && previous !== newRevision) {
    const pv = await c.secret.getSecretVersion({ region: region as never, secretId: secret.id, revision: String(previous) });
    if (pv.status === 'enabled') await c.secret.disableSecretVersion({ region: region as never, secretId: secret.id, revision: String(previous) });
  }
  await input.journals.close({ ...markStep(journal, 'delete-old-keys', 'done', now, `deleted ${oldKeys.length} key(s)`), status: 'done' });
  return {
    status: 'done', journal,
    lines: [`${input.application}: rotation ${journal.id} done: old key(s) ${oldKeys.join(', ') || '(none)'} deleted${typeof previous === 'number' ? `, vault version ${previous} disabled` : ''}`],
  };
}

/** Live API keys of the applications the file declares, for `apiKeyFindings`. */
export async function liveApiKeys(c: ScalewayClients, model: LandingZoneModel): Promise<LiveApiKey[]> {
  const out: LiveApiKey[] = [];
  const apps = await c.iam.listApplications({ organizationId: c.profile.organizationId }).all();
  for (const name of Object.keys(model.spec.iam?.applications ?? {})) {
    const app = apps.find((a) => a.name === name);
    if (!app) continue;
    for (const k of await appKeys(c, app.id)) {
      out.push({ accessKey: k.accessKey, applicationName: name, description: k.description, defaultProjectId: k.defaultProjectId, createdAt: k.createdAt, expiresAt: k.expiresAt });
    }
  }
  return out;
}

/** The application's keys; filtered here too, because deleting a key of another bearer would be a disaster. */
async function appKeys(c: ScalewayClients, appId: string) {
  return (await c.iam.listAPIKeys({ applicationId: appId, bearerType: 'application', bearerId: appId }).all()).filter((k) => k.applicationId === appId);
}

export { apiKeyFindings };
