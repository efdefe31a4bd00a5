import type { SecretSpec } from '../schema';

/*
 * What a generated rotation writes, by secret type. Secret Manager checks payloads: credentials
 * and key/value secrets are flat JSON objects of strings. A generated value replaces the password
 * of credentials and keeps the rest (user, host…) from the current version; the types whose value
 * cannot be made up (key/value maps, certificates, SSH keys) must come from stdin.
 */

export type PayloadResult = { ok: true; value: Buffer } | { ok: false; problem: string };

/** Whether a generated rotation needs the current value (to keep the other fields). */
export function needsCurrentValue(type: SecretSpec['type']): boolean {
  return type === 'basic_credentials' || type === 'database_credentials';
}

export function generatedPayload(ref: string, type: SecretSpec['type'], generated: Buffer, current?: Buffer): PayloadResult {
  if (type === 'opaque') return { ok: true, value: generated };
  if (type === 'basic_credentials' || type === 'database_credentials') {
    let parsed: unknown;
    try {
      parsed = current ? JSON.parse(current.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, problem: `${ref} is a ${type} secret whose current version is not a JSON object; pipe the whole new value with --value-from stdin` };
    }
    const next = { ...(parsed as Record<string, unknown>), password: generated.toString('utf8') };
    return { ok: true, value: Buffer.from(JSON.stringify(next)) };
  }
  return { ok: false, problem: `a ${type} value cannot be generated; pipe the new value of ${ref} with --value-from stdin` };
}
