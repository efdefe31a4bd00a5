import type { Issue } from '../issues';
import { entriesOf, finding, keyAt, own, type ModelRule } from './rule';

/**
 * Business workloads (environment projects) and operational ones (security, devops, monitoring,
 * shared) live apart: clusters and databases only in environments; keys and SSO never there.
 */
const workloadSeparation: ModelRule = {
  id: 'workload-separation',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Business workloads and operational services live in separate projects, so a compromised environment cannot reach keys or identities.',
  fix: 'Move clusters and databases to an environment project; move keys and SSO to the security project.',
  check({ model, source }) {
    const out: Issue[] = [];
    const security = entriesOf(model.spec.projects).find(([, p]) => p.role === 'security')?.[0];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      if (p.role !== 'environment') {
        for (const [field, kind] of [['clusters', 'Cluster'], ['databases', 'Database']] as const) {
          for (const name of Object.keys(p[field] ?? {})) {
            out.push(finding(workloadSeparation, keyAt(source, ['projects', pname, field, name]),
              `${kind} ${pname}/${name} is a business workload in the ${p.role} project ${pname}; clusters and databases belong in environment projects.`,
              { title: 'Move it to an environment project.' }));
          }
        }
      } else {
        if (p.sso) {
          out.push(finding(workloadSeparation, keyAt(source, ['projects', pname, 'sso']),
            `Environment project ${pname} hosts SSO; identity is centralised in the security project${security ? ` (${security})` : ''}.`,
            { title: `Move sso to ${security ?? 'the security project'}.` }));
        }
        for (const name of Object.keys(p.keys ?? {})) {
          out.push(finding(workloadSeparation, keyAt(source, ['projects', pname, 'keys', name]),
            `Key ${pname}/${name} is in environment project ${pname}; keys live in the security project${security ? ` (${security})` : ''}, apart from the workloads they protect.`,
            { title: `Move the key to ${security ?? 'the security project'} and update its references.` }));
        }
      }
    }
    return out;
  },
};

/** A workload's key lives in another project: whoever administers the workload cannot also administer its key. */
const keySeparation: ModelRule = {
  id: 'key-separation',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Separation of duties: the people who run a workload must not also manage the keys that protect its data.',
  fix: 'Host the key in the security project (or a separate organisation for critical workloads) and reference it as security/<key>.',
  check({ model }) {
    const out: Issue[] = [];
    for (const ref of model.references) {
      if (ref.kind !== 'key' || ref.path[0] !== 'projects') continue;
      const workloadProject = String(ref.path[1]);
      const field = String(ref.path[2]);
      if (field !== 'clusters' && field !== 'databases') continue;
      const [keyProject] = ref.target.split('/');
      if (keyProject !== workloadProject || !own(own(model.spec.projects, keyProject)?.keys, ref.target.split('/')[1]!)) continue;
      out.push(finding(keySeparation, { range: ref.range, path: ref.path },
        `${ref.target} is in ${workloadProject}, the same project as the ${field === 'clusters' ? 'cluster' : 'database'} ${workloadProject}/${String(ref.path[3])} that uses it; keys live in a project other than their workloads.`,
        { title: 'Move the key to the security project.' }));
    }
    return out;
  },
};

export const separationRules: ModelRule[] = [workloadSeparation, keySeparation];
