import type { Issue, Range } from '../issues';
import { countIssues, oneLine, type FormatOptions, type IssueCounts } from './text';

/** A position as people count: line and column start at 1. */
export interface JsonPosition {
  line: number;
  column: number;
}

/** A range with 1-based lines and columns; `end` is exclusive, like the editor's. */
export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}

/** One finding in the JSON report. Keys always appear in this order. */
export interface JsonIssue {
  ruleId: string;
  severity: Issue['severity'];
  message: string;
  range: JsonRange;
  path: (string | number)[];
  fix?: { title: string; edits?: { range: JsonRange; newText: string }[] };
  /** The rule's documentation: why, how to fix, where the rule comes from. */
  helpUri?: string;
}

/** A finding that a `# landing-zone-ignore` comment suppressed, with the comment's reason. */
export interface JsonSuppressedIssue extends JsonIssue {
  justification: string;
}

/** The JSON report of `landing-zone validate --format json` (version 1: fields are only ever added). */
export interface JsonReport {
  version: 1;
  file: string;
  counts: IssueCounts;
  issues: JsonIssue[];
  /** Present when the caller passes suppressions: the findings the file's comments suppressed. */
  suppressed?: JsonSuppressedIssue[];
}

function toJsonRange(r: Range): JsonRange {
  return { start: { line: r.start.line + 1, column: r.start.character + 1 }, end: { line: r.end.line + 1, column: r.end.character + 1 } };
}

export function toJsonReport(issues: readonly Issue[], options: FormatOptions): JsonReport {
  const report: JsonReport = { version: 1, file: options.file, counts: countIssues(issues), issues: issues.map((i) => jsonIssue(i, options)) };
  if (options.suppressed) report.suppressed = options.suppressed.map((s) => ({ ...jsonIssue(s.issue, options), justification: s.justification }));
  return report;
}

function jsonIssue(i: Issue, options: FormatOptions): JsonIssue {
  const out: JsonIssue = { ruleId: i.ruleId, severity: i.severity, message: oneLine(i.message), range: toJsonRange(i.range), path: [...i.path] };
  if (i.fix) {
    out.fix = { title: i.fix.title };
    if (i.fix.edits?.length) out.fix.edits = i.fix.edits.map((e) => ({ range: toJsonRange(e.range), newText: e.newText }));
  }
  const help = options.helpUri?.(i.ruleId);
  if (help) out.helpUri = help;
  return out;
}

/** Stable, pretty JSON (two-space indent, trailing newline), so reports diff well in CI. */
export function formatJson(issues: readonly Issue[], options: FormatOptions, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ...toJsonReport(issues, options), ...extra }, null, 2)}\n`;
}
