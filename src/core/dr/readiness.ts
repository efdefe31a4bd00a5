import type { SourceDocument } from '../document';
import { sortIssues, type Issue } from '../issues';
import type { LandingZoneModel } from '../model';
import { isProduction, type RuleInfo } from '../rules/rule';
import { durationSeconds, ZONES_BY_REGION } from '../schema';
import type { VeleroSchedule } from './velero';

/*
 * Disaster-recovery readiness: what the file's DR plan asks for, checked against facts read from
 * the account (src/scaleway/operations/dr-facts.ts gathers them with read-only clients). Pure, so
 * the same scoring runs in the CLI, the editor and `npm start`.
 */

/** What the account says, keyed by `project/name`. An `error` means the fact could not be read. */
export interface DrFacts {
  databases: Record<string, {
    found: boolean;
    region?: string;
    backupsEnabled?: boolean;
    frequencyHours?: number;
    retentionDays?: number;
    sameRegion?: boolean;
    /** Newest backup whose status is ready. */
    latestGoodBackupAt?: string;
    /** Regions in which a ready backup of this database exists. */
    backupRegions?: string[];
    /** When the instance was created, and when its schedule runs next (Scaleway's first run is a frequency after creation). */
    createdAt?: string;
    nextBackupAt?: string;
    error?: string;
  }>;
  clusters: Record<string, {
    found: boolean;
    /** `Available` when Velero runs in the cluster, else why not (missing, deployment unavailable, storage location Unavailable). */
    velero?: string;
    schedules?: VeleroSchedule[];
    latestCompletedBackupAt?: string;
    error?: string;
  }>;
  buckets: Record<string, {
    found: boolean;
    versioning?: string;
    objectLock?: boolean;
    error?: string;
  }>;
  backupCopy?: {
    functionFound: boolean;
    cronFound: boolean;
    cronSchedule?: string;
    /** The function's status (`ready`, `created` without code, `error` after a failed build …). */
    status?: string;
    /** What it runs: `current`, `outdated`, `not deployed`, `build error`, `deploying`. */
    code?: string;
    runtime?: string;
    buildError?: string;
    /** The namespace has SCW_ACCESS_KEY and SCW_SECRET_KEY secret variables. */
    credentials?: boolean;
    /** The DR bucket, as `name (region)`. */
    target?: string;
    /** When the newest copy landed in the DR bucket (the manifest's finishedAt, else the newest object). */
    newestCopyAt?: string;
    lastRunStatus?: 'ok' | 'partial' | 'failed';
    lastRunErrors?: string[];
    /** The DR bucket could not be read (or does not exist). */
    copyError?: string;
    error?: string;
  };
}

export interface ReadinessCheck {
  id: string;
  project: string;
  ok: boolean;
  message: string;
  /** Where the file declares what the check is about. */
  path: (string | number)[];
}

export interface ProjectReadiness {
  project: string;
  /** 0–100: the share of passed checks. */
  score: number;
  checks: ReadinessCheck[];
}

export interface DrReadiness {
  score: number;
  projects: ProjectReadiness[];
  /** The failed checks, in file order per project. */
  findings: ReadinessCheck[];
}

const DEFAULT_RPO_SECONDS = 24 * 3600;

/** Projects the DR plan covers: those with databases or backed-up clusters, plus the bucket's and copy's projects. */
export function drProjects(model: LandingZoneModel): string[] {
  const dr = model.spec.disasterRecovery;
  const names = new Set<string>();
  for (const [name, p] of Object.entries(model.spec.projects)) {
    if (Object.keys(p.databases ?? {}).length > 0) names.add(name);
  }
  for (const c of veleroClusters(model)) names.add(c.split('/')[0]!);
  if (dr?.velero) names.add(dr.velero.bucket.split('/')[0]!);
  if (dr?.backupCopy) names.add(dr.backupCopy.project);
  return Object.keys(model.spec.projects).filter((n) => names.has(n));
}

/** Clusters Velero backs up: the declared list, else every cluster of an environment project. */
export function veleroClusters(model: LandingZoneModel): string[] {
  const v = model.spec.disasterRecovery?.velero;
  if (!v) return [];
  if (v.clusters) return v.clusters;
  return Object.entries(model.spec.projects)
    .filter(([, p]) => p.role === 'environment')
    .flatMap(([name, p]) => Object.keys(p.clusters ?? {}).map((c) => `${name}/${c}`));
}

