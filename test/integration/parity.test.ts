// The done-when test of one engine path, inside VS Code: Detect Drift, Plan and Show Plan on
// Diagram run through the extension's commands (the real extension host, its engine bundle) and
// give the same report (counts, coverage, verdict, statuses) and the same plan hash as
// `landing-zone drift|plan --format json` (the bundled CLI) on the same file and the same sandbox;
// the restore dry runs give the CLI's runbooks; after Apply from the editor, both read the account
// in sync and the DR check gives the CLI's score and findings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openLandingZone, runBundledCli, testingApi } from './helpers';

interface Summary { inSync: number; changed: number; missing: number; unmanaged: number; notChecked: number; coverage: number }
interface Report { summary: Summary; verdict: string; entries: { id: string; status: string }[] }

suite('one engine path: the editor\'s commands and the CLI agree', function () {
  this.timeout(240_000);
  let doc: vscode.TextDocument;
  let sandbox: { url: string; organizationId: string; accessKey: string; secretKey: string };

  /**
   * The bundled CLI on the saved file, against the extension's sandbox. The sandbox runs in this
   * extension host, so the CLI runs beside it asynchronously: a synchronous spawn would block the
   * host's event loop, and with it the sandbox the CLI is waiting for.
   */
  const cli = async (args: string[]): Promise<{ status: number | null; json: unknown; stderr: string }> => {
    const { status, stdout, stderr } = await runBundledCli(doc, sandbox, args);
    let json: unknown;
    try {
      json = JSON.parse(stdout);
    } catch {
      assert.fail(`landing-zone ${args.join(' ')} printed no JSON (exit ${status}): ${stderr}`);
    }
    return { status, json, stderr };
  };

  suiteSetup(async () => {
    ({ doc } = await openLandingZone());
    const started = await vscode.commands.executeCommand<{ url: string }>('landingZone.startSandbox', { seed: 'empty', transitionMs: 0 });
    assert.ok(started?.url.startsWith('http://127.0.0.1:'));
    sandbox = testingApi().cloud.sandbox as typeof sandbox;
    // the CLI reads the file from disk, the editor its buffer: the same text
    if (doc.isDirty) await doc.save();
    assert.equal(doc.isDirty, false);
    testingApi().setPrompter({ confirm: async () => true, typeNames: async () => false });
  });
  suiteTeardown(async () => {
    testingApi().setPrompter(undefined);
    await vscode.commands.executeCommand('landingZone.stopSandbox');
  });

  const sameDrift = async (): Promise<Summary> => {
    const editor = await vscode.commands.executeCommand<Report>('landingZone.detectDrift', { quiet: true });
    const fromCli = await cli(['drift']);
    assert.ok(fromCli.status === 0 || fromCli.status === 3, fromCli.stderr);
    const c = fromCli.json as Report;
    assert.deepEqual(editor.summary, c.summary, 'the same counts and coverage');
    assert.equal(editor.verdict, c.verdict);
    assert.deepEqual(editor.entries.map((e) => `${e.id} ${e.status}`), c.entries.map((e) => `${e.id} ${e.status}`));
    // what the explorer and the status bar hold is that report, in core's words
    const snap = testingApi().cloud.drift as { counts: Record<string, number>; coverage?: number } | undefined;
    assert.equal(snap?.coverage, c.summary.coverage);
    assert.deepEqual(snap?.counts, { 'in-sync': c.summary.inSync, changed: c.summary.changed, missing: c.summary.missing, unmanaged: c.summary.unmanaged, 'not-checked': c.summary.notChecked });
    return c.summary;
  };

  test('Detect Drift and Plan: the CLI\'s report and plan hash', async () => {
    const before = await sameDrift();
    assert.ok(before.missing > 20, `missing ${before.missing}`);
    const plan = await vscode.commands.executeCommand<{ planHash: string; operations: number }>('landingZone.plan');
    const fromCli = await cli(['plan']);
    assert.equal(fromCli.status, 0, fromCli.stderr);
    const c = fromCli.json as { planHash: string; operations: unknown[] };
    assert.equal(plan.planHash, c.planHash);
    assert.equal(plan.operations, c.operations.length);
    // Show Plan on Diagram plans through the same path (openSession → readPlan, with its catalog check)
    const onDiagram = await vscode.commands.executeCommand<{ planHash: string; summary: string }>('landingZone.showPlanOnDiagram');
    assert.equal(onDiagram.planHash, c.planHash, 'Show Plan on Diagram: the CLI\'s plan hash');
  });

  test('a restore dry run: the editor\'s runbook is the CLI\'s, step for step', async () => {
    for (const [kind, command] of [['zone', 'landingZone.restoreZone'], ['region', 'landingZone.restoreRegion']] as const) {
      const editor = await vscode.commands.executeCommand<{ runbook: unknown }>(command, { project: 'prod', dryRun: true });
      const fromCli = await cli(['restore', kind, '--project', 'prod', '--dry-run']);
      assert.equal(fromCli.status, 0, fromCli.stderr);
      assert.deepEqual(editor.runbook, fromCli.json, `restore ${kind}`);
    }
  });

  test('after Apply from the editor, both read the account in sync, with the same coverage', async () => {
    const result = await vscode.commands.executeCommand<{ status: string }>('landingZone.apply');
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    const after = await sameDrift();
    assert.equal(after.missing, 0);
    assert.equal(after.changed, 0);
    const plan = await cli(['plan']);
    assert.deepEqual((plan.json as { operations: unknown[] }).operations, []);
  });

  test('DR check on the applied account: the editor\'s score and findings are the CLI\'s', async () => {
    const editor = await vscode.commands.executeCommand<{ score: number; findings: number }>('landingZone.checkDr');
    const fromCli = await cli(['dr', 'check']);
    assert.ok(fromCli.status === 0 || fromCli.status === 3, fromCli.stderr);
    const c = fromCli.json as { score: number; findings: unknown[] };
    assert.deepEqual(editor, { score: c.score, findings: c.findings.length });
  });

  test('switching profile clears the previous profile\'s drift: the explorer and the status bar\'s snapshot say nothing of it', async () => {
    await sameDrift();
    const states = /in-sync|changed|missing|unmanaged|not-checked/;
    const described = () => testingApi().explorerRoots().flatMap((r) => [r.description ?? '', ...(r.children ?? []).map((c) => c.description ?? '')]);
    assert.ok(described().some((d) => states.test(d)), 'the explorer shows the drift read with the sandbox profile');
    assert.equal(await vscode.commands.executeCommand('landingZone.selectProfile', { source: 'scw' }), 'scw default');
    try {
      assert.equal(testingApi().cloud.drift, undefined, 'the status bar renders from this snapshot: no drift of another profile');
      assert.deepEqual(described().filter((d) => states.test(d)), [], 'no drift state left in the explorer');
    } finally {
      assert.equal(await vscode.commands.executeCommand('landingZone.selectProfile', { source: 'sandbox' }), 'sandbox');
    }
  });
});
