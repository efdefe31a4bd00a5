import { LOCK_OPTIONS, LOCK_USAGE, lockTimeoutMs, parseOptions, SESSION_OPTIONS } from '../options';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { destroySecretVersion, rotateSecret } from '../../scaleway/operations/rotate-secret';
import { readAll, withOperationSession } from './operation-support';

const usage = `Usage: landing-zone rotate-secret PROJECT/NAME [--file FILE] [--value-from generate|stdin] [--finish]
       landing-zone rotate-secret PROJECT/NAME --destroy-version N --confirm PROJECT/NAME@N

Rotates a Secret Manager secret declared in landing-zone.yaml:
  1. creates a new version: a random value of the declared rotation.length and rotation.alphabet
     (--value-from generate, the default) or the bytes piped on stdin (--value-from stdin);
     a value is never taken from the command line;
  2. re-pins projects.<project>.secrets.<name>.version in the file (comments and layout kept);
  3. keeps the previous version enabled for rotation.gracePeriod (default 7d), so consumers move
     over; run the command again (or with --finish) after the grace period to disable it.
An interrupted rotation is resumed by running the same command again: it never creates a
second new version. The state is in .landing-zone/journal.jsonl next to the file (no values).

Options:
  --file FILE            landing-zone.yaml (default ./landing-zone.yaml)
  --value-from SOURCE    generate (default) or stdin
  --finish               only finish an open rotation (disable the previous version)
  --destroy-version N    destroy version N (it must be disabled and not pinned)
  --confirm REF@N        required with --destroy-version: type PROJECT/NAME@N to confirm
  --profile NAME         Scaleway profile (default: SCW_PROFILE, the active profile)
  ${LOCK_USAGE}
`;

export const rotateSecretCommand: CliCommand = {
  name: 'rotate-secret',
  summary: 'rotate a Secret Manager secret: new version, re-pin, grace period, disable the old one',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...SESSION_OPTIONS,
      ...LOCK_OPTIONS,
      'value-from': { type: 'string', default: 'generate' },
      finish: { type: 'boolean', default: false },
      'destroy-version': { type: 'string' },
      confirm: { type: 'string' },
      value: { type: 'string' },
    });
    if (values.value !== undefined) {
      throw new UsageError('a secret value is never taken from the command line (it would stay in shell history and ps); pipe it with --value-from stdin');
    }
    const ref = positionals[0];
    if (!ref || positionals.length > 1) throw new UsageError(`expected one PROJECT/NAME argument\n${usage}`);
    const source = values['value-from'];
    if (source !== 'generate' && source !== 'stdin') throw new UsageError(`--value-from must be generate or stdin, not "${source}"`);
    if (source === 'stdin' && (io.stdin as { isTTY?: boolean }).isTTY) {
      // typed on a terminal, the value would be echoed on screen and kept in its scrollback
      throw new UsageError(`--value-from stdin reads a pipe, not a terminal: e.g. \`your-vault read … | landing-zone rotate-secret ${ref} --value-from stdin\``);
    }
    const destroy = values['destroy-version'];
    if (destroy !== undefined) {
      const revision = Number(destroy);
      if (!Number.isInteger(revision) || revision < 1) throw new UsageError(`--destroy-version expects a version number, not "${destroy}"`);
      if (values.confirm !== `${ref}@${revision}`) {
        throw new UsageError(`destroying a version cannot be undone; confirm with --confirm ${ref}@${revision}`);
      }
      return withOperationSession(io, 'rotate-secret', { file: values.file!, profile: values.profile, readOnly: false, target: ref, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
        io.stdout.write(`${await destroySecretVersion(s.ctx, { model: s.model, ref, revision })}\n`);
        return ExitCode.ok;
      });
    }
    return withOperationSession(io, 'rotate-secret', { file: values.file!, profile: values.profile, readOnly: false, target: ref, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
      const outcome = await rotateSecret(s.ctx, {
        model: s.model, ref, file: s.file, journals: s.journals, finishOnly: values.finish,
        value: source === 'stdin' ? { kind: 'stdin', read: () => readAll(io.stdin) } : { kind: 'generate' },
      });
      for (const line of outcome.lines) io.stdout.write(`${line}\n`);
      return ExitCode.ok;
    });
  },
};
