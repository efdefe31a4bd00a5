import type { Plan, PlanOperation } from '../plan';

/** Who the plan is for: shown at the top of the preview and in the confirmation. */
export interface PlanAudience {
  organizationId: string;
  organizationName: string;
  profile: string;
  file: string;
}

const VERB: Record<PlanOperation['action'], string> = { create: 'Create', update: 'Update', delete: 'Delete' };

function planCounts(plan: Plan): Record<PlanOperation['action'], number> {
  const count = (a: PlanOperation['action']) => plan.operations.filter((o) => o.action === a).length;
  return { create: count('create'), update: count('update'), delete: count('delete') };
}

/** Projects where the plan deletes something: a destructive plan asks for these names, typed. */
export function projectsWithDeletes(plan: Plan): string[] {
  return [...new Set(plan.operations.filter((o) => o.action === 'delete').map((o) => o.project))].sort();
}

/** One line for the confirmation: `12 to create, 1 to update, 2 to delete`. */
export function planOneLine(plan: Plan): string {
  const c = planCounts(plan);
  return plan.operations.length === 0 ? 'no changes' : `${c.create} to create, ${c.update} to update, ${c.delete} to delete`;
}

/** The plan for people, as Markdown: target, counts, then the operations by project in order. */
export function planMarkdown(plan: Plan, who: PlanAudience): string {
  const lines = [
    `# Plan for ${who.organizationName}`,
    '',
    `- Organisation: \`${who.organizationId}\``,
    `- Profile: \`${who.profile}\``,
    `- File: \`${who.file}\``,
    `- Plan: \`${plan.planHash.slice(0, 12)}\` (account read as \`${plan.inventoryHash.slice(0, 12)}\`)`,
    '',
    plan.operations.length === 0 ? '**No changes**: the account matches the file.' : `**${planOneLine(plan)}**`,
  ];
  const deletes = projectsWithDeletes(plan);
  if (deletes.length) lines.push('', `> ⚠ This plan deletes resources in ${deletes.map((p) => `\`${p}\``).join(', ')}. Apply asks you to type these project names.`);
  const byProject = new Map<string, { op: PlanOperation; n: number }[]>();
  plan.operations.forEach((op, i) => byProject.set(op.project, [...(byProject.get(op.project) ?? []), { op, n: i + 1 }]));
  for (const [project, ops] of byProject) {
    lines.push('', `## ${project}`, '');
    for (const { op, n } of ops) {
      lines.push(`- #${n} **${VERB[op.action]}** ${op.kind} \`${op.name}\`${op.zone ? ` in ${op.zone}` : op.region ? ` in ${op.region}` : ''}`);
      for (const c of op.changes ?? []) lines.push(`   - \`${c.field}\`: ${JSON.stringify(c.live)} → ${JSON.stringify(c.declared)}`);
      if (op.after.length) lines.push(`   - after ${op.after.length} other operation(s)`);
    }
  }
  if (plan.skipped.length) lines.push('', '## Not handled by this version', '', ...plan.skipped.map((s) => `- \`${s.id}\`: ${s.reason}`));
  if (plan.leftAlone.length) lines.push('', '## Left alone', '', ...plan.leftAlone.map((s) => `- \`${s.id}\`: ${s.reason}`));
  return lines.join('\n') + '\n';
}
