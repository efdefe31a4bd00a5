import type { Issue } from '../issues';
import { desiredResources, IAM_PROJECT } from '../desired';
import type { LandingZoneModel } from '../model';
import { closest } from '../schema-issues';
import { finding, own, valueAt, type ModelRule } from './rule';

/**
 * Why an ignore's resource id names nothing of this file, with candidates for "did you mean".
 * The ids are the desired state's own (`desiredResources`), so the rule and drift always agree.
 */
function unknownReason(model: LandingZoneModel, known: ReadonlySet<string>, id: string): { reason: string; candidates: string[] } | undefined {
  if (known.has(id)) return undefined;
  const [project, kind, name] = id.split('/') as [string, string, string | undefined];
  const all = [...known];
  if (project !== IAM_PROJECT && !own(model.spec.projects, project)) return { reason: `there is no project "${project}"`, candidates: all };
  const sameProject = all.filter((k) => k.startsWith(`${project}/`));
  const kinds = [...new Set(sameProject.map((k) => k.split('/')[1]!))];
  if (!kinds.includes(kind)) return { reason: `${project} has no resource of kind "${kind}"${kinds.length ? ` (its kinds: ${kinds.join(', ')})` : ''}`, candidates: sameProject };
  return { reason: `${project} has no ${kind} "${name ?? ''}"`, candidates: sameProject.filter((k) => k.split('/')[1] === kind) };
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
    const ignores = model.spec.drift?.ignore ?? [];
    if (ignores.length === 0) return out;
    const known = new Set(desiredResources(model).map((r) => r.id));
    ignores.forEach((ignore, i) => {
      const problem = unknownReason(model, known, ignore.resource);
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
