import { isScalar } from 'yaml';
import type { DocPath, SourceDocument } from '../document';
import type { Range } from '../issues';
import type { SymbolKind } from '../model';

/*
 * A lenient index of definitions and references for the editor. The model (../model.ts) exists
 * only once the whole file is schema-valid; while a person types, it rarely is. This index reads
 * whatever the YAML parser could read, so go-to-definition, rename and completion keep working
 * in a file with errors elsewhere.
 */

/** A place in the file where a reference belongs, and what kind of symbol it names. */
export interface ReferenceField {
  /** Path pattern: `*` any name, `#` any index. */
  pattern: readonly string[];
  kind: SymbolKind;
  field: string;
}

/** Every field that names another part of the file (the same list as the model's references). */
const REFERENCE_FIELDS: readonly ReferenceField[] = [
  { pattern: ['projects', '*', 'secrets', '*', 'encryptionKey'], kind: 'key', field: 'encryptionKey' },
  { pattern: ['projects', '*', 'clusters', '*', 'loadBalancer', 'allowFrom', '#'], kind: 'project', field: 'allowFrom' },
  { pattern: ['projects', '*', 'clusters', '*', 'keys', '#'], kind: 'key', field: 'keys' },
  { pattern: ['projects', '*', 'databases', '*', 'encryptionKey'], kind: 'key', field: 'encryptionKey' },
  { pattern: ['projects', '*', 'databases', '*', 'endpointSecret'], kind: 'secret', field: 'endpointSecret' },
  { pattern: ['iam', 'applications', '*', 'policy', '#', 'projects', '#'], kind: 'project', field: 'projects' },
  { pattern: ['iam', 'applications', '*', 'apiKey', 'storedIn'], kind: 'secret', field: 'storedIn' },
  { pattern: ['iam', 'applications', '*', 'apiKey', 'defaultProject'], kind: 'project', field: 'defaultProject' },
  { pattern: ['disasterRecovery', 'velero', 'bucket'], kind: 'bucket', field: 'velero.bucket' },
  { pattern: ['disasterRecovery', 'velero', 'clusters', '#'], kind: 'cluster', field: 'velero.clusters' },
  { pattern: ['disasterRecovery', 'backupCopy', 'project'], kind: 'project', field: 'backupCopy.project' },
];

/** Drift ignores name resources as `project/kind/name`: a rename of the project or the part follows them. */
const RESOURCE_ID_FIELD = ['drift', 'ignore', '#', 'resource'] as const;

/** Maps of named parts inside a project, and the symbol kind of their entries. */
export const PROJECT_PARTS: readonly { field: string; kind: SymbolKind }[] = [
  { field: 'keys', kind: 'key' },
  { field: 'secrets', kind: 'secret' },
  { field: 'buckets', kind: 'bucket' },
  { field: 'clusters', kind: 'cluster' },
  { field: 'databases', kind: 'database' },
];

export interface IndexedSymbol {
  kind: SymbolKind;
  /** `prod`, `security/secrets-key`, or the application name. */
  id: string;
  name: string;
  project?: string;
  path: DocPath;
  /** Offsets of the key that defines it. */
  nameStart: number;
  nameEnd: number;
  nameRange: Range;
  /** The definition's value as read (may be partial). */
  value: unknown;
}

export interface IndexedReference {
  /** `resource` for drift-ignore resource ids (`project/kind/name`). */
  kind: SymbolKind | 'resource';
  target: string;
  path: DocPath;
  field: string;
  /** Offsets of the reference text itself (inside quotes when quoted). */
  start: number;
  end: number;
  range: Range;
}

