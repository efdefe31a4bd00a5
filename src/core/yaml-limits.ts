import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, parseDocument, type CST, type Document, type Node } from 'yaml';

/*
 * Bounds checked before the `yaml` package and the schema see a document, so that the cost of a
 * validation depends on the size of the text and not on its shape.
 *
 * Nesting: yaml recurses once per level. It reports RESOURCE_EXHAUSTION only when the JavaScript
 * stack runs out, which happens from a few hundred block levels on, at a depth that depends on how
 * deep the caller's stack already is and on what the JIT has compiled: the same text would give
 * different findings in the CLI, the editor's worker and a test. A landing zone nests about ten
 * levels, so the limits below are far above any real file and far below where yaml becomes
 * unpredictable (measured: 260 block and 256 flow levels parse with 8,000 frames already in use).
 *
 * Aliases: yaml's own budget counts alias nodes, but an alias of a 2,000-item list used 2,000 times
 * is 4 million items for the schema and the rules. The budget here counts the nodes every alias
 * stands for, so the checks that follow never walk more than a small multiple of the text.
 */

/** Columns of indentation (spaces and block indicators) after which a line is refused. */
const MAX_INDENT = 200;
/** Open flow collections (`[`, `{`) after which a document is refused. */
const MAX_FLOW_DEPTH = 200;

