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
