import { z } from 'zod';
import {
  orgFilter, commonFilters, contains, eq, filterRecs, mustGet, newAccessKey, noContent, ok, pageOf, parseBody, sha256, uuid,
  type Ctx, type Filter, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed } from '../errors';
import { nowIso, type Json, type JsonObject } from '../json';
import type { Rec } from '../store';
import { offered, requireOffered } from './catalog';

const APP = 'iam.application';
const GROUP = 'iam.group';
const POLICY = 'iam.policy';
const RULE = 'iam.rule';
const KEY = 'iam.api_key';

const tags = z.array(z.string()).nullish();

/**
 * The permission sets that grant each product of the sandbox (the `product` of each route), read
 * and write, with Scaleway's names (docs: iam/reference-content/permission-sets, validated
 * 2026-03-20). Projects and IAM are scoped by organisation: `AllProducts…` (scoped by project)
 * does not reach them; `IAMManager` includes the project permissions, `OrganizationManager` both.
 */
export const PERMISSION_SETS: Record<string, { label: string; read: string[]; write: string[] }> = {
  ProjectManager: { label: 'Projects', read: ['ProjectReadOnly', 'ProjectManager', 'IAMManager', 'OrganizationManager'], write: ['ProjectManager', 'IAMManager', 'OrganizationManager'] },
  IAMManager: { label: 'IAM', read: ['IAMReadOnly', 'IAMManager', 'OrganizationManager'], write: ['IAMManager', 'OrganizationManager'] },
  VPC: { label: 'VPC', read: ['PrivateNetworksReadOnly', 'VPCReadOnly', 'PrivateNetworksFullAccess', 'VPCFullAccess', 'AllProductsReadOnly', 'AllProductsFullAccess'], write: ['PrivateNetworksFullAccess', 'VPCFullAccess', 'AllProductsFullAccess'] },
  ...Object.fromEntries(([
    ['VPCGateway', 'Public Gateways'], ['IPAM', 'IPAM'], ['LoadBalancers', 'Load Balancers'], ['Kubernetes', 'Kubernetes'],
    ['RelationalDatabases', 'Managed Databases'], ['SecretManager', 'Secret Manager'], ['KeyManager', 'Key Manager'],
    ['Functions', 'Serverless Functions'], ['ObjectStorage', 'Object Storage'], ['Instances', 'Instances'],
  ] as const).map(([p, label]) => [p, {
    label, read: [`${p}ReadOnly`, `${p}FullAccess`, 'AllProductsReadOnly', 'AllProductsFullAccess'], write: [`${p}FullAccess`, 'AllProductsFullAccess'],
  }])),
};
const ruleSpec = z.object({
  permission_set_names: z.array(z.string()).nullish(),
  condition: z.string().nullish(),
  project_ids: z.array(z.string()).nullish(),
  organization_id: z.string().nullish(),
  account_root_user_id: z.string().nullish(),
});

function checkOrg(ctx: Ctx, orgId: string | null | undefined): string {
  if (orgId && orgId !== ctx.store.organizationId) {
    throw invalidArguments([{ argument_name: 'organization_id', reason: 'constraint', help_message: 'unknown organization' }]);
  }
  return ctx.store.organizationId;
}

function stamp(ctx: Ctx): JsonObject {
  return { created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now) };
}

function appJson(ctx: Ctx, rec: Rec): JsonObject {
  const nb = ctx.store.list(KEY, undefined, ctx.now).filter((k) => k.data.application_id === rec.id).length;
  return { ...rec.data, nb_api_keys: nb };
}

function policyJson(ctx: Ctx, rec: Rec): JsonObject {
  const rules = ctx.store.list(RULE, undefined, ctx.now).filter((r) => r.data.policy_id === rec.id);
  const sets = new Set<string>();
  let scopes = 0;
  for (const r of rules) {
    for (const s of (r.data.permission_set_names as Json[] | undefined) ?? []) sets.add(String(s));
    scopes += Array.isArray(r.data.project_ids) ? r.data.project_ids.length : 1;
  }
  return { ...rec.data, nb_rules: rules.length, nb_scopes: scopes, nb_permission_sets: sets.size };
}

function ruleJson(rec: Rec): JsonObject {
  const { policy_id: _policy, ...rest } = rec.data;
  return rest;
}

