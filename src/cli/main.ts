import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExitCode, UsageError, type CliCommand, type CliIo } from './command';
import { CredentialsError } from '../scaleway/profiles';
import { applyCommand } from './commands/apply';
import { driftCommand } from './commands/drift';
import { importCommand } from './commands/import';
import { planCommand } from './commands/plan';
import { diagramCommand } from './commands/diagram';
import { drCommand } from './commands/dr';
import { restoreCommand } from './commands/restore';
import { rotateApiKeyCommand } from './commands/rotate-api-key';
import { rotateKeyCommand } from './commands/rotate-key';
import { rotateSecretCommand } from './commands/rotate-secret';
import { sandboxCommand } from './commands/sandbox';
import { validateCommand } from './commands/validate';

// Each command lives in its own module under ./commands; add new ones here.
const commands: CliCommand[] = [
  validateCommand,
  diagramCommand,
  sandboxCommand,
  driftCommand,
  planCommand,
  applyCommand,
  importCommand,
  rotateSecretCommand,
  rotateKeyCommand,
  rotateApiKeyCommand,
  drCommand,
  restoreCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  return [
    'landing-zone — validate, draw, compare, plan and apply a Scaleway landing zone',
    '',
    'Usage: landing-zone <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`landing-zone: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.trimEnd() + '\n');
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`landing-zone ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof CredentialsError) {
      io.stderr.write(`landing-zone ${name}: ${err.message}\n`);
      return ExitCode.findings;
    }
    // parseArgs reports unknown or malformed options with this code
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`landing-zone ${name}: ${err.message}\n${command.usage.trimEnd()}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`landing-zone ${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env.LZ_DEBUG) io.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return ExitCode.findings;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0';

/** Shared parser so every command rejects unknown options the same way. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

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
    (err: unknown) => { process.stderr.write(`landing-zone: internal error: ${String(err)}\n`); process.exitCode = 1; },
  );
}

if (require.main === module) runFromProcess();
