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

function keyJson(rec: Rec): JsonObject {
  return rec.data;
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

  return [
    {
      method: 'POST', pattern: `${base}/keys`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, z.object({
          project_id: z.string().nullish(), name: z.string().max(255).nullish(), usage, description: z.string().nullish(), tags,
          rotation_policy: rotationPolicy.nullish(), unprotected: z.boolean().nullish(), origin: z.string().nullish(),
        }));
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
    action('rotate', (ctx, rec): JsonObject => {
      if (rec.data.state !== 'enabled') throw preconditionFailed('key_not_enabled', 'only an enabled key can be rotated');
      const policy = rec.data.rotation_policy as JsonObject | null;
      const set: JsonObject = { rotation_count: Number(rec.data.rotation_count) + 1, rotated_at: nowIso(ctx.now) };
      if (policy) set.rotation_policy = { ...policy, next_rotation_at: nowIso(ctx.now + Number(String(policy.rotation_period).slice(0, -1)) * 1000) };
      return set;
    }),
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

