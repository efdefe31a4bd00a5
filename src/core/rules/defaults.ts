import { bundledCatalog, offerOf, type CatalogKind } from '../catalog';
import type { RuleContext } from './rule';

/**
 * The value a fix writes for a type the file must choose (a gateway's, a load balancer's): the first
 * one the zone's catalog lists, else the one the file already uses most (plan checks it against the
 * live catalog), else none, and the fix stays a sentence. Never a type written into the code.
 */
export function catalogDefault(ctx: Pick<RuleContext, 'catalog'>, kind: CatalogKind, zone: string, inUse: readonly string[]): string | undefined {
  const offered = offerOf(ctx.catalog ?? bundledCatalog(), kind, zone)?.values.find((v) => !v.status);
  if (offered) return offered.name;
  const counts = new Map<string, number>();
  for (const v of inUse) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
