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

/**
 * Exit codes shared by every command (DESIGN.md, CLI conventions; the README's table). A CI job
 * tells "the account differs" (3) from "the tool broke" (70) from "someone else is applying" (75).
 */
export const ExitCode = {
  ok: 0,
  /** Validation findings, or an operation that failed (partly) or was refused. */
  findings: 1,
  /** Usage error or unreadable input (a file, the credentials). */
  usage: 2,
  /** Drift or not checked (`drift`), readiness findings (`dr check`). */
  drift: 3,
  /** A bug of ours (EX_SOFTWARE): the message says so; LZ_DEBUG=1 adds the stack. */
  internal: 70,
  /** Another apply, rotation or restore holds the organisation's lock (EX_TEMPFAIL): try again later. */
  locked: 75,
  /** Stopped by Ctrl-C; the journal lets the same command resume. */
  interrupted: 130,
} as const;

/** A user's mistake: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.usage) {
    super(message);
    this.name = 'UsageError';
  }
}
