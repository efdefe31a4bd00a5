import type { Issue, Severity } from '../issues';
import type { RuleInfo } from '../rules/rule';
import { oneLine, type FormatOptions } from './text';

/** What SARIF needs to know about the tool. */
export interface SarifOptions extends FormatOptions {
  /** Every rule that may appear, so viewers show its description and help. */
  rules: readonly RuleInfo[];
  toolVersion: string;
  informationUri?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 (what GitHub code scanning and GitLab ingest): one run, the rules' metadata, and one
 * result per finding with a 1-based region and, where mechanical, a fix.
 */
export function toSarif(issues: readonly Issue[], options: SarifOptions): Record<string, unknown> {
  const index = new Map(options.rules.map((r, i) => [r.id, i]));
  const region = (r: Issue['range']) => ({ startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 });
  const uri = options.file.replace(/\\/g, '/');
  const result = (i: Issue) => ({
    ruleId: i.ruleId,
    ...(index.has(i.ruleId) ? { ruleIndex: index.get(i.ruleId) } : {}),
    level: LEVEL[i.severity],
    message: { text: oneLine(i.message) },
    locations: [{
      physicalLocation: { artifactLocation: { uri }, region: region(i.range) },
      ...(i.path.length ? { logicalLocations: [{ fullyQualifiedName: i.path.join('.') }] } : {}),
    }],
    ...(i.fix?.edits?.length
      ? { fixes: [{ description: { text: i.fix.title }, artifactChanges: [{ artifactLocation: { uri }, replacements: i.fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }] }] }
      : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'landing-zone',
          version: options.toolVersion,
          ...(options.informationUri ? { informationUri: options.informationUri } : {}),
          rules: options.rules.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
            shortDescription: { text: r.why },
            fullDescription: { text: `${r.why} Fix: ${r.fix}` },
            help: { text: r.fix },
            ...(options.helpUri?.(r.id) ? { helpUri: options.helpUri(r.id) } : {}),
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: { layer: r.layer, tags: [r.layer] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: [
        ...issues.map((i) => result(i)),
        // suppressed in source: viewers show them as dismissed, with the comment's reason
        ...(options.suppressed ?? []).map((s) => ({ ...result(s.issue), suppressions: [{ kind: 'inSource', justification: s.justification }] })),
      ],
    }],
  };
}

export function formatSarif(issues: readonly Issue[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(issues, options), null, 2)}\n`;
}
