import { parse } from 'yaml';

/*
 * Seeded generators of YAML documents for the differential test of the fast YAML path against the
 * `yaml` package (test/unit/fast-yaml.test.ts, bench/fuzz.ts). Two families:
 * - `randomDocument`: structure from a grammar of the YAML 1.2 a landing-zone file may hold — block
 *   maps and sequences at any indentation, flow collections, plain, quoted and block scalars, every
 *   core-schema type, comments and blank or whitespace-only lines anywhere, anchors, aliases and
 *   tags — with the five classes issue 13 found (K1 trailing indented comments before a dedent, K2
 *   block scalars with blank, whitespace-only or `#` lines, K3 keys over 1024 characters, K4 `:`
 *   before a flow indicator, K5 deep nesting) drawn on purpose and often;
 * - `landingZoneDocument`: a landing zone (the example or a generated one) written back in a random
 *   style, so that the schema, the model and every rule run and their findings can be compared.
 */

type Rand = () => number;

class Draw {
  constructor(readonly r: Rand) {}
  chance(p: number): boolean { return this.r() < p; }
  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
}

const WORDS = ['a', 'b', 'x', 'fr-par', 'nl-ams', 'prod', 'security', 'VPC-GW-S', 'PRO2-S', 'cilium', 'hello world', 'one two three', 'é', 'naïve café', '😀 emoji', '日本'];
/** Plain scalars that are typed, tricky or invalid as plain scalars. */
const TRICKY_PLAIN = [
  '1', '0', '-1', '+1', '01', '007', '1.30', '1.3', '1.', '.5', '-0', '0.0', '1e3', '1.0e+3', '1E-2', '12345678901234567890', '1_000',
  '0x1F', '0X1F', '0o17', '0b101', '.inf', '-.inf', '+.INF', '.nan', '.NaN', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE',
  'false', 'False', 'yes', 'no', 'on', 'off', 'y', 'n', '2026-01-01', '2026-01-01T10:00:00Z', '12:30', '10.0.0.0/24', '0 */6 * * *',
  '*/5 * * * *', 'nl-ams:', 'a:b', 'a: b', 'a:', 'a #b', 'a#b', 'a # b', 'http://x.y/z', '-', '- a', '-a', '--', '---', '...', '? a', '?a', ':a',
  '%x', '@x', '`x`', '!x', '&x', '*x', '|x', '>x', 'a, b', 'a,b', 'a]', 'a}', 'a[', 'a{', '[a', '{a', "'q'", '"q"', "it's", 'say "hi"',
  '\u00a0x', 'x\u00a0', 'a  b', 'a\\nb', '\\', 'x'.repeat(1100),
];
const ESCAPES = ['\\n', '\\t', '\\"', '\\\\', '\\/', '\\x41', '\\u00e9', '\\U0001F600', '\\0', '\\ ', '\\e', '\\N', '\\_', '\\L', '\\P', '\\a', '\\b', '\\r', '\\v', '\\f', '\\q', '\\x4', '\\u12'];
const KEYS = ['name', 'role', 'version', 'subnet', 'type', 'description', 'prod', 'a', 'b', 'c', 'k', 'key with spaces', 'é', 'a-b', 'a.b', 'a/b', 'a_b'];
const TRICKY_KEYS = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '<<', '1', '1.30', 'true', 'null', '~', '-a', 'a:b', 'a#b', 'a #b',
  '"quoted"', "'single'", '"a: b"', '"a\\nb"', '""', "''", '? a', '[a]', '{a: 1}', '&k a', '!!str k', 'k'.repeat(1000), 'k'.repeat(1023),
  'k'.repeat(1024), 'k'.repeat(1025), 'k'.repeat(1500), '"' + 'q'.repeat(1030) + '"', 'x ', '%k', '@k', '`k', 'a,b', 'a]',
];
const BLOCK_HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '|2', '>1', '|-2', '|+1', '| # c', '|  ', '>-  # note', '|0', '|10'];

