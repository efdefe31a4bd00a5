/*
 * One error model for every bundle (dist/cli.js, dist/extension.js, dist/engine.js): each bundle
 * carries its own copy of these classes, so `instanceof` fails across them. Errors are recognised
 * by their `name` (and `code`), never by their class.
 */

/** The user cancelled (Ctrl-C, a dismissed prompt, the progress notification's Cancel): silent, resumable. */
export class CancelledError extends Error {
  readonly code = 'LZ_CANCELLED';
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A problem the user can fix (a name not found, a refused destroy): one line, no stack. */
export class OperationError extends Error {
  readonly code = 'LZ_OPERATION';
  constructor(message: string) {
    super(message);
    this.name = 'OperationError';
  }
}

const nameOf = (err: unknown): string | undefined => (err && typeof err === 'object' ? (err as { name?: unknown }).name : undefined) as string | undefined;
const codeOf = (err: unknown): string | undefined => {
  const c = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof c === 'string' ? c : undefined;
};

/** True for a cancellation from any bundle: ours, an AbortSignal's AbortError, VS Code's CancellationError ("Canceled"). */
export function isCancelled(err: unknown): boolean {
  const name = nameOf(err);
  return name === 'CancelledError' || name === 'AbortError' || name === 'Canceled' || codeOf(err) === 'LZ_CANCELLED' || codeOf(err) === 'ABORT_ERR';
}

/** True when `err` is the named error (or carries the code), from whichever bundle threw it. */
export function isError(err: unknown, name: string, code?: string): boolean {
  return nameOf(err) === name || (code !== undefined && codeOf(err) === code);
}

/**
 * The HTTP status of a failed API call. The Scaleway SDK's ScalewayError sets `status` (and only
 * that); the Kubernetes client's ApiException sets `code` as a number. Undefined for anything else.
 */
export function httpStatus(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; code?: unknown };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) return e.code;
  return undefined;
}
