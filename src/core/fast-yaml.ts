import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { ValidationInterrupted } from './validate-interrupted';

/*
 * A fast path for the YAML that landing-zone files are made of: block maps and sequences, one-line
 * flow collections, plain and one-line quoted scalars, comments. It builds the same nodes, with
 * the same ranges, as the `yaml` package — which spends most of a validation in its general
 * lexer, CST and composer — and returns undefined ("bail") on anything else: anchors, aliases,
 * tags, block scalars, multi-line scalars or flow collections, directives, several documents,
 * CR line ends, tabs, empty values, and any doubt about a scalar's type. The caller then parses
 * with `yaml`, so the fast path can only be faster, never different; a differential test holds it
 * to that (test/unit/fast-yaml.test.ts).
 */

/** The document and its plain value (what `doc.toJS()` returns), built without a second walk through yaml. */
export interface FastParse {
  doc: Document.Parsed;
  value: unknown;
  /** Nodes in the document (keys, values and items), as yaml-limits counts them. */
  nodes: number;
  /** Whether some map has a key twice (the fast path keeps them, as yaml does with uniqueKeys off). */
  duplicateKeys: boolean;
  /** Whether some map has a key `__proto__`. */
  protoKeys: boolean;
}

/** Like `fastParse`, with the plain value too. */
export function fastParseWithValue(text: string, interrupted?: () => boolean): FastParse | undefined {
  const doc = fastParse(text, interrupted);
  if (!doc) return undefined;
  const counter = { nodes: 0, duplicateKeys: false, protoKeys: false };
  const value = plainValue(doc.contents, counter);
  return { doc, value, nodes: counter.nodes, duplicateKeys: counter.duplicateKeys, protoKeys: counter.protoKeys };
}

/** The plain value of fast-path nodes: maps (string keys), sequences and resolved scalars only. */
function plainValue(node: unknown, counter: { nodes: number; duplicateKeys: boolean; protoKeys: boolean }): unknown {
  counter.nodes++;
  if (node instanceof YAMLMap) {
    const out: Record<string, unknown> = {};
    for (const p of node.items) {
      const key = String((p.key as Scalar).value);
      counter.nodes++;
      // found here, the one walk over every map that looks for duplicates is not needed (SourceDocument)
      if (Object.prototype.hasOwnProperty.call(out, key)) counter.duplicateKeys = true;
      const value = plainValue(p.value, counter);
      // A `__proto__` key is data, never the object's prototype.
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
        counter.protoKeys = true;
      }
      else out[key] = value;
    }
    return out;
  }
  if (node instanceof YAMLSeq) return node.items.map((item) => plainValue(item, counter));
  return node instanceof Scalar ? node.value : node;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

/** Parses `text` into a yaml Document (no errors) or returns undefined when it must not decide. */
export function fastParse(text: string, interrupted?: () => boolean): Document.Parsed | undefined {
  // CRLF line ends are fine (Windows checkouts); a lone CR is a line break only to some readers.
  if (text.length === 0 || /\r(?!\n)/.test(text) || UNUSUAL.test(text)) return undefined;
  try {
    const contents = new FastParser(text, interrupted).parse();
    const doc = new Document() as unknown as Document.Parsed;
    doc.contents = contents as Document.Parsed["contents"];
    (doc as { range: [number, number, number] }).range = [0, text.length, text.length];
    return doc;
  } catch (err) {
    if (err instanceof Bail) return undefined;
    throw err;
  }
}

interface Line {
  start: number;
  /** Offset of the first non-space character. */
  content: number;
  /** Offset of the line's end (its `\r\n` or `\n`, or text.length). */
  end: number;
  /** Offset of the next line (after the `\n`), or text.length. */
  next: number;
  indent: number;
  /** The deepest indentation of the comment lines just before this line, or -1. */
  commentIndent: number;
}

/**
 * Characters whose handling the fast path does not model: tabs, other C0 and C1 controls, DEL, the
 * Unicode line and paragraph separators, a byte-order mark anywhere, non-characters and lone
 * surrogates. yaml reports some of them and treats others as ordinary text; either way, decline.
 */
const UNUSUAL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** yaml refuses an implicit key of more than 1024 characters (K3); keys near that length are declined. */
const MAX_KEY = 1000;
/** yaml stops at 1,000 flow or 2,000 block levels (K5); no landing zone nests more than a dozen. */
const MAX_DEPTH = 32;

