import type { z } from 'zod';
import type { DocPath } from '../document';
import { landingZoneSchema } from '../schema';

/** What the schema says about one field: the hover text and the completion documentation. */
export interface FieldDoc {
  /** The field's own name (the last string segment of the path), or undefined at the top. */
  name?: string;
  description?: string;
  examples: unknown[];
  /** `string`, `number`, `boolean`, `object`, `record`, `array`, `enum`, `literal`, `union`. */
  type: string;
  /** Allowed values when the schema enumerates them (enums, literals, booleans). */
  choices: (string | number | boolean)[];
  required: boolean;
  /** Default applied when the field is absent. */
  defaultValue?: unknown;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  defaultValue?: unknown;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault']);

/**
 * The schema at a path together with the metadata found on the way: `doc()` sometimes wraps an
 * optional schema (meta on the wrapper) and sometimes is wrapped by `.optional()` (meta inside), so
 * the walk collects meta from every layer instead of only the innermost.
 */
export function fieldDocAt(path: DocPath): FieldDoc | undefined {
  let current: z.ZodType | undefined = landingZoneSchema;
  let meta: { description?: string; examples?: unknown[] } = {};
  let required = true;
  let defaultValue: unknown;
  const take = (s: z.ZodType) => {
    const m = s.meta() as { description?: string; examples?: unknown[] } | undefined;
    if (m?.description && !meta.description) meta = { ...meta, description: m.description };
    if (m?.examples?.length && !meta.examples) meta = { ...meta, examples: m.examples };
  };
  const unwrap = () => {
    for (let i = 0; current && i < 10; i++) {
      take(current);
      const def = defOf(current);
      if (!WRAPPERS.has(def.type) || !def.innerType) break;
      if (def.type === 'optional') required = false;
      if (def.type === 'default') { required = false; defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue; }
      current = def.innerType;
    }
  };
  unwrap();
  for (const segment of path) {
    if (!current) return undefined;
    const def = defOf(current);
    meta = {};
    required = true;
    defaultValue = undefined;
    if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = typeof segment === 'number' ? def.element : undefined;
    else if (def.type === 'object') current = def.shape?.[String(segment)];
    else current = undefined;
    unwrap();
  }
  if (!current) return undefined;
  const def = defOf(current);
  const name = [...path].reverse().find((s): s is string => typeof s === 'string');
  return { name, description: meta.description, examples: meta.examples ?? [], type: def.type, choices: choicesOf(current), required, defaultValue };
}

function choicesOf(schema: z.ZodType): (string | number | boolean)[] {
  const def = defOf(schema);
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  if (def.type === 'literal') return (def.values ?? []).filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v));
  if (def.type === 'boolean') return [true, false];
  if (def.type === 'union') return (def.options ?? []).flatMap(choicesOf);
  return [];
}

/** Keys a mapping at `path` may hold, each with its documentation; empty for records and scalars. */
export function fieldsOf(path: DocPath): FieldDoc[] {
  const here = fieldDocAt(path);
  if (!here || here.type !== 'object') return [];
  let current: z.ZodType | undefined = landingZoneSchema;
  for (const segment of path) {
    current = innermost(current);
    if (!current) return [];
    const def = defOf(current);
    current = def.type === 'record' ? def.valueType : def.type === 'array' ? def.element : def.shape?.[String(segment)];
  }
  current = innermost(current);
  const shape = current ? defOf(current).shape ?? {} : {};
  return Object.keys(shape).flatMap((k) => {
    const d = fieldDocAt([...path, k]);
    return d ? [d] : [];
  });
}

function innermost(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  for (let i = 0; cur && i < 10; i++) {
    const def = defOf(cur);
    if (!WRAPPERS.has(def.type) || !def.innerType) break;
    cur = def.innerType;
  }
  return cur;
}

/** The markdown that hover and completion show for a field. */
export function fieldMarkdown(doc: FieldDoc): string {
  const parts: string[] = [];
  if (doc.description) parts.push(doc.description);
  const facts: string[] = [];
  if (doc.choices.length > 0 && doc.type !== 'boolean') facts.push(`One of: ${doc.choices.map((c) => `\`${String(c)}\``).join(', ')}.`);
  if (!doc.required) facts.push(doc.defaultValue !== undefined ? `Optional; default \`${JSON.stringify(doc.defaultValue)}\`.` : 'Optional.');
  if (facts.length) parts.push(facts.join(' '));
  const example = doc.examples[0];
  if (example !== undefined && doc.name) parts.push('Example:\n```yaml\n' + exampleYaml(doc.name, example) + '\n```');
  return parts.join('\n\n');
}

function exampleYaml(name: string, value: unknown): string {
  return `${name}: ${flow(value)}`;
}

/** A one-line YAML flow rendering, enough for examples. */
export function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${flow(v)}`).join(', ')} }`;
  if (typeof value === 'string') return /^[\w./@-]+$/.test(value) && !/^\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}
