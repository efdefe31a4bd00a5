import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { SourceDocument } from '../core/document';
import { explorerTree } from '../core/language/explorer-tree';
import { encodeOutline, outline, sameOutline, type OutlineWire } from '../core/language/outline';
import { LanguageService, type LanguageAnswer } from '../core/language/service';
import { validateSource, type ValidationResult } from '../core/validate';
import { ValidationInterrupted } from '../core/validate-interrupted';
import type { ValidationForget, ValidationMessage, ValidationRequest } from './validation-client';
import type { LanguageMessage, LanguageReply } from './validation-language';

/*
 * The editor's one worker thread (dist/validation-worker.js; the host's side is
 * validation-thread.ts): it validates (one version at a time; the host stops a stale one through
 * a shared word) and answers completion, hover, navigation and rename, on one copy of each
 * version's text and one parse of it, shared by the findings, the outline, the explorer's tree
 * and the index. A validation reads this thread's port between its steps (every thousand map
 * entries while it reads, before the schema and each rule) and answers the language requests
 * waiting there, so a completion never waits for a whole validation. The read-only fast YAML path
 * is allowed: nothing here writes.
 */
const language = new LanguageService();
/** Once requests pause, the newest version's index is built, so the next hover or rename finds it ready. */
const IDLE_MS = 300;
let idle: ReturnType<typeof setTimeout> | undefined;

/** Word 0 names the validation to stop (validation-client.ts). */
const control = (workerData as { control?: SharedArrayBuffer } | undefined)?.control;
const stopWord = control ? new Int32Array(control) : undefined;

/** What was last sent per document: only what differs goes again. */
const sent = new Map<string, { outline?: OutlineWire; shape?: string; ranges?: Int32Array }>();

/** Language requests that need a parse of their version: answered by the validation's parse when one comes, else by their own. */
const waiting: LanguageMessage[] = [];
/** Validation requests not started yet (the host sends one at a time). */
const queued: ValidationRequest[] = [];
/** True while this thread validates or parses: messages read meanwhile are only sorted. */
let busy = false;

const post = (m: ValidationMessage | LanguageReply) => parentPort!.postMessage(m);
const sameInts = (a: Int32Array | undefined, b: Int32Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

function answerLanguage(msg: LanguageMessage, interrupted?: () => boolean): void {
  let answer: LanguageAnswer | { op: 'error'; message: string };
  try {
    answer = language.answer(msg.language, interrupted);
  } catch (err) {
    // a newer version arrived while its own parse read this one
    if (err instanceof ValidationInterrupted) answer = { op: 'stale' };
    else answer = { op: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  post({ id: msg.id, answer });
  if (msg.language.op === 'close') return;
  if (idle) clearTimeout(idle);
  const uri = msg.language.uri;
  idle = setTimeout(() => prepareWhileIdle(uri), IDLE_MS);
  idle.unref();
}

/** The held version's index, built while nothing is asked; whatever arrives meanwhile stops its parse and goes first. */
function prepareWhileIdle(uri: string): void {
  if (busy) return;
  busy = true;
  try {
    language.prepare(uri, () => { drain(); return queued.length > 0 || waiting.length > 0; });
  } catch (err) {
    if (!(err instanceof ValidationInterrupted)) throw err;
  } finally {
    busy = false;
  }
  work();
}

/**
 * A message read now. A question whose version is parsed (or moot) is answered at once, even
 * between two steps of a validation; one that needs a parse waits for the validation's parse of
 * its version, or, when none comes, for its own.
 */
function accept(msg: ValidationRequest | LanguageMessage | ValidationForget): void {
  if ('forget' in msg) {
    sent.delete(msg.forget);
    return;
  }
  if ('language' in msg) {
    const req = msg.language;
    if (language.answerableWithoutParse(req)) return answerLanguage(msg);
    // its text is held now: a validation of the same version shares it
    if (req.text !== undefined) language.hold(req.uri, req.version, req.text);
    waiting.push(msg);
    return;
  }
  language.hold(msg.uri, msg.version, msg.text);
  queued.push(msg);
}

/** Between two steps of a validation or a parse: reads what came meanwhile and answers what it can. */
function drain(): void {
  for (let m = receiveMessageOnPort(parentPort!); m; m = receiveMessageOnPort(parentPort!)) accept(m.message as Parameters<typeof accept>[0]);
  for (let i = 0; i < waiting.length;) {
    if (language.answerableWithoutParse(waiting[i]!.language)) answerLanguage(waiting.splice(i, 1)[0]!);
    else i++;
  }
}

/** Validations first (their parse answers the questions about their version), then the questions left. */
function work(): void {
  if (busy) return;
  busy = true;
  try {
    for (;;) {
      const req = queued.shift();
      if (req) { run(req); drain(); continue; }
      const msg = waiting.shift();
      if (!msg) break;
      // its own parse, stopped when a newer version of the document arrives meanwhile
      answerLanguage(msg, () => { drain(); return language.isStale(msg.language); });
      drain();
    }
  } finally {
    busy = false;
  }
}

function run(req: ValidationRequest): void {
  const interrupted = () => { drain(); return !!stopWord && Atomics.load(stopWord, 0) === req.id; };
  const t0 = performance.now();
  let result: ValidationResult | undefined;
  try {
    const held = language.hold(req.uri, req.version, req.text);
    // a question about this version may have parsed it already
    let source = language.sourceOf(req.uri, req.version);
    if (!source) {
      source = new SourceDocument(held.text, req.uri, 'fast', interrupted);
      language.adopt(req.uri, req.version, source);
    }
    result = validateSource(source, { now: new Date(req.now), interrupted });
    post({ id: req.id, kind: 'issues', issues: result.issues, hasModel: !!result.model, ms: performance.now() - t0 });
  } catch (err) {
    if (err instanceof ValidationInterrupted) return post({ id: req.id, kind: 'interrupted' });
    // validateSource never throws for an input; this is a bug of ours, reported as one finding
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
    // a newer version waits for these too: stop between them
    if (interrupted()) return post({ id: req.id, kind: 'interrupted' });
    // the explorer keeps the last tree that parsed while the text is broken
    if (result.source.doc.errors.length === 0) {
      // the definitions listed once for the tree, completion and the index alike
      const symbols = language.sourceOf(req.uri, req.version) === result.source ? language.symbolsOf(req.uri, req.version) : undefined;
      const tree = explorerTree(result.source, symbols);
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

parentPort?.on('message', (msg: Parameters<typeof accept>[0]) => { accept(msg); work(); });
