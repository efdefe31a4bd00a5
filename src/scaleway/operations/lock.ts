import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from './context';

/*
 * One write operation at a time per organisation: apply, rotations and restores hold a lock file
 * in the journal's folder (`.landing-zone/locks/<organisation>.lock`, next to landing-zone.yaml)
 * for as long as they may write. Two applies of one file at once would both plan "create" for the
 * same resources and make each of them twice; with the lock the second one waits (or refuses,
 * naming the holder) and plans again once the first is done, from what the first created.
 *
 * The file is created whole or not at all (written to a private name, then hard-linked to the
 * lock's name, which fails if it exists), so a reader never sees half a holder. A holder whose
 * process is gone (same host, pid no longer running) is stale: the next operation takes it over
 * and says so. A holder on another host cannot be checked from here and is always honoured.
 */

/** Who holds an organisation's lock: shown to whoever waits for it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO). */
  startedAt: string;
  /** What it is doing: `apply`, `rotate-secret security/x`, `restore region prod` … */
  command: string;
  organizationId: string;
  /** Which surface: `cli` or `vscode`. */
  surface: string;
  /** Distinguishes two holders of one pid (a released and re-taken lock). */
  token: string;
}

/** The lock is held by a running operation and the wait (`--lock-timeout`) ran out. */
export class LockBusyError extends Error {
  readonly code = 'LZ_LOCKED';
  constructor(readonly holder: LockHolder, readonly lockPath: string, waitedMs: number) {
    super(`another operation holds organisation ${holder.organizationId}: ${describeHolder(holder)}${waitedMs >= 500 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ''}; wait for it to finish or pass --lock-timeout SECONDS to wait. If you are sure it is not running, delete ${lockPath}`);
    this.name = 'LockBusyError';
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.command} (${h.surface}, pid ${h.pid} on ${h.host}, since ${h.startedAt})`;
}

export interface LockOptions {
  /** The folder of landing-zone.yaml: the lock lives in its `.landing-zone/locks/`. */
  dir: string;
  organizationId: string;
  command: string;
  surface?: 'cli' | 'vscode';
  /** How long to wait for a running holder (0: refuse at once). */
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Said once when the lock is busy and the operation starts waiting. */
  onWait?(holder: LockHolder): void;
  /** Said when a dead holder's lock is taken over. */
  onTakeover?(holder: LockHolder): void;
}

export interface OrganizationLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export const lockPath = (dir: string, organizationId: string): string => join(dir, '.landing-zone', 'locks', `${organizationId.replace(/[^\w.-]/g, '_')}.lock`);

/** The current holder of an organisation's lock, if any (a stale one included: `alive` says which). */
export async function readLock(dir: string, organizationId: string): Promise<{ holder: LockHolder; alive: boolean } | undefined> {
  const holder = await readHolder(lockPath(dir, organizationId));
  return holder ? { holder, alive: isAlive(holder) } : undefined;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return h;
  } catch {
    // not ours or damaged: treated as a holder nobody can identify, on no host
  }
  return { pid: 0, host: '?', startedAt: '?', command: 'unknown (unreadable lock file)', organizationId: '?', surface: '?', token: '' };
}

/** A holder is alive unless it is on this host and its pid is not running. */
function isAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid <= 0) return false;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid runs under another user, so it is running
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(new CancelledError());
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(new CancelledError()); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Creates `path` holding `text`, atomically, or returns false when it exists. */
async function createWhole(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Removes a dead holder's lock. Two processes may find the same dead holder: a second, short-lived
 * file serialises the takeover, and the lock is removed only if it still names that holder.
 */
async function takeOver(path: string, dead: LockHolder): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createWhole(guard, String(process.pid)))) {
    // a takeover guard left by a process killed mid-takeover is old: remove it, the next round retries
    const info = await stat(guard).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 10_000) await rm(guard, { force: true });
    return;
  }
  try {
    const now = await readHolder(path);
    if (now && now.token === dead.token && now.pid === dead.pid) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Takes the organisation's lock, waiting up to `timeoutMs` for a running holder, taking over a
 * dead one. Throws LockBusyError (naming the holder) when the wait runs out.
 */
export async function acquireOrganizationLock(o: LockOptions): Promise<OrganizationLock> {
  const path = lockPath(o.dir, o.organizationId);
  await mkdir(join(o.dir, '.landing-zone', 'locks'), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: o.command,
    organizationId: o.organizationId, surface: o.surface ?? 'cli', token: randomUUID(),
  };
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const start = Date.now();
  const timeout = Math.max(0, o.timeoutMs ?? 0);
  let told = false;
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError();
    if (await createWhole(path, text)) break;
    const other = await readHolder(path);
    if (!other) continue; // released between our attempt and the read
    if (!isAlive(other)) {
      o.onTakeover?.(other);
      await takeOver(path, other);
      continue;
    }
    const waited = Date.now() - start;
    if (waited >= timeout) throw new LockBusyError(other, path, waited);
    if (!told) {
      o.onWait?.(other);
      told = true;
    }
    await sleep(Math.min(o.pollMs ?? 200, timeout - waited), o.signal);
  }
  let released = false;
  return {
    path,
    holder,
    async release() {
      if (released) return;
      released = true;
      // only our own lock: never one that a takeover gave to someone else
      const now = await readHolder(path).catch(() => undefined);
      if (now?.token === holder.token) await rm(path, { force: true });
    },
  };
}
