import snapshotJson from '../../catalog/scaleway-catalog.json';

/*
 * What Scaleway offers (Kubernetes versions, node types, engines, gateway and LB types, permission
 * sets, function runtimes) comes from its API catalogs, never from a list typed into the code. The
 * snapshot in catalog/scaleway-catalog.json holds raw recorded answers keyed by `METHOD path`;
 * this module turns answers (recorded or live) into offered values per region or zone.
 */

/** The catalogs the engine checks values against. */
export type CatalogKind =
  | 'kubernetes-versions'
  | 'instance-types'
  | 'database-engines'
  | 'database-node-types'
  | 'lb-types'
  | 'gateway-types'
  | 'permission-sets'
  | 'function-runtimes';

/** One answer of the snapshot: a recorded body, a pointer to another answer, or a gap. */
export interface SnapshotAnswer {
  /** Where it was recorded (repository, path, commit, date) or why it is a pointer. */
  source?: string;
  /** `YYYY-MM-DD` the answer was recorded. */
  recordedAt?: string;
  /** Response headers that carry paging (`X-Total-Count`, `Link`). */
  headers?: Record<string, string>;
  /** The raw JSON body as Scaleway returned it. */
  body?: unknown;
  /** This region/zone was never recorded: the key of the answer that stands in for it. */
  sameAs?: string;
  /** Recorded nowhere: why. */
  notRecorded?: string;
  /**
   * With `notRecorded`: the names Scaleway publishes in its documentation instead (permission
   * sets), dated. Offline checks use them; they are not an API answer, so the sandbox does not
   * serve them as one.
   */
  published?: { source: string; validatedAt: string; note?: string; sets: { name: string; scope: string }[] };
}

/** The file format of catalog/scaleway-catalog.json. */
export interface CatalogSnapshot {
  takenAt: string;
  note?: string;
  answers: Record<string, SnapshotAnswer>;
}

/** One value Scaleway offers, with what the answer says about it. */
export interface OfferedValue {
  name: string;
  /** CPU/RAM, bandwidth, language… for completion and hover. */
  detail?: string;
  /** Catalog status when it has one (`low_stock`, `deprecated`, `end_of_support`…). */
  status?: string;
}

/** What one catalog offers in one region or zone. */
export interface Offer {
  values: OfferedValue[];
  /** `YYYY-MM-DD` of the answer (recording date, or the day it was read live). */
  date: string;
  /** Where the answer comes from. */
  source: string;
  /** The region/zone whose answer stands in for this one (never recorded here). */
  sameAs?: string;
  /** The values come from Scaleway's documentation, no API answer having been recorded. */
  documented?: boolean;
}

/** Offered values per catalog and region/zone (`global` for organisation-wide catalogs). */
export interface Catalog {
  origin: 'snapshot' | 'live';
  takenAt: string;
  offers: Partial<Record<CatalogKind, Record<string, Offer>>>;
  /** Catalogs that could not be read or were recorded nowhere, with the reason. */
  missing: Partial<Record<CatalogKind, string>>;
}

interface KindInfo {
  /** For people: "Kubernetes versions". */
  label: string;
  /** Matches a snapshot key; group 1 is the region or zone. */
  key: RegExp;
  /** Values compare without case (the API lowercases these names). */
  caseInsensitive: boolean;
  values(body: Record<string, unknown>): OfferedValue[];
}

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const gib = (bytes: unknown): string => `${Math.round((Number(bytes) / 2 ** 30) * 10) / 10} GiB`;
const gb = (bytes: unknown): string => `${Math.round(Number(bytes) / 1e9)} GB`;
const bandwidth = (bps: unknown): string => (Number(bps) >= 1e9 ? `${Number(bps) / 1e9} Gbit/s` : `${Number(bps) / 1e6} Mbit/s`);

