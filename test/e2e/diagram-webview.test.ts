// The diagram webview app in headless Chromium. The page is the one the extension serves (same
// HTML builder, same CSP, the real bundle); the test stands in for VS Code by installing a fake
// `acquireVsCodeApi` — the host boundary — that records what the app posts. Screenshots go to
// .vscode-test/shots/ and are meant to be looked at.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { validateText } from '../../src/core/validate';
import { DiagramLayoutEngine } from '../../src/core/diagram/layout';
import { buildDiagram, type DiagramBuild } from '../../src/core/diagram/snapshot';
import { simulateFailure } from '../../src/core/diagram/failure';
import { diagramWebviewHtml } from '../../src/core/diagram/webview-html';
import type { DiagramOverlay } from '../../src/core/diagram/types';
import type { SnapshotMessage } from '../../src/protocol/diagram-messages';

const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(root, '.vscode-test', 'shots');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

interface Recorded { posted: unknown[]; state: unknown; csp: string[] }

describe('diagram webview in Chromium', { skip }, () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  let build: DiagramBuild;
  let snapshot: SnapshotMessage;
  const pageErrors: string[] = [];

  before(async () => {
    // Bundle the app from source so the test exercises the current code, not a stale dist/.
    const bundle = await esbuild.build({ entryPoints: [join(root, 'webview', 'main.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'silent' });
    const js = bundle.outputFiles[0]!.text;
    const css = readFileSync(join(root, 'media', 'diagram.css'), 'utf8');
    const nonce = randomBytes(18).toString('base64url');
    server = createServer((req, res) => {
      if (req.url === '/webview.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return; }
      if (req.url === '/diagram.css') { res.writeHead(200, { 'content-type': 'text/css' }); res.end(css); return; }
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(diagramWebviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, cssUri: `${origin}/diagram.css` }));
        return;
      }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const result = validateText(readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8'));
    // laid out for this page's wide canvas, as the host does for the panel's reported shape
    const engine = new DiagramLayoutEngine();
    engine.aspect = 2900 / 1200;
    build = (await buildDiagram(result, engine))!;
    assert.ok(build, 'the example has a model');
    snapshot = toSnapshot(build, 1);
    mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function openPage(state?: unknown): Promise<Page> {
    // wide enough that the fitted example shows its resources (a half-width panel shows cards:
    // diagram-readable.test.ts)
    const page = await browser.newPage({ viewport: { width: 2900, height: 1200 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A string, not a function: tsx's transform would leave helper calls in a serialised function.
    await page.addInitScript(`(() => {
      // The fake VS Code API: the only thing the app sees of its host.
      const rec = { posted: [], state: ${JSON.stringify(state ?? null)} ?? undefined, csp: [] };
      window.__rec = rec;
      let acquired = false;
      window.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (m) => rec.posted.push(JSON.parse(JSON.stringify(m))),
          getState: () => rec.state,
          setState: (s) => { rec.state = JSON.parse(JSON.stringify(s)); },
        };
      };
      document.addEventListener('securitypolicyviolation', (e) => rec.csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
    })();`);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (window as unknown as { __rec: Recorded }).__rec.posted.length > 0);
    return page;
  }

  const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __rec: Recorded }).__rec);
  const push = (page: Page, message: unknown) => page.evaluate((m) => window.postMessage(m, '*'), message);
  async function pushAndWait(page: Page, message: SnapshotMessage) {
    await push(page, message);
    // every box, or at low zoom every project's card
    await page.waitForFunction(([n, g]) => document.querySelectorAll('.lz-node').length === n || (document.querySelector('.lz-detail-overview') !== null && document.querySelectorAll('.lz-card').length === g), [message.layout.nodes.length, message.layout.groups.length]);
  }

  test('says ready, renders the example with every project and no overlapping boxes', async () => {
    const page = await openPage();
    assert.deepEqual((await recorded(page)).posted[0], { type: 'ready' });
    await pushAndWait(page, snapshot);
    const groups = await page.$$eval('.lz-group', (els) => els.map((e) => e.getAttribute('data-id')));
    for (const p of ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']) assert.ok(groups.includes(`${p}/project`), `${p} drawn`);
    const boxes = await page.$$eval('.lz-node .lz-node-box', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
    assert.equal(boxes.length, build.layout.nodes.length);
    for (const b of boxes) assert.ok(b.w > 20 && b.h > 5 && Number.isFinite(b.x) && Number.isFinite(b.y), 'sane box');
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!; const b = boxes[j]!;
        const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
        assert.ok(!overlap, `boxes ${i} and ${j} overlap`);
      }
    }
    // the fitted diagram is inside the panel
    const svg = await page.$eval('.lz-canvas svg .lz-viewport', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
    assert.ok(svg.x >= -1 && svg.y >= 0 && svg.x + svg.w <= 2901 && svg.w > 800, `fitted: ${JSON.stringify(svg)}`);
    await page.screenshot({ path: join(shots, 'diagram-example.png') });
    const rec = await recorded(page);
    assert.deepEqual(rec.csp, [], 'no CSP violations');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('at 100% every label is readable (screenshot of the spokes)', async () => {
    const prod = build.layout.groups.find((g) => g.id === 'prod/project')!;
    const staging = build.layout.groups.find((g) => g.id === 'staging/project')!;
    // a saved view: zoom 1, scrolled so that staging and prod fill the panel
    const page = await openPage({ documentUri: 'file:///x', view: { k: 1, x: 20 - staging.x, y: 20 - (prod.y + 92) + 60 } });
    await pushAndWait(page, snapshot);
    const label = await page.$eval('.lz-node[data-id="prod/cluster/apps"] .lz-node-label', (e) => { const r = e.getBoundingClientRect(); return { h: r.height, text: e.textContent }; });
    assert.equal(label.text, 'apps');
    assert.ok(label.h >= 10, `12px text is drawn at full size (${label.h})`);
    await page.screenshot({ path: join(shots, 'diagram-example-100.png') });
    await page.close();
  });

  test('a dark theme\'s variables restyle the diagram (screenshot)', async () => {
    const page = await openPage();
    // VS Code sets its theme colours as CSS variables on <html>; these are Dark Modern's
    await page.evaluate(`(() => {
      const dark = { '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc', '--vscode-foreground': '#cccccc',
        '--vscode-descriptionForeground': '#9d9d9d', '--vscode-sideBar-background': '#181818', '--vscode-panel-border': '#2b2b2b',
        '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#454545', '--vscode-icon-foreground': '#cccccc',
        '--vscode-focusBorder': '#0078d4', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
        '--vscode-charts-green': '#89d185', '--vscode-charts-red': '#f14c4c', '--vscode-disabledForeground': '#8c8c8c',
        '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131',
        '--vscode-button-secondaryForeground': '#cccccc', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc' };
      for (const [k, v] of Object.entries(dark)) document.documentElement.style.setProperty(k, v);
    })()`);
    const s = toSnapshot(build, 2);
    const result = validateText(readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8'));
    s.scenario = { kind: 'region', region: 'fr-par' };
    s.decorations.failure = simulateFailure(result.model!, build.topology, s.scenario);
    await pushAndWait(page, s);
    const bg = await page.$eval('body', (e) => getComputedStyle(e).backgroundColor);
    assert.equal(bg, 'rgb(31, 31, 31)');
    const label = await page.$eval('.lz-node-label', (e) => getComputedStyle(e).fill);
    assert.equal(label, 'rgb(204, 204, 204)');
    await page.screenshot({ path: join(shots, 'diagram-dark-region-failure.png') });
    assert.deepEqual((await recorded(page)).csp, []);
    await page.close();
  });

  test('a click on a box posts reveal with that box\'s range; a group header reveals the project', async () => {
    const page = await openPage();
    await pushAndWait(page, snapshot);
    const target = build.layout.nodes.find((n) => n.id === 'prod/cluster/apps')!;
    await page.click('.lz-node[data-id="prod/cluster/apps"]');
    let rec = await recorded(page);
    const reveal = rec.posted.find((m) => (m as { type: string }).type === 'reveal');
    assert.deepEqual(reveal, { type: 'reveal', nodeId: 'prod/cluster/apps', range: target.range });
    assert.equal(target.range!.start.line, lineOf('examples/landing-zone.yaml', /^ {6}apps:/, 'prod'), 'the range is the cluster key in prod');
    assert.equal(await page.$eval('.lz-node[data-id="prod/cluster/apps"]', (e) => e.classList.contains('lz-selected')), true);
    assert.equal((rec.state as { selected?: string }).selected, 'prod/cluster/apps', 'selection persisted with setState');
    await page.click('.lz-group-head[data-id="staging/project"]');
    rec = await recorded(page);
    const last = rec.posted.at(-1) as { type: string; nodeId: string };
    assert.equal(last.type, 'reveal');
    assert.equal(last.nodeId, 'staging/project');
    await page.close();
  });

  test('1,000 malformed messages are dropped without a crash, labels stay text, and it still renders', async () => {
    const page = await openPage();
    const debugDrops: string[] = [];
    page.on('console', (m) => { if (m.type() === 'debug' && m.text().includes('dropped an invalid message')) debugDrops.push(m.text()); });
    await pushAndWait(page, snapshot);
    const recipes = malformed(snapshot, 1000);
    assert.equal(recipes.length, 1000);
    // Mutated copies are made in the page from one snapshot: 1,000 full copies over CDP would be slow.
    await page.evaluate(`((snapshot, recipes) => {
      for (const r of recipes) {
        let m = r.path.length === 0 ? r.value : structuredClone(snapshot);
        if (r.path.length > 0) {
          m.seq = 100000 + r.i; // newer than anything: one that got through would replace the diagram
          let o = m;
          for (const k of r.path.slice(0, -1)) o = o[k];
          const last = r.path[r.path.length - 1];
          if (r.remove) delete o[last]; else o[last] = r.value;
        }
        window.postMessage(m, '*');
      }
    })(${JSON.stringify(snapshot)}, ${JSON.stringify(recipes)})`);
    const hostile = toSnapshot(build, 10_000_000);
    hostile.layout.nodes[0]!.label = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    await push(page, hostile);
    // messages are handled in order: once this one is drawn, the junk before it has been handled
    await page.waitForFunction(() => document.querySelector('.lz-node .lz-node-label')?.textContent?.startsWith('<img'));
    for (let i = 0; i < 50 && debugDrops.length < 1000; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(debugDrops.length, 1000, 'each one dropped with a debug line');
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      text: document.querySelector('.lz-node .lz-node-label')?.textContent ?? '',
    }));
    assert.equal(state.pwned, undefined);
    assert.equal(state.scripts, 1, 'only the app script');
    assert.equal(state.imgs, 0);
    assert.ok(state.text.startsWith('<img'), 'the label is shown as text');
    assert.equal(await page.$$eval('.lz-node', (e) => e.length), build.layout.nodes.length);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual((await recorded(page)).csp, []);
    await page.close();
  });

  test('layer toggles show key and backup edges (off by default), hide network edges, and are persisted', async () => {
    const page = await openPage();
    await pushAndWait(page, snapshot);
    const display = (id: string) => page.$eval(`.lz-edge[data-id="${id}"]`, (e) => getComputedStyle(e).display);
    assert.equal(await display('key-use:security/key/app-data->prod/cluster/apps'), 'none', 'key edges are off by default');
    assert.equal(await page.$eval('button:has-text("Keys & secrets")', (e) => e.getAttribute('aria-pressed')), 'false');
    await page.click('button:has-text("Keys & secrets")');
    assert.notEqual(await display('key-use:security/key/app-data->prod/cluster/apps'), 'none');
    assert.notEqual(await page.$eval('.lz-node[data-id="security/key/app-data"]', (e) => getComputedStyle(e).display), 'none', 'boxes stay');
    assert.deepEqual(((await recorded(page)).state as { hiddenLayers?: string[] }).hiddenLayers, ['dr']);
    assert.equal(await page.$eval('button:has-text("Keys & secrets")', (e) => e.getAttribute('aria-pressed')), 'true');
    await page.click('button:has-text("Network")');
    assert.equal(await display('attachment:prod/cluster/apps->prod/private-network/prod-pn'), 'none');
    await page.close();
  });

  test('a saved view (zoom, layers, scenario) is restored after a reload', async () => {
    const page = await openPage({ documentUri: 'file:///x', view: { k: 0.5, x: 10, y: 20 }, hiddenLayers: ['dr'], scenario: { kind: 'zone', zone: 'fr-par-1' } });
    const posted = (await recorded(page)).posted;
    assert.deepEqual(posted.filter((m) => (m as { type: string }).type !== 'viewport').slice(0, 2), [{ type: 'ready' }, { type: 'simulate', scenario: { kind: 'zone', zone: 'fr-par-1' } }]);
    // and the canvas's size, so that the host lays the projects out to the panel's shape
    const viewport = posted.find((m) => (m as { type: string }).type === 'viewport') as { width: number; height: number } | undefined;
    assert.ok(viewport && viewport.width > viewport.height, `the canvas of a wide page: ${JSON.stringify(viewport)}`);
    await pushAndWait(page, snapshot);
    assert.equal(await page.$eval('.lz-viewport', (e) => e.getAttribute('transform')), 'translate(10.0,20.0) scale(0.500000)');
    assert.equal(await page.$eval('.lz-canvas svg', (e) => e.classList.contains('lz-hide-dr')), true);
    await page.close();
  });

  test('drift overlay: states, coverage and unmanaged resources (screenshot)', async () => {
    const page = await openPage();
    const overlay: DiagramOverlay = { states: {}, unmanaged: [{ id: 'prod/bucket/tmp-export', project: 'prod', kind: 'bucket', name: 'tmp-export' }, { id: 'dev/load-balancer/old-lb', project: 'dev', kind: 'load-balancer', name: 'old-lb' }] };
    for (const n of build.layout.nodes) overlay.states[n.id] = 'in-sync';
    overlay.states['prod/cluster/apps'] = 'changed';
    overlay.states['staging/load-balancer/apps-lb'] = 'changed';
    overlay.states['dev/database/main'] = 'missing';
    overlay.states['security/secret/gitlab-token'] = 'missing';
    const s = toSnapshot(build, 2);
    s.decorations.overlay = overlay;
    await pushAndWait(page, s);
    assert.equal(await page.$eval('.lz-node[data-id="prod/cluster/apps"]', (e) => e.classList.contains('lz-drift-changed')), true);
    assert.equal(await page.$eval('.lz-node[data-id="dev/database/main"]', (e) => e.classList.contains('lz-drift-missing')), true);
    const legend = await page.$$eval('.lz-header text', (els) => els.map((e) => e.textContent).join(' | '));
    assert.match(legend, /coverage 9\d%/);
    assert.match(await page.$eval('.lz-group[data-id="prod/project"] .lz-unmanaged-text', (e) => e.textContent ?? ''), /\+1 unmanaged/);
    await page.screenshot({ path: join(shots, 'diagram-drift.png') });
    await page.close();
  });

  test('zone-failure simulation: lost, restored and unrecoverable boxes (screenshot)', async () => {
    const page = await openPage();
    await pushAndWait(page, snapshot);
    await page.selectOption('select.lz-select', 'zone:fr-par-1');
    const rec = await recorded(page);
    assert.deepEqual(rec.posted.at(-1), { type: 'simulate', scenario: { kind: 'zone', zone: 'fr-par-1' } });
    // what the host answers
    const result = validateText(readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8'));
    const s = toSnapshot(build, 3);
    s.scenario = { kind: 'zone', zone: 'fr-par-1' };
    s.decorations.failure = simulateFailure(result.model!, build.topology, s.scenario);
    await pushAndWait(page, s);
    const cls = (id: string) => page.$eval(`.lz-node[data-id="${id}"]`, (e) => e.getAttribute('class') ?? '');
    assert.match(await cls('prod/cluster/apps'), /lz-fail-restored/);
    assert.match(await cls('dev/cluster/apps'), /lz-fail-unrecoverable/, 'dev/apps is not covered by Velero');
    assert.match(await cls('prod/database/main'), /lz-fail-failover/);
    assert.match(await cls('dev/database/main'), /lz-fail-restored/);
    assert.match(await cls('prod/public-gateway/prod-gw'), /lz-fail-lost/);
    assert.doesNotMatch(await cls('prod/private-network/prod-pn'), /lz-fail/);
    assert.equal(await page.$eval('select.lz-select', (e) => (e as HTMLSelectElement).value), 'zone:fr-par-1');
    await page.screenshot({ path: join(shots, 'diagram-zone-failure.png') });
    await page.close();
  });

  test('the cursor\'s box is highlighted, and a stale snapshot says so', async () => {
    const page = await openPage();
    await pushAndWait(page, snapshot);
    const s = toSnapshot(build, 7);
    s.decorations.highlighted = 'staging/database/main';
    s.stale = true;
    s.counts = { errors: 2, warnings: 0, infos: 0 };
    await pushAndWait(page, s);
    assert.equal(await page.$eval('.lz-node[data-id="staging/database/main"]', (e) => e.classList.contains('lz-highlighted')), true);
    assert.equal(await page.$$eval('.lz-highlighted', (e) => e.length), 1);
    assert.match(await page.$eval('.lz-status', (e) => e.textContent ?? ''), /2 errors, 0 warnings · the file has errors: showing its last valid diagram/);
    // an older snapshot arriving late is ignored
    await push(page, toSnapshot(build, 6));
    await page.waitForTimeout(100);
    assert.equal(await page.$$eval('.lz-highlighted', (e) => e.length), 1);
    await page.close();
  });

  test('export PNG and SVG post the files to the host', async () => {
    const page = await openPage();
    await pushAndWait(page, snapshot);
    await page.click('button:has-text("Export SVG")');
    await page.click('button:has-text("Export PNG")');
    await page.waitForFunction(() => (window as unknown as { __rec: Recorded }).__rec.posted.some((m) => (m as { format?: string }).format === 'png'));
    const posted = (await recorded(page)).posted as { type: string; format?: string; data?: string }[];
    const svg = posted.find((m) => m.format === 'svg')!;
    assert.match(svg.data!, /^<\?xml[\s\S]*<svg[\s\S]*prod[\s\S]*<\/svg>\s*$/);
    const png = posted.find((m) => m.format === 'png')!;
    assert.ok(Buffer.from(png.data!, 'base64').subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG');
    assert.deepEqual((await recorded(page)).csp, []);
    await page.close();
  });
});

function toSnapshot(build: DiagramBuild, seq: number): SnapshotMessage {
  return JSON.parse(JSON.stringify({
    type: 'snapshot', seq, documentUri: 'file:///work/examples/landing-zone.yaml', layout: build.layout,
    decorations: { badges: build.badges, title: build.title }, counts: build.counts, choices: build.choices, stale: false,
  })) as SnapshotMessage;
}

function lineOf(file: string, pattern: RegExp, after: string): number {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l === `  ${after}:`);
  return lines.findIndex((l, i) => i > start && pattern.test(l));
}

interface Recipe { i: number; path: (string | number)[]; value?: unknown; remove?: boolean }

/**
 * Deterministic junk as recipes applied to a copy of a valid snapshot: wrong types, missing
 * fields, unknown message types, over-long strings, bad nested values, whole non-objects.
 * JSON carries the values, so NaN and undefined are not among them; null and wrong types are.
 */
function malformed(valid: SnapshotMessage, count: number): Recipe[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const whole: unknown[] = [null, 0, -1, '', 'x'.repeat(5000), true, [], {}, [1, 2, 3], { a: { b: { c: {} } } }, '<script>alert(1)</script>', { type: 'snapshot' }];
  // values that no field of a snapshot accepts (wrong type, or a string over every length limit)
  const invalid: unknown[] = [null, 'x'.repeat(5000), { a: { b: {} } }, [-1, true]];
  const top = ['type', 'layout', 'decorations', 'counts', 'choices', 'stale', 'documentUri', 'seq'];
  const out: Recipe[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(rnd() * valid.layout.nodes.length);
    switch (i % 8) {
      case 0: out.push({ i, path: [], value: pick(whole) }); break;
      case 1: out.push({ i, path: [], value: { type: pick(['snapshot', 'reveal', 'ready', 'SNAPSHOT', 'unknown', 42]), seq: 1e9 } }); break;
      case 2: out.push({ i, path: [pick(top)], remove: true }); break;
      case 3: out.push({ i, path: [pick(top)], value: pick(invalid) }); break;
      case 4: out.push({ i, path: ['layout', 'nodes', n, pick(['x', 'y', 'width', 'id', 'kind', 'label', 'layer', 'path'])], value: pick(invalid) }); break;
      case 5: out.push({ i, path: ['layout', 'edges', 0, 'points'], value: pick([null, 'x', [{ x: 'a', y: 1 }], new Array(500).fill({ x: 1, y: 1 })]) }); break;
      case 6: out.push({ i, path: ['decorations', 'overlay'], value: { states: { 'prod/cluster/apps': pick(['broken', 1, null]) } } }); break;
      default: out.push({ i, path: ['layout', pick(['nodes', 'groups', 'edges']), 0, 'range'], value: { start: { line: -1, character: 'a' } } }); break;
    }
  }
  return out;
}

describe('landing-zone diagram --out x.png', { skip }, () => {
  test('renders the same SVG to a PNG in Chromium (region-failure picture kept for review)', async () => {
    const { main } = await import('../../src/cli/main');
    const { PassThrough, Readable } = await import('node:stream');
    const out = join(shots, 'cli-region-failure.png');
    mkdirSync(shots, { recursive: true });
    const stdout = new PassThrough(); const stderr = new PassThrough();
    let text = '';
    stdout.on('data', (d: Buffer) => { text += d.toString(); });
    stderr.on('data', (d: Buffer) => { text += d.toString(); });
    const code = await main(['diagram', join(root, 'examples', 'landing-zone.yaml'), '--out', out, '--fail-region', 'fr-par'], {
      stdout, stderr, stdin: Readable.from(['']), cwd: root, env: { CHROMIUM_PATH: CHROMIUM }, isTTY: false,
    });
    assert.equal(code, 0, text);
    const png = readFileSync(out);
    assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
    const width = png.readUInt32BE(16);
    assert.ok(width >= 2000, `a 2× picture (${width} px wide)`);
    assert.match(text, /without a recovery path/);
  });
});
