import productCatalogJson from '../../../catalog/product-catalog.json';
import type { CatalogSnapshot, SnapshotAnswer } from '../catalog';

/*
 * Prices and carbon come from Scaleway's public product catalog
 * (GET /product-catalog/v2alpha1/public-catalog/products): a retail price per unit of measure and
 * an estimated kg CO₂e per SKU. Kapsule node types are also priced by the Instance catalog's own
 * `hourly_price` (GET /instance/v1/zones/{zone}/products/servers), which the engine already reads
 * for validation: a second Scaleway answer, never a typed value. Each price keeps its source and date.
 */

/** Hours Scaleway bills in a month (its monthly prices are 730 × the hourly one). */
export const HOURS_PER_MONTH = 730;

/** Where a SKU is sold. */
export interface PriceLocality {
  global?: boolean;
  region?: string;
  zone?: string;
  datacenter?: string;
}

/** One priced SKU. */
export interface PriceEntry {
  sku: string;
  /** The product's name (`POP2-2C-8G`), what a file names. */
  product: string;
  serviceCategory: string;
  productCategory: string;
  locality: PriceLocality;
  /** Euros for one unit of measure (units + nanos of the catalog's Money). */
  eurPerUnit: number;
  /** `hour`, `minute`, `gb`… as the catalog names it, and how many of them the price is for. */
  unit: string;
  unitSize: number;
  /** Estimated kg CO₂e for one unit of measure, when the catalog gives it. */
  kgCo2ePerUnit?: number;
  status?: string;
  /** Which answer it comes from (product catalog or instance catalog). */
  from: 'product-catalog' | 'instance-catalog';
}

/** Every price the engine knows, with its provenance. */
export interface PriceBook {
  origin: 'snapshot' | 'live';
  /** `YYYY-MM-DD` of the product catalog answer (recorded, or read live). */
  date: string;
  /** True when the date is inferred from the recording's context rather than stated by it. */
  dateInferred?: boolean;
  source: string;
  /** Products the real answer counted (`total_count`), against the ones held here. */
  totalCount?: number;
  entries: PriceEntry[];
  /** Instance catalog prices (Kapsule nodes): date and source per zone. */
  instanceSources: Record<string, { date: string; source: string }>;
}

export const PRODUCT_CATALOG_KEY = 'GET /product-catalog/v2alpha1/public-catalog/products';

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Scaleway's Money (`{ currency_code, units, nanos }`) in euros; undefined when not EUR or malformed. */
function moneyEur(money: unknown): number | undefined {
  const m = rec(money);
  if (m.currency_code !== undefined && m.currency_code !== 'EUR') return undefined;
  const units = num(m.units) ?? 0;
  const nanos = num(m.nanos) ?? 0;
  if (num(m.units) === undefined && num(m.nanos) === undefined) return undefined;
  return units + nanos / 1e9;
}

/** The priced products of one catalog answer (Scaleway's JSON, snake_case); unpriced products are left out. */
export function parseProductCatalog(body: unknown): PriceEntry[] {
  const out: PriceEntry[] = [];
  const products = rec(body).products;
  if (!Array.isArray(products)) return out;
  for (const raw of products) {
    const p = rec(raw);
    const eur = moneyEur(rec(p.price).retail_price);
    const uom = rec(p.unit_of_measure);
    if (eur === undefined || !str(p.sku) || !str(p.product) || !str(uom.unit)) continue;
    const env = rec(p.environmental_impact_estimation);
    const loc = rec(p.locality);
    const kg = num(env.kg_co2_equivalent);
    out.push({
      sku: str(p.sku),
      product: str(p.product),
      serviceCategory: str(p.service_category),
      productCategory: str(p.product_category),
      locality: {
        ...(loc.global === true ? { global: true } : {}),
        ...(str(loc.region) ? { region: str(loc.region) } : {}),
        ...(str(loc.zone) ? { zone: str(loc.zone) } : {}),
        ...(str(loc.datacenter) ? { datacenter: str(loc.datacenter) } : {}),
      },
      eurPerUnit: eur,
      unit: str(uom.unit),
      unitSize: num(uom.size) && num(uom.size)! > 0 ? num(uom.size)! : 1,
      ...(kg !== undefined ? { kgCo2ePerUnit: kg } : {}),
      ...(str(p.status) ? { status: str(p.status) } : {}),
      from: 'product-catalog',
    });
  }
  return out;
}

/** Kapsule node prices from Instance catalog answers (`servers` map with `hourly_price`). */
function parseInstancePrices(body: unknown, zone: string): PriceEntry[] {
  const servers = rec(rec(body).servers);
  return Object.entries(servers).flatMap(([name, raw]) => {
    const hourly = num(rec(raw).hourly_price);
    if (hourly === undefined) return [];
    return [{ sku: `instance:${name}:${zone}`, product: name, serviceCategory: 'Compute', productCategory: 'Instance', locality: { zone }, eurPerUnit: hourly, unit: 'hour', unitSize: 1, from: 'instance-catalog' as const }];
  });
}

