import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Topology, TopologyEdge, TopologyGroup, TopologyNode } from '../topology';
import type { DiagramEdge, DiagramGroup, DiagramLayout, DiagramNode, Point } from './types';

/*
 * Our layout strategy. A whole-graph elkjs call with INCLUDE_CHILDREN (what other visualizers do)
 * costs time in proportion to the whole organisation and moves everything on every edit. Instead:
 *
 * 1. Each group (project) is laid out on its own by elk layered — more precisely each connected
 *    part of it, with a port for every node that has edges to other groups — and its parts are
 *    stacked. A part's layout is cached under a hash of its *shape* (node kinds, local edges,
 *    ports — not names or labels), so an edit inside one project re-lays out only the part it
 *    touches, a label-only edit or a rename reuses positions, and parts of the same shape
 *    (dev/staging/prod) share one layout. All cache misses go to elk in ONE flat call: elk's
 *    fixed cost per graph is paid once, and it lays out connected components independently.
 * 2. Groups are placed by a cheap deterministic arrangement: the hubs (and the IAM and DR
 *    pseudo-groups) in a left column, spokes in a grid. Column widths and row heights are group
 *    sizes rounded up to a coarse step, so an edit that does not change a group's rounded size
 *    moves nothing else.
 * 3. Edges between groups leave through their port into the gutters between columns and rows
 *    and are routed along them: orthogonal, never through a box.
 */

/** Size of every box: fixed, so that labels never change the layout (long labels are clipped). */
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 46;
const GROUP_HEADER = 44;
const GROUP_PAD = 18;
const SPACING = 18;
/** Space between group boxes; inter-group edges run in it. */
export const GUTTER = 72;
const MARGIN = GUTTER;
/** Rounding steps of group sizes in the arrangement (stability against small growth). */
const STEP_W = 120;
const STEP_H = 80;

const LAYERED_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  'elk.spacing.nodeNode': String(SPACING),
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  // each part is a connected component: elk lays them out independently of each other
  'elk.separateConnectedComponents': 'true',
  // A part holds a handful of boxes, and elk's fixed costs dominate at that size: longest-path
  // layering instead of network simplex, one crossing-minimisation pass instead of ten.
  // Measured in bench/layout.ts.
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.thoroughness': '1',
};

/** A group's layout in local coordinates, by local node and edge index. */
interface GroupShape {
  width: number;
  height: number;
  nodes: Point[];
  /** Local edges, in the order of the group's local edge list. */
  edges: Point[][];
  /** Stub from the node to the group's east border (outgoing inter-group edges), by local node index. */
  outStubs: Record<number, Point[]>;
  /** Stub from the group's west border to the node (incoming inter-group edges), by local node index. */
  inStubs: Record<number, Point[]>;
}

/** One connected part of a group, in the same form, relative to its own top-left corner; its stubs stop at the part. */
type PartShape = GroupShape;

/** A connected part of a group: its nodes and local edges (group indexes), ports, cache key. */
interface Part {
  key: string;
  members: number[];
  edges: number[];
  ins: number[];
  outs: number[];
}

interface GroupInput {
  group: TopologyGroup;
  nodes: TopologyNode[];
  local: TopologyEdge[];
  ins: number[];
  outs: number[];
  /** Index of each local edge's source and target in `nodes`. */
  localEnds: [number, number][];
  parts: Part[];
  key: string;
}

export interface LayoutStats {
  groups: number;
  /** Group parts laid out in this call (cache misses, deduplicated); `reused` came from the cache. */
  laidOut: number;
  reused: number;
  elkMs: number;
  totalMs: number;
}

/** An elk instance: the bundled build runs in-process (extension host, CLI, tests). */
export type Elk = InstanceType<typeof ELK>;
export function createElk(): Elk {
  return new ELK();
}

/**
 * Lays out topologies, keeping a cache of group shapes between calls. Keep one engine per
 * diagram panel so edits reuse it.
 */
export class DiagramLayoutEngine {
  private readonly cache = new Map<string, PartShape>();
  lastStats: LayoutStats = { groups: 0, laidOut: 0, reused: 0, elkMs: 0, totalMs: 0 };

  /**
   * `shareShapes: false` keys the cache by group as well as shape, so that parts of the same
   * shape in different groups are laid out separately (the bench reports both).
   */
  constructor(private readonly elk: Elk = createElk(), private readonly options: { shareShapes?: boolean; maxCache?: number } = {}) {}

