import type { DocPath } from '../document';

/**
 * Where the cursor is, read from the text around it rather than from the YAML tree: while a
 * person types, the line under the cursor is usually incomplete (`    nodeType: `, `      - `,
 * `allowFrom: [security, `), and the parser's tree does not say which mapping a half-typed key
 * belongs to. Indentation and the flow brackets on the line do.
 */
export interface CursorContext {
  /**
   * `key`: a key of the mapping at `path` is being typed. `value`: the value at `path` (the last
   * segment is the key or the sequence index).
   */
  position: 'key' | 'value';
  path: DocPath;
  /** The word under the cursor up to the cursor, and the offsets that a completion replaces. */
  prefix: string;
  replaceStart: number;
  replaceEnd: number;
  /** Inside `{ … }` or `[ … ]` on this line. */
  inFlow: boolean;
  /** Column where a key typed here starts (for multi-line snippets). */
  keyColumn: number;
}

interface Openers {
  indent: number;
  dash?: number;
  key?: { col: number; name: string; colonEnd: number };
  blank: boolean;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s#:{}[\],"'][^:#{}[\],]*?)\s*:(?=\s|$)/;

function openers(line: string): Openers {
  const indent = line.length - line.trimStart().length;
  const rest = line.slice(indent);
  if (rest === '' || rest.startsWith('#')) return { indent, blank: true };
  let pos = indent;
  let dash: number | undefined;
  if (rest.startsWith('-') && (rest.length === 1 || rest[1] === ' ')) {
    dash = indent;
    pos = indent + 1;
    while (line[pos] === ' ') pos++;
  }
  const m = KEY.exec(line.slice(pos));
  const key = m ? { col: pos, name: unquote(m[1]!.trim()), colonEnd: pos + m[0].length } : undefined;
  return { indent, dash, key, blank: false };
}

const unquote = (s: string) => (/^(["']).*\1$/.test(s) ? s.slice(1, -1) : s);

/** The mapping/sequence path that contains a node whose opener is at `col` on line `lineNo`. */
function blockPath(lines: string[], lineNo: number, col: number, dashAt: number | undefined): (string | number)[] {
  const segs: (string | number)[] = [];
  let dashMode = dashAt;
  let count = 0;
  let limit = col;
  for (let j = lineNo - 1; j >= 0; j--) {
    const o = openers(lines[j]!);
    if (o.blank) continue;
    if (dashMode !== undefined) {
      if (o.dash === dashMode) { count++; continue; }
      const first = o.dash ?? o.indent;
      if (first > dashMode) continue;
      segs.push(count);
      limit = dashMode + 1; // a key at the dash's own column may own the sequence
      dashMode = undefined;
      count = 0;
    }
    const first = o.dash ?? o.indent;
    if (first >= limit) continue;
    if (o.key && o.key.col < limit) {
      segs.push(o.key.name);
      if (o.dash !== undefined) { dashMode = o.dash; count = 0; } else limit = o.key.col;
      continue;
    }
    if (o.dash !== undefined && o.dash < limit) { dashMode = o.dash; count = 0; continue; }
    break;
  }
  if (dashMode !== undefined) segs.push(count);
  return segs.reverse();
}

interface Frame { kind: 'map' | 'seq'; seg: string | number | undefined; key?: string; afterColon: boolean; index: number }

/** The cursor context at an offset; undefined inside a comment or a block scalar we cannot place. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop(); // the empty string after the last newline before this line
  const lineEndIdx = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEndIdx < 0 ? text.length : lineEndIdx).replace(/\r$/, '');
  const col = offset - lineStart;
  const before = line.slice(0, col);
  if (inComment(before)) return undefined;

  let wordStart = col;
  while (wordStart > 0 && /[\w./"'-]/.test(before[wordStart - 1]!)) wordStart--;
  let wordEnd = col;
  while (wordEnd < line.length && /[\w./"'-]/.test(line[wordEnd]!)) wordEnd++;
  const prefix = before.slice(wordStart).replace(/^["']/, '');
  const replace = { replaceStart: lineStart + wordStart, replaceEnd: lineStart + wordEnd };

  // A trailing space lets `key:` at the very end of the text match (the pattern wants a space after the colon).
  const o = openers(before + ' ');
  const indent = before.length - before.trimStart().length;
  const dash = o.dash !== undefined && col > o.dash ? o.dash : undefined;

  if (!o.key) {
    // No `key:` before the cursor. After `- ` it is a sequence item (a scalar, or the first key of
    // a mapping item: completion decides from the schema); otherwise a key of the enclosing mapping.
    if (dash !== undefined) {
      const base = blockPath(lines, lines.length, dash, dash);
      const itemStart = dash + 1 + (before.slice(dash + 1).length - before.slice(dash + 1).trimStart().length);
      if (before[itemStart] === '{' || before[itemStart] === '[') return scanFlow(before.slice(itemStart), base, prefix, replace, dash + 2);
      return { position: 'value', path: base, prefix, ...replace, inFlow: false, keyColumn: dash + 2 };
    }
    const base = blockPath(lines, lines.length, indent, undefined);
    return { position: 'key', path: base, prefix, ...replace, inFlow: false, keyColumn: indent };
  }

  const base = blockPath(lines, lines.length, dash !== undefined ? dash : o.key.col, dash);
  const path: (string | number)[] = [...base, o.key.name];
  return scanFlow(before.slice(Math.min(o.key.colonEnd, before.length)), path, prefix, replace, o.key.col);
}

/** Follows `{`, `[`, `,` and `key:` from the start of a flow value up to the cursor. */
function scanFlow(flowText: string, path: (string | number)[], prefix: string, replace: { replaceStart: number; replaceEnd: number }, keyColumn: number): CursorContext {
  const frames: Frame[] = [];
  let tok = '';
  let quote: string | undefined;
  for (let i = 0; i < flowText.length; i++) {
    const c = flowText[i]!;
    const top = frames[frames.length - 1];
    if (quote) { if (c === quote) quote = undefined; tok += c; continue; }
    if (c === '"' || c === "'") { quote = c; tok += c; continue; }
    if (c === '{' || c === '[') {
      const seg = !top ? undefined : top.kind === 'map' ? top.key : top.index;
      frames.push({ kind: c === '{' ? 'map' : 'seq', seg, afterColon: false, index: 0 });
      tok = '';
    } else if (c === '}' || c === ']') {
      frames.pop();
      tok = '';
    } else if (c === ',') {
      if (top?.kind === 'seq') top.index++;
      if (top?.kind === 'map') { top.key = undefined; top.afterColon = false; }
      tok = '';
    } else if (c === ':' && top?.kind === 'map' && !top.afterColon && (i + 1 === flowText.length || flowText[i + 1] === ' ')) {
      top.key = unquote(tok.trim());
      top.afterColon = true;
      tok = '';
    } else tok += c;
  }
  const top = frames[frames.length - 1];
  const flowPath = [...path, ...frames.slice(1).map((f) => f.seg).filter((s): s is string | number => s !== undefined)];
  if (!top) return { position: 'value', path, prefix, ...replace, inFlow: false, keyColumn };
  if (top.kind === 'seq') return { position: 'value', path: [...flowPath, top.index], prefix, ...replace, inFlow: true, keyColumn };
  if (top.afterColon && top.key !== undefined) return { position: 'value', path: [...flowPath, top.key], prefix, ...replace, inFlow: true, keyColumn };
  return { position: 'key', path: flowPath, prefix, ...replace, inFlow: true, keyColumn };
}

function inComment(before: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (quote) { if (c === quote) quote = undefined; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(before[i - 1]!))) return true;
  }
  return false;
}
