// Replays the recorded Scaleway traffic in ../shared/fixtures/scaleway-cassettes against a fresh
// sandbox per cassette and compares, for every in-scope interaction, the status code and the JSON
// key set of the response. Recorded ids are mapped to the sandbox's as responses reveal them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { startSandbox } from '../../../src/sandbox/server';

export const CASSETTE_DIR = join(__dirname, '../../../../shared/fixtures/scaleway-cassettes');

/** Products the sandbox serves; every other recorded call is reported as out of scope. */
export const IN_SCOPE = [
  '/account/v3/', '/iam/v1alpha1/', '/vpc/v2/', '/vpc-gw/v2/', '/ipam/v1/', '/lb/v1/', '/k8s/v1/', '/rdb/v1/',
  '/secret-manager/v1beta1/', '/key-manager/v1alpha1/', '/functions/v1beta1/',
];

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
  /** Key paths the sandbox adds (older recordings lack fields the API has since gained). */
  extra: string[];
  /**
   * match / mismatch; `preexisting`: the request names something that existed in the recorded
   * account before the recording (seen in a recorded answer, never created in it), which a fresh
   * sandbox cannot have; `unreplayable`: a v1 recording whose request body cannot be rebuilt from
   * its response (the API answered 400 required), and what failed after it in the same file.
   */
  verdict: 'match' | 'mismatch' | 'preexisting' | 'unreplayable';
  ok: boolean;
}

export interface Report {
  outcomes: Outcome[];
  outOfScope: Map<string, number>;
  skippedPolls: number;
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

function keyPaths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    // every element of a recorded list has the same shape: the first one stands for all
    if (v.length > 0) keyPaths(v[0], `${prefix}[]`, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      // maps keyed by user data (env vars, settings, kubelet args) are values, not schema
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      if (!['environment_variables', 'args', 'kubelet_args', 'available_kubelet_args', 'headers', 'extra_volumes'].includes(k)) keyPaths(child, p, out);
    }
  }
  return out;
}

/** Compares key sets, skipping lists that the sandbox leaves empty (nothing to compare with). */
function compareKeys(recorded: unknown, actual: unknown): { missing: string[]; extra: string[] } {
  const r = keyPaths(recorded);
  const a = keyPaths(actual);
  const emptyLists = new Set<string>();
  const findEmpty = (v: unknown, prefix: string) => {
    if (Array.isArray(v)) {
      if (v.length === 0) emptyLists.add(prefix);
      else findEmpty(v[0], `${prefix}[]`);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) findEmpty(c, prefix ? `${prefix}.${k}` : k);
    }
  };
  findEmpty(actual, '');
  const nullValued = new Set<string>();
  const findNull = (v: unknown, prefix: string) => {
    if (v === null) nullValued.add(prefix);
    else if (Array.isArray(v)) { if (v[0] !== undefined) findNull(v[0], `${prefix}[]`); }
    else if (typeof v === 'object') for (const [k, c] of Object.entries(v as object)) findNull(c, prefix ? `${prefix}.${k}` : k);
  };
  findNull(actual, '');
  findNull(recorded, '');
  const under = (p: string, set: Set<string>) => [...set].some((s) => s && (p.startsWith(`${s}[]`) || p.startsWith(`${s}.`)));
  const missing = [...r].filter((p) => !a.has(p) && !under(p, emptyLists) && !under(p, nullValued));
  const extra = [...a].filter((p) => !r.has(p) && !under(p, nullValued));
  return { missing: missing.sort(), extra: extra.sort() };
}

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

export async function replayAll(files = listCassettes()): Promise<Report> {
  const outcomes: Outcome[] = [];
  const outOfScope = new Map<string, number>();
  let skippedPolls = 0;
  for (const file of files) {
    const doc = parse(readFileSync(file, 'utf8')) as { version?: number; interactions: Interaction[] };
    const v2 = doc.version === 2;
    // instant transitions; deletions stay visible ("deleting") as in the recordings until a poll
    // moves the hand-driven clock on, so the replay never depends on how fast this machine is
    let now = Date.now();
    const sb = await startSandbox({ transitionMs: 0, delays: { deletion: 1000 }, clock: () => now });
    const ids = new Map<string, string>();
    ids.set(SCRUBBED_ACCESS_KEY, sb.accessKey);
    /** Ids that recorded answers showed: unmapped ones are resources the account had before. */
    const recordedIds = new Set<string>();
    let unreplayable = false;
    try {
      const list = doc.interactions;
      for (let i = 0; i < list.length; i += 1) {
        const it = list[i]!;
        const url = new URL(it.request.url);
        const endpoint = endpointOf(it.request.method, url.pathname);
        if (url.host !== 'api.scaleway.com' || !IN_SCOPE.some((p) => url.pathname.startsWith(p))) {
          const key = url.host === 'api.scaleway.com' ? endpoint : `${it.request.method} ${url.host.replace(/^[^.]*\.s3\./, '<bucket>.s3.')}`;
          outOfScope.set(key, (outOfScope.get(key) ?? 0) + 1);
          continue;
        }
        // polling: of a run of identical requests only the last answer is meaningful (transitions are instant here)
        const next = list[i + 1];
        if (next && next.request.method === it.request.method && next.request.url === it.request.url && (next.request.body ?? '') === (it.request.body ?? '')) {
          skippedPolls += 1;
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
        let res = await send();
        // a GET is what a waiter repeats: poll (as the recorded client did, time passing between
        // polls) until the recorded status shows up
        for (let tries = 0; it.request.method === 'GET' && res.status !== it.response.code && tries < 5; tries += 1) {
          await res.arrayBuffer();
          now += 1000;
          res = await send();
        }
        const text = await res.text();
        const actual = tryJson(text);
        const recorded = tryJson(it.response.body);
        if (recorded !== undefined && actual !== undefined) learn(recorded, actual, ids);
        collectIds(recorded, recordedIds);
        const { missing, extra } = res.status === it.response.code ? compareKeys(recorded, actual) : { missing: [], extra: [] };
        const ok = res.status === it.response.code && missing.length === 0;
        if (!v2 && !ok && it.request.method !== 'GET' && res.status === 400 && /"reason":"required"/.test(text)) unreplayable = true;
        outcomes.push({
          file: relative(CASSETTE_DIR, file), index: i, endpoint, method: it.request.method, url: url.pathname,
          recordedStatus: it.response.code, status: res.status, missing, extra, ok,
          verdict: ok ? 'match' : preexisting ? 'preexisting' : unreplayable ? 'unreplayable' : 'mismatch',
        });
      }
    } finally {
      await sb.close();
    }
  }
  return { outcomes, outOfScope, skippedPolls };
}

/** Per-endpoint coverage table. */
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
    return `${mark} ${String(v.ok).padStart(3)}/${String(v.n).padEnd(3)} ${k}${v.excused ? `  (${v.excused} not replayable: pre-existing account state or v1 body)` : ''}`;
  });
  const oos = [...report.outOfScope].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `out of scope ${String(n).padStart(4)}  ${k}`);
  const total = report.outcomes.length;
  const good = report.outcomes.filter((o) => o.ok).length;
  const excused = report.outcomes.filter((o) => o.verdict === 'preexisting' || o.verdict === 'unreplayable').length;
  return [
    ...lines, ...oos,
    `in scope: ${good}/${total} interactions match across ${by.size} endpoints; ${excused} not replayable; ${total - good - excused} mismatches; ${report.skippedPolls} repeated polls folded`,
  ].join('\n');
}
