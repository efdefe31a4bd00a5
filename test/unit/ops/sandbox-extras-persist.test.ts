import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox } from '../../../src/sandbox/server';
import { tempDir } from './helpers';

describe('sandbox S3 and Velero state', () => {
  it('survives a restart with --state', async () => {
    const stateFile = join(await tempDir(), 'state.json');
    const first = await startSandbox({ stateFile, saveDebounceMs: 1 });
    const s3 = (url: string, accessKeyId: string, secretAccessKey: string) => new S3Client({
      region: 'nl-ams', endpoint: `${url}/s3/nl-ams`, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const c1 = s3(first.url, first.accessKey, first.secretKey);
    await c1.send(new CreateBucketCommand({ Bucket: 'copies', ObjectLockEnabledForBucket: true }));
    await c1.send(new PutObjectCommand({ Bucket: 'copies', Key: 'a/b.json', Body: '{"ok":true}' }));
    first.extras.velero.seedBackup('daily-1', { completedAt: new Date('2026-01-01T00:00:00Z') });
    await first.state.flush();
    await first.close();

    const second = await startSandbox({ stateFile, credentials: { accessKey: first.accessKey, secretKey: first.secretKey } });
    try {
      assert.deepEqual(second.extras.s3.list().map((b) => [b.name, b.objectLockEnabled, b.keys]), [['copies', true, ['a/b.json']]]);
      const got = await s3(second.url, second.accessKey, second.secretKey).send(new GetObjectCommand({ Bucket: 'copies', Key: 'a/b.json' }));
      assert.equal(await got.Body?.transformToString(), '{"ok":true}');
      assert.deepEqual(second.extras.velero.list('any', 'backups').map((b) => (b.metadata as { name: string }).name), ['daily-1']);
    } finally {
      await second.close();
    }
  });
});
