import { isMap, isScalar, type Node } from 'yaml';
import type { DocPath, SourceDocument } from '../document';
import type { Range } from '../issues';
import { PROJECT_PARTS } from './symbol-index';
import { asRecord } from './values';

/** A node of the outline (document symbols), editor-neutral. */
export interface OutlineNode {
  name: string;
  detail?: string;
  /** Maps to a vscode.SymbolKind in src/extension. */
  kind: 'section' | 'project' | 'key' | 'secret' | 'bucket' | 'cluster' | 'database' | 'application' | 'group' | 'field';
  /** From the key to the end of the value. */
  range: Range;
  /** The key. */
  selectionRange: Range;
  children: OutlineNode[];
}

/** The outline of a landing zone: sections, projects with their parts, applications. */
export function outline(source: SourceDocument): OutlineNode[] {
  const root = source.doc.contents;
  if (!isMap(root)) return [];
  const node = (name: string, path: DocPath, kind: OutlineNode['kind'], detail?: string, children: OutlineNode[] = []): OutlineNode | undefined => {
    const pair = source.pair(path);
    const key = pair?.key as Node | undefined;
    if (!key?.range) return undefined;
    const value = pair?.value as Node | null | undefined;
    const end = value?.range ? value.range[1] : key.range[1];
    return { name, detail, kind, range: source.range(key.range[0], end), selectionRange: source.range(key.range[0], key.range[1]), children };
  };
  const out: OutlineNode[] = [];
  const value = asRecord(source.value);
  for (const item of root.items) {
    if (!isScalar(item.key)) continue;
    const top = String(item.key.value);
    let children: OutlineNode[] = [];
    if (top === 'projects') {
      children = Object.entries(asRecord(value.projects)).flatMap(([pname, p]) => {
        const project = asRecord(p);
        const groups = PROJECT_PARTS.flatMap(({ field, kind }) => {
          const names = Object.keys(asRecord(project[field]));
          if (names.length === 0) return [];
          const items = names.flatMap((n) => {
            const detail = kind === 'secret' ? `version ${String(asRecord(asRecord(project[field])[n]).version ?? '?')}` : undefined;
            return node(n, ['projects', pname, field, n], kind, detail) ?? [];
          });
          return node(field, ['projects', pname, field], 'group', String(items.length), items) ?? [];
        });
        return node(pname, ['projects', pname], 'project', typeof project.role === 'string' ? project.role : undefined, groups) ?? [];
      });
    } else if (top === 'iam') {
      const apps = Object.keys(asRecord(asRecord(value.iam).applications)).flatMap((a) => node(a, ['iam', 'applications', a], 'application', String(asRecord(asRecord(asRecord(value.iam).applications)[a]).purpose ?? '')) ?? []);
      const group = node('applications', ['iam', 'applications'], 'group', String(apps.length), apps);
      children = group ? [group] : [];
    } else if (top === 'disasterRecovery') {
      children = Object.keys(asRecord(value.disasterRecovery)).flatMap((k) => node(k, ['disasterRecovery', k], 'field') ?? []);
    }
    const n = node(top, [top], 'section', undefined, children);
    if (n) out.push(n);
  }
  return out;
}

const KINDS: readonly OutlineNode['kind'][] = ['section', 'project', 'key', 'secret', 'bucket', 'cluster', 'database', 'application', 'group', 'field'];

/**
 * The outline as the validation worker sends it to the extension host: the 500-project file's
 * outline is 4,500 nodes, about 1 MB as objects, which took the host 20–50 ms to receive. As flat
 * arrays (pre-order; `ranges` eight numbers per node, range then selection range) it is a few
 * copies of typed arrays and one array of names.
 */
export interface OutlineWire {
  names: string[];
  /** `undefined` where a node has no detail. */
  details: (string | undefined)[];
  kinds: Uint8Array;
  /** How many children each node has. */
  childCounts: Int32Array;
  ranges: Int32Array;
}

export function encodeOutline(nodes: readonly OutlineNode[]): OutlineWire {
  const names: string[] = [];
  const details: (string | undefined)[] = [];
  const kinds: number[] = [];
  const childCounts: number[] = [];
  const ranges: number[] = [];
  const visit = (n: OutlineNode) => {
    names.push(n.name);
    details.push(n.detail);
    kinds.push(KINDS.indexOf(n.kind));
    childCounts.push(n.children.length);
    ranges.push(n.range.start.line, n.range.start.character, n.range.end.line, n.range.end.character,
      n.selectionRange.start.line, n.selectionRange.start.character, n.selectionRange.end.line, n.selectionRange.end.character);
    for (const c of n.children) visit(c);
  };
  for (const n of nodes) visit(n);
  return { names, details, kinds: Uint8Array.from(kinds), childCounts: Int32Array.from(childCounts), ranges: Int32Array.from(ranges) };
}

/** The outline an encoding holds (its top-level nodes). */
export function decodeOutline(wire: OutlineWire): OutlineNode[] {
  let i = 0;
  const r = wire.ranges;
  const read = (): OutlineNode => {
    const k = i++;
    const o = k * 8;
    const node: OutlineNode = {
      name: wire.names[k]!,
      detail: wire.details[k],
      kind: KINDS[wire.kinds[k]!]!,
      range: { start: { line: r[o]!, character: r[o + 1]! }, end: { line: r[o + 2]!, character: r[o + 3]! } },
      selectionRange: { start: { line: r[o + 4]!, character: r[o + 5]! }, end: { line: r[o + 6]!, character: r[o + 7]! } },
      children: [],
    };
    for (let c = wire.childCounts[k]!; c > 0; c--) node.children.push(read());
    return node;
  };
  const out: OutlineNode[] = [];
  while (i < wire.names.length) out.push(read());
  return out;
}

/** Whether two encoded outlines are the same outline. */
export function sameOutline(a: OutlineWire, b: OutlineWire): boolean {
  return a.names.length === b.names.length && sameInts(a.ranges, b.ranges) && sameInts(a.childCounts, b.childCounts)
    && a.kinds.every((k, i) => k === b.kinds[i]) && a.names.every((n, i) => n === b.names[i]) && a.details.every((d, i) => d === b.details[i]);
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
