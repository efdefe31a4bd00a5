import type { Issue } from '../issues';
import type { LandingZoneModel, ResourceKind } from '../model';
import { closest } from '../schema-issues';
import { finding, own, valueAt, type ModelRule } from './rule';

/** Every resource kind, checked against the ResourceKind union at compile time. */
const KINDS = [
  'project', 'private-network', 'public-gateway', 'gateway-ip', 'gateway-network', 'cluster', 'pool',
  'load-balancer', 'lb-ip', 'lb-frontend', 'lb-acl', 'database', 'bucket', 'key', 'secret', 'application',
  'api-key', 'policy', 'sso', 'velero-schedule', 'backup-copy',
] as const satisfies readonly ResourceKind[];
type Missing = Exclude<ResourceKind, (typeof KINDS)[number]>;
const exhaustive: Missing extends never ? true : false = true;
void exhaustive;

/**
 * Whether an ignore's resource id can name something of this file. Ids are
 * `<project>/<kind>[/<name>]`; kinds whose names are map keys (cluster, database, bucket, key,
 * secret, pool `<cluster>-<pool>`, application) are checked by name, the others by project.
 */
function unknownReason(model: LandingZoneModel, id: string): { reason: string; candidates: string[] } | undefined {
  const [project, kind, name] = id.split('/') as [string, string, string | undefined];
  const p = own(model.spec.projects, project);
  if (!p) return { reason: `there is no project "${project}"`, candidates: Object.keys(model.spec.projects).map((n) => `${n}/${kind}${name ? `/${name}` : ''}`) };
  if (!(KINDS as readonly string[]).includes(kind)) return { reason: `"${kind}" is not a resource kind (${KINDS.join(', ')})`, candidates: KINDS.map((k) => `${project}/${k}${name ? `/${name}` : ''}`) };
  const named: Partial<Record<string, string[]>> = {
    cluster: Object.keys(p.clusters ?? {}),
    database: Object.keys(p.databases ?? {}),
    bucket: Object.keys(p.buckets ?? {}),
    key: Object.keys(p.keys ?? {}),
    secret: Object.keys(p.secrets ?? {}),
    pool: Object.entries(p.clusters ?? {}).flatMap(([c, spec]) => Object.keys(spec.pools).map((pool) => `${c}-${pool}`)),
    'load-balancer': Object.entries(p.clusters ?? {}).filter(([, c]) => c.loadBalancer).map(([c]) => c),
  };
  const names = named[kind];
  if (!names || name === undefined) return undefined;
  if (names.includes(name)) return undefined;
  return { reason: `project ${project} has no ${kind} "${name}"`, candidates: names.map((n) => `${project}/${kind}/${n}`) };
}

export const driftIgnoreUnknown: ModelRule = {
  id: 'drift-ignore-unknown',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'An ignore that names no resource hides nothing today and something unexpected tomorrow.',
  fix: 'Use the id drift reports (<project>/<kind>/<name>), or delete the ignore.',
  check({ model, source }) {
    const out: Issue[] = [];
    (model.spec.drift?.ignore ?? []).forEach((ignore, i) => {
      const problem = unknownReason(model, ignore.resource);
      if (!problem) return;
      const path = ['drift', 'ignore', i, 'resource'];
      const suggestion = closest(ignore.resource, problem.candidates);
      out.push(finding(driftIgnoreUnknown, valueAt(source, path), `drift.ignore: ${ignore.resource} names no resource of this file: ${problem.reason}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        suggestion ? { title: `Change to ${suggestion}`, edits: [{ range: valueAt(source, path).range, newText: suggestion }] } : { title: 'Delete the ignore or fix its resource id.' }));
    });
    return out;
  },
};

export const driftIgnoreExpired: ModelRule = {
  id: 'drift-ignore-expired',
  layer: 'semantic',
  input: 'model',
  severity: 'warning',
  why: 'An accepted difference is temporary: after its expiry date it is reported again, so someone decides.',
  fix: 'Fix the drift and delete the ignore, or extend `expires` with a reason.',
  check({ model, source, now }) {
    const out: Issue[] = [];
    const today = now.toISOString().slice(0, 10);
    (model.spec.drift?.ignore ?? []).forEach((ignore, i) => {
      if (!ignore.expires) return;
      const path = ['drift', 'ignore', i, 'expires'];
      const valid = !Number.isNaN(Date.parse(`${ignore.expires}T00:00:00Z`)) && new Date(`${ignore.expires}T00:00:00Z`).toISOString().startsWith(ignore.expires);
      if (!valid) {
        out.push(finding(driftIgnoreExpired, valueAt(source, path), `drift.ignore: ${ignore.expires} is not a calendar date.`, undefined, 'error'));
      } else if (ignore.expires < today) {
        out.push(finding(driftIgnoreExpired, valueAt(source, path), `The ignore of ${ignore.resource}${ignore.field ? ` (${ignore.field})` : ''} expired on ${ignore.expires}; the difference is reported again.`,
          { title: 'Fix the drift and delete the ignore, or extend its expiry.' }));
      }
    });
    return out;
  },
};

export const driftRules: ModelRule[] = [driftIgnoreUnknown, driftIgnoreExpired];
