import { Worker } from 'node:worker_threads';
import type { Issue } from '../core/issues';
import type { OutlineNode } from '../core/language/outline';

/*
 * The host's side of the validation worker (no vscode here, so plain node tests drive it). One
 * worker, one request at a time, the newest version per document only: a queued older version is
 * dropped, and one that is running when a newer version of the same document arrives is cancelled
 * by terminating the worker (synchronous JavaScript cannot be interrupted any other way) and
 * starting a fresh one. Dropped and cancelled requests resolve to undefined.
 */

/** What the host sends: one version of one document. */
export interface ValidationRequest {
  id: number;
  uri: string;
  version: number;
  text: string;
  /** The clock, as epoch milliseconds (expiry rules). */
  now: number;
}

/** What the worker answers: plain data only (issues and the outline). */
export interface ValidationResponse {
  id: number;
  uri: string;
  version: number;
  issues: Issue[];
  outline: OutlineNode[];
  hasModel: boolean;
  /** Time spent in the worker. */
  ms: number;
}

export interface ValidationClientOptions {
  /** The worker script (dist/validation-worker.js), or with `eval` its code (tests load the .ts source). */
  script: string;
  eval?: boolean;
  /** Called when a worker is started (tests count them). */
  onSpawn?: () => void;
}

interface Job {
  req: ValidationRequest;
  resolve: (r: ValidationResponse | undefined) => void;
}

export class ValidationClient {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private readonly queue = new Map<string, Job>();
  private nextId = 1;
  private disposed = false;
  /** Requests cancelled while running (the worker was terminated for them). */
  cancelled = 0;

  /** `options`: the language worker (validation-language.ts) runs the same script. */
  constructor(readonly options: ValidationClientOptions) {}

  /** Validates one version of a document; undefined when a newer version made it moot. */
  validate(uri: string, version: number, text: string, now = new Date()): Promise<ValidationResponse | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const job: Job = { req: { id: this.nextId++, uri, version, text, now: now.getTime() }, resolve };
      const queued = this.queue.get(uri);
      if (queued) queued.resolve(undefined);
      this.queue.set(uri, job);
      if (this.running?.req.uri === uri && this.running.req.version !== version) this.cancelRunning();
      this.pump();
    });
  }

  private cancelRunning(): void {
    const job = this.running!;
    this.running = undefined;
    this.cancelled++;
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners();
      void w.terminate();
    }
    job.resolve(undefined);
  }

  private spawn(): Worker {
    const w = new Worker(this.options.script, { eval: this.options.eval });
    w.on('message', (res: ValidationResponse) => {
      const job = this.running;
      if (!job || job.req.id !== res.id) return;
      this.running = undefined;
      w.unref();
      job.resolve(res);
      this.pump();
    });
    const fail = (err: unknown) => {
      // a crashed worker: answer the running request with one internal finding, start afresh next time
      if (this.worker === w) this.worker = undefined;
      const job = this.running;
      this.running = undefined;
      if (job) {
        job.resolve({ id: job.req.id, uri: job.req.uri, version: job.req.version, outline: [], hasModel: false, ms: 0, issues: [{
          ruleId: 'internal', severity: 'error', message: `The validation worker stopped: ${err instanceof Error ? err.message : String(err)}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, path: [],
        }] });
      }
      this.pump();
    };
    w.on('error', fail);
    w.on('exit', (code) => { if (this.worker === w) fail(new Error(`exit code ${code}`)); });
    this.options.onSpawn?.();
    return w;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.entries().next();
    if (next.done) return;
    const [uri, job] = next.value;
    this.queue.delete(uri);
    this.running = job;
    this.worker ??= this.spawn();
    // referenced only while it works: an idle worker must not keep a process alive
    this.worker.ref();
    this.worker.postMessage(job.req);
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.values()) job.resolve(undefined);
    this.queue.clear();
    this.running?.resolve(undefined);
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
