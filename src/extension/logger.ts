import type * as vscode from 'vscode';
import { redact as redactText } from '../core/redact';

/*
 * The one piece of module-level state (house rule): a logger that any module may call, filled with
 * the LogOutputChannel at activation. Every line goes through `redact` first, so a secret key that
 * slips into an error message from the SDK or an HTTP library never reaches the channel.
 */

export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  /** Values (a signed-in secret key, a sandbox's secret key) to mask wherever they appear. */
  addSecret(value: string | undefined): void;
  show(): void;
}

/** Masks known secrets, URL user information and anything that looks like a credential assignment (core's one redaction). */
export const redact = redactText;

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** A logger over a LogOutputChannel (or nothing, before activation and in unit tests). */
export function createLogger(channel: vscode.LogOutputChannel | undefined): Logger {
  const secrets = new Set<string>();
  const clean = (m: string) => redact(m, secrets);
  return {
    trace: (m) => channel?.trace(clean(m)),
    info: (m) => channel?.info(clean(m)),
    warn: (m) => channel?.warn(clean(m)),
    error: (m, err) => channel?.error(clean(err === undefined ? m : `${m}: ${describeError(err)}`)),
    addSecret: (v) => { if (v) secrets.add(v); },
    show: () => channel?.show(true),
  };
}

let current: Logger = createLogger(undefined);

/** The extension's logger. */
export function log(): Logger {
  return current;
}

/** Called once by activate(). */
export function setLogger(logger: Logger): void {
  current = logger;
}
