import { bundledCatalog, CATALOG_KINDS, offerDate, type Catalog } from '../catalog';
import { fieldValues, isOffered, offerAt } from '../catalog-fields';
import type { DocPath } from '../document';
import type { Range } from '../issues';
import { describeSymbol, liveMarkdown, resourceIdOf, type LiveLookups } from './describe';
import { symbolAt } from './navigation';
import { fieldDocAt, fieldMarkdown } from './schema-docs';
import { PROJECT_PARTS, type SymbolIndex } from './symbol-index';

export interface LzHover {
  /** Markdown. */
  markdown: string;
  range?: Range;
}

/**
 * Hover at an offset: on a reference, what it points to; on a definition, what it is (a secret's
 * version metadata, a resource's live state once drift has run); elsewhere the field's documentation.
 */
export function hoverAt(index: SymbolIndex, offset: number, live: LiveLookups = {}): LzHover | undefined {
  const hit = symbolAt(index, offset);
  const range = hit ? index.source.range(hit.start, hit.end) : undefined;
  if (hit?.reference) {
    if (!hit.symbol) return { markdown: `\`${hit.id}\`: no ${hit.kind} of that name is defined in this file.`, range };
    return { markdown: `${hit.reference.field} → ${describeSymbol(hit.symbol, live)}`, range };
  }
  if (hit?.symbol) return { markdown: describeSymbol(hit.symbol, live), range };

  const { path, onKey } = index.source.pathAt(offset);
  if (path.length === 0) return undefined;
  const doc = fieldDocAt(path);
  const parts: string[] = [];
  if (doc && (doc.description || doc.examples.length)) parts.push(`**${String(path[path.length - 1])}** — ${fieldMarkdown(doc)}`);
  const offered = catalogMarkdown(bundledCatalog(), index.source.value, path, index.source.node(path));
  if (offered) parts.push(offered);
  // Inside a resource: its live state, when drift has run.
  const owner = ownerResource(path);
  const state = owner && live.resource?.(owner);
  if (state) parts.push(liveMarkdown(owner, state));
  if (parts.length === 0) return undefined;
  const pair = onKey ? index.source.keyRangeOf(path) : index.source.rangeOf(path);
  return { markdown: parts.join('\n\n'), range: pair };
}

/** The resource that owns a path (`projects.prod.clusters.apps.version` → `prod/cluster/apps`). */
function ownerResource(path: readonly (string | number)[]): string | undefined {
  if (path[0] === 'projects' && typeof path[1] === 'string') {
    const part = PROJECT_PARTS.find((p) => p.field === path[2]);
    if (part && typeof path[3] === 'string') return resourceIdOf({ kind: part.kind, name: path[3], project: path[1] });
    return resourceIdOf({ kind: 'project', name: path[1] });
  }
  if (path[0] === 'iam' && path[1] === 'applications' && typeof path[2] === 'string') return resourceIdOf({ kind: 'application', name: path[2] });
  return undefined;
}

/** What the catalog says about a catalog field's value: its CPU/RAM (or status), or what is offered instead. */
function catalogMarkdown(catalog: Catalog, root: unknown, path: DocPath, node?: unknown): string | undefined {
  const at = offerAt(catalog, root, path);
  if (!at) return undefined;
  const { field, locality, offer } = at;
  if (!offer) {
    const why = catalog.missing[field.kind];
    return `${CATALOG_KINDS[field.kind].label} in ${locality}: the offline catalog has no recorded answer${why ? ` (${why})` : ''}; \`landing-zone plan\` checks the value against the account's live catalog.`;
  }
  const raw = node && typeof node === 'object' && 'value' in node ? (node as { value: unknown }).value : undefined;
  const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  const values = fieldValues(field, offer);
  const date = offerDate(catalog, offer);
  if (value !== undefined && isOffered(field, offer, value)) {
    const v = values.find((x) => x.name.toLowerCase() === value.toLowerCase());
    return `**${value}** is offered in ${locality}${v?.detail ? `: ${v.detail}` : ''}${v?.status ? ` (${v.status})` : ''} — ${date}.`;
  }
  const shown = values.slice(0, 20).map((v) => `\`${v.name}\``).join(', ');
  return `Offered in ${locality} (${date}): ${shown}${values.length > 20 ? ` and ${values.length - 20} more` : ''}.`;
}
