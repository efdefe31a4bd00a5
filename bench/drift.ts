import { pathToFileURL } from 'node:url';
// bench/drift: reading an organisation of 6, 50 and 500 projects (about 20 resources each) from
// the sandbox at 50 ms per request, as `landing-zone drift` does. Per size, JSON on stdout:
//   calls / requestMinimum   requests of one read (the sandbox's log: Scaleway API, S3 and each
//                            cluster's Kubernetes API alike) vs the ones it cannot do without    ≤ 1.05×
//   lowerLimitMs             the shortest possible read: every request `latency` ms, at most
//                            `concurrency` at once for all of them, none before the lists it waits
//                            for (the longest chain: load balancers → frontends → ACLs, clusters →
//                            kubeconfig → Velero); see lowerLimitMs()
//   warm                     the read (readDrift) in this long-lived process, after a first one
//   cold                     the whole `landing-zone drift --format json` command in a new process,
//                            as a shell or CI job runs it: start, load, validate, read, report  ≤ 1.5× at 50;
//                            its CPU (cpuMs) and the sandbox's over the same run (sandboxCpuMs)
//   growth                   each size against the smallest
//   perResourceGet           one GET per resource (what Terraform's refresh does), measured the same way
// usage: npx tsx bench/drift.ts [--sizes 6,50,500 | --projects N] [--latency 50] [--concurrency 16]
//                               [--runs 5] [--cold-runs 3]   (run `npm run build` first: cold runs bin/landing-zone.js)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { desiredResources } from '../src/core/desired';
import { buildPlan } from '../src/core/plan';
import type { Inventory, LiveResource } from '../src/core/state';
import { validateText } from '../src/core/validate';
import type { Sandbox } from '../src/sandbox/server';
import { executePlan } from '../src/scaleway/apply';
import { readOnlyClients, writeClients } from '../src/scaleway/client';
import { limitedFetch } from '../src/scaleway/http';
import { readInventory } from '../src/scaleway/inventory';
import { resolveProfile, type ScalewayProfile } from '../src/scaleway/profiles';
import { ZONES_BY_REGION } from '../src/core/schema';
import { readDrift } from '../src/scaleway/engine';
import { openSession } from '../src/scaleway/session';

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
  // past Scaleway's default quota of 255 Private Networks per organisation, an organisation this
  // size has had it raised by support: the file says so, as its reviewer would (the rule still
  // runs for every other file)
  if (projects > 255) out.push('rules:', '  quota-private-networks: off   # raised by Scaleway support for this organisation');
  return out.join('\n') + '\n';
}

const root = join(__dirname, '..');

