import { clone, type JsonObject } from './json';

/**
 * A status change that becomes true at `at` (epoch ms): applied lazily when the record is read.
 * `remove` ends an asynchronous deletion: the record disappears (GET answers 404 from then on).
 */
export interface Transition {
  at: number;
  set: JsonObject;
  remove?: boolean;
}

/**
 * One stored resource. `data` is exactly the JSON the API returns (before nested views are
 * joined in); `loc` is its region, zone or "global"; `hidden` holds what the API never returns
 * (an API key's secret hash, a secret version's payload).
 */
export interface Rec {
  kind: string;
  id: string;
  loc: string;
  data: JsonObject;
  pending?: Transition[];
  hidden?: JsonObject;
  /** Insertion sequence: the stable tie-breaker when two records share a created_at. */
  seq: number;
}

/** The persisted shape of the whole sandbox. */
export interface Snapshot {
  version: 1;
  organizationId: string;
  projectId: string;
  ownAccessKey: string;
  seq: number;
  counters?: Record<string, number>;
  records: Rec[];
}

type Undo = { kind: string; id: string; before: Rec | undefined };

/**
 * The in-memory state. Every mutation goes through put/remove, which journal the previous value,
 * so a handler that throws half-way is rolled back by `transaction` and never leaves a partial
 * write behind.
 */
export class Store {
  private readonly byKind = new Map<string, Map<string, Rec>>();
  private journal: Undo[] | undefined;
  private seq = 0;
  /** Bumped on every change of a kind: list results are cached until it moves or a transition falls due. */
  private readonly versions = new Map<string, number>();
  private readonly listCache = new Map<string, { version: number; due: number; recs: Rec[] }>();
  /** Called after every committed mutation (the server debounces a save). */
  onChange: () => void = () => {};
  /** Time source for transitions; tests may drive it by hand. */
  clock: () => number = Date.now;
  /** Sorted copies of cached lists (see `list`), so paging through 10,000 records sorts once. */
  readonly sortCache = new WeakMap<readonly Rec[], Map<string, Rec[]>>();
  /**
   * Filtered views of cached lists, per route and query (tag filters page through 10,000 records).
   * Some filters look at other kinds (a gateway's networks), so a view only lives as long as no
   * record of any kind changed: `version` counts every change.
   */
  readonly filterCache = new WeakMap<readonly Rec[], { version: number; byQuery: Map<string, readonly Rec[]> }>();
  version = 0;
  /** Allocation counters (public IPs, subnets): persisted, so a restart never hands out one twice. */
  private counters: Record<string, number> = {};

  /** The next value of a named counter, starting at 1. */
  next(counter: string): number {
    this.counters[counter] = (this.counters[counter] ?? 0) + 1;
    return this.counters[counter];
  }

  constructor(
    public organizationId: string,
    public projectId: string,
    public ownAccessKey: string,
  ) {}

  private kindMap(kind: string): Map<string, Rec> {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    return m;
  }

  get(kind: string, id: string, now = this.clock()): Rec | undefined {
    const rec = this.byKind.get(kind)?.get(id);
    if (rec?.pending && this.settle(rec, now)) return undefined;
    return rec;
  }

