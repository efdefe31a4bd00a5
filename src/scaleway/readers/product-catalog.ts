import type { CatalogSnapshot } from '../../core/catalog';
import { PRODUCT_CATALOG_KEY } from '../../core/cost/price-book';
import type { ScalewayClients } from '../client';

/*
 * Scaleway's public product catalog, read live through @scaleway/sdk (ProductCatalog.v2alpha1).
 * Only the product types the estimator prices are asked for (Instance: Kapsule node types), so a
 * read is a few pages instead of the whole catalog's ~55. The answer comes back in the snapshot's
 * shape (Scaleway's snake_case JSON), so the live and the bundled catalogs go through one parser.
 */

/** The SDK answers in camelCase with Dates; the price parser reads Scaleway's JSON. */
function toWire(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toWire);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[/^[a-z][a-zA-Z0-9]*$/.test(k) ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k] = toWire(x);
  }
  return out;
}

/**
 * The live product catalog of the regions given (the SDK filters by one region, the client's
 * default when none is named), merged into a one-answer snapshot dated `today`, or the reason it
 * could not be read.
 */
export async function readProductCatalog(c: ScalewayClients, regions: readonly string[], today: string): Promise<{ snapshot: CatalogSnapshot } | { error: string }> {
  try {
    const bySku = new Map<string, unknown>();
    for (const region of [...new Set(regions)]) {
      const products = await c.productCatalog.listPublicCatalogProducts({ productTypes: ['instance'], region: region as never }).all();
      for (const p of products) if (!bySku.has(p.sku)) bySku.set(p.sku, toWire(p));
    }
    const body = { products: [...bySku.values()], total_count: bySku.size };
    return { snapshot: { takenAt: today, answers: { [PRODUCT_CATALOG_KEY]: { source: `${c.profile.apiUrl ?? 'https://api.scaleway.com'} (${[...new Set(regions)].join(', ')}) read ${today}`, recordedAt: today, body } } } };
  } catch (err) {
    const e = err as { status?: number; message?: string };
    return { error: `the product catalog could not be read (${e.status ? `status ${e.status}: ` : ''}${e.message ?? String(err)})` };
  }
}

/**
 * The Instance catalog answers of the zones given (Kapsule node prices), keyed like the bundled
 * snapshot; a zone that cannot be read is left out and named in `unread`.
 */
export async function readInstancePrices(c: ScalewayClients, zones: readonly string[], today: string): Promise<{ snapshot: CatalogSnapshot; unread: string[] }> {
  const snapshot: CatalogSnapshot = { takenAt: today, answers: {} };
  const unread: string[] = [];
  await Promise.all([...new Set(zones)].map(async (zone) => {
    try {
      const servers: Record<string, unknown> = {};
      // Instance pages with per_page (at most 100): read pages until one comes back short
      for (let page = 1; page <= 20; page++) {
        const r = await c.instance.listServersTypes({ zone: zone as never, perPage: 100, page });
        Object.assign(servers, toWire(r.servers) as Record<string, unknown>);
        if (Object.keys(r.servers).length < 100) break;
      }
      snapshot.answers[`GET /instance/v1/zones/${zone}/products/servers`] = { source: `Instance catalog of ${zone} read ${today}`, recordedAt: today, body: { servers } };
    } catch (err) {
      unread.push(`instance catalog of ${zone}: ${(err as Error).message}`);
    }
  }));
  return { snapshot, unread };
}
