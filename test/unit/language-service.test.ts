// The editor's language answers off the extension host's thread: the service (core, plain data)
// answers what the index on the host answered, and the language worker (the validation worker's
// script, a second instance) answers through LanguageClient without the host ever parsing the file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLandingZone } from '../../bench/generate';
import { SourceDocument } from '../../src/core/document';
import { completionsAt } from '../../src/core/language/completion';
import { hoverAt } from '../../src/core/language/hover';
import { definitionAt, referencesAt, renameAt } from '../../src/core/language/navigation';
import { LanguageService } from '../../src/core/language/service';
import { indexDocument } from '../../src/core/language/symbol-index';
import { ValidationClient } from '../../src/extension/validation-client';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8');
const uri = 'file:///lz/landing-zone.yaml';
const at = (text: string, needle: string, plus = 0) => { const i = text.indexOf(needle); assert.ok(i >= 0, needle); return i + plus; };

test('the service answers what the index answers, and asks for the text of a version it does not hold', () => {
  const s = new LanguageService();
  assert.deepEqual(s.answer({ op: 'definition', uri, version: 1, offset: 0 }), { op: 'needText' });
  const idx = indexDocument(new SourceDocument(example, uri, 'fast'));
  const ref = at(example, 'keys: [security/app-data]', 17);
  assert.deepEqual(s.answer({ op: 'definition', uri, version: 1, text: example, offset: ref }), { op: 'definition', range: definitionAt(idx, ref) });
  // the text is held now: later requests about version 1 come without it
  const key = at(example, 'app-data: {', 1);
  assert.deepEqual(s.answer({ op: 'references', uri, version: 1, offset: key, includeDeclaration: true }), { op: 'references', occurrences: referencesAt(idx, key, true) });
  const prod = at(example, '  prod:\n', 3);
  assert.deepEqual(s.answer({ op: 'rename', uri, version: 1, offset: prod, newName: 'production' }), { op: 'rename', result: renameAt(idx, prod, 'production') });
  const field = at(example, 'rotationPeriod: 90d', 2);
  assert.deepEqual(s.answer({ op: 'hover', uri, version: 1, offset: field }), { op: 'hover', hover: hoverAt(idx, field), asked: { resources: ['security/key/secrets-key'], secrets: [] } });
  assert.deepEqual(s.answer({ op: 'definition', uri, version: 2, offset: ref }), { op: 'needText' });
});

test('hover names the live ids it would show; given their data it shows them, as the host did with its lookups', () => {
  const s = new LanguageService();
  const offset = at(example, 'gitlab-token:', 2);
  const first = s.answer({ op: 'hover', uri, version: 1, text: example, offset });
  assert.ok(first.op === 'hover');
  assert.deepEqual(first.asked.secrets, ['security/gitlab-token']);
  const versions = [{ revision: 3, status: 'enabled' }, { revision: 2, status: 'disabled' }];
  const again = s.answer({ op: 'hover', uri, version: 1, offset, live: { resources: {}, secrets: { 'security/gitlab-token': versions } } });
  assert.ok(again.op === 'hover');
  assert.match(again.hover?.markdown ?? '', /revision 3: enabled ← pinned/);
  const idx = indexDocument(new SourceDocument(example, uri, 'fast'));
  assert.equal(again.hover?.markdown, hoverAt(idx, offset, { secretVersions: (id) => (id === 'security/gitlab-token' ? versions : undefined) })?.markdown);
});

test('completion reads the cursor from the newest text and names from the last index that parsed', () => {
  const s = new LanguageService();
  s.answer({ op: 'open', uri, version: 1, text: example });
  // typing breaks the file: the names still come from version 1's index
  const typing = example.replace('keys: [security/app-data]', 'keys: [security/app-data, ]\nbroken: {');
  const offset = at(typing, 'keys: [security/app-data, ]', 26);
  const a = s.answer({ op: 'completion', uri, version: 2, text: typing, offset });
  assert.ok(a.op === 'completion');
  const good = indexDocument(new SourceDocument(example, uri, 'fast'));
  assert.deepEqual(a.items, completionsAt(typing, offset, good));
  assert.ok(a.items.some((i) => i.label === 'security/app-data'), a.items.map((i) => i.label).join(', '));
});

test('the language worker answers through LanguageClient; a 500-project file is never parsed on this thread', async () => {
  const source = join(root, 'src', 'extension', 'validation-worker.ts');
  const v = new ValidationClient({ script: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, eval: true });
  const c = v.language;
  try {
    const text = generateLandingZone(500);
    let reads = 0;
    const read = () => { reads++; return text; };
    const open = await c.ask({ op: 'open', uri, version: 1 }, read);
    assert.deepEqual(open, { op: 'open' });
    const offset = at(text, 'allowFrom: [', 12);
    const idx = indexDocument(new SourceDocument(text, uri, 'fast'));
    const def = await c.ask({ op: 'definition', uri, version: 1, offset }, read);
    assert.deepEqual(def, { op: 'definition', range: definitionAt(idx, offset) });
    assert.ok(def.op === 'definition' && def.range);
    const items = await c.ask({ op: 'completion', uri, version: 1, offset }, read);
    assert.deepEqual(items, { op: 'completion', items: completionsAt(text, offset, idx) });
    assert.equal(reads, 1, 'the text is sent once per version');
    // a crashed worker is replaced, and the new one is sent the text again
    await (v as unknown as { thread: { current: { terminate(): Promise<number> } } }).thread.current.terminate();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await c.ask({ op: 'definition', uri, version: 1, offset }, read), def);
    assert.equal(reads, 2);
  } finally {
    v.dispose();
  }
});

test('one parse per version: the index is built on the parse validation adopted; a question about an older version is moot', () => {
  const s = new LanguageService();
  const held = s.hold(uri, 1, example);
  const source = new SourceDocument(held.text, uri, 'fast');
  s.adopt(uri, 1, source);
  assert.equal(s.sourceOf(uri, 1), source);
  assert.ok(s.answerableWithoutParse({ op: 'definition', uri, version: 1, offset: 0 }));
  // the same text again (validation's copy of a version a question sent) keeps the parse
  assert.equal(s.hold(uri, 1, `${example}`), held);
  const ref = at(example, 'keys: [security/app-data]', 17);
  const def = s.answer({ op: 'definition', uri, version: 1, offset: ref });
  assert.deepEqual(def, { op: 'definition', range: definitionAt(indexDocument(source), ref) });
  assert.equal(s.symbolsOf(uri, 1), s.symbolsOf(uri, 1), 'listed once');
  // version 2 arrives: a question about version 1 is moot, one about 2 needs its parse
  s.hold(uri, 2, `${example}# typing\n`);
  assert.deepEqual(s.answer({ op: 'completion', uri, version: 1, offset: ref }), { op: 'stale' });
  assert.ok(s.answerableWithoutParse({ op: 'completion', uri, version: 1, offset: ref }));
  assert.ok(!s.answerableWithoutParse({ op: 'completion', uri, version: 2, offset: ref }));
  assert.equal(s.sourceOf(uri, 1), undefined);
});
