// Replays recorded Scaleway traffic against a fresh sandbox per cassette: the 55 shared cassettes of
// ../shared/fixtures/scaleway-cassettes and the held-out ones of test/fixtures/recorded-cassettes (real
// recordings the sandbox was not built from), one report per folder. Each in-scope interaction is
// compared as strictly as ../shared/tools/cassette-replay.mjs does: the status code, the JSON key paths in both directions
// (missing on the sandbox and extra on it; arrays by their first elements when both are non-empty)
// and an exact `Content-Type: application/json` where the recording has it. Recorded ids are mapped
// to the sandbox's as responses reveal them. Time is a hand-driven clock that moves only while a
// GET is polled for the recorded answer, so the replay never depends on this machine's speed.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { startSandbox } from '../../../src/sandbox/server';
import { API_CHANGES, AWAITING_CATALOG, EXCLUDED, HELD_OUT_EXCLUDED, OUT_OF_SCOPE, type ApiChange } from './conformance-exclusions';

export const CASSETTE_DIR = join(__dirname, '../../../../shared/fixtures/scaleway-cassettes');
/** Real recordings copied verbatim from scaleway/terraform-provider-scaleway (see its README). */
export const HELD_OUT_DIR = join(__dirname, '../../fixtures/recorded-cassettes');

interface Interaction {
  request: { method: string; url: string; body?: string; headers?: Record<string, string[]> };
  response: { code: number; body?: string; headers?: Record<string, string[]> };
}

export interface Outcome {
  file: string;
  index: number;
  endpoint: string;
  method: string;
  url: string;
  recordedStatus: number;
  status: number;
  /** Key paths present in the recorded response and absent from the sandbox's. */
  missing: string[];
  /** Key paths the sandbox sends and the recording lacks. */
  extra: string[];
  /** The sandbox's Content-Type when the recording's was application/json and it differs. */
  contentType?: string | null;
  /** Key differences excused by a dated API change (see conformance-exclusions.ts). */
  excusedKeys: string[];
  note?: string;
  /**
   * match / mismatch; `excluded`: listed in EXCLUDED with its reason; `preexisting`: the request
   * names something that existed in the recorded account before the recording (seen in a recorded
   * answer, never created in it), which a fresh sandbox cannot have.
   */
  verdict: 'match' | 'mismatch' | 'excluded' | 'preexisting';
  reason?: string;
  ok: boolean;
}

export interface Report {
  outcomes: Outcome[];
  /** Not replayed, with the reason: other products, other hosts, recorded 429s. */
  outOfScope: Map<string, number>;
  /** API changes that excused at least one key. */
  changesUsed: Set<ApiChange>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ACCESS_KEY = /\bSCW[A-Z0-9]{17}\b/g;
const SCRUBBED_ACCESS_KEY = 'SCWXXXXXXXXXXXXXXXXX';

export function listCassettes(dir = CASSETTE_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listCassettes(p));
    else if (name.endsWith('.cassette.yaml')) out.push(p);
  }
  return out;
}

/** `GET /vpc/v2/regions/{region}/private-networks/{id}`: the unit coverage is counted in. */
export function endpointOf(method: string, path: string): string {
  const p = path
    .replace(UUID, '{id}')
    .replace(ACCESS_KEY, '{access_key}')
    .replace(/\/regions\/[a-z]{2}-[a-z]{3}\//, '/regions/{region}/')
    .replace(/\/zones\/[a-z]{2}-[a-z]{3}-\d\//, '/zones/{zone}/')
    .replace(/\/versions\/\d+(\/|$)/, '/versions/{revision}$1')
    .replace(/\/databases\/[^/]+$/, '/databases/{name}');
  return `${method} ${p}`;
}

/**
 * Key paths on one side only, as cassette-replay.mjs computes them: values are ignored, objects
 * are compared key by key in both directions, arrays by their first elements when both are
 * non-empty; a null on either side ends the comparison there (null vs an object is a value).
 */
export function compareShape(rec: unknown, live: unknown, at = '', missing: string[] = [], extra: string[] = []): { missing: string[]; extra: string[] } {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(rec) && Array.isArray(live)) {
    if (rec.length && live.length) compareShape(rec[0], live[0], `${at}[]`, missing, extra);
  } else if (isObj(rec) && isObj(live)) {
    const p = (k: string) => (at ? `${at}.${k}` : k);
    for (const k of Object.keys(rec)) {
      if (k in live) compareShape(rec[k], live[k], p(k), missing, extra);
      else missing.push(p(k));
    }
    for (const k of Object.keys(live)) if (!(k in rec)) extra.push(p(k));
  }
  return { missing, extra };
}

/** What a client polls through (cassette-replay.mjs's list). */
const TRANSIENT = new Set(['creating', 'allocating', 'configuring', 'provisioning', 'pending', 'to_create',
  'initializing', 'backuping', 'restoring', 'deleting', 'to_delete', 'updating', 'to_update', 'upgrading',
  'exporting', 'attaching', 'detaching', 'migrating', 'deploying', 'building', 'starting', 'stopping', 'rebooting', 'scaling']);
const statusOf = (v: unknown): string | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { status?: unknown }).status === 'string' ? (v as { status: string }).status : undefined);

