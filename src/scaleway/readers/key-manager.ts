import { base, replicaKind, type Reader } from './reader';

function seconds(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(v);
  return m ? Math.round(Number(m[1])) : undefined;
}

/** Key Manager keys and their replicas, per region (keys scheduled for deletion are gone). */
export const keyManagerReader: Reader = {
  kinds: ['key', 'key-replica'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['key', 'key-replica'], async () => {
      for (const k of await ctx.clients.keys.listKeys({ region, organizationId: ctx.organizationId, pageSize: 100, scheduledForDeletion: false }).all()) {
        const live = base(replicaKind(k.tags, 'key'), { ...k, region });
        const usage = k.usage?.symmetricEncryption ? 'symmetric_encryption' : k.usage?.asymmetricEncryption ? 'asymmetric_encryption' : k.usage?.asymmetricSigning ? 'asymmetric_signing' : 'unknown';
        live.fields = { usage, rotationPeriod: seconds(k.rotationPolicy?.rotationPeriod), description: k.description ?? '' };
        live.attrs = { state: k.state };
        ctx.push({ live });
      }
    }, region)));
  },
};
