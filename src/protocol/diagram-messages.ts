import { z } from 'zod';
import type { DiagramDecorations, DiagramLayout, FailureScenario } from '../core/diagram/types';

/*
 * The messages between the extension host and the diagram webview. Both sides parse every
 * incoming message with these schemas and drop what does not match (a debug log line, no
 * exception), so a compromised or confused peer can neither crash the other nor smuggle in
 * unexpected shapes. Sizes are bounded: a message can be large (a 500-project layout) but not
 * unbounded.
 */

const id = z.string().min(1).max(400);
const text = z.string().max(2000);
const num = z.number().finite();
const position = z.strictObject({ line: z.number().int().min(0), character: z.number().int().min(0) });
/** A 0-based document range. */
const rangeSchema = z.strictObject({ start: position, end: position });
const docPath = z.array(z.union([z.string().max(400), z.number().int().min(0)])).max(64);
const layer = z.enum(['network', 'iam', 'dr']);
const nodeKind = z.enum(['private-network', 'public-gateway', 'gateway-ip', 'cluster', 'load-balancer', 'database', 'bucket', 'key', 'secret', 'application', 'sso', 'backup-copy', 'dr-site']);
const edgeKind = z.enum(['attachment', 'exposes', 'acl', 'key-use', 'stored-in', 'endpoint', 'backup', 'copy']);
const point = z.strictObject({ x: num, y: num });
const MAX_ITEMS = 200_000;

const nodeSchema = z.strictObject({
  id, kind: nodeKind, group: id, label: text, detail: text.optional(), layer,
  x: num, y: num, width: num, height: num, range: rangeSchema.optional(), path: docPath,
});
const groupSchema = z.strictObject({
  id, kind: z.enum(['project', 'iam', 'dr-site']), label: text,
  role: z.enum(['security', 'devops', 'monitoring', 'shared', 'environment']).optional(), hub: z.boolean(),
  region: text.optional(), zone: text.optional(), x: num, y: num, width: num, height: num, range: rangeSchema.optional(), path: docPath,
});
const edgeSchema = z.strictObject({
  id: z.string().min(1).max(1000), kind: edgeKind, layer, source: id, target: id, label: text.optional(),
  points: z.array(point).max(200), crossGroup: z.boolean(),
});
/** A laid-out diagram (src/core/diagram/types.ts DiagramLayout). */
const layoutSchema = z.strictObject({
  width: num, height: num,
  groups: z.array(groupSchema).max(MAX_ITEMS),
  nodes: z.array(nodeSchema).max(MAX_ITEMS),
  edges: z.array(edgeSchema).max(MAX_ITEMS),
});

const driftStateSchema = z.enum(['in-sync', 'changed', 'missing', 'unmanaged']);
/** The drift overlay: resource id → state, coverage in percent, unmanaged resources. */
const overlaySchema = z.strictObject({
  states: z.record(id, driftStateSchema),
  coverage: z.number().min(0).max(100).optional(),
  unmanaged: z.array(z.strictObject({ id, project: text.optional(), kind: text.optional(), name: text.optional() })).max(MAX_ITEMS).optional(),
  checkedAt: text.optional(),
});
/** A zone or a region to fail. */
export const scenarioSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('zone'), zone: z.string().min(1).max(40) }),
  z.strictObject({ kind: z.literal('region'), region: z.string().min(1).max(40) }),
]);
const failureSchema = z.strictObject({
  scenario: scenarioSchema,
  impacts: z.record(id, z.strictObject({ status: z.enum(['lost', 'restored', 'failover', 'unrecoverable']), note: text, short: text, restoreTo: text.optional() })),
  summary: z.strictObject({ lost: z.number().int(), restored: z.number().int(), failover: z.number().int(), unrecoverable: z.number().int() }),
  fallback: text.optional(),
});
const badgeSchema = z.strictObject({ severity: z.enum(['error', 'warning', 'info']), count: z.number().int().min(0), messages: z.array(text).max(10) });
const reviewState = z.enum(['create', 'update', 'delete', 'repair', 'unchanged', 'added', 'drifted', 'conflict', 'not-checked']);
/** A plan drawn over the diagram ("Show Plan on Diagram"): a state and hover lines per box, what it removes, counts. */
const reviewSchema = z.strictObject({
  mode: z.enum(['plan', 'diff']),
  title: text,
  states: z.record(id, reviewState),
  notes: z.record(id, z.array(text).max(20)),
  removed: z.array(z.strictObject({ id, project: text, kind: text, name: text })).max(MAX_ITEMS),
  counts: z.partialRecord(reviewState, z.number().int().min(0)),
  groups: z.record(id, z.partialRecord(reviewState, z.number().int().min(0))).optional(),
});
/** What the host draws over the layout (hidden layers and selection are the webview's own). */
const decorationsSchema = z.strictObject({
  badges: z.record(id, badgeSchema).optional(),
  overlay: overlaySchema.optional(),
  failure: failureSchema.optional(),
  highlighted: id.optional(),
  title: text.optional(),
  review: reviewSchema.optional(),
  costs: z.record(text, z.string().max(40)).optional(),
});

