import { driftStates, type DriftReport } from '../core/drift';
import type { LiveSummary } from '../core/language/describe';
import type { DriftSnapshot } from './cloud-state';

/*
 * What the status bar says about the last drift run, without vscode so that plain `node --test`
 * holds it to the rule: "in sync" only when every kind was read and nothing differs.
 */

/** The status bar's drift part (after the profile), with codicons; empty before the first run. */
export function driftStatusText(d: DriftSnapshot | undefined): string {
  if (d === undefined) return '';
  const drifted = d.counts.changed + d.counts.missing + d.counts.unmanaged;
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

/**
 * The drift report as the explorer, status bar and hovers want it (no secret values are in a
 * report), in core's words: a resource's state is its entry's status, the counts are the summary's.
 */
export function driftSnapshot(report: DriftReport, uri: string): DriftSnapshot {
  const resources = new Map<string, LiveSummary>();
  for (const e of report.entries) {
    const details = [
      ...(e.changes ?? []).map((c) => `${c.field}: declared ${JSON.stringify(c.declared)}, live ${JSON.stringify(c.live)}`),
      ...(e.ignored ?? []).map((c) => `${c.field} differs (ignored: ${c.reason})`),
      ...(e.reason ? [e.reason] : []),
      ...(e.matchedBy === 'name' ? ['matched by name (no lz:id tag)'] : []),
    ];
    resources.set(e.id, { state: e.status, details, checkedAt: report.readAt });
  }
  const s = report.summary;
  return {
    checkedAt: report.readAt, uri, resources,
    counts: { 'in-sync': s.inSync, changed: s.changed, missing: s.missing, unmanaged: s.unmanaged, 'not-checked': s.notChecked },
    verdict: report.verdict, notRead: [...new Set(report.notChecked.map((n) => n.kind))], coverage: s.coverage,
    states: driftStates(report),
  };
}
