import type { Catalog } from './catalog';
import { SourceDocument, type YamlReader } from './document';
import { ValidationInterrupted } from './validate-interrupted';
import { sortIssues, ZERO_RANGE, type Issue } from './issues';
import { buildModel, type LandingZoneModel } from './model';
import { credentialRules } from './rules/credentials';
import { disasterRecoveryRules } from './rules/disaster-recovery';
import { drCoverageRules } from './rules/dr-coverage';
import { catalogRules } from './rules/catalog';
import { driftRules } from './rules/drift';
import { hubRules } from './rules/hubs';
import { iamRules } from './rules/iam';
import { keySecretRules } from './rules/keys-secrets';
import { nameRules } from './rules/names';
import { networkRules } from './rules/network';
import { placementRules } from './rules/placement';
import { projectNetworkRules } from './rules/project-network';
import { quotaRules } from './rules/quotas';
import { referenceRules } from './rules/references';
import { roleRules } from './rules/roles';
import { plainIssue, type Rule, type RuleInfo } from './rules/rule';
import { separationRules } from './rules/separation';
import { applySelection, RULE_CONFIG, SUPPRESSION, type SuppressedIssue } from './rules/selection';
import { workloadRules } from './rules/workloads';
import { landingZoneSchema } from './schema';
import { schemaIssues, UNKNOWN_KEY } from './schema-issues';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_NODES } from './yaml-limits';
import type { z } from 'zod';

export type { ModelRule, Rule, RuleContext, RuleInfo, RuleLayer, TextRule, TextRuleContext } from './rules/rule';
export type { SuppressedIssue } from './rules/selection';

/** What the engine needs from the outside world to validate: the clock (expiry checks) and, optionally, a live catalog. */
export interface ValidateOptions {
  now?: Date;
  /** Scaleway's catalogs to check offered values against; default: the bundled snapshot. */
  catalog?: Catalog;
  /** `fast` for read-only surfaces (editor, `validate`, diagram); commands that write keep the default, `yaml`. */
  reader?: YamlReader;
  /**
   * Asked between the steps of a validation (after the parse, the schema, each rule): true stops it
   * with ValidationInterrupted. The editor's worker stops a run that a newer version made moot.
   */
  interrupted?: () => boolean;
}


/** The outcome of validating one document: every issue, and the model when the schema holds. */
export interface ValidationResult {
  source: SourceDocument;
  issues: Issue[];
  /** Present when the document is syntactically and schema-valid (semantic findings may remain). */
  model?: LandingZoneModel;
  /** Findings that a `# landing-zone-ignore <rule>: <reason>` comment suppressed (not in `issues`). */
  suppressed: SuppressedIssue[];
}

/** Semantic checks and policy rules, in the order the README lists them. */
export const RULES: readonly Rule[] = [
  ...referenceRules,
  ...nameRules,
  ...networkRules,
  ...placementRules,
  ...workloadRules,
  ...catalogRules,
  ...keySecretRules,
  ...driftRules,
  ...hubRules,
  ...separationRules,
  ...projectNetworkRules,
  ...iamRules,
  ...credentialRules,
  ...disasterRecoveryRules,
  ...drCoverageRules,
  ...roleRules,
  ...quotaRules,
];

/** The checks that are not rules of the model: YAML syntax and the schema. */
export const BUILTIN_RULES: readonly RuleInfo[] = [
  { id: 'yaml-syntax', layer: 'syntax', severity: 'error', why: 'The file must be valid YAML before anything else can be checked.', fix: 'Correct the YAML at the reported place; every syntax error is listed, not only the first.' },
  { id: 'yaml-duplicate-key', layer: 'syntax', severity: 'error', why: 'With a duplicate key, one of the two values is silently lost.', fix: 'Remove or rename one of the keys.' },
  { id: 'schema', layer: 'schema', severity: 'error', why: 'Types, enums and required fields follow the landing-zone.yaml v1 format.', fix: 'Write the value the message asks for; hover shows the field\'s description and an example.' },
  UNKNOWN_KEY,
  {
    id: 'document-size',
    layer: 'syntax',
    severity: 'error',
    why: `Validation answers in bounded time and memory: files are limited to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB and ${MAX_DOCUMENT_NODES.toLocaleString('en-GB')} YAML nodes, about 1,000 projects, where Scaleway allows 25 projects per organisation by default; and a large file whose first lines already hold more syntax errors than are shown is read no further (the finding says where reading stopped).`,
    fix: 'Split the landing zone (one file per organisation), or remove what it does not describe: generated or repeated entries, pasted logs. Where reading stopped, correct the syntax errors shown and validate again.',
    source: 'Scaleway, "Understanding Organization quotas": "Maximum number of Projects in an Organization: 25" (reviewed 16 October 2024), https://www.scaleway.com/en/docs/identity-and-access-management/organizations-and-projects/additional-content/organization-quotas/; and up to 255 Private Networks per Organization: https://www.scaleway.com/en/docs/vpc/faq/',
  },
  { id: 'internal', layer: 'syntax', severity: 'error', why: 'A check failed unexpectedly; the other findings are still reported.', fix: 'Report the file that triggers it (with secrets removed).' },
  RULE_CONFIG,
  SUPPRESSION,
];

