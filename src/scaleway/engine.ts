import { computeDrift, matchChecked, type DriftReport, type Matching } from '../core/drift';
import type { Issue } from '../core/issues';
import type { ResourceKind } from '../core/model';
import { catalogIssues, catalogNeeds } from '../core/rules/catalog';
import { buildPlan, type Plan } from '../core/plan';
import type { Inventory } from '../core/state';
import { dirname, join } from 'node:path';
import { executePlan, type ApplyEvent, type ApplyResult } from './apply';
import { connectionBudget, readOnlyClients, writeClients, type ClientOptions } from './client';
import { Journal, JOURNAL_PATH } from './journal';
import { acquireOrganizationLock, type LockHolder, type OrganizationLock } from './operations/lock';
import { readInventory } from './inventory';
import { readLiveCatalog } from './readers/catalog';
import type { Session } from './session';

/*
 * The paths every surface shares (CLI, extension, CI): read the account through the read-only
 * clients, then compare or plan; and apply, under the organisation's lock, with its journal. The
 * defaults live here so that the CLI and the editor cannot drift apart.
 */

/**
 * Operations in flight during an apply. An operation in flight mostly waits for a state (one list
 * request per poll for all of a kind and place), and what bounds the requests is the HTTP layer's
 * connection budget (client.ts connectionBudget), not this. With Scaleway's recorded provisioning
 * times (a pool or a database about 200 s) a limit of 64 made a 50-project apply's 240 pools and
 * databases wait in four waves of 64, about four times its critical path: operations that only
 * wait must not hold back the ones behind them.
 */
export const APPLY_CONCURRENCY = 512;

/** Takes the organisation's lock for a write operation (apply, rotation, restore) of this session's file. */
export function lockOrganization(session: Session, command: string, o: { timeoutMs?: number; surface?: 'cli' | 'vscode'; signal?: AbortSignal; onWait?(h: LockHolder): void; onTakeover?(h: LockHolder): void } = {}): Promise<OrganizationLock> {
  return acquireOrganizationLock({ dir: dirname(session.file), organizationId: session.profile.organizationId, command, ...o });
}

/**
 * Carries out a plan computed by readPlan for this session, journalled next to the file, with the
 * matching the plan was built from. The caller holds the organisation's lock (taken before the
 * plan was read).
 */
export async function applyPlan(session: Session, planned: { plan: Plan; inventory: Inventory; matching: Matching }, o: { clientOptions?: ClientOptions; concurrency?: number; signal?: AbortSignal; onEvent?(e: ApplyEvent): void } = {}): Promise<ApplyResult> {
  const journal = new Journal(join(dirname(session.file), JOURNAL_PATH));
  try {
    return await executePlan({
      plan: planned.plan, desired: session.desired, inventory: planned.inventory, matching: planned.matching, clients: writeClients(session.profile, { concurrency: connectionBudget(planned.plan.operations), ...o.clientOptions }), journal,
      concurrency: o.concurrency ?? APPLY_CONCURRENCY, signal: o.signal, onEvent: o.onEvent,
    });
  } finally {
    journal.close();
  }
}

/** Reads the account and compares it with the session's file. */
export async function readDrift(session: Session, options: ClientOptions = {}, driftOptions: { acceptNotChecked?: readonly ResourceKind[] } = {}): Promise<{ report: DriftReport; inventory: Inventory }> {
  const inventory = await readInventory(readOnlyClients(session.profile, options), { organizationId: session.profile.organizationId, regions: session.regions, declared: session.desired });
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
export async function readPlan(session: Session, options: ClientOptions = {}, planOptions: { adopt?: boolean; now?: Date } = {}): Promise<{ plan: Plan; inventory: Inventory; matching: Matching; catalog: CatalogCheck }> {
  const clients = readOnlyClients(session.profile, options);
  const now = planOptions.now ?? new Date();
  const [inventory, live] = await Promise.all([
    readInventory(clients, { organizationId: session.profile.organizationId, regions: session.regions, declared: session.desired }),
    readLiveCatalog(clients, catalogNeeds(session.model.spec), now.toISOString().slice(0, 10)),
  ]);
  // matched once: the plan's report, its steps and the apply that carries it out share this
  const matching = matchChecked(session.desired, inventory);
  const plan = buildPlan(session.desired, inventory, { ignores: session.model.spec.drift?.ignore ?? [], adopt: planOptions.adopt, matching });
  return { plan, inventory, matching, catalog: { issues: catalogIssues(session.model, session.validation.source, live.catalog, now), unread: live.unread } };
}
