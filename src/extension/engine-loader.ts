import { join } from 'node:path';
import type * as Engine from './engine';

export type { Engine };

/**
 * Loads dist/engine.js on first use. The path is computed on purpose: esbuild leaves this require
 * alone, so the engine never enters dist/extension.js (Node's module cache makes the second call free).
 */
export function loadEngine(): Promise<typeof Engine> {
  return new Promise((resolve, reject) => {
    try {
      resolve(require(join(__dirname, 'engine.js')) as typeof Engine);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
