// bench/apply: applying a fresh ~1,000-resource landing zone (50 projects) to an empty sandbox
// with the sandbox's default state delays (gateways 400 ms, clusters 600 ms, pools 500 ms …).
// Prints JSON on stdout:
//   wallMs          wall time of the apply (plan already computed)
//   criticalPathMs  the longest chain of the plan's dependency graph, each operation weighted by
//                   how long its kind takes when nothing queues (a 3-project calibration run
//                   against its own sandbox): the sandbox's state delays, the polls that see them
//                   settle and one round trip per call, as if the apply had unbounded parallelism
//   ratio           wallMs ÷ criticalPathMs                                   target ≤ 1.3
//   criticalChain   the chain that bounded this run, each operation's time in this run / alone
//   measuredPathMs / ratioToMeasuredPath  the same chain weighted by each operation's own
//                   duration in this run (queueing included): near 1 means the executor never
//                   left a ready operation waiting; the gap to criticalPathMs is contention
// The sandbox runs in its own process (as `landing-zone sandbox` does for users), so its work and
// the client's do not queue on one event loop.
// usage: npx tsx bench/apply.ts [--projects 50] [--concurrency 512] [--latency 0]
import { readFileSync } from 'node:fs';
import { buildPlan } from '../src/core/plan';
import { resolveProfile } from '../src/scaleway/profiles';
import { executePlan } from '../src/scaleway/apply';
import { readOnlyClients, writeClients } from '../src/scaleway/client';
import { readInventory } from '../src/scaleway/inventory';
import { benchLandingZone, modelOf, sandboxProcess } from './drift';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);


interface Run {
  plan: Awaited<ReturnType<typeof buildPlan>>;
  durations: Map<string, number>;
  wallMs: number;
  requests: number;
  cpuMs: { client: number; sandbox: number };
}

/** Applies a fresh `projects`-project landing zone to a new sandbox process and times every operation. */
async function applyFresh(projects: number, concurrency: number, latency: number): Promise<Run> {
  const sb = await sandboxProcess(latency);
  try {
    const profile = await resolveProfile({ env: { ...sb.env, SCW_CONFIG_PATH: '/nonexistent' } });
    const { desired } = modelOf(benchLandingZone(profile.organizationId, projects));
    const inventory = await readInventory(readOnlyClients(profile), { organizationId: profile.organizationId, regions: ['fr-par'] });
    const plan = buildPlan(desired, inventory, { ignores: [] });
    const started = new Map<string, number>();
    const durations = new Map<string, number>();
    const clients = writeClients(profile, { concurrency: 32 });
    const cpu = (pid: number) => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in ms (100 Hz)
    };
    const sandboxCpu0 = cpu(sb.pid);
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
    const used = process.cpuUsage(cpu0);
    const cpuMs = { client: Math.round((used.user + used.system) / 1000), sandbox: cpu(sb.pid) - sandboxCpu0 };
    if (result.status !== 'completed') throw new Error(`apply ${result.status}: ${JSON.stringify(result.failed.slice(0, 3))}`);
    return { plan, durations, wallMs, requests: clients.stats.requests, cpuMs };
  } finally {
    sb.stop();
  }
}

type Op = Run['plan']['operations'][number];

/** Longest path through the plan's graph, each operation weighted by `weight` (ops are in dependency order), and its operations. */
function criticalPath(plan: Run['plan'], weight: (op: Op) => number): { ms: number; chain: Op[] } {
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

const meanByKind = (run: Run) => {
  const acc = new Map<string, { n: number; sum: number }>();
  for (const op of run.plan.operations) {
    const d = run.durations.get(`${op.action} ${op.id}`) ?? 0;
    const a = acc.get(op.kind) ?? { n: 0, sum: 0 };
    acc.set(op.kind, { n: a.n + 1, sum: a.sum + d });
  }
  return new Map([...acc].map(([k, a]) => [k, a.sum / a.n]));
};

async function main(): Promise<void> {
  const projects = arg('projects', 50);
  const concurrency = arg('concurrency', 512);
  const latency = arg('latency', 0);
  // calibration: the same landing zone with 3 projects, where nothing queues; its per-kind
  // operation times give the critical path of the big graph as if nothing ever waited for a slot
  const small = await applyFresh(3, concurrency, latency);
  const alone = meanByKind(small);
  const run = await applyFresh(projects, concurrency, latency);
  say(`${run.plan.operations.length} operations`);
  const inRun = (op: Op) => run.durations.get(`${op.action} ${op.id}`) ?? 0;
  const { ms: measured, chain } = criticalPath(run.plan, inRun);
  const { ms: ideal } = criticalPath(run.plan, (op) => alone.get(op.kind) ?? 0);
  const kinds = meanByKind(run);
  process.stdout.write(JSON.stringify({
    bench: 'apply',
    projects,
    operations: run.plan.operations.length,
    concurrency,
    latencyMs: latency,
    requests: run.requests,
    cpuMs: run.cpuMs,
    wallMs: Math.round(run.wallMs),
    criticalPathMs: Math.round(ideal),
    ratio: Math.round((run.wallMs / ideal) * 1000) / 1000,
    measuredPathMs: Math.round(measured),
    ratioToMeasuredPath: Math.round((run.wallMs / measured) * 1000) / 1000,
    // the chain that bounded this run: each operation's time in this run and alone
    criticalChain: chain.map((op) => `${op.kind} ${Math.round(inRun(op))}/${Math.round(alone.get(op.kind) ?? 0)} ms`),
    operationMs: Object.fromEntries([...kinds].map(([k, v]) => [k, { inThisRun: Math.round(v), alone: Math.round(alone.get(k) ?? 0) }])),
    target: 1.3,
    pass: run.wallMs / ideal <= 1.3,
  }, null, 2) + '\n');
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
