import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox } from '../../../src/sandbox/server';
import { mulberry32 } from '../../../src/sandbox/prng';
import { driftOf, duplicates, EXAMPLE_UNREAD, exampleText, planAndApply, sandboxEnv, sandboxProfile } from './helpers';
import type { DriftReport } from '../../../src/core/drift';

/** Nothing differs, and nothing is unread but what the example is known to leave unread (SSO). */
const settled = (r: DriftReport) => r.verdict === 'in-sync' || r.verdict === 'accepted-not-checked';

/*
 * Trials shared by the engine tests (a few) and bench/faults.ts (all twenty): apply the example
 * under injected faults, and kill -9 an apply at a random step then resume it.
 */

export interface TrialResult {
  seed: number;
  ok: boolean;
  detail: string;
  ms: number;
}

/** Apply under 10 % 429 + 10 % 503 + 2 % resets, then check convergence, duplicates and orphans. */
export async function faultTrial(seed: number): Promise<TrialResult> {
  const t0 = Date.now();
  const sb = await startSandbox({ transitionMs: 15, faults: { rate429: 0.1, rate503: 0.1, rateReset: 0.02, seed } });
  try {
    const profile = await sandboxProfile(sb);
    const text = exampleText(sb);
    let status = '';
    // a run may leave operations failed after its retries: apply again, as a user would
    for (let run = 1; run <= 3; run += 1) {
      const { result } = await planAndApply(profile, text);
      status += `${run}:${result.status}(${result.failed.length} failed) `;
      if (result.status === 'completed') break;
    }
    sb.setFaults({});
    const drift = await driftOf(profile, text, EXAMPLE_UNREAD);
    const dups = duplicates(sb);
    const orphans = drift.entries.filter((e) => e.status === 'unmanaged').map((e) => e.id);
    const ok = settled(drift) && dups.length === 0 && orphans.length === 0 && sb.state.list('lb.backend').length === 3;
    return { seed, ok, detail: `${status}inSync=${settled(drift)}${settled(drift) ? '' : ` (${drift.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked').map((e) => `${e.status} ${e.id} ${JSON.stringify(e.changes ?? '')}`).join('; ')})`} dups=${dups.join(',')} orphans=${orphans.join(',')} faults=${sb.requestLog.filter((r) => r.status === 429 || r.status === 503 || r.status === 0).length}/${sb.requestLog.length}`, ms: Date.now() - t0 };
  } finally {
    await sb.close();
  }
}

// one process (tsx's CLI would run the script in a grandchild that a kill -9 of the child misses)
// --import (not --require): the CLI loads its commands with import(), which needs tsx's ESM hooks too
const CLI = ['--import', pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href, resolve('src/cli/main.ts')];

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv, killWhen?: (journal: string) => boolean, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    let timer: NodeJS.Timeout | undefined;
    if (killWhen) {
      const journal = join(cwd, '.landing-zone/journal.jsonl');
      timer = setInterval(() => {
        const text = existsSync(journal) ? readFileSync(journal, 'utf8') : '';
        if (killWhen(text)) {
          clearInterval(timer);
          child.kill(signal);
        }
      }, 5);
    }
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      res({ code, signal, err });
    });
  });
}

/** kill -9 the CLI's apply when the journal shows a random number of started operations, then apply again. */
export async function killTrial(seed: number): Promise<TrialResult> {
  const t0 = Date.now();
  const sb = await startSandbox({ transitionMs: 15 });
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'lz-kill-'));
    writeFileSync(join(cwd, 'landing-zone.yaml'), exampleText(sb));
    const env = { ...sandboxEnv(sb), LZ_DEBUG: '1' };
    const killAt = 1 + Math.floor(mulberry32(seed)() * 67);
    const first = await runCli(['apply', '--yes'], cwd, env, (j) => (j.match(/"event":"op-start"/g)?.length ?? 0) >= killAt);
    const killed = first.signal === 'SIGKILL';
    const second = await runCli(['apply', '--yes'], cwd, env);
    const resumed = /interrupted after/.test(second.err);
    const profile = await sandboxProfile(sb);
    const drift = await driftOf(profile, exampleText(sb), EXAMPLE_UNREAD);
    const dups = duplicates(sb);
    const ok = second.code === 0 && settled(drift) && dups.length === 0 && (!killed || resumed);
    return { seed, ok, detail: `killed at op ${killAt}: ${killed ? 'SIGKILL' : `exited ${String(first.code)}`}; resume exit ${String(second.code)}${resumed ? ' (resumed)' : ''}; inSync=${settled(drift)}${settled(drift) ? '' : ` (${drift.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked').map((e) => `${e.status} ${e.id} ${JSON.stringify(e.changes ?? '')}`).join('; ')})`}; dups=${dups.join(',') || 0}${second.code !== 0 ? `; ${second.err.slice(-400)}` : ''}`, ms: Date.now() - t0 };
  } finally {
    await sb.close();
  }
}

/** Ctrl-C (SIGINT) during an apply: exit 130, running operations finished, journal consistent; then resume. */
export async function interruptTrial(): Promise<TrialResult> {
  const t0 = Date.now();
  const sb = await startSandbox({ transitionMs: 30 });
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'lz-int-'));
    writeFileSync(join(cwd, 'landing-zone.yaml'), exampleText(sb));
    const env = sandboxEnv(sb);
    const first = await runCli(['apply', '--yes'], cwd, env, (j) => (j.match(/"event":"op-start"/g)?.length ?? 0) >= 10, 'SIGINT');
    const events = readFileSync(join(cwd, '.landing-zone/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; id?: string; action?: string; status?: string });
    const started = events.filter((e) => e.event === 'op-start').map((e) => `${e.action} ${e.id}`);
    const ended = new Set(events.filter((e) => e.event === 'op-done' || e.event === 'op-failed').map((e) => `${e.action} ${e.id}`));
    const dangling = started.filter((k) => !ended.has(k));
    const end = events.at(-1);
    const second = await runCli(['apply', '--yes'], cwd, env);
    const drift = await driftOf(await sandboxProfile(sb), exampleText(sb), EXAMPLE_UNREAD);
    const ok = first.code === 130 && end?.event === 'run-end' && end.status === 'interrupted' && dangling.length === 0 && second.code === 0 && settled(drift) && duplicates(sb).length === 0;
    return { seed: 0, ok, detail: `first exit ${String(first.code)}, last journal event ${end?.event ?? '-'} ${end?.status ?? ''}, dangling ${dangling.length}; resume exit ${String(second.code)}; inSync=${settled(drift)}`, ms: Date.now() - t0 };
  } finally {
    await sb.close();
  }
}
