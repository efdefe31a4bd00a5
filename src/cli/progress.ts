/*
 * Progress for a long command, written in batches. An apply of a thousand operations has two
 * events per operation; one synchronous write to stderr each (a pipe in CI is written
 * synchronously on Linux) cost about 0.19 s of a cold 50-project apply's CPU. Lines are gathered
 * and go out in one write at most every `everyMs`, and at once on `flush()` (before a summary, a
 * prompt or an exit), so the order of everything written to the stream is kept.
 */

export interface BatchedWriter {
  /** Queues text (whole lines, or a live bar's redraw) for the next batch. */
  write(text: string): void;
  /** Writes what is queued now. */
  flush(): void;
}

export function batchedWriter(stream: { write(text: string): unknown }, everyMs = 100): BatchedWriter {
  let queued: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queued.length === 0) return;
    const text = queued.join('');
    queued = [];
    stream.write(text);
  };
  return {
    write(text) {
      queued.push(text);
      if (!timer) {
        timer = setTimeout(flush, everyMs);
        // a batch still queued never keeps the process alive; exits flush first
        timer.unref();
      }
    },
    flush,
  };
}

/**
 * A live bar on a terminal, redrawn at most every `everyMs` (the last state wins: a thousand
 * redraws a second are as many writes as plain lines); lines (failures, retries) are kept.
 */
export function liveBar(out: BatchedWriter, everyMs = 100): { line(text: string): void; bar(text: string): void; clear(): void } {
  let pending: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    timer = undefined;
    if (pending !== undefined) out.write(`\x1b[2K\r${pending}`);
    pending = undefined;
  };
  return {
    line(text) {
      out.write(`\x1b[2K\r${text}\n`);
    },
    bar(text) {
      pending = text;
      if (!timer) {
        timer = setTimeout(draw, everyMs);
        timer.unref();
      }
    },
    clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      out.write('\x1b[2K\r');
    },
  };
}
