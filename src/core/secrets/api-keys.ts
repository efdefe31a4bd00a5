import type { LandingZoneModel } from '../model';

/*
 * API keys of IAM applications: expiry and single purpose (DESIGN: "one application, one
 * purpose, least privilege"). Pure; live keys come from src/scaleway (IAM listApiKeys).
 */

export interface LiveApiKey {
  accessKey: string;
  applicationName: string;
  description: string;
  defaultProjectId?: string;
  createdAt?: Date;
  expiresAt?: Date;
}

export interface ApiKeyFinding {
  application: string;
  ruleId: 'api-key-expired' | 'api-key-expires-soon' | 'api-key-no-expiry' | 'application-many-purposes';
  severity: 'error' | 'warning';
  message: string;
  /** Where in the file the finding points. */
  path: (string | number)[];
}

const SOON_DAYS = 14;

/** Keys past or near their expiry, and applications that serve more than one purpose. */
export function apiKeyFindings(model: LandingZoneModel, live: readonly LiveApiKey[], now: Date): ApiKeyFinding[] {
  const out: ApiKeyFinding[] = [];
  const apps = model.spec.iam?.applications ?? {};
  const storedBy = new Map<string, string[]>();
  for (const [name, app] of Object.entries(apps)) {
    const path = ['iam', 'applications', name];
    if (app.apiKey) storedBy.set(app.apiKey.storedIn, [...(storedBy.get(app.apiKey.storedIn) ?? []), name]);
    const keys = live.filter((k) => k.applicationName === name);
    for (const k of keys) {
      if (!k.expiresAt) {
        out.push({ application: name, ruleId: 'api-key-no-expiry', severity: 'warning', path: [...path, 'apiKey'],
          message: `API key ${k.accessKey} of ${name} never expires; the file asks for ${app.apiKey?.expiresInDays ?? '?'} days — rotate it with landing-zone rotate-api-key ${name}` });
      } else if (k.expiresAt.getTime() <= now.getTime()) {
        out.push({ application: name, ruleId: 'api-key-expired', severity: 'error', path: [...path, 'apiKey'],
          message: `API key ${k.accessKey} of ${name} expired on ${k.expiresAt.toISOString().slice(0, 10)}; rotate with landing-zone rotate-api-key ${name}` });
      } else if (k.expiresAt.getTime() - now.getTime() < SOON_DAYS * 86_400_000) {
        out.push({ application: name, ruleId: 'api-key-expires-soon', severity: 'warning', path: [...path, 'apiKey'],
          message: `API key ${k.accessKey} of ${name} expires on ${k.expiresAt.toISOString().slice(0, 10)}; rotate before` });
      }
    }
    const reasons: string[] = [];
    const projects = new Set(app.policy.flatMap((r) => r.projects ?? []));
    if (app.policy.some((r) => r.organization)) reasons.push('its policy covers the whole organisation');
    if (projects.size > 1) reasons.push(`its policy spans ${projects.size} projects (${[...projects].join(', ')})`);
    if (/\b(and|also|plus)\b|;|\+/.test(app.purpose)) reasons.push(`its purpose names several jobs ("${app.purpose}")`);
    const defaults = new Set(keys.map((k) => k.defaultProjectId).filter(Boolean));
    if (defaults.size > 1) reasons.push(`its ${keys.length} API keys default to ${defaults.size} different projects`);
    const active = keys.filter((k) => !k.expiresAt || k.expiresAt.getTime() > now.getTime());
    const rotating = active.filter((k) => k.description.includes('lz-run='));
    if (active.length - Math.min(rotating.length, 1) > 1) reasons.push(`it has ${active.length} active API keys`);
    if (reasons.length > 0) {
      out.push({ application: name, ruleId: 'application-many-purposes', severity: 'warning', path,
        message: `application ${name} serves more than one purpose: ${reasons.join('; ')}. Split it into single-purpose applications.` });
    }
  }
  for (const [secret, names] of storedBy) {
    if (names.length > 1) {
      for (const name of names) {
        out.push({ application: name, ruleId: 'application-many-purposes', severity: 'warning', path: ['iam', 'applications', name, 'apiKey', 'storedIn'],
          message: `applications ${names.join(', ')} share the vault secret ${secret}; give each its own secret` });
      }
    }
  }
  return out;
}