function tryJson(s: string | undefined): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Replaces every recorded id the mapping knows, in a URL or a JSON text. */
function rewrite(text: string, ids: Map<string, string>): string {
  return text.replace(UUID, (m) => ids.get(m) ?? m).replace(ACCESS_KEY, (m) => ids.get(m) ?? m);
}

function collectIds(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    for (const m of v.match(UUID) ?? []) out.add(m);
    for (const m of v.match(ACCESS_KEY) ?? []) out.add(m);
  } else if (Array.isArray(v)) for (const x of v) collectIds(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectIds(x, out);
}

/** Learns recorded-id → sandbox-id pairs by walking both responses in parallel. */
function learn(recorded: unknown, actual: unknown, ids: Map<string, string>): void {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    const isId = new RegExp(`^(${UUID.source}|${ACCESS_KEY.source})$`).test(recorded);
    if (isId && !ids.has(recorded) && recorded !== actual) {
      ids.set(recorded, actual);
      // the recorder scrubbed access keys in URLs: the scrubbed form means the newest key
      if (/^SCW/.test(recorded)) ids.set(SCRUBBED_ACCESS_KEY, actual);
    }
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    for (let i = 0; i < Math.min(recorded.length, actual.length); i += 1) learn(recorded[i], actual[i], ids);
    return;
  }
  if (recorded && actual && typeof recorded === 'object' && typeof actual === 'object') {
    for (const [k, v] of Object.entries(recorded)) learn(v, (actual as Record<string, unknown>)[k], ids);
  }
}

/** Project and organisation ids of the recording's account become the sandbox's. */
function mapAccountIds(text: string, ids: Map<string, string>, projectId: string): string {
  return text.replace(/"(project_id|organization_id|default_project_id)":"([0-9a-f-]{36})"/g, (all, k: string, v: string) => {
    if (ids.has(v)) return `"${k}":"${ids.get(v)!}"`;
    return `"${k}":"${projectId}"`;
  });
}

/**
 * A v1 recording's request body is a copy of its response. Rebuild a request the generic way:
 * keep top-level scalars and string lists (what create/update calls take), drop what the server
 * computes (ids, timestamps, status).
 */
function v1Body(responseBody: string | undefined, ids: Map<string, string>): string | undefined {
  const r = tryJson(responseBody);
  if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'id' || k.endsWith('_at') || k === 'status' || k === 'region' || k === 'zone') continue;
    // a reference to something the recording never showed being created existed before it: drop it
    if (k.endsWith('_id') && k !== 'project_id' && k !== 'organization_id' && typeof v === 'string' && !ids.has(v)) continue;
    if (v === null || typeof v === 'object' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) continue;
    out[k] = v;
  }
  return JSON.stringify(out);
}

/** The recording's date (its first `Date` header): API changes are dated against it. */
function recordedAt(interactions: Interaction[]): number {
  for (const it of interactions) {
    const d = it.response.headers?.Date?.[0] ?? it.response.headers?.date?.[0];
    if (d && !Number.isNaN(Date.parse(d))) return Date.parse(d);
  }
  return Number.POSITIVE_INFINITY;
}

/** Splits key differences into those a dated API change explains and the rest. */
function excuse(endpoint: string, at: number, keys: string[], kind: ApiChange['kind'], used: Set<ApiChange>): { left: string[]; excused: string[] } {
  const left: string[] = [];
  const excused: string[] = [];
  for (const k of keys) {
    const change = API_CHANGES.find((c) => c.kind === kind && c.endpoint.test(endpoint) && (c.key === k || k.startsWith(`${c.key}.`)) && at < Date.parse(c.since));
    if (change) {
      used.add(change);
      excused.push(`${kind === 'added' ? '+' : '-'}${k}`);
    } else left.push(k);
  }
  return { left, excused };
}

