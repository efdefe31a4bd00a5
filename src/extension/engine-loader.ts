import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Engine from './engine';
import type * as EngineProfile from './engine-profile';

export type { Engine };

/*
 * The engine is an ES module build split in chunks (dist/engine/, esbuild.mjs), loaded on first
 * use with a dynamic import(), which Node runs from this CommonJS bundle: the extension host
 * loads extensions as CommonJS, and only an ES module build can be split so that a command loads
 * what it needs. The URL is computed, so esbuild leaves the import() alone and the engine never
 * enters dist/extension.js. Node's module cache makes a second load free, and the chunks the
 * entries share are loaded once.
 */
function load<T>(entry: string): Promise<T> {
  return import(pathToFileURL(join(__dirname, 'engine', entry)).href) as Promise<T>;
}

/** The whole engine: what a drift, plan, apply, rotation or restore needs. */
export function loadEngine(): Promise<typeof Engine> {
  return load<typeof Engine>('engine.mjs');
}

/** Profiles and the config file only: what every cloud command needs first, without the SDK. */
export function loadProfiles(): Promise<typeof EngineProfile> {
  return load<typeof EngineProfile>('engine-profile.mjs');
}
