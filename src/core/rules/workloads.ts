import type { Issue } from '../issues';
import { replaceValue, setKey } from './edits';
import { entriesOf, finding, keyAt, valueAt, type ModelRule } from './rule';

const autoscaleBounds: ModelRule = {
  id: 'autoscale-bounds',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Kapsule rejects a pool whose size is outside its autoscaling bounds, or whose min exceeds its max.',
  fix: 'Keep autoscale.min ≤ size ≤ autoscale.max.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
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

/** Clusters and databases attach to their project's Private Network: without one they cannot be created as designed. */
const workloadNeedsNetwork: ModelRule = {
  id: 'workload-needs-network',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Clusters and databases live on their project\'s Private Network; a project without one cannot hold them.',
  fix: 'Add a network (privateNetwork and publicGateway) to the project.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
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

const objectLockVersioning: ModelRule = {
  id: 'object-lock-versioning',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Object Storage enables object lock only on versioned buckets.',
  fix: 'Set versioning: true on the bucket.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
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

export const workloadRules: ModelRule[] = [autoscaleBounds, workloadNeedsNetwork, objectLockVersioning];