function setRules(ctx: Ctx, policyId: string, rules: z.infer<typeof ruleSpec>[]): Rec[] {
  for (const r of ctx.store.list(RULE, undefined, ctx.now)) if (r.data.policy_id === policyId) ctx.store.remove(RULE, r.id);
  return rules.map((r, i) => {
    const scope: JsonObject = r.project_ids?.length
      ? { permission_sets_scope_type: 'projects', project_ids: r.project_ids }
      : r.account_root_user_id
        ? { permission_sets_scope_type: 'account_root_user', account_root_user_id: r.account_root_user_id }
        : { permission_sets_scope_type: 'organization', organization_id: checkOrg(ctx, r.organization_id) };
    if (!r.permission_set_names?.length) {
      throw invalidArguments([{ argument_name: `rules.${i}.permission_set_names`, reason: 'required', help_message: 'at least one permission set is required' }]);
    }
    for (const name of r.permission_set_names) requireOffered(offered.permissionSets(ctx), `rules.${i}.permission_set_names`, name, 'permission set');
    const id = uuid();
    return ctx.store.put({
      kind: RULE, id, loc: 'global',
      data: { id, permission_set_names: r.permission_set_names, condition: r.condition ?? '', ...scope, policy_id: policyId },
    });
  });
}

function keyJson(rec: Rec): JsonObject {
  return { ...rec.data, secret_key: null };
}

const createApp = z.object({ name: z.string().min(1).max(64), organization_id: z.string().nullish(), description: z.string().nullish(), tags });
const updateApp = z.object({ name: z.string().min(1).max(64).nullish(), description: z.string().nullish(), tags });
const createGroup = createApp;
const createPolicy = z.object({
  name: z.string().min(1).max(64),
  description: z.string().nullish(),
  organization_id: z.string().nullish(),
  rules: z.array(ruleSpec).nullish(),
  tags,
  user_id: z.string().nullish(),
  group_id: z.string().nullish(),
  application_id: z.string().nullish(),
  no_principal: z.boolean().nullish(),
});
const updatePolicy = createPolicy.omit({ rules: true, organization_id: true }).partial().extend({ name: z.string().min(1).max(64).nullish() });
const createKey = z.object({
  application_id: z.string().nullish(),
  user_id: z.string().nullish(),
  expires_at: z.string().nullish(),
  default_project_id: z.string().nullish(),
  description: z.string().nullish(),
});
const updateKey = z.object({ default_project_id: z.string().nullish(), description: z.string().nullish(), expires_at: z.string().nullish() });

