import type { DocPath } from '../document';
import type { Issue } from '../issues';
import { bucketName, NAME_PATTERN } from '../schema';
import { renameKey } from './edits';
import { keysOf, entriesOf, finding, keyAt, valueAt, type ModelRule, type RuleContext } from './rule';

const NAMED_FIELDS = [['keys', 'key'], ['secrets', 'secret'], ['clusters', 'cluster'], ['databases', 'database'], ['buckets', 'bucket']] as const;

/**
 * The keys that are names of things created in Scaleway (or referred to by `project/name`) and
 * that NAME_PATTERN refuses. A callback, and paths built only for those: on a file of 37,000
 * projects a generator and a path per name cost more than the check itself.
 */
function invalidNames(ctx: RuleContext, found: (kind: string, name: string, path: DocPath) => void): void {
  const { spec } = ctx.model;
  for (const [pname, p] of entriesOf(spec.projects)) {
    if (!NAME_PATTERN.test(pname)) found('project', pname, ['projects', pname]);
    for (const [field, kind] of NAMED_FIELDS) {
      const named = p[field];
      if (!named) continue;
      for (const name of Object.keys(named)) if (!NAME_PATTERN.test(name)) found(kind, name, ['projects', pname, field, name]);
    }
    for (const [cname, c] of Object.entries(p.clusters ?? {})) {
      for (const pool of Object.keys(c.pools)) if (!NAME_PATTERN.test(pool)) found('pool', pool, ['projects', pname, 'clusters', cname, 'pools', pool]);
    }
  }
  for (const name of keysOf(spec.iam?.applications)) if (!NAME_PATTERN.test(name)) found('application', name, ['iam', 'applications', name]);
}

const nameInvalid: ModelRule = {
  id: 'name-invalid',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Names become Scaleway resource names, tags and `project/name` references: they must be lowercase letters, digits and dashes.',
  fix: 'Rename to lowercase letters, digits and dashes, starting with a letter (at most 63 characters).',
  check(ctx) {
    const out: Issue[] = [];
    invalidNames(ctx, (kind, name, path) => {
      let suggestion: string | undefined | null = null;
      const suggest = () => (suggestion === null ? (suggestion = freeSlug(ctx, path, name)) : suggestion);
      // a schema-valid file cannot refer to an invalid name (references follow the same pattern): renaming the key is the whole fix
      out.push(finding(nameInvalid, keyAt(ctx.source, path),
        () => `Invalid ${kind} name "${name}": use lowercase letters, digits and dashes, starting with a letter (at most 63 characters)${suggest() ? `, such as "${suggest()}"` : ''}.`,
        () => ({ title: suggest() ? `Rename to "${suggest()}"` : 'Rename it.', edits: suggest() ? renameKey(ctx.source, path, suggest()!) : undefined })));
    });
    return out;
  },
};

/** A valid name for an invalid one that no sibling already has (`Dev_Env` → `dev-env`, else `dev-env-2`…). */
function freeSlug(ctx: RuleContext, path: DocPath, name: string): string | undefined {
  const base = slug(name);
  if (!base) return undefined;
  const parent = path.slice(0, -1);
  const taken = (n: string) => n !== name && ctx.source.pair([...parent, n]) !== undefined;
  for (let i = 1; i < 100; i++) {
    const candidate = i === 1 ? base : `${base.slice(0, 60)}-${i}`;
    if (!taken(candidate)) return candidate;
  }
  return undefined;
}

/** `My_Project` → `my-project`; undefined when nothing usable remains. */
function slug(name: string): string | undefined {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63);
  return s && NAME_PATTERN.test(s) ? s : undefined;
}

/**
 * Names that Scaleway needs unique: Private Networks and Public Gateways are matched by name
 * when drift or import finds untagged resources, so two with one name make the match ambiguous;
 * buckets share one global namespace, so two buckets with one name cannot both exist.
 */
