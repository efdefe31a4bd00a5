import type { DriftReport } from '../drift';
import type { ResourceKind } from '../model';
import type { DesiredResource } from '../state';

/*
 * Three-way comparison of a landing-zone change: the file at a base revision (what was reviewed
 * and applied before), the file now (the change) and the live account. What the change does is
 * base → now; what drifted is base → live (read by the drift engine against the base file); a
 * conflict is a field both moved, to different values. A resource that could not be read is
 * "not checked", never "unchanged".
 */

export type ThreeWayStatus = 'added' | 'removed' | 'modified' | 'drifted' | 'conflict' | 'unchanged' | 'not-checked';

/** A field the change edits. */
export interface FileChange { field: string; base: unknown; now: unknown }
/** A field the account moved away from the base file. */
export interface LiveDrift { field: string; base: unknown; live: unknown }
/** A field both moved, to different values. */
export interface Conflict { field: string; base: unknown; now: unknown; live: unknown }

export interface ThreeWayEntry {
  id: string;
  kind: ResourceKind;
  project: string;
  name: string;
  status: ThreeWayStatus;
  fileChanges: FileChange[];
  drift: LiveDrift[];
  conflicts: Conflict[];
  /** Why it is not checked, or what else a reviewer should know (missing from the account…). */
  note?: string;
  /** Where the file now declares it (for the editor). */
  path?: (string | number)[];
}

