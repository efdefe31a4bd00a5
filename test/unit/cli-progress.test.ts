import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchedWriter, liveBar } from '../../src/cli/progress';

test('progress lines go out in one write per batch, in order, and at once on flush', async () => {
  const writes: string[] = [];
  const out = batchedWriter({ write: (t: string) => writes.push(t) }, 20);
  for (let i = 0; i < 500; i += 1) out.write(`line ${i}\n`);
  assert.equal(writes.length, 0, 'nothing written synchronously');
  await sleep(60);
  assert.equal(writes.length, 1, 'one write for the batch');
  assert.equal(writes[0], Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join(''));
  out.write('a\n');
  out.write('b\n');
  out.flush();
  assert.deepEqual(writes.slice(1), ['a\nb\n'], 'flush writes the queue now');
  out.flush();
  assert.equal(writes.length, 2, 'an empty flush writes nothing');
});

test('a live bar is redrawn once per interval with its last state; lines are all kept', async () => {
  const writes: string[] = [];
  const out = batchedWriter({ write: (t: string) => writes.push(t) }, 10);
  const bar = liveBar(out, 10);
  for (let i = 0; i < 100; i += 1) bar.bar(`${i}/100`);
  bar.line('retry x');
  await sleep(50);
  out.flush();
  const text = writes.join('');
  assert.ok(text.includes('retry x\n'));
  assert.equal(text.match(/\/100/g)?.length, 1, 'one redraw');
  assert.ok(text.includes('99/100'), 'the last state');
  bar.bar('never drawn');
  bar.clear();
  out.flush();
  assert.ok(!writes.join('').includes('never drawn'), 'clear drops a pending redraw');
});
