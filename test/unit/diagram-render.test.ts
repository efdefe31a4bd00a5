// Rendering, failure simulation, the drift overlay, the webview protocol and `landing-zone diagram`.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { simulateFailure } from '../../src/core/diagram/failure';
import { ICONS } from '../../src/core/diagram/icons';
import { DiagramLayoutEngine } from '../../src/core/diagram/layout';
import { overlayFromJson } from '../../src/core/diagram/overlay';
import { diagramSvg, renderDiagram, toSvgString } from '../../src/core/diagram/render';
import { buildDiagram, type DiagramBuild } from '../../src/core/diagram/snapshot';
import type { DiagramOverlay } from '../../src/core/diagram/types';
import { diagramWebviewHtml } from '../../src/core/diagram/webview-html';
import { validateText } from '../../src/core/validate';
import { hostToWebview, parseMessage, webviewToHost } from '../../src/protocol/diagram-messages';
import { diagramMap, renderMap, useMap } from '../../src/core/diagram/map';
import { labelFigures } from '../../src/core/diagram/measure';
import { buildTopology } from '../../src/core/topology';
import { generateLandingZone } from '../../bench/generate';

const root = join(__dirname, '..', '..');
const examplePath = join(root, 'examples', 'landing-zone.yaml');
const example = readFileSync(examplePath, 'utf8');

let cached: Promise<DiagramBuild> | undefined;
const exampleBuild = () => (cached ??= buildDiagram(validateText(example), new DiagramLayoutEngine()).then((b) => b!));

test('the SVG is well-formed, escapes every label, and carries the legend', async () => {
  const b = await exampleBuild();
  const layout = structuredClone(b.layout);
  layout.nodes[0]!.label = '<script>alert("x")</script> & co';
  const svg = diagramSvg(layout, { badges: b.badges, title: 'a<b' });
  assert.ok(!svg.includes('<script>'), 'no raw markup from labels');
  assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; co|&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/scr…/);
  assert.match(svg, /a&lt;b — landing zone/);
  assert.match(svg, /LB ACL admits hub gateway IP/);
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /--vscode-editor-background: #ffffff;/, 'standalone files pin fallback colours');
  // balanced tags
  const open = (svg.match(/<[a-z][^>]*[^/]>/g) ?? []).length;
  const close = (svg.match(/<\/[a-z]+>/g) ?? []).length;
  assert.equal(open, close);
  assert.throws(() => toSvgString({ tag: 'g onload=x', attrs: {}, children: [] }));
  assert.throws(() => toSvgString({ tag: 'g', attrs: { 'on load': 'x' }, children: [] }));
});

test('every node is drawn with its resource id; badges, drift and failure decorate it', async () => {
  const b = await exampleBuild();
  const r = validateText(example);
  const overlay: DiagramOverlay = { states: { 'prod/cluster/apps': 'changed', 'dev/database/main': 'missing' } };
  const scene = renderDiagram(b.layout, { badges: { 'prod/cluster/apps': { severity: 'error', count: 2, messages: ['m1', 'm2'] } }, overlay, failure: simulateFailure(r.model!, b.topology, { kind: 'zone', zone: 'fr-par-1' }) });
  const svg = toSvgString(scene);
  for (const n of b.layout.nodes) assert.ok(svg.includes(`data-id="${n.id}"`), n.id);
  assert.match(svg, /class="lz-node lz-layer-network lz-kind-cluster lz-drift-changed lz-fail-restored" data-id="prod\/cluster\/apps"/);
  assert.match(svg, /lz-badge-error/);
  assert.match(svg, /Drift: coverage 0%/, "neither box is in sync");
  assert.match(svg, /Simulated failure of zone fr-par-1 → DR to fr-par-2/);
});

