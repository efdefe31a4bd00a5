import { newestRuntime } from '../../core/catalog';
import { lzTags } from '../../core/desired';
import type { PlanOperation } from '../../core/plan';
import { requireFunctionBundle } from '../operations/function-bundle';
import { BACKUP_COPY_FUNCTION, CODE_TAG, CREDENTIALS_VARIABLE, TO_REGION_VARIABLE } from '../readers/functions';
import { DEFAULT_RETRY } from '../http';
import { isNotFound, waitUntil } from '../wait';
import type { Known, WriteContext, Writer } from './writer';

/*
 * The backup-copy function, brought to its declared state step by step — namespace (its secret
 * variables hold the API key of backupCopy.application, read from that key's vault secret) →
 * function (the newest Node runtime the catalog offers, handler.handle, private) → code (upload
 * the zip to the signed URL, deploy, wait for ready or report the build error, then tag the
 * function `lz:code=<sha256 prefix>`) → cron. Each step looks at what is there first, so the same
 * `converge` creates, resumes an interrupted run, redeploys a changed bundle and passes a rotated
 * key on. The secret key goes from the vault's answer into the namespace's secret variables and
 * nowhere else: not into the plan, the journal, a tag or an error.
 */

const regionOf = (op: PlanOperation) => (op.region ?? 'fr-par') as never;
const fields = (op: PlanOperation, ctx: WriteContext) => ctx.desired.get(op.id)?.fields ?? op.fields ?? {};
const tagOf = (op: PlanOperation) => `lz:id=${op.id}`;
const HANDLER = 'handler.handle';
type FunctionV1 = Awaited<ReturnType<WriteContext['clients']['functions']['getFunction']>>;

function projectIdOf(name: string, ctx: WriteContext): string {
  const k = ctx.lookup(`${name}/project`);
  if (!k) throw new Error(`${name}/project is not known yet (a dependency failed or was skipped)`);
  return k.scalewayId;
}

async function namespaceOf(op: PlanOperation, ctx: WriteContext) {
  const list = await ctx.clients.functions.listNamespaces({ region: regionOf(op), projectId: projectIdOf(op.project, ctx), pageSize: 100 }).all();
  return list.find((n) => (n.tags ?? []).includes(tagOf(op)));
}

async function functionOf(op: PlanOperation, ctx: WriteContext, namespaceId: string): Promise<FunctionV1 | undefined> {
  const list = await ctx.clients.functions.listFunctions({ region: regionOf(op), namespaceId, pageSize: 100 }).all();
  return list.find((x) => (x.tags ?? []).includes(tagOf(op)));
}

/** The function's plain variables: where to copy from and to (names and ids, nothing secret). */
function functionEnv(op: PlanOperation, ctx: WriteContext): Record<string, string> {
  const f = fields(op, ctx);
  const dbs = (f._databases as { project: string; region: string }[] | undefined) ?? [];
  return {
    [TO_REGION_VARIABLE]: String(f.toRegion),
    // `<region>:<bucket>@<project id>`: S3 acts in the project named after the access key
    LZ_TARGET_BUCKET: `${String(f._targetBucket ?? '')}@${projectIdOf(String(f._targetBucketProject ?? op.project), ctx)}`,
    ...(f._veleroBucket ? { LZ_VELERO_BUCKET: `${String(f._veleroBucket)}@${projectIdOf(String(f._veleroBucketProject), ctx)}` } : {}),
    LZ_DATABASES: dbs.map((d) => `${d.region}:${projectIdOf(d.project, ctx)}`).join(','),
  };
}

/**
 * The API key that `credentials` (`security/backup-copy-scw-key@3`) names: the vault secret's
 * pinned version, as apply (the raw secret key, its access key in the version's description) or
 * rotate-api-key (`{"SCW_ACCESS_KEY","SCW_SECRET_KEY"}`) wrote it.
 */
