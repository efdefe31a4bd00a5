import type { RuleInfo } from '../rules/rule';
import { FIXED_RULES } from '../rules/selection';

/** The folder of the rule docs, relative to the repository root. */
export const RULE_DOCS_DIR = 'docs/rules';

/** Where a rule without its own `source` comes from, by layer. */
const DEFAULT_SOURCE: Record<RuleInfo['layer'], string> = {
  syntax: 'YAML 1.2 as the `yaml` package reads it (the reference that every surface of this tool gives the same answer as).',
  schema: 'The landing-zone.yaml v1 format: `src/core/schema.ts`, published as `schemas/landing-zone.schema.json` and in the README\'s format table.',
  semantic: 'What Scaleway accepts, as the "why" above says; values that Scaleway publishes are checked against its API catalogs (the README\'s *Catalogs* section).',
  policy: 'The reference landing zone that this tool enforces (the README\'s *Rules* section and `docs/secrets-and-dr.md`).',
};

/** A URL in a source line becomes a link; the rest stays as written. */
function linked(text: string): string {
  return text.replace(/https?:\/\/[^\s)]+[^\s).,]/g, (url) => `<${url}>`);
}

/**
 * docs/rules/<rule-id>.md: why the rule exists, how to fix a finding, where the rule comes from,
 * and how a reviewer changes or suppresses it. Generated from the rule's metadata by
 * `npm run schema`, so a rule cannot ship without its page; test/unit/rules/rule-docs.test.ts
 * fails when a page is missing or stale.
 */
export function ruleDocText(rule: RuleInfo): string {
  const fixed = FIXED_RULES.has(rule.id);
  const lines = [
    `# \`${rule.id}\``,
    '',
    `Layer: **${rule.layer}** · default severity: **${rule.severity}**`,
    '',
    '## Why',
    '',
    rule.why,
    '',
    '## How to fix',
    '',
    rule.fix,
    '',
    'Where the fix is mechanical, the finding carries it: the editor offers it as a quick fix, and `landing-zone validate --format json` and `--format sarif` include its edits.',
    '',
    '## Source',
    '',
    linked(rule.source ?? DEFAULT_SOURCE[rule.layer]),
    '',
  ];
  if (fixed) {
    lines.push(
      '## Turning it off',
      '',
      rule.id === 'no-credentials'
        ? 'This check cannot be turned off or suppressed: a credential in a reviewed, committed file is never acceptable. Delete it, revoke it, and keep the new one in Secret Manager.'
        : 'This check cannot be turned off or suppressed: every other check needs a file that parses and follows the format.',
      '',
    );
  } else {
    lines.push(
      '## Turning it off, or changing its severity, for one file',
      '',
      'In `landing-zone.yaml`, a top-level `rules:` section (as in an ESLint config):',
      '',
      '```yaml',
      'rules:',
      `  ${rule.id}: warning   # off, info, warning or error`,
      '```',
      '',
      '## Accepting one finding',
      '',
      'Say why, on the finding\'s line or alone on the line before it; the reason is required and reviewed with the file:',
      '',
      '```yaml',
      `# landing-zone-ignore ${rule.id}: <why this finding is acceptable here>`,
      '```',
      '',
      'The finding leaves the Problems panel and the text report; JSON lists it under `suppressed` and SARIF reports it as suppressed in source, with the reason as its justification. A suppression that no longer suppresses anything is reported, so it cannot hide a future finding.',
      '',
    );
  }
  return `${lines.join('\n')}`;
}
