import ELK from 'elkjs/lib/elk-api.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import ElkWorker from 'elkjs/lib/elk-worker.min.js';
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
 *    (dev/staging/prod) share one layout. The small units that projects are made of (a gateway
 *    with its IP, a cluster behind its load balancer, a key and its secrets) are laid out by our
 *    own few lines in elk's layered manner (`ownUnitLayout`): elk's fixed cost per call, and its
 *    warm-up in a new process, are many times what they need. The rest go to elk in ONE flat
 *    call: its fixed cost is paid once, and it lays out connected components independently.
 * 2. Groups are placed by a cheap deterministic arrangement that draws the hub and spoke: the hubs
 *    in the middle column, spokes (grouped by role, then the IAM and DR pseudo-groups) in columns
 *    on both sides, the nearest columns first. Spokes on the left are mirrored, so every spoke's
 *    load balancer faces the hubs and its ACL edge crosses one gutter. In a panel about as tall
 *    as wide, where three such columns of a few projects would fill a third of it, the picture
 *    turns a quarter: the hubs side by side in a band, the spokes in rows above and below it
 *    (`arrangeRows`). Which of the two, and how many columns, comes from the counts and the
 *    panel's aspect only. Column widths and row heights are group sizes rounded up to a coarse
 *    step, so an edit that does not change a group's rounded size moves nothing else.
 * 3. Edges between groups leave through their port on the side that faces the other group into
 *    the gutters between columns and rows and are routed along them: orthogonal, never through a
 *    box, never around the canvas.
 */

/** Size of every box: fixed, so that labels never change the layout (long labels are clipped). */
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 46;
export const GROUP_HEADER = 44;
export const GROUP_PAD = 18;
const MIN_GROUP_HEIGHT = 150;
const SPACING = 18;
/** Space between group boxes; inter-group edges run in it. */
const GUTTER = 48;
const MARGIN = 28;
/** Rounding steps of group sizes in the arrangement (stability against small growth). */
const STEP_W = 120;
const MIN_COL_W = 480;
const STEP_H = 80;

export const LAYERED_OPTIONS: Record<string, string> = {
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
  // Boxes keep the file's order within a layer. Crossing minimisation shuffles with a random
  // generator that the units of one call share, so a unit's picture would depend on which other
  // units were laid out with it, and an edit elsewhere could redraw it. Units are small trees
  // hanging off a network: the file's order draws them without crossings.
  'elk.layered.crossingMinimization.strategy': 'NONE',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
};

/** A group's layout in local coordinates, by local node and edge index. */
interface GroupShape {
  width: number;
  height: number;
  /** Where its boxes end, when it is a group's: below is room (a group has a least height). */
  bottom?: number;
  nodes: Point[];
  /** Local edges, in the order of the group's local edge list. */
  edges: Point[][];
  /** Stub from the node to the group's east border (outgoing inter-group edges), by local node index. */
  outStubs: Record<number, Point[]>;
  /** Stub from the group's west border to the node (incoming inter-group edges), by local node index. */
  inStubs: Record<number, Point[]>;
  /**
   * The same ports on the other side, where a straight line to that border is clear of boxes:
   * node to west border (outgoing), east border to node (incoming). Edges to a group on that side
   * leave or enter here instead of going round their own group.
   */
  altOut?: Record<number, Point[][]>;
  altIn?: Record<number, Point[][]>;
}

/** One connected part of a group, in the same form, relative to its own top-left corner; its stubs stop at the part. */
interface PartShape extends GroupShape {
  /** Stub from the node to the unit's east border, where its edges to the hub leave (branches only), by local node index. */
  hubStubs: Record<number, Point[]>;
}

/**
 * What elk lays out: nodes and local edges (group indexes), border ports, a cache key. A unit is
 * a whole connected part, or one branch of a part that has a hub.
 */
interface Unit {
  key: string;
  members: number[];
  edges: number[];
  ins: number[];
  outs: number[];
  /** Members with edges to the part's hub: a port on the east border (branches only). */
  hubPorts: number[];
}

/**
 * A connected part of a group. A part that gathers around a private network (everything in a
 * project is attached to it) is split: the network is the hub, and each connected piece left
 * when it is removed is a branch, laid out by elk on its own. The part is then composed without
 * elk: branches stacked in file order, the hub to their right, hub edges along a bus between them
 * — the picture elk's layered layout gives such a part. Branches recur across projects and
 * edits (a database, a gateway with its IP), so adding or removing one costs no elk call.
 */
interface Part extends Unit {
  hub?: { node: number; branches: Unit[]; hubEdges: number[] };
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
  /** The same boxes, local edges and ports as in the previous call (see `sameStructure`): its parts were kept. */
  unchanged: boolean;
}

/**
 * What the previous call made of a group, so that an edit rebuilds only what it touched: its
 * parts (when its signature is the same), its shape (when its parts' shapes are the same objects)
 * and its placed boxes and edges (when, in addition, it stands where it stood and its labels are
 * the same). Returned objects are therefore shared between successive layouts: never mutate them.
 */
interface Memo {
  input: GroupInput;
  partShapes: PartShape[];
  /** The group's shape as laid out; `shape` is it as placed (mirrored on the left of the hubs). */
  base: GroupShape;
  shape: GroupShape;
  x: number;
  y: number;
  group: DiagramGroup;
  nodes: DiagramNode[];
  local: DiagramEdge[];
}

/** A routed edge between groups, with what its route was computed from. */
interface CrossMemo {
  edge: DiagramEdge;
  from: GroupShape;
  to: GroupShape;
  /** Every number the route depends on: both groups' corners, the gutters' x and y, the turn. */
  at: number[];
}

export interface LayoutStats {
  groups: number;
  /** Parts and branches laid out in this call (cache misses, deduplicated); `reused` came from the cache. */
  laidOut: number;
  reused: number;
  /** Of `laidOut`, the units that went to elk (the others were laid out without it). */
  elkUnits: number;
  elkMs: number;
  totalMs: number;
}

/** elk, in-process (extension host, CLI, tests): what the engine and the bench's baseline call. */
export interface Elk {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * elk's in-process worker (the one `elk.bundled.js` wraps), spoken to directly: the bundle's API
 * passes each message through two `setTimeout(0)` hops — at least 1 ms each in Node, which on an
 * edit that needs elk for one small branch is as much as the layout itself. The worker computes
 * on this thread either way. Falls back to elk's own API if the worker ever stops answering at once.
 */
export function createElk(): Elk {
  const worker = new ElkWorker.Worker();
  const dispatcher = worker.dispatcher;
  if (typeof dispatcher?.saveDispatch !== 'function') return new ELK({ workerFactory: () => worker as unknown as Worker });
  const reply: { answer?: { data?: unknown; error?: unknown } } = {};
  worker.onmessage = (message) => { reply.answer = message.data as typeof reply.answer; };
  const send = (message: Record<string, unknown>) => {
    reply.answer = undefined;
    dispatcher.saveDispatch({ data: { id: 0, ...message } });
    const got = reply.answer as { data?: unknown; error?: unknown } | undefined;
    if (!got) throw new Error('elk did not answer');
    if (got.error) throw new Error(`elk: ${describeElkError(got.error)}`);
    return got.data;
  };
  send({ cmd: 'register', algorithms: ['layered'] });
  return { layout: async (graph) => send({ cmd: 'layout', graph, layoutOptions: {}, options: {} }) as ElkNode };
}

function describeElkError(err: unknown): string {
  const e = err as { message?: string; __java$exception?: { cause?: { backingJsObject?: { message?: string } } } };
  return e.__java$exception?.cause?.backingJsObject?.message ?? e.message ?? String(err);
}

/**
 * Lays out topologies, keeping a cache of group shapes between calls. Keep one engine per
 * diagram panel so edits reuse it.
 */
export class DiagramLayoutEngine {
  private readonly cache = new Map<string, PartShape>();
  private memo = new Map<string, Memo>();
  private cross = new Map<string, CrossMemo>();
  /**
   * Width / height of the panel the picture is fitted in: the arrangement follows it (a full-width
   * panel gets more columns and fewer rows than the half-width one beside the file; a few projects
   * in a panel about as tall as wide get the hubs in a band with the spokes above and below).
   */
  aspect = DEFAULT_ASPECT;
  /** Mirror images of group shapes, one object per shape, so that a mirrored group is reused like any other. */
  private mirrors = new WeakMap<GroupShape, GroupShape>();
  lastStats: LayoutStats = { groups: 0, laidOut: 0, reused: 0, elkUnits: 0, elkMs: 0, totalMs: 0 };

