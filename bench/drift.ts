import { pathToFileURL } from 'node:url';
// bench/drift: reading a 50-project organisation (about 1,000 resources) from the sandbox at
// 50 ms per request, as `landing-zone drift` does. Prints JSON on stdout:
//   calls          API requests of the read          vs  listPageMinimum (one request per list page)   target ≤ 1.05×
//   wallMs         wall time of the read              vs  lowerLimitMs = pages ÷ concurrency × latency  target ≤ 1.5×
//   perResourceGet what one GET per resource costs (what Terraform's refresh does), measured the same way
// usage: npx tsx bench/drift.ts [--projects 50] [--latency 50] [--concurrency 16] [--runs 5]  (wall: median of the runs)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { desiredResources } from '../src/core/desired';
import { computeDrift } from '../src/core/drift';
import { buildPlan } from '../src/core/plan';
import type { Inventory, LiveResource } from '../src/core/state';
import { validateText } from '../src/core/validate';
import type { Sandbox } from '../src/sandbox/server';
import { executePlan } from '../src/scaleway/apply';
import { readOnlyClients, writeClients } from '../src/scaleway/client';
import { limitedFetch } from '../src/scaleway/http';
import { readInventory } from '../src/scaleway/inventory';
import { resolveProfile, type ScalewayProfile } from '../src/scaleway/profiles';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/**
 * A landing zone of `projects` projects: two hubs, the rest environments with a network, a
 * cluster with four pools behind an HTTPS load balancer (three ACLs), a database, two keys and
 * three secrets: about 21 resources per environment, ~1,000 for 50 projects.
 */
export function benchLandingZone(orgId: string, projects: number): string {
  const out = [
    'version: 1', `organization: { id: ${orgId}, name: bench }`, 'defaults: { region: fr-par, zone: fr-par-1 }', 'projects:',
    '  security:', '    role: security', '    network:', '      privateNetwork: { subnet: 10.0.0.0/24 }', '      publicGateway: { type: VPC-GW-S, reservedIp: true }',
    '  devops:', '    role: devops', '    network:', '      privateNetwork: { subnet: 10.0.1.0/24 }', '      publicGateway: { type: VPC-GW-S, reservedIp: true }',
  ];
  for (let i = 0; i < projects - 2; i += 1) {
    out.push(
      `  env-${i}:`, '    role: environment', '    network:',
      `      privateNetwork: { subnet: 10.${16 + Math.floor(i / 64)}.${(i % 64) * 4}.0/22 }`, '      publicGateway: { type: VPC-GW-S, reservedIp: true }',
      '    keys:', '      data-a: { usage: symmetric_encryption, rotationPeriod: 90d }', '      data-b: { usage: symmetric_encryption, rotationPeriod: 180d }',
      '    secrets:', '      s-a: { path: /app, version: 1 }', '      s-b: { path: /app, version: 1 }', '      s-c: { path: /app, version: 1 }',
      '    clusters:', '      apps:', '        version: "1.35"', '        pools:',
      '          p1: { nodeType: PRO2-S, size: 3 }', '          p2: { nodeType: PRO2-S, size: 2 }', '          p3: { nodeType: PRO2-M, size: 1 }', '          p4: { nodeType: PRO2-XS, size: 1 }',
      '        loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops] }',
      '    databases:', '      main: { engine: PostgreSQL-16, nodeType: DB-DEV-S, backups: { everyHours: 24, retentionDays: 7 } }',
    );
  }
  return out.join('\n') + '\n';
}

const root = join(__dirname, '..');

