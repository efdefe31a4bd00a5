import { Worker } from 'node:worker_threads';

/*
 * The one worker thread of the editor (dist/validation-worker.js), shared by validation
 * (validation-client.ts) and the language answers (validation-language.ts): one V8 heap, one copy
 * of the bundle, one copy of each document version's text and parse. Two threads cost the host
 * +120 MB at opening the 14,006-line file, each holding its own parse of it.
 *
 * Everything goes over the worker's one port, in order: so once a message carrying a version's
 * text is posted, every later message about that version can leave the text out (`holds`). The
 * worker reads its port between the steps of a validation, so a language request is answered
 * between two steps rather than after the whole run.
 */

export interface WorkerThreadOptions {
  /** The worker script (dist/validation-worker.js), or with `eval` its code (tests load the .ts source). */
  script: string;
  eval?: boolean;
  /** Called when a worker is started (tests count them). */
  onSpawn?: () => void;
}

export interface ThreadListener {
  /** A message from the worker (each listener picks its own). */
  message(msg: unknown): void;
  /** The worker stopped (crashed, or exited): whatever it was doing is lost. */
  failed(err: Error): void;
}

export class WorkerThread {
  private worker: Worker | undefined;
  private readonly listeners: ThreadListener[] = [];
  /** Word 0: the id of the validation the worker must stop (read between its steps). */
  readonly control = new Int32Array(new SharedArrayBuffer(4));
  /** The version of each document whose text the worker holds (mirrors the worker's rule). */
  private readonly held = new Map<string, number>();
  /** Requests out: the worker keeps the process alive only while it has some. */
  private busy = 0;
  private disposed = false;

  constructor(readonly options: WorkerThreadOptions) {}

  listen(l: ThreadListener): void {
    this.listeners.push(l);
  }

  /** Starts the worker now (at activation: its bundle loads before the first document needs it). */
  start(): void {
    if (this.disposed || this.worker) return;
    this.worker = this.spawn();
    if (this.busy === 0) this.worker.unref();
  }

  /** Whether the worker holds this version's text (a message about it may leave the text out). */
  holds(uri: string, version: number): boolean {
    return this.held.get(uri) === version;
  }

  /**
   * Posts a message; `text` says which version's text it carries, which the worker then holds
   * (unless it holds a newer one: the same rule on both sides).
   */
  post(msg: unknown, text?: { uri: string; version: number }): void {
    if (this.disposed) return;
    if (!this.worker) this.start();
    if (text) {
      const h = this.held.get(text.uri);
      if (h === undefined || text.version >= h) this.held.set(text.uri, text.version);
    }
    this.worker!.postMessage(msg);
  }

  /** The document closed: the worker no longer holds it. */
  forget(uri: string): void {
    this.held.delete(uri);
  }

  /** One more request out (the worker is referenced while any is). */
  begin(): void {
    if (this.busy++ === 0) this.worker?.ref();
  }

  /** A request answered. */
  end(): void {
    if (this.busy > 0 && --this.busy === 0) this.worker?.unref();
  }

  private spawn(): Worker {
    // Node ≥ 22.1 (the editor's host) keeps V8's compiled code of the bundle between starts: about
    // 40 ms of the worker's 200 ms start measured on Node 22; on Node 20 the call does not exist
    const code = this.options.eval ? this.options.script
      : `try { require('node:module').enableCompileCache?.(); } catch { /* a read-only cache folder: start without it */ }\nrequire(${JSON.stringify(this.options.script)});`;
    const w = new Worker(code, { eval: true, workerData: { control: this.control.buffer } });
    // a new worker holds nothing yet
    this.held.clear();
    w.on('message', (msg: unknown) => { for (const l of this.listeners) l.message(msg); });
    const fail = (err: unknown) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.held.clear();
      this.busy = 0;
      const e = err instanceof Error ? err : new Error(String(err));
      for (const l of this.listeners) l.failed(e);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.options.onSpawn?.();
    return w;
  }

  /** For tests: the worker, to stop it as a crash would. */
  get current(): Worker | undefined {
    return this.worker;
  }

  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}