export interface GeneratedDocument {
  text: string;
  /** The generator's classes present in the document (for coverage counts and messages). */
  classes: string[];
}

/** One random document of the YAML a landing-zone file may hold, in `classes` what it exercises. */
export function randomDocument(rand: Rand): GeneratedDocument {
  const g = new RandomYaml(new Draw(rand));
  return g.document();
}

class RandomYaml {
  /**
   * Half the documents are "clean": no noise, no tricky keys or scalars, no K classes. They are
   * the ones the fast path accepts, so that it is compared on many documents, not only on a few.
   */
  private readonly clean: boolean;
  private readonly out: string[] = [];
  private readonly classes = new Set<string>();
  private anchors: string[] = [];
  private keyCounter = 0;

  constructor(private readonly d: Draw) {
    this.clean = d.chance(0.5);
  }

  /** A draw that is always false in a clean document. */
  private noise(p: number): boolean {
    return !this.clean && this.d.chance(p);
  }

  document(): GeneratedDocument {
    const d = this.d;
    if (this.noise(0.06)) return this.deep();
    if (this.noise(0.08)) this.out.push(d.pick(['---', '--- # doc', '%YAML 1.2\n---', '# header\n---', '--- !tag', '---   ']));
    const root = d.int(20);
    if (root === 0) this.blockSeq(0, 1);
    else if (root === 1) this.out.push(this.scalarInline(0));
    else if (root === 2) this.out.push(this.flow(1, 0));
    else this.blockMap(0, 1);
    if (!this.clean) this.filler(0, d.chance(0.3));
    if (this.noise(0.03)) this.out.push(d.pick(['...', '---\nb: 2', '...\n---\nc: 3', '---']));
    let text = this.out.join('\n');
    const end = d.int(10);
    if (end < 6) text += '\n';
    else if (end === 6) text += '\n\n';
    else if (end === 7) text += '\n  ';
    else if (end === 8) text += '\n  # trailing';
    if (d.chance(0.1)) { text = text.replace(/\n/g, '\r\n'); this.classes.add('crlf'); }
    if (this.clean) this.classes.add('clean');
    if (this.noise(0.04)) { text = insertAt(text, d, '\r'); this.classes.add('lone-cr'); }
    if (this.noise(0.04)) { text = insertAt(text, d, '\t'); this.classes.add('tab'); }
    if (this.noise(0.04)) text = '\ufeff' + text;
    if (this.noise(0.04)) { text = insertAt(text, d, d.pick(['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ud800', '\udc00', '\ufffe'])); this.classes.add('control'); }
    return { text, classes: [...this.classes] };
  }

  /** K5: nesting around yaml's limits (1,000 flow, 2,000 block levels) and above our own. */
  private deep(): GeneratedDocument {
    const d = this.d;
    this.classes.add('K5');
    const depth = d.pick([40, 64, 65, 100, 999, 1000, 1001, 1500, 3000]);
    if (d.chance(0.5)) {
      const open = d.pick(['[', '{ a: ', '[ ']);
      const close = open === '[' || open === '[ ' ? ']' : ' }';
      return { text: `root: ${open.repeat(depth)}x${close.repeat(depth)}\n`, classes: [...this.classes] };
    }
    const blockDepth = Math.min(depth, d.pick([40, 64, 65, 100, 300]));
    const lines: string[] = [];
    for (let i = 0; i < blockDepth; i++) lines.push(`${' '.repeat(i)}${d.chance(0.2) ? '- ' : ''}k${i}:`);
    lines.push(`${' '.repeat(blockDepth + 1)}v`);
    return { text: lines.join('\n') + '\n', classes: [...this.classes] };
  }

