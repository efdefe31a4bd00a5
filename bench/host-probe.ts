// Runs inside the real extension host for bench/extension.ts (loaded as extensionTestsPath): opens the
// 500-project landing-zone.yaml (14,006 lines) and measures what a user meets there — the first
// completion after opening, keystroke → diagnostics (one key after a pause, the last key of a
// burst), the engine bundle's load — and what the file, the engine and the diagram cost the host
// in memory. Writes JSON to LZ_BENCH_OUT.
/* eslint-disable @typescript-eslint/no-restricted-imports -- runs inside the extension host, like test/integration */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
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

  /** Resolves with the time the next diagnostics of `uri` arrive. */
  const nextDiagnostics = (uri: vscode.Uri, timeoutMs = 20_000) => new Promise<number>((resolve) => {
    const timer = setTimeout(() => { sub.dispose(); resolve(Number.NaN); }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(performance.now());
    });
  });

  // opening the 14,006-line file: the first completion is asked for as soon as the editor shows it
  const bigUri = vscode.Uri.joinPath(folder, 'big.landing-zone.yaml');
  const opened = nextDiagnostics(bigUri);
  const t0 = performance.now();
  const doc = await vscode.workspace.openTextDocument(bigUri);
  const editor = await vscode.window.showTextDocument(doc);
  const shownMs = performance.now() - t0;
  const pos = doc.positionAt(doc.getText().indexOf('keys: [security/app-data]') + 'keys: ['.length);
  const t1 = performance.now();
  const completion = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  const firstCompletionMs = performance.now() - t1;
  const openToDiagnosticsMs = (await opened) - t0;
  // where the growth comes from, step by step (the host's RSS counts the language and validation
  // workers' heaps too; heapUsed is the host's own thread only)
  const steps: Record<string, { rssMb: number; heapMb: number }> = {};
  const step = async (name: string) => {
    const m = await settledMemory();
    steps[name] = { rssMb: mb(m.rss - before.rss), heapMb: mb(m.heapUsed - before.heapUsed) };
  };
  await step('opened');

  // keystroke → diagnostics: one key after a pause, then the last key of a burst typed 120 ms apart.
  // Each key lengthens a key name (`role` → `xrole` …), so every version has findings that differ:
  // VS Code sends no diagnostics event for a file that stays without findings.
  const typeAt = doc.positionAt(doc.getText().indexOf('role: environment'));
  const key = async () => { await editor.edit((b) => b.insert(typeAt, 'x')); return performance.now(); };
  const keystrokeMs: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    await sleep(1500);
    const next = nextDiagnostics(bigUri);
    const at = await key();
    keystrokeMs.push((await next) - at);
  }
  await sleep(1500);
  const events: number[] = [];
  const recorder = vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some((u) => u.toString() === bigUri.toString())) events.push(performance.now()); });
  let last = 0;
  for (let i = 0; i < 8; i += 1) {
    last = await key();
    await sleep(120);
  }
  // only the newest version's diagnostics are shown (diagnostics-feature.ts): the first event after the last key is its
  for (let waited = 0; waited < 20_000 && !events.some((t) => t >= last); waited += 20) await sleep(20);
  recorder.dispose();
  const burstToDiagnosticsMs = (events.find((t) => t >= last) ?? Number.NaN) - last;
  const issues = await vscode.commands.executeCommand<unknown[]>('landingZone.validate');
  const validateMs = performance.now() - t0;
  const testing = (ext?.exports as { testing?: { activationMs: number; phase2Ms: number; explorerRoots(): unknown[] } } | undefined)?.testing;
  const roots = testing?.explorerRoots() ?? [];
  const t2 = performance.now();
  await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
  const hoverMs = performance.now() - t2;
  await step('typedAndValidated');
  const afterEditor = await settledMemory();

  // the engine, loaded the way the extension loads it (src/extension/engine-loader.ts: import() of
  // the same files, one module cache): its profile part first, as every cloud command does, then the whole
  const engineUrl = (entry: string) => pathToFileURL(`${ext!.extensionPath}/dist/engine/${entry}`).href;
  const t3 = performance.now();
  await import(engineUrl('engine-profile.mjs'));
  const engineLoadMs = performance.now() - t3;
  const t4 = performance.now();
  await import(engineUrl('engine.mjs'));
  const engineWholeLoadMs = performance.now() - t4;
  await step('engineLoaded');
  // the diagram of the big file, shown in its panel
  await vscode.commands.executeCommand('landingZone.showDiagram');
  await sleep(8000);
  await step('diagramShown');
  const after = await settledMemory();
  const result = {
    lines: doc.lineCount,
    projects: roots.length,
    issues: issues?.length ?? null,
    activateMs: testing ? Math.round(testing.activationMs * 10) / 10 : null,
    phase2Ms: testing ? Math.round(testing.phase2Ms) : null,
    openShownMs: Math.round(shownMs),
    firstCompletionMs: Math.round(firstCompletionMs),
    completionItems: completion.items.length,
    openToDiagnosticsMs: Math.round(openToDiagnosticsMs),
    keystrokeToDiagnosticsMs: keystrokeMs.map(Math.round),
    burstToDiagnosticsMs: Math.round(burstToDiagnosticsMs),
    openToValidatedMs: Math.round(validateMs),
    hoverMs: Math.round(hoverMs),
    engineLoadMs: Math.round(engineLoadMs),
    engineWholeLoadMs: Math.round(engineWholeLoadMs),
    phase2RssMb: mb(before.rss - atActivation.rss),
    phase2HeapMb: mb(before.heapUsed - atActivation.heapUsed),
    rssBeforeMb: mb(before.rss),
    editorRssDeltaMb: mb(afterEditor.rss - before.rss),
    rssAfterMb: mb(after.rss),
    // the file open and edited, the engine loaded, the diagram shown
    rssDeltaMb: mb(after.rss - before.rss),
    heapDeltaMb: mb(after.heapUsed - before.heapUsed),
    // growth over the example alone after each step (cumulative)
    steps,
  };
  if (out) writeFileSync(out, JSON.stringify(result));
}
