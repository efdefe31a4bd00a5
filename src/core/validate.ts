import { SourceDocument } from './document';
import { sortIssues, type Issue } from './issues';
import { buildModel, type LandingZoneModel } from './model';
import { landingZoneSchema } from './schema';
import { schemaIssues } from './schema-issues';

/** What the engine needs from the outside world to validate: only the clock (expiry checks). */
export interface ValidateOptions {
  now?: Date;
}

/** The outcome of validating one document: every issue, and the model when the schema holds. */
export interface ValidationResult {
  source: SourceDocument;
  issues: Issue[];
  /** Present when the document is syntactically and schema-valid (semantic findings may remain). */
  model?: LandingZoneModel;
}

/**
 * Validates a landing-zone.yaml text in layers: YAML syntax, schema, then semantic checks and
 * policy rules on the model. A layer runs only when the one before it left something to check;
 * every issue carries its exact range.
 */
export function validateText(text: string, uri = 'landing-zone.yaml', options: ValidateOptions = {}): ValidationResult {
  const source = new SourceDocument(text, uri);
  const syntax = source.syntaxIssues();
  if (syntax.length > 0) return { source, issues: sortIssues(syntax) };

  const parsed = landingZoneSchema.safeParse(source.value ?? {});
  if (!parsed.success) return { source, issues: sortIssues(schemaIssues(parsed.error.issues, source)) };

  const model = buildModel(parsed.data, source);
  const issues = runChecks(model, source, options);
  return { source, issues: sortIssues(issues), model };
}

/** Semantic checks and policy rules, registered by ./rules. */
function runChecks(model: LandingZoneModel, source: SourceDocument, options: ValidateOptions): Issue[] {
  const issues: Issue[] = [];
  for (const rule of RULES) issues.push(...rule.check({ model, source, now: options.now ?? new Date() }));
  return issues;
}

/** A semantic check or a policy rule. */
export interface Rule {
  id: string;
  /** `semantic` rules are about correctness; `policy` rules about the reference architecture. */
  layer: 'semantic' | 'policy';
  /** One line: why the rule exists (the README and hover show it). */
  why: string;
  check(ctx: RuleContext): Issue[];
}

export interface RuleContext {
  model: LandingZoneModel;
  source: SourceDocument;
  now: Date;
}

const RULES: Rule[] = [];
