import { isScalar } from 'yaml';
import type { SourceDocument } from '../document';
import type { Issue, Range, Severity } from '../issues';
import { RULE_LEVELS } from '../schema';
import { closest } from '../schema-issues';
import { keyAt, own, plainIssue, type RuleInfo } from './rule';

/*
 * What a reviewer decides about the rules, written in the file where the review happens:
 * - a `rules:` section (as in an ESLint config) turns a rule off or changes its severity for the
 *   whole file;
 * - `# landing-zone-ignore <rule-id>: <reason>` on a finding's line, or alone on the line before
 *   it, suppresses that one finding. The reason is required; SARIF reports the finding as
 *   suppressed in source with it as the justification.
 */

/** A finding that a comment suppressed, with the comment's reason. */
export interface SuppressedIssue {
  issue: Issue;
  justification: string;
  /** Where the comment is. */
  at: Range;
}

/** Checks whose findings neither `rules:` nor a comment can change: the file must parse, and a credential in it is never acceptable. */
export const FIXED_RULES: ReadonlySet<string> = new Set(['yaml-syntax', 'document-size', 'yaml-duplicate-key', 'schema', 'schema-unknown-key', 'internal', 'no-credentials', 'rule-config', 'suppression']);

export const RULE_CONFIG: RuleInfo = {
  id: 'rule-config',
  layer: 'semantic',
  severity: 'error',
  why: 'The file\'s rules: section must name rules that exist and that may be changed; a misspelt id would silently leave the rule as it was.',
  fix: 'Use a rule id from the rule table (the quick fix picks the nearest), or delete the entry. Syntax, schema and no-credentials cannot be changed.',
};

export const SUPPRESSION: RuleInfo = {
  id: 'suppression',
  layer: 'semantic',
  severity: 'warning',
  why: 'A suppression is a reviewed decision: it names an existing rule, says why, and still has a finding to suppress.',
  fix: 'Write # landing-zone-ignore <rule-id>: <why this finding is acceptable>, on the finding\'s line or alone on the line before; delete suppressions that no longer suppress anything.',
};

interface Directive {
  ids: { id: string; start: number; end: number }[];
  reason: string;
  /** The comment's range, and the line whose findings it suppresses. */
  at: Range;
  target: number;
  used: Set<string>;
}

const MARKER = 'landing-zone-ignore';

/**
 * Applies the file's rule selection and its suppression comments to the findings of every other
 * check, and adds the findings about them. `modelChecked`: the model's rules ran (only then can a
 * suppression be said to suppress nothing).
 */
export function applySelection(source: SourceDocument, issues: readonly Issue[], known: readonly string[], modelChecked: boolean): { issues: Issue[]; suppressed: SuppressedIssue[] } {
  const out: Issue[] = [];
  const levels = ruleLevels(source, known, out);
  const directives = findDirectives(source, known, out);
  const byLine = new Map<number, Directive[]>();
  for (const d of directives) if (d.reason) byLine.set(d.target, [...(byLine.get(d.target) ?? []), d]);
  const suppressed: SuppressedIssue[] = [];
  for (const issue of issues) {
    if (FIXED_RULES.has(issue.ruleId)) { out.push(issue); continue; }
    const level = levels.get(issue.ruleId);
    if (level === 'off') continue;
    const selected = level && level !== issue.severity ? { ...plainIssue(issue), severity: level as Severity } : issue;
    const by = byLine.get(issue.range.start.line)?.find((d) => d.ids.some((x) => x.id === issue.ruleId));
    if (by) {
      by.used.add(issue.ruleId);
      suppressed.push({ issue: selected, justification: by.reason, at: by.at });
    } else out.push(selected);
  }
  if (modelChecked) {
    for (const d of directives) {
      if (!d.reason) continue;
      for (const x of d.ids) {
        if (d.used.has(x.id) || !known.includes(x.id) || FIXED_RULES.has(x.id)) continue;
        out.push(directiveIssue(source, x, `This landing-zone-ignore suppresses nothing: no ${x.id} finding on line ${d.target + 1}${levels.get(x.id) === 'off' ? ` (rules: turns ${x.id} off)` : ''}. Delete it, so it cannot hide a future finding.`,
          'info', { title: 'Delete the suppression' }));
      }
    }
  }
  return { issues: out, suppressed };
}

/** The `rules:` section's valid entries; the others become rule-config findings. */
function ruleLevels(source: SourceDocument, known: readonly string[], out: Issue[]): Map<string, string> {
  const levels = new Map<string, string>();
  const root = source.value;
  const section = root && typeof root === 'object' && !Array.isArray(root) ? own(root as Record<string, unknown>, 'rules') : undefined;
  if (!section || typeof section !== 'object' || Array.isArray(section)) return levels;
  for (const [id, level] of Object.entries(section as Record<string, unknown>)) {
    if (typeof level !== 'string' || !(RULE_LEVELS as readonly string[]).includes(level)) continue; // the schema reports it
    const at = keyAt(source, ['rules', id]);
    if (!known.includes(id)) {
      const near = closest(id, known.filter((k) => !FIXED_RULES.has(k)));
      out.push({ ruleId: RULE_CONFIG.id, severity: RULE_CONFIG.severity, message: `rules: no rule is called "${id}"${near ? `; did you mean ${near}?` : '.'} The entry changes nothing.`, range: at.range, path: [...at.path],
        fix: near ? { title: `Change to ${near}`, edits: [{ range: at.range, newText: near }] } : { title: RULE_CONFIG.fix } });
    } else if (FIXED_RULES.has(id)) {
      out.push({ ruleId: RULE_CONFIG.id, severity: RULE_CONFIG.severity, message: `rules: ${id} cannot be changed: ${id === 'no-credentials' ? 'a credential in the file is never acceptable' : 'the file must parse and follow the format before anything else is checked'}.`, range: at.range, path: [...at.path], fix: { title: 'Delete the entry' } });
    } else levels.set(id, level);
  }
  return levels;
}

