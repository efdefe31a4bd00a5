import { base, type Reader } from './reader';

/** Projects of the organisation (the names every other kind is matched by). */
export const accountReader: Reader = {
  kinds: ['project'],
  read: (ctx) => ctx.guard(['project'], async () => {
    // the bucket lists of every project wait for it (projects → buckets → versioning): ahead of the plain lists
    const projects = await ctx.clients.at(2).account.listProjects({ organizationId: ctx.organizationId, pageSize: 100 }).all();
    for (const p of projects) {
      const live = base('project', { id: p.id, projectId: p.id, name: p.name });
      live.fields = { description: p.description ?? '' };
      live.attrs = { isDefault: p.id === ctx.organizationId };
      // every organisation has a default project, created with it and impossible to delete
      if (p.id === ctx.organizationId) live.scalewayManaged = 'the organisation\'s default project, created by Scaleway';
      ctx.push({ live });
    }
  }),
};
