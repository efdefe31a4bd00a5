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
  if (typeof message === 'function' || typeof fix === 'function') return new DeferredIssue(rule, at, message, fix, severity) as unknown as Issue;
  return { ruleId: rule.id, severity, message, range: at.range, path: [...at.path], fix: complete(rule, fix) };
}

function complete(rule: RuleInfo, f: Fix | undefined): Fix {
  const out = f ?? { title: rule.fix };
  if (out.edits === undefined) delete out.edits;
  return out;
}

/**
 * An issue whose message and fix are built on first read. Its parts live in private fields and
 * prototype getters, so it is small (a finding past the cap costs an object, not its text) but
 * not plain data: validateText hands out `plainIssue` copies of the findings it keeps.
 */
class DeferredIssue implements Omit<Issue, 'path'> {
  readonly ruleId: string;
  severity: Severity;
  readonly range: Range;
  /** Not copied until `plainIssue`: a finding past the cap is only counted. */
  readonly path: DocPath;
  #message: string | (() => string);
  #fix: Fix | (() => Fix) | undefined;
  readonly #rule: RuleInfo;

  constructor(rule: RuleInfo, at: { range: Range; path: DocPath }, message: string | (() => string), fix: Fix | (() => Fix) | undefined, severity: Severity) {
    this.ruleId = rule.id;
    this.severity = severity;
    this.range = at.range;
    this.path = at.path;
    this.#message = message;
    this.#fix = fix;
    this.#rule = rule;
  }

  get message(): string {
    if (typeof this.#message === 'function') this.#message = this.#message();
    return this.#message;
  }

  set message(text: string) {
    this.#message = text;
  }

  get fix(): Fix {
    if (typeof this.#fix !== 'object') this.#fix = complete(this.#rule, this.#fix?.());
    return this.#fix;
  }

  set fix(f: Fix) {
    this.#fix = f;
  }
}

/** The issue as plain data (for JSON, SARIF, a worker's structured clone, a spread copy). */
export function plainIssue(issue: Issue): Issue {
  if (!((issue as unknown) instanceof DeferredIssue)) return issue;
  return { ruleId: issue.ruleId, severity: issue.severity, message: issue.message, range: issue.range, path: [...issue.path], fix: issue.fix };
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

/*
 * A record of thousands of keys (the projects of a large file) is a dictionary in V8, and every
 * Object.entries, Object.values or for…in on it sorts its keys back into insertion order: 30–40 ms
 * for 37,000 projects, about what a rule's own work on them costs. Forty rules each listing the
 * projects made that most of a large file's validation, so a record is listed once and shared.
 * The lists are read-only views of a model that no rule changes.
 */
const entryLists = new WeakMap<object, readonly (readonly [string, unknown])[]>();
const valueLists = new WeakMap<object, readonly unknown[]>();
const keyLists = new WeakMap<object, readonly string[]>();

/** `Object.entries(record)`, listed once per record (none for undefined). */
export function entriesOf<T>(record: Readonly<Record<string, T>> | undefined): readonly (readonly [string, T])[] {
  if (!record) return [];
  let list = entryLists.get(record);
  if (!list) entryLists.set(record, (list = Object.entries(record)));
  return list as readonly (readonly [string, T])[];
}

/** `Object.values(record)`, listed once per record. */
export function valuesOf<T>(record: Readonly<Record<string, T>> | undefined): readonly T[] {
  if (!record) return [];
  let list = valueLists.get(record);
  if (!list) valueLists.set(record, (list = entriesOf(record).map(([, v]) => v)));
  return list as readonly T[];
}

/** `Object.keys(record)`, listed once per record. */
export function keysOf(record: Readonly<Record<string, unknown>> | undefined): readonly string[] {
  if (!record) return [];
  let list = keyLists.get(record);
  if (!list) keyLists.set(record, (list = entriesOf(record).map(([k]) => k)));
  return list;
}
