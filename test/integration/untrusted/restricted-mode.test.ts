// Restricted Mode (the harness opens this pass's workspace untrusted): validation and IntelliSense
// work; every command that reads credentials or calls the cloud refuses, and nothing goes out.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, openLandingZone, ours, positionOf, replaceText, revert, until } from '../helpers';

const CLOUD_COMMANDS = [
  'landingZone.selectProfile', 'landingZone.signIn', 'landingZone.detectDrift', 'landingZone.plan', 'landingZone.apply',
  'landingZone.importAccount', 'landingZone.rotateSecret', 'landingZone.rotateKey', 'landingZone.rotateApiKey',
  'landingZone.checkDr', 'landingZone.restoreZone', 'landingZone.restoreRegion', 'landingZone.startSandbox',
];

// The modules themselves (not a bundler's namespace copy), so the spies see the extension's calls too.
const http = require('node:http') as { request: (...a: never[]) => unknown };
const https = require('node:https') as { request: (...a: never[]) => unknown };

suite('Restricted Mode', () => {
  test('the workspace is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('validation and completion work', async () => {
    const { doc } = await openLandingZone();
    try {
      await replaceText(doc, '    role: devops\n', '    rol: devops\n');
      await until('a diagnostic', () => ours(doc.uri).find((d) => codeOf(d) === 'schema-unknown-key'));
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'storedIn: security/ci-scw-key', 'storedIn: '.length));
      assert.ok(list.items.some((i) => i.label === 'security/ci-scw-key'));
    } finally {
      await revert(doc);
    }
  });

  test('cloud commands refuse and make no network request', async () => {
    // Every outgoing request of the extension host goes through these (the SDK's fetch too, via undici's
    // global dispatcher, is observed through globalThis.fetch).
    const seen: string[] = [];
    const origRequest = http.request;
    const origHttpsRequest = https.request;
    const origFetch = globalThis.fetch;
    const spy = <T extends (...a: never[]) => unknown>(name: string, f: T): T => ((...a: never[]) => { seen.push(name); return f(...a); }) as T;
    http.request = spy('http.request', origRequest);
    https.request = spy('https.request', origHttpsRequest);
    globalThis.fetch = spy('fetch', origFetch);
    try {
      await openLandingZone();
      for (const id of CLOUD_COMMANDS) {
        const result = await vscode.commands.executeCommand(id);
        assert.equal(result, undefined, `${id} did nothing`);
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      http.request = origRequest;
      https.request = origHttpsRequest;
      globalThis.fetch = origFetch;
    }
    assert.deepEqual(seen, [], 'no request left the extension host');
  });
});
