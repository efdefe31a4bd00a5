import { httpStatus } from '../core/errors';
import { Account, createAdvancedClient, createClient, Function as Fn, Iam, Instance, K8s, KeyManager, Lb, ProductCatalog, Rdb, Secret, Vpc, Vpcgw } from '@scaleway/sdk';
import { limitedFetch, ReadOnlyViolation, type HttpOptions, type HttpStats } from './http';
import type { Transport } from './transport';
import type { PlanOperation } from '../core/plan';
import { CredentialsError, describeProfile, type ScalewayProfile } from './profiles';

/** Every per-product API the engine uses, sharing one limited, retrying HTTP layer. */
export interface ScalewayClients {
  readonly profile: ScalewayProfile;
  readonly readOnly: boolean;
  readonly stats: HttpStats;
  /** Runs a request of the S3 or Kubernetes client in the same connection budget as the SDK's (http.ts), at this view's priority. */
  slot<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * The same clients (one connection budget, one set of counters) whose requests are served at
   * `priority` when they queue for a slot: the lists others wait on, the operations on an apply's
   * critical path. The clients a command makes are priority 0.
   */
  at(priority: number): ScalewayClients;
  /** The same connections without the Scaleway headers, for S3 reads the engine signs itself (s3-reads.ts); only GET, run inside `slot`. */
  readonly transport: Transport;
  readonly account: InstanceType<typeof Account.v3.ProjectAPI>;
  readonly vpc: InstanceType<typeof Vpc.v2.API>;
  readonly vpcgw: InstanceType<typeof Vpcgw.v2.API>;
  readonly lb: InstanceType<typeof Lb.v1.ZonedAPI>;
  readonly k8s: InstanceType<typeof K8s.v1.API>;
  readonly rdb: InstanceType<typeof Rdb.v1.API>;
  readonly secret: InstanceType<typeof Secret.v1beta1.API>;
  readonly keys: InstanceType<typeof KeyManager.v1alpha1.API>;
  readonly iam: InstanceType<typeof Iam.v1alpha1.API>;
  readonly functions: InstanceType<typeof Fn.v1beta1.API>;
  /** Only for the Instance types catalog (Kapsule node types). */
  readonly instance: InstanceType<typeof Instance.v1.API>;
  /** Scaleway's public product catalog (prices, carbon): `landing-zone cost`. */
  readonly productCatalog: InstanceType<typeof ProductCatalog.v2alpha1.PublicCatalogAPI>;
  /** How long waiters sleep between polls: short against the local sandbox, the SDK's 1 s otherwise. */
  readonly pollMs: { min: number; max: number };
}

export interface ClientOptions extends Omit<HttpOptions, 'readOnly'> {
  pollMs?: { min: number; max: number };
}

/** True for the local sandbox (an API URL on loopback). */
const isLoopback = (url: string | undefined): boolean => {
  if (!url) return false;
  try {
    const h = new URL(url).hostname;
    return h === '127.0.0.1' || h === 'localhost' || h === '[::1]' || h === '::1';
  } catch {
    return false;
  }
};

/**
 * A key the API refuses (401) is refused by every call: whatever the command, it stops with a
 * CredentialsError that names the credentials (never the secret) and the fix, not the bare
 * "denied authentication" of one request somewhere in a reader or a rotation.
 */
function refusedCredentials(profile: ScalewayProfile) {
  return async ({ error }: { error: unknown }): Promise<never> => {
    const e = error as { message?: string };
    if (httpStatus(error) !== 401) throw error;
    throw new CredentialsError(`the Scaleway API refused the credentials of ${describeProfile(profile)} (${e.message ?? 'status 401'}): check the secret key that goes with this access key — Sign In again in VS Code, or fix SCW_SECRET_KEY or the profile's secret_key in ~/.config/scw/config.yaml`);
  };
}