export function drReadiness(model: LandingZoneModel, facts: DrFacts, now: Date): DrReadiness {
  const spec = model.spec;
  const dr = spec.disasterRecovery;
  const rpo = dr?.objectives ? durationSeconds(dr.objectives.rpo) ?? DEFAULT_RPO_SECONDS : DEFAULT_RPO_SECONDS;
  const rpoText = dr?.objectives?.rpo ?? '24h (no objectives.rpo declared)';
  const checks: ReadinessCheck[] = [];
  const add = (project: string, id: string, ok: boolean, message: string, path: (string | number)[]) => checks.push({ project, id, ok, message, path });
  const age = (iso: string | undefined) => (iso ? (now.getTime() - Date.parse(iso)) / 1000 : Infinity);
  const ago = (iso: string | undefined) => (iso ? `${Math.round(age(iso) / 360) / 10}h ago` : 'never');
  const velero = new Set(veleroClusters(model));

  for (const project of drProjects(model)) {
    const p = spec.projects[project]!;
    const placement = model.placement[project]!;
    for (const [name, db] of Object.entries(p.databases ?? {})) {
      const ref = `${project}/${name}`;
      const path = ['projects', project, 'databases', name, 'backups'];
      const f = facts.databases[ref];
      if (!f || !f.found) {
        add(project, 'db-found', false, `database ${ref}: ${f?.error ?? 'not found in the account'}`, ['projects', project, 'databases', name]);
        continue;
      }
      const retentionOk = f.backupsEnabled === true && (f.retentionDays ?? 0) >= db.backups.retentionDays;
      add(project, 'db-backups-on', retentionOk,
        f.backupsEnabled
          ? `database ${ref}: automatic backups on, kept ${f.retentionDays ?? '?'} days${retentionOk ? '' : ` (the file asks for ${db.backups.retentionDays})`}`
          : `database ${ref}: automatic backups are off; the file asks for every ${db.backups.everyHours}h kept ${db.backups.retentionDays} days`,
        path);
      // a new instance has no backup until its schedule first runs: it has lost nothing older than its age
      const notYetDue = !f.latestGoodBackupAt && f.backupsEnabled === true && age(f.createdAt) <= rpo;
      add(project, 'db-backup-fresh', age(f.latestGoodBackupAt) <= rpo || notYetDue,
        notYetDue
          ? `database ${ref}: no backup yet — created ${ago(f.createdAt)}, first automatic backup due ${f.nextBackupAt ?? 'at the next scheduled run'} (RPO ${rpoText})`
          : `database ${ref}: last good backup ${ago(f.latestGoodBackupAt)} (RPO ${rpoText})`, path);
      const otherRegion = (f.backupRegions ?? []).some((r) => r !== (f.region ?? placement.region)) || f.sameRegion === false;
      // the policy (db-backup-region) asks it of production only: a non-production database whose
      // file says sameRegion: true is as declared, and the check says so rather than failing
      const accepted = !otherRegion && db.backups.sameRegion === true && !isProduction(project, p);
      add(project, 'db-backup-other-region', otherRegion || accepted,
        otherRegion ? `database ${ref}: backups are stored outside ${f.region ?? placement.region}`
          : accepted ? `database ${ref}: backups stay in ${f.region ?? placement.region}, as declared (sameRegion: true; not production, so a region failure may lose them)`
            : `database ${ref}: every backup is in ${f.region ?? placement.region}; a region failure loses them — set backups.sameRegion: false`,
        [...path, 'sameRegion']);
    }
    for (const [cname] of Object.entries(p.clusters ?? {})) {
      const ref = `${project}/${cname}`;
      if (!velero.has(ref)) continue;
      const f = facts.clusters[ref];
      const path = ['disasterRecovery', 'velero'];
      if (!f || !f.found) {
        add(project, 'velero-schedule', false, `cluster ${ref}: ${f?.error ?? 'not found in the account'}`, ['projects', project, 'clusters', cname]);
        continue;
      }
      if (f.velero !== undefined) {
        add(project, 'velero-running', f.velero === 'Available', `cluster ${ref}: ${f.velero === 'Available' ? 'Velero runs, its backup storage location is Available' : f.velero}`, path);
      }
      const active = (f.schedules ?? []).filter((s) => !s.paused);
      const declared = spec.disasterRecovery!.velero!.schedule;
      const matching = active.some((s) => s.schedule.trim().split(/\s+/).join(' ') === declared.trim().split(/\s+/).join(' '));
      add(project, 'velero-schedule', matching,
        matching ? `cluster ${ref}: Velero schedule ${active.map((s) => `${s.name} (${s.schedule})`).join(', ')}`
          : active.length > 0 ? `cluster ${ref}: Velero schedule ${active.map((s) => `${s.name} "${s.schedule}"`).join(', ')} is not the file's "${declared}"`
            : `cluster ${ref}: no active Velero schedule; the file asks for "${declared}"`, [...path, 'schedule']);
      add(project, 'velero-backup-fresh', age(f.latestCompletedBackupAt) <= rpo,
        `cluster ${ref}: last completed Velero backup ${ago(f.latestCompletedBackupAt)} (RPO ${rpoText})`, path);
    }
    for (const [bname] of Object.entries(p.buckets ?? {})) {
      const ref = `${project}/${bname}`;
      if (dr?.velero?.bucket !== ref) continue;
      const f = facts.buckets[ref];
      const path = ['projects', project, 'buckets', bname];
      if (!f || !f.found) {
        add(project, 'bucket-versioning', false, `bucket ${ref}: ${f?.error ?? 'not found in Object Storage'}`, path);
        continue;
      }
      add(project, 'bucket-versioning', f.versioning === 'Enabled', `bucket ${ref}: versioning ${f.versioning || 'never enabled'}`, [...path, 'versioning']);
      add(project, 'bucket-object-lock', f.objectLock === true,
        f.objectLock ? `bucket ${ref}: object lock enabled` : `bucket ${ref}: no object lock; backups can be deleted or overwritten`, [...path, 'objectLock']);
    }
    if (dr?.backupCopy?.project === project) {
      const f = facts.backupCopy;
      const path = ['disasterRecovery', 'backupCopy'];
      // on Scaleway only a function with deployed code is ready (without code it stays created)
      const deployed = f?.functionFound === true && f.status === 'ready';
      const fnOk = deployed && f?.credentials !== false;
      add(project, 'backup-copy-function', fnOk, `backup copy: ${copyFunctionText(project, f)}`, path);
      add(project, 'backup-copy-cron', f?.cronFound === true && (!f.cronSchedule || f.cronSchedule === dr.backupCopy.schedule),
        f?.cronFound ? `backup copy: cron "${f.cronSchedule ?? '?'}"${f.cronSchedule && f.cronSchedule !== dr.backupCopy.schedule ? ` (the file says "${dr.backupCopy.schedule}")` : ''}`
          : 'backup copy: no cron triggers the copy function', [...path, 'schedule']);
      // a copy that never ran is a finding: only a copy that landed, recently and whole, counts
      const landed = f?.newestCopyAt;
      const freshOk = landed !== undefined && age(landed) <= rpo && f?.lastRunStatus !== 'failed' && f?.lastRunStatus !== 'partial' && !f?.copyError;
      const where = f?.target ? ` in ${f.target}` : ` in ${dr.backupCopy.toRegion}`;
      add(project, 'backup-copy-fresh', freshOk,
        f?.copyError ? `backup copy: ${f.copyError}`
          : !landed ? `backup copy: no copy has landed${where} yet (RPO ${rpoText})`
            : `backup copy: newest copy${where} ${ago(landed)} (RPO ${rpoText})${f?.lastRunStatus && f.lastRunStatus !== 'ok' ? `; the last run was ${f.lastRunStatus}${f.lastRunErrors?.length ? `: ${f.lastRunErrors.join('; ')}` : ''}` : ''}`,
        [...path, 'schedule']);
    }
    if (p.role === 'environment') {
      const zf = dr?.zoneFailure?.fallbackZone;
      const zoneOk = zf !== undefined && zf !== placement.zone && (ZONES_BY_REGION[placement.region] ?? []).includes(zf);
      add(project, 'fallback-zone', zoneOk,
        zf === undefined ? 'no disasterRecovery.zoneFailure.fallbackZone declared'
          : zoneOk ? `fallback zone ${zf}` : `fallback zone ${zf} must be another zone of ${placement.region} than ${placement.zone}`,
        zf === undefined ? ['disasterRecovery'] : ['disasterRecovery', 'zoneFailure', 'fallbackZone']);
      const rf = dr?.regionFailure?.fallbackRegion;
      const regionOk = rf !== undefined && rf !== placement.region;
      add(project, 'fallback-region', regionOk,
        rf === undefined ? 'no disasterRecovery.regionFailure.fallbackRegion declared'
          : regionOk ? `fallback region ${rf}` : `fallback region ${rf} is the project's own region`,
        rf === undefined ? ['disasterRecovery'] : ['disasterRecovery', 'regionFailure', 'fallbackRegion']);
    }
  }
  const projects = [...new Set(checks.map((c) => c.project))].map((project) => {
    const mine = checks.filter((c) => c.project === project);
    return { project, score: scoreOf(mine), checks: mine };
  });
  return { score: scoreOf(checks), projects, findings: checks.filter((c) => !c.ok) };
}

