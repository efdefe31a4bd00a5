import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { fastParseWithValue } from './fast-yaml';
import { aliasExpansion, nestingProblem, nodeProblem, readYaml, sizeProblem, SYNTAX_ERRORS_SHOWN } from './yaml-limits';
import type { Issue, Position, Range } from './issues';

/**
 * Which YAML reader builds the document. `yaml` (the default) is the `yaml` package alone: every
 * command that writes to the cloud or to the file reads with it. `fast` lets the read-only paths
 * (the editor, `validate`, the diagram) try `fast-yaml.ts` first; it builds exactly what `yaml`
 * builds or declines (a seeded differential test holds it to that).
 */
export type YamlReader = 'yaml' | 'fast';

/** A path into the document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/**
 * A landing-zone.yaml parsed with the `yaml` package, keeping every node's source range, so
 * that each check can point at the exact key or value it is about.
 */
export class SourceDocument {
  readonly doc: Document.Parsed;
  /**
   * Offsets where lines start. Computed from the text rather than with yaml's LineCounter, which
   * loses lines on some malformed input (`\r\r\n` endings): a range must never leave the document.
   */
  private readonly lineStarts: number[];
  /** The plain JS value of the document (undefined when empty). */
  readonly value: unknown;
  /** YAML nodes in the document, aliases not expanded (what the node budget counts). */
  readonly nodeCount: number = 0;
  /**
   * Where reading stopped when the text's beginning already held more syntax errors than are
   * shown (yaml-limits' readYaml); undefined when the whole text was read.
   */
  readonly readTo: number | undefined;
  /** Why the text was not read or its value not built (nesting, an alias bomb), reported as a syntax error. */
  private limitError: { code: string; message: string; pos: [number, number]; budget?: boolean } | undefined;

  /** `interrupted`: asked now and then while the fast reader reads (validateText's option of that name). */
  constructor(readonly text: string, readonly uri = 'landing-zone.yaml', reader: YamlReader = 'yaml', interrupted?: () => boolean) {
    // logLevel 'error': the yaml package would otherwise print process warnings (e.g. collection keys) from inside an editor.
    // uniqueKeys is off because the yaml package compares every key with every other key of its
    // map (quadratic: seconds on a 500-project file); duplicateKeys() does it in one pass.
    // The fast path handles the common shape of landing-zone files several times faster, or declines.
    const tooLarge = sizeProblem(text);
    const tooDeep = tooLarge ? undefined : nestingProblem(text);
    const fast = reader === 'fast' && !tooDeep && !tooLarge ? fastParseWithValue(text, interrupted) : undefined;
    this.mayHoldProtoKey = fast ? fast.protoKeys : text.includes('__proto__') || text.includes('\\');
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    let value: unknown = fast?.value;
    if (tooLarge) {
      // not read at all: every later step would be proportional to a size nobody validates
      this.doc = parseDocument('', { logLevel: 'error' });
      this.limitError = { code: 'DOCUMENT_SIZE', message: tooLarge, pos: [0, 0], budget: true };
    } else if (fast) {
      this.doc = fast.doc;
      this.nodeCount = fast.nodes;
      this.noDuplicateKeys = !fast.duplicateKeys;
    }
    else if (tooDeep) {
      // Not handed to yaml at all: its answer on such input depends on the caller's stack.
      this.doc = parseDocument('', { logLevel: 'error' });
      this.limitError = { code: 'RESOURCE_EXHAUSTION', message: tooDeep.message, pos: [tooDeep.offset, tooDeep.offset + 1] };
    } else {
      const read = withoutStackTraces(() => readYaml(text, SYNTAX_ERRORS_SHOWN));
      this.doc = read.doc;
      this.readTo = read.readTo;
      const aliases = aliasExpansion(this.doc);
      this.nodeCount = aliases.nodes;
      if (!aliases.ok) {
        this.limitError = {
          code: 'ALIAS_EXPANSION',
          message: `Aliases expand this document from ${aliases.nodes} to ${aliases.nodes + aliases.expanded} nodes; they may at most double it. Write the repeated values out, or alias smaller parts`,
          pos: aliases.at,
        };
      } else if (!nodeProblem(aliases.nodes)) {
        // With syntax errors this is what could be read: completion and the outline use it, the
        // checks do not (they run only on a document without syntax errors).
        try {
          value = this.doc.toJS({ maxAliasCount: -1 });
        } catch (err) {
          this.limitError = { code: 'RESOURCE_EXHAUSTION', message: err instanceof Error ? err.message : String(err), pos: [0, 0] };
        }
      }
    }
    const tooMany = this.limitError ? undefined : nodeProblem(this.nodeCount);
    if (tooMany) {
      // Read, so the outline and completion still work; the schema and the rules do not run.
      this.limitError = { code: 'NODE_BUDGET', message: tooMany, pos: [0, 0], budget: true };
    }
    this.value = value;
  }