  /** Blank, whitespace-only and comment lines at any indentation (K1 when deeper than what follows). */
  private filler(indent: number, force = false): void {
    const d = this.d;
    if (!force && !d.chance(0.35)) return;
    if (this.clean) {
      // comments at the indentation of what follows, and empty lines
      this.out.push(d.chance(0.5) ? '' : `${' '.repeat(indent)}# ${d.pick(WORDS)}`);
      return;
    }
    const n = 1 + d.int(3);
    for (let i = 0; i < n; i++) {
      const kind = d.int(6);
      if (kind === 0) this.out.push('');
      else if (kind === 1) { this.out.push(' '.repeat(1 + d.int(indent + 6))); this.classes.add('whitespace-line'); }
      else {
        const at = Math.max(0, indent + d.pick([-4, -2, -1, 0, 0, 0, 1, 2, 3, 6]));
        this.out.push(`${' '.repeat(at)}#${d.pick(['', ' note', '#', ' a: b', ' - x'])}`);
        if (at > 0) this.classes.add('indented-comment');
      }
    }
  }

  private key(): string {
    const d = this.d;
    if (this.noise(0.12)) {
      const k = d.pick(TRICKY_KEYS);
      if (k.length > 1000) this.classes.add('K3');
      return k;
    }
    if (this.noise(0.1)) return d.pick(KEYS);
    return `${d.pick(KEYS).replace(/ /g, '-')}${this.keyCounter++}`;
  }

  private blockMap(indent: number, depth: number): void {
    const d = this.d;
    const n = 1 + d.int(depth > 3 ? 2 : 4);
    const pad = ' '.repeat(indent);
    for (let i = 0; i < n; i++) {
      if (i > 0) this.filler(indent);
      this.entry(pad, indent, depth);
    }
    // K1: a comment indented inside this block right after its last entry, before a dedent.
    if (indent > 0 && this.noise(0.3)) {
      this.out.push(`${' '.repeat(indent + d.pick([0, 1, 2]))}#${d.pick(['', ' c'])}`);
      this.classes.add('K1');
    }
  }

  private entry(pad: string, indent: number, depth: number): void {
    const d = this.d;
    const key = this.key();
    const colon = d.chance(0.02) ? ':' : ':';
    const kind = depth > 5 ? d.int(4) : d.int(9);
    const anchor = this.noise(0.08) ? ` &a${this.anchors.push(`a${this.anchors.length}`) - 1}` : '';
    if (anchor) this.classes.add('anchor');
    const tag = this.noise(0.06) ? ` ${d.pick(['!!str', '!!int', '!tag', '!!map', '!!seq', '!!binary', '!'])}` : '';
    if (tag) this.classes.add('tag');
    switch (kind) {
      case 0: case 1: {
        const sep = this.clean ? ' ' : d.pick([' ', ' ', ' ', ' ', '  ', '', '   ']);
        this.out.push(`${pad}${key}${colon}${anchor}${tag}${sep}${this.scalarInline(indent)}${this.trailing()}`);
        return;
      }
      case 2:
        this.out.push(`${pad}${key}${colon}${anchor}${tag} ${this.flow(depth, indent)}${this.trailing()}`);
        return;
      case 3:
        this.blockScalar(`${pad}${key}${colon}${anchor}${tag} `, indent);
        return;
      case 4: case 5: {
        this.out.push(`${pad}${key}${colon}${anchor}${tag}${this.trailing()}`);
        this.filler(indent + 2);
        this.blockMap(indent + d.pick([1, 2, 2, 2, 3, 4]), depth + 1);
        return;
      }
      case 6: {
        this.out.push(`${pad}${key}${colon}${anchor}${tag}${this.trailing()}`);
        this.blockSeq(indent + d.pick([0, 0, 2, 2, 1, 4]), depth + 1);
        return;
      }
      case 7:
        if (this.anchors.length && this.noise(0.9)) {
          this.out.push(`${pad}${key}${colon} *${d.pick(this.anchors)}${this.trailing()}`);
          this.classes.add('alias');
        } else if (this.noise(0.5)) this.out.push(`${pad}${key}${colon}${this.trailing()}`);
        else this.out.push(`${pad}${key}${colon} ${this.scalarInline(indent)}`);
        return;
      default:
        if (this.clean || d.chance(0.5)) this.out.push(`${pad}${key}${colon} ${this.quoted(indent)}${this.trailing()}`);
        else this.out.push(`${pad}? ${key}\n${pad}${colon} ${this.scalarInline(indent)}`);
    }
  }