  /**
   * `shareShapes: false` keys the cache by group as well as shape, so that parts of the same
   * shape in different groups are laid out separately (the bench reports both). `elkOnly` sends
   * every unit of two boxes or more to elk (the bench and the tests compare the two pictures).
   */
  constructor(private readonly elk: Elk = createElk(), private readonly options: { shareShapes?: boolean; maxCache?: number; elkOnly?: boolean } = {}) {}

  private mirrorOf(base: GroupShape): GroupShape {
    let m = this.mirrors.get(base);
    if (!m) this.mirrors.set(base, (m = mirrorShape(base)));
    return m;
  }

  clearCache(): void {
    this.cache.clear();
    this.mirrors = new WeakMap();
    this.memo.clear();
    this.cross.clear();
  }

  async layout(topology: Topology): Promise<DiagramLayout> {
    const t0 = performance.now();
    const { inputs, crossing } = groupInputs(topology, this.options.shareShapes ?? true, this.memo);
    const missing = new Map<string, { g: GroupInput; unit: Unit }>();
    const compose: { g: GroupInput; part: Part }[] = [];
    let units = 0;
    const need = (g: GroupInput, unit: Unit) => {
      units++;
      if (!this.cache.has(unit.key) && !missing.has(unit.key)) missing.set(unit.key, { g, unit });
    };
    for (const g of inputs) {
      for (const part of g.parts) {
        if (!part.hub) need(g, part);
        else if (!this.cache.has(part.key)) {
          compose.push({ g, part });
          for (const b of part.hub.branches) need(g, b);
        } else units++;
      }
    }
    const t1 = performance.now();
    const forElk: { g: GroupInput; unit: Unit }[] = [];
    if (missing.size > 0) {
      if (this.cache.size + missing.size > (this.options.maxCache ?? 50000)) this.cache.clear();
      for (const [key, x] of missing) {
        // a lone box is one layer of one node: what elk would return, without asking it
        if (x.unit.members.length === 1) { this.cache.set(key, lonePart(x.unit)); continue; }
        const own = this.options.elkOnly ? undefined : ownUnitLayout(x.g, x.unit);
        if (own) this.cache.set(key, own);
        else forElk.push(x);
      }
      if (forElk.length > 0) for (const [key, shape] of await layoutUnits(this.elk, forElk)) this.cache.set(key, shape);
    }
    const t2 = performance.now();
    for (const { g, part } of compose) this.cache.set(part.key, composeHub(g, part, (key) => this.cache.get(key)!));
    const partShapes = new Map(inputs.map((g) => [g, g.parts.map((p) => this.cache.get(p.key)!)]));
    const shapes = new Map(inputs.map((g) => {
      // the same parts laid out the same: the group's shape is the one made before
      const before = this.memo.get(g.group.id);
      const parts = partShapes.get(g)!;
      const same = before !== undefined && g.unchanged && before.partShapes.length === parts.length && before.partShapes.every((p, i) => p === parts[i]);
      return [g.key, same ? before.base : stackParts(g, (key) => this.cache.get(key)!)];
    }));
    const memo = new Map<string, Memo>();
    const layout = assemble(inputs, crossing, (key) => shapes.get(key)!, this.memo, memo, this.cross, (g) => partShapes.get(g)!, (base) => this.mirrorOf(base), this.aspect);
    this.memo = memo;
    this.lastStats = { groups: inputs.length, laidOut: missing.size, reused: units - missing.size, elkUnits: forElk.length, elkMs: t2 - t1, totalMs: performance.now() - t0 };
    return layout;
  }
}

/** Splits the topology into groups with their local edges and border ports, and keys each by shape. */
function groupInputs(topology: Topology, shareShapes: boolean, memo: Map<string, Memo>): { inputs: GroupInput[]; crossing: CrossEdge[] } {
  const byGroup = new Map<string, GroupInput>();
  for (const group of topology.groups) byGroup.set(group.id, { group, nodes: [], local: [], ins: [], outs: [], localEnds: [], parts: [], key: '', unchanged: false });
  const where = new Map<string, NodeAt>();
  for (const n of topology.nodes) {
    const g = byGroup.get(n.group);
    if (!g) continue;
    where.set(n.id, { g, i: g.nodes.length });
    g.nodes.push(n);
  }
  // a node is a port when an edge joins it to another group: marked per node, read in node order
  const inPort = new Map<GroupInput, Uint8Array>();
  const outPort = new Map<GroupInput, Uint8Array>();
  const mark = (m: Map<GroupInput, Uint8Array>, at: NodeAt) => {
    let flags = m.get(at.g);
    if (!flags) m.set(at.g, (flags = new Uint8Array(at.g.nodes.length)));
    flags[at.i] = 1;
  };
  const crossing: CrossEdge[] = [];
  for (const e of topology.edges) {
    const s = where.get(e.source);
    const t = where.get(e.target);
    if (!s || !t) continue;
    if (s.g === t.g) s.g.local.push(e);
    else {
      mark(outPort, s);
      mark(inPort, t);
      crossing.push({ e, s, t });
    }
  }
  for (const g of byGroup.values()) {
    g.ins = ports(inPort.get(g));
    g.outs = ports(outPort.get(g));
    g.key = g.group.id;
    // the same boxes and edges as in the previous call: its parts, keys and branches still hold
    const before = memo.get(g.group.id);
    if (before && sameStructure(before.input, g)) {
      g.localEnds = before.input.localEnds;
      g.parts = before.input.parts;
      g.unchanged = true;
      continue;
    }
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
      if (!part) byRoot.set(r, (part = { key: '', members: [], edges: [], ins: [], outs: [], hubPorts: [] }));
      part.members.push(i);
    });
    g.localEnds.forEach(([a], k) => byRoot.get(find(a))!.edges.push(k));
    const ins = new Set(g.ins);
    const outs = new Set(g.outs);
    g.parts = [...byRoot.values()];
    // without sharing, a key also names its group and first node (an id, so that inserting a
    // node elsewhere in the group leaves the other keys alone)
    const suffix = (first: number) => (shareShapes ? '' : `@${g.group.id}#${g.nodes[first]!.id}`);
    for (const part of g.parts) {
      part.ins = part.members.filter((m) => ins.has(m));
      part.outs = part.members.filter((m) => outs.has(m));
      part.key = unitKey(g, part) + suffix(part.members[0]!);
      const hub = splitAtHub(g, part, ins, outs);
      if (hub) {
        for (const b of hub.branches) b.key = unitKey(g, b) + suffix(b.members[0]!);
        part.hub = hub;
      }
    }
  }
  return { inputs: [...byGroup.values()], crossing };
}

