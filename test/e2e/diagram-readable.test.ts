// The diagram as a person first sees it: in a half-width panel (800×900) and a full-width one (1600×1000), fitted, on the example,
// a 50-project and the 500-project file (bench/generate.ts), in light, dark and high-contrast
// themes. Measured in Chromium on what is drawn: project names' on-screen size, labels clipped or
// overlapping, text contrast, how much of the canvas the fitted picture covers (the union of what is drawn over the canvas); then one zoom step, and
// the zoom that reveals the resources. Screenshots go to .vscode-test/shots/readable-*.png.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { generateLandingZone } from '../../bench/generate';
import { validateText } from '../../src/core/validate';
import { DiagramLayoutEngine } from '../../src/core/diagram/layout';
import { buildDiagram, type DiagramBuild } from '../../src/core/diagram/snapshot';
import { diagramWebviewHtml } from '../../src/core/diagram/webview-html';
import type { SnapshotMessage } from '../../src/protocol/diagram-messages';

const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(root, '.vscode-test', 'shots');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

/** VS Code's theme variables as it sets them on <html>: Dark Modern and High Contrast (dark). */
const THEMES: Record<string, Record<string, string>> = {
  light: {},
  dark: {
    '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc', '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d', '--vscode-sideBar-background': '#181818', '--vscode-panel-border': '#2b2b2b',
    '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#454545', '--vscode-icon-foreground': '#cccccc',
    '--vscode-focusBorder': '#0078d4', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-green': '#89d185', '--vscode-charts-red': '#f14c4c', '--vscode-disabledForeground': '#8c8c8c',
    '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc',
  },
  'high-contrast': {
    '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff', '--vscode-foreground': '#ffffff',
    '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-sideBar-background': '#000000', '--vscode-panel-border': '#6fc3df',
    '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df', '--vscode-icon-foreground': '#ffffff',
    '--vscode-focusBorder': '#f38518', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-green': '#89d185', '--vscode-charts-red': '#f14c4c', '--vscode-disabledForeground': '#a5a5a5',
    '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff', '--vscode-button-border': '#6fc3df', '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff',
  },
};

interface Figures {
  /** Smallest on-screen font size of a project (or pseudo-group) name, in CSS px. */
  minNamePx: number;
  names: number;
  groups: number;
  /** Texts whose box sticks out of the card or box that holds them. */
  clipped: string[];
  /** Pairs of texts that overlap. */
  overlaps: string[];
  /** Texts below WCAG AA (4.5:1) against the box behind them. */
  lowContrast: string[];
  /** The cards' (or chips') area over their own bounding box: how densely the drawing is packed, not how much of the panel it uses. */
  cardDensity: number;
  /**
   * The union bounding box of what is drawn (cards, chips, section titles, visible edges), clipped
   * to the canvas, over the canvas: how much of the panel the fitted picture uses.
   */
  panelCover: number;
  detail: string;
  /** The longest drawn edge on screen, as a share of the canvas's half-diagonal. */
  longestEdge: number;
  /** Cards or chips the minimap covers. */
  underMinimap: number;
}

