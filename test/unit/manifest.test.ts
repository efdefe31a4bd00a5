// The extension manifest against the tree: paths exist (and ship in the .vsix), activation is lazy,
// commands follow the house rules, and every contributed command is registered in src/extension
// and vice versa. Plain node:test: it reads files, it does not load VS Code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

interface Command { command: string; title: string; category?: string; icon?: unknown; enablement?: string }
interface Manifest {
  name: string; publisher: string; main?: string; browser?: string; icon?: string;
  engines: { vscode: string };
  bin?: string | Record<string, string>;
  activationEvents?: string[];
  devDependencies?: Record<string, string>;
  contributes?: {
    commands?: Command[];
    menus?: Record<string, { command?: string; submenu?: string }[]>;
    keybindings?: { command: string }[];
    yamlValidation?: { url: string }[];
    jsonValidation?: { url: string }[];
    viewsContainers?: Record<string, { icon?: unknown }[]>;
    views?: Record<string, { icon?: unknown }[]>;
    walkthroughs?: { steps?: { media?: Record<string, unknown> }[] }[];
    languages?: { configuration?: string; icon?: unknown }[];
    grammars?: { path: string }[];
    snippets?: { path: string }[];
  };
}
const manifest = JSON.parse(read('package.json')) as Manifest;
const contributes = manifest.contributes ?? {};
const commands = contributes.commands ?? [];

