// The editor's validation off the extension host's thread: the worker answers what validateText
// answers, then the outline and the explorer's tree (sent again only when they change), a newer
// version interrupts an older one still running without restarting the worker. The worker is the TypeScript source here (tsx), the bundle
// dist/validation-worker.js in the editor.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLandingZone } from '../../bench/generate';
import { SourceDocument } from '../../src/core/document';
import { completionsAt } from '../../src/core/language/completion';
import { explorerTree } from '../../src/core/language/explorer-tree';
import { definitionAt } from '../../src/core/language/navigation';
import { indexDocument } from '../../src/core/language/symbol-index';
import { outline } from '../../src/core/language/outline';
import { validateText } from '../../src/core/validate';
import { ValidationClient } from '../../src/extension/validation-client';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');
const now = new Date('2026-06-01T00:00:00Z');

function client(): { c: ValidationClient; spawned: () => number } {
  let n = 0;
  // a worker cannot start from a .ts file: a line of JavaScript registers tsx and loads the source
  const source = join(root, 'src', 'extension', 'validation-worker.ts');
  const script = `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`;
  const c = new ValidationClient({ script, eval: true, onSpawn: () => n++ });
  return { c, spawned: () => n };
}

test('the worker answers what validateText answers, then the outline and the explorer tree', async () => {
  const { c } = client();
  try {
    const broken = example.replace('role: devops', 'role: devop');
    let lastTree: ReturnType<typeof explorerTree> | undefined;
    for (const text of [example, broken, 'a: {\n', '']) {
      const r = await c.validate('file:///lz/landing-zone.yaml', 1, text, now);
      assert.ok(r);
      const local = validateText(text, 'file:///lz/landing-zone.yaml', { now, reader: 'fast' });
      assert.deepEqual(r.issues, local.issues);
      assert.equal(r.hasModel, !!local.model);
      const d = await r.details;
      assert.ok(d);
      assert.deepEqual(d.outline, outline(local.source));
      // a text that does not parse keeps the last tree that did (what the explorer shows meanwhile)
      if (local.source.doc.errors.length === 0) lastTree = explorerTree(local.source);
      assert.deepEqual(d.tree, lastTree);
    }
  } finally {
    c.dispose();
  }
});

test('what did not change is not sent again: the same outline and tree come back as the same objects', async () => {
  const { c } = client();
  try {
    const r1 = await c.validate('file:///lz.yaml', 1, example, now);
    const d1 = await r1!.details;
    // a comment typed at the end: neither the outline nor the tree moves
    const d2 = await (await c.validate('file:///lz.yaml', 2, `${example}# typing\n`, now))!.details;
    assert.equal(d2!.outline, d1!.outline);
    assert.equal(d2!.tree, d1!.tree);
    assert.equal(d2!.treeChanged, false);
    // a line added at the top: every entry moves, the tree's shape stays
    const moved = `# a comment\n${example}`;
    const d3 = await (await c.validate('file:///lz.yaml', 3, moved, now))!.details;
    const local = validateText(moved, 'file:///lz.yaml', { now, reader: 'fast' });
    assert.deepEqual(d3!.outline, outline(local.source));
    assert.notEqual(d3!.outline, d1!.outline);
    assert.equal(d3!.treeChanged, false);
    assert.equal(d3!.tree!.shape, d1!.tree!.shape);
    assert.deepEqual(d3!.tree, explorerTree(local.source));
    // a project renamed: the shape changes
    const d4 = await (await c.validate('file:///lz.yaml', 4, example.replace('\n  devops:', '\n  ops:'), now))!.details;
    assert.equal(d4!.treeChanged, true);
    assert.ok(d4!.tree!.shape.projects.some((p) => p.name === 'ops'));
    // once forgotten (the document closed), everything is sent again
    c.forget('file:///lz.yaml');
    const d5 = await (await c.validate('file:///lz.yaml', 5, example, now))!.details;
    assert.deepEqual(d5, { ...d1!, ms: d5!.ms, treeChanged: true });
  } finally {
    c.dispose();
  }
});

test('a newer version interrupts the one still running, in the same worker; a queued older one is dropped', async () => {
  const { c, spawned } = client();
  try {
    const big = generateLandingZone(300);
    await (await c.validate('file:///warm.yaml', 1, example, now))?.details; // the worker is up and idle
    const v1 = c.validate('file:///lz.yaml', 1, big, now);
    const v2 = c.validate('file:///lz.yaml', 2, big.replace('role: devops', 'role: devop'), now);
    assert.equal(await v1, undefined, 'v1 was interrupted');
    const r2 = await v2;
    assert.equal(r2?.version, 2);
    assert.ok(r2.issues.some((i) => i.ruleId === 'schema'));
    assert.ok(await r2.details);
    assert.equal(c.cancelled, 1);
    assert.equal(spawned(), 1, 'the worker that ran v1 answered v2: it was not restarted');
    // interrupted before its details: the findings came, the details did not
    const v3 = await c.validate('file:///lz.yaml', 3, big, now);
    c.interrupt('file:///lz.yaml');
    assert.equal(v3?.version, 3);
    const d3 = await v3.details;
    assert.ok(d3 === undefined || d3.outline.length > 0, 'either stopped, or had already answered');
    // another document waits its turn instead of interrupting anything
    const before = c.cancelled;
    const a = c.validate('file:///a.yaml', 1, example, now);
    const b = c.validate('file:///b.yaml', 1, example, now);
    assert.equal((await a)?.uri, 'file:///a.yaml');
    assert.equal((await b)?.uri, 'file:///b.yaml');
    assert.equal(c.cancelled, before);
  } finally {
    c.dispose();
  }
});