export async function replayAll(files = listCassettes(), dir = CASSETTE_DIR): Promise<Report> {
  const outcomes: Outcome[] = [];
  const outOfScope = new Map<string, number>();
  const changesUsed = new Set<ApiChange>();
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8')) as { version?: number; interactions: Interaction[] };
    const v2 = doc.version === 2;
    const name = relative(dir, file);
    const at = recordedAt(doc.interactions);
    // the sandbox's own delays, on a clock that moves only while a GET polls for the recorded answer
    let now = Date.now();
    const sb = await startSandbox({ clock: () => now });
    const ids = new Map<string, string>();
    ids.set(SCRUBBED_ACCESS_KEY, sb.accessKey);
    /** Ids that recorded answers showed: unmapped ones are resources the account had before. */
    const recordedIds = new Set<string>();
    try {
      const list = doc.interactions;
      for (let i = 0; i < list.length; i += 1) {
        const it = list[i]!;
        const url = new URL(it.request.url);
        const endpoint = endpointOf(it.request.method, url.pathname);
        const scope = url.host !== 'api.scaleway.com'
          ? 'not api.scaleway.com (S3 buckets and function code uploads: the S3 tests cover the sandbox\'s S3)'
          : OUT_OF_SCOPE.find((o) => url.pathname.startsWith(o.prefix))?.reason
            ?? (it.response.code === 429 ? 'a recorded 429: the real API refused to answer, nothing to compare' : undefined);
        if (scope) {
          const key = `${url.host === 'api.scaleway.com' ? endpoint : `${it.request.method} ${url.host.replace(/^[^.]*\./, '<bucket>.')}`}: ${scope}`;
          outOfScope.set(key, (outOfScope.get(key) ?? 0) + 1);
          continue;
        }
        const rawBody = v2 ? it.request.body : (it.request.method === 'GET' || it.request.method === 'DELETE' ? undefined : v1Body(it.response.body, ids));
        // an access key no recorded answer ever showed is the recorder's own: it becomes the sandbox's
        for (const k of url.pathname.match(ACCESS_KEY) ?? []) if (!ids.has(k) && !recordedIds.has(k)) ids.set(k, sb.accessKey);
        const preexisting = [...(url.pathname + url.search).matchAll(new RegExp(`${UUID.source}|${ACCESS_KEY.source}`, 'g'))]
          .some(([m]) => !ids.has(m) && recordedIds.has(m));
        const body = rawBody ? mapAccountIds(rewrite(rawBody, ids), ids, sb.projectId) : undefined;
        const query = new URLSearchParams(url.search);
        for (const k of ['project_id', 'organization_id']) {
          const v = query.get(k);
          if (v) query.set(k, ids.get(v) ?? sb.projectId);
        }
        const qs = query.toString();
        const target = `${sb.url}${rewrite(url.pathname, ids)}${qs ? `?${rewrite(qs, ids)}` : ''}`;
        const send = () => fetch(target, {
          method: it.request.method,
          headers: { 'X-Auth-Token': sb.secretKey, ...(body && body.length > 0 ? { 'Content-Type': 'application/json' } : {}) },
          body: body && body.length > 0 ? body : undefined,
        });
        const recorded = tryJson(it.response.body);
        const recStatus = statusOf(recorded);
        let res = await send();
        let text = await res.text();
        // a GET is what a waiter repeats: while the sandbox is still in a transient state (or a
        // deletion has not finished) that differs from the recorded answer, time passes between polls
        for (let tries = 0; it.request.method === 'GET' && tries < 120; tries += 1) {
          const liveStatus = statusOf(tryJson(text));
          const behind = res.status !== it.response.code || (liveStatus !== undefined && TRANSIENT.has(liveStatus) && liveStatus !== recStatus);
          if (!behind) break;
          now += 1000;
          res = await send();
          text = await res.text();
        }
        const actual = tryJson(text);
        if (recorded !== undefined && actual !== undefined) learn(recorded, actual, ids);
        collectIds(recorded, recordedIds);
        let note: string | undefined;
        let missing: string[] = [];
        let extra: string[] = [];
        let contentType: string | null | undefined;
        let statusOk = res.status === it.response.code;
        if (!statusOk && it.request.method === 'GET' && res.status === 404 && /delet/.test(recStatus ?? '')) {
          // the recording polled a resource still deleting; the sandbox already finished
          statusOk = true;
          note = `sandbox ahead: 404 while the recording says ${recStatus}`;
        } else if (statusOk) {
          if (recorded !== undefined) {
            if (actual === undefined) missing = ['(the sandbox\'s body is not JSON)'];
            else ({ missing, extra } = compareShape(recorded, actual));
          }
          const recType = it.response.headers?.['Content-Type']?.[0] ?? it.response.headers?.['content-type']?.[0];
          if (recType === 'application/json' && res.headers.get('content-type') !== 'application/json') contentType = res.headers.get('content-type');
        }
        const m = excuse(endpoint, at, missing, 'removed', changesUsed);
        const x = excuse(endpoint, at, extra, 'added', changesUsed);
        const ok = statusOk && m.left.length === 0 && x.left.length === 0 && contentType === undefined;
        const exclusion = ok ? undefined : [...EXCLUDED, ...HELD_OUT_EXCLUDED].find((e) => e.file === name && e.index === i)
          ?? (AWAITING_CATALOG.includes(endpoint) && !catalogServed() ? { reason: 'a catalog answer: served from the recorded snapshot once src/sandbox/products/catalog.ts is in the tree' } : undefined);
        outcomes.push({
          file: name, index: i, endpoint, method: it.request.method, url: url.pathname,
          recordedStatus: it.response.code, status: res.status, missing: m.left, extra: x.left, excusedKeys: [...m.excused, ...x.excused], ok,
          ...(contentType !== undefined ? { contentType } : {}), ...(note ? { note } : {}),
          verdict: ok ? 'match' : exclusion ? 'excluded' : preexisting ? 'preexisting' : 'mismatch',
          ...(exclusion ? { reason: exclusion.reason } : preexisting && !ok ? { reason: 'names a resource the recorded account had before the recording' } : {}),
        });
      }
    } finally {
      await sb.close();
    }
  }
  return { outcomes, outOfScope, changesUsed };
}

