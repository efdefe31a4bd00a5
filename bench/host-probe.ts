// Runs inside the real extension host for bench/extension.ts (loaded as extensionTestsPath): opens the
// 500-project landing-zone.yaml and measures what it costs the host. Writes JSON to LZ_BENCH_OUT.
/* eslint-disable @typescript-eslint/no-restricted-imports -- runs inside the extension host, like test/integration */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';

const EXTENSION_ID = 'scaleway-landing-zone.scaleway-landing-zone';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

/** A full GC before each reading, so the numbers are what stays alive, not garbage not yet collected. */
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const settledMemory = async () => { await sleep(500); gc(); gc(); return process.memoryUsage(); };

export async function run(): Promise<void> {
  const out = process.env.LZ_BENCH_OUT;
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  for (let i = 0; i < 300 && !ext?.isActive; i++) await sleep(100);
  await sleep(2000); // let the host settle after activation
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const atActivation = await settledMemory();
  // the example first: phase 2 (the editor bundle) loads, so the next delta is the big file's alone
  const small = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'landing-zone.yaml'));
  await vscode.window.showTextDocument(small);
  await vscode.commands.executeCommand('landingZone.validate');
  const before = await settledMemory();
  const t0 = performance.now();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'big.landing-zone.yaml'));
  await vscode.window.showTextDocument(doc);
  const issues = await vscode.commands.executeCommand<unknown[]>('landingZone.validate');
  const validateMs = performance.now() - t0;
  const testing = (ext?.exports as { testing?: { activationMs: number; phase2Ms: number; explorerRoots(): unknown[] } } | undefined)?.testing;
  const roots = testing?.explorerRoots() ?? [];
  const t1 = performance.now();
  const pos = doc.positionAt(doc.getText().indexOf('keys: [security/app-data]') + 'keys: ['.length);
  const completion = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  const completionMs = performance.now() - t1;
  const t2 = performance.now();
  await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
  const hoverMs = performance.now() - t2;
  const after = await settledMemory();
  const result = {
    lines: doc.lineCount,
    projects: roots.length,
    issues: issues?.length ?? null,
    activateMs: testing ? Math.round(testing.activationMs * 10) / 10 : null,
    phase2Ms: testing ? Math.round(testing.phase2Ms) : null,
    openAndValidateMs: Math.round(validateMs),
    completionMs: Math.round(completionMs),
    completionItems: completion.items.length,
    hoverMs: Math.round(hoverMs),
    phase2RssMb: mb(before.rss - atActivation.rss),
    phase2HeapMb: mb(before.heapUsed - atActivation.heapUsed),
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    rssDeltaMb: mb(after.rss - before.rss),
    heapDeltaMb: mb(after.heapUsed - before.heapUsed),
  };
  if (out) writeFileSync(out, JSON.stringify(result));
}