/** Everything measured in the page, on what is drawn. */
function measure(): Figures {
  const parse = (c: string): [number, number, number, number] => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 1];
    const p = m[1]!.split(',').map((x) => parseFloat(x));
    return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
  };
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const blend = (fg: number[], bg: number[]) => fg.slice(0, 3).map((v, i) => v * fg[3]! + bg[i]! * (1 - fg[3]!));
  const pageBg = parse(getComputedStyle(document.body).backgroundColor);
  const fillOf = (e: Element | null) => {
    const c = e ? parse(getComputedStyle(e).fill) : pageBg;
    return blend(c, pageBg);
  };
  const canvas = document.querySelector('.lz-canvas')!.getBoundingClientRect();
  const texts = [...document.querySelectorAll<SVGTextElement>('.lz-canvas svg .lz-body text')];
  const clipped: string[] = [];
  const lowContrast: string[] = [];
  const rects: { r: DOMRect; t: string }[] = [];
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.right < canvas.left || r.left > canvas.right || r.bottom < canvas.top || r.top > canvas.bottom) continue;
    const holder = t.closest('.lz-node')?.querySelector('.lz-node-box') ?? t.closest('.lz-group')?.querySelector('.lz-group-box') ?? t.closest('.lz-chip')?.querySelector('.lz-chip-box') ?? null;
    if (holder && !t.closest('.lz-badge')) {
      const h = holder.getBoundingClientRect();
      if (r.left < h.left - 0.5 || r.right > h.right + 0.5 || r.top < h.top - 0.5 || r.bottom > h.bottom + 0.5) clipped.push(`${t.textContent} (${Math.round(r.right - h.right)} px over)`);
    }
    const fg = parse(getComputedStyle(t).fill);
    const bg = fillOf(holder);
    const fgc = blend(fg, bg);
    const [a, b] = [lum(fgc), lum(bg)].sort((x, y) => y - x);
    const ratio = (a! + 0.05) / (b! + 0.05);
    if (ratio < 4.5 && !t.closest('.lz-badge') && !t.closest('.lz-unmanaged')) lowContrast.push(`${t.textContent}: ${ratio.toFixed(2)}`);
    rects.push({ r, t: t.textContent ?? '' });
  }
  const overlaps: string[] = [];
  rects.sort((p, q) => p.r.left - q.r.left);
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length && rects[j]!.r.left < rects[i]!.r.right; j++) {
      const a = rects[i]!.r; const b = rects[j]!.r;
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlaps.push(`${rects[i]!.t} / ${rects[j]!.t}`);
    }
  }
  const names = [...document.querySelectorAll<SVGTextElement>('.lz-card-title, .lz-group-title, .lz-chip-text')];
  const sizes = names.map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0));
  const groups = [...document.querySelectorAll('.lz-group-box, .lz-chip-box')].map((e) => e.getBoundingClientRect());
  const area = groups.reduce((n, r) => n + r.width * r.height, 0);
  const left = Math.min(...groups.map((r) => r.left)); const right = Math.max(...groups.map((r) => r.right));
  const top = Math.min(...groups.map((r) => r.top)); const bottom = Math.max(...groups.map((r) => r.bottom));
  const drawn = [...document.querySelectorAll<SVGGraphicsElement>('.lz-canvas svg .lz-body .lz-group-box, .lz-canvas svg .lz-body .lz-chip-box, .lz-canvas svg .lz-body .lz-section-title, .lz-canvas svg .lz-body path.lz-edge')]
    .filter((e) => getComputedStyle(e).display !== 'none')
    .map((e) => e.getBoundingClientRect())
    .filter((r) => r.width + r.height > 0);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const uLeft = clamp(Math.min(...drawn.map((r) => r.left)), canvas.left, canvas.right); const uRight = clamp(Math.max(...drawn.map((r) => r.right)), canvas.left, canvas.right);
  const uTop = clamp(Math.min(...drawn.map((r) => r.top)), canvas.top, canvas.bottom); const uBottom = clamp(Math.max(...drawn.map((r) => r.bottom)), canvas.top, canvas.bottom);
  const halfDiagonal = Math.hypot(canvas.width, canvas.height) / 2;
  const edgeLengths = [...document.querySelectorAll<SVGPathElement>('.lz-canvas svg path.lz-edge')]
    .filter((p) => getComputedStyle(p).display !== 'none' && p.getBoundingClientRect().width + p.getBoundingClientRect().height > 0)
    .map((p) => p.getTotalLength() * Math.abs(p.getScreenCTM()?.a ?? 0));
  const mini = document.querySelector<HTMLElement>('.lz-minimap');
  const m = mini && !mini.hidden ? mini.getBoundingClientRect() : undefined;
  return {
    longestEdge: Math.max(0, ...edgeLengths) / halfDiagonal,
    underMinimap: m ? groups.filter((r) => r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom).length : 0,
    minNamePx: Math.min(...sizes),
    names: new Set(names.map((t) => t.closest('[data-id]')?.getAttribute('data-id'))).size,
    groups: groups.length,
    clipped, overlaps, lowContrast,
    cardDensity: area / ((right - left) * (bottom - top)),
    panelCover: ((uRight - uLeft) * (uBottom - uTop)) / (canvas.width * canvas.height),
    detail: document.querySelector('.lz-diagram')?.classList.contains('lz-map') ? 'map' : document.querySelector('.lz-diagram')?.classList.contains('lz-detail-overview') ? 'overview' : 'full',
  };
}

