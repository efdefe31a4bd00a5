import { z } from 'zod';
import {
  checkQuota, commonFilters, filterRecs, mustGet, noContent, ok, pageOf, parseBody, uuid,
  type Ctx, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed } from '../errors';
import { nowIso, type JsonObject } from '../json';

const KIND = 'account.project';

export function projectJson(id: string, name: string, orgId: string, description: string, now: number): JsonObject {
  return {
    id, name, organization_id: orgId, created_at: nowIso(now), updated_at: nowIso(now), description,
    qualification: { architecture_type: 'unknown_architecture_type' },
  };
}
const get = (ctx: Ctx) => mustGet(ctx, KIND, ctx.params.projectId!, undefined, () => notFound('project_id', ctx.params.projectId!));

const createProject = z.object({
  name: z.string().min(1).max(64).optional(),
  organization_id: z.string().nullish(),
  description: z.string().max(200).nullish(),
});
const updateProject = z.object({ name: z.string().min(1).max(64).nullish(), description: z.string().max(200).nullish() });

/** Resource kinds that live in a project: a project that still holds one cannot be deleted. */
const PROJECT_SCOPED = ['vpc.private_network', 'vpcgw.gateway', 'lb.lb', 'k8s.cluster', 'rdb.instance', 'secret.secret', 'keymanager.key', 'function.namespace'];

export function accountRoutes(): Route[] {
  const P = 'ProjectManager';
  return [
    {
      method: 'POST', pattern: '/account/v3/projects', product: P,
      handler: (ctx) => {
        const b = parseBody(ctx, createProject);
        if (b.organization_id && b.organization_id !== ctx.store.organizationId) {
          throw invalidArguments([{ argument_name: 'organization_id', reason: 'constraint', help_message: 'unknown organization' }]);
        }
        checkQuota(ctx, KIND, 'projects', ctx.store.organizationId);
        const id = uuid();
        const data = projectJson(id, b.name ?? `project-${id.slice(0, 8)}`, ctx.store.organizationId, b.description ?? '', ctx.now);
        ctx.store.put({ kind: KIND, id, loc: 'global', data });
        // recorded: the create answer has `qualification: null`, later reads the default qualification
        return ok({ ...data, qualification: null });
      },
    },
    {
      method: 'GET', pattern: '/account/v3/projects', product: P,
      handler: (ctx) => {
        const recs = filterRecs(ctx, ctx.store.list(KIND, undefined, ctx.now), {
          ...commonFilters,
          project_ids: (rec, values) => values.includes(rec.id),
        });
        return pageOf(ctx, recs, 'projects', (r) => r.data);
      },
    },
    { method: 'GET', pattern: '/account/v3/projects/{projectId}', product: P, handler: (ctx) => ok(get(ctx).data) },
    {
      method: 'PATCH', pattern: '/account/v3/projects/{projectId}', product: P,
      handler: (ctx) => {
        const rec = get(ctx);
        const b = parseBody(ctx, updateProject);
        const next = ctx.store.patch(rec, {
          ...(b.name != null ? { name: b.name } : {}),
          ...(b.description != null ? { description: b.description } : {}),
          updated_at: nowIso(ctx.now),
        });
        return ok(next.data);
      },
    },
    {
      method: 'DELETE', pattern: '/account/v3/projects/{projectId}', product: P,
      handler: (ctx) => {
        const rec = get(ctx);
        if (rec.id === ctx.store.projectId) throw preconditionFailed('resource_still_in_use', 'the default project cannot be deleted');
        for (const kind of PROJECT_SCOPED) {
          if (ctx.store.list(kind, undefined, ctx.now).some((r) => r.data.project_id === rec.id)) {
            throw preconditionFailed('resource_still_in_use', `project still holds ${kind.split('.')[1]} resources`);
          }
        }
        ctx.store.remove(KIND, rec.id);
        return noContent();
      },
    },
  ];
}