test('zone failure: zoned boxes lost; clusters by Velero, databases from backup or HA; no recovery without Velero', async () => {
  const b = await exampleBuild();
  const model = validateText(example).model!;
  const f = simulateFailure(model, b.topology, { kind: 'zone', zone: 'fr-par-1' });
  assert.equal(f.fallback, 'fr-par-2');
  assert.equal(f.impacts['prod/cluster/apps']?.status, 'restored');
  assert.equal(f.impacts['prod/cluster/apps']?.restoreTo, 'fr-par-2');
  assert.equal(f.impacts['dev/cluster/apps']?.status, 'unrecoverable', 'velero.clusters lists prod/apps only');
  assert.equal(f.impacts['staging/cluster/apps']?.status, 'unrecoverable');
  assert.equal(f.impacts['prod/database/main']?.status, 'failover', 'HA');
  assert.equal(f.impacts['dev/database/main']?.status, 'restored', 'automatic backups survive a zone');
  assert.equal(f.impacts['prod/public-gateway/prod-gw']?.status, 'lost');
  assert.equal(f.impacts['prod/private-network/prod-pn'], undefined, 'regional');
  assert.equal(f.impacts['prod/bucket/velero'], undefined, 'regional');
  assert.equal(f.impacts['security/key/app-data'], undefined, 'regional');
  assert.deepEqual(simulateFailure(model, b.topology, { kind: 'zone', zone: 'nl-ams-1' }).impacts, {}, 'nothing runs there');
  // without a fallback zone the DR plan has no answer
  const noPlan = validateText(example.replace('  zoneFailure: { fallbackZone: fr-par-2 }\n', '')).model!;
  const g = simulateFailure(noPlan, b.topology, { kind: 'zone', zone: 'fr-par-1' });
  assert.equal(g.impacts['prod/cluster/apps']?.status, 'unrecoverable');
  assert.equal(g.fallback, undefined);
});

test('region failure: data comes back only from copies outside the region', async () => {
  const b = await exampleBuild();
  const model = validateText(example).model!;
  const f = simulateFailure(model, b.topology, { kind: 'region', region: 'fr-par' });
  assert.equal(f.fallback, 'nl-ams');
  assert.equal(f.impacts['prod/database/main']?.status, 'restored', 'backups.sameRegion: false');
  assert.equal(f.impacts['staging/database/main']?.status, 'unrecoverable', 'sameRegion backups in a failed region');
  assert.equal(f.impacts['prod/cluster/apps']?.status, 'restored', 'Velero backups copied to nl-ams');
  assert.equal(f.impacts['prod/bucket/velero']?.status, 'restored');
  assert.equal(f.impacts['devops/bucket/artifacts']?.status, 'unrecoverable');
  assert.equal(f.impacts['security/secret/elasticsearch-credentials']?.status, 'restored', 'replicated to nl-ams');
  assert.equal(f.impacts['security/secret/gitlab-token']?.status, 'unrecoverable');
  assert.equal(f.impacts['security/key/app-data']?.status, 'unrecoverable');
  assert.equal(f.impacts['dr/nl-ams/backups'], undefined, 'the DR site survives');
  assert.equal(f.impacts['iam/application/gitlab-provisioner'], undefined, 'IAM is global');
  assert.equal(f.summary.restored + f.summary.lost + f.summary.unrecoverable + f.summary.failover, Object.keys(f.impacts).length);
});

test('overlay from a drift report rolls child resources up to their box; from a plain map too', async () => {
  const b = await exampleBuild();
  const report = {
    version: 1, inSync: false, summary: { coverage: 100 },
    entries: [
      { id: 'prod/cluster/apps', kind: 'cluster', project: 'prod', name: 'apps', status: 'in-sync' },
      { id: 'prod/pool/apps-default', kind: 'pool', project: 'prod', name: 'default', status: 'changed' },
      { id: 'dev/lb-acl/apps-lb-https-allow-security', kind: 'lb-acl', project: 'dev', name: 'allow-security', status: 'missing' },
      { id: 'iam/api-key/gitlab-provisioner', kind: 'api-key', project: 'iam', name: 'gitlab-provisioner', status: 'changed' },
      { id: 'prod/bucket/tmp', kind: 'bucket', project: 'prod', name: 'tmp', status: 'unmanaged' },
      { id: 'prod/database/main', kind: 'database', project: 'prod', name: 'main', status: 'not-checked' },
      // accepted by drift.ignore: neither drawn nor counted in the coverage
      { id: 'legacy-poc/project', kind: 'project', project: 'legacy-poc', name: 'legacy-poc', status: 'in-sync', undeclared: true },
    ],
  };
  const o = overlayFromJson(report, b.topology) as DiagramOverlay;
  assert.ok(!('error' in o));
  assert.equal(o.states['prod/cluster/apps'], 'changed', 'the pool drifted');
  assert.equal(o.states['dev/load-balancer/apps-lb'], 'missing', 'an ACL is missing');
  assert.equal(o.states['iam/application/gitlab-provisioner'], 'changed');
  assert.equal(o.states['prod/database/main'], undefined, 'not checked draws nothing');
  assert.deepEqual(o.unmanaged, [{ id: 'prod/bucket/tmp', project: 'prod', kind: 'bucket', name: 'tmp' }]);
  assert.equal(Math.round(o.coverage!), 25);
  const m = overlayFromJson({ 'prod/cluster/apps': 'in-sync', 'dev/database/main': 'missing' }, b.topology) as DiagramOverlay;
  assert.deepEqual(m.states, { 'prod/cluster/apps': 'in-sync', 'dev/database/main': 'missing' });
  assert.match((overlayFromJson({ 'prod/cluster/apps': 'weird' }) as { error: string }).error, /unknown drift state "weird"/);
  assert.ok('error' in overlayFromJson([1, 2]));
});