/** Every rule's metadata, for the README, SARIF and hover: built-in checks first, then RULES. */
export function ruleCatalog(): RuleInfo[] {
  return [...BUILTIN_RULES, ...RULES].map(({ id, layer, severity, why, fix, source }) => (source ? { id, layer, severity, why, fix, source } : { id, layer, severity, why, fix }));
}

/**
 * Validates a landing-zone.yaml text in layers: YAML syntax, schema, then semantic checks and
 * policy rules on the model. A layer runs only when the one before it left something to check,
 * except text rules (leaked credentials), which run on every document. Every issue carries its
 * exact range. Never throws for any input.
 */
export function validateText(text: string, uri = 'landing-zone.yaml', options: ValidateOptions = {}): ValidationResult {
  return validateSource(new SourceDocument(text, uri, options.reader, options.interrupted), options);
}

/**
 * validateText on a document already read (the editor's worker reads each version once and shares
 * the parse with its language answers), with the reader its caller chose.
 */
export function validateSource(source: SourceDocument, options: Omit<ValidateOptions, 'reader'> = {}): ValidationResult {
  const now = options.now ?? new Date();
  const stop = options.interrupted ? () => { if (options.interrupted!()) throw new ValidationInterrupted(); } : () => undefined;
  // Past the size or node budget, one finding says so and names the fix; nothing else is checked.
  if (source.overBudget) return { source, issues: source.syntaxIssues(), suppressed: [] };
  stop();
  const issues: Issue[] = [];
  for (const rule of RULES) if (rule.input === 'text') append(issues, guarded(rule, () => rule.check({ source, now })));

  const syntax = source.syntaxIssues(MAX_FINDINGS_PER_RULE);
  if (syntax.length > 0) return finish(source, append(syntax, issues), undefined, source.syntaxOmitted);
  stop();

  // (walking the whole value for `__proto__` keys cost 0.1-0.2 s on a megabyte; the reader knows when none can be there)
  const protoKeys: (string | number)[][] = [];
  const parsed = landingZoneSchema.safeParse(source.mayHoldProtoKey ? withOwnProtoKeys(source.value ?? {}, [], protoKeys) : source.value ?? {});
  if (!parsed.success) return finish(source, append(schemaIssues(parsed.error.issues.map(realKeys), source), issues));
  stop();

  const spec = restoreProtoKeys(parsed.data, protoKeys);
  const model = buildModel(spec, source);
  for (const rule of RULES) {
    if (rule.input !== 'model') continue;
    stop();
    append(issues, guarded(rule, () => rule.check({ model, source, now, catalog: options.catalog })));
  }
  return finish(source, issues, model);
}

let ruleIds: string[] | undefined;

/** The file's rule selection and suppressions, then the per-rule cap, in document order. */
function finish(source: SourceDocument, issues: Issue[], model?: LandingZoneModel, omitted?: ReadonlyMap<string, number>): ValidationResult {
  ruleIds ??= ruleCatalog().map((r) => r.id);
  const selected = applySelection(source, issues, ruleIds, model !== undefined);
  // only the findings kept are built in full (their messages and fixes may have been deferred)
  const result: ValidationResult = {
    source,
    issues: capped(sortIssues(selected.issues), omitted).map(plainIssue),
    suppressed: selected.suppressed.map((s) => ({ ...s, issue: plainIssue(s.issue) })),
  };
  if (model) result.model = model;
  return result;
}

/**
 * Findings of one rule shown at most; the rest become one summary finding. 400 projects on one
 * subnet, or 50,000 duplicate keys, must not flood the Problems panel, a CI log or SARIF.
 */
export const MAX_FINDINGS_PER_RULE = 100;

/** `push(...more)` passes every item as an argument: a RangeError past about 100,000 of them. */
function append(to: Issue[], more: readonly Issue[]): Issue[] {
  for (const i of more) to.push(i);
  return to;
}

/**
 * Keeps the first MAX_FINDINGS_PER_RULE findings of each rule (in document order) and summarises
 * the rest in one finding where the first left-out one is. `omitted` counts findings a check
 * already left out (syntax findings are located only up to the cap).
 */
