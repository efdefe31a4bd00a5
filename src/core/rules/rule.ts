import type { Catalog } from '../catalog';
import type { SourceDocument, DocPath } from '../document';
import type { Fix, Issue, Range, Severity } from '../issues';
import type { LandingZoneModel } from '../model';

/** The layers of validation, in the order they run. */
export type RuleLayer = 'syntax' | 'schema' | 'semantic' | 'policy';

/**
 * What every check declares about itself: the README's rule table, SARIF's `rules` metadata and
 * the editor's hover text are generated from it, so a rule cannot ship undocumented.
 */
export interface RuleInfo {
  /** Stable id, kebab-case; findings, suppressions and docs use it. */
  id: string;
  layer: RuleLayer;
  /** Severity of its findings unless a finding says otherwise. */
  severity: Severity;
  /** One line: why the rule exists. */
  why: string;
  /** One line: how to fix a finding (the finding's own fix is more specific). */
  fix: string;
  /**
   * Where the rule comes from: the reference landing zone's words, or the Scaleway page or API it
   * follows (a URL). Its doc (docs/rules/<id>.md) shows it; absent means the file format itself.
   */
  source?: string;
}

/** What a rule on the resolved model sees. */
export interface RuleContext {
  model: LandingZoneModel;
  source: SourceDocument;
  /** The clock, injected so expiry checks are testable. */
  now: Date;
  /** Scaleway's catalogs: the bundled snapshot unless a live one is passed in (plan time). */
  catalog?: Catalog;
}

/** What a rule on the raw text sees: it runs even when syntax or schema checks failed. */
export interface TextRuleContext {
  source: SourceDocument;
  now: Date;
}

/** A semantic check or a policy rule on the resolved model. */
export interface ModelRule extends RuleInfo {
  layer: 'semantic' | 'policy';
  input: 'model';
  check(ctx: RuleContext): Issue[];
}

/** A rule on the text itself (e.g. leaked credentials), independent of the document's validity. */
export interface TextRule extends RuleInfo {
  layer: 'semantic' | 'policy';
  input: 'text';
  check(ctx: TextRuleContext): Issue[];
}

export type Rule = ModelRule | TextRule;

/**
 * Builds an issue of a rule; the severity defaults to the rule's, the fix to the rule's fix line.
 * A fix or message given as a function is built when first read: validation shows the first
 * MAX_FINDINGS_PER_RULE findings of a rule and only counts the rest, so on a file with 40,000
 * projects without a network the free subnets and nearest names of the rest are never computed.
 */
export function finding(
  rule: RuleInfo,
  at: { range: Range; path: DocPath },
  message: string | (() => string),
  fix?: Fix | (() => Fix),
  severity: Severity = rule.severity,
): Issue {
  const issue = { ruleId: rule.id, severity, message: '', range: at.range, path: [...at.path] } as Issue;
  const complete = (f: Fix | undefined): Fix => {
    const out = f ?? { title: rule.fix };
    if (out.edits === undefined) delete out.edits;
    return out;
  };
  if (typeof message === 'function') deferred(issue, 'message', message);
  else issue.message = message;
  if (typeof fix === 'function') deferred(issue, 'fix', () => complete(fix()));
  else issue.fix = complete(fix);
  return issue;
}

/**
 * An enumerable property computed on first read and then kept, so that a structured clone (the
 * editor's worker), JSON and a deep comparison see plain data.
 */
function deferred<K extends 'message' | 'fix'>(issue: Issue, key: K, make: () => Issue[K]): void {
  let value: Issue[K] | undefined;
  let made = false;
  Object.defineProperty(issue, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!made) { value = make(); made = true; }
      return value;
    },
    set(v: Issue[K]) { value = v; made = true; },
  });
}

/** Where a value is: its range and path (the common case for `finding`). */
export function valueAt(source: SourceDocument, path: DocPath): { range: Range; path: DocPath } {
  return { range: source.rangeOf(path), path };
}

/** Where a key is: its range and path (findings about a whole definition point at its name). */
export function keyAt(source: SourceDocument, path: DocPath): { range: Range; path: DocPath } {
  return { range: source.keyRangeOf(path), path };
}

/** Whether a value is written in the document (not supplied by a schema default). */
export function written(source: SourceDocument, path: DocPath): boolean {
  return source.pair(path) !== undefined || (typeof path[path.length - 1] === 'number' && source.node(path) !== undefined);
}

/** `a, b and c` for messages. */
export function list(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Environment projects that hold production: named prod* or marked `production: true`. */
export function isProduction(name: string, project: { role: string; production?: boolean }): boolean {
  if (project.production !== undefined) return project.production;
  return project.role === 'environment' && /^prod/.test(name);
}

/** A record's own entry: names from the file must never resolve to Object.prototype members. */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