async function readCredentials(op: PlanOperation, ctx: WriteContext): Promise<{ accessKey: string; secretKey: string } | undefined> {
  const f = fields(op, ctx);
  if (typeof f.credentials !== 'string') return undefined;
  const m = /^([^/]+)\/([^@]+)@(.+)$/.exec(f.credentials);
  if (!m) throw new Error(`${op.id}: credentials "${f.credentials}" is not project/secret@version`);
  const vault = ctx.lookup(`${m[1]}/secret/${m[2]}`);
  if (!vault) throw new Error(`${m[1]}/secret/${m[2]} is not known yet (a dependency failed or was skipped)`);
  const region = String(f._vaultRegion ?? op.region ?? 'fr-par') as never;
  const revision = m[3] === 'latest' ? 'latest_enabled' : m[3]!;
  const access = await ctx.clients.secret.accessSecretVersion({ region, secretId: vault.scalewayId, revision });
  const text = Buffer.from(access.data, 'base64').toString('utf8');
  try {
    const j = JSON.parse(text) as { SCW_ACCESS_KEY?: unknown; SCW_SECRET_KEY?: unknown };
    if (typeof j.SCW_ACCESS_KEY === 'string' && typeof j.SCW_SECRET_KEY === 'string') return { accessKey: j.SCW_ACCESS_KEY, secretKey: j.SCW_SECRET_KEY };
  } catch {
    // not JSON: the raw secret key, as apply stores it
  }
  const version = await ctx.clients.secret.getSecretVersion({ region, secretId: vault.scalewayId, revision });
  const accessKey = /SCW[A-Z0-9]{17}/.exec(version.description ?? '')?.[0];
  if (!accessKey) throw new Error(`${m[1]}/${m[2]} version ${version.revision} does not say which access key its secret key belongs to`);
  return { accessKey, secretKey: text.trim() };
}

async function ensureNamespace(op: PlanOperation, ctx: WriteContext): Promise<string> {
  const region = regionOf(op);
  const ref = fields(op, ctx).credentials;
  const want = typeof ref === 'string' ? ref : '';
  let ns = await namespaceOf(op, ctx);
  const secrets = async () => {
    const c = await readCredentials(op, ctx);
    return c ? [{ key: 'SCW_ACCESS_KEY', value: c.accessKey }, { key: 'SCW_SECRET_KEY', value: c.secretKey }] : [{ key: 'SCW_ACCESS_KEY' }, { key: 'SCW_SECRET_KEY' }];
  };
  if (!ns) {
    const sec = (await secrets()).filter((s) => 'value' in s);
    ns = await ctx.clients.functions.createNamespace({
      region, projectId: projectIdOf(op.project, ctx), name: op.name, tags: lzTags(op.id), description: 'landing-zone: the disaster-recovery backup copy',
      environmentVariables: { [CREDENTIALS_VARIABLE]: want }, secretEnvironmentVariables: sec, activateVpcIntegration: false,
    });
  } else if ((ns.environmentVariables?.[CREDENTIALS_VARIABLE] ?? '') !== want) {
    // the secret variables first, then the plain one that says which version they hold
    await ctx.clients.functions.updateNamespace({
      region, namespaceId: ns.id, secretEnvironmentVariables: await secrets(),
      environmentVariables: { ...ns.environmentVariables, [CREDENTIALS_VARIABLE]: want },
    });
  }
  const id = ns.id;
  const ready = await waitUntil(() => ctx.clients.functions.getNamespace({ region, namespaceId: id }), (n) => n.status === 'ready' || n.status === 'error', ctx.poll);
  if (ready.status === 'error') throw new Error(`the backup-copy namespace is in error: ${ready.errorMessage ?? 'no message'}`);
  return id;
}

