import type { Issue } from '../issues';
import type { SuppressedIssue } from '../rules/selection';

/** Options shared by the formatters. */
export interface FormatOptions {
  /** The file name as the user gave it; it starts every text line and names the SARIF artifact. */
  file: string;
  /** A rule's documentation link (`helpUri` in SARIF and JSON); rules it answers undefined for get none. */
  helpUri?: (ruleId: string) => string | undefined;
  /** Findings that `# landing-zone-ignore` comments suppressed: JSON lists them, SARIF reports them as suppressed. */
  suppressed?: readonly SuppressedIssue[];
}

/**
 * `file:line:col severity ruleId message`, one finding per line, 1-based — the shape editors,
 * terminals and CI log viewers turn into links.
 */
export function formatText(issues: readonly Issue[], options: FormatOptions): string {
  return issues
    .map((i) => `${options.file}:${i.range.start.line + 1}:${i.range.start.character + 1} ${i.severity} ${i.ruleId} ${oneLine(i.message)}`)
    .join('\n') + (issues.length ? '\n' : '');
}

/** Counts per severity. */
export interface IssueCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countIssues(issues: readonly Issue[]): IssueCounts {
  const counts: IssueCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const i of issues) {
    if (i.severity === 'error') counts.errors++;
    else if (i.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** `2 errors, 1 warning` (or `no findings`). */
export function describeCounts(c: IssueCounts): string {
  const parts = [
    c.errors ? `${c.errors} error${c.errors === 1 ? '' : 's'}` : '',
    c.warnings ? `${c.warnings} warning${c.warnings === 1 ? '' : 's'}` : '',
    c.infos ? `${c.infos} info${c.infos === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** Messages are single lines; a stray newline (from a YAML error) would break `file:line:col` parsing. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