const nameDuplicate: ModelRule = {
  id: 'name-duplicate',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Private Network, gateway and bucket names must be unique: import and drift match by name, and bucket names are global.',
  fix: 'Give one of them another `name`.',
  check(ctx) {
    const { spec } = ctx.model;
    const out: Issue[] = [];
    const groups: { kind: string; entries: { name: string; explicit: boolean; path: DocPath; owner: string }[] }[] = [
      { kind: 'Private Network', entries: [] },
      { kind: 'Public Gateway', entries: [] },
      { kind: 'bucket', entries: [] },
    ];
    for (const [pname, p] of entriesOf(spec.projects)) {
      const pn = p.network?.privateNetwork;
      if (pn) groups[0]!.entries.push({ name: pn.name ?? `${pname}-pn`, explicit: pn.name !== undefined, path: ['projects', pname, 'network', 'privateNetwork', ...(pn.name !== undefined ? ['name'] : [])], owner: pname });
      const gw = p.network?.publicGateway;
      if (gw) groups[1]!.entries.push({ name: gw.name ?? `${pname}-gw`, explicit: gw.name !== undefined, path: ['projects', pname, 'network', 'publicGateway', ...(gw.name !== undefined ? ['name'] : [])], owner: pname });
      for (const [bname, b] of Object.entries(p.buckets ?? {})) {
        groups[2]!.entries.push({ name: bucketName(spec.organization.name, pname, bname, b.name), explicit: b.name !== undefined, path: ['projects', pname, 'buckets', bname, ...(b.name !== undefined ? ['name'] : [])], owner: `${pname}/${bname}` });
      }
    }
    for (const { kind, entries } of groups) {
      const seen = new Map<string, (typeof entries)[number]>();
      for (const e of entries) {
        const first = seen.get(e.name);
        if (!first) { seen.set(e.name, e); continue; }
        for (const [it, other] of [[first, e], [e, first]] as const) {
          const at = it.explicit ? valueAt(ctx.source, it.path) : keyAt(ctx.source, it.path);
          out.push(finding(nameDuplicate, at, `${kind} name "${e.name}" is used by both ${it.owner} and ${other.owner}; ${kind === 'bucket' ? 'bucket names are global' : 'names must be unique'}.`,
            { title: `Give ${it.owner}'s ${kind} another name.` }));
        }
      }
    }
    return dedupe(out);
  },
};

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.range.start.line}:${i.range.start.character}:${i.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** S3 bucket naming as Scaleway applies it: 3–63 characters, DNS labels, not an IP address. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const bucketNameInvalid: ModelRule = {
  id: 'bucket-name-invalid',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Object Storage bucket names are DNS names, global across every Scaleway customer.',
  fix: 'Set a DNS-valid `name` (3–63 lowercase letters, digits, dashes), e.g. prefixed with your organisation.',
  check(ctx) {
    const { spec } = ctx.model;
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(spec.projects)) {
      for (const [bname, b] of Object.entries(p.buckets ?? {})) {
        const name = bucketName(spec.organization.name, pname, bname, b.name);
        const problem = bucketProblem(name);
        if (!problem) continue;
        const path: DocPath = ['projects', pname, 'buckets', bname];
        const at = b.name !== undefined ? valueAt(ctx.source, [...path, 'name']) : keyAt(ctx.source, path);
        const origin = b.name !== undefined ? '' : ` (the default <organization>-<project>-<bucket>)`;
        out.push(finding(bucketNameInvalid, at, `Bucket name "${name}"${origin} is not a valid Object Storage name: ${problem}.`,
          { title: 'Set a DNS-valid `name` for the bucket.' }));
      }
    }
    return out;
  },
};

function bucketProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (!BUCKET_NAME.test(name)) return 'use lowercase letters, digits, dashes and dots, starting and ending with a letter or digit';
  if (/\.\.|\.-|-\./.test(name)) return 'dots must separate non-empty labels';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it must not look like an IP address';
  return undefined;
}

export const nameRules: ModelRule[] = [nameInvalid, nameDuplicate, bucketNameInvalid];
