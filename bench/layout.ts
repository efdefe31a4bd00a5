// Layout bench: our strategy (per-project layered layouts of each connected part, cached by
// shape, all cache misses in one flat elk call; grid arrangement; gutter routing) against one whole-graph elkjs call with INCLUDE_CHILDREN over the same graph — what
// other visualizers do — in one process, warm, on the example and on a generated 500-project
// organisation. Also: an edit inside one project re-laid out against our full layout, and a check
// that untouched projects keep their positions. Prints JSON with the ratios.
//
//   npx tsx bench/layout.ts [--projects 500] [--runs 5]
//
// Times are medians of wall-clock and of CPU time (user + system) per call; on a machine shared
// with other work, CPU time is the fair comparison (wall time then mostly measures waiting).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElk, DiagramLayoutEngine, layoutWholeGraph } from '../src/core/diagram/layout';
import type { DiagramLayout } from '../src/core/diagram/types';
import { buildTopology, type Topology } from '../src/core/topology';
import { validateText } from '../src/core/validate';
import { generatedLandingZone } from '../test/unit/diagram-fixture';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROJECTS = arg('projects', 500);
const RUNS = arg('runs', 5);

function topologyOf(text: string): Topology {
  const r = validateText(text);
  if (!r.model) throw new Error(`no model: ${r.issues[0]?.message}`);
  return buildTopology(r.model);
}

/** Wall and CPU time of one call, in ms. CPU time is what to compare on a shared, loaded machine. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians of wall and CPU time over `runs` calls. */
async function median(runs: number, fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timed(fn);
    walls.push(t.wall);
    cpus.push(t.cpu);
  }
  return { wall: med(walls), cpu: med(cpus) };
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function benchCase(name: string, text: string, editedText: string, editedProject: string, labelText: string, branchText: string, runs: number, warmups: number) {
  const elk = createElk();
  const topology = topologyOf(text);
  const edited = topologyOf(editedText);
  const labelled = topologyOf(labelText);
  const branched = topologyOf(branchText);
  // warm-up: elk is GWT-compiled Java and takes many calls to reach steady state, on both strategies
  for (let i = 0; i < warmups; i++) {
    await layoutWholeGraph(elk, topology);
    await new DiagramLayoutEngine(elk).layout(topology);
    await new DiagramLayoutEngine(elk, { shareShapes: false }).layout(topology);
    const e = new DiagramLayoutEngine(elk, { shareShapes: false });
    await e.layout(topology);
    await e.layout(edited);
    await e.layout(branched);
  }
  const picture = figures(await new DiagramLayoutEngine(elk).layout(topology));
  const whole = await median(runs, () => layoutWholeGraph(elk, topology));
  let stats = new DiagramLayoutEngine(elk).lastStats;
  const full = await median(runs, async () => { const e = new DiagramLayoutEngine(elk); await e.layout(topology); stats = e.lastStats; });
  const fullUnshared = await median(runs, () => new DiagramLayoutEngine(elk, { shareShapes: false }).layout(topology));

  // An edit inside one project, on an engine that has laid the file out before (as in the editor).
  // No shape sharing here, so the edited project's new shape is never already in the cache.
  const edits: { wall: number; cpu: number }[] = [];
  const labels: { wall: number; cpu: number }[] = [];
  const branches: { wall: number; cpu: number }[] = [];
  let editStats = stats;
  let branchStats = stats;
  let movedNodes = 0;
  // edits are cheap: time more of them than of the whole-graph call (GC pauses land at random)
  const editRuns = Math.max(runs, 15);
  for (let i = 0; i < editRuns; i++) {
    const engine = new DiagramLayoutEngine(elk, { shareShapes: false });
    const before = await engine.layout(topology);
    let after: DiagramLayout | undefined;
    edits.push(await timed(async () => { after = await engine.layout(edited); }));
    editStats = engine.lastStats;
    movedNodes = Math.max(movedNodes, movedOutside(before, after!, `${editedProject}/project`));
    await engine.layout(topology);
    labels.push(await timed(() => engine.layout(labelled)));
    await engine.layout(topology);
    branches.push(await timed(async () => { after = await engine.layout(branched); }));
    branchStats = engine.lastStats;
    movedNodes = Math.max(movedNodes, movedOutside(before, after!, `${editedProject}/project`));
  }
  const mid = (xs: { wall: number; cpu: number }[]) => ({ wall: med(xs.map((x) => x.wall)), cpu: med(xs.map((x) => x.cpu)) });
  const edit = mid(edits);
  const label = mid(labels);
  const branch = mid(branches);
  const ms = (t: { wall: number; cpu: number }) => ({ wall: round(t.wall), cpu: round(t.cpu) });
  const ratio = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }) => ({ wall: round(a.wall / b.wall, 3), cpu: round(a.cpu / b.cpu, 3) });
  return {
    case: name,
    projects: topology.groups.filter((g) => g.kind === 'project').length,
    nodes: topology.nodes.length,
    edges: topology.edges.length,
    runs,
    editRuns,
    warmups,
    ms: {
      wholeGraphIncludeChildren: ms(whole),
      oursFull: ms(full),
      oursFullNoShapeSharing: ms(fullUnshared),
      oursEditOneProject: ms(edit),
      oursLabelOnlyEdit: ms(label),
      oursEditNewBranch: ms(branch),
    },
    // parts: the connected pieces of projects that elk lays out (cache misses) / took from the cache
    partsLaidOut: { full: stats.laidOut, edit: editStats.laidOut, editReused: editStats.reused, newBranch: branchStats.laidOut, newBranchElkMs: round(branchStats.elkMs) },
    ratios: {
      fullVsWhole: ratio(full, whole),
      fullNoShapeSharingVsWhole: ratio(fullUnshared, whole),
      editVsFull: ratio(edit, full),
      editVsFullNoShapeSharing: ratio(edit, fullUnshared),
      editNewBranchVsFull: ratio(branch, full),
    },
    // what the picture looks like: share of the canvas the groups cover, the longest edge against
    // the canvas half-diagonal (≤ 1 wanted on the example), the ACL edges' longest
    picture,
    untouchedProjectsUnchanged: movedNodes === 0,
    nodesMovedOutsideEditedProject: movedNodes,
    targets: {
      fullAtMostHalfOfWhole: { wall: full.wall / whole.wall <= 0.5, cpu: full.cpu / whole.cpu <= 0.5 },
      editAtMostFifthOfFull: { wall: edit.wall / full.wall <= 0.2, cpu: edit.cpu / full.cpu <= 0.2 },
      newBranchEditAtMostFifthOfFull: { wall: branch.wall / full.wall <= 0.2, cpu: branch.cpu / full.cpu <= 0.2 },
    },
  };
}

