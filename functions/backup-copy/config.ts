/*
 * What the backup-copy function is told to do, read from its environment. The plain variables
 * are set by `landing-zone apply` on the namespace (they name buckets, regions and projects,
 * nothing secret); SCW_ACCESS_KEY / SCW_SECRET_KEY are the namespace's *secret* variables (the
 * API key of the IAM application named by disasterRecovery.backupCopy.application).
 */

/**
 * A bucket in a region, in its project (`fr-par:acme-prod-velero@<project id>`). S3 has no project
 * parameter: Scaleway acts in the project named after the access key (`SCW…@<project id>`), else
 * in the key's preferred project, so the function names each bucket's project in its requests.
 */
export interface BucketRef {
  region: string;
  bucket: string;
  projectId?: string;
}

/** The databases of one project in one region (`fr-par:<project id>`). */
export interface DatabaseScope {
  region: string;
  projectId: string;
}

export interface CopyConfig {
  /** Scaleway's API (the sandbox sets its own URL here). */
  apiUrl: string;
  /** `https://s3.{region}.scw.cloud`, or a path-style endpoint with `{region}` (the sandbox's). */
  s3Endpoint: string;
  pathStyle: boolean;
  accessKey: string;
  secretKey: string;
  databases: DatabaseScope[];
  velero?: BucketRef;
  target: BucketRef;
  /** Bounds of one run: objects copied, and how long an export may take before the run moves on. */
  maxObjects: number;
  exportWaitMs: number;
  pollMs: number;
}

export class ConfigError extends Error {}

const REF = /^([a-z]{2}-[a-z]{3}):(.+)$/;

function refs(name: string, text: string | undefined): { region: string; value: string }[] {
  if (!text || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = REF.exec(part.trim());
    if (!m) throw new ConfigError(`${name}: "${part.trim()}" is not <region>:<name> (e.g. fr-par:acme-prod-velero)`);
    return { region: m[1]!, value: m[2]! };
  });
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, not "${text}"`);
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bucketRef(r: { region: string; value: string }): BucketRef {
  const at = r.value.lastIndexOf('@');
  if (at < 0) return { region: r.region, bucket: r.value };
  const projectId = r.value.slice(at + 1);
  if (!UUID.test(projectId)) throw new ConfigError(`"${r.region}:${r.value}": the part after "@" must be a project id`);
  return { region: r.region, bucket: r.value.slice(0, at), projectId };
}

/** The configuration, or a ConfigError naming the variable that is missing or malformed. */
export function readConfig(env: Record<string, string | undefined>): CopyConfig {
  const accessKey = env.SCW_ACCESS_KEY ?? '';
  const secretKey = env.SCW_SECRET_KEY ?? '';
  if (!accessKey || !secretKey) {
    throw new ConfigError('SCW_ACCESS_KEY and SCW_SECRET_KEY (secret environment variables of the namespace) are not set: declare disasterRecovery.backupCopy.application and apply');
  }
  const [target] = refs('LZ_TARGET_BUCKET', env.LZ_TARGET_BUCKET);
  if (!target) throw new ConfigError('LZ_TARGET_BUCKET (<region>:<bucket>) is not set');
  const [velero] = refs('LZ_VELERO_BUCKET', env.LZ_VELERO_BUCKET);
  const endpoint = env.SCW_S3_ENDPOINT ?? '';
  return {
    apiUrl: (env.SCW_API_URL || 'https://api.scaleway.com').replace(/\/$/, ''),
    s3Endpoint: endpoint || 'https://s3.{region}.scw.cloud',
    pathStyle: Boolean(endpoint),
    accessKey,
    secretKey,
    databases: refs('LZ_DATABASES', env.LZ_DATABASES).map((r) => ({ region: r.region, projectId: r.value })),
    velero: velero ? bucketRef(velero) : undefined,
    target: bucketRef(target),
    maxObjects: positive('LZ_MAX_OBJECTS', env.LZ_MAX_OBJECTS, 5000),
    exportWaitMs: positive('LZ_EXPORT_WAIT_SECONDS', env.LZ_EXPORT_WAIT_SECONDS, 600) * 1000,
    pollMs: positive('LZ_POLL_MS', env.LZ_POLL_MS, 5000),
  };
}
