import type { Issue } from '../issues';
import { replaceValue } from './edits';
import { entriesOf, finding, list, own, valueAt, type ModelRule } from './rule';

/** Consumers read a pinned version, so a rotation is a reviewed change, never a surprise. */
const secretPinned: ModelRule = {
  id: 'secret-pinned',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Secrets are referenced by version number, never `latest`: a new version must not change what running consumers read.',
  fix: 'Replace `latest` with the version number consumers read (`scw secret version list`).',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      for (const [sname, s] of Object.entries(p.secrets ?? {})) {
        if (s.version !== 'latest') continue;
        const path = ['projects', pname, 'secrets', sname, 'version'];
        out.push(finding(secretPinned, valueAt(source, path), `Secret ${pname}/${sname} uses version latest; pin the version number its consumers read.`,
          { title: 'Pin version 1 (adjust to the current revision)', edits: replaceValue(source, path, '1') }));
      }
    }
    return out;
  },
};

/** Words that usually join two jobs in one sentence. */
const SEVERAL_JOBS = /\b(and|as well as|plus)\b|;|&/i;

/**
 * One application, one purpose: a key shared by two jobs, or one purpose sentence that lists two,
 * means a leak of one job's key compromises the other.
 */
const iamSinglePurpose: ModelRule = {
  id: 'iam-single-purpose',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'API keys are single-purpose: one application, one job, one key, so a leaked key compromises one job only.',
  fix: 'Split the application into one per job, each with its own API key secret.',
  check({ model, source }) {
    const out: Issue[] = [];
    const storedBy = new Map<string, string[]>();
    for (const [aname, app] of entriesOf(model.spec.iam?.applications)) {
      if (SEVERAL_JOBS.test(app.purpose)) {
        out.push(finding(iamSinglePurpose, valueAt(source, ['iam', 'applications', aname, 'purpose']),
          `Application ${aname} states more than one purpose ("and", ";" or "&"); give each job its own application and API key.`,
          { title: 'Split the application into one per job.' }));
      }
      if (app.apiKey) storedBy.set(app.apiKey.storedIn, [...(storedBy.get(app.apiKey.storedIn) ?? []), aname]);
    }
    for (const [secret, apps] of storedBy) {
      if (apps.length < 2) continue;
      for (const aname of apps) {
        out.push(finding(iamSinglePurpose, valueAt(source, ['iam', 'applications', aname, 'apiKey', 'storedIn']),
          `${secret} holds the API key of ${list(apps)}: each application needs its own key, stored in its own secret.`, { title: `Store ${aname}'s key in its own secret.` }, 'error'));
      }
    }
    return out;
  },
};

const iamLeastPrivilege: ModelRule = {
  id: 'iam-least-privilege',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Least privilege: an application\'s rules name the projects it works on, never the whole organisation.',
  fix: 'Replace organization: true with projects: [<the projects it needs>].',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [aname, app] of entriesOf(model.spec.iam?.applications)) {
      app.policy.forEach((rule, i) => {
        const path = ['iam', 'applications', aname, 'policy', i];
        if (rule.organization) {
          out.push(finding(iamLeastPrivilege, valueAt(source, [...path, 'organization']),
            `Application ${aname} is granted ${list(rule.permissionSets)} on the whole organisation; scope the rule to the projects it needs.`,
            { title: 'Scope the rule to projects.' }));
        } else if (!rule.projects || rule.projects.length === 0) {
          out.push(finding(iamLeastPrivilege, valueAt(source, path),
            `Application ${aname}: policy rule ${i + 1} names no project, so it grants nothing (or, if applied at organisation level, everything); list its projects.`,
            { title: 'Add projects: [...] to the rule.' }));
        }
      });
    }
    return out;
  },
};

/** API secret keys live in the vault, which is the security project's Secret Manager. */
const apiKeyInVault: ModelRule = {
  id: 'api-key-in-vault',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'API keys are never in code and are stored centrally, in the security project\'s vault.',
  fix: 'Set apiKey.storedIn to a secret of the security project (security/<secret>).',
  check({ model, source }) {
    const out: Issue[] = [];
    const vaults = entriesOf(model.spec.projects).filter(([, p]) => p.role === 'security').map(([n]) => n);
    for (const [aname, app] of entriesOf(model.spec.iam?.applications)) {
      if (!app.apiKey) continue;
      const [project] = app.apiKey.storedIn.split('/');
      const target = own(model.spec.projects, project!);
      if (!target || target.role === 'security') continue;
      out.push(finding(apiKeyInVault, valueAt(source, ['iam', 'applications', aname, 'apiKey', 'storedIn']),
        `The API key of ${aname} is stored in ${project}, a ${target.role} project; API keys live in the vault of the security project${vaults.length ? ` (${list(vaults, 'or')})` : ''}.`,
        { title: 'Store the key in a secret of the security project.' }));
    }
    return out;
  },
};

const apiKeyExpiry: ModelRule = {
  id: 'api-key-expiry',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'A short-lived API key limits the damage of a leak; rotate at least every 90 days.',
  fix: 'Set apiKey.expiresInDays to 90 or less.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [aname, app] of entriesOf(model.spec.iam?.applications)) {
      if (!app.apiKey || app.apiKey.expiresInDays <= 90) continue;
      const path = ['iam', 'applications', aname, 'apiKey', 'expiresInDays'];
      out.push(finding(apiKeyExpiry, valueAt(source, path), `The API key of ${aname} lives ${app.apiKey.expiresInDays} days; 90 days or less is recommended.`,
        { title: 'Set expiresInDays: 90', edits: replaceValue(source, path, '90') }));
    }
    return out;
  },
};

export const iamRules: ModelRule[] = [secretPinned, iamSinglePurpose, iamLeastPrivilege, apiKeyInVault, apiKeyExpiry];
