import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  commonFilters, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, region, uuid,
  type Ctx, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed } from '../errors';
import { nowIso, type JsonObject } from '../json';
import type { Rec } from '../store';

export const KEY = 'keymanager.key';

const tags = z.array(z.string()).nullish();
const usage = z.object({
  symmetric_encryption: z.string().nullish(), asymmetric_encryption: z.string().nullish(), asymmetric_signing: z.string().nullish(),
});
const rotationPolicy = z.object({ rotation_period: z.string().regex(/^\d+(\.\d+)?s$/, 'must be a duration in seconds, e.g. 7776000s').nullish(), next_rotation_at: z.string().nullish() });

function policyJson(ctx: Ctx, p: z.infer<typeof rotationPolicy> | null | undefined): JsonObject | null {
  if (!p?.rotation_period) return null;
  const seconds = Number(p.rotation_period.slice(0, -1));
  if (seconds < 86400 || seconds > 100 * 365 * 86400) {
    throw invalidArguments([{ argument_name: 'rotation_policy.rotation_period', reason: 'constraint', help_message: 'must be between 24 hours and 100 years' }]);
  }
  return { rotation_period: p.rotation_period, next_rotation_at: p.next_rotation_at ?? nowIso(ctx.now + seconds * 1000) };
}

/** Scaleway resource name, as the 2026-10 answers carry it (the domain is /metadata's). */
function keyJson(rec: Rec): JsonObject {
  return { srn: `srn://key-manager.scw.eu/regions/${rec.loc}/keys/${rec.id}`, ...rec.data };
}

/**
 * Real AES-256-GCM with one 32-byte material per rotation, kept in the record's hidden part (the
 * sandbox's state file is as sensitive as a KMS backup: it is written 0600). A ciphertext is
 * `SBX1 | rotation (2 bytes) | iv (12) | tag (16) | data`, so older rotations still decrypt.
 */
function material(rec: Rec): string[] {
  return ((rec.hidden?.material as string[] | undefined) ?? []);
}

function withNewMaterial(rec: Rec): JsonObject {
  return { ...(rec.hidden ?? {}), material: [...material(rec), randomBytes(32).toString('base64')] };
}

function encrypt(rec: Rec, plaintext: Buffer, aad: Buffer | undefined): string {
  const all = material(rec);
  const version = all.length - 1;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(all[version]!, 'base64'), iv);
  if (aad) cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const head = Buffer.alloc(6);
  head.write('SBX1', 0, 'ascii');
  head.writeUInt16BE(version, 4);
  return Buffer.concat([head, iv, cipher.getAuthTag(), data]).toString('base64');
}

function decrypt(rec: Rec, ciphertext: string, aad: Buffer | undefined): Buffer {
  const raw = Buffer.from(ciphertext, 'base64');
  const bad = () => invalidArguments([{ argument_name: 'ciphertext', reason: 'constraint', help_message: 'ciphertext was not produced by this key' }]);
  if (raw.length < 34 || raw.toString('ascii', 0, 4) !== 'SBX1') throw bad();
  const key = material(rec)[raw.readUInt16BE(4)];
  if (!key) throw bad();
  try {
    const d = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64'), raw.subarray(6, 18));
    d.setAuthTag(raw.subarray(18, 34));
    if (aad) d.setAAD(aad);
    return Buffer.concat([d.update(raw.subarray(34)), d.final()]);
  } catch {
    throw bad();
  }
}

