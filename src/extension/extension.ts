import { join } from 'node:path';
import * as vscode from 'vscode';
import { createLogger, log, setLogger } from './logger';
import type * as Main from './main';

/*
 * Phase 1 (vscode-eslint's habit): activate() loads nothing of the engine. It registers a placeholder
 * for every contributed command and waits for a landing-zone document; then (or on the first
 * command) it loads dist/extension-main.js — validation, IntelliSense, explorer, status bar, the real
 * commands — which replaces the placeholders. No parsing, no network, no file reads, no SDK here.
 */

const LANDING_ZONE = /(^|[\\/])([^\\/]+\.)?landing-zone\.ya?ml$/;
const isLandingZone = (d: vscode.TextDocument) => d.languageId === 'yaml' && LANDING_ZONE.test(d.uri.path);

export function activate(context: vscode.ExtensionContext): { testing?: Main.TestingApi } {
  const t0 = performance.now();
  const channel = vscode.window.createOutputChannel('Landing Zone', { log: true });
  context.subscriptions.push(channel);
  setLogger(createLogger(channel));
  const api: { testing?: Main.TestingApi } = {};

  const placeholders: vscode.Disposable[] = [];
  let loaded: Promise<Main.TestingApi> | undefined;
  const load = (): Promise<Main.TestingApi> => {
    loaded ??= new Promise<Main.TestingApi>((resolve, reject) => {
      try {
        const main = require(join(__dirname, 'extension-main.js')) as typeof Main;
        const testing = main.activateMain(context, {
          activationMs,
          releasePlaceholders: () => { for (const p of placeholders.splice(0)) p.dispose(); },
        });
        if (context.extensionMode === vscode.ExtensionMode.Test) api.testing = testing;
        resolve(testing);
      } catch (err) {
        log().error('loading the extension failed', err);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    return loaded;
  };

  // Every contributed command works from the start: its placeholder loads phase 2, then runs the real one.
  const contributed = ((context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
  for (const id of contributed) {
    const placeholder = vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await load();
      return vscode.commands.executeCommand(id, ...args);
    });
    placeholders.push(placeholder);
    context.subscriptions.push(placeholder);
  }

  if (vscode.workspace.textDocuments.some(isLandingZone)) setTimeout(() => void load().catch(() => undefined), 0);
  else {
    const sub = vscode.workspace.onDidOpenTextDocument((d) => {
      if (isLandingZone(d)) { sub.dispose(); void load().catch(() => undefined); }
    });
    context.subscriptions.push(sub);
  }

  const activationMs = performance.now() - t0;
  log().info(`activated in ${activationMs.toFixed(1)} ms (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode'})`);
  return api;
}

export function deactivate(): void {
  // everything is owned by context.subscriptions
}
