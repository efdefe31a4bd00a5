import * as vscode from 'vscode';
import { isCancelled, isError } from '../core/errors';
import { log, redact } from './logger';
import type { DisposableOwner } from './owner';

/** A command as an object (Bicep's habit): its id, whether it needs a trusted workspace, and what it does. */
export interface Command {
  /** `landingZone.verbNoun`, declared in package.json. */
  id: string;
  /**
   * The command reads credentials or calls the cloud: refused in Restricted Mode. package.json
   * disables it there too (`enablement: isWorkspaceTrusted`); this is the check in code.
   */
  needsTrust?: boolean;
  run(...args: unknown[]): unknown;
}

/** A refusal with a reason the user should read (wrong organisation, nothing to apply …). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** The user cancelled (a dismissed prompt, the progress notification's Cancel): silent. The engine's own, from core. */
export { CancelledError } from '../core/errors';

// by name, not instanceof: the engine (dist/engine.js) and the CLI child carry their own copies of the classes
const isCancel = (err: unknown): boolean => isCancelled(err);

/** Registers every command behind one error boundary. */
export function registerCommands(owner: DisposableOwner, commands: readonly Command[]): void {
  for (const command of commands) {
    owner.own(vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommand(command, args)));
  }
}

async function runCommand(command: Command, args: unknown[]): Promise<unknown> {
  if (command.needsTrust && !vscode.workspace.isTrusted) {
    log().warn(`${command.id}: refused in Restricted Mode`);
    void vscode.window.showWarningMessage(
      'This Landing Zone command reads credentials or calls Scaleway, so it is disabled in Restricted Mode. Trust the workspace to use it.',
      'Manage Workspace Trust',
    ).then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  const t0 = Date.now();
  log().trace(`${command.id}: start`);
  try {
    const result = await command.run(...args);
    log().trace(`${command.id}: done in ${Date.now() - t0} ms`);
    return result;
  } catch (err) {
    if (isCancel(err)) {
      log().info(`${command.id}: cancelled`);
      return undefined;
    }
    const message = redact(err instanceof Error ? err.message : String(err));
    // a refusal, or a problem the user can fix, from the engine's bundle too: a warning, not an error
    if (isError(err, 'RefusedError') || isError(err, 'LockBusyError', 'LZ_LOCKED') || isError(err, 'OperationError', 'LZ_OPERATION') || isError(err, 'RefusedWriteError', 'LZ_REFUSED_WRITE')) {
      log().warn(`${command.id}: ${message}`);
      void vscode.window.showWarningMessage(message);
      return undefined;
    }
    log().error(`${command.id} failed`, err);
    void vscode.window.showErrorMessage(`Landing Zone: ${message}`, 'Show Log').then((c) => c && log().show());
    return undefined;
  }
}