/** Indexes of the marked nodes, in order. */
function ports(flags: Uint8Array | undefined): number[] {
  const out: number[] = [];
  if (flags) for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

/** Where a node is: its group and its index there. */
interface NodeAt {
  g: GroupInput;
  i: number;
}

/** An edge between two groups, in topology order, with where its ends are. */
interface CrossEdge {
  e: TopologyEdge;
  s: NodeAt;
  t: NodeAt;
}

/** Whether a group has the boxes (id, kind), local edges and ports it had: what its parts depend on. */
function sameStructure(a: GroupInput, b: GroupInput): boolean {
  if (a.nodes.length !== b.nodes.length || a.local.length !== b.local.length || a.ins.length !== b.ins.length || a.outs.length !== b.outs.length) return false;
  for (let i = 0; i < a.nodes.length; i++) if (a.nodes[i]!.id !== b.nodes[i]!.id || a.nodes[i]!.kind !== b.nodes[i]!.kind) return false;
  for (let i = 0; i < a.local.length; i++) if (a.local[i]!.source !== b.local[i]!.source || a.local[i]!.target !== b.local[i]!.target) return false;
  for (let i = 0; i < a.ins.length; i++) if (a.ins[i] !== b.ins[i]) return false;
  for (let i = 0; i < a.outs.length; i++) if (a.outs[i] !== b.outs[i]) return false;
  return true;
}

/** The shape of a unit: what elk sees. Names and labels are left out on purpose (fixed box sizes). */
function unitKey(g: GroupInput, unit: Unit): string {
  const rel = new Map(unit.members.map((m, j) => [m, j]));
  const shape = {
    n: unit.members.map((m) => g.nodes[m]!.kind),
    e: unit.edges.map((k) => [rel.get(g.localEnds[k]![0]), rel.get(g.localEnds[k]![1])]),
    i: unit.ins.map((m) => rel.get(m)),
    o: unit.outs.map((m) => rel.get(m)),
    h: unit.hubPorts.map((m) => rel.get(m)),
  };
  return hash(JSON.stringify(shape));
}

/**
 * The hub of a part and its branches, when the part has one: a private network with no edge to
 * another group, joined to at least two other boxes. Branches are in file order, keyed later.
 */
function splitAtHub(g: GroupInput, part: Part, ins: Set<number>, outs: Set<number>): Part['hub'] {
  if (part.members.length < 3) return undefined;
  const hub = part.members.find((m) => g.nodes[m]!.kind === 'private-network' && !ins.has(m) && !outs.has(m));
  if (hub === undefined) return undefined;
  const parent = new Map(part.members.map((m) => [m, m]));
  const find = (i: number): number => {
    const p = parent.get(i)!;
    if (p === i) return i;
    const r = find(p);
    parent.set(i, r);
    return r;
  };
  const hubEdges: number[] = [];
  const inner: number[] = [];
  for (const k of part.edges) {
    const [a, b] = g.localEnds[k]!;
    if (a === hub || b === hub) hubEdges.push(k);
    else {
      inner.push(k);
      parent.set(find(a), find(b));
    }
  }
  const ports = new Set(hubEdges.map((k) => (g.localEnds[k]![0] === hub ? g.localEnds[k]![1] : g.localEnds[k]![0])));
  const byRoot = new Map<number, Unit>();
  for (const m of part.members) {
    if (m === hub) continue;
    const r = find(m);
    let u = byRoot.get(r);
    if (!u) byRoot.set(r, (u = { key: '', members: [], edges: [], ins: [], outs: [], hubPorts: [] }));
    u.members.push(m);
    if (ins.has(m)) u.ins.push(m);
    if (outs.has(m)) u.outs.push(m);
    if (ports.has(m)) u.hubPorts.push(m);
  }
  for (const k of inner) byRoot.get(find(g.localEnds[k]![0]))!.edges.push(k);
  const branches = [...byRoot.values()];
  return branches.length > 0 && hubEdges.length >= 2 ? { node: hub, branches, hubEdges } : undefined;
}

/** Room between the branches and the hub, where the hub edges run. */
const HUB_GAP = 64;

/**
 * A part with a hub, from its branches' shapes: branches stacked in file order, the hub to their
 * right, level with the middle of its edges (and clear of the stubs that pass it on their way to
 * other groups), hub edges along a bus halfway between them, their ends spread over the hub's side.
 */
function composeHub(g: GroupInput, part: Part, shapeOf: (key: string) => PartShape): PartShape {
  const { node: hub, branches, hubEdges } = part.hub!;
  const rel = new Map(part.members.map((m, j) => [m, j]));
  const edgeAt = new Map(part.edges.map((k, j) => [k, j]));
  const nodes: Point[] = part.members.map(() => ({ x: 0, y: 0 }));
  const edges: Point[][] = part.edges.map(() => []);
  const inStubs: Record<number, Point[]> = {};
  const outStubs: Record<number, Point[]> = {};
  const portAt = new Map<number, Point[]>();
  const branchW = Math.max(...branches.map((b) => shapeOf(b.key).width));
  const hubX = branchW + HUB_GAP;
  const busX = branchW + HUB_GAP / 2;
  const width = hubX + NODE_WIDTH;
  let y = 0;
  for (const b of branches) {
    const s = shapeOf(b.key);
    const dy = y;
    const move = (pts: Point[]) => pts.map((q) => ({ x: q.x, y: q.y + dy }));
    b.members.forEach((m, j) => {
      const at = rel.get(m)!;
      nodes[at] = { x: s.nodes[j]!.x, y: s.nodes[j]!.y + dy };
      if (s.inStubs[j]?.length) inStubs[at] = move(s.inStubs[j]!);
      const out = s.outStubs[j];
      if (out?.length) {
        const r = move(out);
        outStubs[at] = [...r, { x: width, y: r[r.length - 1]!.y }];
      }
      if (s.hubStubs[j]?.length) portAt.set(m, move(s.hubStubs[j]!));
    });
    b.edges.forEach((k, j) => { edges[edgeAt.get(k)!] = move(s.edges[j] ?? []); });
    y += s.height + SPACING;
  }
  const stacked = y - SPACING;
  const portYs = [...portAt.values()].map((p) => p[p.length - 1]!.y);
  const passing = Object.values(outStubs).map((p) => p[p.length - 1]!.y);
  const clear = (top: number) => passing.every((py) => py < top - 8 || py > top + NODE_HEIGHT + 8);
  const middle = portYs.length > 0 ? (Math.min(...portYs) + Math.max(...portYs)) / 2 : stacked / 2;
  const wanted = Math.min(Math.max(0, Math.round(middle - NODE_HEIGHT / 2)), Math.max(0, stacked - NODE_HEIGHT));
  const candidates = [wanted, ...passing.flatMap((py) => [py + 9, py - 9 - NODE_HEIGHT])].filter((t) => t >= 0 && t <= Math.max(0, stacked - NODE_HEIGHT) && clear(t));
  candidates.sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted));
  const hubY = candidates[0] ?? stacked + SPACING;
  nodes[rel.get(hub)!] = { x: hubX, y: hubY };
  // ends in the order of their ports, top to bottom: hub edges never cross each other
  const order = [...hubEdges].sort((a, b) => portY(a) - portY(b));
  function portY(k: number): number {
    const [s, t] = g.localEnds[k]!;
    const p = portAt.get(s === hub ? t : s);
    return p?.[p.length - 1]?.y ?? 0;
  }
  order.forEach((k, i) => {
    const [s, t] = g.localEnds[k]!;
    const stub = portAt.get(s === hub ? t : s) ?? [];
    const from = stub[stub.length - 1] ?? { x: branchW, y: hubY };
    const yEnd = hubY + Math.round(((i + 1) * NODE_HEIGHT) / (order.length + 1));
    const route = simplify([...stub, { x: busX, y: from.y }, { x: busX, y: yEnd }, { x: hubX, y: yEnd }]);
    edges[edgeAt.get(k)!] = s === hub ? route.reverse() : route;
  });
  return { width, height: Math.max(stacked, hubY + NODE_HEIGHT), nodes, edges, inStubs, outStubs, hubStubs: {} };
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
 * All units to lay out in ONE flat elk layered call. Each unit is a connected component of the
 * flat graph, which elk lays out independently (separateConnectedComponents); a node's border
 * ports become small dummy boxes, a source for incoming and a sink for outgoing and hub edges,
 * which layered puts in the first and the last layer.
 */
