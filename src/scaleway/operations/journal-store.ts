import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { journalName, type OperationJournal, type OperationKind } from '../../core/secrets/journal';

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
