import type { LandingZoneModel } from '../model';
import { durationSeconds } from '../schema';
import type { LiveResource } from '../state';

/*
 * Key Manager rotation policy as drift and `rotate-key` report it. Pure: the live keys come from
 * src/scaleway (KeyManager listKeys), already reduced to `LiveKeyRotation`.
 */

/** What the account says about one key's rotation. */
export interface LiveKeyRotation {
  /** `security/secrets-key`: the landing-zone project and key name. */
  ref: string;
  keyId: string;
  /** As the API returns it: `7776000s`; undefined when the key has no rotation policy. */
  rotationPeriod?: string;
  nextRotationAt?: Date;
  /** When the key material last changed (rotatedAt, else createdAt). */
  lastRotatedAt?: Date;
  state: string;
}

/** One line of the rotation report. */
export interface KeyRotationStatus {
  ref: string;
  keyId?: string;
  /** Declared in the file, e.g. `90d`. */
  declaredPeriod: string;
  /** Seconds, as the API holds it. */
  livePeriodSeconds?: number;
  nextRotationAt?: Date;
  lastRotatedAt?: Date;
  /** Past the declared period since the last rotation. */
  overdue: boolean;
  problems: string[];
}

/** `7776000s` or `2160h` (the API's durations) to seconds. */
export function apiDurationSeconds(d: string | undefined): number | undefined {
  if (!d) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(d.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h']);
}

/**
 * Rotation status of every key the file declares: the policy in the account against the file's
 * `rotationPeriod`, the next rotation, and whether the key is overdue (its last rotation is older
 * than the declared period). Keys missing from `live` are reported as not found.
 *
 * For drift: call with the inventory's keys; each `problems` entry is one finding.
 */
export function keyRotationReport(model: LandingZoneModel, live: readonly LiveKeyRotation[], now: Date): KeyRotationStatus[] {
  const out: KeyRotationStatus[] = [];
  for (const [project, p] of Object.entries(model.spec.projects)) {
    for (const [name, key] of Object.entries(p.keys ?? {})) {
      const ref = `${project}/${name}`;
      const declared = durationSeconds(key.rotationPeriod);
      const k = live.find((x) => x.ref === ref);
      if (!k) {
        out.push({ ref, declaredPeriod: key.rotationPeriod, overdue: false, problems: ['key not found in the account'] });
        continue;
      }
      const livePeriod = apiDurationSeconds(k.rotationPeriod);
      const problems: string[] = [];
      if (livePeriod === undefined) problems.push(`no rotation policy in Key Manager; the file asks for every ${key.rotationPeriod}`);
      else if (declared !== undefined && livePeriod !== declared) problems.push(`rotation period is ${formatSeconds(livePeriod)} in Key Manager, ${key.rotationPeriod} in the file`);
      const overdue = declared !== undefined && k.lastRotatedAt !== undefined && now.getTime() - k.lastRotatedAt.getTime() > declared * 1000;
      if (overdue) problems.push(`overdue: last rotated ${k.lastRotatedAt!.toISOString()}, more than ${key.rotationPeriod} ago`);
      if (k.nextRotationAt && k.nextRotationAt.getTime() < now.getTime()) problems.push(`the scheduled rotation of ${k.nextRotationAt.toISOString()} did not happen`);
      if (k.state !== 'enabled') problems.push(`key is ${k.state}`);
      out.push({ ref, keyId: k.keyId, declaredPeriod: key.rotationPeriod, livePeriodSeconds: livePeriod, nextRotationAt: k.nextRotationAt, lastRotatedAt: k.lastRotatedAt, overdue, problems });
    }
  }
  return out;
}

export function formatSeconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  return `${s}s`;
}

/**
 * The inventory's key resources as `LiveKeyRotation`s, so drift can report rotation without
 * another API call: `fields.rotationPeriod` in seconds (as the inventory normalises it) and
 * `attrs.state`, `attrs.rotatedAt`, `attrs.createdAt`, `attrs.nextRotationAt` (ISO strings).
 */
export function keyRotationsFromInventory(resources: readonly LiveResource[]): LiveKeyRotation[] {
  const date = (v: unknown) => (typeof v === 'string' || v instanceof Date ? new Date(v) : undefined);
  return resources
    .filter((r) => r.kind === 'key' && r.projectName)
    .map((r) => {
      const period = r.fields.rotationPeriod;
      return {
        ref: `${r.projectName}/${r.name}`,
        keyId: r.scalewayId,
        state: String(r.attrs?.state ?? 'enabled'),
        rotationPeriod: typeof period === 'number' ? `${period}s` : undefined,
        nextRotationAt: date(r.attrs?.nextRotationAt),
        lastRotatedAt: date(r.attrs?.rotatedAt) ?? date(r.attrs?.createdAt),
      };
    });
}
