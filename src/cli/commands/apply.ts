import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { planHash, type Plan } from '../../core/plan';
import type { ApplyEvent } from '../../scaleway/apply';
import { APPLY_CONCURRENCY, applyPlan, lockOrganization } from '../../scaleway/engine';
import { describeHolder } from '../../scaleway/operations/lock';
import { describeProfile } from '../../scaleway/profiles';
import { interruptedNotice } from '../../core/journal';
import { interruptedRuns } from '../../scaleway/journal';
import type { Session } from '../../scaleway/session';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { ENGINE_OPTIONS, fileArg, LOCK_OPTIONS, LOCK_USAGE, lockTimeoutMs, parseOptions } from '../options';
import { engineSession } from './drift';
import { planOf, planText, reportCatalog } from './plan';
import { batchedWriter, liveBar } from '../progress';

const USAGE = `Usage: landing-zone apply [FILE] [--file FILE] [--profile NAME] [--plan plan.json] [--yes] [--allow-delete] [--adopt] [--concurrency N (512)]

Plans (or takes the saved --plan, refused if the account or the file changed since) and carries
out the operations. Shows the target organisation and profile first and asks for confirmation
(--yes skips it in CI). Deletes need --allow-delete and the typed names of the projects where
resources are deleted (or --yes --allow-delete). Progress goes to stderr (a live bar on a
terminal, one line per operation otherwise); a journal in
.landing-zone/journal.jsonl (next to FILE) lets an interrupted apply resume without duplicates.
--adopt tags the untagged resources matched by name, so later runs find them by tag.
Ctrl-C stops cleanly: running operations finish, nothing new starts. One apply, rotation or
restore at a time per organisation: the lock is in .landing-zone/locks/ next to FILE.
  ${LOCK_USAGE}
Exit 0 done, 1 failed, 2 usage or refused, 70 internal error, 75 the organisation is locked by
another operation, 130 interrupted.`;

async function ask(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const line = await new Promise<string>((res) => {
      rl.once('line', res);
      rl.once('close', () => res(''));
    });
    return line.trim();
  } finally {
    rl.close();
  }
}

function progressLine(e: ApplyEvent): string | undefined {
  switch (e.type) {
    case 'start': return `[${e.index}/${e.total}] ${e.op.summary} …`;
    case 'done': return `[${e.index}/${e.total}] done ${e.op.action} ${e.op.id} (${(e.ms / 1000).toFixed(1)} s)`;
    case 'retry': return `retry ${e.op.action} ${e.op.id} (attempt ${e.attempt + 1}): ${e.error}`;
    case 'failed': return `FAILED ${e.op.action} ${e.op.id}: ${e.error}`;
    case 'skipped': return `skipped ${e.op.action} ${e.op.id}: ${e.reason}`;
    default: return undefined;
  }
}

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'Carry out the plan against the organisation (confirmation, journal, resume)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      ...ENGINE_OPTIONS, ...LOCK_OPTIONS, plan: { type: 'string' }, yes: { type: 'boolean', default: false }, 'allow-delete': { type: 'boolean', default: false }, adopt: { type: 'boolean', default: false }, concurrency: { type: 'string' },
    });
    const concurrency = values.concurrency === undefined ? APPLY_CONCURRENCY : Number(values.concurrency);
    const lockTimeout = lockTimeoutMs(values['lock-timeout']);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) throw new UsageError('--concurrency must be an integer from 1 to 1024');
    const session = await engineSession(io, fileArg(values, positionals, USAGE), values.profile);
    const { profile } = session;
    io.stderr.write(`apply: organisation ${profile.organizationId} (${session.model.spec.organization.name}) via ${describeProfile(profile)}\n`);

    // one apply at a time per organisation, taken before the account is read: a second apply that
    // waited plans from what the first one made, instead of creating it all a second time
    const lock = await lockOrganization(session, 'apply', {
      timeoutMs: lockTimeout,
      onWait: (h) => io.stderr.write(`apply: waiting up to ${Math.round(lockTimeout / 1000)} s for ${describeHolder(h)} to finish…\n`),
      onTakeover: (h) => io.stderr.write(`apply: taking over the lock of ${describeHolder(h)}: that process is no longer running\n`),
    });
    try {
      return await applyLocked(io, session, values, concurrency);
    } finally {
      await lock.release();
    }
  },
};