export interface SymbolIndex {
  source: SourceDocument;
  symbols: IndexedSymbol[];
  references: IndexedReference[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Indexes what the parser could read of a document; `symbols`: its indexSymbols, when already listed. */
export function indexDocument(source: SourceDocument, symbols: IndexedSymbol[] = indexSymbols(source)): SymbolIndex {
  const references: IndexedReference[] = [];
  const root = isRecord(source.value) ? source.value : {};

  const refer = (kind: IndexedReference['kind'], path: DocPath, field: string) => {
    const node = source.node(path);
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const [start, end] = textSpan(source, node.range[0], node.range[1], node.value);
    references.push({ kind, target: node.value, path, field, start, end, range: source.range(start, end) });
  };
  for (const rf of REFERENCE_FIELDS) for (const path of expand(root, rf.pattern)) refer(rf.kind, path, rf.field);
  for (const path of expand(root, RESOURCE_ID_FIELD)) refer('resource', path, 'drift.ignore.resource');

  references.sort((a, b) => a.start - b.start);
  return { source, symbols, references };
}

/** The definitions alone (projects, their parts, applications), in document order: what the explorer lists. */
export function indexSymbols(source: SourceDocument): IndexedSymbol[] {
  const symbols: IndexedSymbol[] = [];
  const root = isRecord(source.value) ? source.value : {};

  const define = (kind: SymbolKind, id: string, name: string, path: DocPath, value: unknown, project?: string) => {
    const key = source.pair(path)?.key;
    if (!key || !isScalar(key) || !key.range) return;
    const [start, end] = textSpan(source, key.range[0], key.range[1], name);
    symbols.push({ kind, id, name, project, path, nameStart: start, nameEnd: end, nameRange: source.range(start, end), value });
  };

  const projects = isRecord(root.projects) ? root.projects : {};
  for (const [pname, project] of Object.entries(projects)) {
    define('project', pname, pname, ['projects', pname], project);
    if (!isRecord(project)) continue;
    for (const { field, kind } of PROJECT_PARTS) {
      const map = project[field];
      if (!isRecord(map)) continue;
      for (const [name, value] of Object.entries(map)) define(kind, `${pname}/${name}`, name, ['projects', pname, field, name], value, pname);
    }
  }
  const iam = isRecord(root.iam) ? root.iam : {};
  const apps = isRecord(iam.applications) ? iam.applications : {};
  for (const [aname, app] of Object.entries(apps)) define('application', aname, aname, ['iam', 'applications', aname], app);
  return symbols;
}

/** The offsets of `text` inside a node's span (skips quotes); the whole span when not found. */
function textSpan(source: SourceDocument, start: number, end: number, text: string): [number, number] {
  const i = source.text.slice(start, end).indexOf(text);
  return i < 0 ? [start, end] : [start + i, start + i + text.length];
}

/** Every concrete path in `value` that matches a pattern (`*` names, `#` indexes). */
function expand(value: unknown, pattern: readonly string[], prefix: (string | number)[] = []): DocPath[] {
  if (pattern.length === 0) return [prefix];
  const [head, ...rest] = pattern;
  if (head === '#') return Array.isArray(value) ? value.flatMap((v, i) => expand(v, rest, [...prefix, i])) : [];
  if (!isRecord(value)) return [];
  if (head === '*') return Object.entries(value).flatMap(([k, v]) => expand(v, rest, [...prefix, k]));
  return head !== undefined && head in value ? expand(value[head], rest, [...prefix, head]) : [];
}

/** Whether a concrete path matches a pattern. */
function matchesPattern(path: DocPath, pattern: readonly string[]): boolean {
  return path.length === pattern.length && pattern.every((p, i) => {
    const s = path[i];
    return p === '#' ? typeof s === 'number' : p === '*' ? typeof s === 'string' : p === s;
  });
}

/** The kind of symbol a value at this path names, when the path is a reference field. */
export function referenceFieldAt(path: DocPath): ReferenceField | undefined {
  return REFERENCE_FIELDS.find((rf) => matchesPattern(path, rf.pattern));
}

/** The symbol of a kind with an id. */
export function findSymbol(index: SymbolIndex, kind: SymbolKind, id: string): IndexedSymbol | undefined {
  return index.symbols.find((s) => s.kind === kind && s.id === id);
}

/** The symbol kind that a resource id's kind segment names (`prod/cluster/apps` → cluster). */
export function resourceSegmentKind(segment: string | undefined): SymbolKind | undefined {
  return segment === 'cluster' || segment === 'database' || segment === 'bucket' || segment === 'key' || segment === 'secret' ? segment : undefined;
}
