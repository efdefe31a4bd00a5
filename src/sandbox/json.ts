/** JSON values as the API sends and stores them (snake_case keys). */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structured clone for plain JSON; faster than structuredClone for the small objects we keep. */
export function clone<T extends Json>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}

/** Drops keys whose value is undefined so a partial update never writes `undefined` into state. */
export function defined<T extends Record<string, unknown>>(o: T): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v as Json;
  return out;
}
