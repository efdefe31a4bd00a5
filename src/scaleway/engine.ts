import { computeDrift, type DriftReport } from '../core/drift';
import type { Issue } from '../core/issues';
import type { ResourceKind } from '../core/model';
import { catalogIssues, catalogNeeds } from '../core/rules/catalog';
import { buildPlan, type Plan } from '../core/plan';
import type { Inventory } from '../core/state';
import { readOnlyClients, type ClientOptions } from './client';
import { readInventory } from './inventory';
import { readLiveCatalog } from './readers/catalog';
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

/** What the account's live catalogs say about the file: values it does not offer, and catalogs that could not be read. */
export interface CatalogCheck {
  /** Errors: a value the account does not offer, naming the offered ones. Plan and apply refuse. */
  issues: Issue[];
  /** Catalogs that could not be read (not checked), with the reason. */
  unread: string[];
}

/**
 * Reads the account and computes the plan that turns it into the session's file; also reads the
 * live catalogs for the regions and zones the file uses and checks the file's values against them.
 */
export async function readPlan(session: Session, options: ClientOptions = {}, planOptions: { adopt?: boolean; now?: Date } = {}): Promise<{ plan: Plan; inventory: Inventory; catalog: CatalogCheck }> {
  const clients = readOnlyClients(session.profile, options);
  const now = planOptions.now ?? new Date();
  const [inventory, live] = await Promise.all([
    readInventory(clients, { organizationId: session.profile.organizationId, regions: session.regions }),
    readLiveCatalog(clients, catalogNeeds(session.model.spec), now.toISOString().slice(0, 10)),
  ]);
  const plan = buildPlan(session.desired, inventory, { ignores: session.model.spec.drift?.ignore ?? [], adopt: planOptions.adopt });
  return { plan, inventory, catalog: { issues: catalogIssues(session.model, session.validation.source, live.catalog, now), unread: live.unread } };
}
