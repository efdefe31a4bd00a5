import { bundledCatalog, CATALOG_KINDS, findOffered, nearestVersion, offerDate, offerOf, type Catalog, type CatalogKind } from '../catalog';
import { CATALOG_FIELDS, fieldValues, isOffered, localityOf, type CatalogField } from '../catalog-fields';
import type { DocPath } from '../document';
import type { Issue } from '../issues';
import { closest } from '../schema-issues';
import { replaceValue } from './edits';
import { entriesOf, finding, list, valueAt, type ModelRule, type RuleContext } from './rule';

/*
 * Values that Scaleway must offer, checked against its catalogs: the bundled snapshot while you
 * type and in `validate`, the live catalogs of the account at plan time. A value the catalog does
 * not offer is an error that names the offered values and the catalog's date. A catalog without
 * an answer for a region or zone checks nothing there (plan says what it could not check).
 */

/** A rule that checks one catalog. */
export interface CatalogRule extends ModelRule {
  catalogKind: CatalogKind;
}

/** Every place in the (resolved) document a pattern matches, with its value. */
function matches(root: unknown, pattern: readonly string[]): [DocPath, unknown][] {
  const out: [DocPath, unknown][] = [];
  // A fixed step is one property lookup, not a walk over every field: six catalog rules walk
  // every project of the file with this, so it allocates nothing for what does not match.
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (path.length === pattern.length) {
      out.push([[...path], node]);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const step = pattern[path.length]!;
    if (Array.isArray(node)) {
      node.forEach((v, i) => { if (step === '*' || step === String(i)) { path.push(i); walk(v, path); path.pop(); } });
    } else if (step === '*') {
      for (const [k, v] of entriesOf(node as Record<string, unknown>)) {
        path.push(k);
        walk(v, path);
        path.pop();
      }
    } else if (Object.prototype.hasOwnProperty.call(node, step)) {
      path.push(step);
      walk((node as Record<string, unknown>)[step], path);
      path.pop();
    }
  };
  walk(root, []);
  return out;
}

/** The offered values a message names: all of them when few, else the closest ones and a count. */
function offeredText(values: readonly string[], value: string): string {
  if (values.length <= 12) return list([...values]);
  const near = [...values].sort((a, b) => distance(value, a) - distance(value, b)).slice(0, 10);
  return `${near.join(', ')} and ${values.length - near.length} more`;
}

function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** `PostgreSQL-13` → the same engine's nearest offered version (`PostgreSQL-14`). */
function nearestEngine(names: readonly string[], value: string): string | undefined {
  const m = /^(.*)-(\d+(?:\.\d+)?)$/.exec(value);
  if (!m) return closest(value, names);
  const same = names.filter((n) => n.toLowerCase().startsWith(`${m[1]!.toLowerCase()}-`));
  const version = Number(m[2]);
  const num = (n: string) => Number(n.slice(n.lastIndexOf('-') + 1));
  return [...same].sort((a, b) => Math.abs(num(a) - version) - Math.abs(num(b) - version) || num(b) - num(a))[0] ?? closest(value, names);
}

/** The findings of one catalog field in a document, against a catalog. */
function checkField(rule: CatalogRule, field: CatalogField, ctx: RuleContext, catalog: Catalog): Issue[] {
  const out: Issue[] = [];
  for (const [path, raw] of matches(ctx.model.spec, field.pattern)) {
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const value = String(raw);
    const locality = localityOf(ctx.model.spec, path, field);
    const offer = locality ? offerOf(catalog, field.kind, locality) : undefined;
    if (!offer || isOffered(field, offer, value)) continue;
    const names = fieldValues(field, offer).map((v) => v.name);
    const where = field.scope === 'global' ? '' : ` in ${locality}`;
    let target: string | undefined;
    let hint = '';
    if (field.kind === 'kubernetes-versions') {
      target = nearestVersion(names, value);
    } else if (field.kind === 'database-engines') {
      target = nearestEngine(names, value);
    } else {
      target = closest(value, names) ?? names.find((n) => n.toLowerCase() === value.toLowerCase());
      if (field.kind === 'instance-types' || field.kind === 'database-node-types') {
        const otherKind = field.kind === 'instance-types' ? 'database-node-types' : 'instance-types';
        // a Kapsule type in a database (or the reverse) is a common slip: say so, and offer its DB- twin
        if (Object.values(catalog.offers[otherKind] ?? {}).some((o) => findOffered(otherKind, o, value))) {
          hint = ` ${value} is a ${field.kind === 'instance-types' ? 'Managed Database' : 'Kapsule'} node type.`;
          const twin = field.kind === 'database-node-types' ? `DB-${value}` : value.replace(/^DB-/i, '');
          target = names.find((n) => n.toLowerCase() === twin.toLowerCase()) ?? target;
        }
      }
    }
    const message = `${field.what} ${JSON.stringify(value)} is not offered${where}; offered: ${offeredText(names, value)} (${offerDate(catalog, offer)}).${hint}${target ? ` Nearest: ${target}.` : ''}`;
    const newText = field.kind === 'kubernetes-versions' && target ? `"${target}"` : target;
    out.push(finding(rule, valueAt(ctx.source, path), message,
      newText ? { title: `Change to ${target}`, edits: replaceValue(ctx.source, path, newText) } : { title: `Use one of ${offeredText(names, value)}` }));
  }
  return out;
}

