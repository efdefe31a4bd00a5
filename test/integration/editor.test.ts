// The editor in a real VS Code: diagnostics as you type with exact ranges and rule links, quick
// fixes, completion of references, hover, go to definition, find references, rename and the outline.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, openLandingZone, ours, positionOf, replaceText, revert, until } from './helpers';

suite('editor: IntelliSense and diagnostics', () => {
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    ({ doc } = await openLandingZone());
  });
  teardown(async () => { await revert(doc); });

  test('the example has no findings', async () => {
    await until('the first validation', async () => { await new Promise((r) => setTimeout(r, 300)); return true; });
    assert.deepEqual(ours(doc.uri).map((d) => `${d.range.start.line + 1}: ${codeOf(d)} ${d.message}`), []);
  });

  test('a typo becomes a diagnostic on exactly the key, with the rule as a linked code, and its quick fix repairs it', async () => {
    await replaceText(doc, '    role: devops\n', '    rol: devops\n');
    const at = positionOf(doc, '    rol: devops', 4);
    const d = await until('the unknown-key diagnostic', () => ours(doc.uri).find((x) => codeOf(x) === 'schema-unknown-key'));
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [at.line, 4, at.line, 7]);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /Did you mean "role"/);
    assert.ok(typeof d.code === 'object' && d.code.target.toString().endsWith('/docs/rules/schema-unknown-key.md'), `code links to the rule: ${JSON.stringify(d.code)}`);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('role'));
    assert.ok(fix?.edit, `a quick fix with an edit among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await until('the diagnostic to go away', () => ours(doc.uri).every((x) => codeOf(x) !== 'schema-unknown-key') || undefined);
    assert.match(doc.getText(), /\n {4}role: devops\n/);
  });

  test('a policy finding (a hub missing from allowFrom) has a quick fix that adds it', async () => {
    await replaceText(doc, 'allowFrom: [security, devops], domains', 'allowFrom: [security], domains');
    const d = await until('the lb-admits-hubs finding', () => ours(doc.uri).find((x) => codeOf(x) === 'lb-admits-hubs'));
    assert.equal(d.range.start.line, positionOf(doc, 'allowFrom: [security], domains').line);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /Add devops to allowFrom/.test(a.title));
    assert.ok(fix?.edit && fix.isPreferred, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /allowFrom: \[security, devops\], domains/);
    await until('the finding to clear', () => ours(doc.uri).every((x) => codeOf(x) !== 'lb-admits-hubs') || undefined);
  });

  test('diagnostics follow typing (debounced) and point at a broken value', async () => {
    await replaceText(doc, 'zone: fr-par-1\n', 'zone: fr-par-9\n');
    const d = await until('the zone diagnostic', () => ours(doc.uri).find((x) => x.range.start.line === positionOf(doc, 'fr-par-9').line));
    const at = positionOf(doc, 'fr-par-9');
    assert.equal(d.range.start.character, at.character);
    assert.equal(d.range.end.character, at.character + 'fr-par-9'.length);
  });

  test('completion offers keys of the right kind where a reference belongs', async () => {
    await replaceText(doc, 'encryptionKey: security/app-data\n', 'encryptionKey: \n');
    const pos = positionOf(doc, 'encryptionKey: \n', 'encryptionKey: '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    const refs = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Reference).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(refs.includes('security/app-data') && refs.includes('security/secrets-key'), refs.join());
    assert.ok(!refs.includes('prod/velero') && !refs.includes('devops'), 'buckets and projects are not keys');
  });

  test('completion offers hubs first in allowFrom and node types in a pool', async () => {
    await replaceText(doc, 'allowFrom: [security, devops], domains', 'allowFrom: [], domains');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'allowFrom: [], domains', 'allowFrom: ['.length));
    const byRank = [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(byRank.slice(0, 2).sort(), ['devops', 'security']);
    const nodes = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'nodeType: PRO2-S', 'nodeType: '.length));
    assert.ok(nodes.items.some((i) => i.label === 'PRO2-M'));
  });

  test('hover shows the field documentation and what a reference points to', async () => {
    const field = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'rotationPeriod', 2));
    assert.match(hoverText(field), /rotates the key/);
    const ref = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'storedIn: security/ci-scw-key', 'storedIn: security/'.length + 2));
    assert.match(hoverText(ref), /Secret\*\* `security\/ci-scw-key`/);
    assert.match(hoverText(ref), /pinned version: `1`/);
  });

  test('go to definition and find references on a key', async () => {
    const use = positionOf(doc, 'keys: [security/app-data]', 'keys: [security/'.length + 1);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, use);
    const def = defs[0];
    assert.ok(def);
    const range = 'range' in def ? def.range : def.targetRange;
    assert.equal(range.start.line, positionOf(doc, '      app-data: {').line);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, use);
    assert.equal(refs.length, 4, 'the definition and three uses');
    assert.ok(refs.every((r) => doc.getText(r.range) === 'app-data'));
  });

  test('rename a project rewrites the key and every reference', async () => {
    const before = doc.getText();
    const at = positionOf(doc, '\n  prod:\n', 3);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, at, 'production');
    const edits = edit.get(doc.uri);
    const expected = (before.match(/\bprod(?=[/\]:,])/g) ?? []).length;
    assert.equal(edits.length, expected, `one edit per occurrence (${expected})`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = doc.getText();
    assert.match(after, /\n {2}production:\n/);
    assert.match(after, /endpointSecret: production\/main-db-endpoint/);
    assert.match(after, /bucket: production\/velero/);
    assert.match(after, /projects: \[production\]/);
    await until('revalidation', async () => { await new Promise((r) => setTimeout(r, 400)); return true; });
    assert.deepEqual(ours(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), [], 'still valid');
  });

  test('the outline lists projects with their parts', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const projects = symbols.find((s) => s.name === 'projects');
    assert.deepEqual(projects?.children.map((c) => c.name), ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']);
    assert.equal(projects?.children[0]?.detail, 'security');
  });

  test('Validate from the palette reports the findings', async () => {
    const issues = await vscode.commands.executeCommand<unknown[]>('landingZone.validate');
    assert.deepEqual(issues, []);
  });
});

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}