const INSTANCE_KEY = /^GET \/instance\/v1\/zones\/([^/?]+)\/products\/servers(\?.*)?$/;

/**
 * The price book from a product catalog snapshot and the instance catalog snapshot (the
 * `catalog/` files, or the same shapes read live). A zone whose instance answer stands in for
 * another (`sameAs`) is priced by it, and says so in its source.
 */
export function buildPriceBook(productSnapshot: CatalogSnapshot, instanceSnapshot?: CatalogSnapshot, origin: PriceBook['origin'] = 'snapshot'): PriceBook {
  const answer: SnapshotAnswer | undefined = productSnapshot.answers[PRODUCT_CATALOG_KEY];
  const entries = answer?.body ? parseProductCatalog(answer.body) : [];
  const instanceSources: PriceBook['instanceSources'] = {};
  for (const [key, a] of Object.entries(instanceSnapshot?.answers ?? {})) {
    const m = INSTANCE_KEY.exec(key);
    if (!m) continue;
    const zone = m[1]!;
    const target = a.sameAs ? instanceSnapshot!.answers[a.sameAs] : a;
    if (!target?.body) continue;
    for (const e of parseInstancePrices(target.body, zone)) if (!entries.some((x) => x.sku === e.sku)) entries.push(e);
    instanceSources[zone] = {
      date: target.recordedAt ?? instanceSnapshot!.takenAt,
      source: `${target.source ?? key}${a.sameAs ? ` (the answer recorded for ${INSTANCE_KEY.exec(a.sameAs)?.[1] ?? a.sameAs}, standing in for ${zone})` : ''}`,
    };
  }
  const extra = answer as (SnapshotAnswer & { recordedAtNote?: string }) | undefined;
  const total = num(rec(answer?.body).total_count);
  return {
    origin,
    date: answer?.recordedAt ?? productSnapshot.takenAt,
    ...(extra?.recordedAtNote ? { dateInferred: true } : {}),
    source: answer?.source ?? 'no product catalog answer',
    ...(total !== undefined ? { totalCount: total } : {}),
    entries,
    instanceSources,
  };
}

/** The product catalog snapshot that ships with the extension and the CLI. */
export function bundledProductCatalog(): CatalogSnapshot {
  return productCatalogJson as unknown as CatalogSnapshot;
}

/** The price of a Kapsule node type in a zone: the product catalog first, then the instance catalog. */
export function nodeTypePrice(book: PriceBook, nodeType: string, zone: string): PriceEntry | undefined {
  const want = nodeType.toUpperCase();
  const ofType = book.entries.filter((e) => e.productCategory === 'Instance' && e.product.toUpperCase() === want && (e.unit === 'hour' || e.unit === 'minute'));
  const inZone = ofType.filter((e) => e.locality.zone === zone);
  return inZone.find((e) => e.from === 'product-catalog') ?? inZone.find((e) => e.from === 'instance-catalog');
}

/** Euros per hour of one entry priced by time; undefined for other units. */
export function hourlyEur(e: PriceEntry): number | undefined {
  if (e.unit === 'hour') return e.eurPerUnit / e.unitSize;
  if (e.unit === 'minute') return (e.eurPerUnit / e.unitSize) * 60;
  return undefined;
}

/** kg CO₂e per hour of one entry priced by time. */
export function hourlyKgCo2e(e: PriceEntry): number | undefined {
  if (e.kgCo2ePerUnit === undefined) return undefined;
  if (e.unit === 'hour') return e.kgCo2ePerUnit / e.unitSize;
  if (e.unit === 'minute') return (e.kgCo2ePerUnit / e.unitSize) * 60;
  return undefined;
}

/** `€0.0735/h (product catalog 2026-08-14)` for completion and hover. */
export function describePrice(book: PriceBook, e: PriceEntry): string {
  const h = hourlyEur(e);
  const kg = hourlyKgCo2e(e);
  const when = e.from === 'product-catalog' ? `product catalog ${book.date}${book.dateInferred ? ' (inferred)' : ''}` : `instance catalog ${book.instanceSources[e.locality.zone ?? '']?.date ?? ''}`.trim();
  return `${h !== undefined ? `€${round(h, 5)}/h, €${round(h * HOURS_PER_MONTH, 2)}/month` : `€${e.eurPerUnit} per ${e.unitSize} ${e.unit}`}${kg !== undefined ? `, ${round(kg * HOURS_PER_MONTH, 3)} kg CO₂e/month` : ''} (${when})`;
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  // 0.0735 × 730 is 53.654999… in binary: round the decimal value people would compute
  return Math.round(Number((v * f).toPrecision(12))) / f;
}