/** The newest generally available Node runtime of the region's catalog (listFunctionRuntimes). */
async function nodeRuntime(op: PlanOperation, ctx: WriteContext): Promise<string> {
  const key = `functions/runtimes/${op.region ?? 'fr-par'}`;
  if (!ctx.cache.has(key)) ctx.cache.set(key, ctx.clients.functions.listFunctionRuntimes({ region: regionOf(op) }));
  const { runtimes } = (await ctx.cache.get(key)) as Awaited<ReturnType<typeof ctx.clients.functions.listFunctionRuntimes>>;
  const offered = runtimes.filter((r) => r.status !== 'end_of_life').map((r) => ({ name: r.name, status: r.status === 'available' ? undefined : r.status }));
  const name = newestRuntime({ values: offered, date: '', source: 'live' }, 'node');
  if (!name) throw new Error(`no Node runtime is offered for Serverless Functions in ${op.region}: the catalog offers ${runtimes.map((r) => `${r.name} (${r.status})`).join(', ') || 'none'}`);
  return name;
}

async function ensureFunction(op: PlanOperation, ctx: WriteContext, namespaceId: string): Promise<FunctionV1> {
  const region = regionOf(op);
  const env = functionEnv(op, ctx);
  const fn = await functionOf(op, ctx, namespaceId);
  if (!fn) {
    return ctx.clients.functions.createFunction({
      region, namespaceId, name: BACKUP_COPY_FUNCTION, tags: lzTags(op.id), environmentVariables: env,
      runtime: (await nodeRuntime(op, ctx)) as never, handler: HANDLER, privacy: 'private', minScale: 0, maxScale: 1, memoryLimit: 512, timeout: '900s',
      secretEnvironmentVariables: [], description: `landing-zone: copies backups to ${String(fields(op, ctx).toRegion)}`,
    });
  }
  const same = Object.keys(env).length === Object.keys(fn.environmentVariables ?? {}).length && Object.entries(env).every(([k, v]) => fn.environmentVariables?.[k] === v);
  if (same && fn.handler === HANDLER) return fn;
  return ctx.clients.functions.updateFunction({
    region, functionId: fn.id, environmentVariables: env, handler: HANDLER, description: `landing-zone: copies backups to ${String(fields(op, ctx).toRegion)}`,
  });
}

const settled = (f: FunctionV1) => f.status !== 'pending' && f.status !== 'creating';

/**
 * PUT of the zip to the signed URL, retried like the API calls (Object Storage answers 429/5xx
 * too); the URL is signed, so an error names the upload, never the URL.
 */
async function uploadZip(url: string, zip: Buffer, headers: Record<string, string>): Promise<void> {
  let last = '';
  for (let attempt = 1; attempt <= DEFAULT_RETRY.attempts; attempt += 1) {
    try {
      const put = await fetch(url, { method: 'PUT', body: new Uint8Array(zip), headers });
      await put.arrayBuffer();
      if (put.ok) return;
      last = `${put.status} ${put.statusText}`;
      if (put.status !== 429 && put.status < 500) break;
    } catch (err) {
      last = err instanceof Error ? err.name : 'network error';
    }
    await new Promise((r) => setTimeout(r, Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)));
  }
  throw new Error(`the upload of the backup-copy code failed: ${last}`);
}

/** Uploads and deploys the bundle unless the function is ready with it; waits for the build. */
async function ensureCode(op: PlanOperation, ctx: WriteContext, current: FunctionV1): Promise<void> {
  const region = regionOf(op);
  const bundle = requireFunctionBundle(BACKUP_COPY_FUNCTION);
  const get = () => ctx.clients.functions.getFunction({ region, functionId: current.id });
  let fn = settled(current) ? current : await waitUntil(get, settled, ctx.poll);
  const tag = `${CODE_TAG}${bundle.short}`;
  if (fn.status === 'ready' && (fn.tags ?? []).includes(tag)) return;
  const url = await ctx.clients.functions.getFunctionUploadURL({ region, functionId: fn.id, contentLength: bundle.zip.length });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(url.headers ?? {}) as [string, string[] | string][]) {
    const value = Array.isArray(v) ? v[0] : v;
    if (k.toLowerCase() !== 'content-length' && value !== undefined) headers[k] = value;
  }
  await uploadZip(url.url, bundle.zip, headers);
  await ctx.clients.functions.deployFunction({ region, functionId: fn.id });
  fn = await waitUntil(get, (f) => f.status === 'ready' || f.status === 'error', ctx.poll);
  if (fn.status === 'error') throw new Error(`the backup-copy function did not build: ${fn.errorMessage ?? fn.buildMessage ?? 'no message from Scaleway'}`);
  await ctx.clients.functions.updateFunction({ region, functionId: fn.id, tags: [...(fn.tags ?? []).filter((t) => !t.startsWith(CODE_TAG)), tag] });
}

