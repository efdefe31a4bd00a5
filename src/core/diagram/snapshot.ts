import type { Issue, Severity } from '../issues';
import { buildTopology, nodeAtPath, type Topology } from '../topology';
import type { ValidationResult } from '../validate';
import { failureChoices, simulateFailure } from './failure';
import type { DiagramLayoutEngine } from './layout';
import type { DiagramLayout, FailureScenario, FailureSimulation, NodeBadge } from './types';

/*
 * From a validation result to what the diagram shows: the topology, its layout (with each box's
 * YAML range for "reveal"), and the findings as badges. The extension host and the CLI both call
 * this; the webview never sees the YAML text.
 */

/** A laid-out diagram of one document, ready to render or post. */
export interface DiagramBuild {
  topology: Topology;
  layout: DiagramLayout;
  badges: Record<string, NodeBadge>;
  title: string;
  counts: { errors: number; warnings: number; infos: number };
  choices: { zones: string[]; regions: string[] };
}

/** Lays out a validated document; undefined when it has no model (syntax or schema errors). */
export async function buildDiagram(result: ValidationResult, engine: DiagramLayoutEngine): Promise<DiagramBuild | undefined> {
  const { model, source } = result;
  if (!model) return undefined;
  const topology = buildTopology(model);
  const layout = await engine.layout(topology);
  for (const n of layout.nodes) n.range = source.keyRangeOf(n.path);
  for (const g of layout.groups) g.range = source.keyRangeOf(g.path);
  return {
    topology,
    layout,
    badges: issueBadges(topology, result.issues),
    title: model.spec.organization.name,
    counts: countIssues(result.issues),
    choices: failureChoices(model),
  };
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Each finding goes to the node whose path is the longest prefix of the finding's path. */
function issueBadges(topology: Topology, issues: Issue[]): Record<string, NodeBadge> {
  const badges: Record<string, NodeBadge> = {};
  for (const issue of issues) {
    const id = nodeAtPath(topology, issue.path);
    if (!id) continue;
    const b = (badges[id] ??= { severity: issue.severity, count: 0, messages: [] });
    b.count++;
    if (RANK[issue.severity] > RANK[b.severity]) b.severity = issue.severity;
    if (b.messages.length < 5) b.messages.push(issue.message);
  }
  return badges;
}

export function countIssues(issues: Issue[]): DiagramBuild['counts'] {
  return {
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    infos: issues.filter((i) => i.severity === 'info').length,
  };
}

/** The failure simulation of a scenario, or undefined when there is none or no model. */
export function diagramFailure(result: ValidationResult, topology: Topology, scenario: FailureScenario | undefined): FailureSimulation | undefined {
  return scenario && result.model ? simulateFailure(result.model, topology, scenario) : undefined;
}
