import { findOffered, kubernetesMinors, offerOf, type Catalog, type CatalogKind, type Offer, type OfferedValue } from './catalog';
import type { DocPath } from './document';

/*
 * Which fields of landing-zone.yaml name a value from a Scaleway catalog, and in which region or
 * zone that value must be offered. Rules, completion, hover and the plan-time check share this.
 */

export interface CatalogField {
  kind: CatalogKind;
  /** Path pattern; `*` matches any key or index. */
  pattern: readonly string[];
  /** For messages: "Kapsule node type". */
  what: string;
  scope: 'region' | 'zone' | 'global';
}

export const CATALOG_FIELDS: readonly CatalogField[] = [
  { kind: 'kubernetes-versions', pattern: ['projects', '*', 'clusters', '*', 'version'], what: 'Kubernetes version', scope: 'region' },
  { kind: 'instance-types', pattern: ['projects', '*', 'clusters', '*', 'pools', '*', 'nodeType'], what: 'Kapsule node type', scope: 'zone' },
  { kind: 'database-engines', pattern: ['projects', '*', 'databases', '*', 'engine'], what: 'Managed Database engine', scope: 'region' },
  { kind: 'database-node-types', pattern: ['projects', '*', 'databases', '*', 'nodeType'], what: 'Managed Database node type', scope: 'region' },
  { kind: 'lb-types', pattern: ['projects', '*', 'clusters', '*', 'loadBalancer', 'type'], what: 'Load Balancer type', scope: 'zone' },
  { kind: 'gateway-types', pattern: ['projects', '*', 'network', 'publicGateway', 'type'], what: 'Public Gateway type', scope: 'zone' },
  { kind: 'permission-sets', pattern: ['iam', 'applications', '*', 'policy', '*', 'permissionSets', '*'], what: 'IAM permission set', scope: 'global' },
];

/** The catalog field at a path, if any. */
export function catalogFieldAt(path: DocPath): CatalogField | undefined {
  return CATALOG_FIELDS.find((f) => f.pattern.length === path.length && f.pattern.every((p, i) => p === '*' || p === String(path[i])));
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * The region or zone a field's value must be offered in, from the document (raw or resolved):
 * a pool's zone, else its project's, else the defaults. `global` for organisation-wide catalogs.
 */
export function localityOf(root: unknown, path: DocPath, field: CatalogField): string | undefined {
  if (field.scope === 'global') return 'global';
  const r = rec(root);
  const defaults = rec(r.defaults);
  const project = path[0] === 'projects' ? rec(rec(r.projects)[String(path[1])]) : {};
  if (field.scope === 'region') return text(project.region) ?? text(defaults.region);
  const poolZone = field.kind === 'instance-types' ? text(rec(rec(rec(rec(rec(project.clusters)[String(path[3])]).pools)[String(path[5])])).zone) : undefined;
  return poolZone ?? text(project.zone) ?? text(defaults.zone);
}

/** What a field may hold: Kubernetes minors for versions, else the offered names. */
export function fieldValues(field: CatalogField, offer: Offer): OfferedValue[] {
  if (field.kind !== 'kubernetes-versions') return offer.values;
  return kubernetesMinors(offer).map((minor) => {
    const patches = offer.values.filter((v) => v.name.startsWith(`${minor}.`)).map((v) => v.name);
    return { name: minor, detail: `patches offered: ${patches.join(', ')}` };
  });
}

/** Whether a value is offered for a field (a Kubernetes minor, or one of its offered patches). */
export function isOffered(field: CatalogField, offer: Offer, value: string): boolean {
  if (field.kind === 'kubernetes-versions') return kubernetesMinors(offer).includes(value) || offer.values.some((v) => v.name === value);
  return findOffered(field.kind, offer, value) !== undefined;
}

/** The offer for a field at a path of a document, when the catalog has one. */
export function offerAt(catalog: Catalog, root: unknown, path: DocPath): { field: CatalogField; locality: string; offer: Offer | undefined } | undefined {
  const field = catalogFieldAt(path);
  if (!field) return undefined;
  const locality = localityOf(root, path, field);
  if (!locality) return undefined;
  return { field, locality, offer: offerOf(catalog, field.kind, locality) };
}
