import type { Issue } from '../issues';
import { closest } from '../schema-issues';
import { DATABASE_ENGINES, DATABASE_NODE_TYPES, KUBERNETES_VERSIONS, NODE_TYPES } from '../schema';
import { replaceValue, setKey } from './edits';
import { finding, keyAt, list, valueAt, type ModelRule } from './rule';

const LATEST_K8S = KUBERNETES_VERSIONS[KUBERNETES_VERSIONS.length - 1]!;

export const autoscaleBounds: ModelRule = {
  id: 'autoscale-bounds',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Kapsule rejects a pool whose size is outside its autoscaling bounds, or whose min exceeds its max.',
  fix: 'Keep autoscale.min ≤ size ≤ autoscale.max.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        for (const [poolName, pool] of Object.entries(c.pools)) {
          const a = pool.autoscale;
          if (!a) continue;
          const path = ['projects', pname, 'clusters', cname, 'pools', poolName];
          const id = `${pname}/${cname}/${poolName}`;
          if (a.min > a.max) {
            out.push(finding(autoscaleBounds, valueAt(source, [...path, 'autoscale', 'min']), `Pool ${id}: autoscale.min ${a.min} is greater than autoscale.max ${a.max}.`,
              { title: `Set autoscale.min to ${a.max}`, edits: replaceValue(source, [...path, 'autoscale', 'min'], String(a.max)) }));
          } else if (pool.size < a.min || pool.size > a.max) {
            const target = Math.min(Math.max(pool.size, a.min), a.max);
            out.push(finding(autoscaleBounds, valueAt(source, [...path, 'size']), `Pool ${id}: size ${pool.size} is outside its autoscaling bounds ${a.min}–${a.max}.`,
              { title: `Set size to ${target}`, edits: replaceValue(source, [...path, 'size'], String(target)) }));
          }
        }
      }
    }
    return out;
  },
};

/** Unknown offers are warnings, not errors: Scaleway adds types faster than this list grows. */
export const nodeTypeUnknown: ModelRule = {
  id: 'node-type-unknown',
  layer: 'semantic',
  input: 'model',
  severity: 'warning',
  why: 'A misspelt node type fails only at apply time; known types are checked now.',
  fix: 'Use a node type that Scaleway offers for Kapsule pools (PRO2-S…) or Managed Databases (DB-PRO2-XXS…).',
  check({ model, source }) {
    const out: Issue[] = [];
    const check = (value: string, known: readonly string[], path: (string | number)[], what: string) => {
      if (known.includes(value)) return;
      const other = (known === NODE_TYPES ? DATABASE_NODE_TYPES : NODE_TYPES) as readonly string[];
      const suggestion = closest(value, known) ?? (value.toUpperCase() !== value && known.includes(value.toUpperCase()) ? value.toUpperCase() : undefined);
      const misplaced = other.includes(value) ? ` ${value} is a ${known === NODE_TYPES ? 'Managed Database' : 'Kapsule'} node type.` : '';
      out.push(finding(nodeTypeUnknown, valueAt(source, path), `Unknown ${what} node type "${value}".${misplaced}${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        suggestion ? { title: `Change to ${suggestion}`, edits: replaceValue(source, path, suggestion) } : { title: `Use one of ${known.join(', ')}.` }));
    };
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        for (const [poolName, pool] of Object.entries(c.pools)) check(pool.nodeType, NODE_TYPES, ['projects', pname, 'clusters', cname, 'pools', poolName, 'nodeType'], 'Kapsule');
      }
      for (const [dname, d] of Object.entries(p.databases ?? {})) check(d.nodeType, DATABASE_NODE_TYPES, ['projects', pname, 'databases', dname, 'nodeType'], 'Managed Database');
    }
    return out;
  },
};

export const kubernetesVersion: ModelRule = {
  id: 'kubernetes-version',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Kapsule creates clusters only in the Kubernetes minor versions it currently supports.',
  fix: `Use a supported minor version (${KUBERNETES_VERSIONS.join(', ')}).`,
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        if ((KUBERNETES_VERSIONS as readonly string[]).includes(c.version)) continue;
        const path = ['projects', pname, 'clusters', cname, 'version'];
        const [major, minor] = c.version.split('.').map(Number);
        const tooOld = major! < 1 || (major === 1 && minor! < Number(KUBERNETES_VERSIONS[0].split('.')[1]));
        const target = tooOld ? KUBERNETES_VERSIONS[0] : LATEST_K8S;
        out.push(finding(kubernetesVersion, valueAt(source, path),
          `Kubernetes ${c.version} is ${tooOld ? 'no longer' : 'not'} supported by Kapsule; supported: ${list([...KUBERNETES_VERSIONS])}.`,
          { title: `Change to "${target}"`, edits: replaceValue(source, path, `"${target}"`) }));
      }
    }
    return out;
  },
};

export const databaseEngine: ModelRule = {
  id: 'database-engine',
  layer: 'semantic',
  input: 'model',
  severity: 'warning',
  why: 'Managed Databases offer a fixed set of engine versions; others fail at apply time.',
  fix: `Use one of ${DATABASE_ENGINES.join(', ')}.`,
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      for (const [dname, d] of Object.entries(p.databases ?? {})) {
        if ((DATABASE_ENGINES as readonly string[]).includes(d.engine)) continue;
        const path = ['projects', pname, 'databases', dname, 'engine'];
        const suggestion = closest(d.engine, DATABASE_ENGINES);
        out.push(finding(databaseEngine, valueAt(source, path), `Engine ${d.engine} is not offered by Managed Databases; use ${list([...DATABASE_ENGINES], 'or')}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
          suggestion ? { title: `Change to ${suggestion}`, edits: replaceValue(source, path, suggestion) } : undefined));
      }
    }
    return out;
  },
};

/** Clusters and databases attach to their project's Private Network: without one they cannot be created as designed. */
export const workloadNeedsNetwork: ModelRule = {
  id: 'workload-needs-network',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Clusters and databases live on their project\'s Private Network; a project without one cannot hold them.',
  fix: 'Add a network (privateNetwork and publicGateway) to the project.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      if (p.network) continue;
      const kinds = [['clusters', 'cluster'], ['databases', 'database']] as const;
      for (const [field, kind] of kinds) {
        for (const name of Object.keys(p[field] ?? {})) {
          out.push(finding(workloadNeedsNetwork, keyAt(source, ['projects', pname, field, name]),
            `${kind === 'cluster' ? 'Cluster' : 'Database'} ${pname}/${name} needs a Private Network, but project ${pname} has no network.`,
            { title: `Add a network to ${pname}` }));
        }
      }
    }
    return out;
  },
};

export const objectLockVersioning: ModelRule = {
  id: 'object-lock-versioning',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Object Storage enables object lock only on versioned buckets.',
  fix: 'Set versioning: true on the bucket.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      for (const [bname, b] of Object.entries(p.buckets ?? {})) {
        if (!b.objectLock || b.versioning) continue;
        const path = ['projects', pname, 'buckets', bname];
        out.push(finding(objectLockVersioning, valueAt(source, [...path, 'objectLock']), `Bucket ${pname}/${bname} has objectLock without versioning; object lock needs versioning: true.`,
          { title: 'Set versioning: true', edits: setKey(source, path, 'versioning', 'true') }));
      }
    }
    return out;
  },
};

export const workloadRules: ModelRule[] = [autoscaleBounds, nodeTypeUnknown, kubernetesVersion, databaseEngine, workloadNeedsNetwork, objectLockVersioning];
