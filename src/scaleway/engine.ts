import { computeDrift, type DriftReport } from '../core/drift';
import type { ResourceKind } from '../core/model';
import { buildPlan, type Plan } from '../core/plan';
import type { Inventory } from '../core/state';
import { readOnlyClients, type ClientOptions } from './client';
import { readInventory } from './inventory';
import type { Session } from './session';

/*
 * The read paths every surface shares (CLI, extension, CI): read the account through the
 * read-only clients, then compare or plan. Nothing here can write.
 */

/** Reads the account and compares it with the session's file. */
export async function readDrift(session: Session, options: ClientOptions = {}, driftOptions: { acceptNotChecked?: readonly ResourceKind[] } = {}): Promise<{ report: DriftReport; inventory: Inventory }> {
  const inventory = await readInventory(readOnlyClients(session.profile, options), { organizationId: session.profile.organizationId, regions: session.regions });
  const report = computeDrift(session.desired, inventory, { ignores: session.model.spec.drift?.ignore ?? [], acceptNotChecked: driftOptions.acceptNotChecked });
  return { report, inventory };
}

/** Reads the account and computes the plan that turns it into the session's file. */
export async function readPlan(session: Session, options: ClientOptions = {}, planOptions: { adopt?: boolean } = {}): Promise<{ plan: Plan; inventory: Inventory }> {
  const inventory = await readInventory(readOnlyClients(session.profile, options), { organizationId: session.profile.organizationId, regions: session.regions });
  const plan = buildPlan(session.desired, inventory, { ignores: session.model.spec.drift?.ignore ?? [], adopt: planOptions.adopt });
  return { plan, inventory };
}
