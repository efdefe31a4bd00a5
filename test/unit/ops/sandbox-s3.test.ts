import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetBucketVersioningCommand,
  GetObjectCommand, GetObjectLockConfigurationCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsCommand, ListObjectsV2Command,
  ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectLockConfigurationCommand, S3Client,
} from '@aws-sdk/client-s3';
import { Account, createClient, Iam } from '@scaleway/sdk';
import { S3Service } from '../../../src/sandbox/s3/s3-service';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';

describe('sandbox S3 (through @aws-sdk/client-s3)', () => {
  let server: Server;
  let url = '';
  const service = new S3Service({ callerOf: (k: string) => (k === 'SCWGOODKEY' ? { accessKey: k, projectId: 'p1' } : undefined) });
  const client = (accessKeyId = 'SCWGOODKEY', region = 'fr-par') => new S3Client({
    region, endpoint: `${url}/s3/${region}`, forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: 'x' }, requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void service.handle(req, res, new URL(req.url ?? '/', 'http://x'), Buffer.concat(chunks)).then((s) => {
          if (s === undefined) { res.writeHead(404); res.end(); }
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('creates, lists, heads buckets; versioning and object lock round-trip', async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: 'velero', ObjectLockEnabledForBucket: true }));
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(list.Buckets?.map((b) => b.Name).sort(), ['plain', 'velero']);
    await s3.send(new HeadBucketCommand({ Bucket: 'velero' }));
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'nope' })), (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 404);
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'velero' }))).Status, 'Enabled');
    // Scaleway answers an empty <Status></Status> for a bucket whose versioning was never set
    assert.ok(!(await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain' }))).Status);
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'plain', VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'plain' }))).Status, 'Enabled');
    await assert.rejects(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain' })), (e: Error) => e.name === 'ObjectLockConfigurationNotFoundError');
    await s3.send(new PutObjectLockConfigurationCommand({
      Bucket: 'velero', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
    }));
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'velero' }));
    assert.equal(lock.ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
    assert.equal(lock.ObjectLockConfiguration?.Rule?.DefaultRetention?.Days, 7);
  });

  it('puts, gets, copies, lists objects and versions; lock refuses version deletes', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: 'velero', Key: 'backups/b1/velero-backup.json', Body: '{"a":1}', ContentType: 'application/json' }));
    await s3.send(new PutObjectCommand({ Bucket: 'velero', Key: 'backups/b1/velero-backup.json', Body: '{"a":2}' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'velero', Key: 'backups/b1/velero-backup.json' }));
    assert.equal(await got.Body?.transformToString(), '{"a":2}');
    await s3.send(new CopyObjectCommand({ Bucket: 'plain', Key: 'copy.json', CopySource: 'velero/backups/b1/velero-backup.json' }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'copy.json' }))).Body?.transformToString(), '{"a":2}');
    const l = await s3.send(new ListObjectsV2Command({ Bucket: 'velero', Prefix: 'backups/' }));
    assert.deepEqual(l.Contents?.map((c) => c.Key), ['backups/b1/velero-backup.json']);
    await s3.send(new PutObjectCommand({ Bucket: 'velero', Key: 'backups/b2/velero-backup.json', Body: '{}' }));
    await s3.send(new PutObjectCommand({ Bucket: 'velero', Key: 'backups/top.txt', Body: '{}' }));
    // how Velero lists its backups: one common prefix per backup
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'velero', Prefix: 'backups/', Delimiter: '/', MaxKeys: 2 }));
    assert.deepEqual(folders.CommonPrefixes?.map((p) => p.Prefix), ['backups/b1/', 'backups/b2/']);
    assert.equal(folders.IsTruncated, true);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: 'velero', Prefix: 'backups/', Delimiter: '/', ContinuationToken: folders.NextContinuationToken }));
    assert.deepEqual(rest.Contents?.map((c) => c.Key), ['backups/top.txt']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'velero', Prefix: 'backups/b2/' }));
    assert.deepEqual(v1.Contents?.map((c) => c.Key), ['backups/b2/velero-backup.json']);
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: 'velero' }));
    assert.equal(v.Versions?.filter((x) => x.Key === 'backups/b1/velero-backup.json').length, 2);
    const oldest = v.Versions!.find((x) => !x.IsLatest && x.Key === 'backups/b1/velero-backup.json')!;
    await assert.rejects(s3.send(new DeleteObjectCommand({ Bucket: 'velero', Key: 'backups/b1/velero-backup.json', VersionId: oldest.VersionId })), (e: Error) => e.name === 'AccessDenied');
    await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket: 'velero' })), (e: Error) => e.name === 'BucketNotEmpty');
  });

  it('accepts the SDK\'s default checksums (aws-chunked bodies with trailers)', async () => {
    const s3 = new S3Client({ region: 'fr-par', endpoint: `${url}/s3/fr-par`, forcePathStyle: true, credentials: { accessKeyId: 'SCWGOODKEY', secretAccessKey: 'x' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'defaults' }));
    const body = 'x'.repeat(70_000);
    await s3.send(new PutObjectCommand({ Bucket: 'defaults', Key: 'big.txt', Body: body }));
    const { Readable } = await import('node:stream');
    await s3.send(new PutObjectCommand({ Bucket: 'defaults', Key: 'stream.txt', Body: Readable.from([Buffer.from('streamed')]), ContentLength: 8 }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'defaults', Key: 'big.txt' }))).Body?.transformToString(), body);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'defaults', Key: 'stream.txt' }))).Body?.transformToString(), 'streamed');
  });

  it('refuses an access key the sandbox did not issue', async () => {
    await assert.rejects(client('SCWUNKNOWN').send(new ListBucketsCommand({})), (e: Error) => e.name === 'InvalidAccessKeyId');
  });
});

