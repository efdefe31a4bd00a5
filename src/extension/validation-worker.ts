import { parentPort, workerData } from 'node:worker_threads';
import { explorerTree } from '../core/language/explorer-tree';
import { encodeOutline, outline, sameOutline, type OutlineWire } from '../core/language/outline';
import { LanguageService, type LanguageAnswer } from '../core/language/service';
import { validateText } from '../core/validate';
import { ValidationInterrupted } from '../core/validate-interrupted';
import type { ValidationForget, ValidationMessage, ValidationRequest } from './validation-client';
import type { LanguageMessage, LanguageReply } from './validation-language';

/*
 * The editor's validation and language answers, off the extension host's thread
 * (dist/validation-worker.js). The host starts two of these: one validates (one request at a time;
 * the host stops a stale one through a shared word, read between the steps of a validation), the
 * other holds each document's index and answers completion, hover, navigation and rename, so that
 * parsing a large file never blocks typing. The read-only fast YAML path is allowed: nothing here
 * writes.
 */
const language = new LanguageService();
/** Once requests pause, the newest version's index is built, so the next hover or rename finds it ready. */
const IDLE_MS = 300;
let idle: ReturnType<typeof setTimeout> | undefined;

/** Word 0 names the request to stop (validation-client.ts); the language worker has none. */
const control = (workerData as { control?: SharedArrayBuffer } | undefined)?.control;
const stopWord = control ? new Int32Array(control) : undefined;

/** What was last sent per document: only what differs goes again. */
const sent = new Map<string, { outline?: OutlineWire; shape?: string; ranges?: Int32Array }>();

const sameInts = (a: Int32Array | undefined, b: Int32Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

function validate(req: ValidationRequest): void {
  const post = (m: ValidationMessage) => parentPort!.postMessage(m);
  const interrupted = () => !!stopWord && Atomics.load(stopWord, 0) === req.id;
  const t0 = performance.now();
  let result: ReturnType<typeof validateText> | undefined;
  try {
    result = validateText(req.text, req.uri, { now: new Date(req.now), reader: 'fast', interrupted });
    post({ id: req.id, kind: 'issues', issues: result.issues, hasModel: !!result.model, ms: performance.now() - t0 });
  } catch (err) {
    if (err instanceof ValidationInterrupted) return post({ id: req.id, kind: 'interrupted' });
    // validateText never throws for an input; this is a bug of ours, reported as one finding
    post({ id: req.id, kind: 'issues', hasModel: false, ms: performance.now() - t0, issues: [{ ruleId: 'internal', severity: 'error', message: `Validation failed: ${err instanceof Error ? err.message : String(err)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, path: [] }] });
  }
  if (interrupted()) return post({ id: req.id, kind: 'interrupted' });
  const t1 = performance.now();
  const last = sent.get(req.uri) ?? {};
  const now: typeof last = { ...last };
  const msg: Extract<ValidationMessage, { kind: 'details' }> = { id: req.id, kind: 'details', ms: 0 };
  if (result) {
    const wire = encodeOutline(outline(result.source));
    if (!last.outline || !sameOutline(last.outline, wire)) msg.outline = now.outline = wire;
    // the explorer keeps the last tree that parsed while the text is broken
    if (result.source.doc.errors.length === 0) {
      const tree = explorerTree(result.source);
      const shape = JSON.stringify(tree.shape);
      if (shape !== last.shape) { msg.treeShape = tree.shape; now.shape = shape; }
      if (!sameInts(last.ranges, tree.ranges)) msg.treeRanges = now.ranges = tree.ranges;
    }
  } else if (last.outline?.names.length) {
    msg.outline = now.outline = encodeOutline([]);
  }
  sent.set(req.uri, now);
  msg.ms = performance.now() - t1;
  post(msg);
}

parentPort?.on('message', (msg: ValidationRequest | LanguageMessage | ValidationForget) => {
  if ('forget' in msg) {
    sent.delete(msg.forget);
    return;
  }
  if ('language' in msg) {
    let answer: LanguageAnswer | { op: 'error'; message: string };
    try {
      answer = language.answer(msg.language);
    } catch (err) {
      answer = { op: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    parentPort!.postMessage({ id: msg.id, answer } satisfies LanguageReply);
    if (idle) clearTimeout(idle);
    const uri = msg.language.uri;
    idle = setTimeout(() => language.prepare(uri), IDLE_MS);
    idle.unref();
    return;
  }
  validate(msg);
});