/** Every `# landing-zone-ignore` comment (not the same words inside a string or a block scalar). */
function findDirectives(source: SourceDocument, known: readonly string[], out: Issue[]): Directive[] {
  const text = source.text;
  const directives: Directive[] = [];
  for (let i = text.indexOf(MARKER); i >= 0; i = text.indexOf(MARKER, i + MARKER.length)) {
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const nl = text.indexOf('\n', i);
    const lineEnd = nl < 0 ? text.length : nl;
    const before = text.slice(lineStart, i);
    const hash = before.search(/(?:^|[ \t])#[ \t]*$/);
    if (hash < 0) continue;
    const commentStart = lineStart + before.lastIndexOf('#');
    if (insideScalar(source, commentStart)) continue;
    const rest = text.slice(i + MARKER.length, lineEnd).replace(/\r$/, '');
    const m = /^[ \t]+([^:]*?)[ \t]*(?::[ \t]*(.*))?$/.exec(rest);
    const at = source.range(commentStart, lineEnd);
    const line = at.start.line;
    if (!m || !m[1]) {
      out.push({ ruleId: SUPPRESSION.id, severity: SUPPRESSION.severity, message: 'landing-zone-ignore names no rule: write # landing-zone-ignore <rule-id>: <reason>.', range: at, path: [], fix: { title: SUPPRESSION.fix } });
      continue;
    }
    const idsStart = i + MARKER.length + rest.indexOf(m[1]);
    const ids: Directive['ids'] = [];
    for (const part of m[1].matchAll(/[^,\s]+/g)) ids.push({ id: part[0], start: idsStart + part.index!, end: idsStart + part.index! + part[0].length });
    const reason = (m[2] ?? '').trim();
    const alone = before.slice(0, before.lastIndexOf('#')).trim() === '';
    const d: Directive = { ids, reason, at, target: alone ? nextContentLine(text, source, nl) ?? line : line, used: new Set() };
    for (const x of ids) {
      if (!known.includes(x.id)) {
        const near = closest(x.id, known.filter((k) => !FIXED_RULES.has(k)));
        out.push(directiveIssue(source, x, `landing-zone-ignore: no rule is called "${x.id}"${near ? `; did you mean ${near}?` : '.'} It suppresses nothing.`, 'warning',
          near ? { title: `Change to ${near}`, edits: [{ range: source.range(x.start, x.end), newText: near }] } : { title: SUPPRESSION.fix }));
      } else if (FIXED_RULES.has(x.id)) {
        out.push(directiveIssue(source, x, `landing-zone-ignore: ${x.id} findings cannot be suppressed${x.id === 'no-credentials' ? ': delete the credential and revoke it' : ': correct the file'}.`, 'warning', { title: 'Delete the suppression' }));
      }
    }
    if (!reason) {
      out.push({ ruleId: SUPPRESSION.id, severity: SUPPRESSION.severity, message: `landing-zone-ignore ${m[1]} gives no reason, so it suppresses nothing: add ": <why this finding is acceptable>" for the reviewer.`, range: at, path: [],
        fix: { title: 'Add a reason', edits: [{ range: source.range(lineEnd - (text[lineEnd - 1] === '\r' ? 1 : 0), lineEnd - (text[lineEnd - 1] === '\r' ? 1 : 0)), newText: m[2] === undefined ? ': <reason>' : ' <reason>' }] } });
    }
    directives.push(d);
  }
  return directives;
}

function directiveIssue(source: SourceDocument, x: { id: string; start: number; end: number }, message: string, severity: Severity, fix: Issue['fix']): Issue {
  return { ruleId: SUPPRESSION.id, severity, message, range: source.range(x.start, x.end), path: [], fix };
}

/** Whether an offset is inside a scalar's text (a quoted string, a block scalar): then `#` is not a comment. */
function insideScalar(source: SourceDocument, offset: number): boolean {
  const { path } = source.pathAt(offset);
  const node = path.length ? source.node(path) : undefined;
  // pathAt stops at the pair whose key holds the offset; its key is a scalar too
  const key = path.length ? source.pair(path)?.key : undefined;
  const inside = (n: unknown) => isScalar(n) && !!n.range && offset >= n.range[0] && offset < n.range[1];
  return inside(node) || inside(key);
}

/** The first line after `from` (a newline offset) that holds more than blanks or a comment. */
function nextContentLine(text: string, source: SourceDocument, from: number): number | undefined {
  let i = from;
  while (i >= 0 && i < text.length) {
    const end = text.indexOf('\n', i + 1);
    const line = text.slice(i + 1, end < 0 ? text.length : end).trim();
    if (line && !line.startsWith('#')) return source.position(i + 1).line;
    if (end < 0) return undefined;
    i = end;
  }
  return undefined;
}
