import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The deployable zip of a function of this repository (functions/<name>, bundled by
 * scripts/build-functions.mjs into dist/functions/<name>.zip). The CLI and the extension run from
 * dist/, where the zip sits next to them (in the npm package, one folder up from the bundle's
 * chunks); the tests run from src/ and read the built one.
 */

export interface FunctionBundle {
  zip: Buffer;
  /** SHA-256 of the zip: the build is reproducible, so it names the code. */
  sha256: string;
  /** The first 16 hex digits, as the function's `lz:code=` tag carries them. */
  short: string;
}

const cache = new Map<string, FunctionBundle>();

export function functionBundle(name: string): FunctionBundle | undefined {
  const candidates = [
    process.env.LZ_FUNCTIONS_DIR ? join(process.env.LZ_FUNCTIONS_DIR, `${name}.zip`) : '',
    join(__dirname, 'functions', `${name}.zip`),
    // the npm package: the bundle's chunks sit in dist/chunks, the zips in dist/functions
    join(__dirname, '..', 'functions', `${name}.zip`),
    join(__dirname, '..', '..', '..', 'dist', 'functions', `${name}.zip`),
  ].filter(Boolean);
  const path = candidates.find((p) => existsSync(p));
  if (!path) return undefined;
  // a rebuilt zip is read again
  const st = statSync(path);
  const key = `${path}:${st.size}:${st.mtimeMs}`;
  let bundle = cache.get(key);
  if (!bundle) {
    const zip = readFileSync(path);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    bundle = { zip, sha256, short: sha256.slice(0, 16) };
    cache.set(key, bundle);
  }
  return bundle;
}

export function requireFunctionBundle(name: string): FunctionBundle {
  const b = functionBundle(name);
  if (!b) throw new Error(`the ${name} function's code (dist/functions/${name}.zip) is missing: run \`npm run build\` (or set LZ_FUNCTIONS_DIR)`);
  return b;
}
