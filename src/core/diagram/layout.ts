import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Topology, TopologyEdge, TopologyGroup, TopologyNode } from '../topology';
import type { DiagramEdge, DiagramGroup, DiagramLayout, DiagramNode, Point } from './types';

/*
 * Our layout strategy. A whole-graph elkjs call with INCLUDE_CHILDREN (what other visualizers do)
 * costs time in proportion to the whole organisation and moves everything on every edit. Instead:
 *
 * 1. Each group (project) is laid out on its own by elk layered, with one port on its border per
 *    node that has edges to other groups. The result is cached under a hash of the group's
 *    *shape* (node kinds, local edges, ports — not names or labels), so an edit inside one
 *    project re-lays out only that project, a label-only edit or a rename reuses positions, and
 *    projects of the same shape (dev/staging/prod) share one layout. All cache misses go to elk
 *    in one call.
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

export const GROUP_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.padding': `[top=${GROUP_HEADER},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]`,
  'elk.spacing.nodeNode': String(SPACING),
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.portConstraints': 'FIXED_SIDE',
  // A project holds a handful of boxes, and elk's fixed cost per graph dominates at that size:
  // longest-path layering instead of network simplex, one crossing-minimisation pass instead of
  // ten, unconnected parts laid out together, no model-order pass (the input order is already
  // the file's, so the result stays deterministic). Measured in bench/layout.ts.
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.thoroughness': '1',
  'elk.separateConnectedComponents': 'false',
};

/** Options of the one flat call: the group options, components apart, no group padding or ports. */
export const FLAT_OPTIONS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(GROUP_OPTIONS).filter(([k]) => k !== 'elk.padding' && k !== 'elk.portConstraints')),
  'elk.separateConnectedComponents': 'true',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

/** A group's layout in local coordinates, by local node and edge index (shareable across groups). */
interface GroupShape {
  width: number;
  height: number;
  nodes: Point[];
  /** Local edges, in the order of the group's local edge list. */
  edges: Point[][];
  /** Stub from the node to its east port (outgoing inter-group edges), by local node index. */
  outStubs: Record<number, Point[]>;
  /** Stub from the west port to the node (incoming inter-group edges), by local node index. */
  inStubs: Record<number, Point[]>;
}

interface GroupInput {
  group: TopologyGroup;
  nodes: TopologyNode[];
  local: TopologyEdge[];
  ins: number[];
  outs: number[];
  key: string;
}

export interface LayoutStats {
  groups: number;
  /** Groups whose shape elk laid out in this call (cache misses, deduplicated). */
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
  private readonly cache = new Map<string, GroupShape>();
  lastStats: LayoutStats = { groups: 0, laidOut: 0, reused: 0, elkMs: 0, totalMs: 0 };

  /**
   * `shareShapes: false` keys the cache by group as well as shape, so that groups of the same
   * shape are laid out separately (the bench reports both).
   */
  constructor(private readonly elk: Elk = createElk(), private readonly options: { shareShapes?: boolean; maxCache?: number; flat?: boolean } = {}) {}

  clearCache(): void {
    this.cache.clear();
  }

  async layout(topology: Topology): Promise<DiagramLayout> {
    const t0 = performance.now();
    const inputs = groupInputs(topology, this.options.shareShapes ?? true);
    const missing = new Map<string, GroupInput>();
    for (const g of inputs) if (!this.cache.has(g.key) && !missing.has(g.key)) missing.set(g.key, g);
    const t1 = performance.now();
    if (missing.size > 0) {
      if (this.cache.size + missing.size > (this.options.maxCache ?? 20000)) this.cache.clear();
      const forElk: GroupInput[] = [];
      for (const g of missing.values()) {
        // A group without internal edges is one layer: what elk layered would return, computed directly.
        if (g.local.length === 0) this.cache.set(g.key, singleLayer(g));
        else forElk.push(g);
      }
      if (forElk.length > 0) {
        const shapes = await (this.options.flat === false ? layoutShapes(this.elk, forElk) : layoutShapesFlat(this.elk, forElk));
        for (const [key, shape] of shapes) this.cache.set(key, shape);
      }
    }
    const t2 = performance.now();
    const layout = assemble(topology, inputs, (key) => this.cache.get(key)!);
    this.lastStats = { groups: inputs.length, laidOut: missing.size, reused: inputs.length - missing.size, elkMs: t2 - t1, totalMs: performance.now() - t0 };
    return layout;
  }
}