  private blockSeq(indent: number, depth: number): void {
    const d = this.d;
    const n = 1 + d.int(3);
    const pad = ' '.repeat(indent);
    for (let i = 0; i < n; i++) {
      if (i > 0) this.filler(indent);
      const kind = depth > 5 ? d.int(3) : d.int(7);
      const dash = d.pick(['- ', '- ', '-  ', '-   ']);
      if (kind === 0) this.out.push(`${pad}${dash}${this.scalarInline(indent)}${this.trailing()}`);
      else if (kind === 1) this.out.push(`${pad}${dash}${this.flow(depth, indent)}${this.trailing()}`);
      else if (kind === 2) this.out.push(`${pad}${dash}${this.quoted(indent)}${this.trailing()}`);
      else if (kind === 3) {
        // `- key: value` then the map's other keys aligned with the first
        const col = indent + dash.length;
        this.out.push(`${pad}${dash}${this.key()}: ${this.scalarInline(col)}${this.trailing()}`);
        const more = d.int(3);
        for (let k = 0; k < more; k++) {
          this.filler(col);
          this.entry(' '.repeat(col), col, depth + 1);
        }
      } else if (kind === 4) {
        this.out.push(`${pad}-${this.trailing()}`);
        if (d.chance(0.5)) this.blockMap(indent + d.pick([1, 2, 4]), depth + 1);
        else this.blockSeq(indent + d.pick([1, 2]), depth + 1);
      } else if (kind === 5) this.blockScalar(`${pad}${dash}`, indent);
      else this.out.push(`${pad}${dash}- ${this.scalarInline(indent)}`);
    }
  }

  private trailing(): string {
    const d = this.d;
    const k = this.clean ? 3 + d.int(11) : d.int(14);
    if (k === 0) return ' # comment';
    if (k === 1) return '#not-a-comment';
    if (k === 2) return '  ';
    if (k === 3) return ' #';
    return '';
  }

  private scalarInline(indent: number): string {
    const d = this.d;
    const k = this.clean ? d.int(8) % 5 : d.int(10);
    if (k < 4) return d.pick(WORDS);
    if (k < 8) {
      const s = d.pick(TRICKY_PLAIN);
      if (s.includes(':')) this.classes.add('colon');
      return s;
    }
    if (k === 8) return this.quoted(indent);
    // a multi-line plain scalar
    this.classes.add('multiline-plain');
    return `${d.pick(WORDS)}\n${' '.repeat(indent + d.pick([0, 1, 2, 4]))}${d.pick(WORDS)}`;
  }

  private quoted(indent: number): string {
    const d = this.d;
    if (d.chance(0.5)) {
      let s = '';
      const n = d.int(4);
      for (let i = 0; i < n; i++) s += d.chance(0.4) ? d.pick(this.clean ? ESCAPES.slice(0, 5) : ESCAPES) : d.pick(WORDS);
      if (this.noise(0.16)) { s += `\n${' '.repeat(indent + d.int(3))}${d.pick(WORDS)}`; this.classes.add('multiline-quoted'); }
      if (this.noise(0.06)) s += '"unterminated';
      return `"${s}"`;
    }
    let s = '';
    const n = d.int(4);
    for (let i = 0; i < n; i++) s += d.chance(0.3) ? "''" : d.pick(WORDS);
    if (this.noise(0.16)) { s += `\n${' '.repeat(indent + d.int(3))}${d.pick(WORDS)}`; this.classes.add('multiline-quoted'); }
    return `'${s}'`;
  }

