import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { bundledSnapshot } from '../core/catalog';
import { estimateCost, euros, monthlyDelta } from '../core/cost/estimate';
import { planCost } from '../core/cost/plan-cost';
import { buildPriceBook, bundledProductCatalog, describePrice, nodeTypePrice, type PriceBook } from '../core/cost/price-book';
import { desiredResources as desiredOf } from '../core/desired';
import { renderDiagram, toSvgString } from '../core/diagram/render';
import { planReview } from '../core/diagram/review';
import { buildDiagram } from '../core/diagram/snapshot';
import { planOneLine } from '../core/language/plan-preview';
import type { DesiredResource } from '../core/state';
import { validateText } from '../core/validate';
import { CancelledError, RefusedError, type Command } from './commands';
import type { DocumentAnalyses } from './documents';
import type { DiagramFeature } from './diagram-panel';
import { planDiagramHtml } from './plan-diagram-html';
import { log } from './logger';
import { cloudTarget, withOperation } from './operations';
import { computePlan } from './plan-feature';
import type { DisposableOwner } from './owner';
import type { Previews } from './previews';
import type { CloudState } from './cloud-state';
import { runCli } from './cli-runner';

/*
 * "Show Plan on Diagram": the plan (Plan's own: the engine's readPlan with the live-catalog check) drawn over the diagram —
 * created, updated with the changed fields in each box's hover, deleted, unchanged — with the
 * legend, the monthly price per project and the plan's +€ / month. The picture is the same SVG the
 * CLI writes (`landing-zone diagram --plan`), drawn with the editor's theme colours. The plan
 * preview carries a lens that opens it. Prices come from the bundled catalog snapshot, whose date
 * the legend's cost line names; node types show their price in hover and completion.
 */

const SHOW_PLAN_ON_DIAGRAM = 'landingZone.showPlanOnDiagram';

export interface PlanDiagramDeps {
  cloud: CloudState;
  analyses: DocumentAnalyses;
  previews: Previews;
  /** The extension's folder (dist/cli.js runs the three-way diff, which needs git). */
  extensionPath: string;
  /** Where the review's Markdown and picture are written. */
  storage: vscode.Uri;
  /** The live diagram panels: the plan is drawn over the diagram the user has open. */
  diagram?: () => Pick<DiagramFeature, 'showPlan'> | undefined;
}

/** What the git extension's API gives us (vscode.git, API version 1), the little we use. */
interface GitApi {
  getRepository(uri: vscode.Uri): {
    log(options: { path?: string; maxEntries?: number }): Promise<{ hash: string; message: string; authorDate?: Date }[]>;
    show(ref: string, path: string): Promise<string>;
  } | null;
}

/** VS Code's git, if it is on and the document is in a repository (no prompt, no error). */
async function gitRepository(uri: vscode.Uri): Promise<ReturnType<GitApi['getRepository']>> {
  if (uri.scheme !== 'file') return null;
  const gitExt = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (!gitExt) return null;
  const git = (gitExt.isActive ? gitExt.exports : await gitExt.activate()).getAPI(1);
  return git.getRepository(uri);
}

/**
 * The declared resources of the committed file (HEAD), so that the plan's changes the file did not
 * make since are drawn as drift repaired, as `landing-zone diagram --plan --base HEAD` does.
 * Undefined without git, for a new file, or when the committed file does not validate.
 */
async function committedResources(uri: vscode.Uri): Promise<DesiredResource[] | undefined> {
  try {
    const repo = await gitRepository(uri);
    if (!repo) return undefined;
    const model = validateText(await repo.show('HEAD', uri.fsPath), uri.toString()).model;
    return model ? desiredOf(model) : undefined;
  } catch (err) {
    log().trace(`plan on diagram: no committed version of ${uri.fsPath} (${err instanceof Error ? err.message : String(err)})`);
    return undefined;
  }
}

let book: PriceBook | undefined;
const priceBook = () => (book ??= buildPriceBook(bundledProductCatalog(), bundledSnapshot()));

