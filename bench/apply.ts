// bench/apply: applying a fresh landing zone of 6, 50 and 500 projects (about 20 resources each)
// to an empty sandbox, at 0 and at 50 ms per request, against the pure critical path of its plan.
// Per size and latency, JSON on stdout:
//   criticalPathMs  the longest chain of the plan's dependency graph, each operation weighted by
//                   the sandbox's own state delay for its kind (a cluster 600 ms, a pool 500 ms …,
//                   or the recorded profile given with --transition-ms recorded/N) plus one round trip to act and,
//                   for a kind that settles, one to see it settled: no polling lag, no queueing,
//                   unbounded parallelism — what no client can beat
//   warm            executePlan in this long-lived process: wall, ratio = wall ÷ criticalPathMs (≤ 1.3
//                   at 50 ms), ratioToMeasuredPath (the same graph weighted by each operation's own
//                   time in the run: near 1 means the executor never left a ready operation waiting)
//   cold            the whole `landing-zone apply --yes` command in a new process, as a user runs it
//                   (start, read, plan, apply): wall, and the apply's own time as the command prints it
//   cpuMs           warm and cold: the client's CPU (user + system); sandboxCpuMs the sandbox process's over
//                   the same run (Linux /proc): on 2 shared cores, the share of each
//   connections     the HTTP budget the plan was given (src/scaleway/client.ts connectionBudget)
// The sandbox runs in its own process (as `landing-zone sandbox` does for users), so its work and
// the client's do not queue on one event loop.
// usage: npx tsx bench/apply.ts [--sizes 6,50,500] [--latencies 0,50] [--concurrency 512] [--no-cold]
//                               [--transition-ms recorded/N]   (run `npm run build` first)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan, type Plan } from '../src/core/plan';
import { DEFAULT_DELAYS, transitionProfile, type Delays } from '../src/sandbox/context';
import { resolveProfile } from '../src/scaleway/profiles';
import { executePlan } from '../src/scaleway/apply';
import { connectionBudget, readOnlyClients, writeClients } from '../src/scaleway/client';
import { readInventory } from '../src/scaleway/inventory';
import { benchLandingZone, modelOf, processCpuMs, runTimed, sandboxProcess } from './drift';

const root = join(__dirname, '..');
const args = process.argv;
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i > 0 ? args[i + 1]! : dflt;
};
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const loadAverage = () => loadavg().map((x) => Math.round(x * 10) / 10);

type Op = Plan['operations'][number];

/**
 * The sandbox's state delays an operation of each kind waits through (src/sandbox/products: what
 * its create answers with, then what it becomes after the delay). Kinds not named settle at once.
 */
function stateDelayOf(kind: string, delays: Delays): number {
  switch (kind) {
    case 'public-gateway': return delays.gateway;
    case 'gateway-network': return delays.gatewayNetwork;
    case 'cluster': return delays.cluster;
    case 'pool': return delays.pool;
    case 'load-balancer': return delays.lb;
    case 'lb-certificate': return delays.lb;
    case 'database': return delays.instance;
    case 'backup-copy': return delays.functionNamespace + delays.function + delays.cron;
    default: return 0;
  }
}

/** Longest path through the plan's graph, each operation weighted by `weight` (ops are in dependency order), and its operations. */
function criticalPath(plan: Plan, weight: (op: Op) => number): { ms: number; chain: Op[] } {
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  let last: Op | undefined;
  for (const op of plan.operations) {
    let startAt = 0;
    for (const a of op.after) {
      if ((finish.get(a) ?? 0) > startAt) {
        startAt = finish.get(a)!;
        via.set(op.id, a);
      }
    }
    finish.set(op.id, startAt + weight(op));
    if (!last || finish.get(op.id)! > finish.get(last.id)!) last = op;
  }
  const chain: Op[] = [];
  for (let id = last?.id; id !== undefined; id = via.get(id)) chain.unshift(byId.get(id)!);
  return { ms: last ? finish.get(last.id)! : 0, chain };
}

/** A fresh sandbox process and the landing zone of `projects` projects written for its organisation. */
async function freshSandbox(projects: number, latency: number, dir: string, extra: string[]) {
  const sb = await sandboxProcess(latency, undefined, extra);
  const profile = await resolveProfile({ env: { ...sb.env, SCW_CONFIG_PATH: '/nonexistent' } });
  const text = benchLandingZone(profile.organizationId, projects);
  const file = join(dir, 'landing-zone.yaml');
  writeFileSync(file, text);
  return { sb, profile, text, file };
}

/** executePlan in this process, timing every operation. */
async function warmApply(projects: number, latency: number, concurrency: number, dir: string, extra: string[]) {
  const { sb, profile, text } = await freshSandbox(projects, latency, dir, extra);
  try {
    const { desired } = modelOf(text);
    const inventory = await readInventory(readOnlyClients(profile), { organizationId: profile.organizationId, regions: ['fr-par'] });
    const plan = buildPlan(desired, inventory, { ignores: [] });
    const connections = connectionBudget(plan.operations);
    const clients = writeClients(profile, { concurrency: connections });
    const started = new Map<string, number>();
    const durations = new Map<string, number>();
    const sb0 = processCpuMs(sb.pid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await executePlan({
      plan, desired, inventory, clients, concurrency,
      onEvent: (e) => {
        const key = `${e.op.action} ${e.op.id}`;
        if (e.type === 'start') started.set(key, performance.now());
        if (e.type === 'done') durations.set(key, performance.now() - started.get(key)!);
      },
    });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const sb1 = processCpuMs(sb.pid);
    if (result.status !== 'completed') throw new Error(`apply ${result.status}: ${JSON.stringify(result.failed.slice(0, 3))}`);
    return { plan, durations, wallMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000), sandboxCpuMs: sb0 !== undefined && sb1 !== undefined ? sb1 - sb0 : undefined, requests: clients.stats.requests, retries: clients.stats.retries, connections };
  } finally {
    await sb.stopped();
  }
}

