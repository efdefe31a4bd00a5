import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { runCli } from './ops/helpers';
import { sandboxEnv } from './engine/helpers';

/*
 * The plan and the three-way diff drawn on the diagram, against the half-migrated account that
 * `npm start` shows (examples/sandbox-seed.json): some resources exist, some drifted, one ACL is
 * not declared, most are still to create.
 */

let sb: Sandbox;
let dir: string;
const example = readFileSync('examples/landing-zone.yaml', 'utf8');

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });

/** The `<g>` of one box in an SVG: its class and its hover text. */
function box(svg: string, id: string): { cls: string; title: string } {
  const m = new RegExp(`<g class="([^"]*)" data-id="${id.replace(/[/.]/g, '\\$&')}"[^>]*>\\s*<title>([^<]*)</title>`).exec(svg);
  assert.ok(m, `box ${id} is drawn`);
  return { cls: m[1]!, title: m[2]!.replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') };
}

before(async () => {
  sb = await startSandbox({ seed: 'examples/sandbox-seed.json', transitionMs: 10 });
  dir = mkdtempSync(join(tmpdir(), 'lz-review-'));
  writeFileSync(join(dir, 'landing-zone.yaml'), example);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'the reviewed landing zone');
});
after(async () => { await sb.close(); });

test('diagram --plan: created, updated with the changed fields on hover, a deleted ACL in its LB, unchanged, legend with counts and +€ / month', async () => {
  const planned = await runCli(['plan', '--format', 'json', '--out', 'plan.json'], sandboxEnv(sb), dir);
  assert.equal(planned.code, 0, planned.stderr);
  const plan = JSON.parse(planned.stdout) as { operations: { action: string; id: string }[] };
  const n = (a: string) => plan.operations.filter((o) => o.action === a).length;
  const r = await runCli(['diagram', '--plan', '--out', 'plan.svg'], sandboxEnv(sb), dir);
  assert.equal(r.code, 0, r.stderr);
  const svg = readFileSync(join(dir, 'plan.svg'), 'utf8');
  // the title and the legend count the same thing: operations, one per resource, by what they do
  assert.match(svg, new RegExp(`Plan: ${plan.operations.length} operations — ${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete · \\+€[\\d.]+ / month`));
  for (const [word, action] of [['created', 'create'], ['updated', 'update'], ['deleted', 'delete']] as const) assert.match(svg, new RegExp(`>${word} ${n(action)}<`), `the legend's ${word}`);
  assert.match(svg, />drift repaired 0</);
  // the resources the plan leaves alone are counted, not those it skips or could not read (Keycloak)
  const skipped = (JSON.parse(planned.stdout) as { skipped: { id: string }[] }).skipped.map((x) => x.id);
  assert.ok(skipped.includes('security/sso/keycloak'));
  const unchanged = Number(/>unchanged (\d+)</.exec(svg)?.[1]);
  const declared = (await runCli(['cost', '--offline', '--format', 'json'], {}, dir)).stdout;
  const ids = (JSON.parse(declared) as { priced: { id: string }[]; unpriced: { id: string }[] });
  const all = [...ids.priced, ...ids.unpriced].map((x) => x.id);
  assert.equal(unchanged, all.filter((id) => !plan.operations.some((o) => o.id === id) && !skipped.includes(id)).length);
  // fitted, each card counts the operations in its project, as the legend does
  const ov = await runCli(['diagram', '--plan-file', 'plan.json', '--detail', 'overview', '--out', 'plan-overview.svg'], {}, dir);
  assert.equal(ov.code, 0, ov.stderr);
  const overview = readFileSync(join(dir, 'plan-overview.svg'), 'utf8');
  const devCreates = plan.operations.filter((o) => o.id.startsWith('dev/') && o.action === 'create').length;
  assert.ok(devCreates > 0);
  assert.match(overview, new RegExp(`>\\+${devCreates} created[ <]`), 'dev\'s card counts its creates');
  // an update of the seeded database: the field, the account's value and the file's
  const db = box(svg, 'prod/database/main');
  assert.match(db.cls, /lz-review-update/);
  assert.match(db.title, /backupEveryHours: 24 → 6/);
  // the undeclared ACL is deleted inside the load balancer that stays
  const lb = box(svg, 'prod/load-balancer/apps-lb');
  assert.match(lb.title, /delete prod\/lb-acl\/apps-lb-https-allow-office/);
  assert.match(box(svg, 'dev/cluster/apps').cls, /lz-review-create/);
  const untouched = plan.operations.some((o) => o.id === 'prod/private-network/prod-pn') ? undefined : box(svg, 'prod/private-network/prod-pn');
  if (untouched) assert.match(untouched.cls, /lz-review-unchanged/);
  // the project's monthly price in its header, from the bundled catalog
  assert.match(svg, /environment · fr-par-1 · €479\.61\/mo/);

  // the same picture from the saved plan, as a PNG for a merge request; with --base, what the
  // plan puts back while the file did not change since HEAD is drift repaired
  const png = await runCli(['diagram', '--plan-file', 'plan.json', '--base', 'HEAD', '--out', 'plan.png'], {}, dir);
  assert.equal(png.code, 0, png.stderr);
  assert.deepEqual([...readFileSync(join(dir, 'plan.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const repaired = await runCli(['diagram', '--plan-file', 'plan.json', '--base', 'HEAD', '--out', 'repair.svg'], {}, dir);
  assert.equal(repaired.code, 0, repaired.stderr);
  const rsvg = readFileSync(join(dir, 'repair.svg'), 'utf8');
  // the repairs leave create and update: the title's parts and the legend still add up to the plan
  const t = /Plan: (\d+) operations — (\d+) to create, (\d+) to update, (\d+) to delete, (\d+) to repair drift/.exec(rsvg);
  assert.ok(t, 'the title counts the repairs');
  const [total, c, u, d, rep] = t.slice(1).map(Number) as [number, number, number, number, number];
  assert.equal(total, plan.operations.length);
  assert.equal(c + u + d + rep, total);
  assert.ok(rep > 0 && c + u < n('create') + n('update'));
  assert.match(rsvg, new RegExp(`>created ${c}<[\\s\\S]*>drift repaired ${rep}<`));
  assert.match(box(rsvg, 'prod/database/main').cls, /lz-review-repair/);
  assert.match(box(rsvg, 'prod/database/main').title, /drift repaired: backupEveryHours: 24 → 6/);

  const bad = await runCli(['diagram', '--plan-file', 'landing-zone.yaml', '--out', 'x.svg'], {}, dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot read landing-zone\.yaml|is not a plan/);
  assert.equal((await runCli(['diagram', '--base', 'HEAD'], {}, dir)).code, 2);
});

test('diff --base: a branch that adds a project and changes a field the account also moved; drift since the base; Markdown with the picture', async () => {
  git(dir, 'checkout', '-qb', 'add-analytics');
  const changed = example
    .replace('  monitoring:\n    role: monitoring', '  analytics:\n    role: environment\n    description: Data analytics\n    network:\n      privateNetwork: { subnet: 10.40.0.0/22 }\n      publicGateway: { type: VPC-GW-S, reservedIp: true }\n\n  monitoring:\n    role: monitoring')
    .replace('backups: { everyHours: 6, retentionDays: 14, sameRegion: false }', 'backups: { everyHours: 12, retentionDays: 14, sameRegion: false }');
  assert.notEqual(changed, example);
  writeFileSync(join(dir, 'landing-zone.yaml'), changed);
  git(dir, 'commit', '-qam', 'add analytics, back up prod every 12 h');

  const r = await runCli(['diff', '--format', 'json'], sandboxEnv(sb), dir);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /base merge base with main/);
  const report = JSON.parse(r.stdout) as { summary: Record<string, number>; entries: { id: string; status: string; conflicts: { field: string; base: unknown; now: unknown; live: unknown }[]; drift: { field: string; base: unknown; live: unknown }[] }[] };
  const entry = (id: string) => report.entries.find((e) => e.id === id)!;
  assert.equal(entry('analytics/project').status, 'added');
  assert.equal(entry('analytics/private-network/analytics-pn').status, 'added');
  assert.equal(report.summary.added, report.entries.filter((e) => e.id.startsWith('analytics/')).length);
  const db = entry('prod/database/main');
  assert.equal(db.status, 'conflict');
  assert.deepEqual(db.conflicts, [{ field: 'backupEveryHours', base: 6, now: 12, live: 24 }]);
  assert.deepEqual(entry('prod/public-gateway/prod-gw').drift, [{ field: 'type', base: 'VPC-GW-M', live: 'VPC-GW-S' }]);
  assert.equal(entry('prod/public-gateway/prod-gw').status, 'drifted');
  assert.equal(entry('security/sso/keycloak').status, 'not-checked', 'what is not read is never unchanged');

  // the same three findings in the text a reviewer reads in a terminal or a CI log
  const t = await runCli(['diff'], sandboxEnv(sb), dir);
  assert.equal(t.code, 3, t.stderr);
  assert.match(t.stdout, /^\d+ added, 0 modified, 0 removed by the change; \d+ drifted in the account; 1 conflict\(s\)/m);
  assert.match(t.stdout, /^added {7}analytics\/project$/m);
  assert.match(t.stdout, /^drifted {5}prod\/public-gateway\/prod-gw\n {12}drifted type: VPC-GW-M → VPC-GW-S in the account$/m);
  assert.match(t.stdout, /^conflict {4}prod\/database\/main\n {12}conflict on backupEveryHours: base 6, the change 12, the account 24$/m);

  const m = await runCli(['diff', '--base', 'main', '--format', 'markdown', '--picture', 'review.svg'], sandboxEnv(sb), dir);
  assert.equal(m.code, 3, m.stderr);
  assert.match(m.stdout, /^### Landing zone review: `landing-zone\.yaml`/);
  assert.match(m.stdout, /!\[The change on the landing-zone diagram\]\(review\.svg\)/);
  assert.match(m.stdout, /#### Conflicts: the change and the account both moved these \(1\)\n\n- `prod\/database\/main`: conflict on backupEveryHours: base 6, the change 12, the account 24/);
  const svg = readFileSync(join(dir, 'review.svg'), 'utf8');
  assert.match(box(svg, 'prod/database/main').cls, /lz-review-conflict/);
  assert.match(box(svg, 'analytics/private-network/analytics-pn').cls, /lz-review-added/);
  assert.match(box(svg, 'prod/public-gateway/prod-gw').cls, /lz-review-drifted/);

  const none = await runCli(['diff', '--base', 'no-such-rev'], sandboxEnv(sb), dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--base no-such-rev: no such revision/);
  const outside = mkdtempSync(join(tmpdir(), 'lz-nogit-'));
  writeFileSync(join(outside, 'landing-zone.yaml'), example);
  const nogit = await runCli(['diff'], sandboxEnv(sb), outside);
  assert.equal(nogit.code, 2);
  assert.match(nogit.stderr, /not in a git repository/);
});