async function layoutUnits(elk: Elk, units: { g: GroupInput; unit: Unit }[]): Promise<Map<string, PartShape>> {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  units.forEach(({ g, unit }, pi) => {
    const p = `p${pi}_`;
    for (const m of unit.members) children.push({ id: `${p}n${m}`, width: NODE_WIDTH, height: NODE_HEIGHT });
    for (const m of unit.ins) children.push({ id: `${p}pi${m}`, width: 2, height: 2 });
    for (const m of unit.outs) children.push({ id: `${p}po${m}`, width: 2, height: 2 });
    for (const m of unit.hubPorts) children.push({ id: `${p}ph${m}`, width: 2, height: 2 });
    for (const k of unit.edges) edges.push({ id: `${p}e${k}`, sources: [`${p}n${g.localEnds[k]![0]}`], targets: [`${p}n${g.localEnds[k]![1]}`] });
    for (const m of unit.ins) edges.push({ id: `${p}i${m}`, sources: [`${p}pi${m}`], targets: [`${p}n${m}`] });
    for (const m of unit.outs) edges.push({ id: `${p}o${m}`, sources: [`${p}n${m}`], targets: [`${p}po${m}`] });
    for (const m of unit.hubPorts) edges.push({ id: `${p}h${m}`, sources: [`${p}n${m}`], targets: [`${p}ph${m}`] });
  });
  // the same options whether a unit comes alone or with others, so that it comes out the same
  const root = await elk.layout({ id: 'root', layoutOptions: { ...LAYERED_OPTIONS }, children, edges });
  const box = new Map((root.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 }]));
  const routes = new Map((root.edges ?? []).map((e) => [e.id, sectionPoints(e as ElkExtendedEdge)]));
  const out = new Map<string, PartShape>();
  units.forEach(({ unit }, pi) => {
    const p = `p${pi}_`;
    const ids = [...unit.members.map((m) => `${p}n${m}`), ...unit.ins.map((m) => `${p}pi${m}`), ...unit.outs.map((m) => `${p}po${m}`), ...unit.hubPorts.map((m) => `${p}ph${m}`)];
    const boxes = ids.map((id) => box.get(id)!);
    const minX = Math.min(...boxes.map((b) => b.x));
    const minY = Math.min(...boxes.map((b) => b.y));
    // rounded: a unit's place in the flat graph shifts its coordinates by other units' sizes, and
    // the subtraction leaves float noise (504.33333333333337) that would make the same unit differ
    const r = (v: number) => Math.round(v * 1000) / 1000;
    const rel = (pts: Point[]) => pts.map((q) => ({ x: r(q.x - minX), y: r(q.y - minY) }));
    const stubs = (members: number[], prefix: string) => Object.fromEntries(members.map((m) => [unit.members.indexOf(m), rel(routes.get(`${p}${prefix}${m}`) ?? [])]));
    out.set(unit.key, {
      width: r(Math.max(...boxes.map((b) => b.x + b.w)) - minX),
      height: r(Math.max(...boxes.map((b) => b.y + b.h)) - minY),
      nodes: unit.members.map((m) => { const b = box.get(`${p}n${m}`)!; return { x: r(b.x - minX), y: r(b.y - minY) }; }),
      edges: unit.edges.map((k) => rel(routes.get(`${p}e${k}`) ?? [])),
      inStubs: stubs(unit.ins, 'i'),
      outStubs: stubs(unit.outs, 'o'),
      hubStubs: stubs(unit.hubPorts, 'h'),
    });
  });
  return out;
}

/** Between layers, as elk's `nodeNodeBetweenLayers` above; a border port stands that far (and its 2 px) beyond the boxes. */
const LAYER_GAP = 44;
const PORT_MARGIN = LAYER_GAP + 2;
/** A bend's distance from the box it leaves, and between parallel bends (elk's edgeNode and a little more than edgeEdge). */
const BEND = 14;
const BEND_STEP = 10;
/** Units larger than this go to elk. */
const OWN_MAX_MEMBERS = 24;

/**
 * A unit laid out without elk: the layered picture elk gives these units (longest-path layers
 * from the sinks, the file's order, boxes aligned so that a chain's edges are straight, orthogonal
 * bends in the channel between two layers, ports on the borders), computed directly. Units are
 * small trees hanging off a network — a gateway with its IP, a cluster behind its load balancer,
 * a key and the secrets it encrypts — and elk's fixed cost per call (and its warm-up in a new
 * process) is many times the work they need. Undefined for a unit this does not draw well (a
 * cycle, an edge that skips a layer, many boxes): elk lays that one out.
 */
