import { base, replicaKind, type Reader } from './reader';

/** Secret Manager secrets and their replicas, per region: the list counts their versions; values are never read. */
export const secretManagerReader: Reader = {
  kinds: ['secret', 'secret-replica'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['secret', 'secret-replica'], async () => {
      for (const s of await ctx.clients.secret.listSecrets({ region, organizationId: ctx.organizationId, pageSize: 100, scheduledForDeletion: false }).all()) {
        const live = base(replicaKind(s.tags, 'secret'), { ...s, region });
        live.fields = { path: s.path, type: s.type, version: s.versionCount, description: s.description ?? '' };
        ctx.push({ live, links: [{ field: 'encryptionKey', kind: 'key-ref', value: s.keyId }] });
      }
    }, region)));
  },
};