  /** K4 lives here: `:` just before `}` or `,`, pairs inside sequences, trailing and empty entries. */
  private flow(depth: number, indent: number): string {
    const d = this.d;
    const isMap = d.chance(0.5);
    const n = d.int(4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      let v: string;
      const k = d.int(depth > 4 ? 3 : 6);
      if (k === 0 || (this.clean && k === 3)) v = d.pick(WORDS);
      else if (k === 1) v = this.clean ? d.pick(['1', '1.30', 'true', 'null', '-1', '0']) : d.pick(TRICKY_PLAIN.filter((x) => x.length < 200));
      else if (k === 2) v = this.quoted(indent);
      else if (k === 3) v = `${d.pick(['nl-ams', 'a', 'x'])}:`; // K4
      else v = this.flow(depth + 1, indent);
      if (v.endsWith(':')) this.classes.add('K4');
      if (isMap) {
        const key = this.noise(0.2) ? d.pick(TRICKY_KEYS.filter((x) => x.length < 50)) : `${d.pick(KEYS).replace(/ /g, '-')}${this.keyCounter++}`;
        items.push(`${key}${this.clean ? ': ' : d.pick([': ', ': ', ':', ' : ', ':  '])}${v}`);
      } else items.push(this.noise(0.1) ? `${d.pick(KEYS)}: ${v}` : v);
    }
    const sep = () => (this.clean ? d.pick([', ', ',']) : d.pick([', ', ', ', ',', ' , ', ',  ', `,\n${' '.repeat(indent + 2)}`]));
    let body = items.map((x, i) => (i === 0 ? x : sep() + x)).join('');
    if (items.length && this.noise(0.16)) body += d.pick([',', ', ', ',,']);
    const inner = d.pick([' ', ' ', '', '  ']);
    return isMap ? `{${inner}${body}${inner}}` : `[${inner}${body}${inner}]`;
  }

  /** K2 lives here: blank lines, whitespace-only lines longer than the indent, `#` lines. */
  private blockScalar(prefix: string, indent: number): void {
    const d = this.d;
    const header = this.clean ? d.pick(['|', '|-', '>', '>-']) : d.pick(BLOCK_HEADERS);
    this.out.push(`${prefix}${header}`);
    const blockIndent = indent + d.pick([1, 2, 2, 2, 4]);
    const n = this.clean ? 1 + d.int(4) : d.int(6);
    for (let i = 0; i < n; i++) {
      const k = this.clean ? 5 + d.int(5) : d.int(10);
      if (k === 0) { this.out.push(''); this.classes.add('K2'); }
      else if (k === 1) { this.out.push(' '.repeat(blockIndent + 1 + d.int(3))); this.classes.add('K2'); }
      else if (k === 2) { this.out.push(' '.repeat(d.int(blockIndent))); this.classes.add('K2'); }
      else if (k === 3) { this.out.push(`${' '.repeat(blockIndent)}# ${d.pick(WORDS)}`); this.classes.add('K2'); }
      else if (k === 4) this.out.push(`${' '.repeat(blockIndent + 1 + d.int(2))}${d.pick(WORDS)}`);
      else this.out.push(`${' '.repeat(blockIndent)}${d.pick(WORDS)}${d.chance(0.1) ? ' ' : ''}`);
    }
    if (this.noise(0.3)) { this.out.push(''); this.classes.add('K2'); }
  }
}

function insertAt(text: string, d: Draw, what: string): string {
  const i = d.int(text.length + 1);
  return text.slice(0, i) + what + text.slice(i);
}

/**
 * A landing zone written back in a random YAML style: block or flow collections, indentation from
 * 1 to 4, plain, quoted or block scalars, comments and blank lines between entries. The value is
 * the same as the input's unless a style changes a type (an unquoted `"1.30"`), which is itself a
 * case worth comparing.
 */
const parsedSources = new Map<string, unknown>();

