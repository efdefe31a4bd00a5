// The committed JSON Schema and README sections match the zod schema and the rules (else: run
// `npm run schema`), ajv compiles the schema as draft-07, and the example validates against it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { readmeText, schemaText, SCHEMA_PATH, README_PATH } from '../../scripts/gen-schema';

const root = join(__dirname, '..', '..');
const example = parse(readFileSync(join(root, 'examples', 'landing-zone.yaml'), 'utf8')) as unknown;

test('schemas/landing-zone.schema.json is up to date (npm run schema)', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaText(), 'stale: run `npm run schema` and commit the result');
});

test('README generated sections are up to date (npm run schema)', () => {
  const current = readFileSync(README_PATH, 'utf8');
  assert.equal(current, readmeText(current), 'stale: run `npm run schema` and commit the result');
});

test('ajv compiles the schema (draft-07, strict) and the example validates', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  assert.ok(validate(example), JSON.stringify(validate.errors, null, 2));
});

test('the JSON Schema rejects what the zod schema rejects: unknown keys, bad enums, missing fields', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>);
  const clone = () => JSON.parse(JSON.stringify(example)) as { projects: Record<string, Record<string, unknown>>; defaults: Record<string, unknown> };
  const unknownKey = clone(); unknownKey.projects.prod!.rol = 'x';
  const badEnum = clone(); badEnum.defaults.region = 'us-east-1';
  const missing = clone(); delete missing.projects.prod!.role;
  for (const [name, doc] of Object.entries({ unknownKey, badEnum, missing })) assert.equal(validate(doc), false, name);
});

test('every field of the schema has a description and an example (hover text)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const missing: string[] = [];
  const walk = (s: Record<string, unknown>, path: string) => {
    const props = s.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [k, v] of Object.entries(props ?? {})) {
      if (!v.description) missing.push(`${path}.${k}: description`);
      if (!v.examples) missing.push(`${path}.${k}: example`);
      walk(v, `${path}.${k}`);
    }
    const ap = s.additionalProperties;
    if (ap && typeof ap === 'object') walk(ap as Record<string, unknown>, `${path}.<name>`);
    const items = s.items;
    if (items && typeof items === 'object') walk(items as Record<string, unknown>, `${path}[]`);
  };
  walk(schema, '');
  assert.deepEqual(missing, []);
});