test('the protocol accepts the engine\'s snapshot and rejects what it does not know', async () => {
  const b = await exampleBuild();
  const snapshot = JSON.parse(JSON.stringify({ type: 'snapshot', seq: 1, documentUri: 'file:///x.yaml', layout: b.layout, decorations: { badges: b.badges, title: b.title }, counts: b.counts, choices: b.choices, stale: false }));
  assert.ok(parseMessage(hostToWebview, snapshot), 'a real snapshot passes');
  assert.equal(parseMessage(hostToWebview, { ...snapshot, extra: 1 }), undefined, 'unknown keys are refused');
  assert.equal(parseMessage(hostToWebview, { ...snapshot, seq: -1 }), undefined);
  const range = b.layout.nodes[0]!.range!;
  assert.deepEqual(parseMessage(webviewToHost, { type: 'reveal', nodeId: 'prod/cluster/apps', range }), { type: 'reveal', nodeId: 'prod/cluster/apps', range });
  assert.equal(parseMessage(webviewToHost, { type: 'reveal', nodeId: 'x', range: { start: { line: -1, character: 0 }, end: range.end } }), undefined);
  assert.equal(parseMessage(webviewToHost, { type: 'export', format: 'png', data: 'not base64!' }), undefined);
  assert.equal(parseMessage(webviewToHost, { type: 'simulate', scenario: { kind: 'zone' } }), undefined);
  assert.ok(parseMessage(webviewToHost, { type: 'simulate', scenario: null }));
  assert.equal(parseMessage(webviewToHost, { type: 'eval', code: '1' }), undefined);
  assert.deepEqual(parseMessage(webviewToHost, { type: 'viewport', width: 1600, height: 1000 }), { type: 'viewport', width: 1600, height: 1000 });
  for (const bad of [{ width: 0, height: 900 }, { width: 800.5, height: 900 }, { width: 800, height: 900, extra: 1 }]) assert.equal(parseMessage(webviewToHost, { type: 'viewport', ...bad }), undefined);
});

test('the webview page: strict CSP, nonce on every script and style, no inline script', () => {
  const html = diagramWebviewHtml({ cspSource: 'vscode-webview://abc', nonce: 'n0nceN0nceN0nceN0nce', scriptUri: 'vscode-webview://abc/dist/webview.js', cssUri: 'vscode-webview://abc/media/diagram.css' });
  assert.match(html, /content="default-src 'none'; img-src vscode-webview:\/\/abc data: blob:; style-src vscode-webview:\/\/abc 'nonce-n0nceN0nceN0nceN0nce'; script-src 'nonce-n0nceN0nceN0nceN0nce'"/);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]![1]!, /nonce="n0nceN0nceN0nceN0nce" src=/);
  assert.equal(scripts[0]![2], '', 'no inline script');
  assert.ok(!/https?:\/\//.test(html.replace('http://www.w3.org', '')), 'no remote content');
  assert.throws(() => diagramWebviewHtml({ cspSource: 'x', nonce: 'short', scriptUri: 'a', cssUri: 'b' }));
});

test('icons are the codicons of @vscode/codicons', () => {
  const dir = join(root, 'node_modules', '@vscode', 'codicons', 'src', 'icons');
  if (!existsSync(dir)) return;
  const available = new Set(readdirSync(dir));
  for (const [name, paths] of Object.entries(ICONS)) {
    assert.ok(available.has(`${name}.svg`), name);
    const svg = readFileSync(join(dir, `${name}.svg`), 'utf8');
    for (const p of paths) assert.ok(svg.includes(`d="${p.d}"`), `${name} path matches the package`);
  }
});

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough(); const stderr = new PassThrough();
  let out = ''; let err = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const io: CliIo = { stdout, stderr, stdin: Readable.from(['']), cwd, env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}