describe('sandbox S3: buckets belong to a project, as on Scaleway', () => {
  let sb: Sandbox;
  let a: string;
  let b: string;
  const s3 = (accessKeyId: string, secretAccessKey: string, region = 'fr-par') => new S3Client({
    region, endpoint: `${sb.url}/s3/${region}`, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const denied = (e: Error) => e.name === 'AccessDenied' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403;
  before(async () => {
    sb = await startSandbox({ transitionMs: 0 });
    const account = new Account.v3.ProjectAPI(createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultOrganizationId: sb.organizationId }));
    a = (await account.createProject({ name: 'a', organizationId: sb.organizationId, description: '' })).id;
    b = (await account.createProject({ name: 'b', organizationId: sb.organizationId, description: '' })).id;
  });
  after(() => sb.close());

  it('a request acts in the project after "@" (else the key\'s preferred one): lists, heads and names are per project', async () => {
    const inA = s3(`${sb.accessKey}@${a}`, sb.secretKey);
    const inB = s3(`${sb.accessKey}@${b}`, sb.secretKey);
    const preferred = s3(sb.accessKey, sb.secretKey);
    await inA.send(new CreateBucketCommand({ Bucket: 'acme-a-data' }));
    assert.deepEqual((await inA.send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name), ['acme-a-data']);
    assert.deepEqual((await inB.send(new ListBucketsCommand({}))).Buckets ?? [], [], 'another project\'s list does not show it');
    assert.deepEqual((await preferred.send(new ListBucketsCommand({}))).Buckets ?? [], [], 'nor does the preferred project\'s');
    await inA.send(new HeadBucketCommand({ Bucket: 'acme-a-data' }));
    await assert.rejects(inB.send(new HeadBucketCommand({ Bucket: 'acme-a-data' })), denied);
    await assert.rejects(inB.send(new PutObjectCommand({ Bucket: 'acme-a-data', Key: 'x', Body: 'x' })), denied);
    // the name is taken for everyone: another project cannot have it
    await assert.rejects(inB.send(new CreateBucketCommand({ Bucket: 'acme-a-data' })), (e: Error) => e.name === 'BucketAlreadyExists');
    await assert.rejects(inA.send(new CreateBucketCommand({ Bucket: 'acme-a-data' })), (e: Error) => e.name === 'BucketAlreadyOwnedByYou');
    await assert.rejects(s3(`${sb.accessKey}@00000000-0000-4000-8000-000000000000`, sb.secretKey).send(new ListBucketsCommand({})), denied, 'a project of no one');
    [inA, inB, preferred].forEach((c) => c.destroy());
  });

  it('an application key needs Object Storage granted on the project its request acts in', async () => {
    const iam = new Iam.v1alpha1.API(createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultOrganizationId: sb.organizationId }));
    const app = await iam.createApplication({ name: 'velero', organizationId: sb.organizationId, description: '' });
    await iam.createPolicy({ name: 'velero', organizationId: sb.organizationId, applicationId: app.id, description: '', rules: [{ permissionSetNames: ['ObjectStorageFullAccess'], projectIds: [a], condition: '' }] });
    const key = await iam.createAPIKey({ applicationId: app.id, description: 'velero', defaultProjectId: b });
    const inA = s3(`${key.accessKey}@${a}`, key.secretKey!);
    await inA.send(new PutObjectCommand({ Bucket: 'acme-a-data', Key: 'ok.txt', Body: 'ok' }));
    assert.equal(await (await inA.send(new GetObjectCommand({ Bucket: 'acme-a-data', Key: 'ok.txt' }))).Body?.transformToString(), 'ok');
    // without "@", the key acts in its preferred project b, where it is granted nothing
    await assert.rejects(s3(key.accessKey, key.secretKey!).send(new ListBucketsCommand({})), denied);
    await assert.rejects(s3(key.accessKey, key.secretKey!).send(new GetObjectCommand({ Bucket: 'acme-a-data', Key: 'ok.txt' })), denied);
    inA.destroy();
  });
});
