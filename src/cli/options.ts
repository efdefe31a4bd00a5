import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/*
 * The options that several commands share, and the one parser every command uses: a command's
 * module imports this, never main.ts (which imports the commands), so the CLI has no import loop.
 */

/** Shared parser so every command rejects unknown options the same way. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

/** Options every engine command shares: FILE, --file, --profile. */
export const ENGINE_OPTIONS = {
  file: { type: 'string' },
  profile: { type: 'string' },
} as const;

/** The options every rotation takes: the file and the Scaleway profile. */
export const SESSION_OPTIONS = {
  file: { type: 'string', default: 'landing-zone.yaml' },
  profile: { type: 'string' },
} as const;

/** Commands that write (apply, rotations, restores) take the organisation's lock; this is how long they wait for it. */
export const LOCK_OPTIONS = {
  'lock-timeout': { type: 'string' },
} as const;

export const LOCK_USAGE = `--lock-timeout DURATION   wait this long (30, 30s, 5m) for another apply, rotation or restore
                          of the organisation to finish (default 0: refuse at once, naming it; exit 75)`;

/** `--lock-timeout 90`, `90s`, `5m`, `1h` → milliseconds; absent → 0 (refuse at once). */
export function lockTimeoutMs(value: string | undefined): number {
  if (value === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--lock-timeout must be a duration such as 30, 30s, 5m or 1h, not "${value}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (ms > 24 * 3_600_000) throw new UsageError('--lock-timeout is at most 24h');
  return Math.round(ms);
}

/** The FILE positional or --file, never both. */
export function fileArg(values: { file?: string }, positionals: string[], usage: string): string | undefined {
  if (positionals.length > 1 || (positionals.length === 1 && values.file)) throw new UsageError(`one file at most\n${usage}`);
  return values.file ?? positionals[0];
}
