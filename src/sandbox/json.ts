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