const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const SIMPLE_INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** The YAML 1.2 core schema's non-string scalars (the `yaml` package's own tests, anchored). */
const CORE_TYPED = [
  /^[-+]?[0-9]+$/, /^0o[0-7]+$/, /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/, /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^(?:~|[Nn]ull|NULL)?$/, /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
];
const isTyped = (source: string) => CORE_TYPED.some((re) => re.test(source));

class FastParser {
  private readonly lines: Line[] = [];
  private i = 0;
  private depth = 0;

  /** Map entries read since `interrupted` was last asked. */
  private sinceAsked = 0;

  constructor(private readonly text: string, private readonly interrupted?: () => boolean) {
    let start = 0;
    /** Comment lines since the last content line: their indentation decides whether yaml extends a range over them. */
    let commentIndents: number[] = [];
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const next = newline < 0 ? text.length : newline + 1;
      const end = newline < 0 ? text.length : newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      const indent = content - start;
      // Blank and comment-only lines carry no structure, except (K1) a comment indented deeper than
      // the next content line: yaml extends the enclosing collections' ranges over it. Decline that.
      if (content < end && text[content] === '#') commentIndents.push(indent);
      else if (content < end) {
        let commentIndent = -1;
        for (const c of commentIndents) {
          if (c > indent) bail();
          commentIndent = Math.max(commentIndent, c);
        }
        commentIndents = [];
        this.lines.push({ start, content, end, next, indent, commentIndent });
      }
      if (newline < 0) break;
      start = next;
    }
    for (const c of commentIndents) if (c > 0) bail();
  }

  parse(): Node {
    let first = this.lines[0];
    if (!first || first.indent !== 0) bail();
    const t = this.text;
    // One leading `---` (a habit of many YAML authors) is fine; directives and more documents are not.
    if (t.startsWith('---', first!.content) && /^---[ ]*(?:#.*)?$/.test(t.slice(first!.content, first!.end))) {
      this.i++;
      first = this.lines[this.i];
      if (!first || first.indent !== 0) bail();
    }
    if (t.startsWith('---', first!.content) || t.startsWith('...', first!.content) || t[first!.content] === '%') bail();
    const root = this.isSeqLine(first!, first!.content) ? bail() : this.blockMap(0, first!.content);
    if (this.i < this.lines.length) bail();
    // A `---` or `...` that looks like a key or value line is caught above; one inside a block ends it and bails.
    return root;
  }

  private isSeqLine(line: Line, at: number): boolean {
    return this.text[at] === '-' && (at + 1 === line.end || this.text[at + 1] === ' ');
  }

  /** End of a value that closes its line: after the newline (or at the end of the text). */
  private lineTail(line: Line, after: number): number {
    let k = after;
    while (k < line.end && this.text.charCodeAt(k) === 32) k++;
    if (k < line.end) {
      if (this.text[k] !== '#' || k === after) bail(); // only a comment may follow, after a space
    }
    return line.next;
  }

  /** A block map whose keys sit at `indent`; the first key starts at `firstAt` on the current line. */
  private blockMap(indent: number, firstAt: number): YAMLMap {
    if (++this.depth > MAX_DEPTH) bail();
    const map = new YAMLMap();
    let at = firstAt;
    let end = 0;
    for (;;) {
      // a large file is read in tens of milliseconds per thousand entries: the caller may stop it between them
      if (this.interrupted && ++this.sinceAsked >= 1024) {
        this.sinceAsked = 0;
        if (this.interrupted()) throw new ValidationInterrupted();
      }
      const line = this.lines[this.i]!;
      const key = this.key(line, at);
      let colon = key.range![1];
      if (this.text[colon] !== ':') bail();
      colon++;
      let k = colon;
      while (k < line.end && this.text.charCodeAt(k) === 32) k++;
      let value: Node;
      if (k === line.end || this.text[k] === '#') {
        if (k < line.end && k === colon) bail();
        this.i++;
        const next = this.lines[this.i];
        if (!next) bail();
        if (next!.indent > indent) value = this.isSeqLine(next!, next!.content) ? this.blockSeq(next!.indent) : this.blockMap(next!.indent, next!.content);
        else if (next!.indent === indent && this.isSeqLine(next!, next!.content)) value = this.blockSeq(indent);
        else return bail();
      } else {
        if (k === colon) bail(); // `a:b` is a plain scalar, not a pair: let yaml decide
        value = this.inlineValue(line, k, indent);
      }
      map.items.push(new Pair(key, value));
      end = (value.range as number[])[2]!;
      const next = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) bail();
      if (this.isSeqLine(next, next.content)) break; // a sequence at the map's indent ends it (the caller decides)
      at = next.content;
    }
    map.range = [firstAt, end, end];
    this.depth--;
    return map;
  }

  private blockSeq(indent: number): YAMLSeq {
    if (++this.depth > MAX_DEPTH) bail();
    const seq = new YAMLSeq();
    const first = this.lines[this.i]!;
    let end = 0;
    for (;;) {
      const line = this.lines[this.i]!;
      if (line.indent !== indent || !this.isSeqLine(line, line.content)) bail();
      let k = line.content + 1;
      while (k < line.end && this.text.charCodeAt(k) === 32) k++;
      let item: Node;
      if (k === line.end || this.text[k] === '#') {
        this.i++;
        const next = this.lines[this.i];
        if (!next || next.indent <= indent) bail();
        item = this.isSeqLine(next!, next!.content) ? this.blockSeq(next!.indent) : this.blockMap(next!.indent, next!.content);
      } else if (this.startsPair(line, k)) {
        // `- key: value` opens a map whose keys align with `key`.
        item = this.blockMap(k - line.start, k);
      } else if (this.isSeqLine(line, k)) {
        return bail();
      } else {
        item = this.inlineValue(line, k, indent);
      }
      seq.items.push(item);
      end = (item.range as number[])[2]!;
      const next = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent || !this.isSeqLine(next, next.content)) {
        // A map key at the sequence's indentation ends it; a comment between them at that
        // indentation would belong to the sequence in yaml and extend its range (K1).
        if (next.indent === indent && next.commentIndent < indent) break;
        bail();
      }
    }
    seq.range = [first.content, end, end];
    this.depth--;
    return seq;
  }

  /** Whether a `key:` starts at `at` (a plain or quoted key followed by `:` and a space or the end). */
  private startsPair(line: Line, at: number): boolean {
    const c = this.text[at]!;
    if (c === '"' || c === "'" || c === '[' || c === '{') {
      if (c === '[' || c === '{') return false;
      const close = this.text.indexOf(c, at + 1);
      return close > 0 && close < line.end && this.text[close + 1] === ':';
    }
    for (let k = at; k < line.end; k++) {
      const ch = this.text[k];
      if (ch === ':' && (k + 1 === line.end || this.text[k + 1] === ' ')) return true;
      if (ch === '#' && this.text[k - 1] === ' ') return false;
    }
    return false;
  }

  private key(line: Line, at: number): Scalar {
    const c = this.text[at]!;
    if (c === '"' || c === "'") {
      const s = this.quoted(line, at);
      if (s.range![1] - at > MAX_KEY) bail();
      return s;
    }
    if (INDICATORS.has(c)) bail();
    let k = at;
    for (; k < line.end; k++) {
      const ch = this.text[k]!;
      if (ch === ':' && (k + 1 === line.end || this.text[k + 1] === ' ')) break;
      if (ch === '#' || ch === '[' || ch === ']' || ch === '{' || ch === '}' || ch === ',') bail();
    }
    if (k === line.end || this.text.charCodeAt(k - 1) === 32 || k - at > MAX_KEY) bail();
    const source = this.text.slice(at, k);
    if (isTyped(source)) bail(); // keys such as `1` or `true`: let yaml decide their type
    return this.scalar(source, at, k, k);
  }

  /**
   * A value that starts on the current line: a flow collection, a quoted or a plain scalar, or a
   * simple block scalar. Moves past the lines it uses.
   */
  private inlineValue(line: Line, at: number, parentIndent: number): Node {
    const node = this.text[at] === '|' || this.text[at] === '>' ? this.blockScalar(line, at, parentIndent) : this.lineValue(line, at);
    const end = (node.range as number[])[1]!;
    while (this.i < this.lines.length && this.lines[this.i]!.start < end) this.i++;
    if (this.lines[this.i - 1] !== line && end <= line.end) bail();
    return node;
  }

  /**
   * `|`, `|-`, `>` or `>-` with lines at one indentation and no blank line inside: the common
   * description. Keep chomping, indentation indicators, more-indented lines and inner blank
   * lines go to yaml, whose folding rules for them are subtle.
   */
  private blockScalar(line: Line, at: number, parentIndent: number): Scalar {
    const t = this.text;
    const header = t.slice(at, line.end).trimEnd();
    if (header !== '|' && header !== '|-' && header !== '>' && header !== '>-') bail();
    const parts: string[] = [];
    let blockIndent = -1;
    let pos = line.next;
    let end = line.next;
    while (pos < t.length) {
      const newline = t.indexOf('\n', pos);
      const next = newline < 0 ? t.length : newline + 1;
      const lineEnd = newline < 0 ? t.length : newline > pos && t.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      let content = pos;
      while (content < lineEnd && t.charCodeAt(content) === 32) content++;
      const indent = content - pos;
      // K2: blank and whitespace-only lines in or after a block scalar keep, fold or end it by
      // rules (chomping, indentation of what follows) the fast path does not model.
      if (content === lineEnd) {
        if (pos === t.length) break;
        bail();
      }
      if (blockIndent < 0) {
        if (indent <= parentIndent) bail(); // an empty block scalar
        blockIndent = indent;
      } else if (indent < blockIndent) break;
      else if (indent > blockIndent) bail();
      parts.push(t.slice(content, lineEnd));
      end = next;
      pos = next;
    }
    if (parts.length === 0) bail();
    const literal = header[0] === '|';
    const s = new Scalar(parts.join(literal ? '\n' : ' ') + (header.length === 1 ? '\n' : ''));
    s.type = literal ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED;
    s.range = [at, end, end];
    return s;
  }

  /** A value that ends its line: a flow collection, a quoted or a plain scalar. */
  private lineValue(line: Line, at: number): Node {
    const c = this.text[at]!;
    if (c === '[' || c === '{') {
      const flow = new FlowReader(this.text, at, line.end, this.depth);
      const node = flow.collection();
      const e = flow.pos;
      (node.range as number[])[2] = this.lineTail(line, e);
      return node;
    }
    if (c === '"' || c === "'") {
      const s = this.quoted(line, at);
      s.range![2] = this.lineTail(line, s.range![1]);
      return s;
    }
    if (INDICATORS.has(c) && !(c === '-' && /^-[0-9]/.test(this.text.slice(at, at + 2)))) bail();
    let k = at;
    let end = at;
    for (; k < line.end; k++) {
      const ch = this.text[k]!;
      if (ch === '#' && this.text.charCodeAt(k - 1) === 32) break;
      if (ch === ':' && (k + 1 === line.end || this.text[k + 1] === ' ')) bail();
      if (ch !== ' ') end = k + 1;
    }
    return this.plain(this.text.slice(at, end), at, end, this.lineTail(line, end));
  }

  private quoted(line: Line, at: number): Scalar {
    const r = readQuoted(this.text, at, line.end);
    const s = new Scalar(r.value);
    s.type = this.text[at] === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    s.range = [at, r.end, r.end];
    return s;
  }

  private scalar(source: string, start: number, end: number, tail: number): Scalar {
    const s = new Scalar(source);
    s.type = Scalar.PLAIN;
    s.range = [start, end, tail];
    return s;
  }

  private plain(source: string, start: number, end: number, tail: number): Scalar {
    return plainScalar(source, start, end, tail);
  }
}

