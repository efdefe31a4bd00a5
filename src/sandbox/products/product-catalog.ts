import productCatalogJson from '../../../catalog/product-catalog.json';
import { ok, type Ctx, type Route } from '../context';
import { invalidArguments } from '../errors';
import type { Json, JsonObject } from '../json';

/*
 * Scaleway's public product catalog (GET /product-catalog/v2alpha1/public-catalog/products) as
 * recorded: the products of catalog/product-catalog.json, filtered and paged the way the API
 * documents its query (product_types, zone, region, page, page_size). The recording is an excerpt
 * of the real answer; total_count counts what is served here, so a client that pages to the end
 * stops. The real endpoint needs no key; like every route of the sandbox, this one asks for one.
 */

interface RecordedProducts {
  answers: Record<string, { body?: { products?: Json[] } }>;
}

const KEY = 'GET /product-catalog/v2alpha1/public-catalog/products';

/** The product_types filter's values and the product_category they select (as the API names them). */
const CATEGORY_OF_TYPE: Record<string, string> = {
  instance: 'Instance',
  apple_silicon: 'Apple Silicon',
  elastic_metal: 'Elastic Metal',
  dedibox: 'Dedibox',
  block_storage: 'Block Storage',
  object_storage: 'Object Storage',
};

const intParam = (ctx: Ctx, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
  const raw = ctx.query.get(name);
  const n = raw === null || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidArguments([{ argument_name: name, reason: 'constraint', help_message: `${name} must be an integer between 1 and ${max}` }]);
  return n;
};

function list(ctx: Ctx, products: readonly JsonObject[]) {
  const types = ctx.query.getAll('product_types').filter((t) => t !== '' && t !== 'unknown_product_type');
  for (const t of types) {
    if (!(t in CATEGORY_OF_TYPE)) throw invalidArguments([{ argument_name: 'product_types', reason: 'constraint', help_message: `unknown product type "${t}"` }]);
  }
  const zone = ctx.query.get('zone');
  const region = ctx.query.get('region');
  const matches = products.filter((p) => {
    const loc = (p.locality ?? {}) as JsonObject;
    if (types.length > 0 && !types.some((t) => CATEGORY_OF_TYPE[t] === p.product_category)) return false;
    if (zone && loc.zone !== zone) return false;
    if (region && loc.region !== region && !(typeof loc.zone === 'string' && loc.zone.startsWith(`${region}-`))) return false;
    return true;
  });
  const page = intParam(ctx, 'page', 1);
  const size = intParam(ctx, 'page_size', 50, 1000);
  return ok({ products: matches.slice((page - 1) * size, page * size), total_count: matches.length });
}

/** The product catalog route; `recorded` defaults to the bundled snapshot. */
export function productCatalogRoutes(recorded: RecordedProducts = productCatalogJson as unknown as RecordedProducts): Route[] {
  const products = ((recorded.answers[KEY]?.body?.products ?? []) as Json[]).filter((p): p is JsonObject => !!p && typeof p === 'object' && !Array.isArray(p));
  return [
    { method: 'GET', pattern: '/product-catalog/v2alpha1/public-catalog/products', product: 'ProductCatalog', handler: (ctx) => list(ctx, products) },
  ];
}