/** The panel beside the file (half the window) and the panel alone in a window (full width). */
const PANELS = { half: { width: 800, height: 900 }, full: { width: 1600, height: 1000 } } as const;
type PanelSize = keyof typeof PANELS;

describe('the diagram reads at a glance at any panel size', { skip }, () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  /** The picture each file was last shown with (the tests compare what is drawn with it). */
  const builds = new Map<string, DiagramBuild>();
  const texts = new Map<string, string>();
  const laidOut = new Map<string, DiagramBuild>();
  /** What the host lays out for a panel of this shape: the engine takes the aspect the webview reports. */
  async function buildFor(name: string, width: number, height: number): Promise<DiagramBuild> {
    const aspect = Math.min(4, Math.max(0.4, width / height));
    const key = `${name}@${aspect.toFixed(3)}`;
    let b = laidOut.get(key);
    if (!b) {
      const engine = new DiagramLayoutEngine();
      engine.aspect = aspect;
      b = (await buildDiagram(validateText(texts.get(name)!), engine))!;
      laidOut.set(key, b);
    }
    builds.set(name, b);
    return b;
  }

  before(async () => {
    const bundle = await esbuild.build({ entryPoints: [join(root, 'webview', 'main.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'silent' });
    const js = bundle.outputFiles[0]!.text;
    const css = readFileSync(join(root, 'media', 'diagram.css'), 'utf8');
    const nonce = randomBytes(18).toString('base64url');
    server = createServer((req, res) => {
      if (req.url === '/webview.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return; }
      if (req.url === '/diagram.css') { res.writeHead(200, { 'content-type': 'text/css' }); res.end(css); return; }
      if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(diagramWebviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, cssUri: `${origin}/diagram.css` })); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    for (const [name, text] of [['example', readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8')], ['50', generateLandingZone(50)], ['500', generateLandingZone(500)]] as const) texts.set(name, text);
    mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(name: string, theme: string, size: PanelSize = 'half'): Promise<Page> {
    const page = await browser.newPage({ viewport: PANELS[size] });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(`(() => {
      // tsx names the functions it compiles with a helper; measure() runs here, so the page has it too
      window.__name = (f) => f;
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
      const vars = ${JSON.stringify(THEMES[theme])};
      document.addEventListener('DOMContentLoaded', () => { for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v); });
    })();`);
    await page.goto(`${origin}/`);
    // the webview tells the host its canvas's size; the host lays the file out for that shape
    const viewport = await (await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.find((m) => m.type === 'viewport'))).jsonValue() as unknown as { width: number; height: number };
    const b = await buildFor(name, viewport.width, viewport.height);
    const snapshot = JSON.parse(JSON.stringify({ type: 'snapshot', seq: 1, documentUri: 'file:///x/landing-zone.yaml', layout: b.layout, decorations: { badges: b.badges, title: b.title }, counts: b.counts, choices: b.choices, stale: false })) as SnapshotMessage;
    await page.evaluate((m) => window.postMessage(m, '*'), snapshot);
    await page.waitForFunction(() => document.querySelectorAll('.lz-group-box, .lz-chip-box').length > 0);
    await page.waitForTimeout(50);
    assert.deepEqual(errors, []);
    return page;
  }

  /** Waits for a zoom animation and the redraw it may cause. */
  async function settle(page: Page): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('.lz-canvas')?.hasAttribute('data-animating'));
    await page.waitForTimeout(60);
  }

  for (const size of Object.keys(PANELS) as PanelSize[]) for (const name of ['example', '50', '500']) {
    for (const theme of ['light', 'dark', 'high-contrast']) {
      const shot = `${name}-${theme}${size === 'half' ? '' : `-${size}`}`;
      test(`${size}-width panel (${PANELS[size].width}×${PANELS[size].height}), ${name === 'example' ? 'the example' : `${name} projects`}, ${theme}: fitted, every name readable, nothing clipped or overlapping, AA contrast`, async () => {
        const page = await open(name, theme, size);
        const fitted = await page.evaluate(measure);
        await page.screenshot({ path: join(shots, `readable-${shot}.png`) });
        const groups = builds.get(name)!.layout.groups.length;
        // the figures first, so that a failing run shows them all
        console.log(`readable ${size} ${name} ${theme}: ${JSON.stringify({ ...fitted, clipped: fitted.clipped.length, overlaps: fitted.overlaps.length, lowContrast: fitted.lowContrast.length })}`);
        // up to 60 projects, cards in the arrangement; beyond, a map of chips grouped by role
        assert.equal(fitted.detail, name === '500' ? 'map' : 'overview', 'fitted, projects are cards (a map for 500)');
        assert.equal(fitted.groups, groups);
        assert.deepEqual(fitted.clipped, [], 'no clipped label');
        assert.equal(fitted.underMinimap, 0, 'the minimap hides no card');
        assert.deepEqual(fitted.overlaps, [], 'no overlapping labels');
        assert.deepEqual(fitted.lowContrast, [], 'WCAG AA contrast');
        assert.equal(fitted.names, groups, 'every project has its name on its card or chip');
        if (name !== '500') assert.ok(fitted.minNamePx >= 11, `every name at ≥ 11 CSS px (smallest ${fitted.minNamePx.toFixed(1)})`);
        // what is drawn fills at least half of the panel (not only of its own extent), and is not a sparse spread of cards
        assert.ok(fitted.panelCover >= 0.5, `the fitted picture covers ${(fitted.panelCover * 100).toFixed(0)}% of the ${PANELS[size].width}×${PANELS[size].height} panel's canvas`);
        assert.ok(fitted.cardDensity >= 0.5, `cards cover ${(fitted.cardDensity * 100).toFixed(0)}% of their own bounding box`);
        if (name === 'example') assert.ok(fitted.longestEdge <= 1, `no edge longer than the canvas's half-diagonal (longest ${(fitted.longestEdge * 100).toFixed(0)}%)`);
        if (name === '500') {
          assert.ok(await page.$('.lz-section-title'), 'the map has a section per role');
          const sections = await page.$$eval('.lz-section-title', (els) => els.map((e) => e.textContent ?? ''));
          assert.deepEqual(sections.map((t) => t.split(' ·')[0]), ['hubs', 'organisation-wide', 'monitoring', 'environments']);
        }
        // one zoom step is at most 1.25×
        const k0 = await page.$eval('.lz-viewport', (e) => e.getAttribute('transform'));
        await page.click('button:has-text("+")');
        await settle(page);
        const k1 = await page.$eval('.lz-viewport', (e) => e.getAttribute('transform'));
        const scale = (t: string | null) => Number(/scale\(([\d.]+)\)/.exec(t ?? '')?.[1]);
        assert.ok(scale(k1) / scale(k0) <= 1.2505 && scale(k1) > scale(k0), `+ zooms by ${(scale(k1) / scale(k0)).toFixed(3)}`);
        const stepped = await page.evaluate(measure);
        console.log(`readable ${size} ${name} ${theme} after one step: names ${stepped.names}, smallest ${stepped.minNamePx.toFixed(1)} px, clipped ${stepped.clipped.length}, overlaps ${stepped.overlaps.length}`);
        assert.deepEqual(stepped.clipped, []);
        assert.deepEqual(stepped.overlaps, []);
        // after one step every name reads at ≥ 11 px, the 500 projects' too
        assert.ok(stepped.minNamePx >= 11, `after one step, names at ≥ 11 CSS px (smallest ${stepped.minNamePx.toFixed(1)})`);
        if (name !== 'example') assert.equal(await page.$eval('.lz-minimap', (e) => (e as HTMLElement).hidden), false, 'a minimap beyond 20 projects');
        else assert.equal(await page.$eval('.lz-minimap', (e) => (e as HTMLElement).hidden), true, 'no minimap for 6 projects');
        await page.screenshot({ path: join(shots, `readable-${shot}-step.png`) });
        await page.close();
      });
    }
  }

  test('zooming in reveals the resources in place, with the same figures (example, light and high-contrast)', async () => {
    for (const theme of ['light', 'high-contrast']) {
      const page = await open('example', theme);
      const prod = builds.get('example')!.layout.groups.find((g) => g.id === 'prod/project')!;
      const before = await page.$eval('.lz-group[data-id="prod/project"] .lz-group-box', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width }; });
      // double-click the card: zoom to the project
      await page.dblclick('.lz-group-head[data-id="prod/project"]');
      await page.waitForFunction(() => document.querySelector('.lz-diagram')?.classList.contains('lz-detail-full'));
      await settle(page);
    await settle(page);
      const full = await page.evaluate(measure);
      assert.equal(full.detail, 'full');
      assert.ok(await page.$('.lz-node[data-id="prod/cluster/apps"]'), 'the resources are drawn');
      const box = await page.$eval('.lz-group[data-id="prod/project"] .lz-group-box', (e) => { const r = e.getBoundingClientRect(); return { w: r.width }; });
      assert.ok(box.w > before.w * 2, `prod is zoomed in on (${Math.round(box.w)} px wide, ${prod.width} in the layout)`);
      const inView = await page.$$eval('.lz-node', (els) => els.filter((e) => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= 800 && r.top >= 0 && r.bottom <= 900; }).length);
      assert.ok(inView >= 5, `prod's boxes in view (${inView})`);
      assert.deepEqual(full.overlaps, []);
      assert.deepEqual(full.lowContrast, []);
      const labelPx = await page.$eval('.lz-node[data-id="prod/cluster/apps"] .lz-node-label', (t) => parseFloat(getComputedStyle(t).fontSize) * ((t as SVGTextElement).getScreenCTM()?.a ?? 0));
      assert.ok(labelPx >= 10, `resource names at ${labelPx.toFixed(1)} px`);
      await page.screenshot({ path: join(shots, `readable-example-zoomed-${theme}.png`) });
      await page.close();
    }
  });

  test('key, secret and backup edges are drawn for the selected box only, until their layer is switched on', async () => {
    const page = await open('example', 'light');
    await page.dblclick('.lz-group-head[data-id="prod/project"]');
    await page.waitForFunction(() => document.querySelector('.lz-diagram')?.classList.contains('lz-detail-full'));
    await settle(page);
    const shown = () => page.$$eval('.lz-edge', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.getAttribute('data-id') ?? ''));
    const none = await shown();
    assert.ok(!none.some((id) => /^(key-use|stored-in|endpoint|backup|copy):/.test(id)), `no key or backup edge by default: ${none.filter((id) => !/^(attachment|exposes|acl):/.test(id)).join(', ')}`);
    assert.ok(none.some((id) => id.startsWith('acl:')), 'the ACL edges are always drawn');
    await page.click('.lz-node[data-id="prod/database/main"]');
    const selected = await shown();
    assert.ok(selected.includes('key-use:security/key/app-data->prod/database/main'), 'the database\'s key edge');
    assert.ok(selected.includes('backup:prod/database/main->dr/nl-ams/backups'), 'the database\'s backup edge');
    assert.ok(!selected.includes('key-use:security/key/app-data->prod/cluster/apps'), 'not the other boxes\' key edges');
    // what it depends on stands out, the rest is dimmed
    assert.equal(await page.$eval('.lz-node[data-id="security/key/app-data"]', (e) => e.classList.contains('lz-related')), true);
    assert.equal(await page.$eval('.lz-node[data-id="dev/cluster/apps"]', (e) => getComputedStyle(e).opacity), '0.45');
    await page.click('button:has-text("Keys & secrets")');
    const layer = await shown();
    assert.ok(layer.includes('key-use:security/key/app-data->prod/cluster/apps'), 'the layer shows every key edge');
    assert.ok(!layer.includes('copy:prod/bucket/velero->devops/backup-copy/backup-copy'), 'the backup layer is still off');
    await page.screenshot({ path: join(shots, 'readable-example-selection.png') });
    await page.close();
  });

  test('keyboard: Tab reaches every card, arrows move between them, Enter reveals and zooms in; each has an accessible name', async () => {
    const page = await open('example', 'light');
    const labels = await page.$$eval('[tabindex="0"][data-id]', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(labels.length, builds.get('example')!.layout.groups.length, 'one stop per card');
    for (const l of labels) assert.match(l, /^(project|IAM|DR site) \S+/);
    const prodLabel = labels.find((l) => l.startsWith('project prod'))!;
    assert.match(prodLabel, /environment · fr-par-1, 1 cluster · 1 database · 1 secret · 1 bucket, DR: backed up off-site/);
    await page.focus('.lz-group-head[data-id="security/project"]');
    await page.keyboard.press('ArrowRight');
    const right = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    const sec = builds.get('example')!.layout.groups.find((g) => g.id === 'security/project')!;
    const to = builds.get('example')!.layout.groups.find((g) => g.id === right)!;
    assert.ok(to.x > sec.x + sec.width, `ArrowRight went right (to ${right})`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.lz-diagram')?.classList.contains('lz-detail-full'));
    await settle(page);
    const nodeLabels = await page.$$eval('.lz-node[tabindex="0"]', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(nodeLabels.length, builds.get('example')!.layout.nodes.length, 'every box is focusable');
    assert.ok(nodeLabels.includes('cluster apps, Kapsule 1.35 · 3 nodes'), nodeLabels.slice(0, 5).join(' | '));
    await page.close();
  });

  test('500 projects: search finds a resource and reveals it, a chip opens its project, the minimap moves the view', async () => {
    const page = await open('500', 'light');
    // search: a resource deep in one project
    await page.fill('.lz-search', 'env-321/database');
    assert.match(await page.$eval('.lz-status', (e) => e.textContent ?? ''), /^1 match/);
    await page.press('.lz-search', 'Enter');
    await page.waitForFunction(() => document.querySelector('.lz-diagram')?.classList.contains('lz-detail-full'));
    await settle(page);
    const shown = await page.$eval('.lz-node[data-id="env-321/database/main"]', (e) => {
      const r = e.getBoundingClientRect();
      const c = document.querySelector('.lz-canvas')!.getBoundingClientRect();
      return { inView: r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom, selected: e.classList.contains('lz-selected'), px: r.height };
    });
    assert.ok(shown.inView && shown.selected, `the database is in view and selected (${JSON.stringify(shown)})`);
    // selecting it dims what it is not related to, and highlights what it is
    assert.equal(await page.$eval('.lz-node[data-id="env-321/private-network/env-321-pn"]', (e) => e.classList.contains('lz-related')), true);
    assert.equal(await page.$eval('.lz-node[data-id="env-321/public-gateway/env-321-gw"]', (e) => getComputedStyle(e).opacity), '0.45');
    await page.screenshot({ path: join(shots, 'readable-500-search.png') });
    // back to the map (Fit), then double-click a chip: its project opens
    await page.click('button:has-text("Fit")');
    await page.waitForSelector('.lz-map');
    await settle(page);
    await page.dblclick('.lz-chip[data-id="env-77/project"]');
    await page.waitForFunction(() => document.querySelector('.lz-diagram')?.classList.contains('lz-detail-full'));
    await settle(page);
    assert.ok(await page.$('.lz-node[data-id="env-77/cluster/apps"]'), 'env-77 is open');
    // the minimap: a click moves the view there
    const before = await page.$eval('.lz-viewport', (e) => e.getAttribute('transform'));
    const mini = (await page.$('.lz-minimap svg'))!;
    const box = (await mini.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.9);
    const after = await page.$eval('.lz-viewport', (e) => e.getAttribute('transform'));
    assert.notEqual(after, before, 'the minimap moved the view');
    await page.screenshot({ path: join(shots, 'readable-500-minimap.png') });
    // zooming far into the map opens the project under the pointer
    await page.click('button:has-text("Fit")');
    await page.waitForSelector('.lz-map');
    await settle(page);
    const chip = (await (await page.$('.lz-chip[data-id="env-5/project"]'))!.boundingBox())!;
    await page.mouse.move(chip.x + chip.width / 2, chip.y + chip.height / 2);
    for (let i = 0; i < 12 && await page.$('.lz-map'); i++) { await page.mouse.wheel(0, -300); await page.waitForTimeout(30); }
    await page.waitForFunction(() => !document.querySelector('.lz-map'));
    await settle(page);
    assert.ok(await page.$('.lz-node[data-id="env-5/cluster/apps"]'), 'wheel-zooming into the map opened env-5');
    await page.close();
  });
});
