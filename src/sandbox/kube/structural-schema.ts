/*
 * The part of an API server's CRD validation that clients meet: types, required fields, enums,
 * and the pruning of fields the schema does not declare (silently dropped, as `apiextensions/v1`
 * does unless `x-kubernetes-preserve-unknown-fields` is set).
 */

/** The subset of OpenAPI v3 a structural CRD schema uses. */
export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  description?: string;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** Checks `value` against `schema`, pushes `[field, message]` problems, returns the pruned value. */
export function checkAgainstSchema(value: unknown, schema: OpenApiSchema, path: string, problems: [string, string][]): unknown {
  const at = path || '<root>';
  if (value === null) {
    if (!schema.nullable) problems.push([at, 'Invalid value: "null": must not be null']);
    return value;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) problems.push([at, `Invalid value: ${JSON.stringify(value)}: must be an integer or a string`]);
    return value;
  }
  const type = schema.type;
  const typeOk = type === undefined
    || (type === 'object' && typeof value === 'object' && !Array.isArray(value))
    || (type === 'array' && Array.isArray(value))
    || (type === 'string' && typeof value === 'string')
    || (type === 'integer' && Number.isInteger(value))
    || (type === 'number' && typeof value === 'number')
    || (type === 'boolean' && typeof value === 'boolean');
  if (!typeOk) {
    problems.push([at, `Invalid value: "${typeof value === 'object' ? JSON.stringify(value) : String(value)}": ${at} in body must be of type ${type}: "${Array.isArray(value) ? 'array' : typeof value}"`]);
    return value;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push([at, `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`]);
  }
  if (type === 'array') return (value as unknown[]).map((v, i) => (schema.items ? checkAgainstSchema(v, schema.items, `${path}[${i}]`, problems) : v));
  if (type !== 'object' || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  for (const r of schema.required ?? []) {
    if (obj[r] === undefined) problems.push([path ? `${path}.${r}` : r, 'Required value']);
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const child = path ? `${path}.${k}` : k;
    const prop = schema.properties?.[k];
    if (prop) out[k] = checkAgainstSchema(v, prop, child, problems);
    else if (typeof schema.additionalProperties === 'object') out[k] = checkAgainstSchema(v, schema.additionalProperties, child, problems);
    else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) out[k] = v;
    // else: pruned
  }
  return out;
}
