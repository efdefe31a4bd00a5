import { open, rename, readFile, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { z } from 'zod';
import type { Snapshot } from './store';

const snapshotSchema = z.object({
  version: z.literal(1),
  organizationId: z.string(),
  projectId: z.string(),
  ownAccessKey: z.string(),
  seq: z.number().int().nonnegative(),
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

/**
 * Writes the file the only way that survives a kill -9 at any instant: a temporary file in the
 * same directory, fsync, then rename over the old one (rename is atomic on POSIX), then fsync the
 * directory so the rename itself is durable.
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
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
 * Debounced saver: many mutations in a burst make one write; writes never overlap, and `flush`
 * waits for the last one (used on close and on SIGINT/SIGTERM).
 */
export class Saver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private dirty = false;
  lastError: Error | undefined;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => Snapshot,
    private readonly debounceMs: number,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.debounceMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (this.running) {
      await this.running;
      if (!this.dirty) return;
    }
    if (!this.dirty) return;
    this.dirty = false;
    // serialise synchronously: the snapshot is a consistent cut between two requests
    const text = JSON.stringify(this.snapshot());
    this.running = writeAtomic(this.file, text).then(
      () => { this.lastError = undefined; },
      (err: unknown) => { this.lastError = err as Error; this.dirty = true; },
    );
    await this.running;
    this.running = undefined;
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.run();
    if (this.lastError) throw this.lastError;
  }
}
