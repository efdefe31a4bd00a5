import * as vscode from 'vscode';
import { cloudCommands } from './cloud-feature';
import { registerCommands, type Command } from './commands';
import { activateDiagnosticsFeature } from './diagnostics-feature';
import { DocumentAnalyses, isLandingZoneDocument } from './documents';
import { activateExplorerFeature } from './explorer-feature';
import { activateLanguageFeature } from './language-feature';
import { createLogger, log, setLogger } from './logger';
import { DisposableOwner } from './owner';
import { drCommands } from './dr-feature';
import { planCommands } from './plan-feature';
import { Previews } from './previews';
import { profileCommands } from './profile-feature';
import { vscodePrompter, type Prompter, type PrompterHolder } from './prompts';
import { sandboxCommands } from './sandbox-feature';
import { Session } from './session';
import { activateStatusBarFeature } from './status-bar-feature';

/** What the integration tests may reach (only in ExtensionMode.Test). */
export interface TestingApi {
  session: Session;
  explorerRoots(): { id: string; label: string; description?: string; children?: unknown[] }[];
  activationMs: number;
  /** Answers the modal confirmations of Apply (a test cannot click a modal dialog). */
  setPrompter(p: Prompter | undefined): void;
}

/** The README that rule codes link to (its `### <rule-id>` sections). */
function readmeUrl(context: vscode.ExtensionContext): string {
  const pkg = context.extension.packageJSON as { homepage?: string; repository?: { url?: string } };
  const repo = pkg.homepage ?? pkg.repository?.url?.replace(/\.git$/, '').concat('/blob/main/README.md');
  return repo ?? 'https://example.invalid/scaleway-landing-zone/blob/main/README.md';
}

/**
 * Two phases (vscode-eslint's habit). Phase 1, here: register commands and providers — cheap, no
 * parsing, no network, no file reads, no SDK. Phase 2, once a landing-zone document is open:
 * validate it and fill the explorer.
 */
export function activate(context: vscode.ExtensionContext): { testing?: TestingApi } {
  const t0 = performance.now();
  const channel = vscode.window.createOutputChannel('Landing Zone', { log: true });
  context.subscriptions.push(channel);
  setLogger(createLogger(channel));
  const owner = new DisposableOwner();
  context.subscriptions.push(owner);

  const session = owner.own(new Session(context));
  const prompts: PrompterHolder = { current: vscodePrompter };
  const previews = new Previews(owner);
  const analyses = owner.own(new DocumentAnalyses());
  const debounceMs = vscode.workspace.getConfiguration('landingZone').get<number>('validation.debounceMs', 250);

  // context keys: the view shows in workspaces with a landing zone; Stop Sandbox only while one runs
  void vscode.commands.executeCommand('setContext', 'landingZone.active', true);
  owner.own(session.onDidChange(() => void vscode.commands.executeCommand('setContext', 'landingZone.sandboxRunning', !!session.sandbox)));

  activateLanguageFeature(owner, { analyses, live: session.live });
  activateStatusBarFeature(owner, session);
  const diagnostics = activateDiagnosticsFeature(owner, { analyses, readmeUrl: readmeUrl(context), debounceMs, deferInitial: true });

  let explorer: { roots(): ReturnType<TestingApi['explorerRoots']> } | undefined;
  const phase2 = () => {
    if (explorer) return;
    explorer = activateExplorerFeature(owner, { session, analyses });
    diagnostics.validateOpenDocuments();
  };
  const commands: Command[] = [
    ...diagnostics.commands,
    ...profileCommands(session),
    ...sandboxCommands(session, context.extensionUri),
    ...cloudCommands(owner, { session, analyses, context }),
    ...planCommands({ session, analyses, prompts, previews, refreshDrift: () => Promise.resolve(vscode.commands.executeCommand('landingZone.detectDrift', { quiet: true })) }),
    ...drCommands({ session, analyses, prompts, previews }),
  ];
  registerCommands(owner, commands);

  // Phase 2 starts after activate() returns: at once when a landing zone is open, else on the first one.
  if (vscode.workspace.textDocuments.some(isLandingZoneDocument)) setTimeout(phase2, 0);
  else {
    const sub = owner.own(vscode.workspace.onDidOpenTextDocument((d) => { if (isLandingZoneDocument(d)) { sub.dispose(); phase2(); } }));
  }
  // The explorer view may be opened before any file: fill it then.
  owner.own(vscode.window.onDidChangeVisibleTextEditors(() => { if (!explorer && vscode.window.visibleTextEditors.some((e) => isLandingZoneDocument(e.document))) phase2(); }));

  const activationMs = performance.now() - t0;
  log().info(`activated in ${activationMs.toFixed(1)} ms (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode'})`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return {};
  return {
    testing: {
      session,
      explorerRoots: () => { phase2(); return explorer?.roots() ?? []; },
      activationMs,
      setPrompter: (p) => { prompts.current = p ?? vscodePrompter; },
    },
  };
}

export function deactivate(): void {
  // everything is owned by context.subscriptions
}
