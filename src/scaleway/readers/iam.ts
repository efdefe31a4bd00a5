import { base, type Reader } from './reader';

/**
 * IAM applications, their policies (with their rules) and their API keys, organisation-wide.
 * Scaleway creates applications, policies and keys of its own (a VPN gateway's, for one):
 * `managed: true`, not editable; what belongs to a managed application is Scaleway's too.
 */
export const iamReader: Reader = {
  kinds: ['application', 'policy', 'api-key'],
  read: (ctx) => ctx.guard(['application', 'policy', 'api-key'], async () => {
    const [apps, policies, keys] = await Promise.all([
      ctx.clients.iam.listApplications({ organizationId: ctx.organizationId, pageSize: 100 }).all(),
      ctx.clients.at(3).iam.listPolicies({ organizationId: ctx.organizationId, pageSize: 100 }).all(),
      ctx.clients.iam.listAPIKeys({ organizationId: ctx.organizationId, bearerType: 'application', pageSize: 100 }).all(),
    ]);
    const appNames = new Map(apps.map((a) => [a.id, a.name]));
    const managedApps = new Set(apps.filter((a) => a.managed).map((a) => a.id));
    const scalewayManaged = (own: boolean, applicationId: string | undefined, what: string): string | undefined =>
      own ? `${what} managed by Scaleway (managed: true)` : applicationId && managedApps.has(applicationId) ? `${what} of the Scaleway-managed application "${appNames.get(applicationId) ?? applicationId}"` : undefined;
    for (const a of apps) {
      const live = base('application', { id: a.id, projectId: '', name: a.name, tags: a.tags, region: 'global' });
      live.fields = { description: a.description };
      const managed = scalewayManaged(a.managed, undefined, 'application');
      if (managed) live.scalewayManaged = managed;
      ctx.push({ live });
    }
    await Promise.all(policies.filter((p) => p.applicationId).map(async (p) => {
      const managed = scalewayManaged(p.managed, p.applicationId, 'policy');
      // a managed policy's rules are Scaleway's business: not listed
      const rules = managed ? [] : await ctx.clients.iam.listRules({ policyId: p.id, pageSize: 100 }).all();
      const live = base('policy', { id: p.id, projectId: '', name: p.name, tags: p.tags, region: 'global', parentId: p.applicationId });
      live.attrs = { application: appNames.get(p.applicationId!) };
      if (managed) live.scalewayManaged = managed;
      ctx.push({ live, links: [{ field: 'rules', kind: 'project-name', value: rules.map((r) => ({ permissionSets: r.permissionSetNames ?? [], projectIds: r.projectIds, organization: Boolean(r.organizationId) })) }] });
    }));
    for (const k of keys) {
      if (!k.applicationId) continue;
      const live = base('api-key', { id: k.accessKey, projectId: '', name: appNames.get(k.applicationId) ?? k.applicationId, region: 'global', parentId: k.applicationId });
      const managed = scalewayManaged(k.managed, k.applicationId, 'API key');
      if (managed) live.scalewayManaged = managed;
      // API keys have no tags: the tool writes its markers into the description
      live.lzId = /lz:id=(\S+)/.exec(k.description)?.[1];
      const storedIn = /storedIn=(\S+)/.exec(k.description)?.[1];
      live.fields = storedIn ? { storedIn } : {};
      // the lifetime the key was created with (a key without expiry reports none, and differs)
      if (k.createdAt) live.fields.expiresInDays = k.expiresAt ? Math.round((k.expiresAt.getTime() - k.createdAt.getTime()) / 86_400_000) : null;
      live.attrs = { expiresAt: k.expiresAt ? k.expiresAt.toISOString() : undefined, createdAt: k.createdAt ? k.createdAt.toISOString() : undefined };
      ctx.push({ live, links: [{ field: 'defaultProject', kind: 'project-name', value: k.defaultProjectId }] });
    }
  }),
};