function plainScalar(source: string, start: number, end: number, tail: number): Scalar {
  let value: unknown = source;
  if (isTyped(source)) {
    if (source === 'true') value = true;
    else if (source === 'false') value = false;
    else if (source === 'null' || source === '~') value = null;
    else if (SIMPLE_INT.test(source) || SIMPLE_FLOAT.test(source)) value = Number(source);
    else bail();
  }
  const s = new Scalar(value);
  s.type = Scalar.PLAIN;
  s.range = [start, end, tail];
  return s;
}

function readQuoted(text: string, at: number, lineEnd: number): { value: string; end: number } {
  const q = text[at]!;
  let out = '';
  let k = at + 1;
  for (;;) {
    if (k >= lineEnd) bail(); // multi-line quoted scalars fold lines: let yaml do it
    const ch = text[k]!;
    if (ch === q) {
      if (q === "'" && text[k + 1] === "'") { out += "'"; k += 2; continue; }
      return { value: out, end: k + 1 };
    }
    if (q === '"' && ch === '\\') {
      const e = text[k + 1];
      const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' };
      if (e === undefined || !(e in map)) bail();
      out += map[e!];
      k += 2;
      continue;
    }
    out += ch;
    k++;
  }
}

/** One-line flow collections: `[a, "b", { c: d }]`. */
class FlowReader {
  pos: number;