  clearCache(): void {
    this.cache.clear();
  }

  async layout(topology: Topology): Promise<DiagramLayout> {
    const t0 = performance.now();
    const inputs = groupInputs(topology, this.options.shareShapes ?? true);
    const missing = new Map<string, { g: GroupInput; part: Part }>();
    let parts = 0;
    for (const g of inputs) {
      for (const part of g.parts) {
        parts++;
        if (!this.cache.has(part.key) && !missing.has(part.key)) missing.set(part.key, { g, part });
      }
    }
    const t1 = performance.now();
    if (missing.size > 0) {
      if (this.cache.size + missing.size > (this.options.maxCache ?? 50000)) this.cache.clear();
      const forElk: { g: GroupInput; part: Part }[] = [];
      for (const [key, x] of missing) {
        // a lone box is one layer of one node: what elk would return, without asking it
        if (x.part.members.length === 1) this.cache.set(key, lonePart(x.part));
        else forElk.push(x);
      }
      if (forElk.length > 0) for (const [key, shape] of await layoutParts(this.elk, forElk)) this.cache.set(key, shape);
    }
    const t2 = performance.now();
    const shapes = new Map(inputs.map((g) => [g.key, stackParts(g, (key) => this.cache.get(key)!)]));
    const layout = assemble(topology, inputs, (key) => shapes.get(key)!);
    this.lastStats = { groups: inputs.length, laidOut: missing.size, reused: parts - missing.size, elkMs: t2 - t1, totalMs: performance.now() - t0 };
    return layout;
  }
}

/** Splits the topology into groups with their local edges and border ports, and keys each by shape. */
function groupInputs(topology: Topology, shareShapes: boolean): GroupInput[] {
  const byGroup = new Map<string, GroupInput>();
  for (const group of topology.groups) byGroup.set(group.id, { group, nodes: [], local: [], ins: [], outs: [], localEnds: [], parts: [], key: '' });
  const where = new Map<string, { g: GroupInput; i: number }>();
  for (const n of topology.nodes) {
    const g = byGroup.get(n.group);
    if (!g) continue;
    where.set(n.id, { g, i: g.nodes.length });
    g.nodes.push(n);
  }
  const inSet = new Map<GroupInput, Set<number>>();
  const outSet = new Map<GroupInput, Set<number>>();
  const add = (m: Map<GroupInput, Set<number>>, g: GroupInput, i: number) => { let s = m.get(g); if (!s) m.set(g, (s = new Set())); s.add(i); };
  for (const e of topology.edges) {
    const s = where.get(e.source);
    const t = where.get(e.target);
    if (!s || !t) continue;
    if (s.g === t.g) s.g.local.push(e);
    else { add(outSet, s.g, s.i); add(inSet, t.g, t.i); }
  }
  for (const g of byGroup.values()) {
    g.ins = [...(inSet.get(g) ?? [])].sort((a, b) => a - b);
    g.outs = [...(outSet.get(g) ?? [])].sort((a, b) => a - b);
    g.key = g.group.id;
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    g.localEnds = g.local.map((e) => [index.get(e.source)!, index.get(e.target)!]);
    // connected parts (union-find over local edges), in the order of their first node
    const parent = g.nodes.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (const [a, b] of g.localEnds) parent[find(a)] = find(b);
    const byRoot = new Map<number, Part>();
    g.nodes.forEach((_, i) => {
      const r = find(i);
      let part = byRoot.get(r);
      if (!part) byRoot.set(r, (part = { key: '', members: [], edges: [], ins: [], outs: [] }));
      part.members.push(i);
    });
    g.localEnds.forEach(([a], k) => byRoot.get(find(a))!.edges.push(k));
    const ins = new Set(g.ins);
    const outs = new Set(g.outs);
    g.parts = [...byRoot.values()];
    for (const part of g.parts) {
      const rel = new Map(part.members.map((m, j) => [m, j]));
      part.ins = part.members.filter((m) => ins.has(m));
      part.outs = part.members.filter((m) => outs.has(m));
      // The shape: what elk sees. Names and labels are left out on purpose (fixed box sizes).
      const shape = {
        n: part.members.map((m) => g.nodes[m]!.kind),
        e: part.edges.map((k) => [rel.get(g.localEnds[k]![0]), rel.get(g.localEnds[k]![1])]),
        i: part.ins.map((m) => rel.get(m)),
        o: part.outs.map((m) => rel.get(m)),
      };
      part.key = hash(JSON.stringify(shape)) + (shareShapes ? '' : `@${g.group.id}#${part.members[0]}`);
    }
  }
  return [...byGroup.values()];
}

