import { z } from 'zod';
import {
  orgFilter, after, commonFilters, scheduleDelete, eq, filterRecs, mustGet, ok, pageOf, parseBody, projectOf, region, sha256, uuid,
  type Ctx, type Route,
} from '../context';
import { bareNotFound, invalidArguments, transientState } from '../errors';
import { nowIso, type JsonObject } from '../json';
import type { Rec } from '../store';
import { buildError, CODE, signedUploadUrl } from '../functions-runtime';
import { offered, requireOffered } from './catalog';

const NAMESPACE = 'function.namespace';
const FUNCTION = 'function.function';
const CRON = 'function.cron';

const tags = z.array(z.string()).nullish();
const envVars = z.record(z.string(), z.string()).nullish();
const secretEnv = z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish();
const cronSchedule = z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression');

/**
 * The secret values themselves, which the API never returns but the running code reads: an
 * update sets the listed keys and removes those sent without a value, as Scaleway does.
 */
// secret values are returned hashed, as the API does
function secretValues(rec: Rec | undefined, list: z.infer<typeof secretEnv>): { data: JsonObject[]; hidden: JsonObject } {
  const values: Record<string, string> = { ...((rec?.hidden?.secret_values as Record<string, string> | undefined) ?? {}) };
  for (const s of list ?? []) {
    if (s.value == null) delete values[s.key];
    else values[s.key] = s.value;
  }
  const data = Object.entries(values).map(([key, value]) => ({ key, hashed_value: sha256(value) }));
  return { data, hidden: { ...(rec?.hidden ?? {}), secret_values: values } };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 30);
}

const namespaceBody = z.object({
  name: z.string().min(1).max(34).nullish(), environment_variables: envVars, project_id: z.string().nullish(), description: z.string().nullish(),
  secret_environment_variables: secretEnv, tags, activate_vpc_integration: z.boolean().nullish(),
});
const functionBody = z.object({
  name: z.string().min(1).max(34).nullish(), namespace_id: z.string(), environment_variables: envVars, min_scale: z.number().int().min(0).nullish(),
  max_scale: z.number().int().min(1).nullish(), runtime: z.string().nullish(), memory_limit: z.number().int().min(128).nullish(),
  timeout: z.string().nullish(), handler: z.string().nullish(), privacy: z.string().nullish(), description: z.string().nullish(),
  secret_environment_variables: secretEnv, http_option: z.string().nullish(), sandbox: z.string().nullish(), tags, private_network_id: z.string().nullish(),
});

