import type { Issue } from '../issues';
import { durationSeconds } from '../schema';
import { replaceValue } from './edits';
import { entriesOf, finding, own, valueAt, type ModelRule } from './rule';

const DAY = 86400;

const keyRotation: ModelRule = {
  id: 'key-rotation',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Key Manager rotates keys at most every 365 days and at least every day.',
  fix: 'Set rotationPeriod between 1d and 365d (90d to 180d is typical).',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      for (const [kname, k] of Object.entries(p.keys ?? {})) {
        const s = durationSeconds(k.rotationPeriod);
        if (s === undefined || (s >= DAY && s <= 365 * DAY)) continue;
        const path = ['projects', pname, 'keys', kname, 'rotationPeriod'];
        const target = s < DAY ? '1d' : '365d';
        out.push(finding(keyRotation, valueAt(source, path), `Key ${pname}/${kname}: rotationPeriod ${k.rotationPeriod} is ${s < DAY ? 'shorter than a day' : 'longer than 365 days'}.`,
          { title: `Change to ${target}`, edits: replaceValue(source, path, target) }));
      }
    }
    return out;
  },
};

/** A grace period as long as the rotation period would keep two "previous" versions enabled. */
const secretRotation: ModelRule = {
  id: 'secret-rotation',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'The previous version must be disabled before the next rotation, so the grace period is shorter than the rotation period.',
  fix: 'Make rotation.gracePeriod shorter than rotation.every.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      for (const [sname, s] of Object.entries(p.secrets ?? {})) {
        const r = s.rotation;
        if (!r?.every) continue;
        const every = durationSeconds(r.every);
        const grace = durationSeconds(r.gracePeriod);
        if (every === undefined || grace === undefined || grace < every) continue;
        const path = ['projects', pname, 'secrets', sname, 'rotation', 'gracePeriod'];
        out.push(finding(secretRotation, valueAt(source, path), `Secret ${pname}/${sname}: gracePeriod ${r.gracePeriod} is not shorter than the rotation period ${r.every}.`,
          { title: 'Shorten the grace period' }));
      }
    }
    return out;
  },
};

/** Secret Manager and column encryption use data keys: only symmetric keys can do that. */
const keyUsage: ModelRule = {
  id: 'key-usage',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Secret Manager and application data encryption need a symmetric_encryption key.',
  fix: 'Point encryptionKey at a key with usage: symmetric_encryption.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const ref of model.references) {
      if (ref.kind !== 'key' || ref.field !== 'encryptionKey') continue;
      // Direct lookup: resolveReference scans every symbol, which is quadratic on large files.
      const [project, name] = ref.target.split('/');
      const spec = own(own(model.spec.projects, project!)?.keys, name!);
      if (!spec || spec.usage === 'symmetric_encryption') continue;
      out.push(finding(keyUsage, valueAt(source, ref.path), `encryptionKey: ${ref.target} is an ${spec.usage} key; encryption of secrets and data needs a symmetric_encryption key.`,
        { title: 'Use a symmetric_encryption key' }));
    }
    return out;
  },
};

export const keySecretRules: ModelRule[] = [keyRotation, secretRotation, keyUsage];
