import { SourceDocument, type YamlReader } from './document';
import { sortIssues, ZERO_RANGE, type Issue } from './issues';
import { buildModel, type LandingZoneModel } from './model';
import { credentialRules } from './rules/credentials';
import { disasterRecoveryRules } from './rules/disaster-recovery';
import { driftRules } from './rules/drift';
import { hubRules } from './rules/hubs';
import { iamRules } from './rules/iam';
import { keySecretRules } from './rules/keys-secrets';
import { nameRules } from './rules/names';
import { networkRules } from './rules/network';
import { placementRules } from './rules/placement';
import { projectNetworkRules } from './rules/project-network';
import { referenceRules } from './rules/references';
import type { Rule, RuleInfo } from './rules/rule';
import { separationRules } from './rules/separation';
import { workloadRules } from './rules/workloads';
import { landingZoneSchema } from './schema';
import { schemaIssues } from './schema-issues';

export type { ModelRule, Rule, RuleContext, RuleInfo, RuleLayer, TextRule, TextRuleContext } from './rules/rule';

/** What the engine needs from the outside world to validate: only the clock (expiry checks). */
export interface ValidateOptions {
  now?: Date;
  /** `fast` for read-only surfaces (editor, `validate`, diagram); commands that write keep the default, `yaml`. */
  reader?: YamlReader;
}

/** The outcome of validating one document: every issue, and the model when the schema holds. */
export interface ValidationResult {
  source: SourceDocument;
  issues: Issue[];
  /** Present when the document is syntactically and schema-valid (semantic findings may remain). */
  model?: LandingZoneModel;
}

/** Semantic checks and policy rules, in the order the README lists them. */
export const RULES: readonly Rule[] = [
  ...referenceRules,
  ...nameRules,
  ...networkRules,
  ...placementRules,
  ...workloadRules,
  ...keySecretRules,
  ...driftRules,
  ...hubRules,
  ...separationRules,
  ...projectNetworkRules,
  ...iamRules,
  ...credentialRules,
  ...disasterRecoveryRules,
];

/** The checks that are not rules of the model: YAML syntax and the schema. */
export const BUILTIN_RULES: readonly RuleInfo[] = [
  { id: 'yaml-syntax', layer: 'syntax', severity: 'error', why: 'The file must be valid YAML before anything else can be checked.', fix: 'Correct the YAML at the reported place; every syntax error is listed, not only the first.' },
  { id: 'yaml-duplicate-key', layer: 'syntax', severity: 'error', why: 'With a duplicate key, one of the two values is silently lost.', fix: 'Remove or rename one of the keys.' },
  { id: 'schema', layer: 'schema', severity: 'error', why: 'Types, enums and required fields follow the landing-zone.yaml v1 format.', fix: 'Write the value the message asks for; hover shows the field\'s description and an example.' },
  { id: 'schema-unknown-key', layer: 'schema', severity: 'error', why: 'An unknown key is usually a typo, and a typo would silently mean "use the default".', fix: 'Rename it to the suggested key, or remove it.' },
  { id: 'internal', layer: 'syntax', severity: 'error', why: 'A check failed unexpectedly; the other findings are still reported.', fix: 'Report the file that triggers it (with secrets removed).' },
];

/** Every rule's metadata, for the README, SARIF and hover: built-in checks first, then RULES. */
export function ruleCatalog(): RuleInfo[] {
  return [...BUILTIN_RULES, ...RULES].map(({ id, layer, severity, why, fix }) => ({ id, layer, severity, why, fix }));
}

/**
 * Validates a landing-zone.yaml text in layers: YAML syntax, schema, then semantic checks and
 * policy rules on the model. A layer runs only when the one before it left something to check,
 * except text rules (leaked credentials), which run on every document. Every issue carries its
 * exact range. Never throws for any input.
 */
export function validateText(text: string, uri = 'landing-zone.yaml', options: ValidateOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  const source = new SourceDocument(text, uri, options.reader);
  const issues: Issue[] = [];
  for (const rule of RULES) if (rule.input === 'text') issues.push(...guarded(rule, () => rule.check({ source, now })));

  const syntax = source.syntaxIssues();
  if (syntax.length > 0) return { source, issues: sortIssues([...syntax, ...issues]) };

  const parsed = landingZoneSchema.safeParse(source.value ?? {});
  if (!parsed.success) return { source, issues: sortIssues([...schemaIssues(parsed.error.issues, source), ...issues]) };

  const model = buildModel(parsed.data, source);
  for (const rule of RULES) if (rule.input === 'model') issues.push(...guarded(rule, () => rule.check({ model, source, now })));
  return { source, issues: sortIssues(issues), model };
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