  constructor(private readonly text: string, start: number, private readonly end: number, private depth: number) {
    this.pos = start;
  }

  private spaces(): void {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === 32) this.pos++;
  }

  collection(): YAMLMap | YAMLSeq {
    if (++this.depth > MAX_DEPTH) bail();
    const open = this.text[this.pos];
    const start = this.pos;
    this.pos++;
    const node = open === '[' ? new YAMLSeq() : new YAMLMap();
    node.flow = true;
    const close = open === '[' ? ']' : '}';
    this.spaces();
    if (this.text[this.pos] === close) {
      this.pos++;
      node.range = [start, this.pos, this.pos];
      this.depth--;
      return node;
    }
    for (;;) {
      if (open === '[') {
        const item = this.value();
        if (this.text[this.pos] === ':') bail(); // `[a: b]` is a pair in a sequence
        (node as YAMLSeq).items.push(item);
      } else {
        const key = this.flowKey();
        this.pos++; // ':'
        if (this.text[this.pos] !== ' ') bail();
        this.spaces();
        (node as YAMLMap).items.push(new Pair(key, this.value()));
      }
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.spaces();
        if (this.text[this.pos] === close || this.text[this.pos] === ',') bail(); // trailing or empty entries
        continue;
      }
      if (c === close) {
        this.pos++;
        node.range = [start, this.pos, this.pos];
        this.depth--;
        return node;
      }
      return bail();
    }
  }

  private flowKey(): Scalar {
    const at = this.pos;
    const c = this.text[at]!;
    if (c === '"' || c === "'") {
      const r = readQuoted(this.text, at, this.end);
      this.pos = r.end;
      if (this.text[this.pos] !== ':' || r.end - at > MAX_KEY) bail();
      const s = new Scalar(r.value);
      s.type = c === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
      s.range = [at, r.end, r.end];
      return s;
    }
    if (INDICATORS.has(c)) bail();
    let k = at;
    // (a regular expression per character was a tenth of the reading of a megabyte of flow maps)
    for (; k < this.end; k++) {
      const c = this.text.charCodeAt(k);
      if (c === 58 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35) break; // : , [ ] { } #
    }
    if (this.text[k] !== ':' || this.text.charCodeAt(k - 1) === 32 || k - at > MAX_KEY) bail();
    const source = this.text.slice(at, k);
    if (isTyped(source)) bail();
    this.pos = k;
    const s = new Scalar(source);
    s.type = Scalar.PLAIN;
    s.range = [at, k, k];
    return s;
  }

  /** A value inside a flow collection; its range[2] includes the spaces that follow it. */
  private value(): Node {
    const at = this.pos;
    const c = this.text[at]!;
    let node: Node;
    if (c === '[' || c === '{') {
      node = this.collection();
    } else if (c === '"' || c === "'") {
      const r = readQuoted(this.text, at, this.end);
      this.pos = r.end;
      const s = new Scalar(r.value);
      s.type = c === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
      s.range = [at, r.end, r.end];
      node = s;
    } else {
      if (INDICATORS.has(c) && !(c === '-' && /[0-9]/.test(this.text[at + 1] ?? ''))) bail();
      let k = at;
      let end = at;
      for (; k < this.end; k++) {
        const ch = this.text[k]!;
        if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
        if (ch === '#' && this.text.charCodeAt(k - 1) === 32) bail();
        // K4: `nl-ams:}` is an error to yaml; any `:` in a flow scalar is left to it.
        if (ch === ':') bail();
        if (ch !== ' ') end = k + 1;
      }
      if (end === at) bail();
      this.pos = end;
      node = plainScalar(this.text.slice(at, end), at, end, end);
    }
    this.spaces();
    (node.range as number[])[2] = this.pos;
    return node;
  }
}