function catalogRule(id: string, kinds: CatalogKind[], why: string, fix: string): CatalogRule {
  const rule: CatalogRule = {
    id,
    layer: 'semantic',
    input: 'model',
    severity: 'error',
    why,
    fix,
    catalogKind: kinds[0]!,
    check(ctx) {
      const catalog = ctx.catalog ?? bundledCatalog();
      return CATALOG_FIELDS.filter((f) => kinds.includes(f.kind)).flatMap((f) => checkField(rule, f, ctx, catalog));
    },
  };
  return rule;
}

const kubernetesVersion = catalogRule('kubernetes-version', ['kubernetes-versions'],
  'Kapsule creates clusters only in the Kubernetes versions its catalog offers in the region (GET /k8s/v1/regions/{region}/versions).',
  'Use a minor version whose patches Kapsule offers in the region; the quick fix picks the nearest.');
const nodeTypeUnknown = catalogRule('node-type-unknown', ['instance-types', 'database-node-types'],
  'A node type that Scaleway does not offer in the zone or region fails in the middle of an apply.',
  'Use a node type from the catalog (Instance types for Kapsule pools, RDB node types for Managed Databases).');
const databaseEngine = catalogRule('database-engine', ['database-engines'],
  'Managed Databases create instances only in the engine versions their catalog offers (disabled ones are refused).',
  'Use an engine version from the catalog, such as PostgreSQL-16.');
const gatewayType = catalogRule('gateway-type', ['gateway-types'],
  'Public Gateways are created only with a type the zone offers (GET /vpc-gw/v2/zones/{zone}/gateway-types).',
  'Use a Public Gateway type from the catalog, such as VPC-GW-S.');
const loadBalancerType = catalogRule('load-balancer-type', ['lb-types'],
  'Load Balancers are created only with a type the zone offers (GET /lb/v1/zones/{zone}/lb-types).',
  'Use a Load Balancer type from the catalog, such as LB-S.');
const permissionSet = catalogRule('permission-set', ['permission-sets'],
  'IAM refuses a policy rule whose permission set does not exist (GET /iam/v1alpha1/permission-sets).',
  'Use a permission set name from the IAM catalog, such as VPCFullAccess.');

/** The rules that check values against Scaleway's catalogs (plan time runs them with the live catalogs). */
export const catalogRules: CatalogRule[] = [kubernetesVersion, nodeTypeUnknown, databaseEngine, gatewayType, loadBalancerType, permissionSet];

/** For the plan-time check: which catalogs a document needs, per region/zone. */
export function catalogNeeds(spec: unknown): { kind: CatalogKind; locality: string }[] {
  const needs = new Map<string, { kind: CatalogKind; locality: string }>();
  for (const field of CATALOG_FIELDS) {
    for (const [path] of matches(spec, field.pattern)) {
      const locality = localityOf(spec, path, field);
      if (locality) needs.set(`${field.kind} ${locality}`, { kind: field.kind, locality });
    }
  }
  return [...needs.values()];
}

/** The catalog findings of a validated document against a catalog (plan time passes the live one). */
export function catalogIssues(model: RuleContext['model'], source: RuleContext['source'], catalog: Catalog, now: Date = new Date()): Issue[] {
  return catalogRules.flatMap((r) => r.check({ model, source, now, catalog }));
}
