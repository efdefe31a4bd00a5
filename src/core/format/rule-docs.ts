/**
 * Where each rule's documentation is published: docs/rules/<rule-id>.md of the repository (why the
 * rule exists, how to fix a finding, where the rule comes from). SARIF's `helpUri`, the JSON
 * report's `helpUri` and the editor's diagnostic code link there.
 */
export const RULE_DOCS_BASE = 'https://example.invalid/scaleway-landing-zone/blob/main/docs/rules/';

export function ruleHelpUri(ruleId: string, base: string = RULE_DOCS_BASE): string {
  return `${base}${encodeURIComponent(ruleId)}.md`;
}
