import { closeSync, fstatSync, fsync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, write as writeFd, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  entriesBetween, isInterrupted, isOpen, isStepJournal, operationJournalOf, replayJournal, upgradeRecord, upgradeStepJournal,
  type JournalEntry, type JournalRecord, type RunState,
} from '../core/journal';
import type { OperationJournal, OperationKind } from '../core/secrets/journal';

/*
 * The journal of every operation that writes to the account (core/journal.ts has the model):
 * `.landing-zone/journal.jsonl` next to landing-zone.yaml, one record per line, appended and
 * fsynced before the request it announces, so a process killed at any instant leaves a journal
 * that says what was started and what finished. A line cut short by the kill is skipped on read.
 * One writer (Journal), one reader (readRuns), for apply, rotations and restores alike; the
 * organisation's lock (operations/lock.ts, in the same folder) keeps to one writer at a time.
 *
 * Journal.append is a group commit: the lines of operations that start or finish while one write +
 * fsync is on disk go together in the next one, off the event loop (libuv's threads). A synchronous
 * fsync per line blocked the process 2 × operations times: 13.5 of the 28.7 s of a 1,066-operation
 * apply at 50 ms latency (bench/apply, cold). Lines reach the file in the order they were appended,
 * so a line on disk means every line before it is too.
 *
 * Resuming an apply does not trust the journal alone: the next apply reads the account again and
 * finds what the interrupted run created by its tags. Rotations and restores resume from their
 * run's steps and outputs (ids, revisions), replayed from the journal.
 *
 * Journals of the older formats are read too: apply's lines before version 2 (upgraded line by
 * line), and the step journals `.landing-zone/journal/<kind>-<target>.json` (and their `history/`)
 * that rotations and restores wrote before. A writer moves the latter into the log once, under the
 * lock, and renames their folder to `journal.v1/`.
 */

export const JOURNAL_PATH = '.landing-zone/journal.jsonl';
/** Where the step journals of the old format are (read, and migrated by the first write). */
const LEGACY_DIR = '.landing-zone/journal';
const LEGACY_MOVED = '.landing-zone/journal.v1';

/** The journal next to a landing-zone file. */
function journalPathOf(landingZoneFile: string): string {
  return join(dirname(landingZoneFile), JOURNAL_PATH);
}

/** The one writer: stamps each record with the format's version, its run and the time, and appends it. */
export class Journal {
  /** The run of records that name none (an apply). */
  readonly run = randomUUID();
  private fd: number | undefined;

  constructor(readonly path: string) {}

  private open(): number {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      const fd = openSync(this.path, 'a+', 0o600);
      // a line torn by a kill has no newline: the next record starts on a line of its own, or it
      // would be read as part of the torn one and lost (an apply's run-start with it)
      const size = fstatSync(fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) writeSync(fd, '\n');
      }
      this.fd = fd;
    }
    return this.fd;
  }

  private line(e: JournalEntry | JournalRecord): string {
    return JSON.stringify({ v: 2, ...e, run: e.run ?? this.run, t: e.t ?? new Date().toISOString() }) + '\n';
  }

  /** Lines appended but not yet written, and the batch they will go out in (not started yet). */
  private queued: string[] = [];
  private nextBatch: Promise<void> | undefined;
  /** The batch on disk last: the next one starts when it is done (one write + fsync at a time). */
  private lastBatch: Promise<void> = Promise.resolve();

  /**
   * Appends records; resolves once they are on disk (written and fsynced, with every line appended
   * before them). Lines appended while a batch is being written share the next batch.
   */
  append(...entries: (JournalEntry | JournalRecord)[]): Promise<void> {
    for (const e of entries) this.queued.push(this.line(e));
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

/** The log's records, upgraded to the current format; a torn line (kill during a write) is skipped. */
export function readJournal(path: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = upgradeRecord(JSON.parse(line));
      if (r) out.push(r);
    } catch {
      // torn line
    }
  }
  return out;
}

/** The old format's step journals in a folder (open ones, then `history/`), as records; unreadable files are skipped. */
function legacyRecords(dir: string): JournalRecord[] {
  const docs = new Map<string, OperationJournal>();
  for (const sub of ['history', '']) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const j = JSON.parse(readFileSync(join(dir, sub, name), 'utf8')) as unknown;
        // an operation closed while its open copy was still being removed: history wins
        if (isStepJournal(j) && !docs.has(j.id)) docs.set(j.id, j);
      } catch {
        // a torn temp file or something that is not a journal
      }
    }
  }
  return [...docs.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).flatMap(upgradeStepJournal);
}

