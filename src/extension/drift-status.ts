import { driftStates, type DriftEntry, type DriftReport } from '../core/drift';
import type { LiveSummary } from '../core/language/describe';
import type { DriftSnapshot } from './session';

/*
 * What the status bar says about the last drift run, without vscode so that plain `node --test`
 * holds it to the rule: "in sync" only when every kind was read and nothing differs.
 */

/** The status bar's drift part (after the profile), with codicons; empty before the first run. */
export function driftStatusText(d: DriftSnapshot | undefined): string {
  if (d === undefined) return '';
  const drifted = (d.counts.drifted ?? 0) + (d.counts.missing ?? 0) + (d.counts.unmanaged ?? 0);
  const unread = d.notRead?.length ? ` · $(circle-slash) ${d.notRead.length} kind(s) not checked` : '';
  if (drifted) return ` · $(warning) ${drifted} to reconcile${unread}`;
  // a snapshot without a verdict (an older engine) is in sync only when nothing was left unchecked
  const inSync = d.verdict === undefined ? !d.counts['not-checked'] && !d.notRead?.length : d.verdict === 'in-sync';
  return inSync ? ' · $(pass) in sync' : unread || ' · $(circle-slash) not checked';
}

/** The tooltip lines about drift: counts, coverage, and what could not be read. */
export function driftStatusDetails(d: DriftSnapshot | undefined): string[] {
  if (d === undefined) return ['drift not checked yet'];
  return [
    `drift checked ${d.checkedAt}: ${Object.entries(d.counts).map(([k, v]) => `${v} ${k}`).join(', ')}${d.coverage !== undefined ? ` (coverage ${d.coverage}%)` : ''}`,
    ...(d.notRead?.length ? [`could not read: ${d.notRead.join(', ')} — see the Landing Zone log for why and the permission set to grant`] : []),
  ];
}

const STATE: Record<DriftEntry['status'], string> = {
  'in-sync': 'in-sync', changed: 'drifted', missing: 'missing', unmanaged: 'unmanaged', 'not-checked': 'not-checked',
};

/** The drift report as the explorer, status bar and hovers want it (no secret values are in a report). */
export function driftSnapshot(report: DriftReport, uri: string): DriftSnapshot {
  const resources = new Map<string, LiveSummary>();
  for (const e of report.entries) {
    const details = [
      ...(e.changes ?? []).map((c) => `${c.field}: declared ${JSON.stringify(c.declared)}, live ${JSON.stringify(c.live)}`),
      ...(e.ignored ?? []).map((c) => `${c.field} differs (ignored: ${c.reason})`),
      ...(e.reason ? [e.reason] : []),
      ...(e.matchedBy === 'name' ? ['matched by name (no lz:id tag)'] : []),
    ];
    resources.set(e.id, { state: STATE[e.status], details, checkedAt: report.readAt });
  }
  const s = report.summary;
  return {
    checkedAt: report.readAt, uri, resources,
    counts: { 'in-sync': s.inSync, drifted: s.changed, missing: s.missing, unmanaged: s.unmanaged, 'not-checked': s.notChecked },
    verdict: report.verdict, notRead: [...new Set(report.notChecked.map((n) => n.kind))], coverage: s.coverage,
    states: driftStates(report),
  };
}