  /** Over the size or node budget: validation reports that alone and checks nothing else. */
  get overBudget(): boolean {
    return this.limitError?.budget === true;
  }

  /** 0-based position of a character offset, clamped to the text. */
  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - starts[lo]! };
  }

  /** 0-based character offset of a position (the inverse of `position`). */
  offset(position: Position): number {
    const starts = this.lineStarts;
    const lineStart = starts[Math.min(position.line, starts.length - 1)] ?? 0;
    return Math.min(this.text.length, lineStart + position.character);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Per-map index of pairs by key text, built on first use: lookups stay O(1) on large maps. */
  private readonly pairIndex = new WeakMap<YAMLMap, Map<string, Pair<Node, Node>>>();

  private pairsOf(map: YAMLMap): Map<string, Pair<Node, Node>> {
    let index = this.pairIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        // The first pair wins, as in doc.getIn; a duplicate key is a syntax finding anyway.
        if (isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p as Pair<Node, Node>);
      }
      this.pairIndex.set(map, index);
    }
    return index;
  }

  /** Lookups in small maps not yet indexed: an index per map looked into once (each project's network) costs more than a scan. */
  private readonly scans = new WeakMap<YAMLMap, number>();

  /** The first pair of a map with a key: a scan for a small map looked into a few times, else the map's index. */
  private pairIn(map: YAMLMap, key: string): Pair<Node, Node> | undefined {
    const items = map.items;
    if (items.length <= 8 && !this.pairIndex.has(map)) {
      const n = (this.scans.get(map) ?? 0) + 1;
      if (n <= 4) {
        this.scans.set(map, n);
        for (const p of items) if (isScalar(p.key) && String(p.key.value) === key) return p as Pair<Node, Node>;
        return undefined;
      }
    }
    return this.pairsOf(map).get(key);
  }

  private walk(path: DocPath): unknown {
    let current: unknown = this.doc.contents;
    for (const segment of path) {
      if (isMap(current)) current = this.pairIn(current, String(segment))?.value;
      else if (isSeq(current) && typeof segment === 'number') current = current.items[segment];
      else return undefined;
      if (current === undefined || current === null) return undefined;
    }
    return current;
  }

  /** The node at a path, or undefined when some part of the path is absent. */
  node(path: DocPath): Node | undefined {
    const n = this.walk(path);
    return n && typeof n === 'object' ? (n as Node) : undefined;
  }

  /** The key/value pair whose key is the last element of the path. */
  pair(path: DocPath): Pair<Node, Node> | undefined {
    if (path.length === 0) return undefined;
    const parent = this.walk(path.slice(0, -1));
    if (!isMap(parent)) return undefined;
    return this.pairIn(parent, String(path[path.length - 1]));
  }

  /**
   * The range of the value at a path. When the path does not exist, the range of the deepest
   * existing ancestor's key (so "missing field" points at the object that lacks it).
   */
  rangeOf(path: DocPath): Range {
    for (let depth = path.length; depth >= 0; depth--) {
      const sub = path.slice(0, depth);
      const n = depth === 0 ? this.doc.contents : this.node(sub);
      if (n?.range) {
        if (depth < path.length && depth > 0) return this.keyRangeOf(sub);
        return this.range(n.range[0], n.range[1]);
      }
    }
    return this.range(0, 0);
  }

  /** The range of the key of the last path element (falls back to the value's range). */
  keyRangeOf(path: DocPath): Range {
    const p = this.pair(path);
    const key = p?.key;
    if (key && isScalar(key) && key.range) return this.range(key.range[0], key.range[1]);
    if (typeof path[path.length - 1] === 'number') {
      const n = this.node(path);
      if (n?.range) return this.range(n.range[0], n.range[1]);
    }
    return path.length > 0 ? this.rangeOf(path.slice(0, -1)) : this.range(0, 0);
  }

  /**
   * Whether a map of the value may have a key `__proto__` (validation then shields it from zod).
   * Exact from the fast reader; otherwise only a text without the word and without escapes (a
   * double-quoted key may spell it with them) cannot.
   */
  readonly mayHoldProtoKey: boolean;

  /** The fast reader saw every key of every map and found none twice. */
  private readonly noDuplicateKeys: boolean = false;

  /** Duplicate scalar keys of every map, in one pass over the tree (the second key is reported). */
  private duplicateKeys(): { code: string; message: string; pos: [number, number]; remove?: [number, number] }[] {
    const out: { code: string; message: string; pos: [number, number]; remove?: [number, number] }[] = [];
    if (this.noDuplicateKeys) return out;
    const visit = (node: unknown): void => {
      if (isMap(node)) {
        const seen = new Set<string>();
        node.items.forEach((p, i) => {
          if (isScalar(p.key) && p.key.range) {
            const k = String(p.key.value);
            if (seen.has(k)) out.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [p.key.range[0], p.key.range[1]], remove: this.pairExtent(node, i) });
            seen.add(k);
          }
          visit(p.value);
        });
      } else if (isSeq(node)) {
        for (const item of node.items) visit(item);
      }
    };
    visit(this.doc.contents);
    return out;
  }

  /**
   * The text to delete to remove the i-th pair of a map: its whole lines in a block map (when the
   * key starts its line), `, key: value` in a flow map. Undefined when the shape is unusual.
   */
  private pairExtent(map: YAMLMap, i: number): [number, number] | undefined {
    const p = map.items[i]!;
    const keyStart = (p.key as Node).range?.[0];
    const valueEnd = (p.value as Node | null)?.range?.[1] ?? (p.key as Node).range?.[1];
    if (keyStart === undefined || valueEnd === undefined) return undefined;
    const t = this.text;
    if (map.flow) {
      const prev = map.items[i - 1];
      const prevEnd = (prev?.value as Node | null)?.range?.[1] ?? (prev?.key as Node | undefined)?.range?.[1];
      return prevEnd === undefined ? undefined : [prevEnd, valueEnd];
    }
    const lineStart = t.lastIndexOf('\n', keyStart - 1) + 1;
    if (t.slice(lineStart, keyStart).trim() !== '') return undefined;
    const nl = t.indexOf('\n', Math.max(valueEnd - 1, keyStart));
    return [lineStart, nl < 0 ? t.length : nl + 1];
  }

  /** The path of the innermost node that contains the offset, for hover, completion and the diagram. */
  pathAt(offset: number): { path: (string | number)[]; onKey: boolean } {
    const path: (string | number)[] = [];
    let onKey = false;
    let current: unknown = this.doc.contents;
    for (;;) {
      if (isMap(current)) {
        const hit = itemAt(current.items, offset, (p) => within(p.key, offset) || within(p.value, offset), (p) => start(p.key) ?? start(p.value));
        if (!hit || !isScalar(hit.key)) break;
        path.push(String(hit.key.value));
        if (within(hit.key, offset)) { onKey = true; break; }
        current = hit.value;
      } else if (isSeq(current)) {
        const item = itemAt(current.items, offset, (x) => within(x, offset), start);
        if (item === undefined) break;
        const i = current.items.indexOf(item as never);
        path.push(i);
        current = item;
      } else break;
    }
    return { path, onKey };
  }

  /** How many findings per rule the last `syntaxIssues(limit)` left out. */
  syntaxOmitted = new Map<string, number>();

  /**
   * Every syntax error and duplicate key, each with its exact range; with `limit`, the first
   * `limit` of each kind in document order and, for the rest, only their count (the caller
   * summarises them): locating each one has a cost, and nobody reads the 50,000th.
   */
  syntaxIssues(limit = Infinity): Issue[] {
    if (this.limitError?.budget) {
      this.syntaxOmitted = new Map();
      const e = this.limitError;
      return [{ ruleId: 'document-size', severity: 'error', message: `${e.message}.`, range: this.range(e.pos[0], e.pos[1]), path: [], fix: { title: e.code === 'DOCUMENT_SIZE' ? 'Split the file' : 'Split the landing zone, or remove repeated entries' } }];
    }
    const yamlErrors: { code: string; message: string; pos: [number, number]; remove?: [number, number] }[] = this.doc.errors.map((e) => ({ code: e.code as string, message: e.message, pos: e.pos }));
    if (this.limitError) yamlErrors.push(this.limitError);
    const byPos = (a: { pos: [number, number] }, b: { pos: [number, number] }) => a.pos[0] - b.pos[0];
    const readTo = this.readTo;
    const duplicates = readTo === undefined ? this.duplicateKeys() : this.duplicateKeys().filter((d) => d.pos[0] < readTo);
    this.syntaxOmitted = new Map();
    // when reading stopped, its own finding says how many errors came before (not "in all")
    if (yamlErrors.length > limit && readTo === undefined) this.syntaxOmitted.set('yaml-syntax', yamlErrors.length - limit);
    if (duplicates.length > limit) this.syntaxOmitted.set('yaml-duplicate-key', duplicates.length - limit);
    const errors = [...yamlErrors.sort(byPos).slice(0, limit), ...duplicates.sort(byPos).slice(0, limit)];
    const issues = errors.map((e): Issue => {
      if (e.code === 'DUPLICATE_KEY') {
        // The parser marks one character of a duplicate key; the whole key is what the user looks for.
        const [start, end] = keyExtent(this.text, e.pos[0], e.pos[1]);
        const removal = e.remove;
        return {
          ruleId: 'yaml-duplicate-key',
          severity: 'error',
          message: `Duplicate key: ${describeDuplicate(this.text.slice(start, end))}; the second one would silently win.`,
          range: this.range(start, end),
          path: this.pathAt(start).path,
          fix: removal
            ? { title: `Remove this second "${this.text.slice(start, end).trim()}" (keep the first)`, edits: [{ range: this.range(removal[0], removal[1]), newText: '' }] }
            : { title: 'Remove or rename one of the duplicate keys.' },
        };
      }
      const unclosed = e.code === 'BAD_INDENT' ? this.unclosedFlow(e.message, e.pos[0]) : undefined;
      if (unclosed) return unclosed;
      return {
        ruleId: 'yaml-syntax',
        severity: 'error',
        message: yamlMessage(e.message, e.code),
        range: this.range(e.pos[0], e.pos[1]),
        path: this.pathAt(e.pos[0]).path,
      };
    });
    if (readTo !== undefined) issues.push(this.stoppedAt(readTo, yamlErrors.length));
    return issues;
  }

  /** The finding that says where reading stopped, and why (readYaml). */
  private stoppedAt(readTo: number, errors: number): Issue {
    const line = this.position(readTo).line;
    const lines = this.lineStarts.length;
    return {
      ruleId: 'document-size',
      severity: 'error',
      message: `Reading stopped here, at line ${(line + 1).toLocaleString('en-GB')} of ${lines.toLocaleString('en-GB')}: the text before it holds ${errors.toLocaleString('en-GB')} YAML syntax errors, so the rest of the file was not read (nor checked). Correct the errors shown (one unclosed bracket or quote often causes many) and validate again.`,
      range: this.range(readTo, readTo),
      path: [],
      fix: { title: 'Correct the syntax errors above, then validate again' },
    };
  }

  /**
   * yaml reports an unclosed `{` or `[` where the next line begins ("must be sufficiently
   * indented"); the mistake is the bracket, so the finding goes there, with the fix of closing it
   * at the end of the collection's last line.
   */
  private unclosedFlow(message: string, at: number): Issue | undefined {
    const m = /^Flow (map|sequence) in block collection must be sufficiently indented and end with a ([}\]])/.exec(message);
    if (!m) return undefined;
    const close = m[2]!;
    const open = close === '}' ? '{' : '[';
    // Backwards to the unmatched opener (bounded: a landing-zone flow collection is a few lines).
    let depth = 0;
    let opener = -1;
    for (let k = at - 1; k >= 0 && k >= at - 20_000; k--) {
      const c = this.text[k];
      if (c === '}' || c === ']') depth++;
      else if (c === '{' || c === '[') {
        if (depth === 0) { opener = c === open ? k : -1; break; }
        depth--;
      }
    }
    if (opener < 0) return undefined;
    // the end of the last line with content before the one yaml stopped at, before any comment
    let end = at;
    while (end > opener && /\s/.test(this.text[end - 1]!)) end--;
    const lineStart = this.text.lastIndexOf('\n', end - 1) + 1;
    const comment = this.text.slice(lineStart, end).search(/\s#/);
    if (comment >= 0 && lineStart + comment > opener) { end = lineStart + comment; while (end > opener && this.text[end - 1] === ' ') end--; }
    const line = this.position(opener).line + 1;
    return {
      ruleId: 'yaml-syntax',
      severity: 'error',
      message: `YAML syntax error (BAD_INDENT): unclosed ${open}: the flow ${m[1]} that starts here (line ${line}) has no closing ${close}.`,
      range: this.range(opener, opener + 1),
      path: this.pathAt(opener).path,
      fix: { title: `Add ${close} at the end of line ${this.position(end).line + 1}`, edits: [{ range: this.range(end, end), newText: `${end > opener + 1 ? ' ' : ''}${close}` }] },
    };
  }
}