/** `landing-zone sandbox --print-env` in a child process; resolves with its SCW_* variables. */
export function sandboxProcess(latency: number, logFile?: string, extra: string[] = [], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ env: Record<string, string>; stop: () => void; stopped: () => Promise<void>; pid: number }> {
  return new Promise((resolveEnv, reject) => {
    const log = logFile ? ['--log', logFile] : [];
    const child = spawn(process.execPath, [...nodeArgs, '--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'src/cli/main.ts'), 'sandbox', '--print-env', '--latency', String(latency), ...log, ...extra], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    const vars: Record<string, string> = {};
    let buf = '';
    let exited = false;
    const exit = new Promise<void>((r) => child.on('exit', () => { exited = true; r(); }));
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split('\n')) {
        const m = /^(SCW_[A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) vars[m[1]!] = m[2]!;
      }
      if (vars.SCW_API_URL && vars.SCW_SECRET_KEY && vars.SCW_DEFAULT_ORGANIZATION_ID && vars.SCW_ACCESS_KEY) {
        resolveEnv({ env: vars, stop: () => child.kill('SIGTERM'), stopped: async () => { if (!exited) child.kill('SIGTERM'); await exit; }, pid: child.pid! });
      }
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

/** One request of a read: how many requests precede it on its chain (`head`) and how long its chain is from it on, itself included (`tail`). */
interface ChainedRequest { what: string; head: number; tail: number }

/**
 * The requests a read of `inv` cannot do without, with the lists they wait for — the chains of
 * src/scaleway/inventory.ts and its readers: a list of n items costs one page per 100 (the first,
 * then the others side by side), and what is listed per item starts once every page is in.
 * Every request counts, the S3 and Kubernetes ones included: they share the client's connection
 * budget (ScalewayClients.slot).
 */
export function requestChains(inv: Inventory, regions: string[], zones: string[]): ChainedRequest[] {
  const out: ChainedRequest[] = [];
  const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
  type Below = (head: number) => number;
  /** A list of `n` items starting at `head`, then `below` for what waits for it; returns its chain length. */
  const list = (what: string, head: number, n: number, below: Below[] = []): number => {
    const p = pages(n);
    const childHead = head + (p > 1 ? 2 : 1);
    const rest = Math.max(0, ...below.map((b) => b(childHead)));
    out.push({ what, head, tail: (p > 1 ? 2 : 1) + rest });
    for (let i = 1; i < p; i += 1) out.push({ what: `${what} (page ${i + 1})`, head: head + 1, tail: 1 + rest });
    return (p > 1 ? 2 : 1) + rest;
  };
  const of = (kind: string, pred: (r: LiveResource) => boolean = () => true) => inv.resources.filter((r) => r.kind === kind && pred(r));
  const sameList = (kind: string) => (r: LiveResource) => r.kind === kind || r.kind === `${kind}-replica`;
  // S3 lists one project's buckets per request (the project named after the access key), so each
  // project of the project list costs one bucket list per region once that list is in, then each
  // bucket its versioning and object lock (no list returns them)
  const projects = of('project');
  const bucketLists = regions.flatMap((region) => projects.map((p) => (h: number) => {
    const own = of('bucket', (b) => b.region === region && b.projectId === p.scalewayId);
    out.push({ what: `s3 buckets ${region} ${p.name}`, head: h, tail: own.length > 0 ? 2 : 1 });
    for (const b of own) for (const what of ['versioning', 'object lock']) out.push({ what: `${what} ${b.name}`, head: h + 1, tail: 1 });
    return own.length > 0 ? 2 : 1;
  }));
  list('projects', 0, projects.length, bucketLists);
  for (const region of regions) {
    for (const kind of ['private-network', 'database', 'key', 'secret']) list(`${kind}s ${region}`, 0, inv.resources.filter((r) => sameList(kind)(r) && r.region === region).length);
    const clusters = of('cluster', (r) => r.region === region);
    list(`clusters ${region}`, 0, clusters.length, clusters.flatMap((c) => [
      (h: number) => list('pools', h, of('pool', (r) => r.parentId === c.scalewayId).length),
      (h: number) => list('nodes', h, ((c.attrs?.nodeIps as string[] | undefined) ?? []).length),
      // kubeconfig, then on the cluster's Kubernetes API: Velero's schedules, its Deployment and its storage locations
      ...(c.attrs?.status === 'ready' ? [(h: number) => list('kubeconfig', h, 1, [(k: number) => list('velero schedules', k, 1), (k: number) => list('velero deployment', k, 1), (k: number) => list('velero storage locations', k, 1)])] : []),
    ]));
    // Functions: namespaces, the functions of each, the crons of each backup copy
    const copies = of('backup-copy', (r) => r.region === region);
    list(`function namespaces ${region}`, 0, copies.length, copies.map(() => (h: number) => list('functions', h, 1, [(k: number) => list('crons', k, 1)])));
  }
  for (const zone of zones) {
    list(`gateways ${zone}`, 0, of('public-gateway', (r) => r.zone === zone).length);
    list(`gateway ips ${zone}`, 0, of('gateway-ip', (r) => r.zone === zone).length);
    const lbs = of('load-balancer', (r) => r.zone === zone);
    list(`load balancers ${zone}`, 0, lbs.length, lbs.flatMap((lb) => {
      const frontends = of('lb-frontend', (r) => r.parentId === lb.scalewayId);
      const carried = new Set(frontends.map((r) => r.attrs?.backendId));
      const extraBackends = of('lb-backend', (r) => r.parentId === lb.scalewayId && !carried.has(r.scalewayId)).length > 0;
      return [
        (h: number) => list('frontends', h, frontends.length, [
          ...frontends.map((fe) => (k: number) => list('acls', k, of('lb-acl', (r) => r.parentId === fe.scalewayId).length)),
          ...(extraBackends ? [(k: number) => list('backends', k, of('lb-backend', (r) => r.parentId === lb.scalewayId).length)] : []),
        ]),
        (h: number) => list('certificates', h, of('lb-certificate', (r) => r.parentId === lb.scalewayId).length),
      ];
    }));
  }
  list('applications', 0, of('application').length);
  list('api keys', 0, of('api-key').length);
  const policies = of('policy');
  list('policies', 0, policies.length, policies.filter((p) => !p.scalewayManaged).map(() => (h: number) => list('rules', h, 1)));
  return out;
}

/**
 * The shortest time in which `requests` can be made with `slots` connections when each takes
 * `latency` ms: no request starts before the `head` ones on its chain are done, at most `slots`
 * run at once. Two bounds, both exact consequences of those rules: the requests that cannot start
 * before step k need ceil(count ÷ slots) steps from there; the requests with k steps or more
 * still to go after them must all be done k steps before the end.
 */
export function lowerLimitMs(requests: readonly ChainedRequest[], slots: number, latency: number): { ms: number; chainSteps: number; budgetSteps: number } {
  const depth = Math.max(0, ...requests.map((r) => r.head + r.tail));
  let steps = 0;
  for (let k = 0; k < depth; k += 1) {
    const late = requests.filter((r) => r.head >= k).length;
    const long = requests.filter((r) => r.tail > k).length;
    steps = Math.max(steps, k + Math.ceil(late / slots), k + Math.ceil(long / slots));
  }
  return { ms: steps * latency, chainSteps: depth, budgetSteps: Math.ceil(requests.length / slots) };
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

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15), in clock ticks of 10 ms
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * A command in a new process, with its wall time and, where /usr/bin/time exists, its CPU time
 * (user + system): on 2 shared cores the CPU is what load changes least, and what tells the
 * client's share of a run from the sandbox's.
 */
export function runTimed(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { status: number | null; stdout: string; stderr: string; wallMs: number; cpuMs?: number } {
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const p = spawnSync(timed ? '/usr/bin/time' : process.execPath, timed ? ['-f', 'LZ_BENCH_CPU %U %S', process.execPath, ...args] : args, { ...options, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t0;
  const m = /^LZ_BENCH_CPU ([\d.]+) ([\d.]+)$/m.exec(p.stderr);
  return { status: p.status, stdout: p.stdout, stderr: p.stderr.replace(/^LZ_BENCH_CPU .*\n?/m, ''), wallMs, ...(m ? { cpuMs: Math.round((Number(m[1]) + Number(m[2])) * 1000) } : {}) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const loadAverage = () => loadavg().map((x) => Math.round(x * 10) / 10);

/** The organisation of `projects` projects, built once at no latency and kept in a state file. */
async function buildOrganisation(projects: number, dir: string): Promise<{ stateFile: string; credentials: Record<string, string>; file: string }> {
  const stateFile = join(dir, 'sandbox-state.json');
  const sb = await sandboxProcess(0, undefined, ['--state', stateFile]);
  try {
    const profile = await resolveProfile({ env: { ...sb.env, SCW_CONFIG_PATH: '/nonexistent' } });
    const text = benchLandingZone(profile.organizationId, projects);
    const file = join(dir, 'landing-zone.yaml');
    writeFileSync(file, text);
    const { desired } = modelOf(text);
    say(`${projects} projects: building ${desired.length} declared resources`);
    const fast = { retry: { baseDelayMs: 5, maxDelayMs: 50 }, concurrency: 64 };
    const inv0 = await readInventory(readOnlyClients(profile, fast), { organizationId: profile.organizationId, regions: ['fr-par'] });
    const plan = buildPlan(desired, inv0, { ignores: [] });
    const built = await executePlan({ plan, desired, inventory: inv0, clients: writeClients(profile, fast), concurrency: 512 });
    if (built.status !== 'completed') throw new Error(`building failed: ${JSON.stringify(built.failed.slice(0, 3))}`);
    await sleep(500); // the state file is written shortly after the last change
    return { stateFile, credentials: { SCW_ACCESS_KEY: sb.env.SCW_ACCESS_KEY!, SCW_SECRET_KEY: sb.env.SCW_SECRET_KEY! }, file };
  } finally {
    await sb.stopped();
  }
}

/** One size: warm reads in this process, whole `landing-zone drift` commands in new ones, the honest lower limit. */
async function measure(projects: number, latency: number, concurrency: number, runs: number, coldRuns: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lz-bench-drift-'));
  const built = await buildOrganisation(projects, dir);
  const logFile = join(dir, 'requests.log');
  const sb = await sandboxProcess(latency, logFile, ['--state', built.stateFile], built.credentials);
  const logged = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length : 0);
  const env = { ...process.env, ...sb.env, SCW_CONFIG_PATH: '/nonexistent' };
  try {
    const opened = await openSession({ file: built.file, cwd: dir, profile: { env } });
    if (!opened.ok) throw new Error(opened.message);
    const session = opened.session;

    // warm: the same read as the command (readDrift: the session's regions, the default budget), in this process
    const walls: number[] = [];
    let calls = 0;
    let inventory: Inventory | undefined;
    let inSync = false;
    for (let r = 0; r <= runs; r += 1) {
      await sleep(300); // the log is appended asynchronously: let the previous run's lines land
      const before = logged();
      const t0 = performance.now();
      const read = await readDrift(session, { concurrency });
      walls.push(performance.now() - t0);
      inventory = read.inventory;
      inSync = read.report.verdict === 'in-sync';
      await sleep(300);
      calls = logged() - before;
    }
    // the first read of this process runs under tsx, compiling the TypeScript it meets: left out
    const warm = walls.slice(1);

    // cold: the whole command in a new process, as a shell or a CI job runs it
    const commands: number[] = [];
    const commandCpu: number[] = [];
    const sandboxCpu: number[] = [];
    for (let r = 0; r < coldRuns; r += 1) {
      const sb0 = processCpuMs(sb.pid);
      const p = runTimed([join(root, 'bin', 'landing-zone.js'), 'drift', '--file', built.file, '--format', 'json'], { cwd: dir, env });
      const sb1 = processCpuMs(sb.pid);
      commands.push(p.wallMs);
      if (p.cpuMs !== undefined) commandCpu.push(p.cpuMs);
      if (sb0 !== undefined && sb1 !== undefined) sandboxCpu.push(sb1 - sb0);
      if (p.status !== 0 && p.status !== 3) throw new Error(`landing-zone drift exited ${p.status}: ${p.stderr.slice(0, 500)}`);
    }

    const zones = session.regions.flatMap((r) => ZONES_BY_REGION[r]);
    const chains = requestChains(inventory!, session.regions, zones);
    const limit = lowerLimitMs(chains, concurrency, latency);
    const longest = chains.reduce((a, b) => (b.head + b.tail > a.head + a.tail ? b : a));

    // the comparison: one GET per resource, same client limits
    const http = limitedFetch({ concurrency, readOnly: true });
    const paths = inventory!.resources.map(getPath).filter((p): p is string => Boolean(p));
    const t1 = performance.now();
    await Promise.all(paths.map((p) => http.fetch(`${sb.env.SCW_API_URL}${p}`, { headers: { 'X-Auth-Token': sb.env.SCW_SECRET_KEY! } }).then((res) => res.arrayBuffer())));
    const getWallMs = performance.now() - t1;

    const warmMs = median(warm);
    const commandMs = median(commands);
    return {
      projects,
      resources: inventory!.resources.length,
      verdict: inSync ? 'in-sync' : 'not in sync',
      calls,
      requestMinimum: chains.length,
      callsRatio: round3(calls / chains.length),
      lowerLimitMs: limit.ms,
      lowerLimit: { chainSteps: limit.chainSteps, budgetSteps: limit.budgetSteps, longestChainEndsWith: longest.what },
      warm: { medianMs: Math.round(warmMs), runsMs: warm.map(Math.round), ratio: round3(warmMs / limit.ms) },
      // cpuMs: the command's own CPU (user + system); sandboxCpuMs: the sandbox's over the same run (the servers' side, on the same 2 cores)
      cold: { commandMedianMs: Math.round(commandMs), runsMs: commands.map(Math.round), ratio: round3(commandMs / limit.ms), ...(commandCpu.length ? { cpuMs: median(commandCpu) } : {}), ...(sandboxCpu.length ? { sandboxCpuMs: median(sandboxCpu) } : {}) },
      perResourceGet: { calls: paths.length, wallMs: Math.round(getWallMs), lowerLimitMs: Math.ceil(paths.length / concurrency) * latency },
    };
  } finally {
    await sb.stopped();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizesAt = process.argv.indexOf('--sizes');
  // without --sizes or --projects, all three sizes (indexOf's -1 must not pick argv[0])
  const sizesText = process.argv.includes('--projects') ? String(arg('projects', 50)) : sizesAt >= 0 ? (process.argv[sizesAt + 1] ?? '') : '6,50,500';
  const sizes = sizesText.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes wants a comma-separated list of project counts, got "${sizesText}"`);
  const latency = arg('latency', 50);
  const concurrency = arg('concurrency', 16);
  const runs = arg('runs', 5);
  const coldRuns = arg('cold-runs', 3);
  const loadBefore = loadAverage();
  const results = [];
  for (const projects of sizes) {
    const r = await measure(projects, latency, concurrency, runs, coldRuns);
    say(`${projects} projects: warm ${r.warm.ratio}×, command ${r.cold.ratio}× the ${r.lowerLimitMs} ms limit`);
    results.push(r);
  }
  // how cost grows: each size against the first, per resource and in total
  const first = results[0]!;
  const growth = results.map((r) => ({
    projects: r.projects,
    resources: r.resources / first.resources,
    calls: round3(r.calls / first.calls),
    lowerLimit: round3(r.lowerLimitMs / first.lowerLimitMs),
    warm: round3(r.warm.medianMs / first.warm.medianMs),
    command: round3(r.cold.commandMedianMs / first.cold.commandMedianMs),
  }));
  const at50 = results.find((r) => r.projects === 50);
  process.stdout.write(JSON.stringify({
    bench: 'drift',
    latencyMs: latency,
    concurrency,
    loadAverage: { before: loadBefore, after: loadAverage() },
    sizes: results,
    growth,
    targets: { callsRatio: 1.05, commandRatioAt50: 1.5 },
    pass: results.every((r) => r.callsRatio <= 1.05) && (!at50 || at50.cold.ratio <= 1.5),
  }, null, 2) + '\n');
}

if (require.main === module) {
  main().then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
