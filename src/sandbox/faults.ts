import { mulberry32 } from './prng';

/** Probabilities in [0, 1] of each fault for one request. */
export interface FaultRates {
  rate429?: number;
  rate503?: number;
  rateReset?: number;
}

/**
 * Fault injection config. `perEndpoint` keys are route patterns as `METHOD /path/{param}` (e.g.
 * `GET /vpc/v2/regions/{region}/private-networks`) or a bare path prefix (`/lb/v1/`); a match
 * replaces the global rates for that request. The same seed and the same request sequence give
 * the same faults.
 */
export interface FaultConfig extends FaultRates {
  perEndpoint?: Record<string, FaultRates>;
  seed?: number;
}

export type Fault = 'none' | '429' | '503' | 'reset';

export class FaultInjector {
  private rand: () => number;

  constructor(private config: FaultConfig = {}) {
    this.rand = mulberry32(config.seed ?? 1);
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.rand = mulberry32(config.seed ?? 1);
  }

  private ratesFor(routeKey: string | undefined, path: string): FaultRates {
    const per = this.config.perEndpoint;
    if (per) {
      if (routeKey && per[routeKey]) return per[routeKey];
      for (const [k, v] of Object.entries(per)) if (k.startsWith('/') && path.startsWith(k)) return v;
    }
    return this.config;
  }

  decide(routeKey: string | undefined, path: string): Fault {
    const r = this.ratesFor(routeKey, path);
    const total = (r.rate429 ?? 0) + (r.rate503 ?? 0) + (r.rateReset ?? 0);
    if (total <= 0) return 'none';
    // one draw per request, whatever the outcome, so a sequence is reproducible from the seed
    const x = this.rand();
    if (x < (r.rate429 ?? 0)) return '429';
    if (x < (r.rate429 ?? 0) + (r.rate503 ?? 0)) return '503';
    if (x < total) return 'reset';
    return 'none';
  }
}
