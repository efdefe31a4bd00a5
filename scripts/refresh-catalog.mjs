// `node scripts/refresh-catalog.mjs [--profile NAME] [--out catalog/scaleway-catalog.json]`
//
// Refreshes the offline catalog snapshot from the live Scaleway API with your scw profile (the
// same resolution as the CLI: --profile, SCW_* variables, the active profile of
// ~/.config/scw/config.yaml). Every catalog the snapshot knows is read again for every region and
// zone it lists, with plain GETs (read-only), and stored as the raw JSON body Scaleway returned;
// paged lists keep one answer per page, as Scaleway pages them. A catalog that cannot be read
// stays in the file as `notRecorded` with the HTTP status, never as an invented list. The new
// `takenAt` is today. Nothing secret is printed or written.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const out = arg('--out') ?? join(root, 'catalog/scaleway-catalog.json');
const say = (s) => process.stderr.write(`[refresh-catalog] ${s}\n`);

// the CLI's own profile resolution (TypeScript, loaded through tsx)
const { resolveProfile, describeProfile } = tsxRequire('../src/scaleway/profiles.ts', import.meta.url);
const profile = await resolveProfile({ profile: arg('--profile') });
const api = (profile.apiUrl ?? 'https://api.scaleway.com').replace(/\/$/, '');
say(`reading the catalogs of ${api} via ${describeProfile(profile)}`);

const current = JSON.parse(readFileSync(join(root, 'catalog/scaleway-catalog.json'), 'utf8'));
const today = new Date().toISOString().slice(0, 10);
const LIST_KEYS = ['versions', 'servers', 'engines', 'node_types', 'lb_types', 'types', 'permission_sets', 'runtimes'];

/** Paths (with their non-paging query) the snapshot lists, each once. */
const targets = new Map();
for (const key of Object.keys(current.answers)) {
  const url = new URL(`http://x${key.slice(4)}`);
  url.searchParams.delete('page');
  if (url.pathname === '/iam/v1alpha1/permission-sets') url.searchParams.set('organization_id', profile.organizationId);
  targets.set(`${url.pathname}${url.search}`, url);
}

async function get(path) {
  let res;
  try {
    res = await fetch(`${api}${path}`, { headers: { 'X-Auth-Token': profile.secretKey, Accept: 'application/json' } });
  } catch (err) {
    say(`cannot reach ${api} (${err.cause?.code ?? err.message}); the snapshot is unchanged`);
    process.exit(1);
  }
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: res.headers.get('content-type') === 'application/json' && text ? JSON.parse(text) : undefined };
}

const answers = {};
let failures = 0;
for (const [target, url] of [...targets].sort(([a], [b]) => a.localeCompare(b))) {
  const pages = [];
  for (let page = 1; page <= 50; page++) {
    const u = new URL(url);
    if (page > 1 || target.includes('products/servers')) u.searchParams.set('page', String(page));
    const r = await get(`${u.pathname}${u.search}`);
    if (r.status !== 200 || !r.body) {
      pages.length = 0;
      answers[`GET ${target.replace(/([?&])organization_id=[^&]*&?/, '$1').replace(/[?&]$/, '')}`] = { notRecorded: `${api} answered HTTP ${r.status} on ${today}` };
      failures++;
      break;
    }
    const headers = {};
    for (const h of ['X-Total-Count', 'Link']) if (r.headers.get(h)) headers[h] = r.headers.get(h);
    pages.push({ path: `${u.pathname}${u.search}`, body: r.body, headers });
    const list = LIST_KEYS.find((k) => k in r.body);
    const items = list ? (Array.isArray(r.body[list]) ? r.body[list].length : Object.keys(r.body[list]).length) : 0;
    const total = Number(r.body.total_count ?? headers['X-Total-Count'] ?? 0);
    const seen = pages.reduce((n, p) => n + (Array.isArray(p.body[list]) ? p.body[list].length : Object.keys(p.body[list] ?? {}).length), 0);
    if (!total || seen >= total || items === 0) break;
  }
  for (const [i, p] of pages.entries()) {
    // the organisation id is sent, not kept in the file
    const keyTarget = target.replace(/([?&])organization_id=[^&]*&?/, '$1').replace(/[?&]$/, '');
    const key = pages.length > 1 ? `GET ${keyTarget}${keyTarget.includes('?') ? '&' : '?'}page=${i + 1}` : `GET ${keyTarget}`;
    answers[key] = { source: `live ${api}, page ${i + 1}, recorded ${today}`, recordedAt: today, ...(Object.keys(p.headers).length ? { headers: p.headers } : {}), body: p.body };
  }
}

const lines = Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const note = `Read from ${api} on ${today} by scripts/refresh-catalog.mjs; notRecorded marks a catalog the API did not answer.`;
writeFileSync(out, `{\n "takenAt": ${JSON.stringify(today)},\n "note": ${JSON.stringify(note)},\n "answers": {\n${lines.join(',\n')}\n }\n}\n`);
say(`${Object.keys(answers).length} answers written to ${out} (${failures} catalog(s) not answered)`);
