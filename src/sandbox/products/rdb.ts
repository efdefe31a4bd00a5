import { z } from 'zod';
import {
  orgFilter, after, checkQuota, scheduleDelete, commonFilters, eq, filterRecs, mustGet, noContent, ok, pageOf, parseBody, projectOf, publicIp, region, uuid,
  type Ctx, type Route,
} from '../context';
import { invalidArguments, notFound, preconditionFailed, transientState } from '../errors';
import { nowIso, type Json, type JsonObject } from '../json';
import type { Rec } from '../store';
import { offered, requireOffered } from './catalog';
import { bookIp, PN } from './vpc';

const INSTANCE = 'rdb.instance';
const BACKUP = 'rdb.backup';
const SNAPSHOT = 'rdb.snapshot';
const DATABASE = 'rdb.database';
const USER = 'rdb.user';

const tags = z.array(z.string()).nullish();

const createInstance = z.object({
  project_id: z.string().nullish(), organization_id: z.string().nullish(), name: z.string().min(1).max(255), engine: z.string(),
  user_name: z.string().nullish(), password: z.string().nullish(), node_type: z.string(), is_ha_cluster: z.boolean().nullish(),
  disable_backup: z.boolean().nullish(), tags, init_settings: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  volume_type: z.string().nullish(), volume_size: z.number().nullish(), init_endpoints: z.array(z.lazy(() => endpointSpec)).nullish(),
  backup_same_region: z.boolean().nullish(), encryption: z.object({ enabled: z.boolean() }).nullish(),
});
const updateInstance = z.object({
  backup_schedule_frequency: z.number().int().min(1).nullish(), backup_schedule_retention: z.number().int().min(1).max(365).nullish(),
  is_backup_schedule_disabled: z.boolean().nullish(), name: z.string().min(1).nullish(), tags,
  logs_policy: z.object({ max_age_retention: z.number().int().nullish(), total_disk_retention: z.number().nullish() }).nullish(),
  backup_same_region: z.boolean().nullish(), backup_schedule_start_hour: z.number().int().min(0).max(23).nullish(),
});

const endpointSpec = z.object({
  load_balancer: z.object({}).loose().nullish(),
  private_network: z.object({
    private_network_id: z.string(), service_ip: z.string().nullish(), ipam_config: z.object({}).loose().nullish(),
  }).nullish(),
});

function instanceJson(rec: Rec): JsonObject {
  return rec.data;
}

function endpointFor(ctx: Ctx): JsonObject {
  return { ip: publicIp(ctx, '51.158'), port: 1024 + Math.floor(Math.random() * 30000), name: null, id: uuid(), load_balancer: {} };
}

/** A private-network endpoint: a static service IP, or one booked through IPAM. */
function pnEndpoint(ctx: Ctx, loc: string, spec: NonNullable<z.infer<typeof endpointSpec>['private_network']>): JsonObject {
  const pn = ctx.store.get(PN, spec.private_network_id, ctx.now);
  if (!pn || pn.loc !== loc) throw notFound('private_network', spec.private_network_id);
  let serviceIp = spec.service_ip ?? undefined;
  let mode = 'static';
  if (!serviceIp) {
    serviceIp = String(bookIp(ctx, loc, pn.id, { resource: null, autoBooked: true }).data.address);
    mode = 'ipam';
  }
  return {
    id: uuid(), ip: serviceIp.split('/')[0]!, name: null, port: 5432,
    private_network: { private_network_id: pn.id, provisioning_mode: mode, service_ip: serviceIp, zone: `${loc}-1` },
  };
}

function backupJson(rec: Rec): JsonObject {
  return rec.data;
}

