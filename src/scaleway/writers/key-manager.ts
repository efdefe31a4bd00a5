import { lzTags } from '../../core/desired';
import { adoptTags, changed, declared, gone, immutable, projectOf, regionOf, tagFilter, type Writer } from './writer';

/** A key and its replica in another region are written alike (the replica carries its own lz:id). */
export const keyWriter: Writer = {
  async find(op, ctx) {
    const list = await ctx.clients.keys.listKeys({ region: regionOf(op), projectId: projectOf(op, ctx), tags: tagFilter(op.id), scheduledForDeletion: false }).all();
    return list[0] ? { scalewayId: list[0].id, attrs: {} } : undefined;
  },
  async create(op, ctx) {
    const f = declared(op, ctx);
    const period = Number(f.rotationPeriod);
    const k = await ctx.clients.keys.createKey({
      region: regionOf(op), projectId: projectOf(op, ctx), name: op.name, description: typeof f.description === 'string' ? f.description : undefined, tags: lzTags(op.id), unprotected: false,
      usage: f.usage === 'symmetric_encryption' ? { symmetricEncryption: 'aes_256_gcm' } : f.usage === 'asymmetric_signing' ? { asymmetricSigning: 'ec_p256_sha256' as never } : { asymmetricEncryption: 'rsa_oaep_3072_sha256' as never },
      rotationPolicy: { rotationPeriod: `${period}s`, nextRotationAt: new Date(Date.now() + period * 1000) } as never,
    });
    return { scalewayId: k.id, attrs: {} };
  },
  async update(op, ctx) {
    const tags = adoptTags(op);
    if (tags) await ctx.clients.keys.updateKey({ region: regionOf(op), keyId: op.scalewayId!, tags });
    immutable(op, ['usage', 'region']);
    const f = declared(op, ctx);
    await ctx.clients.keys.updateKey({
      region: regionOf(op), keyId: op.scalewayId!, description: typeof f.description === 'string' ? f.description : undefined,
      ...(changed(op, 'rotationPeriod') ? { rotationPolicy: { rotationPeriod: `${Number(f.rotationPeriod)}s`, nextRotationAt: new Date(Date.now() + Number(f.rotationPeriod) * 1000) } as never } : {}),
    });
  },
  async delete(op, ctx) {
    await gone(() => ctx.clients.keys.deleteKey({ region: regionOf(op), keyId: op.scalewayId! }));
  },
};
