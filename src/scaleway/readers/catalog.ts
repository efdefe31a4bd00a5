import { httpStatus } from '../../core/errors';
import { redact } from '../../core/redact';
import { CATALOG_KINDS, parseSnapshot, type Catalog, type CatalogKind, type CatalogSnapshot } from '../../core/catalog';
import type { ScalewayClients } from '../client';
import { CredentialsError } from '../profiles';

/*
 * The account's live catalogs, read through @scaleway/sdk at plan time for the regions and zones
 * the file uses. A catalog that cannot be read is reported as not checked, with the reason; it is
 * never taken as "everything is offered".
 */

/** What plan time read, and what it could not. */
export interface LiveCatalog {
  catalog: Catalog;
  /** One line per catalog that could not be read: which, where, and why. */
  unread: string[];
}

/** The SDK answers in camelCase with Dates; the catalog parser reads Scaleway's JSON (snake_case). */
function toWire(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toWire);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // map keys such as instance type names (`PRO2-S`) stay as they are
    out[/^[a-z][a-zA-Z0-9]*$/.test(k) ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k] = toWire(x);
  }
  return out;
}

/** The snapshot key of a catalog answer (same keys as catalog/scaleway-catalog.json). */
function catalogKey(kind: CatalogKind, locality: string): string {
  switch (kind) {
    case 'kubernetes-versions': return `GET /k8s/v1/regions/${locality}/versions`;
    case 'instance-types': return `GET /instance/v1/zones/${locality}/products/servers`;
    case 'database-engines': return `GET /rdb/v1/regions/${locality}/database-engines`;
    case 'database-node-types': return `GET /rdb/v1/regions/${locality}/node-types`;
    case 'lb-types': return `GET /lb/v1/zones/${locality}/lb-types`;
    case 'gateway-types': return `GET /vpc-gw/v2/zones/${locality}/gateway-types`;
    case 'permission-sets': return 'GET /iam/v1alpha1/permission-sets';
    case 'function-runtimes': return `GET /functions/v1beta1/regions/${locality}/runtimes`;
  }
}

/** Reads one catalog through the SDK; the body in Scaleway's JSON shape. */
async function readOne(c: ScalewayClients, kind: CatalogKind, locality: string): Promise<unknown> {
  const region = locality as never;
  const zone = locality as never;
  switch (kind) {
    case 'kubernetes-versions': return c.k8s.listVersions({ region });
    case 'instance-types': {
      // Instance pages with per_page (at most 100) and an X-Total-Count header the SDK does not
      // expose: read pages until one comes back short
      const servers: Record<string, unknown> = {};
      for (let page = 1; page <= 20; page++) {
        const r = await c.instance.listServersTypes({ zone, perPage: 100, page });
        Object.assign(servers, r.servers);
        if (Object.keys(r.servers).length < 100) break;
      }
      return { servers };
    }
    case 'database-engines': return { engines: await c.rdb.listDatabaseEngines({ region }).all() };
    case 'database-node-types': return { node_types: toWire(await c.rdb.listNodeTypes({ region, includeDisabledTypes: false }).all()) };
    case 'lb-types': return { lb_types: toWire(await c.lb.listLbTypes({ zone }).all()) };
    case 'gateway-types': return c.vpcgw.listGatewayTypes({ zone });
    case 'permission-sets': return { permission_sets: toWire(await c.iam.listPermissionSets({}).all()) };
    case 'function-runtimes': return c.functions.listFunctionRuntimes({ region });
  }
}

/**
 * Reads the live catalogs a file needs (`catalogNeeds` of src/core/rules/catalog.ts), several at
 * once. `today` dates the answers (`YYYY-MM-DD`).
 */
export async function readLiveCatalog(c: ScalewayClients, needs: readonly { kind: CatalogKind; locality: string }[], today: string): Promise<LiveCatalog> {
  const snapshot: CatalogSnapshot = { takenAt: today, answers: {} };
  const unread: string[] = [];
  await Promise.all(needs.map(async ({ kind, locality }) => {
    try {
      const body = toWire(await readOne(c, kind, locality));
      snapshot.answers[catalogKey(kind, locality)] = { source: `live ${redact(c.profile.apiUrl ?? 'https://api.scaleway.com')}`, recordedAt: today, body };
    } catch (err) {
      if (err instanceof CredentialsError) throw err;
      const status = httpStatus(err);
      unread.push(`${CATALOG_KINDS[kind].label}${kind === 'permission-sets' ? '' : ` in ${locality}`}: ${status ? `HTTP ${status} ` : ''}${redact((err as { message?: string }).message ?? String(err))}`);
    }
  }));
  const catalog = parseSnapshot(snapshot, 'live');
  return { catalog, unread: unread.sort() };
}