function copyFunctionText(project: string, f: DrFacts['backupCopy']): string {
  if (!f?.functionFound) return f?.error ?? `no copy function in ${project}`;
  if (f.status === 'error' || f.code === 'build error') return `the function's build failed: ${f.buildError ?? 'no message'}`;
  if (f.code === 'not deployed') return `the function has no code (status ${f.status ?? '?'}); landing-zone apply uploads and deploys it`;
  if (f.status !== 'ready') return `the function is ${f.status ?? 'in an unknown state'}, not ready`;
  if (f.credentials === false) return 'the function is ready but its namespace has no SCW_ACCESS_KEY/SCW_SECRET_KEY secret variables: set disasterRecovery.backupCopy.application and apply';
  return `function ready in ${project}${f.runtime ? ` (${f.runtime})` : ''}${f.code === 'outdated' ? ', running other code than this version\'s build (apply redeploys it)' : ''}`;
}

function scoreOf(checks: ReadinessCheck[]): number {
  return checks.length === 0 ? 0 : Math.round((100 * checks.filter((c) => c.ok).length) / checks.length);
}

/** The readiness checks, described like validation rules (SARIF metadata, docs). */
export const DR_CHECKS: readonly RuleInfo[] = [
  { id: 'dr-db-found', why: 'A database the DR plan covers must exist to be backed up.', fix: 'Create it with landing-zone apply.' },
  { id: 'dr-db-backups-on', why: 'Automatic backups are the database\'s recovery point.', fix: 'Turn automatic backups on with at least backups.retentionDays of retention.' },
  { id: 'dr-db-backup-fresh', why: 'The newest good backup bounds the data a restore loses (RPO).', fix: 'Check the backup schedule and its last runs; back up more often than the RPO.' },
  { id: 'dr-db-backup-other-region', why: 'Backups kept only in the instance\'s region die with the region.', fix: 'Set backups.sameRegion: false or copy backups to the fallback region.' },
  { id: 'dr-velero-running', why: 'Backups and restores happen only while Velero runs in the cluster and can reach its bucket.', fix: 'Run landing-zone apply: it installs Velero (CRDs, server, storage location, S3 key from the vault) and waits until it is Available.' },
  { id: 'dr-velero-schedule', why: 'Velero backs clusters up only on a schedule.', fix: 'Create the Velero Schedule with disasterRecovery.velero.schedule.' },
  { id: 'dr-velero-backup-fresh', why: 'A cluster restore starts from the newest completed Velero backup.', fix: 'Check the Velero schedule and the backup storage location.' },
  { id: 'dr-bucket-versioning', why: 'Versioning keeps overwritten or deleted backups recoverable.', fix: 'Enable versioning on the Velero bucket.' },
  { id: 'dr-bucket-object-lock', why: 'Object lock stops backups from being deleted, by mistake or by an attacker.', fix: 'Recreate the bucket with object lock (it cannot be added later).' },
  { id: 'dr-backup-copy-function', why: 'The copy function puts backups in another region.', fix: 'Run landing-zone apply: it uploads, deploys and configures the backup-copy function in the disasterRecovery.backupCopy project.' },
  { id: 'dr-backup-copy-fresh', why: 'After a region failure, the newest copy in the DR region is what a restore starts from.', fix: 'Check the copy function\'s logs and its last manifest (manifest/latest.json in the DR bucket); copy at least once per RPO.' },
  { id: 'dr-backup-copy-cron', why: 'The copy runs only when its cron triggers it.', fix: 'Add a cron with disasterRecovery.backupCopy.schedule to the backup-copy function.' },
  { id: 'dr-fallback-zone', why: 'A zone restore needs another zone of the region.', fix: 'Declare disasterRecovery.zoneFailure.fallbackZone in the project\'s region.' },
  { id: 'dr-fallback-region', why: 'A region restore needs another region.', fix: 'Declare disasterRecovery.regionFailure.fallbackRegion.' },
].map((r) => ({ ...r, layer: 'policy' as const, severity: 'error' as const }));

/** The failed checks as issues with ranges, for the shared text, JSON and SARIF formatters. */
export function readinessIssues(r: DrReadiness, source: SourceDocument): Issue[] {
  return sortIssues(r.findings.map((f) => ({
    ruleId: `dr-${f.id}`, severity: 'error' as const, message: f.message, range: source.rangeOf(f.path), path: f.path,
  })));
}
