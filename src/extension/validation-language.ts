import type { LanguageAnswer, LanguageRequest } from '../core/language/service';
import type { WorkerThread } from './validation-thread';

/*
 * The host's side of the language answers (no vscode here, so plain node tests drive it): asked
 * of the editor's one worker (validation-thread.ts), which holds each document's text, parse and
 * index, shared with validation. A version's text goes along only when the worker does not hold it
 * yet (validation already sent it, or an earlier question did); the worker parses it, so the
 * extension host never does. The worker answers between the steps of a running validation.
 */

export interface LanguageMessage {
  id: number;
  language: LanguageRequest;
}

export interface LanguageReply {
  id: number;
  answer: LanguageAnswer | { op: 'error'; message: string };
}

type Ask = LanguageRequest extends infer R ? (R extends LanguageRequest ? Omit<R, 'text'> : never) : never;

export class LanguageClient {
  private readonly pending = new Map<number, { resolve: (a: LanguageAnswer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private disposed = false;

  /** `thread`: the worker validation-client.ts shares (ValidationClient.language). */
  constructor(private readonly thread: WorkerThread) {
    thread.listen({
      message: (msg) => {
        if (!msg || typeof msg !== 'object' || !('answer' in msg)) return;
        const reply = msg as LanguageReply;
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        this.thread.end();
        if (reply.answer.op === 'error') p.reject(new Error(reply.answer.message));
        else p.resolve(reply.answer);
      },
      failed: (err) => {
        const failed = [...this.pending.values()];
        this.pending.clear();
        for (const p of failed) p.reject(new Error(`the editor's worker stopped (${err.message})`));
      },
    });
  }

  /** Asks the worker; `text` is read only when the worker does not hold this version yet. */
  async ask(req: Ask, text: () => string): Promise<LanguageAnswer> {
    const withText = !this.thread.holds(req.uri, req.version);
    const first = await this.post(withText ? { ...req, text: text() } as LanguageRequest : req as LanguageRequest);
    if (first.op !== 'needText') return first;
    // a restarted worker has lost what it held
    const again = await this.post({ ...req, text: text() } as LanguageRequest);
    if (again.op === 'needText') throw new Error('the editor\'s worker did not keep the text');
    return again;
  }

  /** The document closed: the worker forgets it. */
  forget(uri: string): void {
    this.thread.forget(uri);
    if (!this.disposed && this.thread.current) void this.post({ op: 'close', uri, version: 0 }).catch(() => undefined);
  }

  private post(req: LanguageRequest): Promise<LanguageAnswer> {
    if (this.disposed) return Promise.reject(new Error('disposed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.begin();
      // the worker answers in order: every later message finds this text there
      this.thread.post({ id, language: req } satisfies LanguageMessage, req.text !== undefined ? { uri: req.uri, version: req.version } : undefined);
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
  }
}