/** Splits the topology into groups with their local edges and border ports, and keys each by shape. */
function groupInputs(topology: Topology, shareShapes: boolean): GroupInput[] {
  const byGroup = new Map<string, GroupInput>();
  for (const group of topology.groups) byGroup.set(group.id, { group, nodes: [], local: [], ins: [], outs: [], key: '' });
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
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    // The shape: what elk sees. Names and labels are left out on purpose (fixed box sizes).
    const shape = {
      n: g.nodes.map((n) => n.kind),
      e: g.local.map((e) => [index.get(e.source), index.get(e.target)]),
      i: g.ins,
      o: g.outs,
      h: g.group.kind,
    };
    g.key = hash(JSON.stringify(shape)) + (shareShapes ? '' : `@${g.group.id}`);
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

/** One elk call for all the shapes to compute: each group is a child of a root that elk does not arrange. */
async function layoutShapes(elk: Elk, inputs: GroupInput[]): Promise<Map<string, GroupShape>> {
  const children: ElkNode[] = inputs.map((g, gi) => {
    const p = `g${gi}_`;
    const edges: ElkExtendedEdge[] = g.local.map((e, i) => ({ id: `${p}e${i}`, sources: [`${p}n${g.nodes.findIndex((n) => n.id === e.source)}`], targets: [`${p}n${g.nodes.findIndex((n) => n.id === e.target)}`] }));
    for (const i of g.outs) edges.push({ id: `${p}o${i}`, sources: [`${p}n${i}`], targets: [`${p}po${i}`] });
    for (const i of g.ins) edges.push({ id: `${p}i${i}`, sources: [`${p}pi${i}`], targets: [`${p}n${i}`] });
    return {
      id: `${p}group`,
      layoutOptions: GROUP_OPTIONS,
      ports: [
        ...g.ins.map((i) => ({ id: `${p}pi${i}`, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'WEST' } })),
        ...g.outs.map((i) => ({ id: `${p}po${i}`, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'EAST' } })),
      ],
      children: g.nodes.map((_, i) => ({ id: `${p}n${i}`, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges,
      // an empty group still needs room for its header
      ...(g.nodes.length === 0 ? { width: NODE_WIDTH + 2 * GROUP_PAD, height: GROUP_HEADER + GROUP_PAD } : {}),
    };
  });
  const root = await elk.layout({ id: 'root', layoutOptions: { 'elk.algorithm': 'fixed', 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' }, children });
  const out = new Map<string, GroupShape>();
  root.children?.forEach((c, gi) => {
    const g = inputs[gi]!;
    const p = `g${gi}_`;
    const nodes = g.nodes.map((_, i) => {
      const n = c.children?.[i];
      return { x: n?.x ?? 0, y: n?.y ?? 0 };
    });
    const edgeById = new Map((c.edges ?? []).map((e) => [e.id, sectionPoints(e as ElkExtendedEdge)]));
    const shape: GroupShape = {
      width: Math.max(c.width ?? 0, NODE_WIDTH + 2 * GROUP_PAD, 200),
      height: Math.max(c.height ?? 0, GROUP_HEADER + GROUP_PAD),
      nodes,
      edges: g.local.map((_, i) => edgeById.get(`${p}e${i}`) ?? []),
      outStubs: Object.fromEntries(g.outs.map((i) => [i, edgeById.get(`${p}o${i}`) ?? []])),
      inStubs: Object.fromEntries(g.ins.map((i) => [i, edgeById.get(`${p}i${i}`) ?? []])),
    };
    out.set(g.key, shape);
  });
  return out;
}

/**
 * All groups in ONE flat elk layered call: elk's fixed cost per graph is paid once instead of once
 * per group. Each group's connected components are components of the flat graph, which elk lays
 * out independently (separateConnectedComponents); a group's border ports become small dummy
 * boxes (sources for incoming, sinks for outgoing edges), which layered puts in the first and
 * last layer. We then stack each group's components and extend the stubs to its border.
 */
async function layoutShapesFlat(elk: Elk, inputs: GroupInput[]): Promise<Map<string, GroupShape>> {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  inputs.forEach((g, gi) => {
    const p = `g${gi}_`;
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    g.nodes.forEach((_, i) => children.push({ id: `${p}n${i}`, width: NODE_WIDTH, height: NODE_HEIGHT }));
    for (const i of g.ins) children.push({ id: `${p}pi${i}`, width: 2, height: 2 });
    for (const i of g.outs) children.push({ id: `${p}po${i}`, width: 2, height: 2 });
    g.local.forEach((e, i) => edges.push({ id: `${p}e${i}`, sources: [`${p}n${index.get(e.source)}`], targets: [`${p}n${index.get(e.target)}`] }));
    for (const i of g.ins) edges.push({ id: `${p}i${i}`, sources: [`${p}pi${i}`], targets: [`${p}n${i}`] });
    for (const i of g.outs) edges.push({ id: `${p}o${i}`, sources: [`${p}n${i}`], targets: [`${p}po${i}`] });
  });
  const root = await elk.layout({
    id: 'root',
    layoutOptions: { ...FLAT_OPTIONS },
    children,
    edges,
  });
  const pos = new Map((root.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 }]));
  const routes = new Map((root.edges ?? []).map((e) => [e.id, sectionPoints(e as ElkExtendedEdge)]));
  const out = new Map<string, GroupShape>();
  inputs.forEach((g, gi) => {
    const p = `g${gi}_`;
    const index = new Map(g.nodes.map((n, i) => [n.id, i]));
    // components of the group: union-find over its nodes, with the port dummies on their nodes
    const parent = g.nodes.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (const e of g.local) parent[find(index.get(e.source)!)] = find(index.get(e.target)!);
    const comps = new Map<number, number[]>();
    g.nodes.forEach((_, i) => { const r = find(i); let c = comps.get(r); if (!c) comps.set(r, (c = [])); c.push(i); });
    const nodes: Point[] = g.nodes.map(() => ({ x: 0, y: 0 }));
    const edgesOut: Point[][] = g.local.map(() => []);
    const outStubs: Record<number, Point[]> = {};
    const inStubs: Record<number, Point[]> = {};
    const shift = new Map<number, { dx: number; dy: number }>();
    let y = GROUP_HEADER;
    let width = NODE_WIDTH + 2 * GROUP_PAD;
    const ordered = [...comps.values()].sort((a, b) => a[0]! - b[0]!);
    for (const members of ordered) {
      const boxes = members.flatMap((i) => [pos.get(`${p}n${i}`)!, ...(g.ins.includes(i) ? [pos.get(`${p}pi${i}`)!] : []), ...(g.outs.includes(i) ? [pos.get(`${p}po${i}`)!] : [])]);
      const minX = Math.min(...boxes.map((b) => b.x));
      const minY = Math.min(...boxes.map((b) => b.y));
      const maxX = Math.max(...boxes.map((b) => b.x + b.w));
      const maxY = Math.max(...boxes.map((b) => b.y + b.h));
      const d = { dx: GROUP_PAD - minX, dy: y - minY };
      for (const i of members) {
        shift.set(i, d);
        const b = pos.get(`${p}n${i}`)!;
        nodes[i] = { x: b.x + d.dx, y: b.y + d.dy };
      }
      width = Math.max(width, maxX - minX + 2 * GROUP_PAD);
      y += maxY - minY + SPACING;
    }
    const move = (pts: Point[], d: { dx: number; dy: number }) => pts.map((q) => ({ x: q.x + d.dx, y: q.y + d.dy }));
    g.local.forEach((e, i) => { edgesOut[i] = move(routes.get(`${p}e${i}`) ?? [], shift.get(index.get(e.source)!)!); });
    for (const i of g.ins) {
      const r = move(routes.get(`${p}i${i}`) ?? [], shift.get(i)!);
      inStubs[i] = r.length ? [{ x: 0, y: r[0]!.y }, ...r] : [];
    }
    for (const i of g.outs) {
      const r = move(routes.get(`${p}o${i}`) ?? [], shift.get(i)!);
      outStubs[i] = r.length ? [...r, { x: width, y: r[r.length - 1]!.y }] : [];
    }
    out.set(g.key, { width: Math.max(width, 200), height: Math.max(y - SPACING + GROUP_PAD, GROUP_HEADER + GROUP_PAD), nodes, edges: edgesOut, outStubs, inStubs });
  });
  return out;
}

/** One column in model order, ports level with their nodes (edges only leave the group). */
function singleLayer(g: GroupInput): GroupShape {
  const width = NODE_WIDTH + 2 * GROUP_PAD;
  const nodes = g.nodes.map((_, i) => ({ x: GROUP_PAD, y: GROUP_HEADER + i * (NODE_HEIGHT + SPACING) }));
  const mid = (i: number) => nodes[i]!.y + NODE_HEIGHT / 2;
  return {
    width,
    height: g.nodes.length === 0 ? GROUP_HEADER + GROUP_PAD : GROUP_HEADER + g.nodes.length * (NODE_HEIGHT + SPACING) - SPACING + GROUP_PAD,
    nodes,
    edges: [],
    outStubs: Object.fromEntries(g.outs.map((i) => [i, [{ x: GROUP_PAD + NODE_WIDTH, y: mid(i) }, { x: width, y: mid(i) }]])),
    inStubs: Object.fromEntries(g.ins.map((i) => [i, [{ x: 0, y: mid(i) }, { x: GROUP_PAD, y: mid(i) }]])),
  };
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