/** Fill and edge lengths of a layout. */
function figures(l: DiagramLayout) {
  const length = (pts: { x: number; y: number }[]) => pts.slice(1).reduce((n, p, i) => n + Math.hypot(p.x - pts[i]!.x, p.y - pts[i]!.y), 0);
  const half = Math.hypot(l.width, l.height) / 2;
  const longest = Math.max(0, ...l.edges.map((e) => length(e.points)));
  const acl = Math.max(0, ...l.edges.filter((e) => e.kind === 'acl').map((e) => length(e.points)));
  return {
    canvas: [Math.round(l.width), Math.round(l.height)],
    groupsCoverCanvas: round(l.groups.reduce((n, g) => n + g.width * g.height, 0) / (l.width * l.height), 3),
    longestEdgeVsHalfDiagonal: round(longest / half, 3),
    longestAclEdgeVsHalfDiagonal: round(acl / half, 3),
  };
}

/** Nodes outside the edited group whose position changed. */
function movedOutside(before: DiagramLayout, after: DiagramLayout, group: string): number {
  const at = new Map(after.nodes.map((n) => [n.id, n]));
  let moved = 0;
  for (const n of before.nodes) {
    if (n.group === group) continue;
    const m = at.get(n.id);
    if (!m || m.x !== n.x || m.y !== n.y) moved++;
  }
  return moved;
}

async function run() {
  const example = readFileSync(join(__dirname, '..', 'examples', 'landing-zone.yaml'), 'utf8');
  // prod gains a database on its private network: its connected part is laid out again
  const exampleEdited = example.replace('    secrets:\n      main-db-endpoint:', '      reports: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 6, retentionDays: 7, sameRegion: false } }\n    secrets:\n      main-db-endpoint:');
  if (exampleEdited === example) throw new Error('edit anchor not found');
  const exampleLabel = example.replace('version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S', 'version: "1.34"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S');

  const big = generatedLandingZone(PROJECTS);
  const mid = Math.floor(PROJECTS / 2);
  // a project in the middle gains a database (a new box, a new edge)
  const bigEdited = big.replace(`  env-${mid}:\n    role: environment\n`, `  env-${mid}:\n    role: environment\n    databases:\n      extra: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 24, retentionDays: 7, sameRegion: true } }\n`);
  if (bigEdited === big) throw new Error('edit anchor not found');
  const bigLabel = big.replace('      c0:\n        version: "1.35"', '      c0:\n        version: "1.34"');

  // the other kind of edit: a branch of a shape never seen (a cluster behind its own load
  // balancer), which elk has to lay out
  const exampleBranch = example.replace('        keys: [security/app-data]\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XS', '        keys: [security/app-data]\n      batch:\n        version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S, size: 1 }\n        loadBalancer: { type: LB-S, https: true, allowFrom: [devops], domains: [batch.acme.example] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XS');
  if (exampleBranch === example) throw new Error('edit anchor not found');
  const at = big.indexOf('    clusters:\n', big.indexOf(`  env-${mid}:\n`)) + '    clusters:\n'.length;
  const bigBranch = `${big.slice(0, at)}      extra:\n        version: "1.35"\n        pools: { default: { nodeType: PRO2-S, size: 1 } }\n        loadBalancer: { type: LB-S, https: true, allowFrom: [devops] }\n${big.slice(at)}`;

  const results = [
    await benchCase('example', example, exampleEdited, 'prod', exampleLabel, exampleBranch, Math.max(RUNS, 15), 30),
    await benchCase(`generated-${PROJECTS}`, big, bigEdited, `env-${mid}`, bigLabel, bigBranch, RUNS, 2),
  ];
  const load = (await import('node:os')).loadavg()[0];
  process.stdout.write(JSON.stringify({ bench: 'layout', node: process.version, loadAverage1m: round(load ?? 0, 2), note: 'ms are medians; compare cpu when the machine is shared (load average above the core count)', results }, null, 2) + '\n');
}

void run();
