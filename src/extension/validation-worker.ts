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

/** Language requests read during a validation that need a parse the validation is making (or will make): answered once it has. */
const waiting: LanguageMessage[] = [];
/** Validation requests read during a validation (the host sends one at a time, so rarely any). */
const queued: ValidationRequest[] = [];
/** True while a validation runs: a language request that needs a parse waits for it to end. */
let validating = false;

const post = (m: ValidationMessage | LanguageReply) => parentPort!.postMessage(m);
const sameInts = (a: Int32Array | undefined, b: Int32Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

function answerLanguage(msg: LanguageMessage): void {
  let answer: LanguageAnswer | { op: 'error'; message: string };
  try {
    answer = language.answer(msg.language);
  } catch (err) {
    answer = { op: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  post({ id: msg.id, answer });
  if (msg.language.op === 'close') return;
  if (idle) clearTimeout(idle);
  const uri = msg.language.uri;
  idle = setTimeout(() => language.prepare(uri), IDLE_MS);
  idle.unref();
}

/** A message read now; during a validation, a question that would need another parse waits. */
function handle(msg: ValidationRequest | LanguageMessage | ValidationForget): void {
  if ('forget' in msg) {
    sent.delete(msg.forget);
    return;
  }
  if ('language' in msg) {
    if (validating && !language.answerableWithoutParse(msg.language)) {
      // its text is held now, so a validation of the same version shares it
      if (msg.language.text !== undefined) language.hold(msg.language.uri, msg.language.version, msg.language.text);
      waiting.push(msg);
    } else answerLanguage(msg);
    return;
  }
  if (validating) queued.push(msg);
  else validate(msg);
}

/** Between two steps of a validation: the questions that came meanwhile, then whether to stop. */
function checkpoint(req: ValidationRequest): boolean {
  for (let m = receiveMessageOnPort(parentPort!); m; m = receiveMessageOnPort(parentPort!)) handle(m.message as Parameters<typeof handle>[0]);
  for (let i = 0; i < waiting.length;) {
    if (language.answerableWithoutParse(waiting[i]!.language)) answerLanguage(waiting.splice(i, 1)[0]!);
    else i++;
  }
  return !!stopWord && Atomics.load(stopWord, 0) === req.id;
}

function validate(req: ValidationRequest): void {
  validating = true;
  try {
    run(req);
  } finally {
    validating = false;
  }
  // what waited for this run's parse or for the run to end
  for (const m of waiting.splice(0)) answerLanguage(m);
  const next = queued.splice(0);
  for (const r of next) validate(r);
}

function run(req: ValidationRequest): void {
  const interrupted = () => checkpoint(req);
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
    // the explorer keeps the last tree that parsed while the text is broken
    if (result.source.doc.errors.length === 0) {
      // the index's symbols: built once for the tree, hover, completion and rename alike
      const index = language.indexOf(req.uri, req.version);
      const tree = explorerTree(result.source, index?.source === result.source ? index.symbols : undefined);
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

parentPort?.on('message', handle);
