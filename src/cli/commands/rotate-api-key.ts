import { LOCK_OPTIONS, LOCK_USAGE, lockTimeoutMs, parseOptions, SESSION_OPTIONS } from '../options';
import { ExitCode, UsageError, type CliCommand } from '../command';
import { apiKeyFindings, liveApiKeys, rotateApiKey } from '../../scaleway/operations/rotate-api-key';
import { withOperationSession } from './operation-support';

const usage = `Usage: landing-zone rotate-api-key APPLICATION [--file FILE] [--finish] [--check]

Rotates the API key of an IAM application declared in landing-zone.yaml: creates a new key that
expires after apiKey.expiresInDays, stores its secret key as a new version of the vault secret
apiKey.storedIn (never printed), re-pins that version in the file, and after the vault secret's
grace period (rotation.gracePeriod, default 7d) deletes the old keys — run the command again or
with --finish then. Interrupted, the same command resumes. Then it reports keys past or near
expiry and applications that serve more than one purpose (exit 1 when there are any).

Options:
  --file FILE     landing-zone.yaml (default ./landing-zone.yaml)
  --finish        only finish an open rotation (delete the old keys)
  --check         report only; rotate nothing
  --profile NAME  Scaleway profile
  ${LOCK_USAGE}
`;

export const rotateApiKeyCommand: CliCommand = {
  name: 'rotate-api-key',
  summary: 'rotate an IAM application\'s API key into the vault; report expired keys and multi-purpose applications',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...SESSION_OPTIONS,
      ...LOCK_OPTIONS,
      finish: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
    });
    const application = positionals[0];
    if (!application || positionals.length > 1) throw new UsageError(`expected one APPLICATION argument\n${usage}`);
    return withOperationSession(io, 'rotate-api-key', { file: values.file!, profile: values.profile, readOnly: values.check!, target: application, lockTimeoutMs: lockTimeoutMs(values['lock-timeout']) }, async (s) => {
      if (!values.check) {
        const outcome = await rotateApiKey(s.ctx, { model: s.model, application, file: s.file, journals: s.journals, finishOnly: values.finish });
        for (const line of outcome.lines) io.stdout.write(`${line}\n`);
      }
      const findings = apiKeyFindings(s.model, await liveApiKeys(s.ctx.read, s.model), s.ctx.now());
      for (const f of findings) io.stdout.write(`${f.severity} ${f.ruleId} ${f.message}\n`);
      if (values.check && findings.length === 0) io.stdout.write('no expired keys, no multi-purpose applications\n');
      return values.check && findings.length > 0 ? ExitCode.findings : ExitCode.ok;
    });
  },
};
