import { RULE_DOCS_BASE, ruleHelpUri } from '../format/rule-docs';
import type { Issue, Range, TextEdit } from '../issues';

/** A quick fix offered for a finding: the issue's own fix, when it carries edits. */
export interface LzQuickFix {
  title: string;
  edits: TextEdit[];
  issue: Issue;
  /** The only mechanical fix for its finding: the editor may apply it with the "preferred" shortcut. */
  preferred: boolean;
}

const overlaps = (a: Range, b: Range): boolean =>
  !(before(a.end, b.start) || before(b.end, a.start));
const before = (p: Range['start'], q: Range['start']): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);

/** The fixes for the findings that touch a range (the cursor or the selection). */
export function quickFixesFor(issues: readonly Issue[], range: Range): LzQuickFix[] {
  return issues
    .filter((i) => i.fix?.edits?.length && overlaps(i.range, range))
    .map((issue) => ({ title: issue.fix!.title, edits: issue.fix!.edits!, issue, preferred: true }));
}

/** Whether two issues are the same finding (a diagnostic coming back from the editor is matched to its issue). */
export function sameIssue(a: Pick<Issue, 'ruleId' | 'range' | 'message'>, b: Pick<Issue, 'ruleId' | 'range' | 'message'>): boolean {
  return a.ruleId === b.ruleId && a.message === b.message && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

/**
 * The documentation link of a rule: its own page, docs/rules/<rule-id>.md, next to the README that
 * the extension's manifest names (the same page SARIF's and JSON's `helpUri` give).
 */
export function ruleDocsUrl(ruleId: string, readmeUrl: string): string {
  const base = /README\.md$/.test(readmeUrl) ? readmeUrl.replace(/README\.md$/, 'docs/rules/') : RULE_DOCS_BASE;
  return ruleHelpUri(ruleId, base);
}
