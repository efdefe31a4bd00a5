import { ExitCode, type CliIo } from '../command';
import { dirname } from 'node:path';
import { isCancelled, isError } from '../../core/errors';
import { interruptedNotice } from '../../core/journal';
import { redact } from '../../core/redact';
import { interruptedRuns } from '../../scaleway/journal';
import { acquireOrganizationLock, describeHolder } from '../../scaleway/operations/lock';
import { describeFailure, openOperationSession, type OperationSession } from '../../scaleway/operations/operation-session';

/*
 * What the rotation and DR commands share: a session with cancellation on Ctrl-C, progress lines
 * on stderr, and one place that turns failures into one line and an exit code.
 */

export { SESSION_OPTIONS } from '../options';

export interface RunOptions {
  file: string;
  profile?: string;
  readOnly: boolean;
  quiet?: boolean;
  /** What the organisation's lock says this run is doing (`rotate-secret security/x`). */
  target?: string;
  /** A run that writes waits this long for the organisation's lock (0: refuse at once). */
  lockTimeoutMs?: number;
}

/** Runs `body` with a session; SIGINT aborts it (the journal keeps what was done). */
export async function withOperationSession(io: CliIo, name: string, options: RunOptions, body: (s: OperationSession) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr.write(`\nlanding-zone ${name}: cancelling after the current request…\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  // on a terminal a step that is under way ("…") stays on one line that its outcome replaces;
  // in CI every line is kept, so the log tells the whole story
  let live = false;
  const progress = (line: string) => {
    if (options.quiet) return;
    if (!io.isTTY) {
      io.stderr.write(`${line}\n`);
      return;
    }
    const underway = line.endsWith('…');
    io.stderr.write(`${live ? '\r\x1b[2K' : ''}${line}${underway ? '' : '\n'}`);
    live = underway;
  };
  try {
    const session = await openOperationSession({
      file: options.file, cwd: io.cwd, env: io.env, profile: options.profile, readOnly: options.readOnly,
      signal: controller.signal,
      progress,
      clientOptions: retryFromEnv(io.env),
    });
    // one write operation at a time per organisation: taken before anything is read for the change
    const lock = options.readOnly ? undefined : await acquireOrganizationLock({
      dir: dirname(session.path), organizationId: session.profile.organizationId, command: [name, options.target].filter(Boolean).join(' '),
      timeoutMs: options.lockTimeoutMs ?? 0, signal: controller.signal,
      onWait: (h) => progress(`waiting up to ${Math.round((options.lockTimeoutMs ?? 0) / 1000)} s for ${describeHolder(h)} to finish…`),
      onTakeover: (h) => io.stderr.write(`landing-zone ${name}: taking over the lock of ${describeHolder(h)}: that process is no longer running\n`),
    });
    // read after the lock: a run that ended while this one waited is not "interrupted"
    for (const run of interruptedRuns(session.path, session.profile.organizationId)) io.stderr.write(`landing-zone ${name}: ${interruptedNotice(run)}\n`);
    try {
      return await body(session);
    } finally {
      await lock?.release();
    }
  } catch (err) {
    if (live) {
      io.stderr.write('\n');
      live = false;
    }
    if (isCancelled(err) || controller.signal.aborted) {
      io.stderr.write(`landing-zone ${name}: cancelled; the journal keeps what was done — run the same command again to resume\n`);
      return ExitCode.findings;
    }
    if (isError(err, 'LockBusyError', 'LZ_LOCKED')) {
      io.stderr.write(`landing-zone ${name}: ${redact((err as Error).message)}\n`);
      return ExitCode.locked;
    }
    const f = describeFailure(err);
    io.stderr.write(`landing-zone ${name}: ${f.message}\n`);
    if (io.env.LZ_DEBUG && err instanceof Error && !f.usage) io.stderr.write(`${redact(err.stack ?? '')}\n`);
    return f.usage ? ExitCode.usage : ExitCode.findings;
  } finally {
    if (live) io.stderr.write('\n');
    process.removeListener('SIGINT', onSigint);
  }
}

/** `LZ_RETRY_ATTEMPTS` lowers the retry count (tests against a faulty sandbox; CI that prefers to fail fast). */
function retryFromEnv(env: NodeJS.ProcessEnv): { retry?: { attempts: number; baseDelayMs: number } } {
  const n = Number(env.LZ_RETRY_ATTEMPTS);
  return Number.isInteger(n) && n > 0 ? { retry: { attempts: n, baseDelayMs: 20 } } : {};
}

/** All of stdin as bytes (for `--value-from stdin`). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  const all = Buffer.concat(chunks);
  // a trailing newline comes from `echo` or a heredoc, not from the value
  let end = all.length;
  while (end > 0 && (all[end - 1] === 0x0a || all[end - 1] === 0x0d)) end -= 1;
  const value = Buffer.from(all.subarray(0, end));
  all.fill(0);
  return value;
}

/** One line typed on stdin (a confirmation), without its newline. */
export function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (c: Buffer | string) => {
      text += String(c);
      const nl = text.indexOf('\n');
      if (nl >= 0) done(text.slice(0, nl));
    };
    const done = (line: string) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.pause();
      resolve(line.trim());
    };
    const onEnd = () => done(text);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.resume();
  });
}
