import * as vscode from 'vscode';
import { organizationMismatch, type ScalewayProfile } from '../scaleway/profiles';
import type { LandingZoneModel } from '../core/model';
import { RefusedError } from './commands';
import { landingZoneDocumentForCommand, type DocumentAnalyses } from './documents';
import { log } from './logger';
import type { Session } from './session';

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

/** The document, its valid model and the credentials a cloud command needs, or a refusal that says why. */
export interface CloudTarget {
  doc: vscode.TextDocument;
  model: LandingZoneModel;
  profile: ScalewayProfile;
}

export async function cloudTarget(session: Session, analyses: DocumentAnalyses): Promise<CloudTarget> {
  const doc = await landingZoneDocumentForCommand();
  if (!doc) throw new RefusedError('Open a landing-zone.yaml first (or put one at the root of the workspace).');
  const { model, issues } = analyses.validation(doc);
  const errors = issues.filter((i) => i.severity === 'error');
  if (!model || errors.length > 0) {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    throw new RefusedError(`${vscode.workspace.asRelativePath(doc.uri)} has ${errors.length || issues.length} error(s); fix them first (see the Problems panel).`);
  }
  const profile = await session.resolveProfile();
  const mismatch = organizationMismatch(model.spec.organization.id, profile);
  if (mismatch) throw new RefusedError(`Landing Zone: ${mismatch}.`);
  return { doc, model, profile };
}
