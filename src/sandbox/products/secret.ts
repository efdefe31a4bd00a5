import { z } from 'zod';
import {
  commonFilters, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, region, uuid,
  type Ctx, type Route,
} from '../context';
import { alreadyExists, invalidArguments, notFound, preconditionFailed } from '../errors';
import { nowIso, type JsonObject } from '../json';
import type { Rec } from '../store';
import { KEY } from './key-manager';

const SECRET = 'secret.secret';
const VERSION = 'secret.version';

const TYPES = ['opaque', 'certificate', 'key_value', 'basic_credentials', 'database_credentials', 'ssh_key'];
const tags = z.array(z.string()).nullish();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const createSecret = z.object({
  project_id: z.string().nullish(), name: z.string().min(1).max(255), tags, description: z.string().nullish(), type: z.string().nullish(),
  path: z.string().regex(/^\/([\w.-]+\/?)*$/, 'must be an absolute path').nullish(), ephemeral_policy: z.record(z.string(), z.unknown()).nullish(),
  protected: z.boolean().nullish(), key_id: z.string().nullish(),
});
const updateSecret = z.object({
  name: z.string().min(1).max(255).nullish(), tags, description: z.string().nullish(), path: z.string().nullish(),
  ephemeral_policy: z.record(z.string(), z.unknown()).nullish(),
});

function secretJson(ctx: Ctx, rec: Rec): JsonObject {
  const count = ctx.store.list(VERSION, rec.loc, ctx.now).filter((v) => v.data.secret_id === rec.id && v.data.status !== 'deleted').length;
  // the 2026-10 answers name a secret's `srn` but leave it empty (a key's is filled)
  return { srn: '', ...rec.data, version_count: count };
}

function versionJson(rec: Rec): JsonObject {
  return rec.data;
}