function capped(sorted: Issue[], omitted: ReadonlyMap<string, number> = new Map()): Issue[] {
  const counts = new Map<string, number>(omitted);
  for (const i of sorted) counts.set(i.ruleId, (counts.get(i.ruleId) ?? 0) + 1);
  if (![...counts.values()].some((n) => n > MAX_FINDINGS_PER_RULE)) return sorted;
  const shown = new Map<string, number>();
  const last = new Map<string, Issue>();
  const out: Issue[] = [];
  for (const i of sorted) {
    const k = (shown.get(i.ruleId) ?? 0) + 1;
    shown.set(i.ruleId, k);
    if (k <= MAX_FINDINGS_PER_RULE) { out.push(i); last.set(i.ruleId, i); }
  }
  for (const [ruleId, total] of counts) {
    if (total <= MAX_FINDINGS_PER_RULE) continue;
    const at = last.get(ruleId)!;
    out.push({
      ruleId,
      severity: at.severity,
      message: `${total - MAX_FINDINGS_PER_RULE} more ${ruleId} finding(s) after this one are not shown (${total} in all); fix these and validate again.`,
      range: at.range,
      path: at.path,
    });
  }
  return sortIssues(out);
}

/**
 * zod builds records by assignment, so a map key `__proto__` (a project named so) would set the
 * output's prototype and the project would vanish from the model. Such keys are renamed on the way
 * in and restored on the way out; any other name is untouched.
 */
const PROTO = '__proto__';
const PROTO_STANDIN = '\u0000__proto__';

/** The value with `__proto__` keys renamed; `found` gets the path of each map that had one. */
function withOwnProtoKeys(value: unknown, path: (string | number)[], found: (string | number)[][]): unknown {
  if (Array.isArray(value)) return value.some(hasProtoKey) ? value.map((v, i) => withOwnProtoKeys(v, [...path, i], found)) : value;
  if (!value || typeof value !== 'object') return value;
  if (!hasProtoKey(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, PROTO)) found.push(path);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k === PROTO ? PROTO_STANDIN : k] = withOwnProtoKeys(v, [...path, k], found);
  return out;
}

/** A zod issue about a renamed `__proto__` key names the key as written. */
function realKeys(zi: z.core.$ZodIssue): z.core.$ZodIssue {
  const real = (k: PropertyKey) => (k === PROTO_STANDIN ? PROTO : k);
  const path = zi.path.map(real);
  return zi.code === 'unrecognized_keys' ? { ...zi, path, keys: zi.keys.map((k) => real(k) as string) } : { ...zi, path };
}

/**
 * The output with the renamed keys named `__proto__` again, as own data properties. Only the maps
 * that had one are rebuilt (deepest first, each then set in its parent): rebuilding the whole
 * output cost a tenth of a second on a megabyte.
 */
function restoreProtoKeys<T>(output: T, paths: readonly (string | number)[][]): T {
  if (paths.length === 0) return output;
  const holder = { root: output as unknown };
  const step = (k: string | number) => (k === PROTO ? PROTO_STANDIN : k);
  for (const path of [...paths].sort((a, b) => b.length - a.length)) {
    let parent: Record<string | number, unknown> = holder;
    let key: string | number = 'root';
    for (const k of path) {
      const next = parent[key];
      if (!next || typeof next !== 'object') { parent = {}; break; }
      parent = next as Record<string | number, unknown>;
      key = step(k);
    }
    const map = parent[key];
    if (!map || typeof map !== 'object' || Array.isArray(map)) continue;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(map)) Object.defineProperty(out, k === PROTO_STANDIN ? PROTO : k, { value: x, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(parent, key, { value: out, enumerable: true, writable: true, configurable: true });
  }
  return holder.root as T;
}

/** Whether a value holds an own `__proto__` key anywhere (memoised per object: values may share aliased parts). */
const protoMemo = new WeakMap<object, boolean>();
function hasProtoKey(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const known = protoMemo.get(value);
  if (known !== undefined) return known;
  protoMemo.set(value, false);
  const found = Object.prototype.hasOwnProperty.call(value, PROTO) || (Array.isArray(value) ? value.some(hasProtoKey) : Object.values(value).some(hasProtoKey));
  protoMemo.set(value, found);
  return found;
}

/**
 * A rule that throws is a bug of ours; the editor must keep showing the other findings, so the
 * failure becomes one `internal` issue instead of an exception.
 */
function guarded(rule: Rule, run: () => Issue[]): Issue[] {
  try {
    return run();
  } catch (err) {
    return [{
      ruleId: 'internal',
      severity: 'error',
      message: `Rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}. The other findings are complete; please report this file.`,
      range: ZERO_RANGE,
      path: [],
    }];
  }
}
