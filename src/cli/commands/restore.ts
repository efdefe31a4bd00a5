import { ENGINE_OPTIONS, fileArg, LOCK_OPTIONS, LOCK_USAGE, lockTimeoutMs, parseOptions } from '../options';
import { ExitCode, UsageError, type CliCommand } from '../command';
import type { RestorePlan } from '../../core/dr/runbook';
import type { RestoreDryRun, RestoreOutcome as RestoreOutcomeJson } from '../../protocol/cli-output';
import { runRestore } from '../../scaleway/operations/restore';
import { readLine, withOperationSession } from './operation-support';

const usage = `Usage: landing-zone restore zone --project P [--from-zone Z] [--file FILE] [--dry-run] [--yes]
       landing-zone restore region --project P [--to-region R] [--file FILE] [--dry-run] [--yes]

Runs the disaster-recovery runbook of a project, step by step:
  zone    the project's zone failed: a replacement database in the fallback zone
          (disasterRecovery.zoneFailure.fallbackZone) restored from the latest good backup, the
          cluster reused if its control plane is ready (else replaced), a Velero restore from the
          latest completed backup followed to the end, the new host:port published as a new
          version of the database's endpointSecret, and the file re-pointed.
  region  the region failed or the project was deleted: the same, recreated in the fallback
          region (disasterRecovery.regionFailure.fallbackRegion or --to-region) from the file,
          restored from the backups stored there.
The failed resources are only read, never written. Progress goes to stderr; every step is
journaled in .landing-zone/journal.jsonl, so after Ctrl-C or a failure the same command resumes
(--abandon gives up an open restore of the project instead, so the next one starts anew).
--dry-run prints every step and the API calls it would make, and makes no request at all.
Exit 0 when the restore finished, 1 when it failed or a Velero restore PartiallyFailed (its
warnings and errors are listed per resource).

Options:
  --project P      the project to restore (required)
  --from-zone Z    zone restore: the failed zone (default: the project's zone)
  --to-region R    region restore: the target region (default: the fallback region)
  --file FILE      landing-zone.yaml (default ./landing-zone.yaml)
  --dry-run        print the runbook; change nothing
  --abandon        give up the project's open restore (what it created stays, tagged with its run)
  --format F       text (default) or json (the editor's protocol: src/protocol/cli-output.ts)
  --yes            do not ask for confirmation (CI)
  --profile NAME   Scaleway profile
  ${LOCK_USAGE}
`;

/** The runbook as the protocol's RestoreDryRun (what the editor shows before it asks). */
function dryRunJson(plan: RestorePlan): RestoreDryRun {
  return {
    kind: plan.kind, project: plan.project,
    from: plan.kind === 'zone' ? plan.sourceZone : plan.sourceRegion,
    to: plan.kind === 'zone' ? plan.targetZone : plan.targetRegion,
    steps: plan.steps.map((s) => ({ id: s.id, title: s.title, calls: [...s.calls] })),
  };
}

function outcomeJson(o: Awaited<ReturnType<typeof runRestore>>): RestoreOutcomeJson {
  return {
    kind: o.plan.kind, project: o.plan.project, ...(o.journal ? { run: o.journal.id } : {}), partial: o.partial,
    steps: (o.journal?.steps ?? []).map((s) => ({ id: s.id, title: s.title, status: s.status, ...(s.detail ? { detail: s.detail } : {}) })),
    lines: o.lines,
  };
}

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'run the zone or region disaster-recovery runbook of a project (resumable, --dry-run)',
  usage,
  async run(argv, io) {
    const [kind, ...rest] = argv;
    if (kind !== 'zone' && kind !== 'region') throw new UsageError(`expected "restore zone" or "restore region"${kind ? `, not "restore ${kind}"` : ''}\n${usage}`);
    const { values, positionals } = parseOptions(rest, {
      ...ENGINE_OPTIONS,
      project: { type: 'string' },
      'from-zone': { type: 'string' },
      'to-region': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      yes: { type: 'boolean', default: false },
      abandon: { type: 'boolean', default: false },
      ...LOCK_OPTIONS,
    });
    const format = values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
    if (!values.project) throw new UsageError('--project P is required: the project whose resources to restore');
    if (kind === 'zone' && values['to-region']) throw new UsageError('--to-region is for restore region; a zone restore stays in the project\'s region');
    if (kind === 'region' && values['from-zone']) throw new UsageError('--from-zone is for restore zone');
    const dryRun = values['dry-run']!;
    if (values.abandon) {
      if (dryRun) throw new UsageError('--abandon and --dry-run do not go together');
      const file = fileArg(values, positionals, usage) ?? 'landing-zone.yaml';
      return withOperationSession(io, `restore ${kind}`, { file, profile: values.profile, readOnly: false, target: values.project, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
        const open = await s.journals.load(kind === 'zone' ? 'restore-zone' : 'restore-region', values.project!);
        if (!open) {
          io.stderr.write(`no ${kind} restore of ${values.project} is open; nothing to abandon\n`);
          return ExitCode.ok;
        }
        await s.journals.abandon(open);
        io.stdout.write(`${values.project}: ${kind} restore ${open.id} (started ${open.startedAt}) abandoned; the next restore starts anew\n`);
        return ExitCode.ok;
      });
    }
    if (!dryRun && !values.yes && !io.isTTY) {
      throw new UsageError('a restore creates resources; pass --yes to run it non-interactively (or --dry-run to see the steps)');
    }
    const file = fileArg(values, positionals, usage) ?? 'landing-zone.yaml';
    if (!dryRun && !values.yes) {
      io.stderr.write(`A ${kind} restore of ${values.project} creates replacement resources and edits ${file}. Type the project name to continue: `);
      const answer = await readLine(io.stdin);
      if (answer !== values.project) {
        io.stderr.write('not confirmed; nothing was done\n');
        return ExitCode.findings;
      }
    }
    return withOperationSession(io, `restore ${kind}`, { file, profile: values.profile, readOnly: dryRun, target: values.project, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
      const outcome = await runRestore(s.ctx, {
        model: s.model, kind, project: values.project!, options: { fromZone: values['from-zone'], toRegion: values['to-region'] },
        file: s.file, journals: s.journals, dryRun,
      });
      if (format === 'json') io.stdout.write(`${JSON.stringify(dryRun ? dryRunJson(outcome.plan) : outcomeJson(outcome), null, 2)}\n`);
      else for (const line of outcome.lines) io.stdout.write(`${line}\n`);
      return outcome.partial ? ExitCode.findings : ExitCode.ok;
    });
  },
};