/**
 * Runs the yaml package with no stack traces captured: it builds one Error per syntax problem, and
 * on a hostile file of a megabyte (a syntax error every few characters) capturing their stacks
 * was most of the time. Nothing reads those stacks: problems become findings by code and offset.
 */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function keyExtent(text: string, start: number, end: number): [number, number] {
  const m = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s:,{}[\]#][^:\n,{}[\]#]*?)(?=\s*:)/.exec(text.slice(start, start + 1024));
  return m ? [start, start + m[0].length] : [start, end];
}

function within(node: unknown, offset: number): boolean {
  if (!node || typeof node !== 'object') return false;
  const r = (node as Node).range;
  return !!r && offset >= r[0] && offset <= r[1];
}

function describeDuplicate(keyText: string): string {
  const k = keyText.trim();
  return k ? `"${k}" appears more than once in the same mapping` : 'a key appears more than once in the same mapping';
}

/** The yaml package's messages end with a code excerpt when prettyErrors is on; keep the first line. */
function yamlMessage(message: string, code: string): string {
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax error (${code}): ${first}`;
}

function start(node: unknown): number | undefined {
  return node && typeof node === 'object' ? (node as Node).range?.[0] : undefined;
}

/**
 * The item of a collection that contains an offset. Items are in document order, so a binary
 * search on their start finds the candidate; the linear scan is kept for items without ranges.
 * A syntax finding per duplicate key looks its path up: with 50,000 of them, a scan was quadratic.
 */
function itemAt<T>(items: readonly T[], offset: number, contains: (item: T) => boolean, startOf: (item: T) => number | undefined): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  let candidate = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = startOf(items[mid]!);
    if (s === undefined) return items.find(contains);
    if (s <= offset) { candidate = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // ranges touch (one item's end is the next one's start): the first that contains the offset wins, as before
  for (let i = Math.max(0, candidate - 1); i <= candidate + 1 && i < items.length; i++) if (contains(items[i]!)) return items[i];
  return undefined;
}
