// The plan over the diagram as "Show Plan on Diagram" shows it: the extension's panel HTML (strict
// CSP, no script, our CSS by nonce) with the plan of the example against the half-migrated
// sandbox of `npm start`, in Chromium at 100 %. Checks what a reviewer sees — the colours of
// created/updated/unchanged boxes, the hover of an update, the legend — and writes
// .vscode-test/shots/plan-overlay.png.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { bundledSnapshot } from '../../src/core/catalog';
import { estimateCost, euros, monthlyDelta } from '../../src/core/cost/estimate';
import { planCost } from '../../src/core/cost/plan-cost';
import { buildPriceBook, bundledProductCatalog } from '../../src/core/cost/price-book';
import { DiagramLayoutEngine } from '../../src/core/diagram/layout';
import { renderDiagram, toSvgString } from '../../src/core/diagram/render';
import { planReview } from '../../src/core/diagram/review';
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

test('the plan on the diagram at 100 %: coloured boxes, hover with the changed fields, legend with +€ / month', { skip }, async () => {
  sb = await startSandbox({ seed: 'examples/sandbox-seed.json', transitionMs: 10 });
  const env = { SCW_CONFIG_PATH: '/nonexistent/config.yaml', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId };
  const opened = await openSession({ file: 'examples/landing-zone.yaml', cwd: root, profile: { env } });
  assert.ok(opened.ok);
  const session = opened.session;
  const { plan, inventory } = await readPlan(session);
  const build = (await buildDiagram(session.validation, new DiagramLayoutEngine()))!;
  const book = buildPriceBook(bundledProductCatalog(), bundledSnapshot());
  const review = planReview(plan, build.topology, { costDelta: monthlyDelta(planCost(plan, session.desired, inventory, book).eurPerMonth) });
  const costs = Object.fromEntries(Object.entries(estimateCost(session.desired, book).byProject).filter(([, c]) => c.priced > 0).map(([p, c]) => [p, `${euros(c.eurPerMonth)}/mo`]));
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
  assert.match(seen.legend, /Plan: \d+ to create, \d+ to update, 1 to delete · \+€[\d.]+ \/ month/);
  assert.match(seen.legend, /created \d+ \| updated \d+ \| deleted 1 \| drift repaired 0 \| unchanged \d+/);
  assert.deepEqual(errors, [], 'no CSP violation or script error');
  assert.ok(readFileSync(join(shots, 'plan-overlay.png')).length > 10_000);
});
