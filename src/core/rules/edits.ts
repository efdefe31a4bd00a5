import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { DocPath, SourceDocument } from '../document';
import type { TextEdit } from '../issues';

/*
 * Mechanical edits for fixes. They keep the author's style: a flow collection (`[a, b]`,
 * `{ a: 1 }`) grows inline, a block collection grows by one line at the same indentation.
 * Every helper returns undefined when the shape is unexpected, so a fix degrades to a title.
 */

/** Replaces the value at a path. */
export function replaceValue(source: SourceDocument, path: DocPath, newText: string): TextEdit[] | undefined {
  const node = source.node(path);
  if (!node?.range) return undefined;
  return [{ range: source.range(node.range[0], node.range[1]), newText }];
}

/** Replaces a key (the rename of a definition or of a misspelt field). */
export function renameKey(source: SourceDocument, path: DocPath, newText: string): TextEdit[] | undefined {
  const pair = source.pair(path);
  if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
  return [{ range: source.range(pair.key.range[0], pair.key.range[1]), newText }];
}

/** Appends items to the sequence at a path, as one edit. */
export function appendToSequence(source: SourceDocument, path: DocPath, items: readonly string[]): TextEdit[] | undefined {
  const seq = source.node(path);
  if (!isSeq(seq) || !seq.range || items.length === 0) return undefined;
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (seq.flow) {
    if (!last?.range) return insertAt(source, seq.range[0], `[${items.join(', ')}]`, seq.range[1]);
    return insertAt(source, last.range[1], items.map((i) => `, ${i}`).join(''));
  }
  if (!last?.range) return undefined;
  const first = seq.items[0] as Node;
  const indent = dashColumn(source, first.range![0]);
  if (indent === undefined) return undefined;
  return insertAt(source, last.range[1], items.map((i) => `\n${' '.repeat(indent)}- ${i}`).join(''));
}

/** Removes one item of a flow or block sequence (with its separator). */
export function removeFromSequence(source: SourceDocument, path: DocPath, index: number): TextEdit[] | undefined {
  const seq = source.node(path);
  if (!isSeq(seq)) return undefined;
  const item = seq.items[index] as Node | undefined;
  if (!item?.range) return undefined;
  if (seq.flow) {
    const prev = seq.items[index - 1] as Node | undefined;
    const next = seq.items[index + 1] as Node | undefined;
    if (prev?.range) return insertAt(source, prev.range[1], '', item.range[1]);
    if (next?.range) return insertAt(source, item.range[0], '', next.range[0]);
    return insertAt(source, item.range[0], '', item.range[1]);
  }
  const text = source.text;
  const lineStart = text.lastIndexOf('\n', item.range[0] - 1) + 1;
  const lineEnd = text.indexOf('\n', item.range[1]);
  return insertAt(source, lineStart, '', lineEnd < 0 ? text.length : lineEnd + 1);
}

/** Sets `key: value` in the map at a path: replaces the value when the key exists, else adds it. */
export function setKey(source: SourceDocument, mapPath: DocPath, key: string, valueText: string): TextEdit[] | undefined {
  const existing = source.pair([...mapPath, key]);
  if (existing) return replaceValue(source, [...mapPath, key], valueText);
  const map = mapPath.length === 0 ? source.doc.contents : source.node(mapPath);
  if (!isMap(map) || !map.range) return undefined;
  const lastPair = map.items[map.items.length - 1];
  const lastEnd = endOf(lastPair?.value as Node | undefined) ?? endOf(lastPair?.key as Node | undefined);
  if (map.flow) {
    if (lastEnd === undefined) return insertAt(source, map.range[0], `{ ${key}: ${valueText} }`, map.range[1]);
    return insertAt(source, lastEnd, `, ${key}: ${valueText}`);
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  if (lastEnd === undefined || !firstKey?.range) return undefined;
  const indent = source.position(firstKey.range[0]).character;
  return insertAt(source, lastEnd, `\n${' '.repeat(indent)}${key}: ${valueText}`);
}

function endOf(node: Node | undefined): number | undefined {
  return node?.range ? node.range[1] : undefined;
}

function insertAt(source: SourceDocument, start: number, newText: string, end = start): TextEdit[] {
  return [{ range: source.range(start, end), newText }];
}

/** Column of the `-` that introduces a block sequence item starting at `offset`. */
function dashColumn(source: SourceDocument, offset: number): number | undefined {
  const text = source.text;
  let i = offset - 1;
  while (i >= 0 && text[i] === ' ') i--;
  if (text[i] !== '-') return undefined;
  return source.position(i).character;
}
