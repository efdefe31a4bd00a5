// Plan mode of the live diagram, inside VS Code: with the diagram panel open on the example and
// the sandbox holding `npm start`'s half-migrated account, "Show Plan on Diagram" switches that
// same panel to plan mode (the real extension host, its webview messages checked by the protocol's
// schemas) with the counts of `landing-zone plan --format json` (the bundled CLI, same file, same
// sandbox); "Back to live diagram" (the webview's message) and an edit of the file each leave it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openLandingZone, replaceText, revert, runBundledCli, testingApi, until } from './helpers';

interface Review { mode: string; title: string; states: Record<string, string>; counts: Record<string, number>; removed: unknown[]; groups?: Record<string, Record<string, number>> }
interface Posted { seq: number; decorations: { review?: Review } }
interface Panel { planShown?: { review: Review; version: number }; lastPosted?: Posted; fromWebview(raw: unknown): void }

suite('plan mode of the live diagram: Show Plan on Diagram, Back to live diagram, an edit', function () {
  this.timeout(240_000);
  let doc: vscode.TextDocument;
  let sandbox: { url: string; organizationId: string; accessKey: string; secretKey: string };
  const panel = () => (testingApi() as unknown as { diagramPanel(uri: vscode.Uri): Panel | undefined }).diagramPanel(doc.uri);

  /** The bundled CLI beside the host that runs the sandbox (asynchronously: see parity.test.ts). */
  const cliPlan = async (): Promise<{ action: string; id: string; project: string }[]> => {
    const { status, stdout, stderr } = await runBundledCli(doc, sandbox, ['plan']);
    assert.equal(status, 0, `landing-zone plan: ${stderr}`);
    return (JSON.parse(stdout) as { operations: { action: string; id: string; project: string }[] }).operations;
  };

  /** The next snapshot the panel sends its webview after `seq`, once it satisfies `ok`. */
  const posted = (what: string, after: number, ok: (p: Posted) => boolean) =>
    until(what, () => { const p = panel()?.lastPosted; return p && p.seq > after && ok(p) ? p : undefined; }, 60_000);

  suiteSetup(async () => {
    ({ doc } = await openLandingZone());
    await revert(doc);
    const started = await vscode.commands.executeCommand<{ url: string }>('landingZone.startSandbox', { seed: 'demo', transitionMs: 0 });
    assert.ok(started?.url.startsWith('http://127.0.0.1:'));
    sandbox = testingApi().cloud.sandbox as typeof sandbox;
    if (doc.isDirty) await doc.save();
  });
  suiteTeardown(async () => {
    await revert(doc);
    await vscode.commands.executeCommand('landingZone.stopSandbox');
  });

  test('Show Plan on Diagram: the open panel draws the plan with the CLI\'s counts; Back to live diagram leaves it', async () => {
    await vscode.commands.executeCommand('landingZone.showDiagram', doc.uri);
    // an earlier suite (the parity test's Show Plan on Diagram) may have left this panel in plan mode
    if (panel()?.planShown) panel()!.fromWebview({ type: 'leavePlan' });
    const live = await posted('the live diagram in the panel', 0, (p) => !p.decorations.review);
    const result = await vscode.commands.executeCommand<{ planHash: string; title: string; panel: string }>('landingZone.showPlanOnDiagram');
    assert.equal(result.panel, 'diagram', 'drawn over the live diagram panel, not a panel of its own');
    const shown = await posted('the plan on the diagram', live.seq, (p) => !!p.decorations.review);
    const review = shown.decorations.review!;
    assert.equal(review.mode, 'plan');
    assert.equal(review.title, result.title);

    const ops = await cliPlan();
    const n = (a: string) => ops.filter((o) => o.action === a).length;
    assert.ok(n('create') > 20 && n('update') > 0 && n('delete') > 0, `the half-migrated account: ${n('create')}/${n('update')}/${n('delete')}`);
    // the file here is not committed, so no operation is drift repaired: the plan's own counts
    assert.equal(review.counts.repair, undefined);
    assert.deepEqual([review.counts.create, review.counts.update, review.counts.delete], [n('create'), n('update'), n('delete')]);
    // the title counts what the legend counts, in the words of `landing-zone plan`
    assert.ok(review.title.startsWith(`Plan: ${ops.length} operations — ${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete`), review.title);
    assert.ok(review.counts.unchanged !== undefined && review.counts.unchanged > 0, 'the resources the plan leaves alone are counted');
    // each card counts its project's operations: together, the plan's
    const perGroup = Object.values(review.groups ?? {}).reduce((a, g) => a + Object.entries(g).filter(([s]) => s !== 'unchanged').reduce((x, [, v]) => x + v, 0), 0);
    assert.equal(perGroup, ops.length);
    assert.equal(review.states['prod/database/main'], 'update');
    assert.equal(panel()?.planShown?.version, doc.version);

    // "Back to live diagram" in the plan bar posts leavePlan: the panel draws the file alone again
    panel()!.fromWebview({ type: 'leavePlan' });
    await posted('the live diagram again', shown.seq, (p) => !p.decorations.review);
    assert.equal(panel()?.planShown, undefined);
  });

  test('an edit of the file leaves plan mode: the plan no longer describes it', async () => {
    const before = panel()?.lastPosted?.seq ?? 0;
    await vscode.commands.executeCommand('landingZone.showPlanOnDiagram');
    const shown = await posted('the plan on the diagram', before, (p) => !!p.decorations.review);
    await replaceText(doc, 'retentionDays: 14', 'retentionDays: 21');
    await posted('the live diagram after the edit', shown.seq, (p) => !p.decorations.review);
    assert.equal(panel()?.planShown, undefined);
    await revert(doc);
  });
});