function ownUnitLayout(g: GroupInput, unit: Unit): PartShape | undefined {
  const n = unit.members.length;
  if (n < 2 || n > OWN_MAX_MEMBERS) return undefined;
  const rel = new Map(unit.members.map((m, j) => [m, j]));
  const es = unit.edges.map((k) => [rel.get(g.localEnds[k]![0])!, rel.get(g.localEnds[k]![1])!] as const);
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of es) {
    if (a === b || a === undefined || b === undefined) return undefined;
    succ[a]!.push(b);
    pred[b]!.push(a);
  }
  // height = longest path to a sink (elk's LONGEST_PATH layering puts sinks in the last layer)
  const height = new Array<number>(n).fill(-1);
  const state = new Uint8Array(n);
  const visit = (v: number): boolean => {
    if (state[v] === 2) return true;
    if (state[v] === 1) return false; // a cycle
    state[v] = 1;
    let h = 0;
    for (const w of succ[v]!) { if (!visit(w)) return false; h = Math.max(h, height[w]! + 1); }
    height[v] = h;
    state[v] = 2;
    return true;
  };
  for (let v = 0; v < n; v++) if (!visit(v)) return undefined;
  const H = Math.max(...height);
  const layerOf = height.map((h) => H - h);
  if (es.some(([a, b]) => layerOf[b] !== layerOf[a]! + 1)) return undefined;
  const layers: number[][] = Array.from({ length: H + 1 }, () => []);
  const ins = new Set(unit.ins.map((m) => rel.get(m)!));
  const outs = new Set(unit.outs.map((m) => rel.get(m)!));
  const hubs = new Set(unit.hubPorts.map((m) => rel.get(m)!));

  // y: layer by layer, each box level with its first predecessor, in that order, never overlapping
  const y = new Array<number>(n).fill(0);
  const order: number[][] = [];
  for (let v = 0; v < n; v++) layers[layerOf[v]!]!.push(v);
  const place = (portOffset: (from: number, to: number) => number) => {
    for (let L = 0; L <= H; L++) {
      const want = (v: number) => {
        const p = pred[v]!.filter((u) => layerOf[u] === L - 1).sort((a, b) => y[a]! - y[b]! || a - b)[0];
        return p === undefined ? undefined : y[p]! + portOffset(p, v);
      };
      const wanted = layers[L]!.map((v) => ({ v, w: want(v) }));
      // boxes with a predecessor in the order of their predecessors; the others after, in file order
      wanted.sort((a, b) => (a.w ?? Infinity) - (b.w ?? Infinity) || a.v - b.v);
      let bottom = -Infinity;
      for (const { v, w } of wanted) {
        y[v] = Math.max(w ?? 0, bottom === -Infinity ? (w ?? 0) : bottom + SPACING);
        bottom = y[v]! + NODE_HEIGHT;
      }
      order[L] = wanted.map((x) => x.v);
    }
    const top = Math.min(...y);
    for (let v = 0; v < n; v++) y[v] = y[v]! - top;
  };
  // Ports along a side, top to bottom: local edges by the other end's height, then the stubs
  // (which come from below). One port is in the middle of the side.
  const ports = () => {
    const east = new Map<string, number>();
    const west = new Map<string, number>();
    for (let v = 0; v < n; v++) {
      const o = [...succ[v]!].sort((a, b) => y[a]! - y[b]! || a - b).map((w) => `e${v}>${w}`);
      if (outs.has(v)) o.push('out');
      if (hubs.has(v)) o.push('hub');
      o.forEach((id, i) => east.set(`${v}:${id}`, y[v]! + Math.round(((i + 1) * NODE_HEIGHT) / (o.length + 1) * 1000) / 1000));
      const i0 = [...pred[v]!].sort((a, b) => y[a]! - y[b]! || a - b).map((u) => `e${u}>${v}`);
      if (ins.has(v)) i0.push('in');
      i0.forEach((id, i) => west.set(`${v}:${id}`, y[v]! + Math.round(((i + 1) * NODE_HEIGHT) / (i0.length + 1) * 1000) / 1000));
    }
    return { east, west };
  };
  place(() => 0);
  let p = ports();
  // again, each box placed so that the edge from its first predecessor is straight
  const y0 = [...y];
  place((u, v) => p.east.get(`${u}:e${u}>${v}`)! - y0[u]! - (p.west.get(`${v}:e${u}>${v}`)! - y0[v]!));
  p = ports();

  // x: a west margin for border ports coming in, layers as wide as their boxes, channels wide enough for their bends
  const bentIn = (L: number) => es.filter(([a, b]) => layerOf[b] === L && Math.abs(p.east.get(`${a}:e${a}>${b}`)! - p.west.get(`${b}:e${a}>${b}`)!) > 0.01);
  // (a port of a box in a later layer comes in beside the boxes before it, as elk puts it)
  const west0 = [...ins].some((v) => layerOf[v] === 0) ? PORT_MARGIN : 0;
  const xOf: number[] = [];
  // stubs that cannot go straight to their border turn in the channel beside their box
  const lowIns = [...ins].filter((v) => layerOf[v]! > 0 && !clearWest(v)).sort((a, b) => a - b);
  const lowOuts = [...new Set([...outs, ...hubs])].filter((v) => layerOf[v]! < H && !clearEast(v)).sort((a, b) => a - b);
  let x = west0;
  for (let L = 0; L <= H; L++) {
    if (L > 0) {
      const verticals = bentIn(L).length + lowIns.filter((v) => layerOf[v] === L).length + lowOuts.filter((v) => layerOf[v] === L - 1).length * 2;
      x += Math.max(LAYER_GAP, 2 * BEND + Math.max(0, verticals - 1) * BEND_STEP);
    }
    xOf[L] = x;
    x += NODE_WIDTH;
  }
  const width = x + ([...outs, ...hubs].some((v) => layerOf[v] === H) ? PORT_MARGIN : 0);
  function clearWest(v: number): boolean {
    const py = westPort(v);
    return (order.slice(0, layerOf[v]!).flat()).every((u) => py <= y[u]! || py >= y[u]! + NODE_HEIGHT);
  }
  function clearEast(v: number): boolean {
    return eastPorts(v).every((q) => order.slice(layerOf[v]! + 1).flat().every((u) => q <= y[u]! || q >= y[u]! + NODE_HEIGHT));
  }
  function westPort(v: number): number { return p.west.get(`${v}:in`)!; }
  function eastPorts(v: number): number[] { return ['out', 'hub'].map((k) => p.east.get(`${v}:${k}`)).filter((q): q is number => q !== undefined); }

  const nodes = y.map((yy, v) => ({ x: xOf[layerOf[v]!]!, y: yy }));
  let bottom = Math.max(...y) + NODE_HEIGHT;
  // bends in a channel: edges going down turn further left the further down they go (so they nest), up-going ones after them
  const edges: Point[][] = [];
  const bendX = new Map<string, number>();
  for (let L = 1; L <= H; L++) {
    const bent = bentIn(L).map(([a, b]) => ({ a, b, ys: p.east.get(`${a}:e${a}>${b}`)!, yt: p.west.get(`${b}:e${a}>${b}`)! }));
    const down = bent.filter((e) => e.yt > e.ys).sort((e, f) => e.yt - f.yt);
    const up = bent.filter((e) => e.yt < e.ys).sort((e, f) => f.yt - e.yt);
    const right = xOf[L]! - BEND;
    [...down, ...up].forEach((e, i) => bendX.set(`${e.a}>${e.b}`, right - i * BEND_STEP));
  }
  for (const [a, b] of es) {
    const ys = p.east.get(`${a}:e${a}>${b}`)!;
    const yt = p.west.get(`${b}:e${a}>${b}`)!;
    const x0 = nodes[a]!.x + NODE_WIDTH;
    const x1 = nodes[b]!.x;
    const bx = bendX.get(`${a}>${b}`);
    edges.push(bx === undefined ? [{ x: x0, y: ys }, { x: x1, y: ys }] : [{ x: x0, y: ys }, { x: bx, y: ys }, { x: bx, y: yt }, { x: x1, y: yt }]);
  }
  const inStubs: Record<number, Point[]> = {};
  const outStubs: Record<number, Point[]> = {};
  const hubStubs: Record<number, Point[]> = {};
  const below = (from: number, to: number) => Math.max(-Infinity, ...order.slice(from, to).flat().map((u) => y[u]! + NODE_HEIGHT));
  lowIns.forEach((v, j) => {
    const yb = Math.max(below(0, layerOf[v]!), 0) + BEND + j * BEND_STEP;
    const bx = nodes[v]!.x - BEND - j * BEND_STEP;
    inStubs[v] = [{ x: 0, y: yb }, { x: bx, y: yb }, { x: bx, y: westPort(v) }, { x: nodes[v]!.x, y: westPort(v) }];
    bottom = Math.max(bottom, yb + 1);
  });
  for (const v of ins) if (!inStubs[v]) inStubs[v] = [{ x: 0, y: westPort(v) }, { x: nodes[v]!.x, y: westPort(v) }];
  let j = 0;
  for (const v of lowOuts) {
    for (const kind of ['out', 'hub'] as const) {
      const py = p.east.get(`${v}:${kind}`);
      if (py === undefined) continue;
      const yb = Math.max(below(layerOf[v]! + 1, H + 1), y[v]! + NODE_HEIGHT) + BEND + j * BEND_STEP;
      const bx = nodes[v]!.x + NODE_WIDTH + BEND + j * BEND_STEP;
      (kind === 'out' ? outStubs : hubStubs)[v] = [{ x: nodes[v]!.x + NODE_WIDTH, y: py }, { x: bx, y: py }, { x: bx, y: yb }, { x: width, y: yb }];
      bottom = Math.max(bottom, yb + 1);
      j++;
    }
  }
  for (const v of [...outs, ...hubs]) {
    for (const kind of ['out', 'hub'] as const) {
      const py = p.east.get(`${v}:${kind}`);
      const target = kind === 'out' ? outStubs : hubStubs;
      if (py !== undefined && !target[v]) target[v] = [{ x: nodes[v]!.x + NODE_WIDTH, y: py }, { x: width, y: py }];
    }
  }
  return { width, height: bottom, nodes, edges, inStubs, outStubs, hubStubs };
}

/** A unit of one box: its ports are level with it. */
function lonePart(unit: Unit): PartShape {
  const mid = NODE_HEIGHT / 2;
  return {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    nodes: [{ x: 0, y: 0 }],
    edges: [],
    inStubs: unit.ins.length ? { 0: [{ x: 0, y: mid }] } : {},
    outStubs: unit.outs.length ? { 0: [{ x: NODE_WIDTH, y: mid }] } : {},
    hubStubs: unit.hubPorts.length ? { 0: [{ x: NODE_WIDTH, y: mid }] } : {},
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
  // never lower than a card needs for its name at the zoom that fits 50 projects in a half-width panel
  const bottom = g.parts.length === 0 ? GROUP_HEADER + GROUP_PAD : y - SPACING + GROUP_PAD;
  const height = Math.max(MIN_GROUP_HEIGHT, bottom);
  const w = Math.max(width, 200);
  for (const [m, stub] of Object.entries(outStubs)) outStubs[Number(m)] = [...stub.slice(0, -1), { x: w, y: stub[stub.length - 1]!.y }];
  const clear = (i: number, x0: number, x1: number) => {
    const ym = nodes[i]!.y + NODE_HEIGHT / 2;
    return nodes.every((q, j) => j === i || q.y >= ym || q.y + NODE_HEIGHT <= ym || q.x >= x1 || q.x + NODE_WIDTH <= x0);
  };
  // straight lines from a port's sides to the borders, where no box is in the way (elk's stubs may
  // wind round the part to reach the border)
  const straight = (m: number, west: boolean, dir: 'out' | 'in'): Point[] | undefined => {
    const n = nodes[m]!;
    const ym = n.y + NODE_HEIGHT / 2;
    if (west ? !clear(m, 0, n.x) : !clear(m, n.x + NODE_WIDTH, w)) return undefined;
    const pts = west ? [{ x: n.x, y: ym }, { x: 0, y: ym }] : [{ x: n.x + NODE_WIDTH, y: ym }, { x: w, y: ym }];
    return dir === 'out' ? pts : pts.reverse();
  };
  const altOut: Record<number, Point[][]> = {};
  const altIn: Record<number, Point[][]> = {};
  for (const m of Object.keys(outStubs).map(Number)) altOut[m] = [straight(m, true, 'out'), straight(m, false, 'out')].filter((x): x is Point[] => !!x);
  for (const m of Object.keys(inStubs).map(Number)) altIn[m] = [straight(m, true, 'in'), straight(m, false, 'in')].filter((x): x is Point[] => !!x);
  return { width: w, height, bottom, nodes, edges, inStubs, outStubs, altOut, altIn };
}

/** A group's shape seen in a mirror: what faces east faces west; stubs keep their direction. */
function mirrorShape(s: GroupShape): GroupShape {
  const flip = (pts: Point[]) => pts.map((p) => ({ x: s.width - p.x, y: p.y }));
  const flipAll = (r: Record<number, Point[]> | undefined) => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, flip(v)]));
  const flipEach = (r: Record<number, Point[][]> | undefined) => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, v.map(flip)]));
  return {
    width: s.width,
    height: s.height,
    ...(s.bottom !== undefined ? { bottom: s.bottom } : {}),
    nodes: s.nodes.map((p) => ({ x: s.width - p.x - NODE_WIDTH, y: p.y })),
    edges: s.edges.map(flip),
    outStubs: flipAll(s.outStubs),
    inStubs: flipAll(s.inStubs),
    altOut: flipEach(s.altOut),
    altIn: flipEach(s.altIn),
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
  /** Column: 0..2k, the hubs' column is k. */
  col: number;
  /** Left of the hubs: drawn mirrored, facing east. */
  mirrored: boolean;
  /** Height of its slot: the group's box, with room below its boxes. */
  h: number;
}

