// Shared by the editor's integration suites: the workspace's landing-zone.yaml, waiting for VS Code,
// and the extension's test API.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'scaleway-landing-zone.scaleway-landing-zone';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens landing-zone.yaml in an editor and waits for the extension to be active. */
export async function openLandingZone(): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile('landing-zone.yaml'));
  const editor = await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  await until('activation', () => ext.isActive || undefined);
  return { doc, editor };
}

export interface TestingApi {
  cloud: { drift?: { counts: Record<string, number> }; sandbox?: { url: string; organizationId: string } };
  explorerRoots(): { id: string; label: string; description?: string; children?: { id: string; label: string; description?: string }[] }[];
  activationMs: number;
  setPrompter(p: { confirm(message: string, detail: string, action: string): Promise<boolean>; typeNames(prompt: string, names: readonly string[]): Promise<boolean> } | undefined): void;
}

export function testingApi(): TestingApi {
  const api = (vscode.extensions.getExtension(EXTENSION_ID)?.exports as { testing?: TestingApi } | undefined)?.testing;
  assert.ok(api, 'the extension exposes its testing API in ExtensionMode.Test');
  return api;
}

/** The 0-based position of the `nth` occurrence of `needle`, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = doc.getText().indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" #${k} is in the document`);
  }
  return doc.positionAt(i + delta);
}

/** Puts the document back as it is on disk. */
export async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
}

export async function replaceText(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const i = doc.getText().indexOf(from);
  assert.ok(i >= 0, `"${from}" is in the document`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(i), doc.positionAt(i + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'landing-zone');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** The sandbox's endpoint and credentials, as the extension's testing API gives them. */
export interface SandboxCredentials { url: string; accessKey: string; secretKey: string; organizationId: string }

/**
 * The bundled CLI run beside the extension host on the file of `doc` against `sandbox`, with no
 * other credentials. Asynchronously: the sandbox runs in this host, and a synchronous spawn would
 * block the event loop it answers on.
 */
export async function runBundledCli(doc: vscode.TextDocument, sandbox: SandboxCredentials, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const root = process.env.LZ_TEST_ROOT;
  assert.ok(root, 'LZ_TEST_ROOT names the repository');
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args, '--file', doc.uri.fsPath, '--format', 'json'], {
    cwd: join(doc.uri.fsPath, '..'),
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SCW_CONFIG_PATH: '/nonexistent/config.yaml', ELECTRON_RUN_AS_NODE: '1',
      SCW_API_URL: sandbox.url, SCW_ACCESS_KEY: sandbox.accessKey, SCW_SECRET_KEY: sandbox.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sandbox.organizationId,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  const timer = setTimeout(() => child.kill(), 120_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stdout, stderr };
}
