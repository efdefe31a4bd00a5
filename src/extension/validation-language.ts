import { Worker } from 'node:worker_threads';
import type { LanguageAnswer, LanguageRequest } from '../core/language/service';

/*
 * The host's side of the language worker (no vscode here, so plain node tests drive it): the
 * same script as the validation worker, a second instance that keeps each document's index and
 * answers completion, hover, navigation and rename. The host sends a version's text once (the
 * first request about it carries it); the worker parses it, so the extension host never does.
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
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (a: LanguageAnswer) => void; reject: (e: Error) => void }>();
  /** The version of each document the worker holds. */
  private readonly sent = new Map<string, number>();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: { script: string; eval?: boolean }) {}

  /** Asks the worker; `text` is read only when the worker does not hold this version yet. */
  async ask(req: Ask, text: () => string): Promise<LanguageAnswer> {
    const withText = this.sent.get(req.uri) !== req.version;
    const pending = this.post(withText ? { ...req, text: text() } as LanguageRequest : req as LanguageRequest);
    // the worker answers in order: every later request finds this text there
    if (withText) this.sent.set(req.uri, req.version);
    const first = await pending;
    if (first.op !== 'needText') return first;
    // a restarted worker has lost what it held
    const again = await this.post({ ...req, text: text() } as LanguageRequest);
    this.sent.set(req.uri, req.version);
    if (again.op === 'needText') throw new Error('the language worker did not keep the text');
    return again;
  }

  /** The document closed: the worker forgets it. */
  forget(uri: string): void {
    this.sent.delete(uri);
    if (this.worker) void this.post({ op: 'close', uri, version: 0 }).catch(() => undefined);
  }

  private post(req: LanguageRequest): Promise<LanguageAnswer> {
    if (this.disposed) return Promise.reject(new Error('disposed'));
    const id = this.nextId++;
    const w = (this.worker ??= this.spawn());
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, language: req } satisfies LanguageMessage);
    });
  }

  private spawn(): Worker {
    const w = new Worker(this.options.script, { eval: this.options.eval });
    w.on('message', (reply: LanguageReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      // referenced only while a request is out: an idle worker must not keep a process alive
      if (this.pending.size === 0) w.unref();
      if (reply.answer.op === 'error') p.reject(new Error(reply.answer.message));
      else p.resolve(reply.answer);
    });
    const fail = (err: unknown) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.sent.clear();
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const p of failed) p.reject(err instanceof Error ? err : new Error(String(err)));
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the language worker stopped (exit code ${code})`)));
    return w;
  }

  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
    void w?.terminate();
  }
}
