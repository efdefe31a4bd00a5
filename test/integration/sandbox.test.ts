// The cloud commands from the palette, against the local sandbox in the extension host: Start Sandbox,
// Detect Drift fills the explorer, Apply runs with its confirmation, Rotate Secret re-pins the version
// in the open document.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openLandingZone, positionOf, testingApi, until } from './helpers';

interface Confirmation { message: string; detail: string; action: string }

suite('cloud commands against the sandbox', function () {
  this.timeout(240_000);
  let doc: vscode.TextDocument;
  const asked: Confirmation[] = [];

  suiteSetup(async () => {
    ({ doc } = await openLandingZone());
    const started = await vscode.commands.executeCommand<{ url: string; organizationId: string }>('landingZone.startSandbox', { seed: 'empty', transitionMs: 0 });
    assert.ok(started?.url.startsWith('http://127.0.0.1:'), `sandbox url ${started?.url}`);
    assert.ok(doc.getText().includes(`id: ${started.organizationId}`), 'the sandbox runs the organisation of the file');
    testingApi().setPrompter({
      confirm: async (message, detail, action) => { asked.push({ message, detail, action }); return true; },
      typeNames: async () => false,
    });
  });
  suiteTeardown(async () => {
    testingApi().setPrompter(undefined);
    await vscode.commands.executeCommand('landingZone.stopSandbox');
  });

  test('Select Profile switches the credentials the cloud commands use', async () => {
    assert.equal(await vscode.commands.executeCommand('landingZone.selectProfile', { source: 'scw' }), 'scw default');
    assert.equal(await vscode.commands.executeCommand('landingZone.selectProfile', { source: 'sandbox' }), 'sandbox');
  });

  test('Detect Drift fills the explorer: everything is missing in an empty organisation', async () => {
    const report = await vscode.commands.executeCommand<{ summary: { missing: number; inSync: number } }>('landingZone.detectDrift');
    assert.ok(report && report.summary.missing > 20, `missing: ${report?.summary.missing}`);
    const roots = testingApi().explorerRoots();
    const prod = roots.find((r) => r.label === 'prod');
    assert.match(prod?.description ?? '', /environment · missing/);
    const cluster = prod?.children?.find((c) => c.id === 'prod/cluster/apps');
    assert.match(cluster?.description ?? '', /missing/);
    assert.equal(testingApi().cloud.drift?.counts.missing, report.summary.missing);
  });

  test('Apply runs from its command after the confirmation that names the organisation and profile', async () => {
    const result = await vscode.commands.executeCommand<{ status: string; done: number; planHash: string }>('landingZone.apply');
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    assert.ok(result.done > 20);
    assert.equal(asked.length, 1, 'one modal confirmation');
    const org = /id: ([0-9a-f-]{36})/.exec(doc.getText())![1]!;
    assert.match(asked[0]!.message, new RegExp(`^Apply \\d+ to create, 0 to update, 0 to delete to organisation acme \\(${org}\\)\\?$`));
    assert.match(asked[0]!.detail, /Profile: sandbox/);
    assert.match(asked[0]!.detail, new RegExp(`Plan ${result.planHash.slice(0, 12)}`));
    // apply refreshes drift: the explorer now shows the project in sync
    const prod = testingApi().explorerRoots().find((r) => r.label === 'prod');
    assert.doesNotMatch(prod?.description ?? '', /missing|changed/, prod?.description);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'landing-zone-preview' && d.getText().includes('# Plan for acme')), 'the plan preview was shown');
  });

  test('a second Apply has nothing to do and asks nothing', async () => {
    const result = await vscode.commands.executeCommand<{ status: string }>('landingZone.apply');
    assert.equal(result?.status, 'nothing');
    assert.equal(asked.length, 1);
  });

  test('Rotate Secret re-pins the version in the open document, and the hover shows version metadata', async () => {
    const pinned = () => Number(/gitlab-token:\n\s+path: \/shared\n\s+version: (\d+)/.exec(doc.getText())?.[1]);
    const before = pinned();
    const out = await vscode.commands.executeCommand<{ status: string; lines: string[] }>('landingZone.rotateSecret', 'security/gitlab-token', { value: 'generate' });
    assert.ok(out && out.status !== 'nothing', JSON.stringify(out));
    const after = pinned();
    assert.ok(after > before || (Number.isFinite(after) && after !== before), `version ${before} → ${after}`);
    await until('the re-pinned document to be saved', () => !doc.isDirty || undefined, 5_000);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'gitlab-token:', 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`revision ${after}: enabled[^\\n]*← pinned`));
    assert.doesNotMatch(text, /value:/i, 'metadata only');
  });

  test('Rotate Key rotates a Key Manager key now', async () => {
    const r = await vscode.commands.executeCommand<{ ref: string; rotationCount: number }>('landingZone.rotateKey', 'security/secrets-key');
    assert.equal(r?.ref, 'security/secrets-key');
    assert.ok(r.rotationCount >= 1, JSON.stringify(r));
  });

  test('Rotate API Key stores the new key in the vault and re-pins its version in the open document', async () => {
    const pinned = () => Number(/ci-scw-key:\n\s+path: \/iam\n\s+version: (\d+)/.exec(doc.getText())?.[1]);
    const before = pinned();
    const r = await vscode.commands.executeCommand<{ status: string; lines: string[] }>('landingZone.rotateApiKey', 'gitlab-provisioner');
    assert.ok(r && r.status !== 'nothing', JSON.stringify(r));
    assert.ok(pinned() > before, `vault version ${before} → ${pinned()}`);
    assert.doesNotMatch(r.lines.join('\n'), /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}.*secret/i, 'no secret key in the report');
  });

  test('Plan after apply: no changes, shown in the preview', async () => {
    const plan = await vscode.commands.executeCommand<{ summary: string }>('landingZone.plan');
    assert.equal(plan?.summary, 'no changes');
  });

  test('DR Readiness Check reports a score and puts its findings in the Problems panel', async () => {
    const r = await vscode.commands.executeCommand<{ score: number; findings: number }>('landingZone.checkDr');
    assert.ok(r && r.score >= 0 && r.score <= 100, JSON.stringify(r));
    const dr = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'landing-zone dr');
    assert.equal(dr.length, r.findings);
  });

  test('Restore after Zone Failure shows the runbook and asks before touching anything', async () => {
    const before = asked.length;
    testingApi().setPrompter({ confirm: async (message, detail, action) => { asked.push({ message, detail, action }); return false; }, typeNames: async () => false });
    const result = await vscode.commands.executeCommand('landingZone.restoreZone', { project: 'prod' });
    assert.equal(result, undefined, 'declining the confirmation cancels silently');
    assert.match(asked[before]?.message ?? '', /^Restore after Zone Failure: restore prod into fr-par-2\?$/);
    const runbook = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('restore-zone-prod.md'));
    assert.match(runbook?.getText() ?? '', /Dry run: zone restore of prod from fr-par-1 to fr-par-2; no request is made\./);
  });

  test('Import from Account opens the organisation as a landing zone in a new editor', async () => {
    const r = await vscode.commands.executeCommand<{ lines: number }>('landingZone.importAccount');
    assert.ok(r && r.lines > 30, JSON.stringify(r));
    const imported = vscode.window.activeTextEditor?.document;
    assert.equal(imported?.isUntitled, true);
    assert.match(imported?.getText() ?? '', /projects:/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