test('landing-zone diagram writes SVG (file or stdout), with overlay and failure; usage errors exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-diagram-'));
  const r = await cli(['diagram', examplePath, '--out', 'out/x.svg'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrote out\/x.svg \(6 projects, \d+ boxes, \d+ edges\)/);
  assert.match(readFileSync(join(dir, 'out', 'x.svg'), 'utf8'), /<svg[\s\S]*prod[\s\S]*<\/svg>/);
  const s = await cli(['diagram', '--file', examplePath, '--fail-zone', 'fr-par-1'], dir);
  assert.equal(s.code, 0);
  assert.match(s.stdout, /^<\?xml[\s\S]*Simulated failure of zone fr-par-1/);
  writeFileSync(join(dir, 'drift.json'), JSON.stringify({ 'prod/cluster/apps': 'changed' }));
  const o = await cli(['diagram', examplePath, '--overlay', 'drift.json'], dir);
  assert.equal(o.code, 0);
  assert.match(o.stdout, /lz-drift-changed/);
  writeFileSync(join(dir, 'bad.json'), '{"prod/cluster/apps": "purple"}');
  for (const args of [['--out', 'x.gif'], ['--fail-zone', 'mars-1'], ['--fail-zone', 'fr-par-1', '--fail-region', 'fr-par'], ['--overlay', 'nope.json'], ['--overlay', 'bad.json'], ['--bogus']]) {
    const u = await cli(['diagram', examplePath, ...args], dir);
    assert.equal(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
    assert.ok(!/\n\s+at /.test(u.stderr), 'no stack trace');
  }
  writeFileSync(join(dir, 'broken.yaml'), 'version: 1\nprojects: [\n');
  const bad = await cli(['diagram', 'broken.yaml'], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /cannot be drawn; run `landing-zone validate broken.yaml`/);
  assert.equal((await cli(['diagram', 'missing.yaml'], dir)).code, 2);
});

