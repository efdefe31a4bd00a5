import type { SourceDocument } from '../document';
import type { Range } from '../issues';
import type { SymbolKind } from '../model';
import { indexSymbols, PROJECT_PARTS, type IndexedSymbol } from './symbol-index';
import { asRecord } from './values';

/*
 * What the "Landing Zone" explorer lists, as plain data: computed in the editor's validation worker
 * beside the outline, so that the extension host never parses the file to draw the tree. Where each
 * entry sits in the file changes with every line typed above it while the tree itself rarely
 * changes; so the positions travel apart, as one Int32Array (`ranges`, four numbers per entry: start
 * line and character, end line and character), and an entry names its slot (`at`). The host rebuilds
 * the tree only when `shape` changes, and reads the newest positions when an entry is opened.
 */

/** A resource under a project (its Private Network and gateway, keys, secrets, buckets, clusters, databases) or an IAM application. */
export interface ExplorerEntry {
  kind: Exclude<SymbolKind, 'project'> | 'private-network' | 'public-gateway';
  name: string;
  /** What the view shows beside the name (`secret v2`, `cluster 1.31`, the subnet). */
  detail?: string;
  /** The slot of its position in `ExplorerTree.ranges`. */
  at: number;
}

export interface ExplorerProject {
  name: string;
  /** As written; undefined when the project has none. */
  role?: string;
  at: number;
  parts: ExplorerEntry[];
}

/** The tree without positions: equal shapes draw the same tree. */
export interface ExplorerShape {
  projects: ExplorerProject[];
  applications: ExplorerEntry[];
}

export interface ExplorerTree {
  shape: ExplorerShape;
  /** Four numbers per slot: start line, start character, end line, end character (0-based). */
  ranges: Int32Array;
}

/** The range in slot `at`. */
export function explorerRange(ranges: Int32Array, at: number): Range {
  const i = at * 4;
  return { start: { line: ranges[i]!, character: ranges[i + 1]! }, end: { line: ranges[i + 2]!, character: ranges[i + 3]! } };
}

/** What `[…].filter(Boolean).join()` would show of a value read from the file. */
const shown = (v: unknown): string | undefined => (v === undefined || v === null || v === '' || v === false || v === 0 || Number.isNaN(v) ? undefined : String(v));

/** The explorer's tree of a document (what the parser could read of it); `symbols`: its index's, when built. */
export function explorerTree(source: SourceDocument, symbols: readonly IndexedSymbol[] = indexSymbols(source)): ExplorerTree {
  const positions: number[] = [];
  const slot = (r: Range) => {
    positions.push(r.start.line, r.start.character, r.end.line, r.end.character);
    return positions.length / 4 - 1;
  };
  // symbols come project by project, each followed by its parts (indexSymbols' order)
  const partsOf = new Map<string, IndexedSymbol[]>();
  for (const s of symbols) {
    if (s.kind === 'project' || s.kind === 'application' || s.project === undefined) continue;
    let list = partsOf.get(s.project);
    if (!list) partsOf.set(s.project, (list = []));
    list.push(s);
  }
  const projects = symbols.filter((s) => s.kind === 'project').map((p): ExplorerProject => {
    const v = asRecord(p.value);
    const network = asRecord(v.network);
    const parts: ExplorerEntry[] = [];
    for (const [kind, field, fallback, detail] of [
      ['private-network', 'privateNetwork', `${p.name}-pn`, 'subnet'],
      ['public-gateway', 'publicGateway', `${p.name}-gw`, 'type'],
    ] as const) {
      const value = asRecord(network[field]);
      if (Object.keys(value).length === 0) continue;
      parts.push({ kind, name: String(value.name ?? fallback), detail: shown(value[detail]), at: slot(source.keyRangeOf(['projects', p.name, 'network', field])) });
    }
    const mine = partsOf.get(p.name) ?? [];
    for (const { kind } of PROJECT_PARTS) {
      for (const s of mine) {
        if (s.kind !== kind) continue;
        const sv = asRecord(s.value);
        const detail = kind === 'secret' ? `secret v${String(sv.version ?? '?')}` : kind === 'cluster' ? `cluster ${String(sv.version ?? '')}` : kind === 'database' ? `database ${String(sv.engine ?? '')}` : kind;
        parts.push({ kind: kind as ExplorerEntry['kind'], name: s.name, detail, at: slot(s.nameRange) });
      }
    }
    const project: ExplorerProject = { name: p.name, at: slot(p.nameRange), parts };
    if (v.role !== undefined && v.role !== null) project.role = String(v.role);
    return project;
  });
  const applications = symbols.filter((s) => s.kind === 'application').map((a): ExplorerEntry => ({ kind: 'application', name: a.name, detail: 'application', at: slot(a.nameRange) }));
  return { shape: { projects, applications }, ranges: Int32Array.from(positions) };
}