/** Order of spoke roles in the arrangement: spokes are grouped by role. */
const ROLE_ORDER: Record<string, number> = { security: 0, devops: 1, monitoring: 2, shared: 3, environment: 4 };
/** A typical spoke in its slot (a cluster, a database, a bucket and room for one more), with its gutters, to choose the number of columns. */
const CELL_W = 1100;
const CELL_H = 440;
/**
 * Width / height the arrangement aims at by default: the half-width panel beside the file
 * (800 × 900), where a picture much wider than high would be fitted by its width alone and its
 * cards shrink. The panel tells the engine its own (`DiagramLayoutEngine.aspect`).
 */
const DEFAULT_ASPECT = 1.0;

/**
 * How the groups are arranged: `columns`, spokes in `k` columns on each side of the hubs' column
 * (a panel wider than the picture of a few projects would be); `rows`, the hubs side by side in
 * a band across `columns` columns, spokes in rows above and below it (a panel taller than wide, a
 * few projects: three columns of them would be fitted by their width and leave most of the panel
 * empty). From the counts and the panel's shape only, so that edits that change no count keep it.
 */
type ArrangementKind = { kind: 'columns'; k: number } | { kind: 'rows'; columns: number };

function chooseArrangement(spokes: number, hubs: number, aspect = DEFAULT_ASPECT): ArrangementKind {
  let best: ArrangementKind = { kind: 'columns', k: 1 };
  let score = Infinity;
  for (let k = 1; k <= Math.max(1, Math.ceil(Math.sqrt(spokes))); k++) {
    const rows = Math.max(1, Math.ceil(spokes / (2 * k)));
    const s = Math.abs(Math.log(((2 * k + 1) * CELL_W) / (rows * CELL_H) / aspect));
    if (s < score - 1e-9) { score = s; best = { kind: 'columns', k }; }
  }
  // the band counts a row more than it holds: hubs hold the shared secrets and keys, and stand tall
  for (let c = 1; c <= hubs; c++) {
    const rows = Math.ceil(spokes / c) + Math.ceil(hubs / c) + 1;
    const s = Math.abs(Math.log((c * CELL_W) / (rows * CELL_H) / aspect));
    if (s < score - 1e-9) { score = s; best = { kind: 'rows', columns: c }; }
  }
  return best;
}

/** Where the groups are, and the free channels between them that edges run along. */
interface Arrangement {
  placed: Map<GroupInput, Placed>;
  colX: number[];
  colW: number[];
  /** Per column, the middle of each free gap between its groups (above the first and below the last too). */
  gaps: number[][];
  width: number;
  height: number;
}

/** A group's slot: its height and room for one more row of boxes, so that adding one moves no other group. */
const ROOM = NODE_HEIGHT + SPACING;
/**
 * The least slot: a card that holds a long name ("DR site nl-ams") on two lines when 50 projects
 * are fitted in a half-width panel. A few projects are fitted at a zoom where any card has room
 * for two lines: there it would only stretch the picture. (From the count: edits keep it.)
 */
const MIN_SLOT = 360;
const MIN_SLOT_FROM = 12;
/**
 * Slots grow in steps of this much: a slot is a function of its group's shape alone (a file opened
 * fresh and the same file reached by edits give the same picture), and a step holds more than a
 * box added to a project, so that most such edits leave the slot, and every other group, where
 * they were. Only a project that crosses a step moves the groups below it in its column.
 */
const SLOT_STEP = 120;
const slotHeight = (s: GroupShape, least: number) => Math.max(least, roundUp(Math.max(s.height, (s.bottom ?? s.height) + ROOM), SLOT_STEP));

/**
 * Places groups in columns: the hubs stacked in the middle one; the IAM and DR pseudo-groups, then
 * the spokes by role, dealt to the columns beside it in turn, nearest pair first, left before
 * right, each column a stack from the top.
 *
 * Everything here is a function of the groups' shapes, their order and the panel's aspect, never
 * of an earlier call: the picture of a file does not depend on the edits that led to it. Edits
 * still move little: each group stands in a slot with room for one more row of boxes, rounded up
 * to a step (`SLOT_STEP`), and the spoke columns are all as wide as the widest spoke, so a box
 * added to a project grows it into its room and moves nothing else unless it crosses a step or
 * widens the widest spoke. The dealing of groups to columns depends on the count of groups (and
 * of IAM applications and DR sites), not on what a project holds.
 */
function arrange(inputs: GroupInput[], shapeOf: (key: string) => GroupShape, aspect: number): Arrangement {
  const isHub = (g: GroupInput) => g.group.kind === 'project' && g.group.hub;
  const role = (g: GroupInput) => (g.group.kind === 'project' ? ROLE_ORDER[g.group.role ?? 'environment'] ?? 9 : -1);
  const hubs = inputs.filter(isHub);
  const others = inputs.map((g, i) => ({ g, i })).filter(({ g }) => !isHub(g))
    .sort((a, b) => role(a.g) - role(b.g) || a.i - b.i).map(({ g }) => g);
  // the pseudo-groups first, on top beside the hubs: an edit in a spoke never moves them
  const chosen = chooseArrangement(others.length, hubs.length, aspect);
  if (chosen.kind === 'rows') return arrangeRows(hubs, others, shapeOf, chosen.columns);
  const k = chosen.k;
  const stacks: GroupInput[][] = Array.from({ length: 2 * k + 1 }, () => []);
  stacks[k] = hubs;
  // Each group goes to the least loaded column, nearest pair first (k-1, k+1, k-2, k+2, …): with
  // equal loads, in turn. A spoke is one slot; a pseudo-group as many as its boxes stack up to
  // (from its count of boxes, not its laid-out height: the shape depends on counts only), so a
  // tall list of IAM applications is not topped with as many spokes as the other columns.
  const order = Array.from({ length: 2 * k }, (_, p) => (p % 2 === 0 ? k - 1 - Math.floor(p / 2) : k + 1 + Math.floor(p / 2)));
  const load = new Array<number>(2 * k + 1).fill(0);
  for (const g of others) {
    const slots = g.group.kind === 'project' ? 1 : Math.max(1, Math.round((g.nodes.length * (NODE_HEIGHT + SPACING) + GROUP_HEADER) / (MIN_GROUP_HEIGHT + GUTTER)));
    let c = order[0]!;
    for (const o of order) if (load[o]! < load[c]!) c = o;
    stacks[c]!.push(g);
    load[c]! += slots;
  }
  const cols = stacks.length;
  // never narrower than a card needs for its name when 50 projects are fitted in a half-width panel;
  // the spoke columns all alike, so that a pseudo-group's column holds its name as a spoke's does
  const spokeW = Math.max(MIN_COL_W, ...others.map((g) => roundUp(shapeOf(g.key).width, STEP_W)));
  const colW = stacks.map((st, c) => (st.length === 0 ? 0 : c === k ? Math.max(MIN_COL_W, ...st.map((g) => roundUp(shapeOf(g.key).width, STEP_W))) : spokeW));
  const colX: number[] = [];
  let x = MARGIN;
  for (let c = 0; c < cols; c++) { colX[c] = x; x += colW[c]! + (colW[c]! > 0 ? GUTTER : 0); }
  const placed = new Map<GroupInput, Placed>();
  const gaps: number[][] = [];
  const least = others.length > MIN_SLOT_FROM ? MIN_SLOT : 0;
  let bottom = MARGIN;
  stacks.forEach((st, c) => {
    let y = MARGIN;
    const g0: number[] = [Math.max(12, y - GUTTER / 2)];
    for (const g of st) {
      const s = shapeOf(g.key);
      const h = slotHeight(s, least);
      // left of the hubs a group hugs the hubs' column
      placed.set(g, { x: colX[c]! + (c < k ? colW[c]! - s.width : 0), y, h, col: c, mirrored: c < k });
      y += h + GUTTER;
      g0.push(y - GUTTER / 2);
    }
    gaps[c] = g0;
    bottom = Math.max(bottom, y - GUTTER);
  });
  return { placed, colX, colW, gaps, width: Math.max(x - GUTTER + MARGIN, 2 * MARGIN), height: Math.max(bottom + MARGIN, 2 * MARGIN) };
}