function build(profile: ScalewayProfile, readOnly: boolean, options: ClientOptions): ScalewayClients {
  // the secret key travels as a header that our HTTP layer adds, not as the SDK's interceptor,
  // which clones every Request (and its body stream) to append it
  const http = limitedFetch({ ...options, readOnly, headers: { 'x-auth-token': profile.secretKey } });
  // createClient() builds the settings (defaults, URL) but keeps no HTTP client: build them,
  // then an advanced client from them with our fetch
  const base = createClient({
    defaultOrganizationId: profile.organizationId,
    defaultProjectId: profile.projectId ?? profile.organizationId,
    defaultRegion: profile.region as never,
    defaultZone: profile.zone as never,
    ...(profile.apiUrl ? { apiURL: profile.apiUrl } : {}),
  });
  // the sandbox settles states in a few hundred ms; the real API takes seconds to minutes
  const pollMs = options.pollMs ?? (isLoopback(profile.apiUrl) ? { min: 25, max: 500 } : { min: 1000, max: 30_000 });
  // a read-only client's transport sends GETs only (s3-reads), like its fetch
  const transport: Transport = readOnly ? (url, init) => (init.method === 'GET' || init.method === 'HEAD' ? http.transport(url, init) : Promise.reject(new ReadOnlyViolation(init.method, new URL(url).pathname))) : http.transport;
  const views = new Map<number, ScalewayClients>();
  const at = (priority: number): ScalewayClients => {
    let view = views.get(priority);
    if (!view) {
      view = { profile, readOnly, stats: http.stats, slot: (fn) => http.slot(fn, priority), at, transport, pollMs, ...productApis(base, profile, http.at(priority)) };
      views.set(priority, view);
    }
    return view;
  };
  return at(0);
}

/** The per-product APIs over one fetch (one priority of the shared HTTP layer). */
function productApis(base: ReturnType<typeof createClient>, profile: ScalewayProfile, fetch: typeof globalThis.fetch) {
  const client = createAdvancedClient((settings) => ({
    ...settings,
    ...base.settings,
    defaultPageSize: 100,
    httpClient: fetch,
    userAgent: `${base.settings.userAgent} scaleway-landing-zone`,
    interceptors: [...base.settings.interceptors, { responseError: refusedCredentials(profile) }],
  }));
  return {
    account: new Account.v3.ProjectAPI(client),
    vpc: new Vpc.v2.API(client),
    vpcgw: new Vpcgw.v2.API(client),
    lb: new Lb.v1.ZonedAPI(client),
    k8s: new K8s.v1.API(client),
    rdb: new Rdb.v1.API(client),
    secret: new Secret.v1beta1.API(client),
    keys: new KeyManager.v1alpha1.API(client),
    iam: new Iam.v1alpha1.API(client),
    functions: new Fn.v1beta1.API(client),
    instance: new Instance.v1.API(client),
    productCatalog: new ProductCatalog.v2alpha1.PublicCatalogAPI(client),
  };
}

/** The read-only clients: every non-GET request is refused before it leaves the process. */
export function readOnlyClients(profile: ScalewayProfile, options: ClientOptions = {}): ScalewayClients {
  return build(profile, true, options);
}

/** The clients that may write; only apply uses them. */
export function writeClients(profile: ScalewayProfile, options: ClientOptions = {}): ScalewayClients {
  return build(profile, false, options);
}

/** HTTP slots of a read or a small apply; the most an apply's plan can raise them to. */
export const CONNECTION_BUDGET = { min: 16, max: 64 } as const;

/**
 * The connection budget for applying `operations`: as many HTTP slots as the plan has operations
 * that can run at once (the widest level of its dependency graph), within CONNECTION_BUDGET. A
 * fixed 16 was the bound of a 1,000-resource apply at real latency (1,600 requests ÷ 16 slots ×
 * 50 ms = 5 s, against a 1.5 s chain of states); the ceiling keeps the request rate where
 * Scaleway's rate limits answer with the odd 429 that the HTTP layer retries, not a storm.
 */
export function connectionBudget(operations: readonly Pick<PlanOperation, 'id' | 'after'>[]): number {
  const level = new Map<string, number>();
  const width = new Map<number, number>();
  // operations come in dependency order (plan.ts sorts them): each one's level is known from those before it
  for (const op of operations) {
    const l = Math.max(-1, ...op.after.map((a) => level.get(a) ?? -1)) + 1;
    level.set(op.id, l);
    width.set(l, (width.get(l) ?? 0) + 1);
  }
  const widest = Math.max(0, ...width.values());
  return Math.min(CONNECTION_BUDGET.max, Math.max(CONNECTION_BUDGET.min, widest));
}
