import { join } from 'node:path';
import * as vscode from 'vscode';
import { cloudCommands } from './cloud-feature';
import { registerCommands, type Command } from './commands';
import { activateDiagnosticsFeature } from './diagnostics-feature';
import { activateDiagramFeature, type DiagramPanel } from './diagram-panel';
import { DocumentAnalyses } from './documents';
import { ValidationClient } from './validation-client';
import { drCommands } from './dr-feature';
import { activateExplorerFeature } from './explorer-feature';
import { activateLanguageFeature } from './language-feature';
import { log } from './logger';
import { DisposableOwner } from './owner';
import { activatePlanDiagramFeature } from './plan-diagram-feature';
import { planCommands } from './plan-feature';
import { Previews } from './previews';
import { profileCommands } from './profile-feature';
import { vscodePrompter, type Prompter, type PrompterHolder } from './prompts';
import { sandboxCommands } from './sandbox-feature';
import { ciCommands } from './ci-feature';
import { CloudState } from './cloud-state';
import { activateStatusBarFeature } from './status-bar-feature';

/** What the integration tests may reach (only in ExtensionMode.Test). */
export interface TestingApi {
  cloud: CloudState;
  explorerRoots(): { id: string; label: string; description?: string; children?: unknown[] }[];
  /** activate() itself (phase 1), and loading this bundle and registering everything (phase 2). */
  activationMs: number;
  phase2Ms: number;
  /** Answers the modal confirmations of Apply and restores (a test cannot click a modal dialog). */
  setPrompter(p: Prompter | undefined): void;
  /** The diagram panel open on a document: its plan mode and what it last sent its webview. */
  diagramPanel(uri: vscode.Uri): DiagramPanel | undefined;
}

/** What extension.ts (phase 1) hands over. */
export interface Phase1 {
  activationMs: number;
  /** Removes the placeholder commands just before the real ones are registered. */
  releasePlaceholders(): void;
}

/** The README that rule codes link to (its `### <rule-id>` sections). */
function readmeUrl(context: vscode.ExtensionContext): string {
  const pkg = context.extension.packageJSON as { homepage?: string; repository?: { url?: string } };
  const repo = pkg.homepage ?? pkg.repository?.url?.replace(/\.git$/, '').concat('/blob/main/README.md');
  return repo ?? 'https://example.invalid/scaleway-landing-zone/blob/main/README.md';
}

/**
 * Phase 2: everything that needs the engine's editor half (validation, IntelliSense, explorer,
 * status bar, commands, diagram). Loaded from dist/extension-main.js once a landing-zone document
 * is open or a command runs, never by activate() itself.
 */
export function activateMain(context: vscode.ExtensionContext, phase1: Phase1): TestingApi {
  const t0 = performance.now();
  const owner = new DisposableOwner();
  context.subscriptions.push(owner);

  const cloud = owner.own(new CloudState(context));
  // the editor's validation runs in a worker thread (dist/validation-worker.js, next to this bundle)
  const analyses = owner.own(new DocumentAnalyses(new ValidationClient({ script: join(__dirname, 'validation-worker.js') })));
  const prompts: PrompterHolder = { current: vscodePrompter };
  const previews = new Previews(owner);
  const debounceMs = vscode.workspace.getConfiguration('landingZone').get<number>('validation.debounceMs', 0);

  // context keys: the view shows once this phase runs; Stop Sandbox only while one runs
  void vscode.commands.executeCommand('setContext', 'landingZone.active', true);
  owner.own(cloud.onDidChange(() => void vscode.commands.executeCommand('setContext', 'landingZone.sandboxRunning', !!cloud.sandbox)));

  activateLanguageFeature(owner, { analyses, live: cloud.live });
  activateStatusBarFeature(owner, cloud);
  const diagnostics = activateDiagnosticsFeature(owner, { analyses, readmeUrl: readmeUrl(context), debounceMs });
  const explorer = activateExplorerFeature(owner, { cloud, analyses });

  const commands: Command[] = [
    ...diagnostics.commands,
    ...profileCommands(cloud),
    ...sandboxCommands(cloud, context.extensionUri),
    ...ciCommands(),
    ...cloudCommands(owner, { cloud, analyses, context }),
    ...planCommands({ cloud, analyses, prompts, previews, refreshDrift: () => Promise.resolve(vscode.commands.executeCommand('landingZone.detectDrift', { quiet: true })) }),
    ...drCommands({ extensionPath: context.extensionUri.fsPath, cloud, analyses, prompts, previews }),
    ...activatePlanDiagramFeature(owner, { cloud, analyses, previews, extensionPath: context.extensionUri.fsPath, storage: context.globalStorageUri, diagram: () => diagram }),
  ];
  // the diagram engineer's feature, behind the same error boundary; its command object is re-declared
  // here with its literal id so the manifest test sees that it is registered
  const diagramCommands: Command[] = [];
  const diagram = activateDiagramFeature(context, {
    validate: (doc) => analyses.drawing(doc),
    driftStates: (doc) => {
      const d = cloud.drift;
      if (!d || d.uri !== doc.uri.toString()) return undefined;
      // core's vocabulary and coverage, as `landing-zone drift --format json` gives the CLI's diagram
      return { states: d.states ?? Object.fromEntries([...d.resources].map(([id, s]) => [id, s.state])), checkedAt: d.checkedAt, coverage: d.coverage };
    },
    onDidChangeDrift: cloud.onDidChange,
    registerCommands: (cmds) => {
      const show = cmds.find((c) => c.id === 'landingZone.showDiagram');
      if (show) diagramCommands.push({ id: 'landingZone.showDiagram', run: (...args: unknown[]) => show.run(...args) });
    },
    log: log(),
  });

  phase1.releasePlaceholders();
  registerCommands(owner, [...commands, ...diagramCommands]);

  const phase2Ms = performance.now() - t0;
  log().info(`phase 2 (editor, commands, explorer) ready in ${phase2Ms.toFixed(1)} ms; activation itself took ${phase1.activationMs.toFixed(1)} ms`);
  return {
    cloud,
    explorerRoots: () => explorer.roots(),
    activationMs: phase1.activationMs,
    phase2Ms,
    setPrompter: (p) => { prompts.current = p ?? vscodePrompter; },
    diagramPanel: (uri) => diagram.panelFor(uri),
  };
}

