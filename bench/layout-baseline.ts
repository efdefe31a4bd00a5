import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { GROUP_HEADER, GROUP_PAD, LAYERED_OPTIONS, NODE_HEIGHT, NODE_WIDTH, type Elk } from '../src/core/diagram/layout';
import type { Topology } from '../src/core/topology';

// The layout bench's baseline, kept out of src/ (nothing the tool ships calls it).

/**
 * The baseline that the bench compares with: one elkjs call over the whole graph with
 * `elk.hierarchyHandling: INCLUDE_CHILDREN` (groups as compound nodes, every edge in one graph).
 * By default it gets the same layered options as our units (an honest denominator: elk's slow
 * defaults would flatter us); `elkDefaults: true` leaves elk's own defaults, for reference.
 */
export async function layoutWholeGraph(elk: Elk, topology: Topology, options: { elkDefaults?: boolean } = {}): Promise<ElkNode> {
  const same: Record<string, string> = { ...LAYERED_OPTIONS };
  delete same['elk.padding'];
  // elk wants a hierarchy's processors alike on every level: each group gets the options too
  const children: ElkNode[] = topology.groups.map((g) => ({
    id: g.id,
    layoutOptions: { ...(options.elkDefaults ? {} : same), 'elk.padding': `[top=${GROUP_HEADER},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]` },
    children: topology.nodes.filter((n) => n.group === g.id).map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
  }));
  const edges: ElkExtendedEdge[] = topology.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  return elk.layout({
    id: 'root',
    layoutOptions: {
      ...(options.elkDefaults ? { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.edgeRouting': 'ORTHOGONAL' } : same),
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    },
    children,
    edges,
  });
}