test('landing-zone diagram --detail and --layers: cards, the map beyond 60 projects, the layers asked for; PNG of the overview at panel size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-diagram-detail-'));
  const ov = await cli(['diagram', examplePath, '--detail', 'overview'], dir);
  assert.equal(ov.code, 0, ov.stderr);
  assert.match(ov.stdout, /class="lz-diagram lz-detail-overview/);
  assert.ok(!ov.stdout.includes('class="lz-node '), 'cards, not resource boxes');
  const figures = labelFigures(renderDiagram((await exampleBuild()).layout, {}, { detail: 'overview' }));
  assert.deepEqual([figures.clipped, figures.overlaps], [[], []]);
  // every layer: key and backup edges are in the file; by default they are not
  const all = await cli(['diagram', examplePath, '--layers', 'network,iam,dr'], dir);
  const plain = await cli(['diagram', examplePath], dir);
  // (edges carry their id; the legend's swatches only the class)
  assert.match(all.stdout, /data-id="key-use:/);
  assert.match(all.stdout, /data-id="backup:/);
  assert.ok(!/data-id="key-use:/.test(plain.stdout) && !/data-id="backup:/.test(plain.stdout), 'no key or backup edge by default');
  const iamOnly = await cli(['diagram', examplePath, '--layers', 'iam'], dir);
  assert.ok(!/data-id="acl:/.test(iamOnly.stdout) && /data-id="key-use:/.test(iamOnly.stdout), 'only the iam layer');
  // 500 projects: the map, grouped by role, every name drawn, nothing clipped
  writeFileSync(join(dir, 'big.yaml'), generateLandingZone(500));
  const big = await cli(['diagram', 'big.yaml', '--detail', 'overview', '--out', 'big.svg'], dir);
  assert.equal(big.code, 0, big.stderr + big.stdout.slice(0, 300));
  assert.match(big.stdout, /500 projects, a map by role/);
  const svg = readFileSync(join(dir, 'big.svg'), 'utf8');
  assert.equal(svg.match(/class="lz-chip[ "]/g)?.length, 502);
  assert.match(svg, /environments · 497 projects/);
  const png = await cli(['diagram', examplePath, '--detail', 'overview', '--out', 'ov.png'], dir);
  assert.equal(png.code, 0, png.stderr);
  const head = readFileSync(join(dir, 'ov.png'));
  assert.equal(head.readUInt32BE(16), 2400, 'drawn as a 1,200 px panel shows it, at 2×');
  for (const args of [['--detail', 'medium'], ['--layers', 'network,costs']]) {
    const u = await cli(['diagram', examplePath, ...args], dir);
    assert.equal(u.code, 2);
    assert.match(u.stderr, args[0] === '--detail' ? /--detail must be overview or full/ : /unknown layer "costs"; layers: network, iam, dr/);
  }
  // --aspect: the picture a full-width panel shows (more columns), as the panel lays it out for its shape
  writeFileSync(join(dir, 'fifty.yaml'), generateLandingZone(50));
  const size = (svg: string) => { const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!; return Number(m[1]) / Number(m[2]); };
  const half = await cli(['diagram', 'fifty.yaml', '--detail', 'overview'], dir);
  const wide = await cli(['diagram', 'fifty.yaml', '--detail', 'overview', '--aspect', '16:10'], dir);
  assert.equal(wide.code, 0, wide.stderr);
  assert.ok(size(wide.stdout) > 1.3 * size(half.stdout), `16:10 draws wider: ${size(wide.stdout).toFixed(2)} against ${size(half.stdout).toFixed(2)}`);
  assert.equal((await cli(['diagram', 'fifty.yaml', '--aspect', '1600x1000'], dir)).code, 0);
  // the example for the half-width panel's canvas: the CLI draws every card where the panel's engine puts it (hubs in a band, spokes above and below)
  for (const aspect of ['800:842', '16:10']) {
    const drawn = await cli(['diagram', examplePath, '--detail', 'overview', '--aspect', aspect], dir);
    assert.equal(drawn.code, 0, drawn.stderr);
    const cards = new Map([...drawn.stdout.matchAll(/<g class="lz-group lz-card[^"]*" data-id="([^"]+)">\s*<rect class="lz-group-box" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => [m[1], m.slice(2, 6).map(Number)]));
    const engine = new DiagramLayoutEngine();
    const [w, h] = aspect.split(':').map(Number);
    engine.aspect = w! / h!;
    const panel = await engine.layout(buildTopology(validateText(example).model!));
    assert.equal(cards.size, panel.groups.length, `${aspect}: a card per group`);
    for (const g of panel.groups) assert.deepEqual(cards.get(g.id), [g.x, g.y, g.width, g.height].map((v) => Number(v.toFixed(1))), `${aspect}: ${g.id} where the panel draws it`);
    const sec = panel.groups.find((g) => g.id === 'security/project')!; const dev = panel.groups.find((g) => g.id === 'devops/project')!;
    assert.equal(sec.y === dev.y, aspect === '800:842', `${aspect}: the hubs ${aspect === '800:842' ? 'side by side in a band' : 'stacked in the middle column'}`);
  }
  const bad = await cli(['diagram', 'fifty.yaml', '--aspect', 'wide'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--aspect must be a width:height between 2:5 and 4:1 \(e\.g\. 16:10 or 1\.6\), got "wide"/);
});

test('the map: chips grouped by role, names at a size that reads after one zoom step in a half-width panel, none clipped', async () => {
  const layout = await new DiagramLayoutEngine().layout(buildTopology(validateText(generateLandingZone(500)).model!));
  assert.ok(useMap(layout));
  const map = diagramMap(layout, 784 / 800);
  assert.deepEqual(map.sections.map((s) => s.title.split(' ·')[0]), ['hubs', 'organisation-wide', 'monitoring', 'environments']);
  assert.equal(map.sections.reduce((n, s) => n + s.chips.length, 0), layout.groups.length);
  const k = Math.min(784 / map.width, 800 / map.height);
  assert.ok(12 * k * 1.25 >= 11, `names at ${(12 * k * 1.25).toFixed(1)} px after one step`);
  const f = labelFigures(renderMap(layout, map));
  assert.deepEqual([f.clipped, f.overlaps], [[], []]);
  assert.equal(f.labels, layout.groups.length + map.sections.length);
  // no chip overlaps another
  const chips = map.sections.flatMap((s) => s.chips);
  for (let i = 0; i < chips.length; i++) for (let j = i + 1; j < chips.length; j++) {
    const a = chips[i]!; const b = chips[j]!;
    assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, `${a.id} overlaps ${b.id}`);
  }
});

test('the example is laid out without an elk call (its units are small trees), and elk is still there for the rest', async () => {
  const t = buildTopology(validateText(example).model!);
  const engine = new DiagramLayoutEngine();
  const own = await engine.layout(t);
  assert.equal(engine.lastStats.elkUnits, 0);
  assert.ok(engine.lastStats.laidOut > 5);
  const elkOnly = new DiagramLayoutEngine(undefined, { elkOnly: true });
  const viaElk = await elkOnly.layout(t);
  assert.ok(elkOnly.lastStats.elkUnits > 5);
  // the same picture, near enough: the same boxes, every project as wide
  assert.deepEqual(own.nodes.map((n) => n.id), viaElk.nodes.map((n) => n.id));
  assert.deepEqual(own.groups.map((g) => g.width), viaElk.groups.map((g) => g.width));
  assert.equal(own.width, viaElk.width);
});

test('the overview\'s ACL edges are a tree per side: a trunk in each gutter, one short straight tick per spoke, nothing across a card', async () => {
  // the example at 1:1 is arranged in rows (hubs in a band, spokes above and below), at 16:10 in columns
  for (const [name, text, aspect] of [['example', example, 1], ['example at 16:10', example, 1.6], ['50 projects', generateLandingZone(50), 1]] as const) {
    const engine = new DiagramLayoutEngine();
    engine.aspect = aspect;
    const { layout } = (await buildDiagram(validateText(text), engine))!;
    const paths: { d: string; cls: string; id?: string; title?: string }[] = [];
    const walk = (e: ReturnType<typeof renderDiagram>) => {
      if (e.tag === 'path' && /\blz-edge-overview\b/.test(e.attrs.class ?? '')) {
        const t = e.children.find((c) => typeof c !== 'string' && c.tag === 'title');
        paths.push({ d: e.attrs.d!, cls: e.attrs.class!, id: e.attrs['data-id'], title: t && typeof t !== 'string' ? String(t.children[0]) : undefined });
      }
      for (const c of e.children) if (typeof c !== 'string') walk(c);
    };
    walk(renderDiagram(layout, {}, { detail: 'overview', zoom: 0.15 }));
    const pts = (d: string) => [...d.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const groupOf = new Map(layout.nodes.map((n) => [n.id, n.group]));
    const spokes = new Set(layout.edges.filter((e) => e.kind === 'acl').map((e) => groupOf.get(e.target)!));
    const ticks = paths.filter((p) => p.id?.startsWith('overview:'));
    assert.deepEqual(ticks.map((t) => t.id!.slice('overview:'.length)).sort(), [...spokes].sort(), `${name}: one tick per spoke that admits a hub`);
    for (const t of ticks) {
      const [a, b] = pts(t.d);
      const g = layout.groups.find((x) => x.id === t.id!.slice('overview:'.length))!;
      // across a gutter between columns, or (turned) across a gap between rows
      const across = a!.y === b!.y;
      assert.ok(across || a!.x === b!.x, `${t.id}: straight`);
      const run = across ? Math.abs(b!.x - a!.x) : Math.abs(b!.y - a!.y);
      assert.ok(run <= 48, `${t.id}: short (${run} px, within the gutter)`);
      if (across) assert.ok(b!.x === g.x || b!.x === g.x + g.width, `${t.id}: ends on its card's side`);
      else assert.ok(b!.y === g.y || b!.y === g.y + g.height, `${t.id}: ends on its card's top or bottom`);
      assert.match(t.title ?? '', /admits the gateway IP of (security|devops)/);
    }
    // every segment is horizontal or vertical and runs through no card (ends may touch one)
    for (const p of paths) {
      const q = pts(p.d);
      for (let i = 0; i + 1 < q.length; i++) {
        const [a, b] = [q[i]!, q[i + 1]!];
        assert.ok(a.x === b.x || a.y === b.y, `${name}: orthogonal ${p.d}`);
        for (const g of layout.groups) {
          const inX = Math.max(a.x, b.x) > g.x + 1 && Math.min(a.x, b.x) < g.x + g.width - 1;
          const inY = Math.max(a.y, b.y) > g.y + 1 && Math.min(a.y, b.y) < g.y + g.height - 1;
          assert.ok(!(inX && inY), `${name}: ${p.d} crosses ${g.id}`);
        }
      }
    }
    // no fan: far fewer lines than hub-spoke pairs once there are many spokes
    if (spokes.size > 20) assert.ok(paths.length < 2 * spokes.size, `${name}: ${paths.length} paths for ${spokes.size} spokes`);
  }
});