export interface ThreeWayReport {
  base: { label: string; commit: string };
  file: string;
  organizationId: string;
  readAt: string;
  summary: Record<ThreeWayStatus, number>;
  /** Every resource the base or the file declares, except the unchanged ones' details (they are counted). */
  entries: ThreeWayEntry[];
  /** Kinds or regions the account read could not cover. */
  notChecked: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Fields whose value differs between two declarations of a resource. */
function fieldChanges(base: DesiredResource, now: DesiredResource): FileChange[] {
  const keys = [...new Set([...Object.keys(base.fields), ...Object.keys(now.fields)])].sort();
  return keys.filter((k) => !same(base.fields[k], now.fields[k])).map((k) => ({ field: k, base: base.fields[k], now: now.fields[k] }));
}

const RANK: Record<ThreeWayStatus, number> = { conflict: 6, removed: 5, added: 5, modified: 4, drifted: 3, 'not-checked': 2, unchanged: 1 };

/**
 * Compares base, now and live. `baseDrift` is the drift of the base file against the account
 * (`computeDrift(baseDesired, inventory)`): its `changes` hold the base value as `declared`.
 */
export function threeWay(base: readonly DesiredResource[], now: readonly DesiredResource[], baseDrift: DriftReport, meta: { base: { label: string; commit: string }; file: string }): ThreeWayReport {
  const b = new Map(base.map((d) => [d.id, d]));
  const n = new Map(now.map((d) => [d.id, d]));
  const driftOf = new Map(baseDrift.entries.map((e) => [e.id, e]));
  const entries: ThreeWayEntry[] = [];
  for (const id of [...new Set([...b.keys(), ...n.keys()])]) {
    const was = b.get(id);
    const is = n.get(id);
    const d = (is ?? was)!;
    const e: ThreeWayEntry = { id, kind: d.kind, project: d.project, name: d.name, status: 'unchanged', fileChanges: [], drift: [], conflicts: [], ...(is ? { path: is.path } : {}) };
    const live = driftOf.get(id);
    if (!was) {
      e.status = 'added';
      e.fileChanges = Object.entries(is!.fields).map(([field, v]) => ({ field, base: undefined, now: v }));
      if (live && live.status === 'unmanaged') e.note = 'already in the account, not managed by the file: the plan will adopt or recreate it';
    } else {
      if (is) e.fileChanges = fieldChanges(was, is);
      if (live?.status === 'changed') e.drift = (live.changes ?? []).map((c) => ({ field: c.field, base: c.declared, live: c.live }));
      if (live?.status === 'missing') e.drift = [{ field: '(exists)', base: true, live: false }];
      if (!is) {
        e.status = e.drift.length ? 'conflict' : 'removed';
        if (e.drift.length) e.conflicts = e.drift.map((x) => ({ field: x.field, base: x.base, now: undefined, live: x.live }));
      } else {
        const moved = new Map(e.drift.map((x) => [x.field, x]));
        // a resource deleted from the account that the change edits: both sides moved
        const gone = moved.get('(exists)');
        for (const c of e.fileChanges) {
          const x = moved.get(c.field) ?? gone;
          if (x && !same(x.live, c.now)) e.conflicts.push({ field: c.field, base: c.base, now: c.now, live: gone ? '(deleted)' : x.live });
        }
        e.status = e.conflicts.length ? 'conflict' : e.fileChanges.length ? 'modified' : e.drift.length ? 'drifted' : live?.status === 'not-checked' ? 'not-checked' : 'unchanged';
      }
      if (live?.status === 'not-checked' && e.status !== 'conflict') e.note = `not checked in the account: ${live.reason ?? 'not read'}`;
    }
    entries.push(e);
  }
  entries.sort((x, y) => RANK[y.status] - RANK[x.status] || x.id.localeCompare(y.id));
  const summary = { added: 0, removed: 0, modified: 0, drifted: 0, conflict: 0, unchanged: 0, 'not-checked': 0 } as Record<ThreeWayStatus, number>;
  for (const e of entries) summary[e.status]++;
  return {
    base: meta.base,
    file: meta.file,
    organizationId: baseDrift.organizationId,
    readAt: baseDrift.readAt,
    summary,
    entries,
    notChecked: baseDrift.notChecked.map((u) => `${u.kind}${u.region ? ` in ${u.region}` : ''}: ${u.reason}`),
  };
}

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

/** One line per changed field, for text and Markdown. */
export function entryLines(e: ThreeWayEntry): string[] {
  const lines: string[] = [];
  for (const c of e.conflicts) lines.push(`conflict on ${c.field}: base ${show(c.base)}, the change ${show(c.now)}, the account ${show(c.live)}`);
  const conflicted = new Set(e.conflicts.map((c) => c.field));
  if (e.status !== 'added') for (const c of e.fileChanges) if (!conflicted.has(c.field)) lines.push(`changes ${c.field}: ${show(c.base)} → ${show(c.now)}`);
  for (const x of e.drift) if (!conflicted.has(x.field) && !(x.field === '(exists)' && conflicted.size)) lines.push(x.field === '(exists)' ? 'drifted: missing from the account' : `drifted ${x.field}: ${show(x.base)} → ${show(x.live)} in the account`);
  if (e.note) lines.push(e.note);
  return lines;
}

const HEAD = (r: ThreeWayReport) => `Three-way diff of ${r.file}: base ${r.base.label}, the file now, and organisation ${r.organizationId} read ${r.readAt}`;

/** The report for people (a terminal). */
export function threeWayText(r: ThreeWayReport): string {
  const s = r.summary;
  const out = [HEAD(r), `${s.added} added, ${s.modified} modified, ${s.removed} removed by the change; ${s.drifted} drifted in the account; ${s.conflict} conflict(s); ${s['not-checked']} not checked; ${s.unchanged} unchanged`, ''];
  for (const e of r.entries) {
    if (e.status === 'unchanged') continue;
    out.push(`${e.status.padEnd(11)} ${e.id}`);
    for (const l of entryLines(e)) out.push(`            ${l}`);
  }
  for (const n of r.notChecked) out.push(`not checked: ${n}`);
  return out.join('\n') + '\n';
}

const md = (s: string) => s.replace(/([|\\`*_[\]<>])/g, '\\$1');

/** A Markdown summary for a merge-request comment; `picture` is the image's URL or path. */
export function threeWayMarkdown(r: ThreeWayReport, options: { picture?: string; pictureLink?: string; cost?: string } = {}): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`### Landing zone review: \`${md(r.file)}\``);
  out.push('');
  out.push(`Base **${md(r.base.label)}**, the file in this change, and organisation \`${r.organizationId}\` read ${md(r.readAt)}.`);
  out.push('');
  out.push(`| added | modified | removed | drifted | conflicts | not checked | unchanged |`);
  out.push(`|---:|---:|---:|---:|---:|---:|---:|`);
  out.push(`| ${s.added} | ${s.modified} | ${s.removed} | ${s.drifted} | ${s.conflict ? `**${s.conflict}**` : 0} | ${s['not-checked']} | ${s.unchanged} |`);
  out.push('');
  if (options.cost) { out.push(`Cost: **${md(options.cost)}**`); out.push(''); }
  if (options.picture) { out.push(`![The change on the landing-zone diagram](${options.picture})`); out.push(''); }
  if (options.pictureLink) { out.push(`[The change on the landing-zone diagram](${options.pictureLink})`); out.push(''); }
  const section = (title: string, status: ThreeWayStatus) => {
    const list = r.entries.filter((e) => e.status === status);
    if (!list.length) return;
    out.push(`#### ${title} (${list.length})`);
    out.push('');
    for (const e of list) {
      const lines = entryLines(e);
      out.push(`- \`${md(e.id)}\`${lines.length ? `: ${lines.map(md).join('; ')}` : ''}`);
    }
    out.push('');
  };
  section('Conflicts: the change and the account both moved these', 'conflict');
  section('Added by the change', 'added');
  section('Modified by the change', 'modified');
  section('Removed by the change', 'removed');
  section('Drifted in the account since the base', 'drifted');
  section('Not checked (the account could not be read there)', 'not-checked');
  if (r.notChecked.length) { out.push(`<details><summary>Not read</summary>\n\n${r.notChecked.map((x) => `- ${md(x)}`).join('\n')}\n\n</details>`); out.push(''); }
  return out.join('\n') + '\n';
}
