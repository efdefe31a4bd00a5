import type { LiveResource } from '../../core/state';
import type { ScalewayClients } from '../client';
import { bucketObjectLock, bucketVersioning, listBucketNames } from '../s3-reads';
import { pushAll, type Reader } from './reader';

/*
 * Object Storage buckets, over S3 (GET only: list buckets, then each bucket's versioning and
 * object lock, which no list returns; the signed GETs of ../s3-reads.ts, not the AWS SDK). A
 * list holds one project's buckets, so the project is the listing's; the bucket is matched by
 * the name the file implies, `<organization>-<project>-<bucket>` (src/core/schema.ts bucketName).
 */

/**
 * The buckets of one project in one region, as live resources. S3 has no project parameter:
 * Scaleway lists the buckets of the project named after the access key (`SCW…@<project id>`).
 */
async function readBuckets(c: ScalewayClients, region: string, projectId: string, projectName: string): Promise<LiveResource[]> {
  const own = new Map([[projectId, projectName]]);
  const list = await listBucketNames(c, region, projectId);
  return Promise.all(list.map(async (name) => {
    // side by side: neither read needs the other, so a bucket costs one round trip, not two
    const [versioning, objectLock] = await Promise.all([bucketVersioning(c, region, projectId, name), bucketObjectLock(c, region, projectId, name)]);
    // `<organisation>-<project>-<bucket>` names the landing zone's buckets; another name is kept whole
    const owner = ownerOf(name, own);
    return {
      kind: 'bucket', scalewayId: name, naturalId: '', projectId, name: owner?.bucket ?? name, region, tags: [],
      fields: { versioning: versioning === 'Enabled', objectLock },
      attrs: { bucketName: name, versioning: versioning ?? '' },
    } satisfies LiveResource;
  }));
}

/** `acme-prod-velero` → project `prod`, bucket `velero` (the longest project name that fits). */
function ownerOf(bucketName: string, projectNames: ReadonlyMap<string, string>): { projectId: string; bucket: string } | undefined {
  let best: { projectId: string; bucket: string; len: number } | undefined;
  for (const [projectId, p] of projectNames) {
    const at = bucketName.indexOf(`-${p}-`);
    if (at < 0) continue;
    const bucket = bucketName.slice(at + p.length + 2);
    if (/^[a-z][a-z0-9-]*$/.test(bucket) && (!best || p.length > best.len)) best = { projectId, bucket, len: p.length };
  }
  return best ? { projectId: best.projectId, bucket: best.bucket } : undefined;
}

/** Buckets, per region and project: S3 lists one project's buckets per request (the one named after the access key). */
export const objectStorageReader: Reader = {
  kinds: ['bucket'],
  read: async (ctx) => {
    await Promise.all(ctx.regions.map((region) => ctx.guard(['bucket'], async () => {
      await Promise.all([...(await ctx.projectNames())].map(([projectId, project]) =>
        ctx.guard(['bucket'], async () => pushAll(ctx, await readBuckets(ctx.clients, region, projectId, project)), region, { project, projectId })));
    }, region)));
  },
};
