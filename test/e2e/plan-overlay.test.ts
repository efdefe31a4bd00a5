// The plan over the diagram as "Show Plan on Diagram" shows it: the extension's panel HTML (strict
// CSP, no script, our CSS by nonce) with the plan of the example against the half-migrated
// sandbox of `npm start`, in Chromium at 100 %. Checks what a reviewer sees — the colours of
// created/updated/unchanged boxes, the hover of an update, the legend — and writes
// .vscode-test/shots/plan-overlay.png.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { diagramWebviewHtml } from '../../src/core/diagram/webview-html';
import { parseMessage, snapshotMessage, webviewToHost } from '../../src/protocol/diagram-messages';
import { bundledSnapshot } from '../../src/core/catalog';
import { estimateCost, euros, monthlyDelta } from '../../src/core/cost/estimate';
import { planCost } from '../../src/core/cost/plan-cost';
import { buildPriceBook, bundledProductCatalog } from '../../src/core/cost/price-book';
import { DiagramLayoutEngine } from '../../src/core/diagram/layout';
import { renderDiagram, toSvgString } from '../../src/core/diagram/render';
import { planReview } from '../../src/core/diagram/review';
import { reviewLegendItems } from '../../src/core/diagram/review-text';
import { buildDiagram } from '../../src/core/diagram/snapshot';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { readPlan } from '../../src/scaleway/engine';
import { openSession } from '../../src/scaleway/session';
import { planDiagramHtml } from '../../src/extension/plan-diagram-html';

const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(root, '.vscode-test', 'shots');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

let browser: Browser | undefined;
let sb: Sandbox | undefined;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
after(async () => { await browser?.close(); await sb?.close(); });

/** The plan of the example against `npm start`'s half-migrated account, as the editor computes it. */
async function examplePlan() {
  sb ??= await startSandbox({ seed: 'examples/sandbox-seed.json', transitionMs: 10 });
  const env = { SCW_CONFIG_PATH: '/nonexistent/config.yaml', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId };
  const opened = await openSession({ file: 'examples/landing-zone.yaml', cwd: root, profile: { env } });
  assert.ok(opened.ok);
  const session = opened.session;
  const { plan, inventory } = await readPlan(session);
  const build = (await buildDiagram(session.validation, new DiagramLayoutEngine()))!;
  const book = buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  const review = planReview(plan, build.topology, { costDelta: monthlyDelta(planCost(plan, session.desired, inventory, book).eurPerMonth), declared: session.desired, notChecked: inventory.notChecked });
  const costs = Object.fromEntries(Object.entries(estimateCost(session.desired, book).byProject).filter(([, c]) => c.priced > 0).map(([p, c]) => [p, `${euros(c.eurPerMonth)}/mo`]));
  return { plan, build, review, costs };
}

test('the plan on the diagram at 100 %: coloured boxes, hover with the changed fields, legend with +€ / month', { skip }, async () => {
  const { plan, build, review, costs } = await examplePlan();
  const svg = toSvgString(renderDiagram(build.layout, { badges: build.badges, title: build.title, review, costs }, { detail: 'full' }));

  const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(planDiagramHtml(svg, 'https://example.invalid', 'bm9uY2Vub25jZQ=='));
  // a string: tsx's compiled functions carry a helper the page does not have
  const seen = await page.evaluate(`(() => {
    const stroke = (id) => { const g = document.querySelector('g.lz-node[data-id="' + id + '"] .lz-node-box'); return g ? getComputedStyle(g).stroke : ''; };
    const opacity = (id) => { const g = document.querySelector('g.lz-node[data-id="' + id + '"]'); return g ? getComputedStyle(g).opacity : ''; };
    return {
      created: stroke('dev/cluster/apps'),
      updated: stroke('prod/database/main'),
      unchangedOpacity: opacity('prod/private-network/prod-pn'),
      hover: document.querySelector('g.lz-node[data-id="prod/database/main"] > title')?.textContent ?? '',
      legend: [...document.querySelectorAll('.lz-header text')].map((t) => t.textContent).join(' | '),
    };
  })()`) as { created: string; updated: string; unchangedOpacity: string; hover: string; legend: string };
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, 'plan-overlay.png') });
  await page.close();
  // the CSS reached the SVG under the panel's CSP: the charts colours, not the default black
  assert.equal(seen.created, 'rgb(56, 138, 52)', 'created: green');
  assert.equal(seen.updated, 'rgb(26, 133, 255)', 'updated: blue');
  if (!plan.operations.some((o) => o.id === 'prod/private-network/prod-pn')) assert.equal(seen.unchangedOpacity, '0.5');
  assert.match(seen.hover, /updated:\n\s+backupEveryHours: 24 → 6/);
  const n = (a: string) => plan.operations.filter((o) => o.action === a).length;
  assert.match(seen.legend, new RegExp(`Plan: ${plan.operations.length} operations — ${n('create')} to create, ${n('update')} to update, 1 to delete · \\+€[\\d.]+ / month`));
  assert.match(seen.legend, new RegExp(`created ${n('create')} \\| updated ${n('update')} \\| deleted 1 \\| drift repaired 0 \\| unchanged \\d+`));
  assert.deepEqual(errors, [], 'no CSP violation or script error');
  assert.ok(readFileSync(join(shots, 'plan-overlay.png')).length > 10_000);
});