/**
 * Host → webview: the complete state of the diagram. Every push is a snapshot, never a delta,
 * because a hidden webview drops messages: the next snapshot repairs whatever was missed.
 */
export const snapshotMessage = z.strictObject({
  type: z.literal('snapshot'),
  /** Increases with every push; the webview ignores an older one that arrives late. */
  seq: z.number().int().min(0),
  documentUri: z.string().max(4000),
  layout: layoutSchema,
  decorations: decorationsSchema,
  /** Findings in the document, for the status line. */
  counts: z.strictObject({ errors: z.number().int().min(0), warnings: z.number().int().min(0), infos: z.number().int().min(0) }),
  /** Zones and regions the simulation picker offers. */
  choices: z.strictObject({ zones: z.array(z.string().max(40)).max(100), regions: z.array(z.string().max(40)).max(100) }),
  /** True when the document no longer parses and this is its last good diagram. */
  stale: z.boolean(),
  /** The failure scenario the host applied (echo of the last `simulate`). */
  scenario: scenarioSchema.optional(),
});
export type SnapshotMessage = z.infer<typeof snapshotMessage>;

/** Host → webview: every message the webview accepts. */
export const hostToWebview = z.discriminatedUnion('type', [snapshotMessage]);
export type HostToWebview = z.infer<typeof hostToWebview>;

/** Webview → host: the app has loaded and listens; the host answers with a snapshot. */
const readyMessage = z.strictObject({ type: z.literal('ready') });
/** Webview → host: a box was clicked; reveal its definition in the editor. */
const revealMessage = z.strictObject({ type: z.literal('reveal'), nodeId: id, range: rangeSchema });
/** Webview → host: simulate a failure (null: stop simulating). */
const simulateMessage = z.strictObject({ type: z.literal('simulate'), scenario: scenarioSchema.nullable() });
/** Webview → host: save an export. SVG as text; PNG as base64 without the data: prefix. */
const exportMessage = z.discriminatedUnion('format', [
  z.strictObject({ type: z.literal('export'), format: z.literal('svg'), data: z.string().min(1).max(64 * 1024 * 1024) }),
  z.strictObject({ type: z.literal('export'), format: z.literal('png'), data: z.string().min(1).max(96 * 1024 * 1024).regex(/^[A-Za-z0-9+/]+=*$/) }),
]);
/** Webview → host: leave plan mode and show the live diagram again. */
const leavePlanMessage = z.strictObject({ type: z.literal('leavePlan') });
/** Webview → host: the size of the canvas in CSS px, so the layout takes the panel's shape (on load and when it changes). */
const viewportMessage = z.strictObject({ type: z.literal('viewport'), width: z.number().int().min(1).max(100_000), height: z.number().int().min(1).max(100_000) });
export const webviewToHost = z.union([readyMessage, revealMessage, simulateMessage, exportMessage, leavePlanMessage, viewportMessage]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

/** What the webview persists with setState (and the serializer gets back after a reload). */
export const webviewStateSchema = z.strictObject({
  documentUri: z.string().max(4000).optional(),
  view: z.strictObject({ k: z.number().min(0.02).max(20), x: num, y: num }).optional(),
  selected: id.optional(),
  hiddenLayers: z.array(layer).max(3).optional(),
  scenario: scenarioSchema.optional(),
});
export type WebviewState = z.infer<typeof webviewStateSchema>;

/** Parses a message or returns undefined; callers log the drop at debug level. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}

// The schemas must accept what the engine produces: these lines fail to compile when they drift.
type Assignable<T, U extends T> = U;
export type LayoutMatches = Assignable<z.input<typeof layoutSchema>, DiagramLayout>;
export type DecorationsMatch = Assignable<z.input<typeof decorationsSchema>, Omit<DiagramDecorations, 'hiddenLayers' | 'selected'>>;
export type ScenarioMatches = Assignable<z.input<typeof scenarioSchema>, FailureScenario>;
