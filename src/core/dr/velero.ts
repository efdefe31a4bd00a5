/*
 * Velero's objects as the DR engine reasons about them: plain data, read by
 * src/scaleway/operations/velero-client.ts from a cluster's Kubernetes API.
 */

/** Phases of a velero.io/v1 Backup or Restore (Velero's own names). */
export type VeleroPhase =
  | 'New' | 'InProgress' | 'Completed' | 'PartiallyFailed' | 'Failed' | 'FailedValidation'
  | 'WaitingForPluginOperations' | 'Finalizing' | 'Deleting' | string;

export interface VeleroBackup {
  name: string;
  phase: VeleroPhase;
  scheduleName?: string;
  completedAt?: string;
}

export interface VeleroSchedule {
  name: string;
  schedule: string;
  paused: boolean;
  lastBackup?: string;
}

export interface VeleroRestore {
  name: string;
  backupName: string;
  phase: VeleroPhase;
  warnings: number;
  errors: number;
  validationErrors: string[];
  failureReason?: string;
}

/** Per-resource messages of a finished restore, as `velero restore describe --details` shows them. */
export interface VeleroResults {
  velero?: string[];
  cluster?: string[];
  namespaces?: Record<string, string[]>;
}

export const FINAL_RESTORE_PHASES: readonly string[] = ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'];

/** The newest backup that finished Completed, if any (PartiallyFailed backups are not trusted for DR). */
export function latestCompletedBackup(backups: readonly VeleroBackup[]): VeleroBackup | undefined {
  return backups
    .filter((b) => b.phase === 'Completed' && b.completedAt)
    .sort((a, b) => Date.parse(b.completedAt!) - Date.parse(a.completedAt!))[0];
}

/** One line per message: `warning namespace/apps: …`, so a PartiallyFailed restore says what failed. */
export function describeResults(results: { warnings: VeleroResults; errors: VeleroResults }): string[] {
  const lines: string[] = [];
  const add = (severity: string, r: VeleroResults) => {
    for (const m of r.velero ?? []) lines.push(`${severity} velero: ${m}`);
    for (const m of r.cluster ?? []) lines.push(`${severity} cluster: ${m}`);
    for (const [ns, list] of Object.entries(r.namespaces ?? {})) for (const m of list) lines.push(`${severity} namespace/${ns}: ${m}`);
  };
  add('error', results.errors);
  add('warning', results.warnings);
  return lines;
}