/** The cron that triggers the function: updated in place, created when it is missing. */
async function ensureCron(op: PlanOperation, ctx: WriteContext, functionId: string): Promise<void> {
  const f = fields(op, ctx);
  const crons = await ctx.clients.functions.listCrons({ region: regionOf(op), functionId, pageSize: 100 }).all();
  const args = { toRegion: String(f.toRegion) };
  const cron = crons[0];
  if (!cron) {
    await ctx.clients.functions.createCron({ region: regionOf(op), functionId, schedule: String(f.schedule), name: BACKUP_COPY_FUNCTION, args });
  } else if (cron.schedule !== f.schedule || (cron.args as { toRegion?: unknown } | undefined)?.toRegion !== f.toRegion) {
    await ctx.clients.functions.updateCron({ region: regionOf(op), cronId: cron.id, schedule: String(f.schedule), args });
  }
}

/** Namespace → function → code → cron, each only where it differs from the declared state. */
async function converge(op: PlanOperation, ctx: WriteContext): Promise<Known> {
  const namespaceId = await ensureNamespace(op, ctx);
  const fn = await ensureFunction(op, ctx, namespaceId);
  await ensureCode(op, ctx, fn);
  await ensureCron(op, ctx, fn.id);
  return { scalewayId: fn.id, attrs: { namespaceId } };
}

export const backupCopyWriter: Writer = {
  async find(op, ctx) {
    const ns = await namespaceOf(op, ctx);
    if (!ns) return undefined;
    const fn = await functionOf(op, ctx, ns.id);
    return fn ? { scalewayId: fn.id, attrs: { namespaceId: ns.id } } : undefined;
  },
  async complete(op, ctx) {
    await converge(op, ctx);
  },
  async create(op, ctx) {
    return converge(op, ctx);
  },
  async update(op, ctx) {
    const tags = op.changes?.find((c) => c.field === 'tags')?.declared as string[] | undefined;
    if (tags) {
      // adopting an untagged function: keep the code tag the deploy set
      const fn = await ctx.clients.functions.getFunction({ region: regionOf(op), functionId: op.scalewayId! });
      await ctx.clients.functions.updateFunction({ region: regionOf(op), functionId: op.scalewayId!, tags: [...tags, ...(fn.tags ?? []).filter((t) => t.startsWith(CODE_TAG))] });
      if (fn.namespaceId) {
        const ns = await ctx.clients.functions.getNamespace({ region: regionOf(op), namespaceId: fn.namespaceId });
        if (!(ns.tags ?? []).includes(tagOf(op))) await ctx.clients.functions.updateNamespace({ region: regionOf(op), namespaceId: ns.id, tags: [...(ns.tags ?? []), tagOf(op)] });
      }
    }
    await converge(op, ctx);
  },
  async delete(op, ctx) {
    let namespaceId: string | undefined;
    try {
      namespaceId = (await ctx.clients.functions.getFunction({ region: regionOf(op), functionId: op.scalewayId! })).namespaceId;
      await ctx.clients.functions.deleteFunction({ region: regionOf(op), functionId: op.scalewayId! });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!namespaceId) return;
    // the namespace goes with the function only when the tool made it for this function
    try {
      const ns = await ctx.clients.functions.getNamespace({ region: regionOf(op), namespaceId });
      if ((ns.tags ?? []).includes(tagOf(op))) await ctx.clients.functions.deleteNamespace({ region: regionOf(op), namespaceId });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
