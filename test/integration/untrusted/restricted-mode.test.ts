// Runs in the second pass: workspace trust on and the folder not trusted (Restricted Mode).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'scaleway-landing-zone.scaleway-landing-zone';

suite('Restricted Mode (untrusted workspace)', () => {
  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the extension still activates on landing-zone.yaml (untrustedWorkspaces: limited)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace folder is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'landing-zone.yaml'));
    await vscode.window.showTextDocument(doc);
    const t0 = Date.now();
    while (!ext.isActive && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    assert.ok(ext.isActive, 'activated in Restricted Mode');
  });
});
