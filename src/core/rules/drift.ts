import type { Issue } from '../issues';
import { childName, desiredResources, IAM_PROJECT, KIND_ORDER, names } from '../desired';
import type { LandingZoneModel, ResourceKind } from '../model';
import { closest } from '../schema-issues';
import { finding, own, valueAt, type ModelRule } from './rule';

const IAM_KINDS: readonly ResourceKind[] = ['application', 'policy', 'api-key'];
/** Kinds drift can report as unmanaged inside a project (SSO is never read; IAM lives in `iam`). */
const PROJECT_KINDS: readonly ResourceKind[] = KIND_ORDER.filter((k) => k !== 'project' && k !== 'sso' && !IAM_KINDS.includes(k));

/**
 * Why an ignore's resource id names nothing drift can report, with candidates for "did you mean";
 * undefined when the id is declared or drift may report it as unmanaged. The ids are the desired
 * state's own (`desiredResources`), so the rule and drift always agree.
 *
 * An id the file does not declare is accepted when drift could report such a live resource as
 * unmanaged: any resource of an undeclared project (`legacy-poc/project`,
 * `legacy-poc/private-network/poc-pn`), or in a declared project a resource of a kind it does not
 * declare, or one whose name is not a near miss of a declared one. A near miss
 * (`prod/cluster/app` when `prod/cluster/apps` is declared) is a typo: the ignore would hide
 * nothing of the resource it was written for.
 */
function unknownReason(model: LandingZoneModel, known: KnownIds, id: string): { reason: string; candidates: string[] } | undefined {
  if (known.ids.has(id)) return undefined;
  const parts = id.split('/');
  const [project, kind, name] = parts as [string, string | undefined, string | undefined];
  const all = known.all;
  const iam = project === IAM_PROJECT;
  const declaredProject = iam || Boolean(own(model.spec.projects, project));
  const kinds: readonly string[] = iam ? IAM_KINDS : PROJECT_KINDS;
  const shaped = project !== '' && ((parts.length === 2 && kind === 'project' && !iam) || (parts.length === 3 && kinds.includes(kind ?? '') && name !== ''));
  if (!declaredProject) {
    if (shaped) return undefined;
    const fixedKind = parts.length === 3 ? closest(kind ?? '', kinds) : undefined;
    return {
      reason: `there is no project "${project}", and drift reports no such id there (ids read <project>/project or <project>/<kind>/<name>, kinds: ${kinds.join(', ')})`,
      candidates: fixedKind ? [`${project}/${fixedKind}/${name ?? ''}`] : all,
    };
  }
  const sameProject = known.inProject(project);
  const declaredKinds = [...new Set(sameProject.map((k) => k.split('/')[1]!))];
  if (!shaped || !kind) return { reason: `${project} has no resource of kind "${kind ?? ''}"${declaredKinds.length ? ` (its kinds: ${declaredKinds.join(', ')})` : ''}`, candidates: sameProject };
  const sameKind = sameProject.filter((k) => k.split('/')[1] === kind);
  const near = closest(name ?? '', sameKind.map((k) => k.split('/')[2] ?? ''));
  if (near === undefined) return undefined;
  return { reason: `${project} has no ${kind} "${name ?? ''}"`, candidates: sameKind };
}

/** The desired state's ids, with the lists "did you mean" draws from, each built once per validation. */
interface KnownIds {
  ids: ReadonlySet<string>;
  all: string[];
  inProject(project: string): string[];
}

function knownIds(model: LandingZoneModel): KnownIds {
  const all = desiredResources(model).map((r) => r.id);
  let byProject: Map<string, string[]> | undefined;
  return {
    ids: new Set(all),
    all,
    inProject(project) {
      if (!byProject) {
        byProject = new Map();
        for (const id of all) {
          const p = id.slice(0, id.indexOf('/'));
          let list = byProject.get(p);
          if (!list) byProject.set(p, (list = []));
          list.push(id);
        }
      }
      return byProject.get(project) ?? [];
    },
  };
}

/**
 * Whether `id` is one that desiredResources always gives a part the file declares: a project, its
 * Private Network and gateway, a key, secret, cluster, pool, database or bucket (the same names,
 * from the same helpers). Anything else (ACLs, replicas, Velero…) is looked up in the desired state.
 */
function declaredDirectly(model: LandingZoneModel, id: string): boolean {
  const parts = id.split('/');
  const project = own(model.spec.projects, parts[0]!);
  if (!project) return false;
  if (parts.length === 2) return parts[1] === 'project';
  if (parts.length !== 3) return false;
  const [p, kind, name] = parts as [string, string, string];
  switch (kind) {
    case 'private-network': return !!project.network && names.privateNetwork(p, project) === name;
    case 'public-gateway': return !!project.network && names.gateway(p, project) === name;
    case 'key': return own(project.keys, name) !== undefined;
    case 'secret': return own(project.secrets, name) !== undefined;
    case 'cluster': return own(project.clusters, name) !== undefined;
    case 'database': return own(project.databases, name) !== undefined;
    case 'bucket': return own(project.buckets, name) !== undefined;
    case 'pool': return Object.entries(project.clusters ?? {}).some(([c, cluster]) => Object.keys(cluster.pools).some((pool) => childName(c, pool) === name));
    default: return false;
  }
}

const driftIgnoreUnknown: ModelRule = {
  id: 'drift-ignore-unknown',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'An ignore that names no resource hides nothing today and something unexpected tomorrow. An id the file does not declare is fine where drift can report it as unmanaged (an undeclared project, or a kind or name its project does not declare); a near miss of a declared id is a typo.',
  fix: 'Use the id drift reports (<project>/<kind>/<name>), or delete the ignore.',
  check({ model, source }) {
    const out: Issue[] = [];
    const ignores = model.spec.drift?.ignore ?? [];
    if (ignores.length === 0) return out;
    // the desired state is built only when an ignore names something other than a declared part
    // (a third of a 500-project file's validation otherwise, on every keystroke)
    let known: KnownIds | undefined;
    ignores.forEach((ignore, i) => {
      if (declaredDirectly(model, ignore.resource)) return;
      known ??= knownIds(model);
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

const driftIgnoreExpired: ModelRule = {
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