/** Every record of the journal next to a landing-zone file: the old step journals first (older by definition), then the log. */
function readRecords(landingZoneFile: string): JournalRecord[] {
  const root = dirname(landingZoneFile);
  return [...legacyRecords(join(root, LEGACY_DIR)), ...readJournal(join(root, JOURNAL_PATH))];
}

/**
 * Every run journalled next to a landing-zone file, in the order they started: the one reader.
 * By start time, because an older landing-zone run after this one (a downgrade) writes its step
 * journals beside a log that already holds later runs.
 */
export function readRuns(landingZoneFile: string): RunState[] {
  return replayJournal(readRecords(landingZoneFile)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/**
 * Runs of the organisation that were interrupted, whatever their kind (a run from an old step
 * journal names no organisation: it is the file's). What the CLI and the editor tell the user.
 */
export function interruptedRuns(landingZoneFile: string, organizationId: string): RunState[] {
  const last = new Map<string, RunState>();
  for (const r of readRuns(landingZoneFile)) {
    if (r.organizationId && r.organizationId !== organizationId) continue;
    // an apply is superseded by the next apply, a rotation or restore by the next of its target
    last.set(r.operation === 'apply' ? 'apply' : `${r.operation} ${r.target}`, r);
  }
  return [...last.values()].filter(isInterrupted);
}

/** Moves the old step journals into the log, once, under the organisation's lock. */
async function migrateLegacy(landingZoneFile: string, journal: Journal): Promise<void> {
  const root = dirname(landingZoneFile);
  const dir = join(root, LEGACY_DIR);
  try {
    if (!statSync(dir).isDirectory()) return;
  } catch {
    return;
  }
  const logged = new Set(readJournal(journal.path).map((r) => r.run));
  // a migration cut short after its append: what is logged already is not appended twice
  const records = legacyRecords(dir).filter((r) => !logged.has(r.run));
  if (records.length > 0) await journal.append(...records);
  renameSync(dir, join(root, `${LEGACY_MOVED}${existsDir(join(root, LEGACY_MOVED)) ? `-${Date.now()}` : ''}`));
}

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The rotations' and restores' view of the journal: the open run of an operation on a target as the
 * step journal their code works on (core/secrets/journal.ts), and `save` that journals the steps,
 * outputs and state that changed since the run was last saved.
 */
export class JournalStore {
  private readonly journal: Journal;
  /** What the log holds of each run this store loaded or saved: the base of the next save's records. */
  private readonly saved = new Map<string, OperationJournal>();
  private migrated: Promise<void> | undefined;

  constructor(readonly landingZoneFile: string, private readonly organizationId?: string) {
    this.journal = new Journal(journalPathOf(landingZoneFile));
  }

  /** Where the journal is (for messages). */
  get path(): string {
    return this.journal.path;
  }

  /** The last run of `kind` on `target` unless it finished or was abandoned. */
  async load(kind: OperationKind, target: string): Promise<OperationJournal | undefined> {
    const runs = readRuns(this.landingZoneFile).filter((r) => r.operation === kind && r.target === target);
    const last = runs[runs.length - 1];
    if (!last || !isOpen(last)) return undefined;
    const j = operationJournalOf(last);
    this.saved.set(j.id, structuredClone(j));
    return j;
  }

  /** Journals what changed in `j` since it was loaded or last saved; resolves once it is on disk. */
  async save(j: OperationJournal): Promise<void> {
    this.migrated ??= migrateLegacy(this.landingZoneFile, this.journal);
    await this.migrated;
    const entries = entriesBetween(this.saved.get(j.id), j, this.organizationId ? { organizationId: this.organizationId } : {});
    try {
      if (entries.length > 0) await this.journal.append(...entries);
    } finally {
      // a rotation saves a handful of times: no descriptor stays open in the editor's process
      this.journal.close();
    }
    this.saved.set(j.id, structuredClone(j));
  }

  /** Ends a finished run, so the next one starts anew. */
  async close(j: OperationJournal): Promise<void> {
    await this.save({ ...j, status: 'done' });
  }

  /** Gives up an open run: the next run of its operation starts anew (what it created stays, tagged with its run). */
  async abandon(j: OperationJournal): Promise<void> {
    this.migrated ??= migrateLegacy(this.landingZoneFile, this.journal);
    await this.migrated;
    try {
      await this.journal.append({ run: j.id, event: 'run-end', status: 'abandoned' });
    } finally {
      this.journal.close();
    }
    this.saved.delete(j.id);
  }
}