export function functionRoutes(): Route[] {
  const P = 'Functions';
  const base = '/functions/v1beta1/regions/{region}';
  const ns = (ctx: Ctx, id = ctx.params.namespaceId!) => mustGet(ctx, NAMESPACE, id, region(ctx), () => bareNotFound('Namespace was not found'));
  const fn = (ctx: Ctx, id = ctx.params.functionId!) => mustGet(ctx, FUNCTION, id, region(ctx), () => bareNotFound('Function was not found'));
  const cron = (ctx: Ctx) => mustGet(ctx, CRON, ctx.params.cronId!, region(ctx), () => bareNotFound('Cron was not found'));
  const cronJson = (rec: Rec): JsonObject => {
    const { project_id: _p, ...rest } = rec.data;
    return rest;
  };
  const requireNsReady = (rec: Rec) => {
    if (rec.data.status !== 'ready') throw transientState('namespace', rec.id, String(rec.data.status));
  };

  return [
    {
      method: 'POST', pattern: `${base}/namespaces`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, namespaceBody);
        const id = uuid();
        const name = b.name ?? `ns-${id.slice(0, 8)}`;
        const secrets = secretValues(undefined, b.secret_environment_variables);
        return ok(ctx.store.put({
          kind: NAMESPACE, id, loc, hidden: secrets.hidden,
          data: {
            created_at: nowIso(ctx.now), description: b.description ?? '', environment_variables: b.environment_variables ?? {}, error_message: null, id,
            name, organization_id: ctx.store.organizationId, project_id: projectOf(ctx, b.project_id), region: loc, registry_endpoint: '',
            registry_namespace_id: '', secret_environment_variables: secrets.data, status: 'pending', tags: b.tags ?? [],
            updated_at: nowIso(ctx.now), vpc_integration_activated: b.activate_vpc_integration ?? false,
          },
          pending: [after(ctx, ctx.env.delays.functionNamespace, {
            status: 'ready', registry_endpoint: `rg.${loc}.scw.cloud/funcscw${slug(name)}`, registry_namespace_id: uuid(),
          })],
        }).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/namespaces`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(NAMESPACE, region(ctx), ctx.now), commonFilters), 'namespaces', (r) => r.data),
    },
    { method: 'GET', pattern: `${base}/namespaces/{namespaceId}`, product: P, handler: (ctx) => ok(ns(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/namespaces/{namespaceId}`, product: P,
      handler: (ctx) => {
        const rec = ns(ctx);
        const b = parseBody(ctx, namespaceBody.omit({ name: true, project_id: true }));
        const secrets = b.secret_environment_variables != null ? secretValues(rec, b.secret_environment_variables) : undefined;
        const next = ctx.store.patch(secrets ? { ...rec, hidden: secrets.hidden } : rec, {
          ...(b.environment_variables != null ? { environment_variables: b.environment_variables } : {}),
          ...(b.description != null ? { description: b.description } : {}),
          ...(secrets ? { secret_environment_variables: secrets.data } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}), updated_at: nowIso(ctx.now),
        });
        // new variables reach the code by a redeploy of the namespace's functions that have code
        if (b.environment_variables != null || secrets) {
          for (const f of ctx.store.list(FUNCTION, rec.loc, ctx.now)) {
            if (f.data.namespace_id === rec.id && ctx.store.get(CODE, f.id, ctx.now)?.data.deployed) startBuild(ctx, f);
          }
        }
        return ok(next.data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/namespaces/{namespaceId}`, product: P,
      handler: (ctx) => {
        const rec = ns(ctx);
        for (const f of ctx.store.list(FUNCTION, rec.loc, ctx.now)) {
          if (f.data.namespace_id !== rec.id) continue;
          for (const c of ctx.store.list(CRON, rec.loc, ctx.now)) if (c.data.function_id === f.id) ctx.store.remove(CRON, c.id);
          ctx.store.remove(FUNCTION, f.id);
          ctx.store.remove(CODE, f.id);
        }
        return ok(scheduleDelete(ctx, rec, { status: 'deleting', updated_at: nowIso(ctx.now) }).data);
      },
    },
    {
      method: 'POST', pattern: `${base}/functions`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, functionBody);
        const nsRec = ns(ctx, b.namespace_id);
        requireNsReady(nsRec);
        requireOffered(offered.runtimes(ctx, nsRec.loc), 'runtime', b.runtime, 'runtime');
        if (b.min_scale != null && b.max_scale != null && b.min_scale > b.max_scale) {
          throw invalidArguments([{ argument_name: 'min_scale', reason: 'constraint', help_message: 'min_scale must not exceed max_scale' }]);
        }
        const id = uuid();
        const name = b.name ?? `fn-${id.slice(0, 8)}`;
        const memory = b.memory_limit ?? 256;
        const secrets = secretValues(undefined, b.secret_environment_variables);
        return ok(ctx.store.put({
          kind: FUNCTION, id, loc: nsRec.loc, hidden: secrets.hidden,
          data: {
            build_message: null, cpu_limit: Math.round((memory / 256) * 140), created_at: nowIso(ctx.now), description: b.description ?? '',
            domain_name: `${slug(String(nsRec.data.name))}-${slug(name)}.functions.fnc.${nsRec.loc}.scw.cloud`, environment_variables: b.environment_variables ?? {},
            error_message: null, handler: b.handler ?? 'handler.handle', http_option: b.http_option ?? 'enabled', id, max_scale: b.max_scale ?? 20,
            memory_limit: memory, min_scale: b.min_scale ?? 0, name, namespace_id: nsRec.id, privacy: b.privacy ?? 'public',
            private_network_id: b.private_network_id ?? null, ready_at: null, region: nsRec.loc, runtime: b.runtime ?? 'node22', runtime_message: '',
            sandbox: b.sandbox && b.sandbox !== 'unknown_sandbox' ? b.sandbox : 'v2', secret_environment_variables: secrets.data,
            status: 'created', tags: b.tags ?? [], timeout: b.timeout ?? '300s', updated_at: nowIso(ctx.now),
          },
        }).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/functions`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const projectOfFn = (r: Rec) => String(ctx.store.get(NAMESPACE, String(r.data.namespace_id), ctx.now)?.data.project_id ?? '');
        return pageOf(ctx, filterRecs(ctx, ctx.store.list(FUNCTION, loc, ctx.now), {
          name: commonFilters.name!, namespace_id: eq('namespace_id'), project_id: (r, v) => v.includes(projectOfFn(r)), organization_id: orgFilter,
        }), 'functions', (r) => r.data);
      },
    },
    { method: 'GET', pattern: `${base}/functions/{functionId}`, product: P, handler: (ctx) => ok(fn(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/functions/{functionId}`, product: P,
      handler: (ctx) => {
        const rec = fn(ctx);
        const b = parseBody(ctx, functionBody.omit({ namespace_id: true, name: true }).extend({ redeploy: z.boolean().nullish() }));
        requireOffered(offered.runtimes(ctx, rec.loc), 'runtime', b.runtime, 'runtime');
        const set: JsonObject = { updated_at: nowIso(ctx.now) };
        for (const k of ['environment_variables', 'min_scale', 'max_scale', 'runtime', 'memory_limit', 'timeout', 'handler', 'privacy', 'description', 'http_option', 'sandbox', 'tags', 'private_network_id'] as const) {
          const v = b[k];
          if (v != null) set[k] = v as JsonObject[keyof JsonObject];
        }
        const secrets = b.secret_environment_variables != null ? secretValues(rec, b.secret_environment_variables) : undefined;
        if (secrets) set.secret_environment_variables = secrets.data;
        const next = ctx.store.patch(secrets ? { ...rec, hidden: secrets.hidden } : rec, set);
        // an update of what the code runs with rebuilds it: without code that build fails (status error);
        // tags and description are metadata
        const rebuild = b.redeploy || secrets || Object.keys(set).some((k) => !['updated_at', 'tags', 'description'].includes(k));
        return ok((rebuild ? startBuild(ctx, next) : next).data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/functions/{functionId}`, product: P,
      handler: (ctx) => {
        const rec = fn(ctx);
        for (const c of ctx.store.list(CRON, rec.loc, ctx.now)) if (c.data.function_id === rec.id) ctx.store.remove(CRON, c.id);
        ctx.store.remove(CODE, rec.id);
        return ok(scheduleDelete(ctx, rec, { status: 'deleting', updated_at: nowIso(ctx.now) }).data);
      },
    },
    {
      method: 'POST', pattern: `${base}/functions/{functionId}/deploy`, product: P,
      handler: (ctx) => {
        return ok(startBuild(ctx, fn(ctx)).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/functions/{functionId}/upload-url`, product: P,
      handler: (ctx) => {
        const rec = fn(ctx);
        const length = ctx.query.get('content_length') ?? '0';
        if (!/^\d+$/.test(length)) throw invalidArguments([{ argument_name: 'content_length', reason: 'format', help_message: 'must be an integer' }]);
        return ok({
          url: signedUploadUrl(ctx.env.url, ctx.store, rec.id, rec.loc, length, ctx.now),
          headers: { 'content-length': [length], 'content-type': ['application/octet-stream'] },
        });
      },
    },
    {
      method: 'GET', pattern: `${base}/functions/{functionId}/download-url`, product: P,
      handler: (ctx) => {
        const rec = fn(ctx);
        if (!ctx.store.get(CODE, rec.id, ctx.now)?.data.deployed) throw bareNotFound('Function has no deployed code');
        return ok({ url: `${ctx.env.url}/sandbox-downloads/functions/${rec.id}.zip`, headers: {} });
      },
    },
    {
      method: 'POST', pattern: `${base}/crons`, product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({ function_id: z.string(), schedule: cronSchedule, args: z.record(z.string(), z.unknown()).nullish(), name: z.string().nullish() }));
        const f = fn(ctx, b.function_id);
        const id = uuid();
        return ok(cronJson(ctx.store.put({
          kind: CRON, id, loc: f.loc,
          data: { args: (b.args as JsonObject | undefined) ?? {}, function_id: f.id, id, name: b.name ?? `cron-${id.slice(0, 8)}`, schedule: b.schedule, status: 'pending' },
          pending: [after(ctx, ctx.env.delays.cron, { status: 'ready' })],
        })));
      },
    },
    {
      method: 'GET', pattern: `${base}/crons`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(CRON, region(ctx), ctx.now), { function_id: eq('function_id') }), 'crons', cronJson),
    },
    { method: 'GET', pattern: `${base}/crons/{cronId}`, product: P, handler: (ctx) => ok(cronJson(cron(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/crons/{cronId}`, product: P,
      handler: (ctx) => {
        const rec = cron(ctx);
        const b = parseBody(ctx, z.object({ function_id: z.string().nullish(), schedule: cronSchedule.nullish(), args: z.record(z.string(), z.unknown()).nullish(), name: z.string().nullish() }));
        if (b.function_id) fn(ctx, b.function_id);
        return ok(cronJson(ctx.store.patch(rec, {
          ...(b.function_id ? { function_id: b.function_id } : {}), ...(b.schedule ? { schedule: b.schedule } : {}),
          ...(b.args != null ? { args: b.args as JsonObject } : {}), ...(b.name != null ? { name: b.name } : {}),
          status: 'pending',
        }, [after(ctx, ctx.env.delays.cron, { status: 'ready' })])));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/crons/{cronId}`, product: P,
      handler: (ctx) => {
        const rec = cron(ctx);
        return ok(cronJson(scheduleDelete(ctx, rec, { status: 'deleting' })));
      },
    },
  ];
}

/**
 * A build of the last uploaded code, as a deploy or an update starts one: `pending`, then
 * `ready` with that code deployed, or `error` with why (no code, not a zip, no such handler).
 */
function startBuild(ctx: Ctx, rec: Rec): Rec {
  const code = ctx.store.get(CODE, rec.id, ctx.now);
  const zip = typeof code?.data.uploaded === 'string' ? Buffer.from(code.data.uploaded, 'base64') : undefined;
  const error = buildError(zip, String(rec.data.handler), String(rec.data.runtime));
  const delay = ctx.env.delays.function;
  if (!error && code) ctx.store.patch(code, { deployed: code.data.uploaded!, deployed_sha256: code.data.uploaded_sha256 ?? null });
  return ctx.store.patch(rec, { status: 'pending', error_message: null, build_message: null, updated_at: nowIso(ctx.now) }, [
    after(ctx, delay, error
      ? { status: 'error', error_message: error, build_message: error, updated_at: nowIso(ctx.now + delay) }
      : { status: 'ready', ready_at: nowIso(ctx.now + delay), updated_at: nowIso(ctx.now + delay) }),
  ]);
}
