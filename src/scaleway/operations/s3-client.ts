import type * as S3Sdk from '@aws-sdk/client-s3';
import { DEFAULT_RETRY } from '../http';
import type { ScalewayProfile } from '../profiles';

/** The S3 package: its classes (client, commands) come from the module import() loads. */
export type S3Package = typeof S3Sdk;

/**
 * S3 has no project parameter: Scaleway acts in the API key's preferred project, or in the one
 * named after the access key (`SCW…@<project id>`, as Scaleway's CLI and Terraform send it).
 * Every bucket read or write of a declared bucket names its project, so that a key whose
 * preferred project is another one neither lists the wrong buckets nor creates them elsewhere.
 */
export function s3AccessKeyId(accessKey: string, projectId?: string): string {
  const base = accessKey.split('@')[0]!;
  return projectId ? `${base}@${projectId}` : accessKey;
}

/**
 * Object Storage is S3: `https://s3.<region>.scw.cloud` for Scaleway, `<apiUrl>/s3/<region>`
 * (path-style) for the sandbox. Only the checksums S3 requires are sent, which is what Scaleway
 * accepts (newer SDK defaults add trailing checksums it does not).
 *
 * @aws-sdk/client-s3 (with @smithy, about 0.6 MB of the CLI's drift bundle and a fifth of its
 * start-up work in the cold profile) is imported when a command first reaches Object Storage:
 * a drift lists buckets beside its first wave of Scaleway lists, so it loads while those wait
 * on the network, and the commands that never touch S3 do not load it at all.
 */
export async function s3ClientFor(profile: ScalewayProfile, region: string, projectId?: string): Promise<{ s3: S3Sdk.S3Client; S3: S3Package }> {
  // the package is CommonJS: Node's import() gives its exports by name, a split esbuild bundle
  // (the CLI's, the extension's engine) gives them as the module's default
  const imported = (await import('@aws-sdk/client-s3')) as S3Package & { default?: S3Package };
  const S3 = typeof imported.S3Client === 'function' ? imported : imported.default!;
  // the SDK warns on every run that it will need Node 22 from 2027; we support Node 20 on
  // purpose (engines) and the warning would land in every report's stderr
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sandbox = profile.apiUrl && !/\.scaleway\.com\/?$/.test(profile.apiUrl);
  const s3 = new S3.S3Client({
    region,
    endpoint: sandbox ? `${profile.apiUrl!.replace(/\/$/, '')}/s3/${region}` : `https://s3.${region}.scw.cloud`,
    forcePathStyle: Boolean(sandbox),
    credentials: { accessKeyId: s3AccessKeyId(profile.accessKey, projectId), secretAccessKey: profile.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // the same bound as the Scaleway client's retries (its own backoff, 429/5xx and resets)
    maxAttempts: DEFAULT_RETRY.attempts,
  });
  return { s3, S3 };
}