/**
 * The portrait arrangement: the hubs side by side in a band across the columns (dealt to them in
 * turn when there are more hubs than columns, each column's last one as low as the band), the
 * spokes in rows of `columns` above and below it, the upper half of the rows above. The IAM
 * applications stand just above the first hub and the DR site just below the last one, where all
 * their edges are short (API keys stored in the security project; every spoke's backups and the
 * devops project's copy); the spokes fill the other cells row by row from the top, in the order of
 * the column arrangement. Cards keep their own slot's height and hug the band (bottom of a row
 * above it, top of a row below), so an edit that grows a spoke moves only the rows below its own
 * (none, in the bottom row) and never resizes another card. Columns are all as wide as the
 * widest group: the gaps run straight across, and the overview's trees and the routes between
 * groups use them as they use the column arrangement's gutters. The left half is mirrored: load
 * balancers and gateway IPs face the gutter in the middle, where the ACL edges run.
 */
function arrangeRows(hubs: GroupInput[], others: GroupInput[], shapeOf: (key: string) => GroupShape, columns: number): Arrangement {
  const least = others.length > MIN_SLOT_FROM ? MIN_SLOT : 0;
  const colWidth = Math.max(MIN_COL_W, ...[...hubs, ...others].map((g) => roundUp(shapeOf(g.key).width, STEP_W)));
  const colX = Array.from({ length: columns }, (_, c) => MARGIN + c * (colWidth + GUTTER));
  const colW = colX.map(() => colWidth);
  const mirrored = (c: number) => c < Math.floor(columns / 2);
  const R = Math.ceil(others.length / columns);
  const above = Math.ceil(R / 2);
  const rows: (GroupInput | undefined)[][] = Array.from({ length: R }, () => new Array<GroupInput | undefined>(columns).fill(undefined));
  // the pseudo-groups next to the band, where every edge they have is short: the IAM applications
  // above the first hub (their API keys are stored in the security project), the DR site below the
  // last one (every spoke's backups, and the devops project's copy, go to it)
  const pin = (g: GroupInput, row: number, from: number, step: number) => {
    for (let c = from; row >= 0 && row < R && c >= 0 && c < columns; c += step) if (!rows[row]![c]) { rows[row]![c] = g; return true; }
    return false;
  };
  const rest: GroupInput[] = [];
  for (const g of others) {
    const pinned = g.group.kind === 'iam' ? pin(g, above - 1, 0, 1) : g.group.kind === 'dr-site' ? pin(g, above, columns - 1, -1) : false;
    if (!pinned) rest.push(g);
  }
  // the spokes row by row from the top, in the order of the column arrangement
  let next = 0;
  for (const row of rows) for (let c = 0; c < columns && next < rest.length; c++) if (!row[c]) row[c] = rest[next++];
  const placed = new Map<GroupInput, Placed>();
  const put = (g: GroupInput, c: number, y: number, h: number) => {
    const s = shapeOf(g.key);
    placed.set(g, { x: colX[c]! + (mirrored(c) ? colWidth - s.width : 0), y, h, col: c, mirrored: mirrored(c) });
  };
  let y = MARGIN;
  const rowGaps: number[] = [Math.max(12, y - GUTTER / 2)];
  const placeRow = (row: (GroupInput | undefined)[], up: boolean) => {
    const hs = row.map((g) => (g ? slotHeight(shapeOf(g.key), least) : 0));
    const h = Math.max(...hs);
    row.forEach((g, c) => { if (g) put(g, c, up ? y + h - hs[c]! : y, hs[c]!); });
    y += h + GUTTER;
    rowGaps.push(y - GUTTER / 2);
  };
  rows.slice(0, above).forEach((row) => placeRow(row, true));
  // the band: each column's hubs stacked, the last one as low as the band
  const stacks: GroupInput[][] = Array.from({ length: columns }, () => []);
  hubs.forEach((g, i) => stacks[i % columns]!.push(g));
  const heights = stacks.map((st) => st.map((g) => slotHeight(shapeOf(g.key), least)));
  const bandH = Math.max(0, ...heights.map((hs) => hs.reduce((n, h) => n + h, 0) + Math.max(0, hs.length - 1) * GUTTER));
  const bandGaps: number[][] = stacks.map(() => []);
  stacks.forEach((st, c) => {
    let yy = y;
    st.forEach((g, i) => {
      // hubs side by side are as tall as each other: the band's two edges are straight for the trees that join it
      const h = i === st.length - 1 ? y + bandH - yy : heights[c]![i]!;
      put(g, c, yy, h);
      yy += h + GUTTER;
      if (i < st.length - 1) bandGaps[c]!.push(yy - GUTTER / 2);
    });
  });
  if (hubs.length > 0) {
    y += bandH + GUTTER;
    rowGaps.push(y - GUTTER / 2);
  }
  rows.slice(above).forEach((row) => placeRow(row, false));
  const width = MARGIN + columns * colWidth + (columns - 1) * GUTTER + MARGIN;
  const gaps = colX.map((_, c) => [...rowGaps, ...bandGaps[c]!].sort((a, b) => a - b));
  return { placed, colX, colW, gaps, width, height: Math.max(y - GUTTER + MARGIN, 2 * MARGIN) };
}

