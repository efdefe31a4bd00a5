import { isMap, isScalar, parseDocument, type Node } from 'yaml';

/*
 * Small, surgical edits of landing-zone.yaml: replace one scalar, or add one key to a block
 * mapping, touching nothing else, so comments, flow maps, quoting and blank lines stay as the
 * author wrote them (re-serialising the document would reformat it).
 */

export type EditResult = { ok: true; text: string; changed: boolean } | { ok: false; problem: string };

/** Replaces the scalar at `path` with `value` (a YAML plain scalar such as `3` or `fr-par-2`). */
export function replaceScalar(text: string, path: readonly (string | number)[], value: string): EditResult {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return { ok: false, problem: `the file has YAML errors; fix them first (${doc.errors[0]!.message.split('\n')[0]})` };
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node || !isScalar(node) || !node.range) return { ok: false, problem: `${path.join('.')} is not a value in the file` };
  const [start, end] = node.range;
  if (text.slice(start, end) === value) return { ok: true, text, changed: false };
  return { ok: true, text: text.slice(0, start) + value + text.slice(end), changed: true };
}

/**
 * Sets `key: value` in the mapping at `path`: replaces the value when the key exists, else adds
 * a line after the mapping's first key (block mappings) or an entry at the end (flow mappings).
 */
export function setKey(text: string, path: readonly (string | number)[], key: string, value: string): EditResult {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return { ok: false, problem: `the file has YAML errors; fix them first (${doc.errors[0]!.message.split('\n')[0]})` };
  const map = doc.getIn(path, true) as Node | undefined;
  if (!map || !isMap(map) || !map.range) return { ok: false, problem: `${path.join('.')} is not a mapping in the file` };
  if (map.has(key)) return replaceScalar(text, [...path, key], value);
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1]);
    const before = text.slice(0, close).replace(/\s*$/, '');
    return { ok: true, text: `${before}, ${key}: ${value} ${text.slice(close)}`, changed: true };
  }
  const first = map.items[0];
  const firstKey = first?.key as Node | undefined;
  if (!firstKey?.range) return { ok: false, problem: `${path.join('.')} is empty; add ${key}: ${value} by hand` };
  const lineStart = text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
  const indent = text.slice(lineStart, firstKey.range[0]);
  const lineEnd = text.indexOf('\n', firstKey.range[0]);
  // after the first key's whole entry when it fits on one line; otherwise before it
  const firstValue = first?.value as Node | undefined;
  const oneLine = firstValue?.range ? text.indexOf('\n', firstKey.range[0]) >= firstValue.range[1] || lineEnd < 0 : true;
  if (oneLine && lineEnd >= 0) {
    return { ok: true, text: `${text.slice(0, lineEnd + 1)}${indent}${key}: ${value}\n${text.slice(lineEnd + 1)}`, changed: true };
  }
  return { ok: true, text: `${text.slice(0, lineStart)}${indent}${key}: ${value}\n${text.slice(lineStart)}`, changed: true };
}

/** Re-pins `projects.<project>.secrets.<name>.version` to `revision`. */
export function repinSecretVersion(text: string, secretRef: string, revision: number): EditResult {
  const [project, name] = secretRef.split('/') as [string, string];
  return replaceScalar(text, ['projects', project, 'secrets', name, 'version'], String(revision));
}
