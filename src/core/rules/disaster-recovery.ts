import type { Issue } from '../issues';
import { durationSeconds, REGIONS } from '../schema';
import { parseCron, longestGapSeconds } from './cron';
import { replaceValue, setKey } from './edits';
import { entriesOf, finding, isProduction, keyAt, valueAt, written, type ModelRule } from './rule';

const cronInvalid: ModelRule = {
  id: 'cron-invalid',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'A schedule that cannot be read, or never runs, means no backups.',
  fix: 'Write five cron fields: minute (0–59) hour (0–23) day-of-month (1–31) month (1–12) day-of-week (0–7), e.g. "0 */6 * * *".',
  check({ model, source }) {
    const out: Issue[] = [];
    const dr = model.spec.disasterRecovery;
    const schedules: [string | undefined, string[]][] = [
      [dr?.velero?.schedule, ['disasterRecovery', 'velero', 'schedule']],
      [dr?.backupCopy?.schedule, ['disasterRecovery', 'backupCopy', 'schedule']],
    ];
    for (const [text, path] of schedules) {
      if (text === undefined) continue;
      const parsed = parseCron(text);
      if (!parsed.ok) out.push(finding(cronInvalid, valueAt(source, path), `Invalid cron schedule "${text}": ${parsed.problem}.`));
      else if (longestGapSeconds(parsed.schedule) === undefined) out.push(finding(cronInvalid, valueAt(source, path), `Cron schedule "${text}" never runs (no such date).`));
    }
    return out;
  },
};

/** Production data must survive the loss of its region: its backups are stored elsewhere. */
const dbBackupRegion: ModelRule = {
  id: 'db-backup-region',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Production databases keep their backups in another region, so a region failure does not take the backups with it.',
  fix: 'Set backups.sameRegion: false on production databases.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      if (!isProduction(pname, p)) continue;
      for (const [dname, d] of Object.entries(p.databases ?? {})) {
        if (!d.backups.sameRegion) continue;
        const bpath = ['projects', pname, 'databases', dname, 'backups'];
        const at = written(source, [...bpath, 'sameRegion']) ? valueAt(source, [...bpath, 'sameRegion']) : keyAt(source, bpath);
        out.push(finding(dbBackupRegion, at, `Production database ${pname}/${dname} keeps its backups in its own region; a region failure would lose both.`,
          { title: 'Set sameRegion: false', edits: setKey(source, bpath, 'sameRegion', 'false') }));
      }
    }
    return out;
  },
};

const drFallbackRegion: ModelRule = {
  id: 'dr-fallback-region',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'A region failure is survived in another region: the fallback region and the backup copies must not be in the primary one.',
  fix: 'Set regionFailure.fallbackRegion and backupCopy.toRegion to a region other than defaults.region (the same one for both).',
  check({ model, source }) {
    const out: Issue[] = [];
    const primary = model.spec.defaults.region;
    const dr = model.spec.disasterRecovery;
    const other = dr?.backupCopy && dr.backupCopy.toRegion !== primary ? dr.backupCopy.toRegion : REGIONS.find((r) => r !== primary)!;
    const fallback = dr?.regionFailure?.fallbackRegion;
    if (fallback === primary) {
      const path = ['disasterRecovery', 'regionFailure', 'fallbackRegion'];
      out.push(finding(drFallbackRegion, valueAt(source, path), `regionFailure.fallbackRegion is the primary region ${primary}; a region failure would take the fallback down too.`,
        { title: `Change to ${other}`, edits: replaceValue(source, path, other) }));
    }
    const copyTo = dr?.backupCopy?.toRegion;
    if (copyTo === primary) {
      const path = ['disasterRecovery', 'backupCopy', 'toRegion'];
      const target = fallback && fallback !== primary ? fallback : REGIONS.find((r) => r !== primary)!;
      out.push(finding(drFallbackRegion, valueAt(source, path), `backupCopy.toRegion is the primary region ${primary}; the copies must survive a region failure.`,
        { title: `Change to ${target}`, edits: replaceValue(source, path, target) }));
    } else if (copyTo && fallback && fallback !== primary && copyTo !== fallback) {
      const path = ['disasterRecovery', 'backupCopy', 'toRegion'];
      out.push(finding(drFallbackRegion, valueAt(source, path), `Backups are copied to ${copyTo} but the region-failure plan restores in ${fallback}; copy them where you restore.`,
        { title: `Change to ${fallback}`, edits: replaceValue(source, path, fallback) }, 'warning'));
    }
    return out;
  },
};

/** Largest divisor of `of` that is at most `limit` (so a schedule stays evenly spaced). */
function divisorAtMost(of: number, limit: number): number {
  for (let d = Math.max(1, Math.min(of, Math.floor(limit))); d > 1; d--) if (of % d === 0) return d;
  return 1;
}

function human(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${Math.round(seconds / 60)}m`;
}

/** Data since the last backup is what a restore loses: backups must run at least once per RPO. */
const backupRpo: ModelRule = {
  id: 'backup-rpo',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'A restore loses what changed since the last backup: production backups run at least as often as the recovery point objective.',
  fix: 'Back up production databases every RPO hours or more often, and schedule Velero at least once per RPO.',
  check({ model, source }) {
    const dr = model.spec.disasterRecovery;
    const rpo = dr?.objectives ? durationSeconds(dr.objectives.rpo) : undefined;
    if (!rpo) return [];
    const out: Issue[] = [];
    const rpoText = dr!.objectives!.rpo;
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      if (!isProduction(pname, p)) continue;
      for (const [dname, d] of Object.entries(p.databases ?? {})) {
        if (d.backups.everyHours * 3600 <= rpo) continue;
        const path = ['projects', pname, 'databases', dname, 'backups', 'everyHours'];
        const target = Math.max(1, Math.floor(rpo / 3600));
        out.push(finding(backupRpo, valueAt(source, path),
          `Production database ${pname}/${dname} is backed up every ${d.backups.everyHours}h, less often than the RPO of ${rpoText}${rpo < 3600 ? ' (automatic backups run at most hourly: consider a replica in another zone)' : ''}.`,
          { title: `Set everyHours: ${target}`, edits: replaceValue(source, path, String(target)) }));
      }
    }
    const schedule = dr?.velero?.schedule;
    const parsed = schedule ? parseCron(schedule) : undefined;
    const gap = parsed?.ok ? longestGapSeconds(parsed.schedule) : undefined;
    if (schedule && gap !== undefined && gap > rpo) {
      const path = ['disasterRecovery', 'velero', 'schedule'];
      const suggestion = rpo >= 3600 ? `0 */${divisorAtMost(24, rpo / 3600)} * * *` : `*/${divisorAtMost(60, rpo / 60)} * * * *`;
      out.push(finding(backupRpo, valueAt(source, path),
        `Velero runs "${schedule}", up to ${human(gap)} apart, longer than the RPO of ${rpoText}.`,
        { title: `Change to "${suggestion}"`, edits: replaceValue(source, path, `"${suggestion}"`) }));
    }
    return out;
  },
};

export const disasterRecoveryRules: ModelRule[] = [cronInvalid, dbBackupRegion, drFallbackRegion, backupRpo];
