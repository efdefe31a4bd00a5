import { keyRotationReport, type KeyRotationStatus, type LiveKeyRotation } from '../../core/secrets/keys';
import type { LandingZoneModel } from '../../core/model';
import type { ScalewayClients } from '../client';
import { markStep, newJournal } from '../../core/secrets/journal';
import { checkCancelled, OperationError, type OperationContext } from './context';
import type { JournalStore } from '../journal';
import { projectIdByName } from './lookup';
import { runId } from './rotate-secret';

/** The live rotation state of every key the file declares (read-only). */
async function liveKeyRotations(c: ScalewayClients, model: LandingZoneModel): Promise<LiveKeyRotation[]> {
  const out: LiveKeyRotation[] = [];
  const projects = await c.account.listProjects({ organizationId: c.profile.organizationId }).all();
  for (const [project, p] of Object.entries(model.spec.projects)) {
    if (!p.keys || Object.keys(p.keys).length === 0) continue;
    const projectId = projects.find((x) => x.name === project)?.id;
    if (!projectId) continue;
    const region = model.placement[project]!.region;
    const keys = await c.keys.listKeys({ region: region as never, projectId, scheduledForDeletion: false }).all();
    for (const name of Object.keys(p.keys)) {
      const k = keys.find((x) => x.name === name);
      if (!k) continue;
      out.push({
        ref: `${project}/${name}`, keyId: k.id, state: k.state,
        rotationPeriod: k.rotationPolicy?.rotationPeriod, nextRotationAt: k.rotationPolicy?.nextRotationAt,
        lastRotatedAt: k.rotatedAt ?? k.createdAt,
      });
    }
  }
  return out;
}

export interface KeyRotationResult {
  rotated?: { ref: string; keyId: string; rotationCount: number };
  report: KeyRotationStatus[];
}

/**
 * Rotates one key now (Key Manager makes a new key version; old data stays decryptable), then
 * reports every key. The rotation count before the call is journaled: a re-run after a lost
 * response sees the count moved and does not rotate twice.
 */
export async function rotateKey(ctx: OperationContext, model: LandingZoneModel, ref: string, rotate: boolean, journals?: JournalStore): Promise<KeyRotationResult> {
  const m = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/.exec(ref);
  if (!m) throw new OperationError(`"${ref}" is not a key reference; write PROJECT/NAME, e.g. security/secrets-key`);
  const [, project, name] = m as unknown as [string, string, string];
  if (!model.spec.projects[project]?.keys?.[name]) throw new OperationError(`key ${ref} is not declared under projects.${project}.keys`);
  let rotated: KeyRotationResult['rotated'];
  if (rotate) {
    const c = ctx.write;
    if (!c) throw new OperationError('rotate-key needs write access');
    const region = model.placement[project]!.region;
    const keys = await c.keys.listKeys({ region: region as never, projectId: await projectIdByName(c, project), name, scheduledForDeletion: false }).all();
    const k = keys.find((x) => x.name === name);
    if (!k) throw new OperationError(`key ${ref} does not exist in Key Manager (${region}); create it with landing-zone apply first`);
    const open = await journals?.load('rotate-key', ref);
    const before = open && open.outputs.keyId === k.id ? Number(open.outputs.rotationCountBefore) : undefined;
    if (before !== undefined && k.rotationCount > before) {
      ctx.progress(`${ref}: the interrupted run's rotation went through (rotation ${k.rotationCount}); not rotating again`);
      rotated = { ref, keyId: k.id, rotationCount: k.rotationCount };
    } else {
      const j = open ?? newJournal('rotate-key', ref, runId('kr', ctx.now()), ctx.now(), [{ id: 'rotate', title: `Rotate ${ref}` }]);
      j.outputs.keyId = k.id;
      j.outputs.rotationCountBefore = k.rotationCount;
      await journals?.save(j);
      checkCancelled(ctx.signal);
      const after = await c.keys.rotateKey({ region: region as never, keyId: k.id });
      ctx.progress(`${ref}: rotated (rotation ${after.rotationCount})`);
      rotated = { ref, keyId: k.id, rotationCount: after.rotationCount };
    }
    // the key's copies in the regions its secrets are replicated to rotate with it (a re-run after a
    // crash may rotate a copy once more: one more key version, nothing lost)
    for (const r of replicaRegions(model, project, name, region)) {
      checkCancelled(ctx.signal);
      const copies = await c.keys.listKeys({ region: r as never, projectId: await projectIdByName(c, project), name, scheduledForDeletion: false }).all();
      const copy = copies.find((x) => x.name === name && x.tags.includes(`lz:id=${project}/key-replica/${name}-${r}`));
      if (!copy) throw new OperationError(`${ref} was rotated, but its copy in ${r} (for the secrets replicated there) does not exist; create it with landing-zone apply, then run rotate-key again`);
      const after = await c.keys.rotateKey({ region: r as never, keyId: copy.id });
      ctx.progress(`${ref}: copy in ${r} rotated (rotation ${after.rotationCount})`);
    }
    const done = await journals?.load('rotate-key', ref);
    if (done && journals) await journals.close({ ...markStep(done, 'rotate', 'done', ctx.now(), `rotation ${rotated.rotationCount}`), status: 'done' });
  }
  const report = keyRotationReport(model, await liveKeyRotations(ctx.read, model), ctx.now());
  return { rotated, report };
}

/** Regions other than the key's own where a secret encrypted with it keeps a replica (so the key has a copy there). */
function replicaRegions(model: LandingZoneModel, project: string, name: string, keyRegion: string): string[] {
  const out = new Set<string>();
  for (const p of Object.values(model.spec.projects)) {
    for (const s of Object.values(p.secrets ?? {})) {
      if (s.encryptionKey !== `${project}/${name}`) continue;
      for (const r of s.replication?.regions ?? []) if (r !== keyRegion) out.add(r);
    }
  }
  return [...out].sort();
}
