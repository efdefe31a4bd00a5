import type { ThreeWayReport } from '../diff/three-way';
import { covers } from '../drift';
import { entryLines } from '../diff/three-way';
import type { Plan, PlanOperation } from '../plan';
import type { DesiredResource, NotChecked } from '../state';
import type { Topology } from '../topology';
import { parentBox } from './overlay';
import type { ReviewOverlay, ReviewState } from './types';

/*
 * A plan (or a three-way diff) as an overlay on the diagram: each box gets what the change does
 * to it, the fields that change go into its hover, and what the change removes (not in the file,
 * so not drawn) becomes a chip on its project. Resources the diagram does not draw as boxes (pools,
 * LB frontends and ACLs…) count towards their parent box; the strongest state wins.
 */

/** Which state a box shows when several of its resources change. */
const STRENGTH: Record<ReviewState, number> = { conflict: 9, delete: 8, create: 7, added: 6, update: 5, drifted: 4, repair: 3, 'not-checked': 2, unchanged: 1 };

const show = (v: unknown): string => {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** The box of a resource id: itself, or the box that stands for it. */
function boxOf(id: string, topology: Topology, nodes: ReadonlySet<string>): string | undefined {
  return nodes.has(id) ? id : parentBox(id, topology);
}

/** Builds an overlay from per-box states and notes (shared by the plan and the diff). */
class ReviewBuilder {
  readonly states: Record<string, ReviewState> = {};
  readonly notes: Record<string, string[]> = {};
  readonly removed: ReviewOverlay['removed'] = [];
  /**
   * Resources per state: what the legend and the title count (a box may stand for several, a pool
   * or an ACL counts towards its load balancer's box, so boxes are not counted).
   */
  readonly counts: Partial<Record<ReviewState, number>> = {};
  /** The same per group (a project's card, the IAM and DR groups): each card says what happens in it. */
  readonly groups: Record<string, Partial<Record<ReviewState, number>>> = {};
  private readonly nodes: Set<string>;
  private readonly groupOf: Map<string, string>;
  private readonly groupIds: Set<string>;

  constructor(private readonly topology: Topology) {
    this.nodes = new Set(topology.nodes.map((n) => n.id));
    this.groupOf = new Map(topology.nodes.map((n) => [n.id, n.group]));
    this.groupIds = new Set(topology.groups.map((g) => g.id));
  }

  /**
   * Marks the box of `id` and counts the resource once, in its own state; a resource that is not
   * its own box says so in the note. One with no box (a delete of what the file no longer
   * declares) counts on its project's card.
   */
  mark(id: string, state: ReviewState, lines: string[] = [], project?: string): boolean {
    const box = boxOf(id, this.topology, this.nodes);
    const group = box ? this.groupOf.get(box) : project !== undefined && this.groupIds.has(`${project}/project`) ? `${project}/project` : undefined;
    this.counts[state] = (this.counts[state] ?? 0) + 1;
    if (group) { const g = (this.groups[group] ??= {}); g[state] = (g[state] ?? 0) + 1; }
    if (!box) return false;
    const own = box === id;
    // a child's create or delete changes its parent box, which exists before and after
    const shown: ReviewState = own ? state : state === 'create' || state === 'delete' ? 'update' : state;
    const cur = this.states[box];
    if (!cur || STRENGTH[shown] > STRENGTH[cur]) this.states[box] = shown;
    const notes = (this.notes[box] ??= []);
    if (!own) notes.push(`${state} ${id}${lines.length ? `: ${lines.join('; ')}` : ''}`);
    else notes.push(...lines);
    return true;
  }

  /** `unchanged`: how many resources the change leaves alone, where that is known. */
  finish(mode: ReviewOverlay['mode'], title: string, unchanged?: number): ReviewOverlay {
    for (const n of this.topology.nodes) if (!this.states[n.id]) this.states[n.id] = 'unchanged';
    const counts: ReviewOverlay['counts'] = { ...this.counts };
    if (unchanged !== undefined) counts.unchanged = unchanged;
    for (const [k, v] of Object.entries(this.notes)) if (v.length > 12) this.notes[k] = [...v.slice(0, 12), `… and ${v.length - 12} more`];
    return { mode, title, states: this.states, notes: this.notes, removed: this.removed, counts, groups: this.groups };
  }
}

/** `size: 2 → 3` lines of an update. */
function changeLines(op: PlanOperation): string[] {
  return (op.changes ?? []).map((c) => `${c.field}: ${show(c.live)} → ${show(c.declared)}`);
}

/** A plan's title counts what its legend counts: operations, one per resource, by what they do. */
const PLAN_WORDS: [ReviewState, string][] = [['create', 'to create'], ['update', 'to update'], ['delete', 'to delete'], ['repair', 'to repair drift']];

/**
 * The plan overlay. With `base` (the declared resources of the file at a git revision), an update
 * whose changed fields the file did not change since, and a create of a resource the base already
 * declared, are `repair`: the plan puts back what the account lost. With `declared` (the file's
 * resources) and `notChecked` (the reads that failed), the legend counts the resources the plan
 * leaves alone too: only those it read and found as declared — one it could not read, or of a kind
 * this version skips, is not "unchanged".
 */
export function planReview(plan: Plan, topology: Topology, options: { base?: readonly DesiredResource[]; costDelta?: string; declared?: readonly DesiredResource[]; notChecked?: readonly NotChecked[] } = {}): ReviewOverlay {
  const b = new ReviewBuilder(topology);
  const base = options.base ? new Map(options.base.map((d) => [d.id, d])) : undefined;
  for (const op of plan.operations) {
    let state: ReviewState = op.action;
    if (base && op.action !== 'delete') {
      const before = base.get(op.id);
      if (before && op.action === 'create') state = 'repair';
      if (before && op.action === 'update' && (op.changes ?? []).every((c) => JSON.stringify(before.fields[c.field]) === JSON.stringify(c.declared))) state = 'repair';
    }
    const lines = op.action === 'update' ? changeLines(op) : [op.summary];
    const drawn = b.mark(op.id, state, state === 'repair' ? [`drift repaired: ${lines.join('; ')}`] : lines, op.project);
    if (!drawn && op.action === 'delete') b.removed.push({ id: op.id, project: op.project, kind: op.kind, name: op.name });
  }
  const n = plan.operations.length;
  const parts = PLAN_WORDS.filter(([st]) => st !== 'repair' || (b.counts.repair ?? 0) > 0).map(([st, words]) => `${b.counts[st] ?? 0} ${words}`);
  const title = n === 0
    ? 'Plan: no changes'
    : `Plan: ${n} operation${n === 1 ? '' : 's'} — ${parts.join(', ')}${options.costDelta ? ` · ${options.costDelta}` : ''}`;
  const acted = new Set([...plan.operations.map((o) => o.id), ...plan.skipped.map((n) => n.id)]);
  const notChecked = options.notChecked;
  const unchanged = options.declared && notChecked ? options.declared.filter((d) => !acted.has(d.id) && !notChecked.some((n) => covers(n, d))).length : undefined;
  return b.finish('plan', title, unchanged);
}

/** The three-way diff overlay: what the change adds or edits, what drifted, where both moved. */
export function diffReview(report: ThreeWayReport, topology: Topology): ReviewOverlay {
  const b = new ReviewBuilder(topology);
  const STATE = { added: 'added', modified: 'update', removed: 'delete', drifted: 'drifted', conflict: 'conflict', 'not-checked': 'not-checked' } as const;
  for (const e of report.entries) {
    if (e.status === 'unchanged') continue;
    const drawn = b.mark(e.id, STATE[e.status], entryLines(e), e.project);
    if (!drawn && e.status === 'removed') b.removed.push({ id: e.id, project: e.project, kind: e.kind, name: e.name });
  }
  const s = report.summary;
  return b.finish('diff', `Change vs ${report.base.label}: ${s.added} added, ${s.modified} modified, ${s.removed} removed · ${s.drifted} drifted · ${s.conflict} conflict(s)`, s.unchanged);
}