async function applyLocked(io: CliIo, session: Session, values: { plan?: string; yes?: boolean; 'allow-delete'?: boolean; adopt?: boolean }, concurrency: number): Promise<number> {
  const { profile } = session;
  // read after the lock: a run that ended while this one waited is not "interrupted"
  const interrupted = interruptedRuns(session.file, profile.organizationId);
  for (const run of interrupted) io.stderr.write(`apply: ${interruptedNotice(run)}\n`);
  const previous = interrupted.find((r) => r.operation === 'apply');

  let current: Awaited<ReturnType<typeof planOf>>;
  try {
    current = await planOf(session, values.adopt);
  } catch (err) {
    io.stderr.write(`landing-zone apply: cannot read the account: ${(err as Error).message}\n`);
    return ExitCode.findings;
  }
  if (reportCatalog(io, session, current.catalog, 'apply')) return ExitCode.findings;
  let plan = current.plan;

  if (values.plan) {
    let saved: Plan;
    try {
      saved = JSON.parse(await readFile(resolve(io.cwd, values.plan), 'utf8')) as Plan;
    } catch (err) {
      throw new UsageError(`cannot read the plan ${values.plan}: ${(err as Error).message}`);
    }
    if (saved.version !== 1 || !Array.isArray(saved.operations)) throw new UsageError(`${values.plan} is not a landing-zone plan`);
    if (saved.organizationId !== profile.organizationId) throw new UsageError(`the plan is for organisation ${saved.organizationId}, but ${describeProfile(profile)} belongs to ${profile.organizationId}; refusing`);
    if (planHash(saved.organizationId, saved.operations) !== saved.planHash) throw new UsageError(`${values.plan} was modified after it was made (its hash does not match its operations); refusing`);
    if (saved.inventoryHash !== plan.inventoryHash) {
      const resuming = previous?.planHash === saved.planHash;
      const savedKeys = new Set(saved.operations.map((o) => `${o.action} ${o.id}`));
      if (!resuming || !plan.operations.every((o) => savedKeys.has(`${o.action} ${o.id}`))) {
        throw new UsageError(`the account changed since ${values.plan} was made (inventory ${saved.inventoryHash.slice(0, 12)} → ${plan.inventoryHash.slice(0, 12)}); run landing-zone plan again and review it`);
      }
      io.stderr.write(`apply: resuming the interrupted run of ${values.plan}: ${plan.operations.length} of its ${saved.operations.length} operations remain\n`);
    } else if (saved.planHash !== plan.planHash) {
      throw new UsageError(`the file changed since ${values.plan} was made (plan ${saved.planHash.slice(0, 12)} → ${plan.planHash.slice(0, 12)}); run landing-zone plan again and review it`);
    }
  }

  io.stdout.write(planText(plan));
  if (plan.operations.length === 0) return ExitCode.ok;

  const deletes = plan.operations.filter((o) => o.action === 'delete');
  if (deletes.length > 0) {
    const projects = [...new Set(deletes.map((o) => o.project))].sort();
    if (!values['allow-delete']) {
      io.stderr.write(`apply: the plan deletes ${deletes.length} resource(s) in ${projects.join(', ')}; refusing without --allow-delete\n`);
      return ExitCode.usage;
    }
    if (!values.yes) {
      if (!io.isTTY && !(io.stdin as { isTTY?: boolean }).isTTY && io.env.LZ_CONFIRM_FROM_STDIN !== '1') {
        io.stderr.write('apply: deletes need a typed confirmation; not on a terminal, so pass --yes --allow-delete to confirm in CI\n');
        return ExitCode.usage;
      }
      const typed = await ask(io, `Type the names of the projects where resources will be deleted (${projects.join(' ')}): `);
      const given = typed.split(/[\s,]+/).filter(Boolean).sort();
      if (given.join(' ') !== projects.join(' ')) {
        io.stderr.write('apply: confirmation did not match; nothing done\n');
        return ExitCode.usage;
      }
    }
  } else if (!values.yes) {
    if (!io.isTTY && !(io.stdin as { isTTY?: boolean }).isTTY && io.env.LZ_CONFIRM_FROM_STDIN !== '1') {
      io.stderr.write('apply: not on a terminal; pass --yes to apply without a confirmation\n');
      return ExitCode.usage;
    }
    const answer = await ask(io, `Apply ${plan.operations.length} operation(s) to organisation ${profile.organizationId}? Type yes: `);
    if (answer !== 'yes') {
      io.stderr.write('apply: not confirmed; nothing done\n');
      return ExitCode.usage;
    }
  }

  const abort = new AbortController();
  // progress in batches (src/cli/progress.ts): flushed before every other line this command writes
  const progress = batchedWriter(io.stderr);
  const bar = io.isTTY ? liveBar(progress) : undefined;
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    progress.flush();
    if (interrupts === 1) {
      io.stderr.write('\napply: stopping: running operations finish, nothing new starts (Ctrl-C again to quit now; the journal stays consistent)\n');
      abort.abort(new Error('interrupted'));
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  const t0 = Date.now();
  let done = 0;
  try {
    const result = await applyPlan(session, { ...current, plan }, {
      concurrency, signal: abort.signal,
      onEvent: (e) => {
        if (bar) {
          // a live bar on a terminal: one status line, redrawn; failures and retries stay
          if (e.type === 'done') done += 1;
          if (e.type === 'failed' || e.type === 'retry' || e.type === 'skipped') bar.line(progressLine(e) ?? '');
          const width = 30;
          const filled = Math.round((done / plan.operations.length) * width);
          const current = e.type === 'start' || e.type === 'done' ? `${e.op.action} ${e.op.id}` : '';
          bar.bar(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${plan.operations.length} ${current}`.slice(0, 160));
          return;
        }
        const line = progressLine(e);
        if (line) progress.write(line + '\n');
      },
    });
    bar?.clear();
    progress.flush();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    io.stderr.write(`apply: ${result.status}: ${result.done.length} done, ${result.failed.length} failed, ${result.notRun.length} not run (${secs} s)\n`);
    for (const f of result.failed) io.stderr.write(`  ${f.action} ${f.id}: ${f.error}\n`);
    if (result.status === 'interrupted') return ExitCode.interrupted;
    return result.status === 'completed' ? ExitCode.ok : ExitCode.findings;
  } finally {
    progress.flush();
    process.off('SIGINT', onSigint);
  }
}
