import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { simulateFailure } from '../core/diagram/failure';
import type { DiagramLayoutEngine } from '../core/diagram/layout';
import { buildOverlay } from '../core/diagram/overlay';
import { buildDiagram, countIssues, type DiagramBuild } from '../core/diagram/snapshot';
import type { DiagramOverlay, DriftState, FailureScenario, ReviewOverlay } from '../core/diagram/types';
import { diagramWebviewHtml } from '../core/diagram/webview-html';
import { nodeAtPath } from '../core/topology';
import { validateText, type ValidationResult } from '../core/validate';
import { parseMessage, snapshotMessage, webviewStateSchema, webviewToHost, type SnapshotMessage, type WebviewToHost } from '../protocol/diagram-messages';

/*
 * The diagram panel, host side. The webview only draws: this module validates the document, lays
 * it out (elkjs in the extension host, off the UI thread, loaded on first use), and pushes complete
 * snapshots — never deltas, since a hidden webview drops messages. Every message in both
 * directions goes through the zod schemas of src/protocol; anything else is dropped with a
 * debug line.
 */

const DIAGRAM_VIEW_TYPE = 'landingZone.diagram';

/** A command object (id + run), registered behind the editor's error boundary when it is given. */
export interface DiagramCommand {
  id: string;
  run(...args: unknown[]): unknown;
}

export interface DiagramFeatureDeps {
  /** Shared validation of a document's current text (the editor's cache); default: validate here. */
  validate?(doc: vscode.TextDocument): ValidationResult;
  /** Drift per resource id for a document once drift has run (`in-sync`, `changed`/`drifted`, `missing`, `unmanaged` …). */
  driftStates?(doc: vscode.TextDocument): { states: Record<string, string>; checkedAt?: string; coverage?: number } | undefined;
  /** Fires when the drift states may have changed. */
  onDidChangeDrift?: vscode.Event<unknown>;
  /** Registers the feature's commands behind the editor's error boundary; without it they are registered here. */
  registerCommands?(commands: DiagramCommand[]): void;
  log?: { trace(message: string): void; warn(message: string): void; error(message: string, err?: unknown): void };
  /** Delay between a keystroke and the redraw. */
  debounceMs?: number;
}

export interface DiagramFeature {
  commands: DiagramCommand[];
  /** Open panels by document URI (for tests). */
  panelFor(uri: vscode.Uri): DiagramPanel | undefined;
  /**
   * Draws a plan over the document's diagram: the panel the user has open (or a new one beside the
   * file) switches to plan mode until the user leaves it or the document changes.
   */
  showPlan(doc: vscode.TextDocument, plan: PlanOnDiagram): DiagramPanel;
}

/** A plan as the diagram draws it, and the document version it was computed for. */
export interface PlanOnDiagram {
  review: ReviewOverlay;
  /** Monthly price per project (group label), shown in each project's header. */
  costs?: Record<string, string>;
  version: number;
}

/** Registers the command, the panel serializer and the listeners that keep open diagrams live. */
export function activateDiagramFeature(context: vscode.ExtensionContext, deps: DiagramFeatureDeps = {}): DiagramFeature {
  const panels = new Map<string, DiagramPanel>();
  const own = <T extends vscode.Disposable>(d: T): T => { context.subscriptions.push(d); return d; };
  const log = deps.log ?? { trace: () => undefined, warn: () => undefined, error: () => undefined };

  const open = (doc: vscode.TextDocument, panel?: vscode.WebviewPanel): DiagramPanel => {
    const key = doc.uri.toString();
    const existing = panels.get(key);
    if (existing && !panel) { existing.reveal(); return existing; }
    const webviewPanel = panel ?? vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, `Diagram: ${basename(doc.uri)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context));
    const p = new DiagramPanel(context, webviewPanel, doc, deps, log);
    panels.set(key, p);
    p.onDispose(() => { if (panels.get(key) === p) panels.delete(key); });
    return p;
  };

  const showDiagram: DiagramCommand = {
    id: 'landingZone.showDiagram',
    async run(arg?: unknown) {
      const doc = await documentFor(arg);
      if (!doc) {
        void vscode.window.showInformationMessage('Open a landing-zone.yaml to see its diagram.');
        return;
      }
      open(doc);
    },
  };
  if (deps.registerCommands) deps.registerCommands([showDiagram]);
  else own(vscode.commands.registerCommand(showDiagram.id, async (...args: unknown[]) => {
    try {
      await showDiagram.run(...args);
    } catch (err) {
      log.error(`${showDiagram.id} failed`, err);
      void vscode.window.showErrorMessage(`Landing Zone diagram: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));

  // After a reload VS Code recreates the panel; its persisted state names the document.
  own(vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const uri = parseMessage(webviewStateSchema, state)?.documentUri;
      let doc: vscode.TextDocument | undefined;
      try {
        doc = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true)) : undefined;
      } catch {
        doc = undefined;
      }
      if (!doc) { panel.dispose(); return; }
      panel.webview.options = webviewOptions(context);
      open(doc, panel);
    },
  }));

  own(vscode.workspace.onDidChangeTextDocument((e) => panels.get(e.document.uri.toString())?.scheduleUpdate()));
  own(vscode.window.onDidChangeTextEditorSelection((e) => panels.get(e.textEditor.document.uri.toString())?.followCursor(e.textEditor)));
  if (deps.onDidChangeDrift) own(deps.onDidChangeDrift(() => { for (const p of panels.values()) p.scheduleUpdate(); }));
  own({ dispose: () => { for (const p of [...panels.values()]) p.dispose(); } });
  return {
    commands: [showDiagram],
    panelFor: (uri) => panels.get(uri.toString()),
    showPlan: (doc, plan) => { const p = open(doc); p.showPlan(plan); return p; },
  };
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // only the bundle and media: nothing else of the extension or the workspace is reachable
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    // the webview persists its own UI state (getState/setState) instead of staying alive hidden
    retainContextWhenHidden: false,
    enableFindWidget: false,
  };
}

