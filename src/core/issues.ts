/** A position in a document, 0-based (as VS Code and LSP count). */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range [start, end) in a document, 0-based. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** A text edit that a quick fix or the CLI's --fix applies. Offsets are in the original text. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A suggested fix: a sentence for people and, where it is mechanical, the edits. */
export interface Fix {
  title: string;
  edits?: TextEdit[];
}

/**
 * A problem found in a landing-zone document. The engine returns problems as values and never
 * throws for a user's mistake; every issue names its exact place.
 */
export interface Issue {
  /** Stable rule id, such as `yaml-syntax`, `schema`, `ref-unresolved` or `lb-admits-hubs`. */
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Path of the offending node in the document, such as ['projects', 'prod', 'clusters']. */
  path: (string | number)[];
  fix?: Fix;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Sorts issues by position, then rule, so every surface shows them in the same order. */
export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
