import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import type { DesiredResource } from '../../core/state';
import { adoptTags, b64, changed, declared, gone, need, type WriteContext, type Writer } from './writer';

export const applicationWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.iam.listApplications({ organizationId: ctx.organizationId, name: op.name }).all();
    const a = list.find((x) => x.tags.includes(`lz:id=${op.id}`));
    return a ? { scalewayId: a.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const a = await ctx.clients.iam.createApplication({ name: op.name, organizationId: ctx.organizationId, description: String(declared(op, ctx).description ?? ''), tags: lzTags(op.id) });
    return { scalewayId: a.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.iam.updateApplication({ applicationId: op.scalewayId!, tags });
    await ctx.clients.iam.updateApplication({ applicationId: op.scalewayId!, description: String(declared(op, ctx).description ?? '') });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deleteApplication({ applicationId: op.scalewayId! }));
  },
};

function ruleSpecs(op: PlanOperation, ctx: WriteContext) {
  const rules = declared(op, ctx).rules as { permissionSets: string[]; projects?: string[]; organization?: boolean }[];
  return rules.map((r) => (r.organization
    ? { permissionSetNames: r.permissionSets, organizationId: ctx.organizationId, condition: '' }
    : { permissionSetNames: r.permissionSets, projectIds: (r.projects ?? []).map((p) => need(ctx, `${p}/project`).scalewayId), condition: '' }));
}

export const policyWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.iam.listPolicies({ organizationId: ctx.organizationId, tag: `lz:id=${op.id}` }).all();
    const p = list.find((x) => x.tags.includes(`lz:id=${op.id}`));
    return p ? { scalewayId: p.id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const p = await ctx.clients.iam.createPolicy({
      name: op.name, description: `least-privilege policy of ${op.name}`, organizationId: ctx.organizationId, tags: lzTags(op.id),
      applicationId: need(ctx, `${op.project}/application/${op.name}`).scalewayId, rules: ruleSpecs(op, ctx),
    });
    return { scalewayId: p.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) {
      await ctx.clients.iam.updatePolicy({ policyId: op.scalewayId!, tags });
      if (op.changes?.length === 1) return;
    }
    await ctx.clients.iam.setRules({ policyId: op.scalewayId!, rules: ruleSpecs(op, ctx) });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deletePolicy({ policyId: op.scalewayId! }));
  },
};

/** Creates an application's API key and writes its secret key straight into the vault secret. */
async function createAndStoreKey(d: DesiredResource, ctx: WriteContext): Promise<string> {
  const f = d.fields;
  const days = Number(f.expiresInDays ?? 90);
  const created = await ctx.clients.iam.createAPIKey({
    applicationId: need(ctx, `${d.project}/application/${d.name}`).scalewayId,
    description: `landing-zone lz:id=${d.id} storedIn=${String(f.storedIn)}`,
    expiresAt: new Date(Date.now() + days * 86_400_000),
    defaultProjectId: typeof f.defaultProject === 'string' ? need(ctx, `${f.defaultProject}/project`).scalewayId : undefined,
  });
  // the secret key exists only in this response: straight into the vault, nowhere else
  const [sp, sn] = String(f.storedIn).split('/');
  const vault = need(ctx, `${sp}/secret/${sn}`);
  const region = ctx.desired.get(`${sp}/secret/${sn}`)?.region ?? d.region;
  await ctx.clients.secret.createSecretVersion({ region: region as never, secretId: vault.scalewayId, data: b64(created.secretKey ?? ''), description: `secret key of ${created.accessKey}`, disablePrevious: true });
  return created.accessKey;
}

/**
 * A vault secret that should hold an API key's secret key but has no version: an apply was
 * stopped between creating the key and storing it, and the secret key is gone for good. Make a
 * new key, store it, and delete the keys whose secret nobody holds.
 */
export async function refillApiKey(op: PlanOperation, ctx: WriteContext): Promise<void> {
  const [p, , n] = op.id.split('/');
  const d = [...ctx.desired.values()].find((x) => x.kind === 'api-key' && x.fields.storedIn === `${p}/${n}`);
  const app = d ? ctx.lookup(`${d.project}/application/${d.name}`) : undefined;
  // no application or no key yet: the API key's own create (later in this plan) fills the secret
  if (!d || !app || !ctx.lookup(d.id)) return;
  const orphans = (await ctx.clients.iam.listAPIKeys({ organizationId: ctx.organizationId, applicationId: app.scalewayId }).all()).filter((k) => k.description.includes(`lz:id=${d.id}`));
  await createAndStoreKey(d, ctx);
  for (const k of orphans) await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: k.accessKey }));
}

/** True when the vault holds a version written for this access key (the description names it). */
async function keyIsStored(d: DesiredResource, ctx: WriteContext, accessKey: string): Promise<boolean> {
  const [sp, sn] = String(d.fields.storedIn).split('/');
  const vault = ctx.lookup(`${sp}/secret/${sn}`);
  if (!vault) return false;
  const region = ctx.desired.get(`${sp}/secret/${sn}`)?.region ?? d.region;
  const versions = await ctx.clients.secret.listSecretVersions({ region: region as never, secretId: vault.scalewayId, pageSize: 100 }).all();
  return versions.some((v) => (v.description ?? '').includes(accessKey));
}

export const apiKeyWriter: Writer = {
  async complete(op, ctx, found) {
    // adopted after a lost response: if its secret key never reached the vault it is lost for
    // good, so the key is replaced by one whose secret key is stored
    const d = ctx.desired.get(op.id);
    if (!d || await keyIsStored(d, ctx, found.scalewayId)) return;
    const fresh = await createAndStoreKey(d, ctx);
    await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: found.scalewayId }));
    found.scalewayId = fresh;
  },
  async find(op, ctx) {
    const app = ctx.lookup(`${op.project}/application/${op.name}`);
    if (!app) return undefined;
    const list = await ctx.clients.iam.listAPIKeys({ organizationId: ctx.organizationId, applicationId: app.scalewayId }).all();
    const k = list.find((x) => x.description.includes(`lz:id=${op.id}`));
    return k ? { scalewayId: k.accessKey, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const d = ctx.desired.get(op.id);
    if (!d) throw new Error(`${op.id} is not declared`);
    return { scalewayId: await createAndStoreKey(d, ctx), attrs: {} };
  },
  async update(op, ctx) {
    const f = declared(op, ctx);
    if (changed(op, 'expiresInDays')) {
      // IAM cannot move an API key's expiry: a new key (the rotation) gets the declared lifetime
      throw new Error(`${op.id}: an API key's expiry cannot be changed in place; run landing-zone rotate-api-key ${op.name} to replace it by a key that expires after ${String(f.expiresInDays)} days`);
    }
    if (adoptTags(op)) await ctx.clients.iam.updateAPIKey({ accessKey: op.scalewayId!, description: `landing-zone lz:id=${op.id} storedIn=${String(f.storedIn)}` });
    if (changed(op, 'defaultProject') && typeof f.defaultProject === 'string') {
      await ctx.clients.iam.updateAPIKey({ accessKey: op.scalewayId!, defaultProjectId: need(ctx, `${f.defaultProject}/project`).scalewayId });
    }
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.iam.deleteAPIKey({ accessKey: op.scalewayId! }));
  },
};
