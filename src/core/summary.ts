import type { Issue } from './issues';
import { PROJECT_ROLES, type ProjectRole } from './schema';
import type { ValidationResult } from './validate';

/** What `npm start` and `landing-zone validate --summary` print about a landing zone. */
export interface LandingZoneSummary {
  organization?: string;
  /** Project names by role, in role order; roles without projects are absent. */
  projectsByRole: Partial<Record<ProjectRole, string[]>>;
  projectCount: number;
  hubs: string[];
  clusters: number;
  databases: number;
  findings: { errors: number; warnings: number; infos: number };
}

export function summarize(result: Pick<ValidationResult, 'issues' | 'model'>): LandingZoneSummary {
  const spec = result.model?.spec;
  const projectsByRole: LandingZoneSummary['projectsByRole'] = {};
  let clusters = 0;
  let databases = 0;
  for (const role of PROJECT_ROLES) {
    const names = Object.entries(spec?.projects ?? {}).filter(([, p]) => p.role === role).map(([n]) => n);
    if (names.length) projectsByRole[role] = names;
  }
  for (const p of Object.values(spec?.projects ?? {})) {
    clusters += Object.keys(p.clusters ?? {}).length;
    databases += Object.keys(p.databases ?? {}).length;
  }
  return {
    organization: spec?.organization.name,
    projectsByRole,
    projectCount: Object.keys(spec?.projects ?? {}).length,
    hubs: result.model?.hubs ?? [],
    clusters,
    databases,
    findings: count(result.issues),
  };
}

function count(issues: readonly Issue[]) {
  return {
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    infos: issues.filter((i) => i.severity === 'info').length,
  };
}

/** A few human lines; the model is absent when the file did not pass the schema. */
export function formatSummary(s: LandingZoneSummary, file: string): string {
  const lines = [`${file}: landing zone ${s.organization ?? '(unreadable)'}`];
  if (s.projectCount) {
    lines.push(`  projects (${s.projectCount}):`);
    for (const [role, names] of Object.entries(s.projectsByRole)) lines.push(`    ${role.padEnd(12)} ${names.join(', ')}`);
    lines.push(`  hubs:        ${s.hubs.length ? s.hubs.join(', ') : 'none'}`);
    lines.push(`  workloads:   ${s.clusters} cluster${s.clusters === 1 ? '' : 's'}, ${s.databases} database${s.databases === 1 ? '' : 's'}`);
  }
  const f = s.findings;
  lines.push(`  findings:    ${f.errors} error${f.errors === 1 ? '' : 's'}, ${f.warnings} warning${f.warnings === 1 ? '' : 's'}${f.infos ? `, ${f.infos} info` : ''}`);
  return `${lines.join('\n')}\n`;
}
