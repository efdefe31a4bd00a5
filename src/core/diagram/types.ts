import type { Range } from '../issues';
import type { TopologyEdgeKind, TopologyGroup, TopologyLayer, TopologyNode } from '../topology';

/*
 * The laid-out diagram and what is drawn over it. These are plain JSON values: the extension
 * host computes them and posts them to the webview (src/protocol checks them with zod), and the
 * CLI renders them to a file.
 */

export interface Point {
  x: number;
  y: number;
}

/** Position (absolute, top-left) and size of a laid-out box. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A resource box: the topology node's identity and labels, placed. */
export interface DiagramNode extends Pick<TopologyNode, 'id' | 'kind' | 'group' | 'label' | 'detail' | 'layer'>, Box {
  /** Where the node is defined in the YAML (0-based), for "reveal" on click. */
  range?: Range;
  /** The YAML path of the definition, for cursor → highlight (mutable: it crosses JSON). */
  path: (string | number)[];
}

/** A project (or pseudo-group) box: the topology group, placed. */
export interface DiagramGroup extends Pick<TopologyGroup, 'id' | 'kind' | 'label' | 'role' | 'hub' | 'region' | 'zone'>, Box {
  range?: Range;
  path: (string | number)[];
}

/** An edge as a polyline (orthogonal segments), from the source box to the target box. */
export interface DiagramEdge {
  id: string;
  kind: TopologyEdgeKind;
  layer: TopologyLayer;
  source: string;
  target: string;
  label?: string;
  points: Point[];
  /** True when the edge leaves its source's group (drawn through the gutters between groups). */
  crossGroup: boolean;
}

/** The whole laid-out graph. */
export interface DiagramLayout {
  width: number;
  height: number;
  groups: DiagramGroup[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export type BadgeSeverity = 'error' | 'warning' | 'info';

/** Validation findings attached to one node (or group). */
export interface NodeBadge {
  severity: BadgeSeverity;
  count: number;
  /** The first few messages, for the tooltip. */
  messages: string[];
}

/** Drift state of one resource, as the drift report names it. */
export type DriftState = 'in-sync' | 'changed' | 'missing' | 'unmanaged';

/** A resource found in the account that the file does not describe. */
export interface UnmanagedResource {
  id: string;
  /** The landing-zone project it was found in, when known; its group shows the count. */
  project?: string;
  kind?: string;
  name?: string;
}

/**
 * The drift overlay: node id (resource id, `<project>/<kind>/<name>`) → state, plus the
 * coverage (share of desired resources in sync, 0..100) and the unmanaged resources.
 */
export interface DiagramOverlay {
  states: Record<string, DriftState>;
  coverage?: number;
  unmanaged?: UnmanagedResource[];
  /** ISO time the drift report was made. */
  checkedAt?: string;
}

/** A failure to simulate: one zone or one region goes away. */
export type FailureScenario = { kind: 'zone'; zone: string } | { kind: 'region'; region: string };

/**
 * What happens to a node in a failure: `lost` (gone, recreated from the file), `restored` (its data
 * comes back from a backup or replica), `failover` (survives on a standby), `unrecoverable`
 * (no recovery path: data is gone or nothing can restore it).
 */
export type FailureStatus = 'lost' | 'restored' | 'failover' | 'unrecoverable';

export interface FailureImpact {
  status: FailureStatus;
  /** Where and how it comes back, or why it cannot: one sentence. */
  note: string;
  /** A few words for the box: `Velero → fr-par-2`, `no recovery path`. */
  short: string;
  /** The zone or region it is restored into. */
  restoreTo?: string;
}

/** The outcome of a failure simulation; nodes not listed survive. */
export interface FailureSimulation {
  scenario: FailureScenario;
  impacts: Record<string, FailureImpact>;
  summary: { lost: number; restored: number; failover: number; unrecoverable: number };
  /** The fallback the DR plan names for this scenario, if any. */
  fallback?: string;
}

/**
 * What a change does to a box: a plan's `create`/`update`/`delete`, `repair` (an update or a create
 * that puts back what the account lost while the file did not change), `unchanged`; a three-way
 * diff's `added` (the change adds it), `drifted` (the account moved since), `conflict` (both),
 * `not-checked` (the account could not be read there: never drawn as unchanged).
 */
export type ReviewState = 'create' | 'update' | 'delete' | 'repair' | 'unchanged' | 'added' | 'drifted' | 'conflict' | 'not-checked';

/** A plan or a three-way diff drawn over the diagram (src/core/diagram/review.ts builds it). */
export interface ReviewOverlay {
  mode: 'plan' | 'diff';
  /** One line for the legend: `Plan: 13 operations — 12 to create, 1 to update, 0 to delete · +€160.60 / month`. */
  title: string;
  states: Record<string, ReviewState>;
  /** Hover lines per box: the fields that change (`size: 2 → 3`), what a roll-up hides. */
  notes: Record<string, string[]>;
  /** Resources the change removes: not in the file, so drawn as a chip on their project. */
  removed: { id: string; project: string; kind: string; name: string }[];
  /** Resources per state (a plan's operations, a diff's entries): what the title and the legend count. */
  counts: Partial<Record<ReviewState, number>>;
  /** The same per group id, for each card's `+2 created · 1 updated`. */
  groups?: Record<string, Partial<Record<ReviewState, number>>>;
}

/** Everything drawn over the layout; each part optional. */
export interface DiagramDecorations {
  badges?: Record<string, NodeBadge>;
  overlay?: DiagramOverlay;
  failure?: FailureSimulation;
  /** Layers whose edges (and IAM/DR boxes) are hidden. */
  hiddenLayers?: TopologyLayer[];
  selected?: string;
  highlighted?: string;
  /** Title of the diagram (the organisation name). */
  title?: string;
  /** A plan or a three-way diff over the boxes. */
  review?: ReviewOverlay;
  /** Per project (group label): its monthly price, e.g. `€479.61/mo`, shown in the header band. */
  costs?: Record<string, string>;
}