/** The payload must fit the secret's type; key_value secrets are flat JSON objects of strings. */
function checkPayload(type: string, data: string): void {
  if (type === 'opaque' || type === 'certificate' || type === 'ssh_key') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw invalidArguments([{ argument_name: 'data', reason: 'format', help_message: `- invalid: a ${type} secret must hold a JSON object\n` }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidArguments([{ argument_name: 'data', reason: 'format', help_message: `- invalid: Invalid type. Expected: object, given: ${Array.isArray(parsed) ? 'array' : typeof parsed}\n` }]);
  }
  for (const v of Object.values(parsed)) {
    if (typeof v !== 'string') {
      throw invalidArguments([{ argument_name: 'data', reason: 'format', help_message: `- invalid: Invalid type. Expected: string, given: ${Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v}\n` }]);
    }
  }
}

export function secretRoutes(): Route[] {
  const P = 'SecretManager';
  const base = '/secret-manager/v1beta1/regions/{region}';
  const secret = (ctx: Ctx) => mustGet(ctx, SECRET, ctx.params.secretId!, region(ctx), () => notFound('secret', ctx.params.secretId!));
  const versions = (ctx: Ctx, s: Rec) => ctx.store.list(VERSION, s.loc, ctx.now).filter((v) => v.data.secret_id === s.id).sort((a, b) => Number(a.data.revision) - Number(b.data.revision));

  /** `1`, `latest` (the newest not-deleted version) or `latest_enabled`. */
  const version = (ctx: Ctx, s: Rec, revision: string): Rec => {
    const all = versions(ctx, s);
    let found: Rec | undefined;
    if (revision === 'latest') found = all.filter((v) => v.data.status !== 'deleted').at(-1);
    else if (revision === 'latest_enabled') found = all.filter((v) => v.data.status === 'enabled').at(-1);
    else if (/^\d+$/.test(revision)) found = all.find((v) => String(v.data.revision) === revision);
    else throw invalidArguments([{ argument_name: 'revision', reason: 'constraint', help_message: 'must be a number, latest or latest_enabled' }]);
    if (!found) throw notFound('secret_version', revision);
    return found;
  };

  const setLatest = (ctx: Ctx, s: Rec) => {
    const all = versions(ctx, s);
    const newest = all.filter((v) => v.data.status !== 'deleted').at(-1);
    for (const v of all) if (v.data.latest !== (v === newest)) ctx.store.patch(v, { latest: v === newest });
  };

  const access = (ctx: Ctx, s: Rec, revision: string) => {
    const v = version(ctx, s, revision);
    if (v.data.status !== 'enabled') throw preconditionFailed('secret_version_not_enabled', `version ${String(v.data.revision)} is ${String(v.data.status)}`);
    const payload = v.hidden ?? {};
    return ok({ secret_id: s.id, revision: Number(v.data.revision), data: String(payload.data ?? ''), data_crc32: (payload.data_crc32 as number | null | undefined) ?? null, type: String(s.data.type) });
  };

  const toggle = (status: 'enabled' | 'disabled'): Route => ({
    method: 'POST', pattern: `${base}/secrets/{secretId}/versions/{revision}/${status === 'enabled' ? 'enable' : 'disable'}`, product: P,
    handler: (ctx) => {
      const s = secret(ctx);
      const v = version(ctx, s, ctx.params.revision!);
      if (v.data.status === 'deleted') throw preconditionFailed('secret_version_deleted', 'a deleted version cannot change status');
      return ok(versionJson(ctx.store.patch(v, { status, updated_at: nowIso(ctx.now) })));
    },
  });

  const protect = (value: boolean): Route => ({
    method: 'POST', pattern: `${base}/secrets/{secretId}/${value ? 'protect' : 'unprotect'}`, product: P,
    handler: (ctx) => ok(secretJson(ctx, ctx.store.patch(secret(ctx), { protected: value, updated_at: nowIso(ctx.now) }))),
  });

  // request schemas built once, not per request (zod compiles each new schema on its first parse)
  const createVersionBody = z.object({
    data: base64, description: z.string().nullish(), disable_previous: z.boolean().nullish(), data_crc32: z.number().int().nullish(),
  });

  return [
    {
      method: 'POST', pattern: `${base}/secrets`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createSecret);
        const project = projectOf(ctx, b.project_id);
        const type = b.type && b.type !== 'unknown_type' ? b.type : 'opaque';
        if (!TYPES.includes(type)) throw invalidArguments([{ argument_name: 'type', reason: 'constraint', help_message: `unknown secret type ${type}` }]);
        const path = b.path ?? '/';
        const clash = ctx.store.list(SECRET, loc, ctx.now).find((s) => s.data.project_id === project && s.data.name === b.name && s.data.path === path && s.data.deletion_requested_at === null);
        if (clash) throw alreadyExists('secret', clash.id);
        if (b.key_id) mustGet(ctx, KEY, b.key_id, loc, () => notFound('key', b.key_id!));
        const id = uuid();
        const rec = ctx.store.put({
          kind: SECRET, id, loc,
          data: {
            id, project_id: project, name: b.name, status: 'ready', created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), tags: b.tags ?? [],
            version_count: 0, description: b.description ?? '', managed: false, type, protected: b.protected ?? false, path,
            ephemeral_policy: (b.ephemeral_policy as JsonObject | undefined) ?? null, used_by: [], deletion_requested_at: null,
            key_id: b.key_id ?? null, region: loc,
          },
        });
        return ok(secretJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/secrets`, product: P,
      handler: (ctx) => {
        const scheduled = ctx.query.get('scheduled_for_deletion') === 'true';
        const recs = filterRecs(ctx, ctx.store.list(SECRET, region(ctx), ctx.now).filter((s) => (s.data.deletion_requested_at !== null) === scheduled), {
          ...commonFilters, name: eq('name'), path: eq('path'), type: eq('type'),
          ephemeral: (r, v) => v.includes(String(r.data.ephemeral_policy !== null)),
        });
        return pageOf(ctx, recs, 'secrets', (r) => secretJson(ctx, r), 'name_asc');
      },
    },
    { method: 'GET', pattern: `${base}/secrets/{secretId}`, product: P, handler: (ctx) => ok(secretJson(ctx, secret(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/secrets/{secretId}`, product: P,
      handler: (ctx) => {
        const rec = secret(ctx);
        const b = parseBody(ctx, updateSecret);
        return ok(secretJson(ctx, ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}), ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.description != null ? { description: b.description } : {}), ...(b.path != null ? { path: b.path } : {}),
          ...(b.ephemeral_policy != null ? { ephemeral_policy: b.ephemeral_policy as JsonObject } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      // secrets are scheduled for deletion, not erased: GET still answers, lists hide them
      method: 'DELETE', pattern: `${base}/secrets/{secretId}`, product: P,
      handler: (ctx) => {
        const rec = secret(ctx);
        if (rec.data.protected === true) throw preconditionFailed('protected_resource', 'cannot delete a protected secret');
        if (rec.data.deletion_requested_at === null) ctx.store.patch(rec, { deletion_requested_at: nowIso(ctx.now), updated_at: nowIso(ctx.now) });
        return noContent();
      },
    },
    {
      method: 'POST', pattern: `${base}/secrets/{secretId}/restore`, product: P,
      handler: (ctx) => ok(secretJson(ctx, ctx.store.patch(secret(ctx), { deletion_requested_at: null, updated_at: nowIso(ctx.now) }))),
    },
    protect(true),
    protect(false),
    {
      method: 'POST', pattern: `${base}/secrets/{secretId}/versions`, product: P,
      handler: (ctx) => {
        const s = secret(ctx);
        const b = parseBody(ctx, // request schemas built once, not per request (zod compiles each new schema on its first parse)
   createVersionBody);
        checkPayload(String(s.data.type), b.data);
        if (s.data.deletion_requested_at !== null) throw preconditionFailed('secret_scheduled_for_deletion', 'the secret is scheduled for deletion');
        const all = versions(ctx, s);
        const revision = (all.length ? Number(all.at(-1)!.data.revision) : 0) + 1;
        if (b.disable_previous) {
          const prev = all.filter((v) => v.data.status === 'enabled').at(-1);
          if (prev) ctx.store.patch(prev, { status: 'disabled', updated_at: nowIso(ctx.now) });
        }
        const rec = ctx.store.put({
          kind: VERSION, id: `${s.id}/${revision}`, loc: s.loc,
          data: {
            revision, secret_id: s.id, status: 'enabled', created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), deleted_at: null,
            description: b.description ?? '', latest: true, ephemeral_properties: null, deletion_requested_at: null, region: s.loc,
          },
          // the value lives only here: never in data, never in a log line
          hidden: { data: b.data, data_crc32: b.data_crc32 ?? null },
        });
        setLatest(ctx, s);
        return ok(versionJson(ctx.store.get(VERSION, rec.id, ctx.now)!));
      },
    },
    {
      method: 'GET', pattern: `${base}/secrets/{secretId}/versions`, product: P,
      handler: (ctx) => {
        const s = secret(ctx);
        const recs = filterRecs(ctx, versions(ctx, s), { status: eq('status') });
        return pageOf(ctx, recs, 'versions', versionJson, 'revision_asc');
      },
    },
    { method: 'GET', pattern: `${base}/secrets/{secretId}/versions/{revision}`, product: P, handler: (ctx) => ok(versionJson(version(ctx, secret(ctx), ctx.params.revision!))) },
    {
      method: 'PATCH', pattern: `${base}/secrets/{secretId}/versions/{revision}`, product: P,
      handler: (ctx) => {
        const v = version(ctx, secret(ctx), ctx.params.revision!);
        const b = parseBody(ctx, z.object({ description: z.string().nullish(), ephemeral_properties: z.record(z.string(), z.unknown()).nullish() }));
        return ok(versionJson(ctx.store.patch(v, {
          ...(b.description != null ? { description: b.description } : {}),
          ...(b.ephemeral_properties != null ? { ephemeral_properties: b.ephemeral_properties as JsonObject } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/secrets/{secretId}/versions/{revision}`, product: P,
      handler: (ctx) => {
        const s = secret(ctx);
        const v = version(ctx, s, ctx.params.revision!);
        // the payload is dropped at once; the revision number stays taken
        ctx.store.put({ ...v, data: { ...v.data, status: 'deleted', deleted_at: nowIso(ctx.now), updated_at: nowIso(ctx.now) }, hidden: {} });
        setLatest(ctx, s);
        return noContent();
      },
    },
    { method: 'GET', pattern: `${base}/secrets/{secretId}/versions/{revision}/access`, product: P, handler: (ctx) => access(ctx, secret(ctx), ctx.params.revision!) },
    {
      method: 'GET', pattern: `${base}/secrets-by-path/versions/{revision}/access`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const name = ctx.query.get('secret_name');
        const path = ctx.query.get('secret_path') ?? '/';
        const project = ctx.query.get('project_id') ?? ctx.store.projectId;
        const s = ctx.store.list(SECRET, loc, ctx.now).find((r) => r.data.name === name && r.data.path === path && r.data.project_id === project && r.data.deletion_requested_at === null);
        if (!s) throw notFound('secret', `${path}/${name ?? ''}`);
        return access(ctx, s, ctx.params.revision!);
      },
    },
    toggle('enabled'),
    toggle('disabled'),
    {
      method: 'GET', pattern: `${base}/tags`, product: P,
      handler: (ctx) => {
        const all = new Set<string>();
        for (const s of ctx.store.list(SECRET, region(ctx), ctx.now)) for (const t of (s.data.tags as string[]) ?? []) all.add(t);
        const recs = [...all].sort().map((t, i) => ({ kind: 'secret.tag', id: t, loc: '', seq: i, data: { t } }));
        return pageOf(ctx, recs, 'tags', (r) => r.data.t as unknown as JsonObject, 'seq_asc');
      },
    },
  ];
}