/** FNV-1a over the string, two 32-bit lanes: short cache keys with negligible collision odds. */
function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}:${text.length}`;
}

/**
 * All parts to lay out in ONE flat elk layered call. Each part is a connected component of the
 * flat graph, which elk lays out independently (separateConnectedComponents); a node's border
 * ports become small dummy boxes, a source for incoming and a sink for outgoing edges, which
 * layered puts in the first and the last layer.
 */
async function layoutParts(elk: Elk, parts: { g: GroupInput; part: Part }[]): Promise<Map<string, PartShape>> {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  parts.forEach(({ g, part }, pi) => {
    const p = `p${pi}_`;
    for (const m of part.members) children.push({ id: `${p}n${m}`, width: NODE_WIDTH, height: NODE_HEIGHT });
    for (const m of part.ins) children.push({ id: `${p}pi${m}`, width: 2, height: 2 });
    for (const m of part.outs) children.push({ id: `${p}po${m}`, width: 2, height: 2 });
    for (const k of part.edges) edges.push({ id: `${p}e${k}`, sources: [`${p}n${g.localEnds[k]![0]}`], targets: [`${p}n${g.localEnds[k]![1]}`] });
    for (const m of part.ins) edges.push({ id: `${p}i${m}`, sources: [`${p}pi${m}`], targets: [`${p}n${m}`] });
    for (const m of part.outs) edges.push({ id: `${p}o${m}`, sources: [`${p}n${m}`], targets: [`${p}po${m}`] });
  });
  const root = await elk.layout({ id: 'root', layoutOptions: { ...LAYERED_OPTIONS }, children, edges });
  const box = new Map((root.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 }]));
  const routes = new Map((root.edges ?? []).map((e) => [e.id, sectionPoints(e as ElkExtendedEdge)]));
  const out = new Map<string, PartShape>();
  parts.forEach(({ part }, pi) => {
    const p = `p${pi}_`;
    const ids = [...part.members.map((m) => `${p}n${m}`), ...part.ins.map((m) => `${p}pi${m}`), ...part.outs.map((m) => `${p}po${m}`)];
    const boxes = ids.map((id) => box.get(id)!);
    const minX = Math.min(...boxes.map((b) => b.x));
    const minY = Math.min(...boxes.map((b) => b.y));
    const rel = (pts: Point[]) => pts.map((q) => ({ x: q.x - minX, y: q.y - minY }));
    out.set(part.key, {
      width: Math.max(...boxes.map((b) => b.x + b.w)) - minX,
      height: Math.max(...boxes.map((b) => b.y + b.h)) - minY,
      nodes: part.members.map((m) => { const b = box.get(`${p}n${m}`)!; return { x: b.x - minX, y: b.y - minY }; }),
      edges: part.edges.map((k) => rel(routes.get(`${p}e${k}`) ?? [])),
      inStubs: Object.fromEntries(part.ins.map((m) => [part.members.indexOf(m), rel(routes.get(`${p}i${m}`) ?? [])])),
      outStubs: Object.fromEntries(part.outs.map((m) => [part.members.indexOf(m), rel(routes.get(`${p}o${m}`) ?? [])])),
    });
  });
  return out;
}

/** A part of one box: its ports are level with it. */
function lonePart(part: Part): PartShape {
  const mid = NODE_HEIGHT / 2;
  return {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    nodes: [{ x: 0, y: 0 }],
    edges: [],
    inStubs: part.ins.length ? { 0: [{ x: 0, y: mid }] } : {},
    outStubs: part.outs.length ? { 0: [{ x: NODE_WIDTH, y: mid }] } : {},
  };
}

/** A group's shape: its parts stacked in file order, stubs extended to the group's border. */
function stackParts(g: GroupInput, partOf: (key: string) => PartShape): GroupShape {
  const nodes: Point[] = g.nodes.map(() => ({ x: 0, y: 0 }));
  const edges: Point[][] = g.local.map(() => []);
  const inStubs: Record<number, Point[]> = {};
  const outStubs: Record<number, Point[]> = {};
  const width = Math.max(NODE_WIDTH, ...g.parts.map((p) => partOf(p.key).width)) + 2 * GROUP_PAD;
  let y = GROUP_HEADER;
  for (const part of g.parts) {
    const s = partOf(part.key);
    const move = (pts: Point[]) => pts.map((q) => ({ x: q.x + GROUP_PAD, y: q.y + y }));
    part.members.forEach((m, j) => {
      nodes[m] = move([s.nodes[j]!])[0]!;
      const inStub = s.inStubs[j];
      if (inStub?.length) { const r = move(inStub); inStubs[m] = [{ x: 0, y: r[0]!.y }, ...r]; }
      const outStub = s.outStubs[j];
      if (outStub?.length) { const r = move(outStub); outStubs[m] = [...r, { x: width, y: r[r.length - 1]!.y }]; }
    });
    part.edges.forEach((k, j) => { edges[k] = move(s.edges[j] ?? []); });
    y += s.height + SPACING;
  }
  const height = g.parts.length === 0 ? GROUP_HEADER + GROUP_PAD : y - SPACING + GROUP_PAD;
  return { width: Math.max(width, 200), height, nodes, edges, inStubs, outStubs };
}

function sectionPoints(e: ElkExtendedEdge): Point[] {
  const s = e.sections?.[0];
  if (!s) return [];
  return [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({ x: p.x, y: p.y }));
}

const roundUp = (v: number, step: number) => Math.ceil(v / step) * step;

interface Placed {
  x: number;
  y: number;
  col: number;
  row: number;
}

/** Places groups: column 0 holds hubs and pseudo-groups; spokes fill a grid to its right. */
function arrange(inputs: GroupInput[], shapeOf: (key: string) => GroupShape) {
  const left = inputs.filter((g) => g.group.hub || g.group.kind !== 'project');
  const spokes = inputs.filter((g) => !(g.group.hub || g.group.kind !== 'project'));
  const cols = Math.max(1, Math.ceil(Math.sqrt(spokes.length * 0.75)));
  const rows = Math.ceil(spokes.length / cols);
  const colW: number[] = [0];
  const rowH: number[] = [];
  for (const g of left) colW[0] = Math.max(colW[0]!, roundUp(shapeOf(g.key).width, STEP_W));
  spokes.forEach((g, i) => {
    const c = 1 + (i % cols);
    const r = Math.floor(i / cols);
    const s = shapeOf(g.key);
    colW[c] = Math.max(colW[c] ?? 0, roundUp(s.width, STEP_W));
    rowH[r] = Math.max(rowH[r] ?? 0, roundUp(s.height, STEP_H));
  });
  const colX: number[] = [];
  let x = MARGIN;
  for (let c = 0; c < colW.length; c++) { colX[c] = x; x += (colW[c] ?? 0) + GUTTER; }
  const rowY: number[] = [];
  let y = MARGIN;
  for (let r = 0; r < rows; r++) { rowY[r] = y; y += (rowH[r] ?? 0) + GUTTER; }
  const placed = new Map<GroupInput, Placed>();
  let ly = MARGIN;
  for (const g of left) {
    placed.set(g, { x: colX[0]!, y: ly, col: 0, row: -1 });
    ly += roundUp(shapeOf(g.key).height, STEP_H) + GUTTER;
  }
  spokes.forEach((g, i) => {
    const c = 1 + (i % cols);
    const r = Math.floor(i / cols);
    placed.set(g, { x: colX[c]!, y: rowY[r]!, col: c, row: r });
  });
  const width = x - GUTTER + MARGIN;
  const height = Math.max(y, ly) - GUTTER + MARGIN;
  return { placed, colX, colW, rowY, width: Math.max(width, 2 * MARGIN), height: Math.max(height, 2 * MARGIN) };
}

/** Absolute positions from cached shapes, and inter-group edges routed through the gutters. */
function assemble(topology: Topology, inputs: GroupInput[], shapeOf: (key: string) => GroupShape): DiagramLayout {
  const { placed, colX, colW, rowY, width, height } = arrange(inputs, shapeOf);
  const groups: DiagramGroup[] = [];
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const nodeAt = new Map<string, { g: GroupInput; i: number; pos: Placed }>();
  const move = (pts: Point[], dx: number, dy: number) => pts.map((p) => ({ x: p.x + dx, y: p.y + dy }));
  for (const g of inputs) {
    const pos = placed.get(g)!;
    const s = shapeOf(g.key);
    const { id, kind, label, role, hub, region, zone, path } = g.group;
    groups.push({ id, kind, label, ...(role ? { role } : {}), hub, ...(region ? { region } : {}), ...(zone ? { zone } : {}), x: pos.x, y: pos.y, width: s.width, height: s.height, path: [...path] });
    g.nodes.forEach((n, i) => {
      const p = s.nodes[i]!;
      nodeAt.set(n.id, { g, i, pos });
      nodes.push({ id: n.id, kind: n.kind, group: n.group, label: n.label, ...(n.detail ? { detail: n.detail } : {}), layer: n.layer, x: pos.x + p.x, y: pos.y + p.y, width: NODE_WIDTH, height: NODE_HEIGHT, path: [...n.path] });
    });
    g.local.forEach((e, i) => {
      edges.push({ id: e.id, kind: e.kind, layer: e.layer, source: e.source, target: e.target, ...(e.label ? { label: e.label } : {}), points: move(s.edges[i] ?? [], pos.x, pos.y), crossGroup: false });
    });
  }
  // Lanes spread parallel edges over a gutter; their count is fixed so positions stay stable.
  const LANES = 9;
  const lane = (k: number) => ((k % LANES) - (LANES - 1) / 2) * (GUTTER / (LANES + 1));
  let k = 0;
  for (const e of topology.edges) {
    const s = nodeAt.get(e.source);
    const t = nodeAt.get(e.target);
    if (!s || !t || s.g === t.g) continue;
    const sOut = move(shapeOf(s.g.key).outStubs[s.i] ?? [], s.pos.x, s.pos.y);
    const tIn = move(shapeOf(t.g.key).inStubs[t.i] ?? [], t.pos.x, t.pos.y);
    const from = sOut[sOut.length - 1];
    const to = tIn[0];
    if (!from || !to) continue;
    const off = lane(k++);
    // the gutter right of the source's column, and the one left of the target's column
    const xs = colX[s.pos.col]! + (colW[s.pos.col] ?? 0) + GUTTER / 2 + off;
    const xt = colX[t.pos.col]! - GUTTER / 2 + off;
    const route: Point[] = [{ x: xs, y: from.y }];
    if (t.pos.col > s.pos.col && t.pos.row >= 0) {
      if (Math.abs(xs - xt) < 1) route.push({ x: xs, y: to.y });
      else {
        // along the horizontal gutter above the target's row (it spans every spoke column)
        const yc = rowY[t.pos.row]! - GUTTER / 2 + off;
        route.push({ x: xs, y: yc }, { x: xt, y: yc }, { x: xt, y: to.y });
      }
    } else {
      // over the top of everything, then down the gutter left of the target
      const yb = MARGIN / 2 + off / 3;
      route.push({ x: xs, y: yb }, { x: xt, y: yb }, { x: xt, y: to.y });
    }
    edges.push({ id: e.id, kind: e.kind, layer: e.layer, source: e.source, target: e.target, ...(e.label ? { label: e.label } : {}), points: simplify([...sOut, ...route, ...tIn]), crossGroup: true });
  }
  return { width, height, groups, nodes, edges };
}

/** Drops repeated and collinear points. */
function simplify(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 0.01 && Math.abs(last.y - p.y) < 0.01) continue;
    const prev = out[out.length - 2];
    if (prev && last && ((Math.abs(prev.x - last.x) < 0.01 && Math.abs(last.x - p.x) < 0.01) || (Math.abs(prev.y - last.y) < 0.01 && Math.abs(last.y - p.y) < 0.01))) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/**
 * The baseline that the bench compares with: one elkjs call over the whole graph with
 * `elk.hierarchyHandling: INCLUDE_CHILDREN` (groups as compound nodes, every edge in one graph).
 */
export async function layoutWholeGraph(elk: Elk, topology: Topology): Promise<ElkNode> {
  const children: ElkNode[] = topology.groups.map((g) => ({
    id: g.id,
    layoutOptions: { 'elk.padding': `[top=${GROUP_HEADER},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]` },
    children: topology.nodes.filter((n) => n.group === g.id).map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
  }));
  const edges: ElkExtendedEdge[] = topology.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  return elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    },
    children,
    edges,
  });
}