/** How each catalog's answer is read. Paths follow @scaleway/sdk 2.78 (checked against its per-product packages). */
export const CATALOG_KINDS: Readonly<Record<CatalogKind, KindInfo>> = {
  'kubernetes-versions': {
    label: 'Kubernetes versions',
    key: /^GET \/k8s\/v1\/regions\/([^/?]+)\/versions$/,
    caseInsensitive: false,
    values: (b) => arr(b.versions).map((v) => ({ name: str(v.name), detail: str(v.label) || undefined })),
  },
  'instance-types': {
    label: 'Kapsule node types (Instance commercial types)',
    key: /^GET \/instance\/v1\/zones\/([^/?]+)\/products\/servers(\?.*)?$/,
    caseInsensitive: false,
    values: (b) => Object.entries((b.servers ?? {}) as Record<string, Record<string, unknown>>).map(([name, s]) => ({
      name,
      detail: `${str(s.ncpus)} vCPU, ${gib(s.ram)} RAM, ${str(s.arch)}${s.hourly_price !== undefined ? `, €${str(s.hourly_price)}/h` : ''}`,
    })),
  },
  'database-engines': {
    label: 'Managed Database engines',
    key: /^GET \/rdb\/v1\/regions\/([^/?]+)\/database-engines(\?.*)?$/,
    caseInsensitive: true,
    values: (b) => arr(b.engines).flatMap((e) => arr(e.versions).filter((v) => v.disabled !== true).map((v) => ({
      name: str(v.name) || `${str(e.name)}-${str(v.version)}`,
      detail: `${str(e.name)} ${str(v.version)}${v.end_of_life ? `, end of life ${str(v.end_of_life).slice(0, 10)}` : ''}`,
      status: v.beta === true ? 'beta' : undefined,
    }))),
  },
  'database-node-types': {
    label: 'Managed Database node types',
    key: /^GET \/rdb\/v1\/regions\/([^/?]+)\/node-types(\?.*)?$/,
    caseInsensitive: true,
    values: (b) => arr(b.node_types).filter((n) => n.disabled !== true).map((n) => ({
      name: str(n.name).toUpperCase(),
      detail: `${str(n.vcpus)} vCPU, ${gb(n.memory)} RAM${n.instance_range ? `, ${str(n.instance_range)}` : ''}${n.is_ha_required === true ? ', HA required' : ''}`,
      status: n.stock_status && n.stock_status !== 'available' ? str(n.stock_status) : undefined,
    })),
  },
  'lb-types': {
    label: 'Load Balancer types',
    key: /^GET \/lb\/v1\/zones\/([^/?]+)\/lb-types(\?.*)?$/,
    caseInsensitive: true,
    values: (b) => arr(b.lb_types).map((t) => ({
      name: str(t.name).toUpperCase(),
      detail: [str(t.description), t.bandwidth ? bandwidth(t.bandwidth) : ''].filter(Boolean).join(', ') || undefined,
      status: t.stock_status && t.stock_status !== 'available' ? str(t.stock_status) : undefined,
    })),
  },
  'gateway-types': {
    label: 'Public Gateway types',
    key: /^GET \/vpc-gw\/v2\/zones\/([^/?]+)\/gateway-types(\?.*)?$/,
    caseInsensitive: false,
    values: (b) => arr(b.types).map((t) => ({ name: str(t.name), detail: t.bandwidth ? bandwidth(t.bandwidth) : undefined })),
  },
  'permission-sets': {
    label: 'IAM permission sets',
    key: /^GET \/iam\/v1alpha1\/permission-sets(\?.*)?$/,
    caseInsensitive: false,
    values: (b) => arr(b.permission_sets).map((p) => ({ name: str(p.name), detail: str(p.description) || undefined })),
  },
  'function-runtimes': {
    label: 'Serverless Functions runtimes',
    key: /^GET \/functions\/v1beta1\/regions\/([^/?]+)\/runtimes(\?.*)?$/,
    caseInsensitive: false,
    // an end-of-life runtime cannot be used for a new function (its status_message says so)
    values: (b) => arr(b.runtimes).filter((r) => r.status !== 'end_of_life' && r.status !== 'unknown_status').map((r) => ({
      name: str(r.name),
      detail: `${str(r.language)} ${str(r.version)}`.trim(),
      status: r.status && r.status !== 'available' ? str(r.status) : undefined,
    })),
  },
};

const GLOBAL = 'global';

/** Parses a snapshot (recorded or refreshed) into offered values per catalog and locality. */
export function parseSnapshot(snapshot: CatalogSnapshot, origin: Catalog['origin'] = 'snapshot'): Catalog {
  const catalog: Catalog = { origin, takenAt: snapshot.takenAt, offers: {}, missing: {} };
  const resolve = (key: string, seen = new Set<string>()): { answer: SnapshotAnswer; key: string } | undefined => {
    const answer = snapshot.answers[key];
    if (!answer || seen.has(key)) return undefined;
    if (answer.sameAs) return resolve(answer.sameAs, seen.add(key));
    return { answer, key };
  };
  for (const [key, answer] of Object.entries(snapshot.answers)) {
    for (const [kind, info] of Object.entries(CATALOG_KINDS) as [CatalogKind, KindInfo][]) {
      const m = info.key.exec(key);
      if (!m) continue;
      const locality = kind === 'permission-sets' ? GLOBAL : m[1]!;
      if (answer.notRecorded && answer.published) {
        const pub = answer.published;
        (catalog.offers[kind] ??= {})[locality] = {
          values: pub.sets.map((x) => ({ name: x.name, detail: `scoped by ${x.scope === 'organization' ? 'organisation' : 'project'}` })),
          date: pub.validatedAt,
          source: `${pub.source}; not an API answer`,
          documented: true,
        };
        continue;
      }
      if (answer.notRecorded) {
        catalog.missing[kind] = answer.notRecorded;
        continue;
      }
      const target = resolve(key);
      if (!target?.answer.body || typeof target.answer.body !== 'object') continue;
      const offers = (catalog.offers[kind] ??= {});
      const values = info.values(target.answer.body as Record<string, unknown>);
      const existing = offers[locality];
      const sameAs = answer.sameAs ? localityOf(target.key, info) : undefined;
      if (existing) {
        // another page of the same answer
        for (const v of values) if (!existing.values.some((e) => e.name === v.name)) existing.values.push(v);
      } else {
        offers[locality] = {
          values,
          date: target.answer.recordedAt ?? snapshot.takenAt,
          source: target.answer.source ?? key,
          ...(sameAs ? { sameAs } : {}),
        };
      }
    }
  }
  return catalog;
}

