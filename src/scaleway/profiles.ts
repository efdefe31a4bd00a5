import { redact } from '../core/redact';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/*
 * Credentials resolved the way the scw CLI resolves them. `@scaleway/configuration-loader`
 * ignores `active_profile` and `SCW_PROFILE` and merges nothing, so this is ours:
 *
 *   profile name: explicit (--profile) > SCW_PROFILE > active_profile of the file > root ("default")
 *   each value:   explicit values > SCW_* environment > the named profile > the file's root values
 *
 * The secret key is carried, never shown: it is a non-enumerable property, so JSON.stringify,
 * util.inspect and spreading a profile into a log line all leave it out.
 */

/** A resolved set of credentials and defaults. `secretKey` is non-enumerable on purpose. */
export interface ScalewayProfile {
  /** `default` for the root of the config file, else the profile's name. */
  readonly name: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly organizationId: string;
  readonly projectId?: string;
  readonly region: string;
  readonly zone: string;
  /** Present when SCW_API_URL or api_url points somewhere else than the public API (the sandbox). */
  readonly apiUrl?: string;
  /** Where each value came from, for `--verbose` and error messages (never the values). */
  readonly sources: Record<string, string>;
}

/** What the caller may pass explicitly (flags, VS Code SecretStorage). */
export interface ProfileInput {
  profile?: string;
  accessKey?: string;
  secretKey?: string;
  organizationId?: string;
  projectId?: string;
  region?: string;
  zone?: string;
  apiUrl?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides SCW_CONFIG_PATH and the default location. */
  configPath?: string;
  /** The name shown for credentials from elsewhere (a VS Code sign-in, the sandbox); default: the scw profile's name. */
  label?: string;
}

/** Credentials are missing, or the config file names a profile it does not contain. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

interface RawProfile {
  access_key?: string;
  secret_key?: string;
  default_organization_id?: string;
  default_project_id?: string;
  default_region?: string;
  default_zone?: string;
  api_url?: string;
}

interface RawConfig extends RawProfile {
  active_profile?: string;
  profiles?: Record<string, RawProfile>;
}

const FIELDS = [
  ['accessKey', 'access_key', 'SCW_ACCESS_KEY'],
  ['secretKey', 'secret_key', 'SCW_SECRET_KEY'],
  ['organizationId', 'default_organization_id', 'SCW_DEFAULT_ORGANIZATION_ID'],
  ['projectId', 'default_project_id', 'SCW_DEFAULT_PROJECT_ID'],
  ['region', 'default_region', 'SCW_DEFAULT_REGION'],
  ['zone', 'default_zone', 'SCW_DEFAULT_ZONE'],
  ['apiUrl', 'api_url', 'SCW_API_URL'],
] as const;

type FieldName = (typeof FIELDS)[number][0];

/** The config file the scw CLI reads: SCW_CONFIG_PATH, else $XDG_CONFIG_HOME/scw, else ~/.config/scw. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCW_CONFIG_PATH) return env.SCW_CONFIG_PATH;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'scw', 'config.yaml');
}

async function readConfig(path: string): Promise<RawConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialsError(`cannot read the Scaleway config file ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    // the YAML error quotes the line, which may hold a secret key: report only where it is
    const pos = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new CredentialsError(`the Scaleway config file ${path} is not valid YAML${pos ? ` (line ${pos})` : ''}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new CredentialsError(`the Scaleway config file ${path} is not a YAML map`);
  return value as RawConfig;
}

/** Resolves credentials; throws CredentialsError naming every missing value and where it was looked for. */
export async function resolveProfile(input: ProfileInput = {}): Promise<ScalewayProfile> {
  const env = input.env ?? process.env;
  const path = input.configPath ?? configFilePath(env);
  const config = await readConfig(path);

  const explicitName = input.profile ?? (env.SCW_PROFILE || undefined);
  const name = explicitName ?? config?.active_profile ?? 'default';
  let named: RawProfile | undefined;
  if (name !== 'default') {
    // own profiles only: `--profile constructor` must not find Object.prototype.constructor and fall back to the root keys
    named = config?.profiles && Object.prototype.hasOwnProperty.call(config.profiles, name) ? config.profiles[name] : undefined;
    if (!named) {
      const known = Object.keys(config?.profiles ?? {});
      const from = input.profile ? '--profile' : env.SCW_PROFILE ? 'SCW_PROFILE' : `active_profile in ${path}`;
      throw new CredentialsError(
        config
          ? `profile "${name}" (from ${from}) is not in ${path}${known.length ? `; profiles there: ${known.join(', ')}` : ''}`
          : `profile "${name}" (from ${from}) was asked for, but there is no Scaleway config file at ${path}`,
      );
    }
  } else {
    named = config?.profiles?.default;
  }

  const values: Partial<Record<FieldName, string>> = {};
  const sources: Record<string, string> = {};
  for (const [field, key, envName] of FIELDS) {
    const candidates: [string | undefined, string][] = [
      [input[field], 'explicit'],
      [env[envName], envName],
      [named?.[key], `profile ${name}`],
      [config?.[key], `${path} (root)`],
    ];
    for (const [v, source] of candidates) {
      if (typeof v === 'string' && v.trim() !== '') {
        values[field] = v.trim();
        sources[field] = source;
        break;
      }
    }
  }

  const missing: string[] = [];
  for (const [field, key, envName] of FIELDS.slice(0, 3)) {
    if (!values[field]) missing.push(`${key} (or ${envName})`);
  }
  if (missing.length > 0) {
    const where = config ? `profile "${name}" of ${path}` : `${path} (not found)`;
    throw new CredentialsError(`missing Scaleway credentials: ${missing.join(', ')}; looked in the environment and in ${where}. Run \`scw init\`, or set the SCW_* variables (\`landing-zone sandbox --print-env\` prints them for the sandbox).`);
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.secretKey!)) {
    throw new CredentialsError(`the secret key from ${sources.secretKey} is not a Scaleway secret key (a UUID)`);
  }
  const region = values.region ?? 'fr-par';
  const profile = {
    name: input.label ?? name,
    accessKey: values.accessKey!,
    organizationId: values.organizationId!,
    projectId: values.projectId,
    region,
    zone: values.zone ?? `${region}-1`,
    apiUrl: values.apiUrl?.replace(/\/+$/, ''),
    sources,
  } as ScalewayProfile;
  Object.defineProperty(profile, 'secretKey', { value: values.secretKey, enumerable: false, writable: false });
  return profile;
}

/** One line that identifies the credentials without revealing them. */
export function describeProfile(p: ScalewayProfile): string {
  return `profile ${p.name} (access key ${p.accessKey}, organisation ${p.organizationId}${p.apiUrl ? `, API ${redact(p.apiUrl)}` : ''})`;
}

/** The refusal when the file describes another organisation than the credentials reach. */
export function organizationMismatch(fileOrgId: string, p: ScalewayProfile): string | undefined {
  if (fileOrgId.toLowerCase() === p.organizationId.toLowerCase()) return undefined;
  return `the file describes organisation ${fileOrgId}, but ${describeProfile(p)} belongs to organisation ${p.organizationId}; refusing to continue`;
}
