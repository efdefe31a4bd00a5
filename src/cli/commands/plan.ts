import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { planCost, planCostText } from '../../core/cost/plan-cost';
import { buildPriceBook, bundledProductCatalog } from '../../core/cost/price-book';
import { bundledSnapshot } from '../../core/catalog';
import { formatText } from '../../core/format/text';
import { interruptedNotice } from '../../core/journal';
import type { Plan } from '../../core/plan';
import type { Inventory } from '../../core/state';
import { readPlan, type CatalogCheck } from '../../scaleway/engine';
import { describeProfile } from '../../scaleway/profiles';
import type { Session } from '../../scaleway/session';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { ENGINE_OPTIONS, fileArg, parseOptions } from '../options';
import { engineSession } from './drift';

const USAGE = `Usage: landing-zone plan [FILE] [--file FILE] [--profile NAME] [--out plan.json] [--format text|json] [--adopt]

Reads the organisation (read-only) and lists the operations that would turn it into the file:
creates and updates in dependency order, then deletes. --out saves the plan for
\`landing-zone apply --plan plan.json\`, which refuses it if the account or the file changed since.
--adopt also tags the untagged resources matched by name (lz:managed, lz:id=…): taking over a
hand-built organisation.`;

/** Reads the account and computes the plan for an open session. */
export const planOf = (session: Session, adopt = false) => readPlan(session, {}, { adopt });

/**
 * What the live catalogs say, on stderr: each value the account does not offer as a finding line
 * (`file:line:col error ruleId message`), then each catalog that could not be read. True when the
 * command must refuse (a value is not offered).
 */
export function reportCatalog(io: CliIo, session: Session, check: CatalogCheck, command: string): boolean {
  const file = relative(io.cwd, session.file) || session.file;
  for (const line of check.unread) io.stderr.write(`${command}: catalog not checked: ${line}\n`);
  if (check.issues.length === 0) return false;
  io.stderr.write(formatText(check.issues, { file }));
  io.stderr.write(`landing-zone ${command}: ${check.issues.length} value(s) the account's live catalogs do not offer; fix them first (nothing was changed)\n`);
  return true;
}

/** The plan for people: one line per operation, then what is skipped or left alone. */
export function planText(plan: Plan): string {
  const lines = plan.operations.map((o, i) => `${String(i + 1).padStart(3)}. ${o.summary}`);
  for (const s of plan.skipped) lines.push(`  skip ${s.id}: ${s.reason}`);
  for (const s of plan.leftAlone) lines.push(`  leave ${s.id}: ${s.reason}`);
  const count = (a: string) => plan.operations.filter((o) => o.action === a).length;
  // what could not be read is not known to match: say so instead of "matches"
  lines.push(plan.operations.length === 0
    ? (plan.skipped.length ? `No changes in what could be read; ${plan.skipped.length} declared resource(s) not checked (skip lines above).` : 'No changes: the account matches the file.')
    : `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete (plan ${plan.planHash.slice(0, 12)})`);
  return lines.join('\n') + '\n';
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'List the operations that turn the organisation into the file',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, { ...ENGINE_OPTIONS, out: { type: 'string' }, format: { type: 'string', default: 'text' }, adopt: { type: 'boolean', default: false } });
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
    const session = await engineSession(io, fileArg(values, positionals, USAGE), values.profile);
    io.stderr.write(`plan: organisation ${session.profile.organizationId} via ${describeProfile(session.profile)}\n`);
    for (const run of session.interruptedRuns) io.stderr.write(`plan: ${interruptedNotice(run)}\n`);
    let plan: Plan;
    let catalog: CatalogCheck;
    let inventory: Inventory;
    try {
      ({ plan, catalog, inventory } = await planOf(session, values.adopt));
    } catch (err) {
      io.stderr.write(`landing-zone plan: cannot read the account: ${(err as Error).message}\n`);
      return ExitCode.findings;
    }
    if (reportCatalog(io, session, catalog, 'plan')) return ExitCode.findings;
    if (values.out) {
      await writeFile(resolve(io.cwd, values.out), JSON.stringify(plan, null, 2) + '\n');
      io.stderr.write(`plan: saved to ${values.out}\n`);
    }
    io.stdout.write(values.format === 'json' ? JSON.stringify(plan, null, 2) + '\n' : planText(plan));
    // the bundled catalog snapshot: the plan makes no request beyond the account's (`cost` reads live)
    if (values.format === 'text' && plan.operations.length > 0) io.stdout.write(planCostText(planCost(plan, session.desired, inventory, buildPriceBook(bundledProductCatalog(), bundledSnapshot()))));
    return ExitCode.ok;
  },
};