async function documentFor(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isLandingZone(active)) return active;
  const open = vscode.workspace.textDocuments.find(isLandingZone);
  if (open) return open;
  const found = await vscode.workspace.findFiles('**/{landing-zone.yaml,landing-zone.yml,*.landing-zone.yaml}', '**/node_modules/**', 1);
  return found[0] ? vscode.workspace.openTextDocument(found[0]) : undefined;
}

const isLandingZone = (doc: vscode.TextDocument) => doc.languageId === 'yaml' && /(^|[\\/])([^\\/]+\.)?landing-zone\.ya?ml$/.test(doc.uri.path);
const basename = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.path;

const DRIFT_ALIASES: Record<string, DriftState> = { 'in-sync': 'in-sync', ignored: 'in-sync', changed: 'changed', drifted: 'changed', missing: 'missing', unmanaged: 'unmanaged' };

/** One diagram panel bound to one document. */
export class DiagramPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeListeners: (() => void)[] = [];
  private engine: Promise<DiagramLayoutEngine> | undefined;
  private lastGood: DiagramBuild | undefined;
  private lastResult: ValidationResult | undefined;
  private scenario: FailureScenario | undefined;
  private plan: PlanOnDiagram | undefined;
  private highlighted: string | undefined;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private disposed = false;
  private updating: Promise<void> = Promise.resolve();
  private posted: SnapshotMessage | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly panel: vscode.WebviewPanel,
    private readonly document: vscode.TextDocument,
    private readonly deps: DiagramFeatureDeps,
    private readonly log: NonNullable<DiagramFeatureDeps['log']>,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      // a hidden webview dropped what was posted meanwhile: show it the current snapshot again
      panel.onDidChangeViewState((e) => { if (e.webviewPanel.visible && this.ready) this.scheduleUpdate(0); }),
    );
  }

  get documentUri(): vscode.Uri {
    return this.document.uri;
  }

  onDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Plan mode: the plan over the live diagram, until `leavePlan` or an edit of the document. */
  showPlan(plan: PlanOnDiagram | undefined): void {
    this.plan = plan;
    if (plan) this.reveal();
    this.scheduleUpdate(0);
  }

  /** The plan the panel draws, if it is in plan mode (for tests). */
  get planShown(): PlanOnDiagram | undefined {
    return this.plan;
  }

  /** The last snapshot the webview was sent (for tests: what it draws). */
  get lastPosted(): SnapshotMessage | undefined {
    return this.posted;
  }

  /** A message as if the webview sent it, through the same checks (for tests: a click in the webview). */
  fromWebview(raw: unknown): void {
    this.receive(raw);
  }

  /** Redraw after the document settles (debounced). */
  scheduleUpdate(delay = this.deps.debounceMs ?? 300): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; this.updating = this.updating.then(() => this.update()); }, delay);
  }

  /** Moving the cursor in the YAML highlights the box it is in. */
  followCursor(editor: vscode.TextEditor): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const result = this.lastResult;
      const build = this.lastGood;
      if (!result || !build || this.disposed) return;
      const offset = editor.document.offsetAt(editor.selection.active);
      const id = nodeAtPath(build.topology, result.source.pathAt(offset).path);
      if (id === this.highlighted) return;
      this.highlighted = id;
      void this.post(this.snapshot(build, result));
    }, 120);
  }

  private html(): string {
    const webview = this.panel.webview;
    return diagramWebviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')).toString(),
      cssUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'diagram.css')).toString(),
    });
  }

  private async layoutEngine(): Promise<DiagramLayoutEngine> {
    // elkjs is loaded on the first diagram, never at activation
    this.engine ??= import('../core/diagram/layout').then((m) => new m.DiagramLayoutEngine());
    return this.engine;
  }

  private async update(): Promise<void> {
    if (this.disposed) return;
    // an edit since the plan: it no longer describes the file, the live diagram comes back
    if (this.plan && this.plan.version !== this.document.version) {
      this.log.trace('diagram: the document changed since the plan; back to the live diagram');
      this.plan = undefined;
    }
    const t0 = Date.now();
    const result = this.deps.validate?.(this.document) ?? validateText(this.document.getText(), this.document.uri.toString());
    const build = await buildDiagram(result, await this.layoutEngine());
    if (build) { this.lastGood = build; this.lastResult = result; }
    const shown = build ?? this.lastGood;
    if (!shown || !this.lastResult) {
      this.log.trace(`diagram: ${this.document.uri.toString()} has no valid model yet`);
      return;
    }
    await this.post(this.snapshot(shown, this.lastResult, !build, result));
    this.log.trace(`diagram: updated in ${Date.now() - t0} ms`);
  }

  private snapshot(build: DiagramBuild, result: ValidationResult, stale = false, current: ValidationResult = result): SnapshotMessage {
    const overlay = this.overlay(build);
    const failure = this.scenario && result.model ? simulateFailure(result.model, build.topology, this.scenario) : undefined;
    return {
      type: 'snapshot',
      seq: ++this.seq,
      documentUri: this.document.uri.toString(),
      layout: build.layout,
      decorations: {
        badges: build.badges,
        title: build.title,
        ...(overlay ? { overlay } : {}),
        ...(failure ? { failure } : {}),
        ...(this.highlighted ? { highlighted: this.highlighted } : {}),
        ...(this.plan ? { review: this.plan.review, ...(this.plan.costs ? { costs: this.plan.costs } : {}) } : {}),
      },
      counts: stale ? countIssues(current.issues) : build.counts,
      choices: build.choices,
      stale,
      ...(this.scenario ? { scenario: this.scenario } : {}),
    };
  }

  private overlay(build: DiagramBuild): DiagramOverlay | undefined {
    const drift = this.deps.driftStates?.(this.document);
    if (!drift) return undefined;
    const entries = Object.entries(drift.states).flatMap(([id, s]) => {
      const state = DRIFT_ALIASES[s.toLowerCase()];
      return state ? [{ id, state }] : [];
    });
    const overlay = buildOverlay(entries, build.topology, drift.checkedAt);
    return drift.coverage === undefined ? overlay : { ...overlay, coverage: drift.coverage };
  }

  private async post(message: SnapshotMessage): Promise<void> {
    if (this.disposed || !this.ready) return;
    // outgoing messages are checked too: a bug here must not reach the webview as a strange shape
    const checked = parseMessage(snapshotMessage, message);
    if (!checked) { this.log.error('diagram: refused to post a snapshot that does not match the protocol'); return; }
    if (await this.panel.webview.postMessage(checked)) this.posted = checked;
  }

  private receive(raw: unknown): void {
    const message = parseMessage(webviewToHost, raw);
    if (!message) { this.log.trace('diagram: dropped an invalid message from the webview'); return; }
    void this.handle(message).catch((err: unknown) => this.log.error(`diagram: ${message.type} failed`, err));
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.scheduleUpdate(0);
        return;
      case 'reveal': {
        const r = message.range;
        const range = this.document.validateRange(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
        const editor = await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'simulate':
        this.scenario = message.scenario ?? undefined;
        this.scheduleUpdate(0);
        return;
      case 'leavePlan':
        this.showPlan(undefined);
        return;
      case 'viewport': {
        // the panel's shape sets the number of columns; a small change of shape is not worth a new picture
        const aspect = Math.min(4, Math.max(0.4, message.width / message.height));
        const engine = await this.layoutEngine();
        if (Math.abs(Math.log(aspect / engine.aspect)) < 0.1) return;
        engine.aspect = aspect;
        this.scheduleUpdate(0);
        return;
      }
      case 'export': {
        const name = basename(this.document.uri).replace(/\.ya?ml$/, '');
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(this.document.uri, '..', `${name}.${message.format}`),
          filters: message.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
        });
        if (!target) return; // cancelled: silent
        const bytes = message.format === 'svg' ? new TextEncoder().encode(message.data) : Buffer.from(message.data, 'base64');
        await vscode.workspace.fs.writeFile(target, bytes);
        void vscode.window.showInformationMessage(`Diagram saved to ${vscode.workspace.asRelativePath(target)}.`);
        return;
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    for (const l of this.disposeListeners.splice(0)) l();
  }
}