export function rdbRoutes(): Route[] {
  const P = 'RelationalDatabases';
  const base = '/rdb/v1/regions/{region}';
  const instance = (ctx: Ctx, id = ctx.params.instanceId!) => mustGet(ctx, INSTANCE, id, region(ctx), () => notFound('instance', id));
  const backup = (ctx: Ctx) => mustGet(ctx, BACKUP, ctx.params.databaseBackupId!, region(ctx), () => notFound('database_backup', ctx.params.databaseBackupId!));
  const snapshot = (ctx: Ctx) => mustGet(ctx, SNAPSHOT, ctx.params.snapshotId!, region(ctx), () => notFound('snapshot', ctx.params.snapshotId!));
  const requireReady = (rec: Rec) => {
    if (rec.data.status !== 'ready') throw transientState('instance', rec.id, String(rec.data.status));
  };

  const newInstance = (ctx: Ctx, loc: string, spec: {
    project: string; name: string; engine: string; nodeType: string; ha: boolean; tags: string[]; backup: boolean;
    sameRegion: boolean; encryption: boolean; volumeType: string; volumeSize: number; settings: JsonObject[];
    endpoints?: z.infer<typeof endpointSpec>[];
  }): Rec => {
    checkQuota(ctx, INSTANCE, 'rdb_instances', spec.project);
    const id = uuid();
    // without init endpoints an instance gets a public (load balancer) endpoint once ready
    const specs = spec.endpoints?.length ? spec.endpoints : [{ load_balancer: {} }];
    const pnEndpoints = specs.filter((e) => e.private_network).map((e) => pnEndpoint(ctx, loc, e.private_network!));
    const lb = specs.some((e) => e.load_balancer) ? endpointFor(ctx) : null;
    const rec = ctx.store.put({
      kind: INSTANCE, id, loc,
      data: {
        id, name: spec.name, organization_id: ctx.store.organizationId, project_id: spec.project, status: 'provisioning', engine: spec.engine,
        upgradable_version: [], endpoint: null, tags: spec.tags, settings: [],
        backup_schedule: { frequency: 24, retention: 7, disabled: !spec.backup, next_run_at: nowIso(ctx.now + 86400_000), start_hour: null },
        is_ha_cluster: spec.ha, read_replicas: [], node_type: spec.nodeType.toLowerCase(),
        volume: { type: spec.volumeType, size: spec.volumeSize, class: spec.volumeType.startsWith('sbs') ? 'sbs' : 'lssd' },
        init_settings: spec.settings, endpoints: pnEndpoints, logs_policy: { max_age_retention: 30, total_disk_retention: null },
        backup_same_region: spec.sameRegion, maintenances: [], encryption: { enabled: spec.encryption }, created_at: nowIso(ctx.now), region: loc,
      },
      pending: [after(ctx, ctx.env.delays.instance, {
        status: 'ready', endpoint: lb, endpoints: lb ? [lb, ...pnEndpoints] : pnEndpoints,
        settings: [{ name: 'max_connections', value: '100' }, { name: 'work_mem', value: '4' }],
      })],
    });
    ctx.store.put({ kind: DATABASE, id: `${id}/rdb`, loc, data: { name: 'rdb', owner: '_rdb_superadmin', managed: true, size: 7_500_000, instance_id: id } });
    return rec;
  };

  const dbJson = (rec: Rec): JsonObject => {
    const { instance_id: _i, ...rest } = rec.data;
    return rest;
  };

  return [
    {
      method: 'POST', pattern: `${base}/instances`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, createInstance);
        requireOffered(offered.databaseEngines(ctx, loc), 'engine', b.engine, 'engine');
        requireOffered(offered.databaseNodeTypes(ctx, loc), 'node_type', b.node_type, 'node type');
        // an empty user_name/password means "no initial user" (terraform sends both empty)
        if (b.password && b.password.length < 8) {
          throw invalidArguments([{ argument_name: 'password', reason: 'constraint', help_message: 'password must be at least 8 characters' }]);
        }
        const rec = newInstance(ctx, loc, {
          project: projectOf(ctx, b.project_id), name: b.name, engine: b.engine, nodeType: b.node_type, ha: b.is_ha_cluster ?? false,
          tags: b.tags ?? [], backup: !(b.disable_backup ?? false), sameRegion: b.backup_same_region ?? false, encryption: b.encryption?.enabled ?? false,
          volumeType: b.volume_type ?? 'lssd', volumeSize: b.volume_size || 5_000_000_000,
          settings: (b.init_settings ?? []) as unknown as JsonObject[], endpoints: b.init_endpoints ?? [],
        });
        // the password is used once and never stored
        return ok(instanceJson(rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/instances`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(INSTANCE, region(ctx), ctx.now), commonFilters), 'instances', instanceJson),
    },
    { method: 'GET', pattern: `${base}/instances/{instanceId}`, product: P, handler: (ctx) => ok(instanceJson(instance(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/instances/{instanceId}`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const b = parseBody(ctx, updateInstance);
        const sched = { ...(rec.data.backup_schedule as JsonObject) };
        if (b.backup_schedule_frequency != null) sched.frequency = b.backup_schedule_frequency;
        if (b.backup_schedule_retention != null) sched.retention = b.backup_schedule_retention;
        if (b.is_backup_schedule_disabled != null) sched.disabled = b.is_backup_schedule_disabled;
        if (b.backup_schedule_start_hour != null) sched.start_hour = b.backup_schedule_start_hour;
        const logs = { ...(rec.data.logs_policy as JsonObject) };
        if (b.logs_policy?.max_age_retention != null) logs.max_age_retention = b.logs_policy.max_age_retention;
        if (b.logs_policy?.total_disk_retention != null) logs.total_disk_retention = b.logs_policy.total_disk_retention;
        return ok(instanceJson(ctx.store.patch(rec, {
          backup_schedule: sched, logs_policy: logs,
          ...(b.name != null ? { name: b.name } : {}), ...(b.tags != null ? { tags: b.tags } : {}),
          ...(b.backup_same_region != null ? { backup_same_region: b.backup_same_region } : {}),
        })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/instances/{instanceId}`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        for (const kind of [DATABASE, USER]) for (const r of ctx.store.list(kind, rec.loc, ctx.now)) if (r.data.instance_id === rec.id) ctx.store.remove(kind, r.id);
        // backups outlive their instance (they expire on their own), snapshots do not
        for (const s of ctx.store.list(SNAPSHOT, rec.loc, ctx.now)) if (s.data.instance_id === rec.id) ctx.store.remove(SNAPSHOT, s.id);
        return ok(instanceJson(scheduleDelete(ctx, rec, { status: 'deleting' })));
      },
    },
    {
      method: 'POST', pattern: `${base}/instances/{instanceId}/restart`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        requireReady(rec);
        return ok(instanceJson(ctx.store.patch(rec, { status: 'restarting' }, [after(ctx, ctx.env.delays.instance, { status: 'ready' })])));
      },
    },
    {
      // one change per call (the SDK sends exactly one of these fields); the instance upgrades, then is ready
      method: 'POST', pattern: `${base}/instances/{instanceId}/upgrade`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const b = parseBody(ctx, z.object({
          node_type: z.string().nullish(), enable_ha: z.boolean().nullish(), volume_size: z.number().int().positive().nullish(),
          volume_type: z.string().nullish(), upgradable_version_id: z.string().nullish(), enable_encryption: z.boolean().nullish(),
          major_upgrade_workflow: z.object({ upgradable_version_id: z.string(), with_endpoints: z.boolean().nullish() }).nullish(),
        }));
        requireReady(rec);
        const vol = { ...(rec.data.volume as JsonObject) };
        const set: JsonObject = {};
        if (b.node_type) {
          requireOffered(offered.databaseNodeTypes(ctx, rec.loc), 'node_type', b.node_type, 'node type');
          set.node_type = b.node_type.toLowerCase();
        } else if (b.enable_ha) set.is_ha_cluster = true;
        else if (b.volume_size) {
          if (b.volume_size < Number(vol.size)) throw invalidArguments([{ argument_name: 'volume_size', reason: 'constraint', help_message: 'a volume can only grow' }]);
          set.volume = { ...vol, size: b.volume_size };
        } else if (b.volume_type) set.volume = { ...vol, type: b.volume_type, class: b.volume_type.startsWith('sbs') ? 'sbs' : 'lssd' };
        else if (b.enable_encryption) set.encryption = { enabled: true };
        else if (b.upgradable_version_id || b.major_upgrade_workflow) {
          throw invalidArguments([{ argument_name: 'upgradable_version_id', reason: 'constraint', help_message: 'no engine upgrade is available in the sandbox' }]);
        } else throw invalidArguments([{ argument_name: 'node_type', reason: 'required', help_message: 'one of node_type, enable_ha, volume_size, volume_type, upgradable_version_id, major_upgrade_workflow or enable_encryption is required' }]);
        return ok(instanceJson(ctx.store.patch(rec, { ...set, status: 'configuring' }, [after(ctx, ctx.env.delays.instance, { status: 'ready' })])));
      },
    },
    {
      method: 'GET', pattern: `${base}/instances/{instanceId}/certificate`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(`sandbox certificate for ${rec.id}`).toString('base64')}\n-----END CERTIFICATE-----\n`;
        return ok({ name: 'ssl_certificate', content_type: 'application/x-pem-file', content: Buffer.from(pem).toString('base64') });
      },
    },
    {
      method: 'POST', pattern: `${base}/instances/{instanceId}/endpoints`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const b = parseBody(ctx, z.object({ endpoint_spec: endpointSpec }));
        requireReady(rec);
        const ep = b.endpoint_spec.private_network ? pnEndpoint(ctx, rec.loc, b.endpoint_spec.private_network) : endpointFor(ctx);
        const endpoints = [...((rec.data.endpoints as JsonObject[]) ?? []), ep];
        ctx.store.patch(rec, { endpoints, ...(ep.load_balancer ? { endpoint: ep } : {}) });
        return ok(ep);
      },
    },
    ...(['GET', 'DELETE'] as const).map((method): Route => ({
      method, pattern: `${base}/endpoints/{endpointId}`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        for (const rec of ctx.store.list(INSTANCE, loc, ctx.now)) {
          const endpoints = (rec.data.endpoints as JsonObject[]) ?? [];
          const ep = endpoints.find((e) => e.id === ctx.params.endpointId);
          if (!ep) continue;
          if (method === 'GET') return ok(ep);
          const rest = endpoints.filter((e) => e !== ep);
          ctx.store.patch(rec, { endpoints: rest, ...((rec.data.endpoint as JsonObject | null)?.id === ep.id ? { endpoint: null } : {}) });
          return noContent();
        }
        throw notFound('endpoint', ctx.params.endpointId!);
      },
    })),
    // ---- databases and users ----
    {
      method: 'GET', pattern: `${base}/instances/{instanceId}/databases`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const recs = filterRecs(ctx, ctx.store.list(DATABASE, rec.loc, ctx.now).filter((d) => d.data.instance_id === rec.id), {
          name: eq('name'), owner: eq('owner'), managed: (r, v) => v.includes(String(r.data.managed)),
        });
        return pageOf(ctx, recs, 'databases', dbJson, 'name_asc');
      },
    },
    {
      method: 'POST', pattern: `${base}/instances/{instanceId}/databases`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/, 'invalid database name') }));
        requireReady(rec);
        if (ctx.store.get(DATABASE, `${rec.id}/${b.name}`, ctx.now)) throw preconditionFailed('resource_still_in_use', `database ${b.name} already exists`);
        return ok(dbJson(ctx.store.put({ kind: DATABASE, id: `${rec.id}/${b.name}`, loc: rec.loc, data: { managed: true, name: b.name, owner: '', size: 0, instance_id: rec.id } })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/instances/{instanceId}/databases/{name}`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        if (!ctx.store.remove(DATABASE, `${rec.id}/${ctx.params.name}`)) throw notFound('database', ctx.params.name!);
        return noContent();
      },
    },
    {
      method: 'GET', pattern: `${base}/instances/{instanceId}/users`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        return pageOf(ctx, filterRecs(ctx, ctx.store.list(USER, rec.loc, ctx.now).filter((u) => u.data.instance_id === rec.id), { name: eq('name') }), 'users', dbJson, 'name_asc');
      },
    },
    {
      method: 'POST', pattern: `${base}/instances/{instanceId}/users`, product: P,
      handler: (ctx) => {
        const rec = instance(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().min(1).max(63), password: z.string().min(8), is_admin: z.boolean().nullish() }));
        requireReady(rec);
        return ok(dbJson(ctx.store.put({ kind: USER, id: `${rec.id}/${b.name}`, loc: rec.loc, data: { name: b.name, is_admin: b.is_admin ?? false, instance_id: rec.id } })));
      },
    },
    // ---- backups ----
    {
      method: 'POST', pattern: `${base}/backups`, product: P,
      handler: (ctx) => {
        const loc = region(ctx);
        const b = parseBody(ctx, z.object({ instance_id: z.string(), database_name: z.string(), name: z.string().nullish(), expires_at: z.string().nullish() }));
        const inst = instance(ctx, b.instance_id);
        requireReady(inst);
        if (!ctx.store.get(DATABASE, `${inst.id}/${b.database_name}`, ctx.now)) throw notFound('database', b.database_name);
        const id = uuid();
        const rec = ctx.store.put({
          kind: BACKUP, id, loc,
          data: {
            id, instance_id: inst.id, database_name: b.database_name, name: b.name ?? `${b.database_name}-${id.slice(0, 8)}`, status: 'creating',
            size: null, expires_at: b.expires_at ?? null, created_at: nowIso(ctx.now), updated_at: null, instance_name: String(inst.data.name),
            download_url: null, download_url_expires_at: null, same_region: Boolean(inst.data.backup_same_region), region: loc,
            project_id: String(inst.data.project_id),
          },
          pending: [after(ctx, ctx.env.delays.backup, { status: 'ready', size: 1255, updated_at: nowIso(ctx.now + ctx.env.delays.backup) })],
        });
        return ok(backupJson(rec));
      },
    },
    {
      method: 'GET', pattern: `${base}/backups`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(BACKUP, region(ctx), ctx.now), {
        instance_id: eq('instance_id'), name: commonFilters.name!, project_id: eq('project_id'), organization_id: orgFilter,
      }), 'database_backups', backupJson),
    },
    { method: 'GET', pattern: `${base}/backups/{databaseBackupId}`, product: P, handler: (ctx) => ok(backupJson(backup(ctx))) },
    {
      method: 'PATCH', pattern: `${base}/backups/{databaseBackupId}`, product: P,
      handler: (ctx) => {
        const rec = backup(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().nullish(), expires_at: z.string().nullish() }));
        return ok(backupJson(ctx.store.patch(rec, { ...(b.name != null ? { name: b.name } : {}), ...(b.expires_at != null ? { expires_at: b.expires_at } : {}), updated_at: nowIso(ctx.now) })));
      },
    },
    {
      method: 'DELETE', pattern: `${base}/backups/{databaseBackupId}`, product: P,
      handler: (ctx) => {
        const rec = backup(ctx);
        ctx.store.remove(BACKUP, rec.id);
        return ok({ ...backupJson(rec), status: 'deleting', updated_at: nowIso(ctx.now) });
      },
    },
    {
      // restores into an instance that already exists (createInstanceFromSnapshot makes a new one)
      method: 'POST', pattern: `${base}/backups/{databaseBackupId}/restore`, product: P,
      handler: (ctx) => {
        const rec = backup(ctx);
        const b = parseBody(ctx, z.object({ database_name: z.string().nullish(), instance_id: z.string() }));
        if (rec.data.status !== 'ready') throw transientState('database_backup', rec.id, String(rec.data.status));
        const target = instance(ctx, b.instance_id);
        requireReady(target);
        const dbName = b.database_name ?? String(rec.data.database_name);
        if (!ctx.store.get(DATABASE, `${target.id}/${dbName}`, ctx.now)) {
          ctx.store.put({ kind: DATABASE, id: `${target.id}/${dbName}`, loc: target.loc, data: { managed: true, name: dbName, owner: '', size: 0, instance_id: target.id } });
        }
        const delay = ctx.env.delays.backup;
        ctx.store.patch(target, { status: 'backuping' }, [after(ctx, delay, { status: 'ready' })]);
        return ok(backupJson(ctx.store.patch(rec, { status: 'restoring', updated_at: nowIso(ctx.now) }, [after(ctx, delay, { status: 'ready' })])));
      },
    },
    {
      method: 'POST', pattern: `${base}/backups/{databaseBackupId}/export`, product: P,
      handler: (ctx) => {
        const rec = backup(ctx);
        if (rec.data.status !== 'ready') throw transientState('database_backup', rec.id, String(rec.data.status));
        const delay = ctx.env.delays.backup;
        const url = `${ctx.env.url}/sandbox-downloads/rdb/${rec.id}.custom`;
        return ok(backupJson(ctx.store.patch(rec, { status: 'exporting', updated_at: nowIso(ctx.now) }, [after(ctx, delay, {
          status: 'ready', download_url: url, download_url_expires_at: nowIso(ctx.now + 86400_000),
        })])));
      },
    },
    // ---- snapshots ----
    {
      method: 'POST', pattern: `${base}/instances/{instanceId}/snapshots`, product: P,
      handler: (ctx) => {
        const inst = instance(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().nullish(), expires_at: z.string().nullish() }));
        requireReady(inst);
        const id = uuid();
        const vol = inst.data.volume as JsonObject;
        return ok(ctx.store.put({
          kind: SNAPSHOT, id, loc: inst.loc,
          data: {
            id, instance_id: inst.id, name: b.name ?? `snp-${id.slice(0, 8)}`, status: 'creating', size: null, expires_at: b.expires_at ?? null,
            created_at: nowIso(ctx.now), updated_at: nowIso(ctx.now), instance_name: String(inst.data.name), node_type: String(inst.data.node_type),
            volume_type: { type: String(vol.type), class: String(vol.class) }, region: inst.loc, project_id: String(inst.data.project_id),
          },
          pending: [after(ctx, ctx.env.delays.snapshot, { status: 'ready', size: Number(vol.size) })],
        }).data);
      },
    },
    {
      method: 'GET', pattern: `${base}/snapshots`, product: P,
      handler: (ctx) => pageOf(ctx, filterRecs(ctx, ctx.store.list(SNAPSHOT, region(ctx), ctx.now), {
        instance_id: eq('instance_id'), name: commonFilters.name!, project_id: eq('project_id'), organization_id: orgFilter,
      }), 'snapshots', (r) => r.data),
    },
    { method: 'GET', pattern: `${base}/snapshots/{snapshotId}`, product: P, handler: (ctx) => ok(snapshot(ctx).data) },
    {
      method: 'PATCH', pattern: `${base}/snapshots/{snapshotId}`, product: P,
      handler: (ctx) => {
        const rec = snapshot(ctx);
        const b = parseBody(ctx, z.object({ name: z.string().nullish(), expires_at: z.string().nullish() }));
        return ok(ctx.store.patch(rec, { ...(b.name != null ? { name: b.name } : {}), ...(b.expires_at != null ? { expires_at: b.expires_at } : {}), updated_at: nowIso(ctx.now) }).data);
      },
    },
    {
      method: 'DELETE', pattern: `${base}/snapshots/{snapshotId}`, product: P,
      handler: (ctx) => {
        const rec = snapshot(ctx);
        ctx.store.remove(SNAPSHOT, rec.id);
        return ok({ ...rec.data, status: 'deleting' });
      },
    },
    {
      method: 'POST', pattern: `${base}/snapshots/{snapshotId}/create-instance`, product: P,
      handler: (ctx) => {
        const snap = snapshot(ctx);
        const b = parseBody(ctx, z.object({ instance_name: z.string().min(1), is_ha_cluster: z.boolean().nullish(), node_type: z.string().nullish() }));
        if (snap.data.status !== 'ready') throw transientState('snapshot', snap.id, String(snap.data.status));
        requireOffered(offered.databaseNodeTypes(ctx, snap.loc), 'node_type', b.node_type, 'node type');
        const source = ctx.store.get(INSTANCE, String(snap.data.instance_id), ctx.now);
        const vt = snap.data.volume_type as JsonObject;
        const rec = newInstance(ctx, snap.loc, {
          project: String(snap.data.project_id), name: b.instance_name, engine: String(source?.data.engine ?? 'PostgreSQL-16'),
          nodeType: b.node_type ?? String(snap.data.node_type), ha: b.is_ha_cluster ?? false, tags: ((source?.data.tags as Json[]) ?? []).map(String),
          backup: true, sameRegion: Boolean(source?.data.backup_same_region), encryption: Boolean((source?.data.encryption as JsonObject | undefined)?.enabled),
          volumeType: String(vt.type), volumeSize: Number(snap.data.size ?? 5_000_000_000), settings: [],
        });
        // the snapshot carries the source's databases
        if (source) {
          for (const d of ctx.store.list(DATABASE, snap.loc, ctx.now)) {
            if (d.data.instance_id === source.id && d.data.name !== 'rdb') {
              ctx.store.put({ kind: DATABASE, id: `${rec.id}/${String(d.data.name)}`, loc: snap.loc, data: { ...d.data, instance_id: rec.id } });
            }
          }
        }
        return ok(instanceJson(rec));
      },
    },
  ];
}
