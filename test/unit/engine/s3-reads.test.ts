import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import * as S3 from '@aws-sdk/client-s3';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { readOnlyClients, writeClients, type ScalewayClients } from '../../../src/scaleway/client';
import { s3ClientFor } from '../../../src/scaleway/operations/s3-client';
import { bucketObjectLock, bucketVersioning, listBucketNames, S3ReadError, signGet } from '../../../src/scaleway/s3-reads';
import { FAST_RETRY, sandboxProfile } from './helpers';

/** node:crypto's SHA-256 in the shape @smithy's signer takes. */
class Sha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as string) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

test('a signed GET carries the signature the AWS SDK\'s own signer computes for the same request', async () => {
  const now = new Date('2026-12-07T20:30:05.123Z');
  const credentials = { accessKeyId: 'SCWXXXXXXXXXXXXXXXXX@0b2e4a7c-1111-4d2c-9e8f-abcdefabcdef', secretAccessKey: '11111111-2222-4333-8444-555555555555' };
  const cases = [
    { origin: 'https://s3.fr-par.scw.cloud', path: '/', query: {} as Record<string, string>, region: 'fr-par' },
    { origin: 'https://acme-prod-velero.s3.nl-ams.scw.cloud', path: '/', query: { versioning: '' }, region: 'nl-ams' },
    { origin: 'https://acme-prod-velero.s3.fr-par.scw.cloud', path: '/', query: { 'object-lock': '' }, region: 'fr-par' },
    { origin: 'http://127.0.0.1:41234', path: '/s3/fr-par/acme-prod-velero', query: { versioning: '' }, region: 'fr-par' },
  ];
  const signer = new SignatureV4({ credentials, region: 'fr-par', service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: true });
  for (const c of cases) {
    const ours = signGet({ ...c, accessKeyId: credentials.accessKeyId, secretKey: credentials.secretAccessKey, now });
    const url = new URL(ours.url);
    const theirs = await signer.sign({
      method: 'GET', protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: c.query,
      headers: { host: ours.headers.host!, 'x-amz-content-sha256': ours.headers['x-amz-content-sha256']! },
    }, { signingDate: now, signingRegion: c.region });
    assert.equal(ours.headers.authorization, theirs.headers.authorization, `${c.origin}${c.path}`);
    assert.equal(ours.headers['x-amz-date'], theirs.headers['x-amz-date']);
  }
});

let sb: Sandbox;
let clients: ScalewayClients;
before(async () => {
  sb = await startSandbox({});
  clients = readOnlyClients(await sandboxProfile(sb), FAST_RETRY);
});
after(() => sb.close());

test('the bucket list, versioning and object lock read as the AWS SDK reads them, in the project named after the access key', async () => {
  const profile = clients.profile;
  const p1 = (await clients.account.listProjects({ organizationId: profile.organizationId }).all())[0]!.id;
  const p2 = (await writeClients(profile, FAST_RETRY).account.createProject({ organizationId: profile.organizationId, name: 'other', description: '' })).id;
  // made with the SDK, as apply makes them: one versioned and locked, one plain, in the first project
  const { s3 } = await s3ClientFor(profile, 'fr-par', p1);
  await s3.send(new S3.CreateBucketCommand({ Bucket: 'acme-prod-velero', ObjectLockEnabledForBucket: true }));
  await s3.send(new S3.PutBucketVersioningCommand({ Bucket: 'acme-prod-velero', VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new S3.CreateBucketCommand({ Bucket: 'acme-prod-assets' }));
  const sdkNames = ((await s3.send(new S3.ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort();
  const sdkPlain = (await s3.send(new S3.GetBucketVersioningCommand({ Bucket: 'acme-prod-assets' }))).Status;
  s3.destroy();

  assert.deepEqual((await listBucketNames(clients, 'fr-par', p1)).sort(), sdkNames);
  assert.deepEqual(sdkNames, ['acme-prod-assets', 'acme-prod-velero']);
  assert.equal(await bucketVersioning(clients, 'fr-par', p1, 'acme-prod-velero'), 'Enabled');
  assert.equal(await bucketVersioning(clients, 'fr-par', p1, 'acme-prod-assets'), sdkPlain, 'never versioned: what the SDK reads');
  assert.notEqual(sdkPlain, 'Enabled');
  assert.equal(await bucketObjectLock(clients, 'fr-par', p1, 'acme-prod-velero'), true);
  assert.equal(await bucketObjectLock(clients, 'fr-par', p1, 'acme-prod-assets'), false, 'no lock configuration reads as off');
  assert.deepEqual(await listBucketNames(clients, 'fr-par', p2), [], 'another project lists its own buckets only');
  const denied = await bucketVersioning(clients, 'fr-par', p2, 'acme-prod-velero').catch((e: unknown) => e);
  assert.ok(denied instanceof S3ReadError, String(denied));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata.httpStatusCode, 403);
  const missing = await bucketVersioning(clients, 'fr-par', p1, 'acme-nothing-here').catch((e: unknown) => e);
  assert.ok(missing instanceof S3ReadError);
  assert.equal(missing.name, 'NoSuchBucket');
  assert.equal(missing.$metadata.httpStatusCode, 404);
});

test('the read-only clients\' transport sends nothing but GET', async () => {
  await assert.rejects(clients.transport(`${sb.url}/s3/fr-par/x`, { method: 'PUT', headers: {} }), /read-only client refused PUT/);
});