function localityOf(key: string, info: KindInfo): string | undefined {
  const m = info.key.exec(key);
  return m?.[1];
}

let bundled: Catalog | undefined;

/** The catalog snapshot that ships with the extension and the CLI (catalog/scaleway-catalog.json). */
export function bundledCatalog(): Catalog {
  return (bundled ??= parseSnapshot(snapshotJson as CatalogSnapshot));
}

/** The bundled snapshot itself (raw answers), for the sandbox-facing tools and tests. */
export function bundledSnapshot(): CatalogSnapshot {
  return snapshotJson as CatalogSnapshot;
}

/** What a catalog offers for one kind in one region/zone; undefined when it has no answer for it. */
export function offerOf(catalog: Catalog, kind: CatalogKind, locality: string = GLOBAL): Offer | undefined {
  return catalog.offers[kind]?.[locality];
}

/** The offered value that `value` names, honouring the catalog's case rule. */
export function findOffered(kind: CatalogKind, offer: Offer, value: string): OfferedValue | undefined {
  const ci = CATALOG_KINDS[kind].caseInsensitive;
  return offer.values.find((v) => (ci ? v.name.toLowerCase() === value.toLowerCase() : v.name === value));
}

/** `recorded 2026-07-03` for a snapshot, `read live 2026-12-07` for a live catalog. */
export function offerDate(catalog: Catalog, offer: Offer): string {
  if (catalog.origin === 'live') return `Scaleway's live catalog read ${offer.date}`;
  if (offer.documented) return `Scaleway's documentation, validated ${offer.date}; no API answer was recorded`;
  return `Scaleway's catalog recorded ${offer.date}${offer.sameAs ? ` in ${offer.sameAs}` : ''}`;
}

const MINOR = /^(\d+)\.(\d+)/;

/** Kubernetes minor versions offered: the minors of the offered patch versions, newest first. */
export function kubernetesMinors(offer: Offer): string[] {
  const minors: string[] = [];
  for (const v of offer.values) {
    const m = MINOR.exec(v.name);
    const minor = m ? `${m[1]}.${m[2]}` : undefined;
    if (minor && !minors.includes(minor)) minors.push(minor);
  }
  return minors.sort(compareVersions).reverse();
}

/** The newest offered patch of a minor (`1.35` → `1.35.3`), or the exact version when offered. */
export function newestPatch(offer: Offer, version: string): string | undefined {
  if (offer.values.some((v) => v.name === version)) return version;
  const patches = offer.values.map((v) => v.name).filter((n) => n.startsWith(`${version}.`));
  return patches.sort(compareVersions).pop();
}

/** Numeric comparison of dotted versions. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Number.isNaN(d) ? a.localeCompare(b) : d;
  }
  return 0;
}

/** The offered minor nearest to an unoffered one: below the oldest → the oldest, else the closest. */
export function nearestVersion(minors: readonly string[], version: string): string | undefined {
  if (minors.length === 0) return undefined;
  const [maj, min] = version.split('.').map(Number);
  if (maj === undefined || Number.isNaN(maj)) return minors[0];
  const score = (m: string) => {
    const [a, b] = m.split('.').map(Number);
    return Math.abs((a! - maj) * 1000 + (b! - (min ?? 0)));
  };
  return [...minors].sort((x, y) => score(x) - score(y) || compareVersions(y, x))[0];
}

/** Newest offered runtime of a language (`node` → `node24`), preferring `available` ones. */
export function newestRuntime(offer: Offer, language: string): string | undefined {
  const ofLanguage = offer.values.filter((v) => v.name.startsWith(language) && /\d+$/.test(v.name));
  const rank = (v: OfferedValue) => Number(/(\d+)$/.exec(v.name)![1]);
  const available = ofLanguage.filter((v) => !v.status);
  const pool = available.length > 0 ? available : ofLanguage;
  return pool.sort((a, b) => rank(b) - rank(a))[0]?.name;
}
