import { isScalar } from 'yaml';
import type { z } from 'zod';
import type { DocPath, SourceDocument } from './document';
import type { Issue } from './issues';
import { finding, type RuleInfo } from './rules/rule';
import { landingZoneSchema } from './schema';

export const UNKNOWN_KEY: RuleInfo = {
  id: 'schema-unknown-key',
  layer: 'schema',
  severity: 'error',
  why: 'An unknown key is usually a typo, and a typo would silently mean "use the default".',
  fix: 'Rename it to the suggested key, or remove it.',
};

/** Turns zod's issues into ours: one per problem, each on the exact key or value it is about. */
export function schemaIssues(zodIssues: readonly z.core.$ZodIssue[], source: SourceDocument): Issue[] {
  const out: Issue[] = [];
  for (const zi of zodIssues) {
    const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (zi.code === 'unrecognized_keys') {
      const allowed = knownKeys(path);
      for (const key of zi.keys) {
        // the nearest key is looked for when the finding is shown: past the cap findings are only counted
        let suggestion: string | undefined | null = null;
        const suggest = () => (suggestion === null ? (suggestion = closest(key, allowed)) : suggestion);
        out.push(finding(UNKNOWN_KEY, { range: source.keyRangeOf([...path, key]), path: [...path, key] },
          () => `Unknown key "${key}" in ${where(path)}.${suggest() ? ` Did you mean "${suggest()}"?` : ''}${allowed.length ? ` Allowed: ${allowed.join(', ')}.` : ''}`,
          () => (suggest() ? renameKeyFix(source, [...path, key], suggest()!) : { title: `Remove "${key}".` })));
      }
      continue;
    }
    const present = source.node(path) !== undefined || (path.length > 0 && source.pair(path) !== undefined);
    const issue: Issue = {
      ruleId: 'schema',
      severity: 'error',
      message: describe(zi, path, present),
      range: present ? source.rangeOf(path) : source.keyRangeOf(path.slice(0, -1)),
      path,
    };
    const fix = present ? valueFix(zi, path, source) : undefined;
    if (fix) {
      issue.fix = fix.fix;
      if (fix.note) issue.message += ` ${fix.note}`;
    }
    out.push(issue);
  }
  return dedupe(out);
}

/**
 * The one obvious edit for a wrong value: the nearest allowed value of an enum (a typo), or the
 * quoted text of a number where a string is expected (`1.30` is read as the number 1.3; the author
 * meant the text "1.30").
 */
function valueFix(zi: z.core.$ZodIssue, path: DocPath, source: SourceDocument): { fix: NonNullable<Issue['fix']>; note?: string } | undefined {
  const node = source.node(path);
  if (!isScalar(node) || !node.range) return undefined;
  const range = source.range(node.range[0], node.range[1]);
  if (zi.code === 'invalid_value' && typeof node.value === 'string') {
    const near = closest(node.value, zi.values.filter((v): v is string => typeof v === 'string'));
    if (near) return { fix: { title: `Change to ${near}`, edits: [{ range, newText: near }] } };
  }
  if (zi.code === 'invalid_type' && zi.expected === 'string' && typeof node.value === 'number') {
    const written = source.text.slice(node.range[0], node.range[1]);
    if (!/^[-+.0-9eE_]+$/.test(written)) return undefined;
    const read = String(node.value);
    return {
      fix: { title: `Quote it: "${written}"`, edits: [{ range, newText: `"${written}"` }] },
      note: read !== written ? `YAML reads ${written} as the number ${read}; quote it: "${written}".` : `Quote it: "${written}".`,
    };
  }
  return undefined;
}

function where(path: DocPath): string {
  return path.length === 0 ? 'the top level' : path.join('.');
}

function describe(zi: z.core.$ZodIssue, path: DocPath, present: boolean): string {
  const field = path.length ? path.join('.') : 'the document';
  switch (zi.code) {
    case 'invalid_type':
      if (!present) return `Missing required field "${String(path[path.length - 1])}" in ${where(path.slice(0, -1))}.`;
      return `${field}: expected ${article(zi.expected)}.`;
    case 'invalid_value':
      // zod 4 reports a missing enum or literal as invalid_value, not invalid_type.
      if (!present) return `Missing required field "${String(path[path.length - 1])}" in ${where(path.slice(0, -1))}; expected one of ${zi.values.map((v) => JSON.stringify(v)).join(', ')}.`;
      return `${field}: expected one of ${zi.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'invalid_format':
      return `${field}: ${zi.message}.`;
    case 'too_small':
      return `${field}: ${zi.origin === 'array' ? `needs at least ${zi.minimum} item(s)` : zi.origin === 'string' ? `must not be empty` : `must be at least ${zi.minimum}`}.`;
    case 'too_big':
      return `${field}: ${zi.origin === 'array' ? `has more than ${zi.maximum} item(s)` : `must be at most ${zi.maximum}`}.`;
    case 'invalid_union':
      return `${field}: ${unionHint(path)}`;
    default:
      return `${field}: ${zi.message}.`;
  }
}

function unionHint(path: DocPath): string {
  return path[path.length - 1] === 'version' ? 'expected a version number (1, 2, …) or "latest".' : 'has an unexpected value.';
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'record') return 'a mapping of names';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Keys allowed at a path, read from the zod schema itself so they never go stale. */
function knownKeys(path: DocPath): string[] {
  const schema = schemaAt(path);
  return schema ? Object.keys(objectShape(schema) ?? {}) : [];
}

/** The zod schema that describes the value at a path (unwrapping optional/default/records). */
function schemaAt(path: DocPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = landingZoneSchema;
  for (const segment of path) {
    current = unwrap(current);
    if (!current) return undefined;
    const def = (current as unknown as { _zod: { def: { type: string; valueType?: z.ZodType; element?: z.ZodType } } })._zod.def;
    if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = typeof segment === 'number' ? def.element : undefined;
    else current = objectShape(current)?.[String(segment)];
  }
  return unwrap(current);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    const def = (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) s = def.innerType;
    else break;
  }
  return s;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType> } } })._zod.def;
  return def.type === 'object' ? def.shape : undefined;
}

/** The closest allowed key by edit distance, when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function renameKeyFix(source: SourceDocument, path: DocPath, to: string): NonNullable<Issue['fix']> {
  return { title: `Rename to "${to}".`, edits: [{ range: source.keyRangeOf(path), newText: to }] };
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    // an unknown key's message follows from its path (and is built only when shown)
    const k = `${i.ruleId}|${i.range.start.line}:${i.range.start.character}|${i.ruleId === UNKNOWN_KEY.id ? i.path.join('\u0000') : i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
