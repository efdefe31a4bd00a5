import { open, rename, readFile, readdir, unlink, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';
import { z } from 'zod';
import type { Snapshot } from './store';

const snapshotSchema = z.object({
  version: z.literal(1),
  organizationId: z.string(),
  projectId: z.string(),
  ownAccessKey: z.string(),
  seq: z.number().int().nonnegative(),
  counters: z.record(z.string(), z.number()).optional(),
  records: z.array(
    z.object({
      kind: z.string(),
      id: z.string(),
      loc: z.string(),
      seq: z.number(),
      data: z.record(z.string(), z.unknown()),
      pending: z.array(z.object({ at: z.number(), set: z.record(z.string(), z.unknown()) })).optional(),
      hidden: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

/** Reads a state file; undefined when it does not exist. A corrupt file is an error, never silently reset. */
export async function loadSnapshot(file: string): Promise<Snapshot | undefined> {
  await sweepTemporaries(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`state file ${file} is not valid JSON`);
  }
  const r = snapshotSchema.safeParse(parsed);
  if (!r.success) throw new Error(`state file ${file} is not a sandbox state: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data as Snapshot;
}

/** Temporary files of writes that a kill interrupted: never state, only clutter. */
async function sweepTemporaries(file: string): Promise<void> {
  const prefix = `.${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => unlink(join(dirname(file), n)).catch(() => {})));
}

/**
 * Writes the file the only way that survives a kill -9 at any instant: a temporary file in the
 * same directory, fsync, then rename over the old one (rename is atomic on POSIX), then fsync the
 * directory so the rename itself is durable.
 */
async function writeAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  // unique per write: two writers never share a temporary file
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  const dh = await open(dir, 'r').catch(() => undefined);
  if (dh) {
    await dh.sync().catch(() => {});
    await dh.close();
  }
}

/**
 * Debounced saver: a burst of mutations makes one write. Writes are chained, never concurrent,
 * and each one serialises the state when it starts, so the last write always holds the latest
 * state. `flush` waits for it (used on close and on SIGINT/SIGTERM).
 */
export class Saver {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  lastError: Error | undefined;

  constructor(
    private readonly file: string,
    /** The state file's text (Store.snapshotText). */
    private readonly serialize: () => string,
    private readonly debounceMs: number,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.enqueue();
    }, this.debounceMs);
    this.timer.unref();
  }

  private enqueue(): Promise<void> {
    this.chain = this.chain.then(() => this.writeIfDirty());
    return this.chain;
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    // serialised synchronously: a consistent cut between two requests
    const text = this.serialize();
    try {
      await writeAtomic(this.file, text);
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err as Error;
      this.dirty = true;
    }
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.enqueue();
    if (this.lastError) throw this.lastError;
  }
}
