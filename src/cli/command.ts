/** A CLI command: parses its own options from argv and returns the process exit code. */
export interface CliCommand {
  readonly name: string;
  /** One line for `landing-zone --help`. */
  readonly summary: string;
  /** Full usage text for `landing-zone <name> --help`. */
  readonly usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Where a command writes: reports to stdout, progress and errors to stderr. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** Exit codes shared by every command (DESIGN.md, CLI conventions). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  drift: 3,
} as const;

/** A user's mistake: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.usage) {
    super(message);
    this.name = 'UsageError';
  }
}
