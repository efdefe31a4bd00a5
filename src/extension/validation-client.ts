import type { Issue } from '../core/issues';
import type { ExplorerShape, ExplorerTree } from '../core/language/explorer-tree';
import { decodeOutline, type OutlineNode, type OutlineWire } from '../core/language/outline';
import { LanguageClient } from './validation-language';
import { WorkerThread, type WorkerThreadOptions } from './validation-thread';

/*
 * The host's side of validation in the editor's worker (no vscode here, so plain node tests drive
 * it). The worker is the one thread that also answers the language requests (`language`, sharing
 * each version's text and parse: validation-thread.ts). One validation at a time, the newest version per document only: a queued older version is
 * dropped, and one that is running when a newer version of the same document arrives is
 * interrupted: the host writes the running request's id into a shared word, which the worker reads
 * between the steps of a validation (validateText's `interrupted`) and answers `interrupted`. The
 * worker is never terminated for it, so it stays warm. Dropped and interrupted requests resolve to
 * undefined.
 *
 * The worker answers in two messages: the findings first (what the Problems panel waits for), then
 * the outline and the explorer's tree, each only when it differs from the one it last sent for that
 * document (the 500-project file's outline took the host 20–50 ms to receive as objects); this
 * client fills in the ones that did not change, so callers always see a whole answer.
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

/** The document closed: the worker forgets what it last sent for it. */
export interface ValidationForget {
  forget: string;
}

/** What the worker answers, in order: `issues`, then `details` (or `interrupted` instead of either). */
export type ValidationMessage =
  | { id: number; kind: 'issues'; issues: Issue[]; hasModel: boolean; ms: number }
  /** Absent parts are the same as the last ones sent for this document; the tree only comes from a text that parsed. */
  | { id: number; kind: 'details'; outline?: OutlineWire; treeShape?: ExplorerShape; treeRanges?: Int32Array; ms: number }
  | { id: number; kind: 'interrupted' };

/** The outline and explorer tree of one version. */
export interface ValidationDetails {
  outline: OutlineNode[];
  /** The last tree of a version that parsed (undefined until one has). */
  tree?: ExplorerTree;
  /** Whether the tree's shape differs from the previous answer's (positions may move without it). */
  treeChanged: boolean;
  /** Time the worker spent on them. */
  ms: number;
}

/** One version's answer: its findings, and its outline and tree to come. */
export interface ValidationResponse {
  id: number;
  uri: string;
  version: number;
  issues: Issue[];
  hasModel: boolean;
  /** Time spent in the worker on the findings. */
  ms: number;
  /** Undefined when a newer version interrupted them. */
  details: Promise<ValidationDetails | undefined>;
}

export type ValidationClientOptions = WorkerThreadOptions;

interface Job {
  req: ValidationRequest;
  resolve: (r: ValidationResponse | undefined) => void;
  /** Set once the findings have been answered. */
  resolveDetails?: (d: ValidationDetails | undefined) => void;
}

/** What the worker last sent for a document, decoded. */
interface Held {
  outline: OutlineNode[];
  tree?: ExplorerTree;
}

export class ValidationClient {
  private readonly thread: WorkerThread;
  private running: Job | undefined;
  private readonly queue = new Map<string, Job>();
  private readonly held = new Map<string, Held>();
  private nextId = 1;
  private disposed = false;
  /** Requests interrupted while running. */
  cancelled = 0;
  /** Completion, hover, navigation and rename, answered by the same worker. */
  readonly language: LanguageClient;

  constructor(readonly options: ValidationClientOptions) {
    this.thread = new WorkerThread(options);
    this.thread.listen({
      message: (msg) => { if (msg && typeof msg === 'object' && 'kind' in msg) this.receive(msg as ValidationMessage); },
      // a new worker has sent nothing yet: it sends every part again
      failed: (err) => { this.held.clear(); this.fail(err); },
    });
    this.language = new LanguageClient(this.thread);
  }

  /** Starts the worker before anything is asked of it (activation: the bundle loads meanwhile). */
  start(): void {
    this.thread.start();
  }

  /** Validates one version of a document; undefined when a newer version made it moot. */
  validate(uri: string, version: number, text: string, now = new Date()): Promise<ValidationResponse | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const job: Job = { req: { id: this.nextId++, uri, version, text, now: now.getTime() }, resolve };
      const queued = this.queue.get(uri);
      if (queued) queued.resolve(undefined);
      this.queue.set(uri, job);
      if (this.running?.req.uri === uri && this.running.req.version !== version) this.interrupt(uri);
      this.pump();
    });
  }

  /** Stops the running validation of `uri` at its next step (a newer version is coming). */
  interrupt(uri: string): void {
    const job = this.running;
    if (job?.req.uri === uri) Atomics.store(this.thread.control, 0, job.req.id);
  }

  /** The document closed: what the worker last sent and holds for it is forgotten on both sides. */
  forget(uri: string): void {
    this.held.delete(uri);
    this.language.forget(uri);
    if (this.thread.current) this.thread.post({ forget: uri } satisfies ValidationForget);
  }

  private receive(msg: ValidationMessage): void {
    const job = this.running;
    if (!job || job.req.id !== msg.id) return;
    const { req } = job;
    if (msg.kind === 'issues') {
      const details = new Promise<ValidationDetails | undefined>((r) => { job.resolveDetails = r; });
      job.resolve({ id: req.id, uri: req.uri, version: req.version, issues: msg.issues, hasModel: msg.hasModel, ms: msg.ms, details });
      return;
    }
    this.running = undefined;
    this.thread.end();
    if (msg.kind === 'interrupted') {
      this.cancelled++;
      job.resolve(undefined);
      job.resolveDetails?.(undefined);
    } else {
      const last = this.held.get(req.uri);
      const outline = msg.outline ? decodeOutline(msg.outline) : last?.outline ?? [];
      let tree = last?.tree;
      const treeChanged = msg.treeShape !== undefined;
      if (msg.treeShape || msg.treeRanges) {
        const shape = msg.treeShape ?? tree?.shape;
        const ranges = msg.treeRanges ?? tree?.ranges;
        tree = shape && ranges ? { shape, ranges } : undefined;
      }
      this.held.set(req.uri, tree ? { outline, tree } : { outline });
      job.resolveDetails?.({ outline, tree, treeChanged, ms: msg.ms });
    }
    this.pump();
  }

  /** A crashed worker: the running request gets one internal finding; the next starts a new worker. */
  private fail(err: Error): void {
    const job = this.running;
    this.running = undefined;
    if (job) {
      job.resolve({ id: job.req.id, uri: job.req.uri, version: job.req.version, hasModel: false, ms: 0, details: Promise.resolve(undefined), issues: [{
        ruleId: 'internal', severity: 'error', message: `The validation worker stopped: ${err.message}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, path: [],
      }] });
      job.resolveDetails?.(undefined);
    }
    this.pump();
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.entries().next();
    if (next.done) return;
    const [uri, job] = next.value;
    this.queue.delete(uri);
    this.running = job;
    this.thread.begin();
    this.thread.post(job.req, { uri, version: job.req.version });
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.values()) job.resolve(undefined);
    this.queue.clear();
    this.running?.resolve(undefined);
    this.running?.resolveDetails?.(undefined);
    this.running = undefined;
    this.language.dispose();
    this.thread.dispose();
  }
}