export function landingZoneDocument(rand: Rand, source: string): GeneratedDocument {
  const d = new Draw(rand);
  let value = parsedSources.get(source);
  if (value === undefined) parsedSources.set(source, (value = parse(source) as unknown));
  const classes = new Set<string>();
  const out: string[] = [];
  const comment = (indent: number) => {
    if (!d.chance(0.08)) return;
    const k = d.int(4);
    if (k === 0) out.push('');
    else if (k === 1) { out.push(' '.repeat(d.int(indent + 4))); classes.add('whitespace-line'); }
    else { const at = Math.max(0, indent + d.pick([-2, 0, 0, 0, 0, 0, 0, 2, 4])); out.push(`${' '.repeat(at)}# ${d.pick(WORDS)}`); if (at > indent) classes.add('K1'); }
  };
  const scalar = (v: unknown, indent: number): string => {
    if (typeof v !== 'string') return String(v);
    const k = d.int(20);
    if (k === 0) return JSON.stringify(v);
    if (k === 1) return `'${v.replace(/'/g, "''")}'`;
    if (k === 2 && /^\d+\.\d+$/.test(v)) { classes.add('unquoted-version'); return v; }
    if (/^[\w./ -]+$/.test(v) && !/^[\d.-]+$|^(true|false|null|~)$/i.test(v) && !v.startsWith('-') && !v.endsWith(' ')) return v;
    void indent;
    return JSON.stringify(v);
  };
  const flow = (v: unknown, indent: number): string => {
    if (Array.isArray(v)) return `[${v.map((x) => flow(x, indent)).join(d.pick([', ', ',']))}]`;
    if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${flow(x, indent)}`).join(', ')} }`;
    return scalar(v, indent);
  };
  const block = (v: unknown, indent: number, depth: number): void => {
    const pad = ' '.repeat(indent);
    if (Array.isArray(v)) {
      for (const item of v) {
        comment(indent);
        if (item && typeof item === 'object' && !Array.isArray(item) && d.chance(0.5)) {
          const entries = Object.entries(item);
          const step = d.pick([2, 2, 3]);
          entries.forEach(([k, x], i) => {
            const p = i === 0 ? `${pad}-${' '.repeat(step - 1)}` : ' '.repeat(indent + step);
            if (x && typeof x === 'object') out.push(`${p}${k}: ${flow(x, indent)}`);
            else out.push(`${p}${k}: ${scalar(x, indent)}`);
          });
        } else out.push(`${pad}- ${item && typeof item === 'object' ? flow(item, indent) : scalar(item, indent)}`);
      }
      return;
    }
    const step = d.pick([2, 2, 2, 1, 3, 4]);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      comment(indent);
      const key = d.chance(0.03) ? JSON.stringify(k) : k;
      if (x && typeof x === 'object' && (depth < 2 || d.chance(0.6))) {
        if (d.chance(depth < 2 ? 0 : 0.3)) { out.push(`${pad}${key}: ${flow(x, indent)}${d.chance(0.1) ? ' # c' : ''}`); continue; }
        out.push(`${pad}${key}:${d.chance(0.05) ? ' # c' : ''}`);
        if (Array.isArray(x)) block(x, indent + d.pick([0, step]), depth + 1);
        else block(x, indent + step, depth + 1);
      } else if (x && typeof x === 'object') out.push(`${pad}${key}: ${flow(x, indent)}`);
      else if (typeof x === 'string' && x.length > 12 && x.includes(' ') && d.chance(0.3)) {
        classes.add('block-scalar');
        out.push(`${pad}${key}: ${d.pick(['>-', '|-', '>', '|'])}`);
        const words = x.split(' ');
        const half = Math.ceil(words.length / 2);
        out.push(`${pad}${' '.repeat(step)}${words.slice(0, half).join(' ')}`);
        if (words.length > half) out.push(`${pad}${' '.repeat(step)}${words.slice(half).join(' ')}`);
      } else out.push(`${pad}${key}: ${scalar(x, indent)}${d.chance(0.05) ? ' # c' : ''}`);
    }
  };
  block(value, 0, 0);
  let text = `${out.join('\n')}\n`;
  if (d.chance(0.1)) { text = text.replace(/\n/g, '\r\n'); classes.add('crlf'); }
  return { text, classes: [...classes] };
}