/** Relative paths only: `$(codicon)` icons and URLs are not files. */
function filePaths(v: unknown): string[] {
  if (typeof v === 'string') return /^\$\(|^[a-z]+:\/\//.test(v) ? [] : [posix.normalize(v.replace(/\\/g, '/'))];
  if (v && typeof v === 'object') return Object.values(v).flatMap(filePaths);
  return [];
}

/** Every file path the extension needs at run time, with where the manifest names it. */
function runtimePaths(): [where: string, path: string][] {
  const out: [string, string][] = [];
  const add = (where: string, v: unknown) => { for (const p of filePaths(v)) out.push([where, p]); };
  add('main', manifest.main);
  add('browser', manifest.browser);
  add('icon', manifest.icon);
  contributes.yamlValidation?.forEach((y, i) => add(`yamlValidation[${i}].url`, y.url));
  contributes.jsonValidation?.forEach((y, i) => add(`jsonValidation[${i}].url`, y.url));
  commands.forEach((c) => add(`command ${c.command} icon`, c.icon));
  for (const [k, list] of Object.entries(contributes.viewsContainers ?? {})) list.forEach((c, i) => add(`viewsContainers.${k}[${i}].icon`, c.icon));
  for (const [k, list] of Object.entries(contributes.views ?? {})) list.forEach((c, i) => add(`views.${k}[${i}].icon`, c.icon));
  contributes.walkthroughs?.forEach((w, i) => w.steps?.forEach((s, j) => add(`walkthroughs[${i}].steps[${j}].media`, s.media)));
  contributes.languages?.forEach((l, i) => { add(`languages[${i}].configuration`, l.configuration); add(`languages[${i}].icon`, l.icon); });
  contributes.grammars?.forEach((g, i) => add(`grammars[${i}].path`, g.path));
  contributes.snippets?.forEach((s, i) => add(`snippets[${i}].path`, s.path));
  return out;
}

/** dist/ files come from the build: map each esbuild outfile to its entry point (read from esbuild.mjs). */
function buildOutputs(): Map<string, string> {
  const src = read('esbuild.mjs');
  const map = new Map<string, string>();
  for (const m of src.matchAll(/entryPoints:\s*\[\s*'([^']+)'\s*\],\s*outfile:\s*'([^']+)'/g)) map.set(m[2]!, m[1]!);
  return map;
}

/** The allow-list .vscodeignore (`**`, then `!pattern` lines) decides what ships; true if `p` ships. */
function shipsInVsix(p: string): boolean {
  const toRegExp = (glob: string) => new RegExp('^' + glob.split(/(\*\*\/?|\*)/).map((part) =>
    part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('') + '$');
  let shipped = true;
  for (const raw of read('.vscodeignore').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const glob = (negated ? line.slice(1) : line).replace(/^\//, '');
    if (toRegExp(glob).test(p) || toRegExp(`${glob}/**`).test(p)) shipped = negated;
  }
  return shipped;
}

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const p = `${dir}/${name}`;
    if (statSync(join(root, p)).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Command ids registered in src/extension: `registerCommand('landingZone.x'` or command objects `{ id: 'landingZone.x' }`. */
const REGISTRATION = /(?:register(?:TextEditor)?Command\(\s*|\bid:\s*)(['"`])(landingZone\.[^'"`]+)\1/g;
function registeredCommands(): Map<string, string> {
  const found = new Map<string, string>();
  for (const f of sourceFiles('src/extension')) {
    for (const m of read(f).matchAll(REGISTRATION)) found.set(m[2]!, f);
  }
  return found;
}

test('manifest identifies the extension as the integration tests expect', () => {
  assert.equal(`${manifest.publisher}.${manifest.name}`, 'scaleway-landing-zone.scaleway-landing-zone');
  assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
});

test('@types/vscode is not newer than engines.vscode (vsce refuses to package otherwise)', () => {
  const engine = /(\d+)\.(\d+)/.exec(manifest.engines.vscode);
  const types = /(\d+)\.(\d+)/.exec(manifest.devDependencies?.['@types/vscode'] ?? '');
  assert.ok(engine && types, 'both versions are set');
  assert.ok(Number(types[1]) * 1000 + Number(types[2]) <= Number(engine[1]) * 1000 + Number(engine[2]),
    `@types/vscode ${types[0]} > engines.vscode ${engine[0]}`);
});

test('every path named in package.json exists (dist/ files: their build entry point exists)', () => {
  const outputs = buildOutputs();
  assert.ok(outputs.size > 0, 'esbuild.mjs declares its entryPoints/outfile pairs');
  const paths = runtimePaths();
  assert.ok(paths.some(([where]) => where === 'main'), 'package.json has a main');
  const missing = paths.filter(([, p]) => {
    if (existsSync(join(root, p))) return false;
    const entry = outputs.get(`./${p}`) ?? outputs.get(p);
    return !(entry && existsSync(join(root, entry)));
  });
  assert.deepEqual(missing, [], 'named in package.json but missing');
});

test('every run-time path in package.json ships in the .vsix (allow-list .vscodeignore)', () => {
  assert.equal(read('.vscodeignore').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')), '**',
    '.vscodeignore is an allow-list: it starts by excluding everything');
  const dropped = runtimePaths().filter(([, p]) => !shipsInVsix(p));
  assert.deepEqual(dropped, [], 'excluded from the .vsix by .vscodeignore');
  assert.ok(!shipsInVsix('src/extension/extension.ts') && !shipsInVsix('node_modules/yaml/package.json'), 'sources stay out');
});

test('bin entries exist and are node scripts', () => {
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : manifest.bin ?? {};
  assert.ok(Object.keys(bins).includes('landing-zone'), 'the CLI is declared as bin `landing-zone`');
  for (const [name, p] of Object.entries(bins)) {
    assert.ok(existsSync(join(root, p)), `bin ${name}: ${p} exists`);
    assert.match(read(p), /^#!\/usr\/bin\/env node\n/, `bin ${name}: ${p} starts with a node shebang`);
  }
});

test('activation is lazy: never `*`, and the landing-zone file activates the extension', () => {
  const events = manifest.activationEvents ?? [];
  assert.ok(!events.includes('*'), 'activationEvents contain `*`');
  assert.ok(!events.includes('onStartupFinished'), 'activationEvents contain onStartupFinished');
  assert.ok(events.some((e) => /^workspaceContains:.*landing-zone/.test(e)), 'a workspaceContains event names landing-zone.yaml');
  const ids = new Set(commands.map((c) => c.command));
  for (const e of events.filter((e) => e.startsWith('onCommand:'))) {
    assert.ok(ids.has(e.slice('onCommand:'.length)), `${e} names a contributed command`);
  }
});

test('contributed commands: ids landingZone.verbNoun, category "Landing Zone", a title, no duplicates', () => {
  const seen = new Set<string>();
  for (const c of commands) {
    assert.match(c.command, /^landingZone\.[a-z][A-Za-z]+$/, `command id ${c.command}`);
    assert.equal(c.category, 'Landing Zone', `${c.command} category`);
    assert.ok(c.title?.trim() && !c.title.startsWith('Landing Zone'), `${c.command} has a title without the category`);
    assert.ok(!seen.has(c.command), `${c.command} contributed twice`);
    seen.add(c.command);
  }
});

test('menus and keybindings name contributed commands only', () => {
  const ids = new Set(commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
    for (const item of items) if (item.command) assert.ok(ids.has(item.command), `menus.${menu}: ${item.command}`);
  }
  for (const k of contributes.keybindings ?? []) assert.ok(ids.has(k.command), `keybinding: ${k.command}`);
});

test('every contributed command is registered in src/extension, and every registered one contributed', () => {
  assert.ok(sourceFiles('src/extension').length > 0, 'src/extension has sources');
  const registered = registeredCommands();
  const contributed = new Set(commands.map((c) => c.command));
  assert.deepEqual(commands.map((c) => c.command).filter((id) => !registered.has(id)), [], 'contributed, never registered');
  assert.deepEqual([...registered].filter(([id]) => !contributed.has(id)).map(([id, f]) => `${id} (${f})`), [],
    'registered, not contributed');
});

test('the command scanner finds both registration forms', () => {
  const sample = "const c = { id: 'landingZone.showDiagram', run }; vscode.commands.registerCommand(\n  \"landingZone.validate\", f);";
  assert.deepEqual([...sample.matchAll(REGISTRATION)].map((m) => m[2]), ['landingZone.showDiagram', 'landingZone.validate']);
});