export function iamRoutes(): Route[] {
  const P = 'IAMManager';
  const app = (ctx: Ctx) => mustGet(ctx, APP, ctx.params.applicationId!, undefined, () => notFound('application', ctx.params.applicationId!));
  const group = (ctx: Ctx) => mustGet(ctx, GROUP, ctx.params.groupId!, undefined, () => notFound('group', ctx.params.groupId!));
  const policy = (ctx: Ctx) => mustGet(ctx, POLICY, ctx.params.policyId!, undefined, () => notFound('policy', ctx.params.policyId!));
  const key = (ctx: Ctx) => mustGet(ctx, KEY, ctx.params.accessKey!, undefined, () => notFound('access_key', ctx.params.accessKey!));
  const byIds: Filter = (rec, values) => values.includes(rec.id);
  const tagFilter: Filter = (rec, values) => values.every((v) => ((rec.data.tags as Json[] | undefined) ?? []).includes(v));

  const principal = (ctx: Ctx, b: { user_id?: string | null; group_id?: string | null; application_id?: string | null; no_principal?: boolean | null }): JsonObject => {
    if (b.application_id) {
      app({ ...ctx, params: { applicationId: b.application_id } });
      return { application_id: b.application_id, no_principal: false };
    }
    if (b.group_id) {
      group({ ...ctx, params: { groupId: b.group_id } });
      return { group_id: b.group_id, no_principal: false };
    }
    if (b.user_id) return { user_id: b.user_id, no_principal: false };
    return { no_principal: true };
  };

  return [
    // ---- applications ----
    {
      method: 'POST', pattern: '/iam/v1alpha1/applications', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, createApp);
        const id = uuid();
        const rec = ctx.store.put({
          kind: APP, id, loc: 'global',
          data: {
            id, name: b.name, description: b.description ?? '', ...stamp(ctx), organization_id: checkOrg(ctx, b.organization_id),
            editable: true, deletable: true, managed: false, nb_api_keys: 0, tags: b.tags ?? [],
          },
        });
        return ok(appJson(ctx, rec));
      },
    },
    {
      method: 'GET', pattern: '/iam/v1alpha1/applications', product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(APP, undefined, ctx.now), {
          organization_id: orgFilter, name: contains('name'), application_ids: byIds, tag: tagFilter,
          editable: (r, v) => v.includes(String(r.data.editable)),
        });
        return pageOf(ctx, recs, 'applications', (r) => appJson(ctx, r));
      },
    },
    { method: 'GET', pattern: '/iam/v1alpha1/applications/{applicationId}', product: P, handler: (ctx) => ok(appJson(ctx, app(ctx))) },
    {
      method: 'PATCH', pattern: '/iam/v1alpha1/applications/{applicationId}', product: P,
      handler: (ctx) => {
        const rec = app(ctx);
        const b = parseBody(ctx, updateApp);
        const next = ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}),
          ...(b.description != null ? { description: b.description } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}),
          updated_at: nowIso(ctx.now),
        });
        return ok(appJson(ctx, next));
      },
    },
    {
      method: 'DELETE', pattern: '/iam/v1alpha1/applications/{applicationId}', product: P,
      handler: (ctx) => {
        const rec = app(ctx);
        // deleting an application deletes its keys and detaches its policies, as IAM does
        for (const k of ctx.store.list(KEY, undefined, ctx.now)) if (k.data.application_id === rec.id) ctx.store.remove(KEY, k.id);
        for (const p of ctx.store.list(POLICY, undefined, ctx.now)) {
          if (p.data.application_id === rec.id) {
            const { application_id: _a, ...rest } = p.data;
            ctx.store.put({ ...p, data: { ...rest, no_principal: true } });
          }
        }
        for (const g of ctx.store.list(GROUP, undefined, ctx.now)) {
          const ids = (g.data.application_ids as Json[]) ?? [];
          if (ids.includes(rec.id)) ctx.store.patch(g, { application_ids: ids.filter((x) => x !== rec.id) });
        }
        ctx.store.remove(APP, rec.id);
        return noContent();
      },
    },
    // ---- groups ----
    {
      method: 'POST', pattern: '/iam/v1alpha1/groups', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, createGroup);
        const id = uuid();
        const rec = ctx.store.put({
          kind: GROUP, id, loc: 'global',
          data: {
            id, ...stamp(ctx), organization_id: checkOrg(ctx, b.organization_id), name: b.name, description: b.description ?? '',
            user_ids: [], application_ids: [], tags: b.tags ?? [], editable: true, deletable: true, managed: false,
          },
        });
        return ok(rec.data);
      },
    },
    {
      method: 'GET', pattern: '/iam/v1alpha1/groups', product: P,
      handler: (ctx) => {
        const member = (field: string): Filter => (r, v) => v.some((x) => ((r.data[field] as Json[]) ?? []).includes(x));
        const recs = filterRecs(ctx, ctx.store.list(GROUP, undefined, ctx.now), {
          organization_id: orgFilter, name: contains('name'), application_ids: member('application_ids'),
          user_ids: member('user_ids'), group_ids: byIds, tag: tagFilter,
        });
        return pageOf(ctx, recs, 'groups', (r) => r.data);
      },
    },
    { method: 'GET', pattern: '/iam/v1alpha1/groups/{groupId}', product: P, handler: (ctx) => ok(group(ctx).data) },
    {
      method: 'PATCH', pattern: '/iam/v1alpha1/groups/{groupId}', product: P,
      handler: (ctx) => {
        const rec = group(ctx);
        const b = parseBody(ctx, updateApp);
        return ok(ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}),
          ...(b.description != null ? { description: b.description } : {}),
          ...(b.tags != null ? { tags: b.tags } : {}),
          updated_at: nowIso(ctx.now),
        }).data);
      },
    },
    {
      method: 'PUT', pattern: '/iam/v1alpha1/groups/{groupId}/members', product: P,
      handler: (ctx) => {
        const rec = group(ctx);
        const b = parseBody(ctx, z.object({ user_ids: z.array(z.string()), application_ids: z.array(z.string()) }));
        for (const a of b.application_ids) app({ ...ctx, params: { applicationId: a } });
        return ok(ctx.store.patch(rec, { user_ids: b.user_ids, application_ids: b.application_ids, updated_at: nowIso(ctx.now) }).data);
      },
    },
    ...(['add-member', 'add-members', 'remove-member'] as const).map((action): Route => ({
      method: 'POST', pattern: `/iam/v1alpha1/groups/{groupId}/${action}`, product: P,
      handler: (ctx) => {
        const rec = group(ctx);
        const b = parseBody(ctx, z.object({
          user_id: z.string().nullish(), application_id: z.string().nullish(),
          user_ids: z.array(z.string()).nullish(), application_ids: z.array(z.string()).nullish(),
        }));
        const users = new Set((rec.data.user_ids as string[]) ?? []);
        const apps = new Set((rec.data.application_ids as string[]) ?? []);
        const u = [...(b.user_ids ?? []), ...(b.user_id ? [b.user_id] : [])];
        const a = [...(b.application_ids ?? []), ...(b.application_id ? [b.application_id] : [])];
        if (u.length + a.length === 0) throw invalidArguments([{ argument_name: 'user_id', reason: 'required', help_message: 'one of user_id or application_id is required' }]);
        for (const id of a) app({ ...ctx, params: { applicationId: id } });
        for (const id of u) action === 'remove-member' ? users.delete(id) : users.add(id);
        for (const id of a) action === 'remove-member' ? apps.delete(id) : apps.add(id);
        return ok(ctx.store.patch(rec, { user_ids: [...users], application_ids: [...apps], updated_at: nowIso(ctx.now) }).data);
      },
    })),
    {
      method: 'DELETE', pattern: '/iam/v1alpha1/groups/{groupId}', product: P,
      handler: (ctx) => {
        const rec = group(ctx);
        ctx.store.remove(GROUP, rec.id);
        return noContent();
      },
    },
    // ---- policies and rules ----
    {
      method: 'POST', pattern: '/iam/v1alpha1/policies', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, createPolicy);
        const id = uuid();
        const rec = ctx.store.put({
          kind: POLICY, id, loc: 'global',
          data: {
            id, name: b.name, description: b.description ?? '', organization_id: checkOrg(ctx, b.organization_id), ...stamp(ctx),
            editable: true, deletable: true, managed: false, nb_rules: 0, nb_scopes: 0, nb_permission_sets: 0,
            tags: b.tags ?? [], ...principal(ctx, b),
          },
        });
        if (b.rules?.length) setRules(ctx, id, b.rules);
        // recorded: the create answer names `no_principal` only when it is true; reads always do
        const { no_principal: noPrincipal, ...created } = policyJson(ctx, rec);
        return ok(noPrincipal === true ? { ...created, no_principal: true } : created);
      },
    },
    {
      method: 'GET', pattern: '/iam/v1alpha1/policies', product: P,
      handler: (ctx) => {
        const any = (field: string): Filter => (r, v) => v.includes(String(r.data[field] ?? ''));
        const recs = filterRecs(ctx, ctx.store.list(POLICY, undefined, ctx.now), {
          organization_id: orgFilter, policy_name: contains('name'), tag: tagFilter, policy_ids: byIds,
          application_ids: any('application_id'), user_ids: any('user_id'), group_ids: any('group_id'),
          no_principal: (r, v) => v.includes(String(r.data.no_principal)), editable: (r, v) => v.includes(String(r.data.editable)),
        });
        return pageOf(ctx, recs, 'policies', (r) => policyJson(ctx, r), 'policy_name_asc');
      },
    },
    { method: 'GET', pattern: '/iam/v1alpha1/policies/{policyId}', product: P, handler: (ctx) => ok(policyJson(ctx, policy(ctx))) },
    {
      method: 'PATCH', pattern: '/iam/v1alpha1/policies/{policyId}', product: P,
      handler: (ctx) => {
        const rec = policy(ctx);
        const b = parseBody(ctx, updatePolicy);
        const hasPrincipal = b.application_id != null || b.group_id != null || b.user_id != null || b.no_principal != null;
        let data: JsonObject = { ...rec.data };
        if (hasPrincipal) {
          const { application_id: _a, group_id: _g, user_id: _u, ...rest } = data;
          data = { ...rest, ...principal(ctx, b) };
        }
        if (b.name != null) data.name = b.name;
        if (b.description != null) data.description = b.description;
        if (b.tags != null) data.tags = b.tags;
        data.updated_at = nowIso(ctx.now);
        return ok(policyJson(ctx, ctx.store.put({ ...rec, data })));
      },
    },
    {
      method: 'DELETE', pattern: '/iam/v1alpha1/policies/{policyId}', product: P,
      handler: (ctx) => {
        const rec = policy(ctx);
        for (const r of ctx.store.list(RULE, undefined, ctx.now)) if (r.data.policy_id === rec.id) ctx.store.remove(RULE, r.id);
        ctx.store.remove(POLICY, rec.id);
        return noContent();
      },
    },
    {
      method: 'PUT', pattern: '/iam/v1alpha1/rules', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, z.object({ policy_id: z.string(), rules: z.array(ruleSpec) }));
        const rec = policy({ ...ctx, params: { policyId: b.policy_id } });
        const rules = setRules(ctx, rec.id, b.rules);
        ctx.store.patch(rec, { updated_at: nowIso(ctx.now) });
        return ok({ rules: rules.map(ruleJson) });
      },
    },
    {
      method: 'GET', pattern: '/iam/v1alpha1/rules', product: P,
      handler: (ctx) => {
        const policyId = ctx.query.get('policy_id');
        if (!policyId) throw invalidArguments([{ argument_name: 'policy_id', reason: 'required', help_message: 'required argument is missing' }]);
        policy({ ...ctx, params: { policyId } });
        const recs = ctx.store.list(RULE, undefined, ctx.now).filter((r) => r.data.policy_id === policyId);
        return pageOf(ctx, recs, 'rules', ruleJson, 'seq_asc');
      },
    },
    // ---- API keys ----
    {
      method: 'POST', pattern: '/iam/v1alpha1/api-keys', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, createKey);
        if (!b.application_id && !b.user_id) {
          throw invalidArguments([{ argument_name: 'application_id', reason: 'required', help_message: 'one of application_id or user_id is required' }]);
        }
        if (b.application_id) app({ ...ctx, params: { applicationId: b.application_id } });
        let expires: string | null = null;
        if (b.expires_at) {
          const t = Date.parse(b.expires_at);
          if (Number.isNaN(t)) throw invalidArguments([{ argument_name: 'expires_at', reason: 'format', help_message: 'must be an RFC 3339 date' }]);
          if (t <= ctx.now) throw invalidArguments([{ argument_name: 'expires_at', reason: 'constraint', help_message: 'must be in the future' }]);
          expires = new Date(t).toISOString();
        }
        const accessKey = newAccessKey();
        const secretKey = uuid();
        const data: JsonObject = {
          access_key: accessKey, secret_key: null, description: b.description ?? '', ...stamp(ctx), expires_at: expires,
          default_project_id: b.default_project_id ?? ctx.store.projectId, editable: true, deletable: true, managed: false,
          creation_ip: '127.0.0.1', ...(b.application_id ? { application_id: b.application_id } : { user_id: b.user_id! }),
        };
        // only a hash is kept: the secret exists in this one response and nowhere else
        ctx.store.put({ kind: KEY, id: accessKey, loc: 'global', data, hidden: { secret_hash: sha256(secretKey) } });
        return ok({ ...data, secret_key: secretKey });
      },
    },
    {
      method: 'GET', pattern: '/iam/v1alpha1/api-keys', product: P,
      handler: (ctx) => {
        const bearer: Filter = (r, v) => v.includes(String(r.data.application_id ?? r.data.user_id ?? ''));
        const recs = filterRecs(ctx, ctx.store.list(KEY, undefined, ctx.now), {
          organization_id: orgFilter,
          bearer_id: bearer,
          bearer_type: (r, v) => v.includes(r.data.application_id ? 'application' : 'user'),
          access_key: (r, v) => v.includes(r.id), access_keys: (r, v) => v.includes(r.id),
          description: contains('description'), editable: (r, v) => v.includes(String(r.data.editable)),
          expired: (r, v) => {
            const e = r.data.expires_at;
            const isExpired = typeof e === 'string' && Date.parse(e) <= ctx.now;
            return v.includes(String(isExpired));
          },
        });
        return pageOf(ctx, recs, 'api_keys', keyJson);
      },
    },
    { method: 'GET', pattern: '/iam/v1alpha1/api-keys/{accessKey}', product: P, handler: (ctx) => ok(keyJson(key(ctx))) },
    {
      method: 'PATCH', pattern: '/iam/v1alpha1/api-keys/{accessKey}', product: P,
      handler: (ctx) => {
        const rec = key(ctx);
        const b = parseBody(ctx, updateKey);
        if (rec.data.editable === false) throw preconditionFailed('resource_not_editable', 'this API key cannot be edited');
        return ok(keyJson(ctx.store.patch(rec, {
          ...(b.description != null ? { description: b.description } : {}),
          ...(b.default_project_id != null ? { default_project_id: b.default_project_id } : {}),
          ...(b.expires_at != null ? { expires_at: new Date(b.expires_at).toISOString() } : {}),
          updated_at: nowIso(ctx.now),
        })));
      },
    },
    {
      method: 'DELETE', pattern: '/iam/v1alpha1/api-keys/{accessKey}', product: P,
      handler: (ctx) => {
        const rec = key(ctx);
        if (rec.id === ctx.store.ownAccessKey) throw preconditionFailed('resource_not_deletable', 'the sandbox owner key cannot be deleted');
        ctx.store.remove(KEY, rec.id);
        return noContent();
      },
    },
  ];
}