test('the 500-project file goes to the worker and comes back validated, version after version', async () => {
  // how long the hand-over blocks this thread is measured in bench/keystroke.ts, not here
  const { c } = client();
  try {
    const big = generateLandingZone(500);
    await c.validate('file:///lz.yaml', 0, example, now);
    for (let v = 1; v <= 3; v++) {
      const r = await c.validate('file:///lz.yaml', v, big, now);
      assert.equal(r?.uri, 'file:///lz.yaml');
      assert.equal(r?.issues.length, 0);
    }
  } finally {
    c.dispose();
  }
});

test('one worker validates and answers the language requests, on one parse per version', async () => {
  const { c, spawned } = client();
  try {
    const uri = 'file:///lz.yaml';
    const r = await c.validate(uri, 1, example, now);
    assert.ok(r);
    let reads = 0;
    const offset = example.indexOf('allowFrom: [') + 12;
    // validation sent version 1's text: the question goes without it
    const a = await c.language.ask({ op: 'definition', uri, version: 1, offset }, () => { reads++; return example; });
    assert.equal(reads, 0, 'the worker holds the text validation sent');
    const idx = indexDocument(new SourceDocument(example, uri, 'fast'));
    assert.deepEqual(a, { op: 'definition', range: definitionAt(idx, offset) });
    assert.deepEqual(await c.language.ask({ op: 'completion', uri, version: 1, offset }, () => example), { op: 'completion', items: completionsAt(example, offset, idx) });
    assert.equal(spawned(), 1, 'validation and language share one thread');
  } finally {
    c.dispose();
  }
});

test('a question is answered between the steps of a long validation, with the items the new version gives', async () => {
  const { c, spawned } = client();
  try {
    const uri = 'file:///big.yaml';
    const big = generateLandingZone(500);
    await (await c.validate(uri, 1, big, now))?.details; // version 1's index is built with its details
    // version 2: a comment typed in the middle (the names do not change)
    const middle = big.indexOf('\n  env-', Math.floor(big.length / 2)) + 1;
    const v2 = `${big.slice(0, middle)}  # typing\n${big.slice(middle)}`;
    const offset = v2.indexOf('allowFrom: [', middle) + 12;
    const order: string[] = [];
    const validation = c.validate(uri, 2, v2, now).then((r) => { order.push('findings'); return r; });
    // asked while version 2 is being validated: answered once the validation has read version 2
    const completion = c.language.ask({ op: 'completion', uri, version: 2, offset }, () => v2).then((a) => { order.push('completion'); return a; });
    // (a question that needs version 2's parse is answered from the validation's)
    const definition = c.language.ask({ op: 'definition', uri, version: 2, offset }, () => v2).then((a) => { order.push('definition'); return a; });
    const [r2, items, def] = await Promise.all([validation, completion, definition]);
    // both between the validation's parse of version 2 and its findings
    assert.deepEqual(order, ['completion', 'definition', 'findings']);
    assert.equal(r2?.version, 2);
    const idx2 = indexDocument(new SourceDocument(v2, uri, 'fast'));
    // the same items as the new version's own index gives
    assert.deepEqual(items, { op: 'completion', items: completionsAt(v2, offset, idx2) });
    assert.ok(items.op === 'completion' && items.items.length > 1);
    assert.deepEqual(def, { op: 'definition', range: definitionAt(idx2, offset) });
    assert.equal(spawned(), 1);
  } finally {
    c.dispose();
  }
});

test('random edits with questions in between: every answer equals a fresh validation and a fresh index of its version', async () => {
  const { c } = client();
  try {
    const uri = 'file:///edits.yaml';
    let text = generateLandingZone(30);
    // a seeded sequence (mulberry32): a reproducible failure names its step
    let seed = 17;
    const random = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
    const edits = [
      (t: string, at: number) => `${t.slice(0, at)}x${t.slice(at)}`,
      (t: string, at: number) => `${t.slice(0, at)}${t.slice(at + 1)}`,
      (t: string, at: number) => `${t.slice(0, t.indexOf('\n', at) + 1)}  # note\n${t.slice(t.indexOf('\n', at) + 1)}`,
      (t: string, at: number) => t.replace(/role: \w+/, (m) => (at % 2 ? `${m}x` : m)),
    ];
    const pending: Promise<void>[] = [];
    for (let v = 1; v <= 24; v++) {
      text = edits[Math.floor(random() * edits.length)]!(text, Math.floor(random() * text.length));
      const version = text;
      const offset = Math.floor(random() * version.length);
      // the host's order: the validation, then questions about the same version while it runs
      const validated = c.validate(uri, v, version, now);
      const asked = c.language.ask({ op: 'definition', uri, version: v, offset }, () => version);
      const completed = c.language.ask({ op: 'completion', uri, version: v, offset }, () => version);
      const r = await validated;
      const local = validateText(version, uri, { now, reader: 'fast' });
      const idx = indexDocument(new SourceDocument(version, uri, 'fast'));
      if (r) assert.deepEqual(r.issues, local.issues, `step ${v}`);
      pending.push(asked.then((a) => {
        if (a.op !== 'stale') assert.deepEqual(a, definitionAt(idx, offset) ? { op: 'definition', range: definitionAt(idx, offset) } : { op: 'definition' }, `step ${v}`);
      }), completed.then((a) => {
        if (a.op === 'stale') return;
        const names = idx.source.doc.errors.length === 0 ? idx : undefined;
        if (names) assert.deepEqual(a, { op: 'completion', items: completionsAt(version, offset, names) }, `step ${v}`);
      }));
    }
    await Promise.all(pending);
  } finally {
    c.dispose();
  }
});
