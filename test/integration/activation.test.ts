import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// The id VS Code gives the extension: `${publisher}.${name}` from package.json.
const EXTENSION_ID = 'scaleway-landing-zone.scaleway-landing-zone';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('extension in a real VS Code', () => {
  test('runs in a real extension host', () => {
    assert.ok(vscode.version, 'vscode.version');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
    console.log(`[ext-test] vscode ${vscode.version} (${vscode.env.appName}), node ${process.version}, ` +
      `remote ${vscode.env.remoteName ?? 'none'}, workspace ${vscode.workspace.workspaceFolders?.[0]?.uri.toString()}`);
  });

  test('is installed under its manifest id', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is among ${vscode.extensions.all.length} extensions`);
    const pkg = ext.packageJSON as { publisher: string; name: string; main: string };
    assert.equal(`${pkg.publisher}.${pkg.name}`, EXTENSION_ID);
    assert.equal(pkg.main, './dist/extension.js');
  });

  test('activates when landing-zone.yaml is opened', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('landing-zone.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'yaml');
    // Activation is VS Code's doing (workspaceContains / onLanguage), not ours: wait for it, never call activate().
    await until('activation', () => ext.isActive || undefined);
    assert.ok(ext.isActive);
  });

  test('every contributed command is registered once active', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive, 'activated by the previous test');
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } })
      .contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  test('Copy CI Snippet puts a job that pins the shipped CLI version on the clipboard', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const version = (ext.packageJSON as { version: string }).version;
    const doc = await vscode.workspace.openTextDocument(workspaceFile('landing-zone.yaml'));
    await vscode.window.showTextDocument(doc);
    const text = await vscode.commands.executeCommand<string>('landingZone.copyCiSnippet', 'gitlab');
    assert.ok(text.includes(`LZ_CLI_PACKAGE: "@scaleway-landing-zone/cli@${version}"`), text);
    assert.ok(text.includes('npm install --global --no-fund --no-audit "$LZ_CLI_PACKAGE"'), text);
    assert.ok(text.includes('landing-zone validate --file landing-zone.yaml --format sarif'), text);
    assert.equal(await vscode.env.clipboard.readText(), text);
  });
});