const samePath = (a: readonly (string | number)[], b: readonly (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameNode = (a: TopologyNode | undefined, b: TopologyNode) =>
  !!a && a.id === b.id && a.kind === b.kind && a.group === b.group && a.label === b.label && a.detail === b.detail && a.layer === b.layer && samePath(a.path, b.path);
const sameGroup = (a: TopologyGroup, b: TopologyGroup) =>
  a.id === b.id && a.kind === b.kind && a.label === b.label && a.role === b.role && a.hub === b.hub && a.region === b.region && a.zone === b.zone && samePath(a.path, b.path);
const sameEdge = (a: { id: string; kind: string; layer: string; source: string; target: string; label?: string } | undefined, b: TopologyEdge) =>
  !!a && a.id === b.id && a.kind === b.kind && a.layer === b.layer && a.source === b.source && a.target === b.target && a.label === b.label;

/**
 * Absolute positions from cached shapes, and inter-group edges routed through the gutters. What
 * the previous call placed is reused where nothing it depends on changed (see `Memo`): `next`
 * receives this call's groups, and `cross` is brought up to date with its edges.
 */
function assemble(inputs: GroupInput[], crossing: CrossEdge[], baseOf: (key: string) => GroupShape, prev: Map<string, Memo>, next: Map<string, Memo>, cross: Map<string, CrossMemo>, partShapesOf: (g: GroupInput) => PartShape[], mirrorOf: (base: GroupShape) => GroupShape, aspect: number): DiagramLayout {
  const arrangement = arrange(inputs, baseOf, aspect);
  const { placed, width, height } = arrangement;
  const shapeOfGroup = new Map(inputs.map((g) => [g, placed.get(g)!.mirrored ? mirrorOf(baseOf(g.key)) : baseOf(g.key)]));
  const groups: DiagramGroup[] = [];
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const move = (pts: Point[], dx: number, dy: number) => pts.map((p) => ({ x: p.x + dx, y: p.y + dy }));
  for (const g of inputs) {
    const pos = placed.get(g)!;
    const s = shapeOfGroup.get(g)!;
    const before = prev.get(g.group.id);
    // same shape object: same structure, so node i and local edge i are the same boxes as before
    const still = before !== undefined && before.shape === s && before.x === pos.x && before.y === pos.y;
    const { id, kind, label, role, hub, region, zone, path } = g.group;
    // every box of a column is as wide as the column: aligned edges, and room for a card's text
    const gx = arrangement.colX[pos.col]!;
    const gw = Math.max(s.width, arrangement.colW[pos.col]!);
    const group: DiagramGroup = still && sameGroup(before.input.group, g.group) && before.group.x === gx && before.group.width === gw && before.group.height === pos.h ? before.group
      : { id, kind, label, ...(role ? { role } : {}), hub, ...(region ? { region } : {}), ...(zone ? { zone } : {}), x: gx, y: pos.y, width: gw, height: pos.h, path: [...path] };
    groups.push(group);
    const placedNodes = g.nodes.map((n, i) => {
      if (still && sameNode(before.input.nodes[i], n)) return before.nodes[i]!;
      const p = s.nodes[i]!;
      return { id: n.id, kind: n.kind, group: n.group, label: n.label, ...(n.detail ? { detail: n.detail } : {}), layer: n.layer, x: pos.x + p.x, y: pos.y + p.y, width: NODE_WIDTH, height: NODE_HEIGHT, path: [...n.path] };
    });
    for (const n of placedNodes) nodes.push(n);
    const local = g.local.map((e, i) => (still && sameEdge(before.input.local[i], e) ? before.local[i]!
      : { id: e.id, kind: e.kind, layer: e.layer, source: e.source, target: e.target, ...(e.label ? { label: e.label } : {}), points: move(s.edges[i] ?? [], pos.x, pos.y), crossGroup: false }));
    for (const e of local) edges.push(e);
    next.set(g.group.id, { input: g, partShapes: partShapesOf(g), base: baseOf(g.key), shape: s, x: pos.x, y: pos.y, group, nodes: placedNodes, local });
  }
  // Lanes spread parallel edges over a gutter; their count is fixed so positions stay stable. An
  // edge's lane comes from its own id, so adding or removing another edge never moves it (a
  // running count would shift every later edge of a hub, whose gateway IP feeds every ACL).
  const LANES = 9;
  const lane = (k: number) => ((k % LANES) - (LANES - 1) / 2) * (GUTTER / (LANES + 1));
  const at = new Map(inputs.map((g) => [g, { pos: placed.get(g)!, shape: shapeOfGroup.get(g)! }]));
  const { colX, colW } = arrangement;
  const gutterX = (i: number) => (i < colX.length ? colX[i]! - GUTTER / 2 : colX[i - 1]! + colW[i - 1]! + GUTTER / 2);
  // a stub's side: where its border end lies
  const westEnd = (p: Point | undefined) => p !== undefined && Math.abs(p.x) < 0.01;
  /**
   * The ways out of (or into) a group for node i: its stubs to the east and west borders, on to
   * the gutter there; and straight down (up) to the gap below (above) the group when no box is in
   * the way, on to either gutter of its column. `pts` run from the node (to the node for 'in').
   */
  const ends = (shape: GroupShape, pos: Placed, i: number, dir: 'out' | 'in', off: number): { pts: Point[]; g: number; y: number }[] => {
    const out: { pts: Point[]; g: number; y: number }[] = [];
    const stubs = dir === 'out' ? [shape.outStubs[i], ...(shape.altOut?.[i] ?? [])] : [shape.inStubs[i], ...(shape.altIn?.[i] ?? [])];
    for (const stub of stubs) {
      if (!stub?.length) continue;
      const border = dir === 'out' ? stub[stub.length - 1]! : stub[0]!;
      out.push({ pts: move(stub, pos.x, pos.y), g: westEnd(border) ? pos.col : pos.col + 1, y: pos.y + border.y });
    }
    const n = shape.nodes[i]!;
    const cx = pos.x + n.x + NODE_WIDTH / 2 + off;
    const free = (below: boolean) => shape.nodes.every((q, j) => j === i || q.x >= n.x + NODE_WIDTH || q.x + NODE_WIDTH <= n.x || (below ? q.y + NODE_HEIGHT <= n.y : q.y >= n.y + NODE_HEIGHT));
    for (const below of [true, false]) {
      if (!free(below)) continue;
      const gy = (below ? pos.y + pos.h + GUTTER / 2 : Math.max(12, pos.y - GUTTER / 2)) + off / 3;
      const pts = [{ x: cx, y: pos.y + n.y + (below ? NODE_HEIGHT : 0) }, { x: cx, y: gy }];
      for (const g of [pos.col, pos.col + 1]) out.push({ pts: dir === 'out' ? pts : [...pts].reverse(), g, y: gy });
    }
    return out;
  };
  for (const { e, s, t } of crossing) {
    const { pos: sPos, shape: from } = at.get(s.g)!;
    const { pos: tPos, shape: to } = at.get(t.g)!;
    const before = cross.get(e.id);
    const b = before?.at;
    // what the route depends on (more than enough): both groups' corners, the columns from one to
    // the other and their gaps. Unchanged: the route is the one made before.
    const lo = Math.min(sPos.col, tPos.col);
    const hi = Math.max(sPos.col, tPos.col);
    const off = lane(laneOf(e.id));
    const ins = ends(to, tPos, t.i, 'in', off);
    // a route crosses a column through the gap nearest to where it enters its target: of a
    // column's gaps only those count (an edit that moves other gaps in a column leaves it be)
    const near: number[] = [];
    for (let c = lo; c <= hi; c++) {
      const gaps = arrangement.gaps[c]!;
      for (const i of ins) near.push(gaps.reduce((best, y) => (Math.abs(y - i.y) < Math.abs(best - i.y) ? y : best), gaps[0]!));
    }
    const key = [sPos.x, sPos.y, sPos.h, tPos.x, tPos.y, tPos.h, ...arrangement.colX.slice(lo, hi + 1), ...arrangement.colW.slice(lo, hi + 1), ...near];
    const same = before !== undefined && b !== undefined && before.from === from && before.to === to && sameEdge(before.edge, e);
    if (same && b.length === key.length && b.every((v, i) => v === key[i])) {
      edges.push(before.edge);
      continue;
    }
    // of the ways out and in (each side, and down or up into the gap below or above the group),
    // the pair with the shortest route
    let best: { points: Point[]; len: number } | undefined;
    for (const o of ends(from, sPos, s.i, 'out', off)) {
      for (const i of ins) {
        const points = simplify([...o.pts, ...channelRoute(arrangement, gutterX, o.g, i.g, o.y, i.y, off), ...i.pts]);
        const len = pathLength(points);
        if (!best || len < best.len - 0.5) best = { points, len };
      }
    }
    if (!best) continue;
    // a route that came out the same keeps its object (an edit elsewhere in a column moved a gap it does not use)
    const edge: DiagramEdge = same && samePoints(before.edge.points, best.points) ? before.edge
      : { id: e.id, kind: e.kind, layer: e.layer, source: e.source, target: e.target, ...(e.label ? { label: e.label } : {}), points: best.points, crossGroup: true };
    edges.push(edge);
    cross.set(e.id, { edge, from, to, at: key });
  }
  // edges that are gone: forgotten once they outnumber the living
  if (cross.size > 2 * crossing.length + 64) {
    const live = new Set(crossing.map((c) => c.e.id));
    for (const id of cross.keys()) if (!live.has(id)) cross.delete(id);
  }
  return { width, height, groups, nodes, edges };
}

/**
 * The route from gutter `gs` at height `y0` to gutter `gt` at height `y1`: down the gutter, and
 * across each column in between through the gap between its groups nearest to where the edge is
 * going. Gutters and gaps are free of boxes, so no route passes through one, and none goes round
 * the canvas.
 */
function channelRoute(a: Arrangement, gutterX: (i: number) => number, gs: number, gt: number, y0: number, y1: number, off: number): Point[] {
  const pts: Point[] = [{ x: gutterX(gs) + off, y: y0 }];
  let g = gs;
  while (g !== gt) {
    const col = gt > g ? g : g - 1;
    const next = gt > g ? g + 1 : g - 1;
    const gaps = a.gaps[col]!;
    const yg = gaps.reduce((best, y) => (Math.abs(y - y1) < Math.abs(best - y1) ? y : best), gaps[0]!) + off / 3;
    pts.push({ x: gutterX(g) + off, y: yg }, { x: gutterX(next) + off, y: yg });
    g = next;
  }
  pts.push({ x: gutterX(gt) + off, y: y1 });
  return pts;
}

const samePoints = (a: Point[], b: Point[]) => a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y);
const pathLength = (pts: Point[]) => pts.slice(1).reduce((n, p, i) => n + Math.abs(p.x - pts[i]!.x) + Math.abs(p.y - pts[i]!.y), 0);

/** An edge's lane, from its id (FNV-1a). */
function laneOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 9;
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
