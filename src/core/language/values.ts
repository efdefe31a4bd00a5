import type { DocPath } from '../document';

/** The value as a mapping, or an empty one: the editor reads half-typed documents. */
export function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The plain value at a path, undefined when some part is missing. */
export function valueAt(root: unknown, path: DocPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (cur && typeof cur === 'object' && !Array.isArray(cur)) cur = (cur as Record<string, unknown>)[String(seg)];
    else return undefined;
  }
  return cur;
}
