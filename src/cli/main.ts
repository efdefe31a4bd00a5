import { ExitCode, type CliCommand, type CliIo, type UsageError } from './command';
import { CLI_PACKAGE, CLI_VERSION } from '../core/distribution';
import { isCancelled, isError } from '../core/errors';
import { redact } from '../core/redact';

/**
 * The commands, each loaded only when it runs: `--help` and `validate` never load the SDK, the
 * sandbox or the diagram engine. The summary is here so that the overview needs no module; a test
 * holds it equal to the command's own.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', summary: 'check landing-zone.yaml (syntax, schema, references, policy rules)', load: async () => (await import('./commands/validate')).validateCommand },
  { name: 'diagram', summary: 'draw the hub-and-spoke diagram to SVG or PNG (drift overlay, failure simulation)', load: async () => (await import('./commands/diagram')).diagramCommand },
  { name: 'sandbox', summary: 'run a local Scaleway-compatible API (for trying the tool without an account)', load: async () => (await import('./commands/sandbox')).sandboxCommand },
  { name: 'drift', summary: 'Compare the file with the Scaleway organisation (read-only)', load: async () => (await import('./commands/drift')).driftCommand },
  { name: 'plan', summary: 'List the operations that turn the organisation into the file', load: async () => (await import('./commands/plan')).planCommand },
  { name: 'apply', summary: 'Carry out the plan against the organisation (confirmation, journal, resume)', load: async () => (await import('./commands/apply')).applyCommand },
  { name: 'import', summary: 'Write a landing-zone.yaml from an existing organisation (read-only)', load: async () => (await import('./commands/import')).importCommand },
  { name: 'rotate-secret', summary: 'rotate a Secret Manager secret: new version, re-pin, grace period, disable the old one', load: async () => (await import('./commands/rotate-secret')).rotateSecretCommand },
  { name: 'rotate-key', summary: 'rotate a Key Manager key and report rotation policies and overdue keys', load: async () => (await import('./commands/rotate-key')).rotateKeyCommand },
  { name: 'rotate-api-key', summary: 'rotate an IAM application\'s API key into the vault; report expired keys and multi-purpose applications', load: async () => (await import('./commands/rotate-api-key')).rotateApiKeyCommand },
  { name: 'dr', summary: 'disaster-recovery readiness (dr check) and CI jobs of restores (dr pipeline, GitLab or GitHub)', load: async () => (await import('./commands/dr')).drCommand },
  { name: 'cost', summary: 'monthly price and kg CO₂e of the file, per resource and project, from Scaleway\'s product catalog', load: async () => (await import('./commands/cost')).costCommand },
  { name: 'diff', summary: 'three-way review of a change: the file at a git revision, the file now, and the account', load: async () => (await import('./commands/diff')).diffCommand },
  { name: 'restore', summary: 'run the zone or region disaster-recovery runbook of a project (resumable, --dry-run)', load: async () => (await import('./commands/restore')).restoreCommand },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  return [
    'landing-zone — validate, draw, compare, plan and apply a Scaleway landing zone',
    '',
    'Usage: landing-zone <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `landing-zone <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help() + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (name === '--version' || name === '-v') {
    // the snapshot is a few hundred kilobytes of JSON: loaded for --version only, not for --help
    const snapshot = (await import('../core/catalog')).bundledSnapshot();
    const recorded = Object.values(snapshot.answers).map((a) => a.recordedAt).filter((d): d is string => Boolean(d)).sort();
    io.stdout.write(`${CLI_PACKAGE} ${CLI_VERSION}\ncatalog snapshot ${snapshot.takenAt} (answers recorded ${recorded[0]} to ${recorded.at(-1)}; plan reads the live catalogs)\n`);
    return ExitCode.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`landing-zone: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.trimEnd() + '\n');
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    return failure(name, err, io, command.usage);
  }
}

/**
 * How an error that reached the top reads, and its exit code. Errors are told apart by name (the
 * engine's bundle has its own classes), and every message goes through the one redaction.
 */
export function failure(name: string, err: unknown, io: Pick<CliIo, 'stderr' | 'env'>, usage: string): number {
  const say = (text: string) => io.stderr.write(`landing-zone ${name}: ${redact(text)}\n`);
  const message = err instanceof Error ? err.message : String(err);
  if (isError(err, 'UsageError')) {
    say(message);
    return (err as UsageError).exitCode;
  }
  if (isError(err, 'SessionError')) {
    say(message);
    return ExitCode.usage;
  }
  // credentials the API refused while a command ran: the operation failed, with what to fix
  if (isError(err, 'CredentialsError')) {
    say(message);
    return ExitCode.findings;
  }
  if (isError(err, 'LockBusyError', 'LZ_LOCKED')) {
    say(message);
    return ExitCode.locked;
  }
  if (isCancelled(err)) {
    say('cancelled; the journal keeps what was done — run the same command again to resume');
    return ExitCode.interrupted;
  }
  if (isError(err, 'OperationError', 'LZ_OPERATION')) {
    say(message);
    return ExitCode.findings;
  }
  // parseArgs reports unknown or malformed options with this code
  if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    say(`${message}\n${usage.trimEnd()}`);
    return ExitCode.usage;
  }
  say(`internal error: ${message}`);
  if (io.env.LZ_DEBUG) io.stderr.write(`${redact(err instanceof Error ? err.stack ?? '' : '')}\n`);
  return ExitCode.internal;
}

// commands import the parser from ./options (no loop through this module); kept here for older callers
export { parseOptions } from './options';

/** Entry point for bin/landing-zone.js and `node dist/cli.js`. */
export function runFromProcess(): void {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stderr.write(`landing-zone: internal error: ${redact(String(err))}\n`); process.exitCode = ExitCode.internal; },
  );
}

// `node dist/cli.js` (CommonJS); the package's ES module build is started by its bin
if (typeof module !== 'undefined' && require.main === module) runFromProcess();
