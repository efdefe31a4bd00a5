// The editor's validation off the extension host's thread: the worker answers what validateText
// answers, a newer version cancels an older one still running, and handing a 500-project file over
// costs the host a few milliseconds. The worker is the TypeScript source here (tsx), the bundle
// dist/validation-worker.js in the editor.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLandingZone } from '../../bench/generate';
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

test('the worker answers what validateText answers, with the outline', async () => {
  const { c } = client();
  try {
    const broken = example.replace('role: devops', 'role: devop');
    for (const text of [example, broken, 'a: {\n', '']) {
      const r = await c.validate('file:///lz/landing-zone.yaml', 1, text, now);
      assert.ok(r);
      const local = validateText(text, 'file:///lz/landing-zone.yaml', { now, reader: 'fast' });
      assert.deepEqual(r.issues, local.issues);
      assert.deepEqual(r.outline, outline(local.source));
      assert.equal(r.hasModel, !!local.model);
    }
  } finally {
    c.dispose();
  }
});

test('a newer version cancels the one still running; a queued older one is dropped', async () => {
  const { c, spawned } = client();
  try {
    const big = generateLandingZone(300);
    await c.validate('file:///warm.yaml', 1, example, now); // the worker is up
    const v1 = c.validate('file:///lz.yaml', 1, big, now);
    const v2 = c.validate('file:///lz.yaml', 2, big.replace('role: devops', 'role: devop'), now);
    assert.equal(await v1, undefined, 'v1 was cancelled');
    const r2 = await v2;
    assert.equal(r2?.version, 2);
    assert.ok(r2.issues.some((i) => i.ruleId === 'schema'));
    assert.equal(c.cancelled, 1);
    assert.equal(spawned(), 2, 'the worker running v1 was terminated and a fresh one answered v2');
    // another document waits its turn instead of cancelling anything
    const a = c.validate('file:///a.yaml', 1, example, now);
    const b = c.validate('file:///b.yaml', 1, example, now);
    assert.equal((await a)?.uri, 'file:///a.yaml');
    assert.equal((await b)?.uri, 'file:///b.yaml');
    assert.equal(c.cancelled, 1);
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