/** `landing-zone sandbox --print-env` in a child process; resolves with its SCW_* variables. */
export function sandboxProcess(latency: number, logFile?: string): Promise<{ env: Record<string, string>; stop: () => void; pid: number }> {
  return new Promise((resolveEnv, reject) => {
    const log = logFile ? ['--log', logFile] : [];
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'src/cli/main.ts'), 'sandbox', '--print-env', '--latency', String(latency), ...log], { stdio: ['ignore', 'pipe', 'inherit'] });
    const env: Record<string, string> = {};
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split('\n')) {
        const m = /^(SCW_[A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) env[m[1]!] = m[2]!;
      }
      if (env.SCW_API_URL && env.SCW_SECRET_KEY && env.SCW_DEFAULT_ORGANIZATION_ID && env.SCW_ACCESS_KEY) resolveEnv({ env, stop: () => child.kill('SIGTERM'), pid: child.pid! });
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${String(code)}`)));
  });
}


export async function sandboxProfileOf(sb: Sandbox): Promise<ScalewayProfile> {
  return resolveProfile({ env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId } });
}

export function modelOf(text: string) {
  const v = validateText(text);
  if (!v.model) throw new Error(v.issues.map((i) => i.message).join('; '));
  return { model: v.model, desired: desiredResources(v.model) };
}

/** List pages the reader cannot do without: one per list endpoint and locality, one per 100 items. */
function listPageMinimum(inv: Inventory, regions: string[], zones: string[]): number {
  const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
  const count = (kind: string, pred: (r: LiveResource) => boolean = () => true) => inv.resources.filter((r) => r.kind === kind && pred(r)).length;
  let total = pages(count('project'));
  // a region's key and secret lists also return the replicas made there
  const sameList = (kind: string) => (r: LiveResource) => r.kind === kind || r.kind === `${kind}-replica`;
  for (const region of regions) for (const kind of ['private-network', 'cluster', 'database', 'key', 'secret']) total += pages(inv.resources.filter((r) => sameList(kind)(r) && r.region === region).length);
  for (const zone of zones) for (const kind of ['public-gateway', 'gateway-ip', 'load-balancer']) total += pages(count(kind, (r) => r.zone === zone));
  // per cluster its pools and its nodes (what its load balancer's backend must list)
  for (const c of inv.resources.filter((r) => r.kind === 'cluster')) total += pages(count('pool', (r) => r.parentId === c.scalewayId)) + pages(((c.attrs?.nodeIps as string[] | undefined) ?? []).length);
  // per load balancer its frontends and certificates; its backends only when a frontend does not carry one
  for (const lb of inv.resources.filter((r) => r.kind === 'load-balancer')) {
    for (const kind of ['lb-frontend', 'lb-certificate']) total += pages(count(kind, (r) => r.parentId === lb.scalewayId));
    const carried = new Set(inv.resources.filter((r) => r.kind === 'lb-frontend' && r.parentId === lb.scalewayId).map((r) => r.attrs?.backendId));
    if (count('lb-backend', (r) => r.parentId === lb.scalewayId && !carried.has(r.scalewayId)) > 0) total += pages(count('lb-backend', (r) => r.parentId === lb.scalewayId));
  }
  for (const fe of inv.resources.filter((r) => r.kind === 'lb-frontend')) total += pages(count('lb-acl', (r) => r.parentId === fe.scalewayId));
  total += pages(count('application')) + pages(inv.resources.filter((r) => r.kind === 'policy').length) + pages(count('api-key'));
  total += inv.resources.filter((r) => r.kind === 'policy').length; // rules, one list per policy
  // Beyond the Scaleway API lists (src/scaleway/readers/): S3 lists buckets once per region, and
  // no S3 list returns versioning or object lock, so each bucket costs two GETs more; Functions
  // lists namespaces per region, functions per namespace and crons per function; each ready
  // cluster costs its kubeconfig and, on its Kubernetes API, one Velero Schedule list, the Velero
  // Deployment and the list of its backup storage locations.
  for (const region of regions) {
    total += 1 + 2 * count('bucket', (r) => r.region === region);
    total += pages(count('backup-copy', (r) => r.region === region)) + 2 * count('backup-copy', (r) => r.region === region);
  }
  total += 4 * count('cluster');
  return total;
}

/** The GET path of one resource, for the one-GET-per-resource comparison. */
function getPath(r: LiveResource): string | undefined {
  const z = r.zone;
  const g = r.region;
  switch (r.kind) {
    case 'project': return `/account/v3/projects/${r.scalewayId}`;
    case 'private-network': return `/vpc/v2/regions/${g}/private-networks/${r.scalewayId}`;
    case 'gateway-ip': return `/vpc-gw/v2/zones/${z}/ips/${r.scalewayId}`;
    case 'public-gateway': return `/vpc-gw/v2/zones/${z}/gateways/${r.scalewayId}`;
    case 'gateway-network': return `/vpc-gw/v2/zones/${z}/gateway-networks/${r.scalewayId}`;
    case 'cluster': return `/k8s/v1/regions/${g}/clusters/${r.scalewayId}`;
    case 'pool': return `/k8s/v1/regions/${g}/pools/${r.scalewayId}`;
    case 'load-balancer': return `/lb/v1/zones/${z}/lbs/${r.scalewayId}`;
    case 'lb-frontend': return `/lb/v1/zones/${z}/frontends/${r.scalewayId}`;
    case 'lb-acl': return `/lb/v1/zones/${z}/acls/${r.scalewayId}`;
    case 'database': return `/rdb/v1/regions/${g}/instances/${r.scalewayId}`;
    case 'key': return `/key-manager/v1alpha1/regions/${g}/keys/${r.scalewayId}`;
    case 'secret': return `/secret-manager/v1beta1/regions/${g}/secrets/${r.scalewayId}`;
    default: return undefined;
  }
}

async function main(): Promise<void> {
  const projects = arg('projects', 50);
  const latency = arg('latency', 50);
  const concurrency = arg('concurrency', 16);
  // the sandbox runs in its own process, as `landing-zone sandbox` does for users
  // Every request the read makes — Scaleway API, S3 and each cluster's Kubernetes API — is
  // counted from the sandbox's own request log, not from one client's counter.
  const logFile = join(mkdtempSync(join(tmpdir(), 'lz-bench-drift-')), 'requests.log');
  const sb = await sandboxProcess(latency, logFile);
  const logged = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length : 0);
  try {
    const profile = await resolveProfile({ env: { ...sb.env, SCW_CONFIG_PATH: '/nonexistent' } });
    const text = benchLandingZone(profile.organizationId, projects);
    const { model, desired } = modelOf(text);
    say(`building the organisation: ${desired.length} declared resources`);
    const fast = { retry: { baseDelayMs: 5, maxDelayMs: 50 }, concurrency: 64 };
    const inv0 = await readInventory(readOnlyClients(profile, fast), { organizationId: profile.organizationId, regions: ['fr-par'] });
    const plan = buildPlan(desired, inv0, { ignores: [] });
    const built = await executePlan({ plan, desired, inventory: inv0, clients: writeClients(profile, fast), concurrency: 512 });
    if (built.status !== 'completed') throw new Error(`building failed: ${JSON.stringify(built.failed.slice(0, 3))}`);

    // median of `runs` reads: the machine is shared, one read can land on a busy moment
    const runs = arg('runs', 5);
    const walls: number[] = [];
    let calls = 0;
    let inventory = inv0;
    for (let r = 0; r < runs; r += 1) {
      const ro = readOnlyClients(profile, { concurrency });
      await sleep(300); // the log is appended asynchronously: let the previous run's lines land
      const before = logged();
      const t0 = performance.now();
      inventory = await readInventory(ro, { organizationId: profile.organizationId, regions: ['fr-par'] });
      walls.push(performance.now() - t0);
      await sleep(300);
      calls = logged() - before;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wallMs = median(walls);
    const report = computeDrift(desired, inventory, { ignores: model.spec.drift?.ignore ?? [] });
    const minimum = listPageMinimum(inventory, ['fr-par'], ['fr-par-1', 'fr-par-2', 'fr-par-3']);
    const lowerLimitMs = Math.ceil(minimum / concurrency) * latency;

    // the comparison: one GET per resource, same client limits
    const http = limitedFetch({ concurrency, readOnly: true });
    const paths = inventory.resources.map(getPath).filter((p): p is string => Boolean(p));
    const getWalls: number[] = [];
    for (let r = 0; r < Math.min(runs, 3); r += 1) {
      const t1 = performance.now();
      await Promise.all(paths.map((p) => http.fetch(`${sb.env.SCW_API_URL}${p}`, { headers: { 'X-Auth-Token': sb.env.SCW_SECRET_KEY! } }).then((res) => res.arrayBuffer())));
      getWalls.push(performance.now() - t1);
    }
    const getWallMs = median(getWalls);

    const result = {
      bench: 'drift',
      projects,
      resources: inventory.resources.length,
      inSync: report.inSync,
      latencyMs: latency,
      concurrency,
      calls,
      listPageMinimum: minimum,
      callsRatio: Math.round((calls / minimum) * 1000) / 1000,
      wallMs: Math.round(wallMs),
      wallRunsMs: walls.map(Math.round),
      lowerLimitMs,
      wallRatio: Math.round((wallMs / lowerLimitMs) * 1000) / 1000,
      perResourceGet: { calls: paths.length, wallMs: Math.round(getWallMs), lowerLimitMs: Math.ceil(paths.length / concurrency) * latency },
      targets: { callsRatio: 1.05, wallRatio: 1.5 },
      pass: calls / minimum <= 1.05 && wallMs / lowerLimitMs <= 1.5,
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    sb.stop();
  }
}

if (require.main === module) {
  main().then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
