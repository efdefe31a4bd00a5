import { appendFileSync, fsync, fsyncSync, mkdirSync, openSync, closeSync, readFileSync, write as writeFd } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { journalName, type OperationJournal, type OperationKind } from '../core/secrets/journal';

/*
 * The apply journal, `.landing-zone/journal.jsonl`: one JSON object per line, appended and
 * fsynced before and after every operation, so a process killed at any instant leaves a
 * journal that says what was started and what finished. A line cut short by the kill is
 * skipped on read. It holds ids and actions only: never a field value, never a secret.
 *
 * Apply journals through `append`, a group commit: the lines of operations that start or finish
 * while one write + fsync is on disk go together in the next one, off the event loop (libuv's
 * threads). A synchronous fsync per line blocked the process 2 × operations times: 13.5 of the
 * 28.7 s of a 1,066-operation apply at 50 ms latency (bench/apply, cold). An operation still
 * sends its first request only once its `op-start` line is on disk, and lines reach the file in
 * the order they were appended, so a line on disk means every line before it is too.
 *
 * Resuming does not trust the journal alone: the next apply reads the account again and finds
 * what the interrupted run created by its tags. The journal says that a run was interrupted,
 * which plan it was carrying out, and which operations it had finished.
 */

export type JournalEvent =
  | { event: 'run-start'; run: string; t: string; planHash: string; organizationId: string; operations: number; profile: string }
  | { event: 'op-start'; run: string; t: string; id: string; action: string; kind: string }
  | { event: 'op-done'; run: string; t: string; id: string; action: string; kind: string; scalewayId?: string }
  | { event: 'op-failed'; run: string; t: string; id: string; action: string; kind: string; error: string }
  | { event: 'run-end'; run: string; t: string; status: 'completed' | 'failed' | 'interrupted'; done: number; failed: number };

export const JOURNAL_PATH = '.landing-zone/journal.jsonl';

/** What the journal says about the last run. */
export interface LastRun {
  run: string;
  planHash: string;
  organizationId: string;
  operations: number;
  /** Ids of operations that finished (action + id). */
  done: Set<string>;
  /** No `run-end`: the process died, or `run-end` says interrupted. */
  interrupted: boolean;
  startedAt: string;
}

export class Journal {
  readonly run = randomUUID();
  private fd: number | undefined;

  constructor(readonly path: string) {}

  private open(): number {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    return this.fd;
  }

  /** Appends one event and flushes it to disk before returning. */
  write(e: Omit<JournalEvent, 'run' | 't'> & Record<string, unknown>): void {
    const fd = this.open();
    appendFileSync(fd, JSON.stringify({ ...e, run: this.run, t: new Date().toISOString() }) + '\n');
    fsyncSync(fd);
  }

  /** Lines appended but not yet written, and the batch they will go out in (not started yet). */
  private queued: string[] = [];
  private nextBatch: Promise<void> | undefined;
  /** The batch on disk last: the next one starts when it is done (one write + fsync at a time). */
  private lastBatch: Promise<void> = Promise.resolve();

  /**
   * Appends one event; resolves once it is on disk (written and fsynced, with every line
   * appended before it). Lines appended while a batch is being written share the next batch.
   */
  append(e: Omit<JournalEvent, 'run' | 't'> & Record<string, unknown>): Promise<void> {
    this.queued.push(JSON.stringify({ ...e, run: this.run, t: new Date().toISOString() }) + '\n');
    if (!this.nextBatch) {
      const batch = this.lastBatch.then(async () => {
        this.nextBatch = undefined;
        const text = Buffer.from(this.queued.join(''));
        this.queued = [];
        const fd = this.open();
        for (let at = 0; at < text.length;) at += await new Promise<number>((resolve, reject) => writeFd(fd, text, at, text.length - at, null, (err, n) => (err ? reject(err) : resolve(n))));
        await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
      });
      this.nextBatch = batch;
      // a failed batch fails its own appends; the next batch still tries
      this.lastBatch = batch.catch(() => undefined);
    }
    return this.nextBatch;
  }

  /** Resolves once every appended line is on disk. */
  flushed(): Promise<void> {
    return this.nextBatch ?? this.lastBatch;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads every parsable line; a torn last line (kill during a write) is skipped. */
export function readJournal(path: string): JournalEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEvent);
    } catch {
      // torn line
    }
  }
  return out;
}

export function lastRun(events: JournalEvent[]): LastRun | undefined {
  let last: LastRun | undefined;
  for (const e of events) {
    if (e.event === 'run-start') {
      last = { run: e.run, planHash: e.planHash, organizationId: e.organizationId, operations: e.operations, done: new Set(), interrupted: true, startedAt: e.t };
    } else if (last && e.run === last.run) {
      if (e.event === 'op-done') last.done.add(`${e.action} ${e.id}`);
      if (e.event === 'run-end') last.interrupted = e.status === 'interrupted';
    }
  }
  return last;
}

/*
 * The step journals of rotations and restores (core/secrets/journal.ts's OperationJournal), in the
 * same `.landing-zone/` folder as the apply log above. They differ in how they are written, for a
 * reason: apply runs dozens of operations at once and appends a line per start and finish, while a
 * rotation or restore is one sequence of steps whose whole state (steps, outputs) is rewritten.
 */

/**
 * Journals on disk: `.landing-zone/journal/<kind>-<target>.json` next to landing-zone.yaml while
 * an operation is open, moved to `history/<id>.json` when it ends. Writes are atomic (temp file
 * then rename), so a kill during a write leaves the previous state.
 */
export class JournalStore {
  readonly dir: string;

  constructor(landingZoneFile: string) {
    this.dir = join(dirname(landingZoneFile), '.landing-zone', 'journal');
  }

  path(kind: OperationKind, target: string): string {
    return join(this.dir, `${journalName(kind, target)}.json`);
  }

  async load(kind: OperationKind, target: string): Promise<OperationJournal | undefined> {
    try {
      return JSON.parse(await readFile(this.path(kind, target), 'utf8')) as OperationJournal;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async save(j: OperationJournal): Promise<void> {
    const path = this.path(j.kind, j.target);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(j, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  }

  /** Moves a finished journal into history, so the next run starts a new operation. */
  async close(j: OperationJournal): Promise<void> {
    const hist = join(this.dir, 'history');
    await mkdir(hist, { recursive: true });
    await writeFile(join(hist, `${j.id}.json`), `${JSON.stringify(j, null, 2)}\n`, { mode: 0o600 });
    await rm(this.path(j.kind, j.target), { force: true });
  }
}