/** Where a document nests too deeply to be read safely, or undefined. Linear in the text. */
export function nestingProblem(text: string): { offset: number; message: string } | undefined {
  let depth = 0;
  /** Leading spaces of the line where the outermost open flow collection began. */
  let flowIndent = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // Each block level takes at least one column: spaces, or a `- `, `? ` or `: ` indicator.
    let k = lineStart;
    for (;;) {
      while (k < lineEnd && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      const c = text[k];
      if ((c === '-' || c === '?' || c === ':') && (k + 1 === lineEnd || text[k + 1] === ' ' || text[k + 1] === '\t')) k++;
      else break;
    }
    if (k - lineStart > MAX_INDENT && k < lineEnd) {
      return { offset: k, message: `Nesting deeper than ${MAX_INDENT} columns of indentation: a landing zone nests about ten levels, and a YAML reader cannot check this safely.` };
    }
    // Flow collections may span lines, but yaml ends them (BAD_INDENT) at a line indented no
    // deeper than the one they began on, unless it starts by closing them: so do we, or one
    // unclosed `{` per line would add up to a nesting that yaml never builds.
    let spaces = lineStart;
    while (spaces < lineEnd && text.charCodeAt(spaces) === 32) spaces++;
    if (depth > 0 && spaces < lineEnd && spaces - lineStart <= flowIndent && text[spaces] !== ']' && text[spaces] !== '}' && text[spaces] !== '#') depth = 0;
    // quoted text and comments open no collection
    let quote = '';
    for (; k < lineEnd; k++) {
      const c = text[k]!;
      if (quote) {
        if (c === quote) quote = '';
        else if (c === '\\' && quote === '"') k++;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (k === lineStart || text[k - 1] === ' ' || text[k - 1] === '\t')) break;
      else if (c === '[' || c === '{') {
        if (depth === 0) flowIndent = spaces - lineStart;
        if (++depth > MAX_FLOW_DEPTH) return { offset: k, message: `More than ${MAX_FLOW_DEPTH} nested flow collections ([ or {): a landing zone nests about ten levels, and a YAML reader cannot check this safely.` };
      } else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/**
 * How many nodes the aliases of a document add once each is replaced by what it names, counted
 * without expanding anything (each anchored node's size is computed once, so the walk is linear
 * even for nested "billion laughs" aliases). Refused when aliases more than double the document
 * (beyond a small allowance): `allowFrom: *hubs` in every project stays far below that.
 */
export function aliasExpansion(doc: Document.Parsed): { ok: true; nodes: number } | { ok: false; nodes: number; expanded: number; at: [number, number] } {
  const anchors = new Map<string, Node>();
  const sizes = new WeakMap<Node, number>();
  const open = new WeakSet<Node>();
  let nodes = 0;
  let expanded = 0;
  let largest = { n: -1, at: [0, 0] as [number, number] };
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      // An alias of an anchor still being read would be a cycle: yaml reports those itself.
      const n = target && !open.has(target) ? sizes.get(target) ?? 1 : 1;
      expanded += n;
      if (n > largest.n) largest = { n, at: node.range ? [node.range[0], node.range[1]] : [0, 0] };
      return n;
    }
    const anchored = (node as Node).anchor ? (node as Node) : undefined;
    if (anchored) { anchors.set(anchored.anchor!, anchored); open.add(anchored); }
    let n = 1;
    nodes++;
    if (isMap(node)) {
      for (const p of node.items) n += size(p.key) + size(p.value);
    } else if (isSeq(node)) {
      for (const item of node.items) n += isPair(item) ? size(item.key) + size(item.value) : size(item);
    } else if (!isScalar(node) && isPair(node)) n += size(node.key) + size(node.value);
    if (anchored) { open.delete(anchored); sizes.set(anchored, n); }
    return n;
  };
  size(doc.contents);
  return expanded <= Math.max(ALIAS_ALLOWANCE, nodes) ? { ok: true, nodes } : { ok: false, nodes, expanded, at: largest.at };
}

/** Nodes aliases may always add, whatever the size of the document. */
const ALIAS_ALLOWANCE = 10_000;

/*
 * The size of a landing zone this tool validates, in the CLI and in the editor alike. Validation
 * must answer in at most 2 s on any input up to the limit, and the `yaml` package, which every
 * command that writes reads with, parses about a megabyte a second on the machines we measured
 * (bench/hostile.ts): 5 MB would take seconds in the parser alone. A megabyte is about 1,000
 * projects as bench/generate.ts writes them, where Scaleway allows 25 projects per organisation by
 * default (its organisation-quotas page) and 255 Private Networks (its VPC FAQ): far more than an
 * organisation can hold without support raising every quota.
 */

/** The largest landing-zone file read, in UTF-8 bytes. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * The most YAML nodes checked against the schema and the rules: a 1,000-project file has about
 * 108,000. A megabyte of one-line keys (`k: 1`) has 420,000, which no landing zone needs.
 */
export const MAX_DOCUMENT_NODES = 150_000;

/** UTF-8 length of a text, without allocating it (core has no Buffer). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Why a text is over the size budget (with the fix), or undefined. */
export function sizeProblem(text: string): string | undefined {
  // a UTF-16 unit is at most 3 UTF-8 bytes: most texts are decided without counting
  if (text.length * 3 <= MAX_DOCUMENT_BYTES) return undefined;
  const exact = text.length <= 8 * MAX_DOCUMENT_BYTES;
  const bytes = exact ? utf8Length(text) : text.length;
  if (bytes <= MAX_DOCUMENT_BYTES) return undefined;
  return `This file is ${exact ? '' : 'at least '}${megabytes(bytes)}; landing-zone files are limited to ${megabytes(MAX_DOCUMENT_BYTES)} (about 1,000 projects, where Scaleway allows 25 per organisation by default). Split the organisation's landing zone, or remove what it does not describe (generated data, pasted logs)`;
}

/** Why a parsed document is over the node budget (with the fix), or undefined. */
export function nodeProblem(nodes: number): string | undefined {
  if (nodes <= MAX_DOCUMENT_NODES) return undefined;
  return `This file has ${nodes.toLocaleString('en-GB')} YAML nodes; validation checks at most ${MAX_DOCUMENT_NODES.toLocaleString('en-GB')} (about 1,400 projects; a landing zone of 1,000 projects has 108,000). Split the landing zone, or remove the repeated entries`;
}

function megabytes(n: number): string {
  // two decimals: a file just over the limit must not read "1 MB; limited to 1 MB"
  return `${(n / 1024 / 1024).toFixed(2).replace(/\.?0+$/, '')} MB`;
}

/*
 * Syntax errors: a megabyte of broken YAML (an unclosed `{` on every line, indicator soup) has
 * tens of thousands of them, and the `yaml` package takes seconds to read it (4 s for 70,000
 * unclosed `{`), although validation shows only the first MAX_FINDINGS_PER_RULE. So a large text
 * is first read up to a line break past SYNTAX_PREFIX characters; when what lies before the
 * construct still open there already holds more errors than are shown, that reading is the answer
 * and the rest of the text is not read (a document-size finding says where it stopped).
 * Otherwise the whole text is read, as before.
 */

/** Syntax errors validation shows (MAX_FINDINGS_PER_RULE in validate.ts, which imports this file). */
export const SYNTAX_ERRORS_SHOWN = 100;

/** Characters read before deciding whether a large text has too many syntax errors to read on. */
export const SYNTAX_PREFIX = 16 * 1024;

/** Options every reading with the `yaml` package uses (see SourceDocument). */
export const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' } as const;

/**
 * The `yaml` package's document for `text`; when the first SYNTAX_PREFIX characters already hold
 * more than `shown` syntax errors, only that part's: `readTo` is then the offset where reading
 * stopped, and `doc.errors` holds exactly the errors before it, the same ones (codes, messages,
 * offsets) that reading the whole text gives there (test/unit/validate-bounds.test.ts holds it).
 */
export function readYaml(text: string, shown: number, prefixLength = SYNTAX_PREFIX): { doc: Document.Parsed; readTo?: number } {
  if (text.length >= 4 * prefixLength) {
    const prefix = readPrefix(text, shown, prefixLength);
    if (prefix) return prefix;
  }
  return { doc: parseDocument(text, YAML_OPTIONS) };
}

function readPrefix(text: string, shown: number, prefixLength: number): { doc: Document.Parsed; readTo: number } | undefined {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let cut = -1;
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.offset >= prefixLength && (lexeme === '\n' || lexeme === '\r\n')) {
      cut = parser.offset;
      break;
    }
  }
  if (cut < 0 || cut >= text.length) return undefined;
  // The parser reads left to right and never returns to a finished item: what comes before the
  // item that is still open at the cut (the last one of the innermost open collection) is read
  // as the whole text would read it. What is open may end differently, so its errors are left out.
  let readTo = openSince(parser.stack, cut);
  for (const token of parser.end()) tokens.push(token);
  let doc: Document.Parsed | undefined;
  for (const d of new Composer(YAML_OPTIONS).compose(tokens, true, cut)) {
    if (!doc) doc = d as Document.Parsed;
    else {
      // parseDocument reads no further than a second document, and its MULTIPLE_DOCS error spans
      // that document, whose end may lie past the cut: reading stops where it starts
      readTo = Math.min(readTo, d.range[0]);
      break;
    }
  }
  if (!doc) return undefined;
  const before = doc.errors.filter((e) => e.pos[0] < readTo);
  if (before.length <= shown) return undefined;
  doc.errors = before;
  return { doc, readTo };
}

/** Where the innermost construct still open on the parser's stack began (its last item, or itself). */
function openSince(stack: readonly CST.Token[], cut: number): number {
  if (stack.length === 0) return cut;
  let at = 0;
  for (const token of stack) {
    let start = token.offset;
    if ('items' in token && token.items.length > 0) {
      const item = token.items[token.items.length - 1]!;
      const offsets = [item.start[0]?.offset, item.key?.offset, item.sep?.[0]?.offset, item.value?.offset].filter((o): o is number => o !== undefined);
      if (offsets.length > 0) start = Math.min(...offsets);
    }
    at = Math.max(at, start);
  }
  return at;
}