  private bump(kind: string): void {
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1);
    this.version += 1;
  }

  /**
   * Records of a kind, optionally in one location, in insertion order, settled. The array is
   * cached and shared between calls (10,000 resources are listed page by page): never mutate it.
   */
  list(kind: string, loc?: string, now = this.clock()): readonly Rec[] {
    const key = `${kind}|${loc ?? '*'}`;
    const version = this.versions.get(kind) ?? 0;
    const cached = this.listCache.get(key);
    if (cached && cached.version === version && now < cached.due) return cached.recs;
    const out: Rec[] = [];
    const m = this.byKind.get(kind);
    if (!m) return out;
    let due = Number.POSITIVE_INFINITY;
    for (const rec of m.values()) {
      if (loc !== undefined && rec.loc !== loc) continue;
      if (rec.pending && this.settle(rec, now)) continue;
      if (rec.pending) due = Math.min(due, rec.pending[0]!.at);
      out.push(rec);
    }
    // settling may have changed the kind's version: cache against the current one
    this.listCache.set(key, { version: this.versions.get(kind) ?? 0, due, recs: out });
    return out;
  }

  /** The record with this id, whatever its kind (ids are UUIDs: unique across kinds). */
  findById(id: string, now = this.clock()): Rec | undefined {
    for (const kind of this.byKind.keys()) {
      const rec = this.get(kind, id, now);
      if (rec) return rec;
    }
    return undefined;
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  /** Inserts or replaces a record; keeps its sequence number when it already exists. */
  put(rec: Omit<Rec, 'seq'> & { seq?: number }): Rec {
    const m = this.kindMap(rec.kind);
    const before = m.get(rec.id);
    this.journal?.push({ kind: rec.kind, id: rec.id, before });
    const stored: Rec = { ...rec, seq: rec.seq ?? before?.seq ?? ++this.seq };
    m.set(rec.id, stored);
    this.bump(rec.kind);
    return stored;
  }

  /** Shallow-merges into a record's data (and optionally replaces its pending transitions). */
  patch(rec: Rec, set: JsonObject, pending?: Transition[] | null): Rec {
    const next: Rec = { ...rec, data: { ...rec.data, ...set } };
    if (pending === null) delete next.pending;
    else if (pending) next.pending = pending;
    return this.put(next);
  }

  remove(kind: string, id: string): boolean {
    const m = this.byKind.get(kind);
    const before = m?.get(id);
    if (!m || !before) return false;
    this.journal?.push({ kind, id, before });
    m.delete(id);
    this.bump(kind);
    return true;
  }

  /** Applies due transitions in order; later ones stay pending. True when the record is now gone. */
  private settle(rec: Rec, now: number): boolean {
    const pending = rec.pending;
    if (!pending) return false;
    let i = 0;
    let removed = false;
    while (i < pending.length && pending[i]!.at <= now) {
      Object.assign(rec.data, pending[i]!.set);
      if (pending[i]!.remove) removed = true;
      i += 1;
    }
    if (i === 0) return false;
    if (i === pending.length) delete rec.pending;
    else rec.pending = pending.slice(i);
    // deleting from a Map while iterating it is safe in JS: the iteration just skips it
    if (removed) this.byKind.get(rec.kind)?.delete(rec.id);
    this.bump(rec.kind);
    // settling is a state change too: it must reach the state file
    this.onChange();
    return removed;
  }

  /** Applies every pending transition now, as if their delays had elapsed (used after seeding). */
  completeAll(): void {
    for (const m of this.byKind.values()) for (const rec of m.values()) if (rec.pending) this.settle(rec, Number.POSITIVE_INFINITY);
  }

  /** Runs `fn` atomically: on a throw every put/remove it made is undone, in reverse order. */
  transaction<T>(fn: () => T): T {
    if (this.journal) return fn();
    this.journal = [];
    try {
      const result = fn();
      const changed = this.journal.length > 0;
      this.journal = undefined;
      if (changed) this.onChange();
      return result;
    } catch (err) {
      const journal = this.journal ?? [];
      this.journal = undefined;
      for (let i = journal.length - 1; i >= 0; i -= 1) {
        const u = journal[i]!;
        const m = this.kindMap(u.kind);
        if (u.before) m.set(u.id, u.before);
        else m.delete(u.id);
        this.bump(u.kind);
      }
      throw err;
    }
  }

  snapshot(): Snapshot {
    const records: Rec[] = [];
    for (const m of this.byKind.values()) for (const rec of m.values()) records.push(rec);
    return {
      version: 1,
      organizationId: this.organizationId,
      projectId: this.projectId,
      ownAccessKey: this.ownAccessKey,
      seq: this.seq,
      counters: { ...this.counters },
      records: clone(records as unknown as JsonObject[]) as unknown as Rec[],
    };
  }

  /**
   * The snapshot as the state file's text: the live records serialised as they are (one
   * JSON.stringify is already a consistent cut and a copy; snapshot()'s clone before it tripled
   * the cost of every save, a tenth of the sandbox's CPU in a 50-project drift).
   */
  snapshotText(): string {
    const records: Rec[] = [];
    for (const m of this.byKind.values()) for (const rec of m.values()) records.push(rec);
    const snapshot: Snapshot = { version: 1, organizationId: this.organizationId, projectId: this.projectId, ownAccessKey: this.ownAccessKey, seq: this.seq, counters: { ...this.counters }, records };
    return JSON.stringify(snapshot);
  }

  static fromSnapshot(s: Snapshot): Store {
    const store = new Store(s.organizationId, s.projectId, s.ownAccessKey);
    store.seq = s.seq;
    store.counters = { ...(s.counters ?? {}) };
    for (const rec of s.records) store.kindMap(rec.kind).set(rec.id, rec);
    return store;
  }
}
