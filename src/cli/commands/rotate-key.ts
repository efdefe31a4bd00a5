import { LOCK_OPTIONS, LOCK_USAGE, lockTimeoutMs, parseOptions, SESSION_OPTIONS } from '../options';
import { formatSeconds } from '../../core/secrets/keys';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { rotateKey } from '../../scaleway/operations/rotate-key';
import { withOperationSession } from './operation-support';

const usage = `Usage: landing-zone rotate-key PROJECT/NAME [--file FILE] [--check] [--format text|json]

Rotates a Key Manager key declared in landing-zone.yaml (a new key version; data encrypted with
earlier versions stays readable), then reports the rotation policy of every declared key: the
period in Key Manager against the file's rotationPeriod, the next scheduled rotation, and the
keys overdue for rotation. --check only reports. Exit 1 when a key is overdue or misconfigured.

Options:
  --file FILE      landing-zone.yaml (default ./landing-zone.yaml)
  --check          report only; rotate nothing
  --format FORMAT  text (default) or json
  --profile NAME   Scaleway profile
  ${LOCK_USAGE}
`;

export const rotateKeyCommand: CliCommand = {
  name: 'rotate-key',
  summary: 'rotate a Key Manager key and report rotation policies and overdue keys',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...SESSION_OPTIONS,
      ...LOCK_OPTIONS,
      check: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
    });
    const ref = positionals[0];
    if (!ref || positionals.length > 1) throw new UsageError(`expected one PROJECT/NAME argument\n${usage}`);
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not "${values.format}"`);
    return withOperationSession(io, 'rotate-key', { file: values.file!, profile: values.profile, readOnly: values.check!, target: ref, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
      const result = await rotateKey(s.ctx, s.model, ref, !values.check, s.journals);
      const bad = result.report.filter((r) => r.problems.length > 0);
      if (values.format === 'json') {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        if (result.rotated) io.stdout.write(`${result.rotated.ref}: rotated now (rotation ${result.rotated.rotationCount})\n`);
        for (const r of result.report) {
          const period = r.livePeriodSeconds !== undefined ? formatSeconds(r.livePeriodSeconds) : 'none';
          const next = r.nextRotationAt ? r.nextRotationAt.toISOString() : '—';
          io.stdout.write(`${r.ref}: period ${period} (file ${r.declaredPeriod}), next rotation ${next}${r.overdue ? ', OVERDUE' : ''}\n`);
          for (const p of r.problems) io.stdout.write(`  ${p}\n`);
        }
        io.stdout.write(bad.length === 0 ? 'every key follows its rotation policy\n' : `${bad.length} key(s) need attention\n`);
      }
      return bad.length === 0 ? ExitCode.ok : ExitCode.findings;
    });
  },
};
