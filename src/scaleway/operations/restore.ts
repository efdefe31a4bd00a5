import { randomBytes } from 'node:crypto';
import { restorePlan, type RestoreKind, type RestoreOptions, type RestorePlan, type RunbookStep } from '../../core/dr/runbook';
import { newestPatch } from '../../core/catalog';
import { describeVeleroSource } from '../../core/dr/runbook';
import { describeResults, FINAL_RESTORE_PHASES, latestCompletedBackup } from '../../core/dr/velero';
import { repinSecretVersion, setKey } from '../../core/secrets/file-edit';
import { isStepDone, markStep, newJournal, runMarker, type OperationJournal } from '../../core/secrets/journal';
import type { LandingZoneModel } from '../../core/model';
import type { ScalewayClients } from '../client';
import { withWriteGuard, type WriteGuard } from '../http';
import { checkCancelled, OperationError, waitFor, type OperationContext } from './context';
import { veleroOf } from './dr-facts';
import type { JournalStore } from '../journal';
import { findSecret, projectIdByName } from './lookup';
import { runId, type FilePort } from './rotate-secret';

/*
 * Executes a restore runbook (src/core/dr/runbook.ts) step by step. Each step is idempotent:
 * what it creates carries the run's tag (`lz-run=<id>`) and is looked up before being created,
 * and its ids go to the journal, so a re-run after a crash, a fault or Ctrl-C picks up where the
 * last one stopped. Source resources are only read: the replacement is a new instance, a new (or
 * the still-ready) cluster, a new secret version.
 */

export interface RestoreInput {
  model: LandingZoneModel;
  kind: RestoreKind;
  project: string;
  options: RestoreOptions;
  file: FilePort;
  journals: JournalStore;
  dryRun: boolean;
}

export interface RestoreOutcome {
  plan: RestorePlan;
  journal?: OperationJournal;
  /** Report lines for stdout. */
  lines: string[];
  /** A Velero restore ended PartiallyFailed: the run finished, with warnings. */
  partial: boolean;
}

const kindOf = (k: RestoreKind): 'restore-zone' | 'restore-region' => (k === 'zone' ? 'restore-zone' : 'restore-region');

export async function runRestore(ctx: OperationContext, input: RestoreInput): Promise<RestoreOutcome> {
  const planned = restorePlan(input.model, input.kind, input.project, input.options);
  if (!planned.ok) throw new OperationError(planned.problem);
  const plan = planned.plan;
  if (input.dryRun) return { plan, lines: dryRunLines(plan), partial: false };

  const c = ctx.write;
  if (!c) throw new OperationError('a restore needs write access');
  let journal = await input.journals.load(kindOf(plan.kind), plan.project);
  if (journal && journal.status !== 'done') {
    const same = journal.outputs.targetRegion === plan.targetRegion && journal.outputs.targetZone === plan.targetZone;
    if (!same) {
      throw new OperationError(`a ${plan.kind} restore of ${plan.project} to ${String(plan.kind === 'zone' ? journal.outputs.targetZone : journal.outputs.targetRegion)} is in progress (run ${journal.id} in ${input.journals.path}); finish it with the same options, or give it up with \`landing-zone restore ${plan.kind} --project ${plan.project} --abandon\` to start over`);
    }
    ctx.progress(`${plan.project}: resuming ${plan.kind} restore ${journal.id} (started ${journal.startedAt})`);
  } else {
    journal = newJournal(kindOf(plan.kind), plan.project, runId(plan.kind === 'zone' ? 'rz' : 'rr', ctx.now()), ctx.now(), plan.steps);
    Object.assign(journal.outputs, {
      sourceRegion: plan.sourceRegion, sourceZone: plan.sourceZone, targetRegion: plan.targetRegion, targetZone: plan.targetZone,
    });
    await input.journals.save(journal);
    ctx.progress(`${plan.project}: ${plan.kind} restore ${journal.id}: ${plan.sourceZone} → ${plan.kind === 'zone' ? plan.targetZone : plan.targetRegion}`);
  }
  const run = new RestoreRun(ctx, c, input, plan, journal);
  // whatever a step does, no write reaches the failed zone or region: refused before it is sent
  await withWriteGuard(failedLocalityGuard(plan), () => run.execute());
  const lines = run.j.steps.map((s) => `${s.status === 'done' ? 'done   ' : s.status === 'warning' ? 'WARNING' : s.status.padEnd(7)} ${s.title}${s.detail ? ` — ${s.detail}` : ''}`);
  // per-resource results are in the journal, so a resumed run still reports them
  for (const [key, value] of Object.entries(run.j.outputs)) {
    if (key.endsWith('-results') && typeof value === 'string' && value) lines.push(...value.split('\n'));
  }
  const partial = run.j.steps.some((s) => s.status === 'warning');
  lines.push(partial
    ? `${plan.project}: restore ${run.j.id} finished with warnings (a Velero restore PartiallyFailed); see the lines above`
    : `${plan.project}: restore ${run.j.id} finished`);
  return { plan, journal: run.j, lines, partial };
}