export function keyManagerRoutes(): Route[] {
  const P = 'KeyManager';
  const base = '/key-manager/v1alpha1/regions/{region}';
  const key = (ctx: Ctx) => mustGet(ctx, KEY, ctx.params.keyId!, region(ctx), () => notFound('key', ctx.params.keyId!));
  const action = (name: string, apply: (ctx: Ctx, rec: Rec) => JsonObject): Route => ({
    method: 'POST', pattern: `${base}/keys/{keyId}/${name}`, product: P,
    handler: (ctx) => {
      const rec = key(ctx);
      if (rec.data.deletion_requested_at !== null) throw preconditionFailed('key_scheduled_for_deletion', 'the key is scheduled for deletion');
      return ok(keyJson(ctx.store.patch(rec, { ...apply(ctx, rec), updated_at: nowIso(ctx.now) })));
    },
  });

  // request schemas built once, not per request (zod compiles each new schema on its first parse)
  const createKeyBody = z.object({
    project_id: z.string().nullish(), name: z.string().max(255).nullish(), usage, description: z.string().nullish(), tags,
    rotation_policy: rotationPolicy.nullish(), unprotected: z.boolean().nullish(), origin: z.string().nullish(),
  });

  return [
    {
      method: 'POST', pattern: `${base}/keys`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, // request schemas built once, not per request (zod compiles each new schema on its first parse)
   createKeyBody);
        const u = Object.fromEntries(Object.entries(b.usage).filter(([, v]) => v != null)) as JsonObject;
        if (Object.keys(u).length !== 1) throw invalidArguments([{ argument_name: 'usage', reason: 'constraint', help_message: 'exactly one usage is required' }]);
        const id = uuid();
        return ok(keyJson(ctx.store.put({
          kind: KEY, id, loc,
          data: {
            id, project_id: projectOf(ctx, b.project_id), name: b.name ?? '', usage: u, state: 'enabled', rotation_count: 1,
            created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), protected: !(b.unprotected ?? false), locked: false,
            description: b.description ?? null, tags: b.tags ?? [], rotated_at: nowIso(ctx.now), rotation_policy: policyJson(ctx, b.rotation_policy),
            origin: b.origin && b.origin !== 'unknown_origin' ? b.origin : 'scaleway_kms', deletion_requested_at: null, protection_level: 'software', region: loc,
          },
          hidden: { material: [randomBytes(32).toString('base64')] },
        })));
      },
    },
    {
      method: 'GET', pattern: `${base}/keys`, product: P,
      handler: (ctx) => {
        const scheduled = ctx.query.get('scheduled_for_deletion') === 'true';
        const recs = filterRecs(ctx, ctx.store.list(KEY, region(ctx), ctx.now).filter((k) => (k.data.deletion_requested_at !== null) === scheduled), {
          ...commonFilters,
          usage: (r, v) => v.some((x) => {
            const kind = x === 'symmetric_encryption' || x === 'asymmetric_encryption' || x === 'asymmetric_signing' ? x : undefined;
            return kind !== undefined && (r.data.usage as JsonObject)[kind] !== undefined;
          }),
        });
        return pageOf(ctx, recs, 'keys', keyJson, 'name_asc');
      },
    },
    { method: 'GET', pattern: `${base}/keys/{keyId}`, product: P, handler: (ctx) => ok(keyJson(key(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/keys/{keyId}`, product: P,
      handler: (ctx) => {
        const rec = key(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().nullish(), description: z.string().nullish(), tags, rotation_policy: rotationPolicy.nullish() }));
        return ok(keyJson(ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.description != null ? { description: b.description } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}), ...(b.rotation_policy != null ? { rotation_policy: policyJson(ctx, b.rotation_policy) } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      // keys are scheduled for deletion: GET still answers with deletion_requested_at set
      method: 'DELETE', pattern: `${base}/keys/{keyId}`, product: P,
      handler: (ctx) => {
        const rec = key(ctx);
        if (rec.data.protected === true) throw preconditionFailed('protected_resource', 'cannot delete a protected key');
        if (rec.data.deletion_requested_at === null) ctx.store.patch(rec, { deletion_requested_at: nowIso(ctx.now), state: 'scheduled_for_deletion', updated_at: nowIso(ctx.now) });
        return noContent();
      },
    },
    {
      method: 'POST', pattern: `${base}/keys/{keyId}/rotate`, product: P,
      handler: (ctx) => {
        const rec = key(ctx);
        if (rec.data.deletion_requested_at !== null) throw preconditionFailed('key_scheduled_for_deletion', 'the key is scheduled for deletion');
        if (rec.data.state !== 'enabled') throw preconditionFailed('key_not_enabled', 'only an enabled key can be rotated');
        const policy = rec.data.rotation_policy as JsonObject | null;
        const set: JsonObject = { rotation_count: Number(rec.data.rotation_count) + 1, rotated_at: nowIso(ctx.now), updated_at: nowIso(ctx.now) };
        if (policy) set.rotation_policy = { ...policy, next_rotation_at: nowIso(ctx.now + Number(String(policy.rotation_period).slice(0, -1)) * 1000) };
        return ok(keyJson(ctx.store.put({ ...rec, data: { ...rec.data, ...set }, hidden: withNewMaterial(rec) })));
      },
    },
    ...cryptoRoutes(base, P, key),
    action('enable', () => ({ state: 'enabled' })),
    action('disable', () => ({ state: 'disabled' })),
    action('protect', () => ({ protected: true })),
    action('unprotect', () => ({ protected: false })),
    {
      method: 'POST', pattern: `${base}/keys/{keyId}/restore`, product: P,
      handler: (ctx) => ok(keyJson(ctx.store.patch(key(ctx), { deletion_requested_at: null, state: 'enabled', updated_at: nowIso(ctx.now) }))),
    },
  ];
}


const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

function cryptoRoutes(base: string, P: string, key: (ctx: Ctx) => Rec): Route[] {
  const usable = (ctx: Ctx): Rec => {
    let rec = key(ctx);
    // keys from a state written before the sandbox kept material get theirs on first use
    if (material(rec).length === 0) rec = ctx.store.put({ ...rec, hidden: withNewMaterial(rec) });
    if (rec.data.state !== 'enabled' || rec.data.deletion_requested_at !== null) {
      throw preconditionFailed('key_not_enabled', `the key is ${String(rec.data.state)}`);
    }
    if (!(rec.data.usage as JsonObject).symmetric_encryption) {
      throw preconditionFailed('key_usage_mismatch', 'the sandbox encrypts with symmetric keys only');
    }
    return rec;
  };
  const aadOf = (v: string | null | undefined) => (v ? Buffer.from(v, 'base64') : undefined);
  return [
    {
      method: 'POST', pattern: `${base}/keys/{keyId}/generate-data-key`, product: P,
      handler: (ctx) => {
        const rec = usable(ctx);
        const b = parseBody(ctx, z.object({ algorithm: z.string().nullish(), without_plaintext: z.boolean().nullish() }));
        const plaintext = randomBytes(32);
        return ok({
          key_id: rec.id, algorithm: b.algorithm && b.algorithm !== 'unknown_symmetric_encryption' ? b.algorithm : 'aes_256_gcm',
          ciphertext: encrypt(rec, plaintext, undefined), plaintext: b.without_plaintext ? null : plaintext.toString('base64'), created_at: nowIso(ctx.now),
        });
      },
    },
    {
      method: 'POST', pattern: `${base}/keys/{keyId}/encrypt`, product: P,
      handler: (ctx) => {
        const rec = usable(ctx);
        const b = parseBody(ctx, z.object({ plaintext: b64, associated_data: b64.nullish() }));
        return ok({ key_id: rec.id, ciphertext: encrypt(rec, Buffer.from(b.plaintext, 'base64'), aadOf(b.associated_data)) });
      },
    },
    {
      method: 'POST', pattern: `${base}/keys/{keyId}/decrypt`, product: P,
      handler: (ctx) => {
        const rec = usable(ctx);
        const b = parseBody(ctx, z.object({ ciphertext: b64, associated_data: b64.nullish() }));
        return ok({ key_id: rec.id, plaintext: decrypt(rec, b.ciphertext, aadOf(b.associated_data)).toString('base64'), ciphertext: b.ciphertext });
      },
    },
  ];
}
