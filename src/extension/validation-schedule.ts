/*
 * When a document is validated as it is typed (vscode-free, so node tests drive it). Validation
 * runs in a worker, off the extension host's thread, so waiting for the typing to pause buys the
 * host nothing and costs the user the whole pause: a 250 ms debounce plus 200 ms of validation put
 * the 500-project file's diagnostics 450 ms or more behind the last keystroke, and cancelling a run
 * that a newer version overtook meant terminating the worker and loading it again.
 *
 * Instead: a change is validated at once when nothing of that document is being validated; while
 * a run is in flight, only the newest version waits, the run is told to stop (`interrupt`: the
 * worker reads it between the steps of a validation, so the run ends within one step and the
 * worker stays warm), and the newest starts the moment the run answers. The last keystroke's
 * diagnostics come one run and at most one step after it. `quietMs` (the
 * `landingZone.validation.debounceMs` setting, 0 by default) adds a pause before each run for
 * whoever prefers fewer runs to faster answers.
 */

export class ValidationSchedule<D> {
  private readonly running = new Set<string>();
  private readonly waiting = new Map<string, D>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private disposed = false;

  constructor(private readonly validate: (doc: D) => Promise<unknown>, private readonly quietMs = 0, private readonly interrupt: (doc: D) => void = () => undefined) {}

  /** A new version of `key` (the document's URI): validated now, or as soon as its running validation stops. */
  changed(key: string, doc: D): void {
    if (this.disposed) return;
    if (this.running.has(key) || this.timers.has(key)) {
      this.waiting.set(key, doc);
      if (this.running.has(key)) this.interrupt(doc);
      return;
    }
    this.start(key, doc);
  }

  /** The document closed: whatever waits for it is dropped (a running validation answers into nothing). */
  forget(key: string): void {
    this.waiting.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** True while a validation of `key` runs or waits. */
  busy(key: string): boolean {
    return this.running.has(key) || this.timers.has(key) || this.waiting.has(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.waiting.clear();
  }

  private start(key: string, doc: D): void {
    if (this.quietMs > 0) {
      // the pause: later versions replace this one until it is over
      this.waiting.set(key, doc);
      this.timers.set(key, setTimeout(() => {
        this.timers.delete(key);
        const latest = this.waiting.get(key);
        this.waiting.delete(key);
        if (latest !== undefined && !this.disposed) this.run(key, latest);
      }, this.quietMs));
      return;
    }
    this.run(key, doc);
  }

  private run(key: string, doc: D): void {
    this.running.add(key);
    const done = () => {
      this.running.delete(key);
      const next = this.waiting.get(key);
      if (next === undefined || this.disposed) return;
      this.waiting.delete(key);
      this.start(key, next);
    };
    this.validate(doc).then(done, done);
  }
}
