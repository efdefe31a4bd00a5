import { parentPort } from 'node:worker_threads';
import { outline } from '../core/language/outline';
import { validateText } from '../core/validate';
import type { ValidationRequest, ValidationResponse } from './validation-client';

/*
 * The editor's validation, off the extension host's thread (dist/validation-worker.js). It runs
 * one request at a time; the host cancels a stale one by terminating this worker, so nothing here
 * needs to check for cancellation. The read-only fast YAML path is allowed: nothing here writes.
 */
parentPort?.on('message', (req: ValidationRequest) => {
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