export function activatePlanDiagramFeature(owner: DisposableOwner, deps: PlanDiagramDeps): Command[] {
  let panel: vscode.WebviewPanel | undefined;
  const showSvg = (title: string, svg: string) => {
    if (!panel) {
      panel = vscode.window.createWebviewPanel('landingZone.planDiagram', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableCommandUris: false, localResourceRoots: [] });
      owner.own(panel.onDidDispose(() => { panel = undefined; }));
    }
    panel.title = title;
    panel.webview.html = planDiagramHtml(svg, panel.webview.cspSource, randomBytes(16).toString('base64'));
    panel.reveal(vscode.ViewColumn.Beside, true);
  };

  const show: Command = {
    id: 'landingZone.showPlanOnDiagram',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(deps.cloud, deps.analyses);
      // the version the plan is computed from: an edit meanwhile makes it stale, and the panel leaves plan mode
      const version = t.doc.version;
      const result = await withOperation('Plan on diagram', async (op) => {
        // the one engine path (openSession → readPlan), with its live-catalog check: the plan hash `landing-zone plan` gives
        const { plan, inventory } = await computePlan(t, op);
        const desired = t.engine.desired;
        op.step('drawing…');
        const validation = deps.analyses.validation(t.doc);
        const { DiagramLayoutEngine } = await import('../core/diagram/layout');
        const build = await buildDiagram(validation, new DiagramLayoutEngine());
        if (!build) throw new RefusedError('the file has syntax or schema errors and cannot be drawn');
        const cost = planCost(plan, desired, inventory, priceBook());
        const costs = Object.fromEntries(Object.entries(estimateCost(desired, priceBook()).byProject).filter(([, c]) => c.priced > 0).map(([p, c]) => [p, `${euros(c.eurPerMonth)}/mo`]));
        const base = await committedResources(t.doc.uri);
        const review = planReview(plan, build.topology, { costDelta: monthlyDelta(cost.eurPerMonth), declared: desired, notChecked: inventory.notChecked, ...(base ? { base } : {}) });
        return { plan, build, review, costs };
      });
      // over the live diagram the user has open (or opens beside the file); its own panel only
      // where the diagram feature is not there
      const diagram = deps.diagram?.();
      if (diagram) diagram.showPlan(t.doc, { review: result.review, costs: result.costs, version });
      else showSvg(`Plan on Diagram: ${t.model.spec.organization.name}`, toSvgString(renderDiagram(result.build.layout, { badges: result.build.badges, title: result.build.title, review: result.review, costs: result.costs }, { detail: 'full' })));
      log().info(`plan on diagram ${result.plan.planHash.slice(0, 12)}: ${result.review.title}`);
      return { planHash: result.plan.planHash, summary: planOneLine(result.plan), title: result.review.title, states: result.review.states, panel: diagram ? 'diagram' : 'plan' };
    },
  };

  const review: Command = {
    id: 'landingZone.reviewChange',
    needsTrust: true,
    async run() {
      const t = await cloudTarget(deps.cloud, deps.analyses);
      if (t.doc.uri.scheme !== 'file') throw new RefusedError('Review Change needs the file on disk, in a git repository.');
      // the revisions come from VS Code's git extension; git itself runs in the CLI
      const repo = await gitRepository(t.doc.uri);
      if (!repo) throw new RefusedError(`${vscode.workspace.asRelativePath(t.doc.uri)} is not in a git repository (or VS Code's git is off): there is no revision to compare with. Detect Drift compares the file with the account alone.`);
      const commits = await repo.log({ path: t.doc.uri.fsPath, maxEntries: 30 });
      const pick = await vscode.window.showQuickPick([
        { label: '$(git-merge) Merge base with the default branch', description: 'what a merge request reviews', base: undefined as string | undefined },
        ...commits.map((c) => ({ label: `$(git-commit) ${c.hash.slice(0, 10)}`, description: c.message.split('\n')[0], detail: c.authorDate?.toISOString().slice(0, 16).replace('T', ' '), base: c.hash })),
      ], { title: 'Compare the file at which revision with the file now and the account?' });
      if (!pick) throw new CancelledError();
      const dir = vscode.Uri.joinPath(deps.storage, 'review');
      await vscode.workspace.fs.createDirectory(dir);
      const md = vscode.Uri.joinPath(dir, 'review.md');
      const svg = vscode.Uri.joinPath(dir, 'review.svg');
      const file = t.doc.uri.fsPath;
      const args = ['diff', '--file', file, ...(pick.base ? ['--base', pick.base] : []), '--format', 'markdown', '--picture', svg.fsPath, '--out', md.fsPath];
      const progress: string[] = [];
      const run = await withOperation('Review Change', (op) => runCli(deps.extensionPath, args, { cwd: vscode.Uri.joinPath(t.doc.uri, '..').fsPath, profile: t.profile, signal: op.signal, onProgress: (l) => { progress.push(l); op.step(l); } }));
      if (run.code !== 0 && run.code !== 3) throw new RefusedError(`Review Change: ${progress.at(-1) ?? `the CLI exited with ${run.code}`}`);
      const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(md));
      await deps.previews.show(`review-${t.model.spec.organization.name}`, markdown);
      // the CLI's SVG pins light colours in its own <style>: the panel's CSS (editor theme) replaces it
      const picture = new TextDecoder().decode(await vscode.workspace.fs.readFile(svg)).replace(/<\?xml[^>]*>/, '').replace(/<style>[\s\S]*?<\/style>/, '');
      showSvg(`Review: ${t.model.spec.organization.name}`, picture);
      log().info(`review change: ${run.stdout.trim()}`);
      return { code: run.code, summary: run.stdout.trim() };
    },
  };

  // the plan preview (a read-only Markdown document beside the file) opens the picture from a lens
  owner.own(vscode.languages.registerCodeLensProvider({ scheme: 'landing-zone-preview', pattern: '**/plan-*.md' }, {
    provideCodeLenses: () => [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: '$(type-hierarchy) Show Plan on Diagram', command: SHOW_PLAN_ON_DIAGRAM })],
  }));

  // a node type's monthly price where it is typed (hover), from the bundled catalog snapshot
  owner.own(vscode.languages.registerHoverProvider({ language: 'yaml', pattern: '**/*landing-zone.{yaml,yml}' }, {
    provideHover(doc, pos) {
      const line = doc.lineAt(pos.line).text;
      const m = /nodeType:\s*["']?([A-Za-z0-9_-]+)/.exec(line);
      if (!m) return undefined;
      const start = line.indexOf(m[1]!, m.index);
      if (pos.character < start || pos.character > start + m[1]!.length) return undefined;
      const zone = poolZone(deps.analyses, doc, pos);
      const e = zone ? nodeTypePrice(priceBook(), m[1]!, zone) : undefined;
      if (!e) return undefined;
      return new vscode.Hover(new vscode.MarkdownString(`**${m[1]}** in ${zone}: ${describePrice(priceBook(), e)} — not a quote; \`landing-zone cost\` reads the live catalog`), new vscode.Range(pos.line, start, pos.line, start + m[1]!.length));
    },
  }));
  return [show, review];
}

/** The zone of the pool whose definition holds the position (the model knows its zone). */
function poolZone(analyses: DocumentAnalyses, doc: vscode.TextDocument, pos: vscode.Position): string | undefined {
  const result = analyses.validation(doc);
  if (!result.model) return undefined;
  const offset = doc.offsetAt(pos);
  const { path } = result.source.pathAt(offset);
  const i = path.indexOf('pools');
  if (i < 0 || path.length < i + 2) return undefined;
  const id = path.slice(0, i + 2).join('/');
  const d = desiredOf(result.model).find((r) => r.kind === 'pool' && r.path.slice(0, i + 2).join('/') === id);
  return d?.zone;
}
