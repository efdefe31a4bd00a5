import { parentPort } from 'node:worker_threads';
import { outline } from '../core/language/outline';
import { LanguageService, type LanguageAnswer } from '../core/language/service';
import { validateText } from '../core/validate';
import type { ValidationRequest, ValidationResponse } from './validation-client';
import type { LanguageMessage, LanguageReply } from './validation-language';

/*
 * The editor's validation and language answers, off the extension host's thread
 * (dist/validation-worker.js). The host starts two of these: one validates (one request at a time;
 * the host cancels a stale one by terminating it, so nothing here checks for cancellation), the
 * other holds each document's index and answers completion, hover, navigation and rename, so that
 * parsing a large file never blocks typing. The read-only fast YAML path is allowed: nothing here
 * writes.
 */
const language = new LanguageService();
/** Once requests pause, the newest version's index is built, so the next hover or rename finds it ready. */
const IDLE_MS = 300;
let idle: ReturnType<typeof setTimeout> | undefined;

parentPort?.on('message', (msg: ValidationRequest | LanguageMessage) => {
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
  const req = msg;
  const t0 = performance.now();
  let res: ValidationResponse;
  try {
    const result = validateText(req.text, req.uri, { now: new Date(req.now), reader: 'fast' });
    res = { id: req.id, uri: req.uri, version: req.version, issues: result.issues, outline: outline(result.source), hasModel: !!result.model, ms: performance.now() - t0 };
  } catch (err) {
    // validateText never throws for an input; this is a bug of ours, reported as one finding
    res = { id: req.id, uri: req.uri, version: req.version, issues: [{ ruleId: 'internal', severity: 'error', message: `Validation failed: ${err instanceof Error ? err.message : String(err)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, path: [] }], outline: [], hasModel: false, ms: performance.now() - t0 };
  }
  parentPort!.postMessage(res);
});