/**
 * The writes a restore must never send: into the failed zone (a zone restore), or into the failed
 * region and its zones (a region restore). Reads there are fine: the source is only read.
 */
export function failedLocalityGuard(plan: Pick<RestorePlan, 'kind' | 'sourceRegion' | 'sourceZone'>): WriteGuard {
  return (_method, path) => {
    if (plan.kind === 'zone') {
      return path.includes(`/zones/${plan.sourceZone}/`) ? `${plan.sourceZone} is the failed zone; a zone restore writes only to the fallback zone` : undefined;
    }
    const r = plan.sourceRegion;
    return path.includes(`/regions/${r}/`) || new RegExp(`/zones/${r}-\\d+/`).test(path)
      ? `${r} is the failed region; a region restore writes only to the fallback region`
      : undefined;
  };
}

function dryRunLines(plan: RestorePlan): string[] {
  const lines = [`dry run: ${plan.kind} restore of ${plan.project} from ${plan.kind === 'zone' ? plan.sourceZone : plan.sourceRegion} to ${plan.kind === 'zone' ? plan.targetZone : plan.targetRegion}; no request is made`];
  plan.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${s.title}`);
    for (const call of s.calls) lines.push(`     ${call}`);
  });
  return lines;
}

class RestoreRun {
  private projectId = '';

  constructor(
    private readonly ctx: OperationContext,
    private readonly c: ScalewayClients,
    private readonly input: RestoreInput,
    private readonly plan: RestorePlan,
    public j: OperationJournal,
  ) {}

  private async save(next: OperationJournal): Promise<void> {
    this.j = next;
    await this.input.journals.save(this.j);
  }

  private out(key: string): string | undefined {
    const v = this.j.outputs[key];
    return v === undefined ? undefined : String(v);
  }

  private async setOut(values: Record<string, string | number | boolean>): Promise<void> {
    await this.save({ ...this.j, outputs: { ...this.j.outputs, ...values } });
  }

  private get marker(): string {
    return runMarker(this.j);
  }

  private get tags(): string[] {
    return ['lz:managed', this.marker, `lz:restore-of=${this.plan.project}`];
  }

  async execute(): Promise<void> {
    const total = this.plan.steps.length;
    await this.preflight();
    this.projectId = await this.ensureProject();
    for (const [i, step] of this.plan.steps.entries()) {
      if (isStepDone(this.j, step.id)) {
        this.ctx.progress(`[${i + 1}/${total}] ${step.title}: already done`);
        continue;
      }
      checkCancelled(this.ctx.signal);
      this.ctx.progress(`[${i + 1}/${total}] ${step.title}…`);
      let result: { status: 'done' | 'warning' | 'skipped'; detail: string };
      try {
        result = await this.runStep(step);
      } catch (err) {
        await this.save(markStep(this.j, step.id, 'failed', this.ctx.now(), err instanceof Error ? err.message.split('\n')[0] : String(err)));
        throw err;
      }
      await this.save(markStep(this.j, step.id, result.status, this.ctx.now(), result.detail));
      this.ctx.progress(`[${i + 1}/${total}] ${result.status === 'warning' ? 'finished with warnings' : result.status}: ${result.detail}`);
    }
    await this.input.journals.close({ ...this.j, status: 'done' });
  }

  /**
   * A region restore can restore a database only from a copy in the fallback region (a backup in
   * the failed region can only be restored there). Checked before the first write, so a restore
   * that cannot finish does not start: no replacement instance, no network, no project.
   */
  private async preflight(): Promise<void> {
    if (this.plan.kind !== 'region' || this.plan.databases.length === 0) return;
    const r = this.plan.targetRegion;
    const project = (await this.c.account.listProjects({ organizationId: this.c.profile.organizationId, name: this.plan.project }).all()).find((p) => p.name === this.plan.project);
    if (!project) return; // a deleted project: its backups went with it; the restore step says so
    const backups = await this.c.rdb.listDatabaseBackups({ region: r as never, projectId: project.id }).all();
    const missing = this.plan.databases.filter(({ name }) => {
      if (this.out(`db-${name}-backupId`)) return false; // restored by an earlier run
      return !backups.some((b) => b.instanceName === name && b.status === 'ready');
    });
    if (missing.length > 0) {
      throw new OperationError(`no copy of a backup of ${missing.map(({ name }) => `${this.plan.project}/${name}`).join(', ')} in ${r}: a region restore restores only from copies in the fallback region, never from (or into) ${this.plan.sourceRegion}, the failed region. Nothing was created. Check the backup copy (disasterRecovery.backupCopy, landing-zone dr check)`);
    }
  }

  private async ensureProject(): Promise<string> {
    const list = await this.c.account.listProjects({ organizationId: this.c.profile.organizationId, name: this.plan.project }).all();
    const hit = list.find((p) => p.name === this.plan.project);
    if (hit) return hit.id;
    if (this.plan.kind === 'zone') throw new OperationError(`project ${this.plan.project} does not exist; a deleted project is a region-failure scenario: use restore region`);
    // a deleted project: recreate it from the file
    const p = this.input.model.spec.projects[this.plan.project]!;
    const created = await this.c.account.createProject({ organizationId: this.c.profile.organizationId, name: this.plan.project, description: p.description ?? '' });
    this.ctx.progress(`${this.plan.project}: project recreated (${created.id})`);
    return created.id;
  }

  private runStep(step: RunbookStep): Promise<{ status: 'done' | 'warning' | 'skipped'; detail: string }> {
    const m = /^(db|cluster|velero|endpoint)-(.+?)(?:-(instance|restore))?$/.exec(step.id);
    if (step.id === 'network') return this.network();
    if (step.id === 'repoint-file') return this.repoint();
    if (m?.[1] === 'db' && m[3] === 'instance') return this.dbInstance(m[2]!);
    if (m?.[1] === 'db' && m[3] === 'restore') return this.dbRestore(m[2]!);
    if (m?.[1] === 'cluster') return this.cluster(m[2]!);
    if (m?.[1] === 'velero') return this.velero(m[2]!);
    if (m?.[1] === 'endpoint') return this.endpoint(m[2]!);
    throw new Error(`unknown runbook step ${step.id}`);
  }

  private pnName(): string {
    const p = this.input.model.spec.projects[this.plan.project]!;
    return p.network?.privateNetwork.name ?? `${this.plan.project}-pn`;
  }

  /** The project's private network in the target region: created there for a region restore. */
  private async network() {
    const r = this.plan.targetRegion;
    const name = this.pnName();
    const existing = (await this.c.vpc.listPrivateNetworks({ region: r as never, projectId: this.projectId, name }).all()).find((n) => n.name === name);
    if (existing) {
      await this.setOut({ privateNetworkId: existing.id });
      return { status: 'done' as const, detail: `reused ${name} (${existing.id})` };
    }
    const subnet = this.input.model.spec.projects[this.plan.project]!.network?.privateNetwork.subnet;
    const pn = await this.c.vpc.createPrivateNetwork({
      region: r as never, projectId: this.projectId, name, tags: this.tags, subnets: subnet ? [subnet] : undefined, defaultRoutePropagationEnabled: false,
    });
    await this.setOut({ privateNetworkId: pn.id });
    return { status: 'done' as const, detail: `created ${name} in ${r} (${pn.id})` };
  }

  /** The private network the replacement attaches to: the region restore's new one, else the project's own (regional, so it survived the zone). */
  private async privateNetworkId(): Promise<string | undefined> {
    const known = this.out('privateNetworkId');
    if (known) return known;
    const name = this.pnName();
    const pn = (await this.c.vpc.listPrivateNetworks({ region: this.plan.targetRegion as never, projectId: this.projectId, name }).all()).find((n) => n.name === name);
    if (pn) await this.setOut({ privateNetworkId: pn.id });
    return pn?.id;
  }

  private async sourceInstance(name: string) {
    try {
      return (await this.c.rdb.listInstances({ region: this.plan.sourceRegion as never, projectId: this.projectId, name }).all()).find((i) => i.name === name);
    } catch (err) {
      // in a region failure the source region may not answer: the file is enough
      if (this.plan.kind === 'region') return undefined;
      throw err;
    }
  }

  private async dbInstance(name: string) {
    const spec = this.input.model.spec.projects[this.plan.project]!.databases![name]!;
    const r = this.plan.targetRegion;
    const source = await this.sourceInstance(name);
    if (source) await this.setOut({ [`db-${name}-sourceId`]: source.id });
    const mine = (await this.c.rdb.listInstances({ region: r as never, projectId: this.projectId, tags: [this.marker] }).all()).find((i) => i.tags.includes(`lz:restore-of=${this.plan.project}/${name}`));
    let id = mine?.id;
    let detail: string;
    if (id) detail = `replacement ${mine!.name} already exists (${id})`;
    else {
      const pnId = await this.privateNetworkId();
      const created = await this.c.rdb.createInstance({
        region: r as never, projectId: this.projectId,
        name: `${name}-dr-${this.plan.kind === 'zone' ? this.plan.targetZone : r}`,
        engine: source?.engine ?? spec.engine, nodeType: source?.nodeType ?? spec.nodeType.toLowerCase(),
        isHaCluster: spec.ha, disableBackup: false, backupSameRegion: spec.backups.sameRegion,
        userName: 'lz_restore', password: `${randomBytes(18).toString('base64url')}Aa1!`,
        tags: [...this.tags, `lz:restore-of=${this.plan.project}/${name}`, `lz:zone=${this.plan.targetZone}`],
        initSettings: [], volumeType: (spec.volume?.type ?? 'sbs_5k') as never, volumeSize: (spec.volume?.sizeGb ?? 20) * 1_000_000_000,
        initEndpoints: pnId ? [{ privateNetwork: { privateNetworkId: pnId, ipamConfig: {} } }] : undefined,
        encryption: { enabled: spec.encryptedAtRest },
      });
      id = created.id;
      detail = `created ${created.name} (${id}), ${created.engine}, ${created.nodeType}${pnId ? ', on the private network' : ''}`;
    }
    await this.setOut({ [`db-${name}-instanceId`]: id });
    await waitFor(this.ctx, `the replacement database ${name}`, () => this.c.rdb.getInstance({ region: r as never, instanceId: id! }), (i) => i.status === 'ready');
    return { status: 'done' as const, detail };
  }

  private async dbRestore(name: string) {
    const r = this.plan.targetRegion;
    const instanceId = this.out(`db-${name}-instanceId`)!;
    if (!this.out(`db-${name}-backupId`)) {
      const sourceId = this.out(`db-${name}-sourceId`);
      const candidates = [] as { id: string; region: string; createdAt: number; databaseName: string }[];
      // the backup and the replacement are in one region: the fallback one (a region restore
      // never restores from the failed region, whose API may not answer and must not be written)
      const regions = [r];
      for (const region of regions) {
        try {
          const list = await this.c.rdb.listDatabaseBackups({ region: region as never, projectId: this.projectId }).all();
          for (const b of list) {
            const ofThis = (sourceId && b.instanceId === sourceId) || b.instanceName === name;
            if (ofThis && b.status === 'ready' && b.instanceId !== instanceId) {
              candidates.push({ id: b.id, region: b.region, createdAt: b.createdAt?.getTime() ?? 0, databaseName: b.databaseName });
            }
          }
        } catch (err) {
          if (region === r) throw err;
        }
        if (candidates.length > 0) break; // prefer the copies in the target region
      }
      const latest = candidates.sort((a, b) => b.createdAt - a.createdAt)[0];
      if (!latest) throw new OperationError(`no good backup of ${this.plan.project}/${name} in ${regions.join(' or ')}; nothing to restore from`);
      await this.c.rdb.restoreDatabaseBackup({ region: latest.region as never, databaseBackupId: latest.id, instanceId, databaseName: latest.databaseName });
      await this.setOut({ [`db-${name}-backupId`]: latest.id, [`db-${name}-backupAt`]: new Date(latest.createdAt).toISOString() });
    }
    await waitFor(this.ctx, `the restore of ${name}`, () => this.c.rdb.getInstance({ region: r as never, instanceId }), (i) => i.status === 'ready');
    return { status: 'done' as const, detail: `backup ${this.out(`db-${name}-backupId`)} of ${this.out(`db-${name}-backupAt`)} restored into ${instanceId}` };
  }

  private async cluster(name: string) {
    const spec = this.input.model.spec.projects[this.plan.project]!.clusters![name]!;
    const r = this.plan.targetRegion;
    if (this.plan.kind === 'zone') {
      const source = (await this.c.k8s.listClusters({ region: r as never, projectId: this.projectId, name }).all()).find((x) => x.name === name);
      if (source?.status === 'ready') {
        await this.setOut({ [`cluster-${name}-id`]: source.id, [`cluster-${name}-reused`]: true });
        return { status: 'done' as const, detail: `control plane of ${name} is ready: reused (${source.id})` };
      }
    }
    const mine = (await this.c.k8s.listClusters({ region: r as never, projectId: this.projectId }).all()).find((x) => x.tags.includes(this.marker) && x.tags.includes(`lz:restore-of=${this.plan.project}/${name}`));
    let id = mine?.id;
    let detail = `replacement ${mine?.name} already exists (${id})`;
    if (!id) {
      const pnId = await this.privateNetworkId();
      const zone = this.plan.targetZone;
      // the file says "1.35"; the API wants a patch version its live catalog offers
      const offered = (await this.c.k8s.listVersions({ region: r as never })).versions.map((x) => x.name);
      const version = newestPatch({ values: offered.map((name) => ({ name })), date: '', source: 'live' }, spec.version);
      if (!version) throw new OperationError(`Kubernetes ${spec.version} is not offered in ${r} (offered: ${offered.join(', ')}); change clusters.${name}.version`);
      const created = await this.c.k8s.createCluster({
        region: r as never, projectId: this.projectId, type: '', name: `${name}-dr`, description: `restore of ${this.plan.project}/${name}`,
        tags: [...this.tags, `lz:restore-of=${this.plan.project}/${name}`], version, cni: spec.cni as never, privateNetworkId: pnId,
        pools: Object.entries(spec.pools).map(([pool, p]) => ({
          name: pool, nodeType: p.nodeType.toLowerCase().replace(/-/g, '_'), autoscaling: Boolean(p.autoscale), size: p.size,
          minSize: p.autoscale?.min, maxSize: p.autoscale?.max, containerRuntime: 'containerd' as never, autohealing: true, tags: [],
          kubeletArgs: {}, zone: zone as never, rootVolumeType: 'default_volume_type' as never, publicIpDisabled: false,
        })),
      });
      id = created.id;
      detail = `created ${created.name} in ${r} (${id})`;
    }
    await this.setOut({ [`cluster-${name}-id`]: id! });
    await waitFor(this.ctx, `the cluster ${name}`, () => this.c.k8s.getCluster({ region: r as never, clusterId: id! }), (x) => x.status === 'ready');
    return { status: 'done' as const, detail };
  }

  private async velero(name: string) {
    const clusterId = this.out(`cluster-${name}-id`)!;
    const v = await veleroOf(this.c, this.plan.targetRegion, clusterId);
    let restoreName = this.out(`velero-${name}-restore`);
    if (!restoreName) {
      restoreName = `${this.j.id}-${name}`.toLowerCase();
      const existing = await v.getRestore(restoreName);
      const velero = existing ? undefined : await v.health();
      if (velero && velero.health !== 'Available') {
        const where = this.plan.veleroSource ? `: ${describeVeleroSource(this.plan.veleroSource)}, read-only` : '';
        throw new OperationError(`Velero does not run in cluster ${clusterId}: ${velero.health}. A replacement cluster needs Velero reading the bucket that holds the backups${where} (your bootstrap, or landing-zone apply for the clusters of the file); then run the same restore again to resume`);
      }
      if (!existing) {
        const backup = latestCompletedBackup(await v.listBackups());
        if (!backup) throw new OperationError(`no completed Velero backup is visible from ${name}; its Velero must read ${this.plan.veleroSource ? describeVeleroSource(this.plan.veleroSource) : 'the bucket that holds the backups'} (check the backup storage location)`);
        await v.createRestore(restoreName, backup.name, { 'landing-zone/run': this.j.id });
        this.ctx.progress(`velero: restore ${restoreName} from backup ${backup.name} created`);
      }
      await this.setOut({ [`velero-${name}-restore`]: restoreName });
    }
    let last = '';
    const done = await waitFor(this.ctx, `the Velero restore ${restoreName}`, async () => {
      const r = await v.getRestore(restoreName!);
      if (r && r.phase !== last) {
        last = r.phase;
        this.ctx.progress(`velero: ${restoreName} ${r.phase}`);
      }
      return r;
    }, (r) => r !== undefined && FINAL_RESTORE_PHASES.includes(r.phase));
    const restore = done!;
    if (restore.phase === 'Completed') return { status: 'done' as const, detail: `Velero restore ${restoreName} of ${restore.backupName} Completed` };
    const results = restore.phase === 'FailedValidation' ? [] : describeResults(await v.restoreResults(restoreName));
    await this.setOut({ [`velero-${name}-results`]: results.map((line) => `  velero ${restoreName}: ${line}`).join('\n') });
    if (restore.phase === 'PartiallyFailed') {
      return { status: 'warning' as const, detail: `Velero restore ${restoreName} PartiallyFailed: ${restore.errors} error(s), ${restore.warnings} warning(s)` };
    }
    const why = [...restore.validationErrors, restore.failureReason, ...results].filter(Boolean).join('; ');
    throw new OperationError(`Velero restore ${restoreName} ${restore.phase}${why ? `: ${why}` : ''}`);
  }

  private async endpoint(name: string) {
    const db = this.input.model.spec.projects[this.plan.project]!.databases![name]!;
    const ref = db.endpointSecret!;
    const [sp, sn] = ref.split('/') as [string, string];
    const spec = this.input.model.spec.projects[sp]?.secrets?.[sn];
    if (!spec) throw new OperationError(`${ref} (endpointSecret of ${this.plan.project}/${name}) is not declared in the file`);
    const instanceId = this.out(`db-${name}-instanceId`)!;
    const inst = await this.c.rdb.getInstance({ region: this.plan.targetRegion as never, instanceId });
    const ep = inst.endpoints.find((e) => e.privateNetwork) ?? inst.endpoints[0] ?? inst.endpoint;
    if (!ep?.ip) throw new OperationError(`the replacement database ${instanceId} has no endpoint yet`);
    const secretProjectId = sp === this.plan.project ? this.projectId : await projectIdByName(this.c, sp);
    // a region restore prefers the replica in the target region: the source region may be down
    const regions = [...new Set([this.plan.kind === 'region' ? this.plan.targetRegion : undefined, this.input.model.placement[sp]!.region].filter(Boolean))]
      .filter((x) => this.plan.kind !== 'region' || x !== this.plan.sourceRegion) as string[];
    let secret: Awaited<ReturnType<typeof findSecret>>;
    let region = regions[0]!;
    for (region of regions) {
      secret = await findSecret(this.c, secretProjectId, region, sn, spec.path).catch(() => undefined);
      if (secret) break;
    }
    if (!secret) throw new OperationError(`secret ${ref} does not exist in ${regions.join(' or ')}; create it with landing-zone apply`);
    const versions = await this.c.secret.listSecretVersions({ region: region as never, secretId: secret.id }).all();
    let revision = versions.find((v) => v.description?.includes(this.marker))?.revision;
    if (revision === undefined) {
      // strings only: a key_value secret holds a flat JSON object of strings
      const data = Buffer.from(JSON.stringify({ host: ep.ip, port: String(ep.port) }));
      const v = await this.c.secret.createSecretVersion({ region: region as never, secretId: secret.id, data: data.toString('base64'), description: `landing-zone restore ${this.marker}`, disablePrevious: false });
      revision = v.revision;
    }
    await this.setOut({ [`endpoint-${name}-revision`]: revision, [`endpoint-${name}-ref`]: ref });
    return { status: 'done' as const, detail: `${ref} version ${revision}: ${ep.ip}:${ep.port}` };
  }

  private async repoint() {
    let text = await this.input.file.read();
    const changes: string[] = [];
    const apply = (result: ReturnType<typeof setKey>, what: string) => {
      if (!result.ok) throw new OperationError(`cannot re-point landing-zone.yaml: ${result.problem}`);
      if (result.changed) changes.push(what);
      text = result.text;
    };
    const project = ['projects', this.plan.project];
    // each new key goes right after the project's first line: zone first, so region ends above it
    apply(setKey(text, project, 'zone', this.plan.targetZone), `projects.${this.plan.project}.zone: ${this.plan.targetZone}`);
    if (this.plan.kind === 'region') apply(setKey(text, project, 'region', this.plan.targetRegion), `projects.${this.plan.project}.region: ${this.plan.targetRegion}`);
    for (const { name } of this.plan.databases) {
      const ref = this.out(`endpoint-${name}-ref`);
      const rev = this.out(`endpoint-${name}-revision`);
      if (ref && rev) apply(repinSecretVersion(text, ref, Number(rev)), `${ref} version ${rev}`);
    }
    if (changes.length > 0) await this.input.file.write(text);
    return { status: 'done' as const, detail: changes.length > 0 ? changes.join(', ') : 'nothing to change' };
  }
}
