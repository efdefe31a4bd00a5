import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { ScalewayProfile } from '../scaleway/profiles';
import type { Session as EngineSession } from '../scaleway/session';
import { loadEngine } from './engine-loader';
import { interruptedNotice, type RunState } from '../core/journal';
import type { LandingZoneModel } from '../core/model';
import { RefusedError } from './commands';
import { landingZoneDocumentForCommand, type DocumentAnalyses } from './documents';
import { log } from './logger';
import type { CloudState } from './cloud-state';

/** What a long operation gets: a cancellation signal and a way to say which step it is on. */
export interface OperationContext {
  signal: AbortSignal;
  step(message: string, increment?: number): void;
}

/**
 * Runs a long operation under a cancellable progress notification. Each step goes to the
 * notification and to the log; Cancel aborts the signal, which the engine honours between calls.
 */
export function withOperation<T>(title: string, work: (op: OperationContext) => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Landing Zone: ${title}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await work({
          signal: controller.signal,
          step: (message, increment) => {
            log().info(`${title}: ${message}`);
            progress.report({ message, increment });
          },
        });
      } finally {
        sub.dispose();
      }
    },
  ));
}

/** The document, the engine's session on its text (validated, desired resources, regions) and the credentials a cloud command needs. */
export interface CloudTarget {
  doc: vscode.TextDocument;
  model: LandingZoneModel;
  profile: ScalewayProfile;
  /** The engine's one entry point (openSession), as the CLI opens it: same gate, same regions, same defaults. */
  engine: EngineSession;
}

/**
 * Opens the engine's session on the document's text (unsaved edits included) with the selected
 * credentials, or refuses saying why: the same gate as the CLI (syntax, schema and semantic errors
 * stop; policy findings do not), the same organisation check.
 */
export async function cloudTarget(cloud: CloudState, _analyses?: DocumentAnalyses): Promise<CloudTarget> {
  const doc = await landingZoneDocumentForCommand();
  if (!doc) throw new RefusedError('Open a landing-zone.yaml first (or put one at the root of the workspace).');
  const profile = await cloud.resolveProfile();
  const { openSession } = await loadEngine();
  const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path || 'landing-zone.yaml';
  const opened = await openSession({ file, cwd: dirname(file), text: doc.getText(), resolved: profile });
  if (!opened.ok) {
    if (/error\(s\); fix them first/.test(opened.message)) void vscode.commands.executeCommand('workbench.actions.view.problems');
    throw new RefusedError(`Landing Zone: ${opened.message}`);
  }
  return { doc, model: opened.session.model, profile, engine: opened.session };
}

/**
 * Runs `work` holding the organisation's lock (the one the CLI takes): refused, naming the holder,
 * when another apply, rotation or restore of the organisation runs, in this editor or elsewhere.
 */
export async function withOrganizationLock<T>(t: CloudTarget, command: string, work: () => Promise<T>): Promise<T> {
  if (t.doc.uri.scheme !== 'file') throw new RefusedError(`${command} keeps its journal and lock next to landing-zone.yaml: save the file to disk first.`);
  const { lockOrganization, describeHolder, interruptedRuns } = await loadEngine();
  const lock = await lockOrganization(t.engine, command, {
    surface: 'vscode',
    onTakeover: (h) => log().warn(`${command}: taking over the lock of ${describeHolder(h)}: that process is no longer running`),
  });
  try {
    // read after the lock, as the CLI does: a run that ended while this one waited is not "interrupted"
    showInterrupted(interruptedRuns(t.engine.file, t.profile.organizationId), command);
    return await work();
  } finally {
    await lock.release();
  }
}

/**
 * The engine's one notice (core/journal.ts) of each run of the organisation that was interrupted —
 * an apply, a rotation or a restore, from this editor or the CLI — in the log and a notification.
 */
export function showInterrupted(runs: readonly RunState[], command: string): void {
  for (const run of runs) {
    const notice = interruptedNotice(run);
    log().info(`${command}: ${notice}`);
    void vscode.window.showInformationMessage(`Landing Zone: ${notice}.`);
  }
}
