import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { KIND_ORDER } from '../../../src/core/desired';
import { PRODUCT_OF_KIND } from '../../../src/scaleway/products';
import { NOT_READ, READ_WITH, READERS } from '../../../src/scaleway/inventory';
import { NOT_WRITTEN, WRITERS } from '../../../src/scaleway/writers/by-kind';

/*
 * A newcomer finds the writer and the reader of any kind by its product's file name: every kind
 * core declares maps to one product, its writer is exported by src/scaleway/writers/<product>.ts
 * and its reader by src/scaleway/readers/<product>.ts, and by no other file.
 */

const root = join(__dirname, '../../../src/scaleway');

const isWriter = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && ['create', 'update', 'delete', 'find'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');

/** Every exported value of every module in a folder, with the file it comes from. */
async function exportsOf(folder: string): Promise<{ file: string; name: string; value: unknown }[]> {
  const out: { file: string; name: string; value: unknown }[] = [];
  for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = await import(pathToFileURL(join(root, folder, file)).href) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) out.push({ file, name, value });
  }
  return out;
}

test('every kind of core has a product, and only kinds of core do', () => {
  assert.deepEqual(Object.keys(PRODUCT_OF_KIND).sort(), [...KIND_ORDER].sort());
});

test('the writer of every kind is in writers/<product>.ts, exported by that file only', async () => {
  const all = await exportsOf('writers');
  const writers = all.filter((e) => isWriter(e.value));
  const where: string[] = [];
  for (const kind of KIND_ORDER) {
    const w = WRITERS[kind];
    if (!w) {
      assert.ok((NOT_WRITTEN[kind] ?? '').length > 10, `${kind}: no writer, and NOT_WRITTEN does not say why`);
      continue;
    }
    assert.equal(NOT_WRITTEN[kind], undefined, `${kind}: has a writer and is listed as not written`);
    const files = [...new Set(writers.filter((e) => e.value === w).map((e) => e.file))];
    where.push(`${kind} ${files.join(',')}`);
    assert.deepEqual(files, [`${PRODUCT_OF_KIND[kind]}.ts`], `${kind}: written by ${files.join(', ') || 'no exported writer'}, expected writers/${PRODUCT_OF_KIND[kind]}.ts`);
  }
  // no writer lies unused in a product file (it would be a second writer of some kind)
  const used = new Set(Object.values(WRITERS));
  assert.deepEqual(writers.filter((e) => !used.has(e.value as never)).map((e) => `${e.file} ${e.name}`), []);
  // the kinds apply writes: all but the two that have no API resource of their own
  assert.deepEqual(KIND_ORDER.filter((k) => !WRITERS[k]).sort(), ['lb-ip', 'sso']);
  assert.ok(where.length >= 24, where.join('\n'));
});

const isReader = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && Array.isArray((v as { kinds?: unknown }).kinds) && typeof (v as { read?: unknown }).read === 'function';

test('the reader of every kind is in readers/<product>.ts, exported by that file only, and the inventory runs it', async () => {
  const readers = (await exportsOf('readers')).filter((e) => isReader(e.value));
  for (const kind of KIND_ORDER) {
    const mine = readers.filter((e) => (e.value as { kinds: string[] }).kinds.includes(kind));
    const files = [...new Set(mine.map((e) => e.file))];
    if (files.length === 0) {
      assert.ok((NOT_READ[kind] ?? READ_WITH[kind] ?? '').length > 10, `${kind}: no reader, and neither NOT_READ nor READ_WITH says why`);
      continue;
    }
    assert.deepEqual(files, [`${PRODUCT_OF_KIND[kind]}.ts`], `${kind}: read by ${files.join(', ')}, expected readers/${PRODUCT_OF_KIND[kind]}.ts`);
    assert.equal(mine.length, 1, `${kind}: one reader`);
    assert.ok(READERS.includes(mine[0]!.value as never), `${kind}: the inventory runs its reader`);
    assert.equal(NOT_READ[kind] ?? READ_WITH[kind], undefined, `${kind}: read, and listed as not read`);
  }
  // every reader the inventory runs is one of those files' exports
  assert.equal(READERS.length, new Set(readers.map((e) => e.value)).size);
  assert.deepEqual(KIND_ORDER.filter((k) => !readers.some((e) => (e.value as { kinds: string[] }).kinds.includes(k))).sort(), ['lb-ip', 'sso']);
});
