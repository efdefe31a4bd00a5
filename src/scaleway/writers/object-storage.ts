import type { S3Client } from '@aws-sdk/client-s3';
import type { PlanOperation } from '../../core/plan';
import { s3ClientFor, type S3Package } from '../operations/s3-client';
import type { WriteContext, Writer } from './writer';

/*
 * Object Storage buckets over S3, in the bucket's project. A bucket is its name: `find` is a HEAD on it, and a
 * create that answers "already owned by you" (a retried create, a resumed apply) adopts it.
 * Object lock can only be chosen when the bucket is created: changing it is a replacement.
 */

const status = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const fields = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
/** The Object Storage name: the desired hint, else (a delete) the live name. */
const nameOf = (op: PlanOperation, ctx: WriteContext) => String(fields(op, ctx)._bucketName ?? op.scalewayId ?? op.name);

/**
 * The bucket's project: S3 acts in the project named after the access key, so a bucket is made,
 * found and changed in its own project whatever the key's preferred project is.
 */
function projectIdOf(op: PlanOperation, ctx: WriteContext): string | undefined {
  return ctx.lookup(`${op.project}/project`)?.scalewayId;
}

async function withS3<T>(op: PlanOperation, ctx: WriteContext, fn: (s3: S3Client, bucket: string, S3: S3Package) => Promise<T>): Promise<T> {
  const projectId = projectIdOf(op, ctx);
  if (!projectId) throw new Error(`${op.id}: the project ${op.project} has no Scaleway id yet, and a bucket is made in its project (S3 acts in the project named after the access key)`);
  const { s3, S3 } = await s3ClientFor(ctx.clients.profile, op.region ?? 'fr-par', projectId);
  try {
    return await fn(s3, nameOf(op, ctx), S3);
  } finally {
    s3.destroy();
  }
}

const setVersioning = (S3: S3Package, s3: S3Client, bucket: string, on: boolean) =>
  s3.send(new S3.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: on ? 'Enabled' : 'Suspended' } }));

export const bucketWriter: Writer = {
  async find(op, ctx) {
    return withS3(op, ctx, async (s3, bucket, S3) => {
      try {
        await s3.send(new S3.HeadBucketCommand({ Bucket: bucket }));
        return { scalewayId: bucket, attrs: {} };
      } catch (err) {
        if (status(err) === 404) return undefined;
        throw err;
      }
    });
  },
  async create(op, ctx) {
    const f = fields(op, ctx);
    return withS3(op, ctx, async (s3, bucket, S3) => {
      try {
        await s3.send(new S3.CreateBucketCommand({ Bucket: bucket, ...(f.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }));
      } catch (err) {
        if ((err as Error).name !== 'BucketAlreadyOwnedByYou') throw err;
      }
      // object lock turns versioning on for good; otherwise versioning is set on its own
      if (f.versioning && !f.objectLock) await setVersioning(S3, s3, bucket, true);
      return { scalewayId: bucket, attrs: {} };
    });
  },
  async update(op, ctx) {
    const fixed = (op.changes ?? []).filter((c) => c.field === 'objectLock' || c.field === 'region').map((c) => c.field);
    if (fixed.length) throw Object.assign(new Error(`${op.id}: ${fixed.join(', ')} cannot be changed in place; delete the bucket (or rename it in the file) and apply again`), { name: 'ImmutableFieldError' });
    const v = op.changes?.find((c) => c.field === 'versioning');
    if (!v) return;
    await withS3(op, ctx, (s3, bucket, S3) => setVersioning(S3, s3, bucket, v.declared === true));
  },
  async delete(op, ctx) {
    await withS3(op, ctx, async (s3, _bucket, S3) => {
      try {
        await s3.send(new S3.DeleteBucketCommand({ Bucket: op.scalewayId! }));
      } catch (err) {
        if (status(err) !== 404) throw err;
      }
    });
  },
};