/** `landing-zone apply --yes` in a new process against a fresh sandbox. */
async function coldApply(projects: number, latency: number, dir: string, extra: string[]) {
  const { sb, file } = await freshSandbox(projects, latency, dir, extra);
  try {
    const sb0 = processCpuMs(sb.pid);
    const p = runTimed([join(root, 'bin', 'landing-zone.js'), 'apply', '--yes', '--file', file], { cwd: dir, env: { ...process.env, ...sb.env, SCW_CONFIG_PATH: '/nonexistent', CI: '1' } });
    const sb1 = processCpuMs(sb.pid);
    if (p.status !== 0) throw new Error(`landing-zone apply exited ${p.status}: ${p.stderr.slice(-800)}`);
    // "apply: completed: 1018 done, 0 failed, 0 not run (4.7 s)"
    const m = /apply: completed: .*\(([\d.]+) s\)/.exec(p.stderr);
    return { commandMs: p.wallMs, applyMs: m ? Number(m[1]) * 1000 : undefined, cpuMs: p.cpuMs, sandboxCpuMs: sb0 !== undefined && sb1 !== undefined ? sb1 - sb0 : undefined };
  } finally {
    await sb.stopped();
  }
}

/** One size at one latency: the warm apply, the cold command, both against the pure critical path. */
async function measureOne(projects: number, latency: number, concurrency: number, cold: boolean, delays: Delays, extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lz-bench-apply-'));
  try {
    const run = await warmApply(projects, latency, concurrency, dir, extra);
    const roundTrips = (op: Op) => (stateDelayOf(op.kind, delays) > 0 ? 2 : 1);
    const pure = criticalPath(run.plan, (op) => stateDelayOf(op.kind, delays) + roundTrips(op) * latency);
    const inRun = (op: Op) => run.durations.get(`${op.action} ${op.id}`) ?? 0;
    const measured = criticalPath(run.plan, inRun);
    const c = cold ? await coldApply(projects, latency, mkdtempSync(join(dir, 'cold-')), extra) : undefined;
    return {
      projects,
      latencyMs: latency,
      operations: run.plan.operations.length,
      requests: run.requests,
      retries: run.retries,
      connections: run.connections,
      criticalPathMs: Math.round(pure.ms),
      criticalChain: pure.chain.map((op) => `${op.kind} ${Math.round(inRun(op))}/${stateDelayOf(op.kind, delays) + roundTrips(op) * latency} ms`),
      warm: { wallMs: Math.round(run.wallMs), ratio: round3(run.wallMs / pure.ms), ratioToMeasuredPath: round3(run.wallMs / measured.ms), cpuMs: run.cpuMs, sandboxCpuMs: run.sandboxCpuMs },
      // cpuMs: the command's own CPU (user + system); sandboxCpuMs: the sandbox's over the same run
      ...(c ? { cold: { commandMs: Math.round(c.commandMs), commandRatio: round3(c.commandMs / pure.ms), applyMs: c.applyMs, applyRatio: c.applyMs ? round3(c.applyMs / pure.ms) : undefined, cpuMs: c.cpuMs, sandboxCpuMs: c.sandboxCpuMs } } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = arg('sizes', arg('projects', '6,50,500')).split(',').map(Number);
  const latencies = arg('latencies', arg('latency', '0,50')).split(',').map(Number);
  const concurrency = Number(arg('concurrency', '512'));
  const cold = !args.includes('--no-cold');
  const profileName = arg('transition-ms', 'default');
  const extra = profileName === 'default' ? [] : ['--transition-ms', profileName];
  // the delays the sandbox runs with: its defaults, or the recorded profile as the sandbox reads it
  const delays: Delays = profileName === 'default' ? DEFAULT_DELAYS : transitionProfile(profileName);
  const loadBefore = loadAverage();
  const results: Awaited<ReturnType<typeof measureOne>>[] = [];
  for (const projects of sizes) {
    for (const latency of latencies) {
      const r = await measureOne(projects, latency, concurrency, cold, delays, extra);
      say(`${projects} projects at ${latency} ms: warm ${r.warm.ratio}×${r.cold ? `, command ${r.cold.commandRatio}×` : ''} the ${r.criticalPathMs} ms path`);
      results.push(r);
    }
  }
  const first = (latency: number) => results.find((r) => r.latencyMs === latency)!;
  const growth = results.map((r) => ({
    projects: r.projects, latencyMs: r.latencyMs,
    operations: round3(r.operations / first(r.latencyMs).operations),
    warmWall: round3(r.warm.wallMs / first(r.latencyMs).warm.wallMs),
    criticalPath: round3(r.criticalPathMs / first(r.latencyMs).criticalPathMs),
  }));
  process.stdout.write(JSON.stringify({
    bench: 'apply',
    transitionProfile: profileName,
    delays,
    concurrency,
    loadAverage: { before: loadBefore, after: loadAverage() },
    runs: results,
    growth,
    target: 1.3,
    pass: results.filter((r) => r.latencyMs === 50).every((r) => r.warm.ratio <= 1.3),
  }, null, 2) + '\n');
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