test('plan mode in the live diagram panel: the legend above the canvas, cards and boxes coloured, changed fields on hover; "Back to live diagram" leaves it', { skip }, async () => {
  const { plan, build, review, costs } = await examplePlan();
  const bundle = await esbuild.build({ entryPoints: [join(root, 'webview', 'main.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'silent' });
  const js = bundle.outputFiles[0]!.text;
  const css = readFileSync(join(root, 'media', 'diagram.css'), 'utf8');
  const nonce = randomBytes(18).toString('base64url');
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/webview.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(js); return; }
    if (req.url === '/diagram.css') { res.writeHead(200, { 'content-type': 'text/css' }); res.end(css); return; }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(diagramWebviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, cssUri: `${origin}/diagram.css` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await browser!.newPage({ viewport: { width: 800, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.addInitScript(`(() => {
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
    })();`);
    await page.goto(`${origin}/`);
    // what the panel posts in plan mode: the live snapshot with the plan's decorations (checked as the host checks it)
    const live = { type: 'snapshot', seq: 1, documentUri: 'file:///x/landing-zone.yaml', layout: build.layout, decorations: { badges: build.badges, title: build.title }, counts: build.counts, choices: build.choices, stale: false };
    const planned = parseMessage(snapshotMessage, JSON.parse(JSON.stringify({ ...live, seq: 2, decorations: { ...live.decorations, review, costs } })));
    assert.ok(planned, 'the plan snapshot passes the protocol');
    await page.evaluate((m) => window.postMessage(m, '*'), planned);
    await page.waitForFunction(() => !document.querySelector<HTMLElement>('.lz-plan-bar')!.hidden);
    await page.waitForTimeout(200);
    const fitted = await page.evaluate(`(() => ({
      bar: document.querySelector('.lz-plan-bar').innerText,
      cards: [...document.querySelectorAll('g.lz-card')].map((g) => g.getAttribute('data-id') + ' ' + g.getAttribute('class') + ' ' + (g.querySelector('.lz-card-review')?.textContent ?? '')),
    }))()`) as { bar: string; cards: string[] };
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'plan-live-fitted.png') });
    // the bar says what the CLI's picture says: its title and the same counts, of operations
    assert.ok(fitted.bar.includes(review.title), fitted.bar);
    for (const item of reviewLegendItems(review)) assert.ok(fitted.bar.includes(item.text), `${item.text} in ${fitted.bar}`);
    assert.match(fitted.bar, new RegExp(`created ${plan.operations.filter((o) => o.action === 'create').length}\\b`));
    assert.match(fitted.bar, /drift repaired 0/);
    assert.match(fitted.bar, /hover one of the \d+ coloured boxes/);
    assert.match(fitted.bar, /Back to live diagram/);
    // fitted, the projects are cards: each says what the plan does to it, its border in the state's colour
    const prod = fitted.cards.find((c) => c.startsWith('prod/project '))!;
    assert.match(prod, /lz-review-(create|update|delete)/);
    assert.match(prod, /\d+ (created|updated|deleted)/);
    assert.ok(fitted.cards.some((c) => / lz-review-/.test(c)));
    // zoomed in on prod: its boxes, the updated database's hover has the changed field
    await page.dblclick('g.lz-card[data-id="prod/project"] .lz-hit');
    await page.waitForFunction(() => document.querySelector('.lz-detail-full') !== null);
    await page.waitForTimeout(300);
    const zoomed = await page.evaluate(`(() => {
      const box = (id) => document.querySelector('g.lz-node[data-id="' + id + '"] .lz-node-box');
      return {
        updated: box('prod/database/main') ? getComputedStyle(box('prod/database/main')).stroke : '',
        hover: document.querySelector('g.lz-node[data-id="prod/database/main"] > title')?.textContent ?? '',
      };
    })()`) as { updated: string; hover: string };
    await page.screenshot({ path: join(shots, 'plan-live-zoomed.png') });
    assert.equal(zoomed.updated, 'rgb(26, 133, 255)', 'updated: blue');
    assert.match(zoomed.hover, /updated:\n\s+backupEveryHours: 24 → 6/);
    // leaving plan mode asks the host for the live diagram, which it sends without the plan
    await page.click('.lz-plan-leave');
    const posted = await page.evaluate('window.__posted') as unknown[];
    assert.ok(posted.map((m) => parseMessage(webviewToHost, m)).some((m) => m?.type === 'leavePlan'), 'leavePlan posted and valid');
    await page.evaluate((m) => window.postMessage(m, '*'), { ...live, seq: 3 });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.lz-plan-bar')!.hidden);
    const after = await page.evaluate(`document.querySelectorAll('[class*="lz-review-"]').length`);
    assert.equal(after, 0, 'the live diagram has no plan colours');
    assert.deepEqual(errors, [], 'no CSP violation or script error');
    await page.close();
  } finally {
    server.close();
  }
});
