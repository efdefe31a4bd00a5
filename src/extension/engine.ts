/*
 * Everything the cloud commands load on first use, built on its own (dist/engine/engine.mjs, an
 * ES module split with engine-profile.ts): the SDK, the inventory readers, plan/apply, rotations,
 * restores; the sandbox is a chunk that only Start Sandbox loads. dist/extension.js stays small,
 * so activation parses only the editor's code (see engine-loader.ts).
 */
export { importLandingZone } from '../core/import';
export { readOnlyClients, writeClients } from '../scaleway/client';
export { readInventory } from '../scaleway/inventory';
export { DEFAULT_READ_REGIONS, openSession } from '../scaleway/session';
export { applyPlan, lockOrganization, readDrift, readPlan } from '../scaleway/engine';
export { describeHolder } from '../scaleway/operations/lock';
export { rotateSecret } from '../scaleway/operations/rotate-secret';
export { rotateKey } from '../scaleway/operations/rotate-key';
export { rotateApiKey } from '../scaleway/operations/rotate-api-key';
export { interruptedRuns, JournalStore } from '../scaleway/journal';
export { mustFindSecret, projectIdByName } from '../scaleway/operations/lookup';
import type { Sandbox, SandboxOptions } from '../sandbox/server';

/** The local sandbox, in a chunk of its own: only Start Sandbox loads it. */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  return (await import('../sandbox/server')).startSandbox(options);
}