/** One line per cassette: matched / replayed, what was excused, and every mismatch. */
export function perCassette(report: Report): string[] {
  const byFile = new Map<string, Outcome[]>();
  for (const o of report.outcomes) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);
  const lines: string[] = [];
  for (const [file, os] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const ok = os.filter((o) => o.ok).length;
    const keys = os.filter((o) => o.excusedKeys.length).length;
    const excluded = os.filter((o) => !o.ok && o.verdict === 'excluded').length;
    const mark = ok === os.length ? 'ok  ' : ok + excluded === os.length ? 'ok* ' : 'FAIL';
    lines.push(`${mark} ${String(ok).padStart(3)}/${String(os.length).padEnd(3)} ${file}${keys ? `  (${keys} with dated key changes)` : ''}${excluded ? `  (${excluded} excluded)` : ''}`);
    for (const o of os) if (!o.ok) lines.push(`       #${o.index} ${o.endpoint}: ${describe(o)}`);
  }
  return lines;
}

export function describe(o: Outcome): string {
  const parts = [o.status !== o.recordedStatus ? `recorded ${o.recordedStatus}, got ${o.status}` : ''];
  if (o.missing.length) parts.push(`missing ${o.missing.join(', ')}`);
  if (o.extra.length) parts.push(`extra ${o.extra.join(', ')}`);
  if (o.contentType !== undefined) parts.push(`Content-Type ${String(o.contentType)}`);
  if (o.reason) parts.push(`[${o.verdict}: ${o.reason}]`);
  return parts.filter(Boolean).join('; ');
}

/** Per-endpoint coverage table, then what was out of scope and why. */
export function coverage(report: Report): string {
  const by = new Map<string, { n: number; ok: number; excused: number }>();
  for (const o of report.outcomes) {
    const e = by.get(o.endpoint) ?? { n: 0, ok: 0, excused: 0 };
    e.n += 1;
    if (o.ok) e.ok += 1;
    else if (o.verdict !== 'mismatch') e.excused += 1;
    by.set(o.endpoint, e);
  }
  const lines = [...by].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => {
    const mark = v.ok === v.n ? 'ok  ' : v.ok + v.excused === v.n ? 'ok* ' : 'FAIL';
    return `${mark} ${String(v.ok).padStart(3)}/${String(v.n).padEnd(3)} ${k}${v.excused ? `  (${v.excused} excluded, listed below)` : ''}`;
  });
  const oos = [...report.outOfScope].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `out of scope ${String(n).padStart(4)}  ${k}`);
  const total = report.outcomes.length;
  const good = report.outcomes.filter((o) => o.ok).length;
  const excused = report.outcomes.filter((o) => !o.ok && o.verdict !== 'mismatch').length;
  const keyed = report.outcomes.filter((o) => o.ok && o.excusedKeys.length).length;
  return [
    ...lines, ...oos,
    `in scope: ${good}/${total} interactions match strictly across ${by.size} endpoints (${keyed} of them thanks to a dated API change); ${excused} excluded; ${total - good - excused} mismatches`,
  ].join('\n');
}

/** True when the catalog snapshot the sandbox serves is in this tree (the catalog work). */
export const catalogServed = (): boolean => existsSync(join(__dirname, '../../../src/sandbox/products/catalog.ts'));
