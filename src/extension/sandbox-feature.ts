import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import { SourceDocument } from '../core/document';
import { CancelledError, type Command } from './commands';
import { activeLandingZoneDocument, toRange } from './documents';
import { log } from './logger';
import type { CloudState } from './cloud-state';

/** The organisation id written in a landing-zone document, with its range. */
function organizationIdOf(doc: vscode.TextDocument): { id: string; range: vscode.Range } | undefined {
  const src = new SourceDocument(doc.getText());
  const node = src.node(['organization', 'id']);
  const value = (node as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? { id: value, range: toRange(src.rangeOf(['organization', 'id'])) } : undefined;
}

/** The seed: the demo one shipped beside the example (when present), or an organisation alone. */
async function seedFor(kind: 'empty' | 'demo', extensionUri: vscode.Uri, organizationId: string | undefined): Promise<Record<string, unknown>> {
  let seed: Record<string, unknown> = { version: 1 };
  if (kind === 'demo') {
    try {
      seed = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'sandbox-seed.json')))) as Record<string, unknown>;
    } catch {
      log().warn('examples/sandbox-seed.json is not in this build; starting an empty sandbox');
    }
  }
  if (organizationId) seed.organization = { ...(seed.organization as object | undefined), id: organizationId };
  return seed;
}

/** Points the open landing zone at the sandbox's organisation (an ordinary, undoable edit). */
async function adoptOrganization(doc: vscode.TextDocument, organizationId: string): Promise<boolean> {
  const org = organizationIdOf(doc);
  if (!org || org.id === organizationId) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, org.range, organizationId);
  return vscode.workspace.applyEdit(edit);
}

/**
 * Start Sandbox runs the local Scaleway-compatible API in the extension host (loopback only) and
 * selects it as the profile; Open Example writes the reference landing zone into the workspace.
 */
export function sandboxCommands(cloud: CloudState, extensionUri: vscode.Uri): Command[] {
  const start: Command = {
    id: 'landingZone.startSandbox',
    needsTrust: true,
    async run(arg?: unknown) {
      const opts = (arg && typeof arg === 'object' ? arg : {}) as { adoptOrganization?: boolean; transitionMs?: number; seed?: 'empty' | 'demo' };
      if (!cloud.sandbox) {
        const transitionMs = opts.transitionMs ?? vscode.workspace.getConfiguration('landingZone').get<number>('sandbox.transitionMs', 300);
        let seedKind = opts.seed;
        if (!seedKind) {
          const picked = await vscode.window.showQuickPick([
            { label: 'Empty organisation', description: 'every declared resource is missing; apply creates them', v: 'empty' as const },
            { label: 'ACME half-way migrated', description: 'hubs exist, prod built by hand, a stray gateway: drift to look at', v: 'demo' as const },
          ], { title: 'Landing Zone: start the sandbox with…' });
          if (!picked) throw new CancelledError();
          seedKind = picked.v;
        }
        // The sandbox takes the open file's organisation id, so the file works against it unchanged.
        const doc = activeLandingZoneDocument();
        const org = doc ? organizationIdOf(doc) : undefined;
        const seed = await seedFor(seedKind, extensionUri, org?.id);
        const sandbox = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Landing Zone: starting the sandbox…' }, async () => {
          // loaded on demand: the sandbox never costs anything at activation
          const { startSandbox } = await loadEngine();
          return startSandbox({ transitionMs, seed: seed as never });
        });
        cloud.setSandbox({
          url: sandbox.url, organizationId: sandbox.organizationId, projectId: sandbox.projectId,
          accessKey: sandbox.accessKey, secretKey: sandbox.secretKey, stop: () => sandbox.close(),
        });
        log().info(`sandbox listening on ${sandbox.url} (organisation ${sandbox.organizationId}, access key ${sandbox.accessKey})`);
      }
      await cloud.choose({ source: 'sandbox' });
      const s = cloud.sandbox!;
      const doc = activeLandingZoneDocument();
      const org = doc && organizationIdOf(doc);
      if (doc && org && org.id !== s.organizationId) {
        if (opts.adoptOrganization) await adoptOrganization(doc, s.organizationId);
        else {
          void vscode.window.showInformationMessage(
            `The sandbox runs organisation ${s.organizationId}; ${vscode.workspace.asRelativePath(doc.uri)} names ${org.id}. Commands refuse a mismatch.`,
            'Use the Sandbox Organisation in the File',
          ).then((c) => c && adoptOrganization(doc, s.organizationId));
        }
      } else {
        void vscode.window.showInformationMessage(`Landing Zone: the sandbox runs at ${s.url}; cloud commands now use it.`);
      }
      return { url: s.url, organizationId: s.organizationId };
    },
  };

  const stop: Command = {
    id: 'landingZone.stopSandbox',
    needsTrust: true,
    async run() {
      const s = cloud.sandbox;
      if (!s) return false;
      cloud.setSandbox(undefined);
      if (cloud.choice?.source === 'sandbox') await cloud.choose(undefined);
      await s.stop();
      log().info('sandbox stopped');
      return true;
    },
  };

  const openExample: Command = {
    id: 'landingZone.openExample',
    async run() {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const example = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'landing-zone.yaml')));
      const text = cloud.sandbox ? example.replace(/(\n {2}id: )[0-9a-f-]{36}/, `$1${cloud.sandbox.organizationId}`) : example;
      let doc: vscode.TextDocument;
      if (folder) {
        const target = vscode.Uri.joinPath(folder.uri, 'landing-zone.yaml');
        let exists = true;
        try { await vscode.workspace.fs.stat(target); } catch { exists = false; }
        if (!exists) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
        doc = await vscode.workspace.openTextDocument(target);
        if (exists && cloud.sandbox) await adoptOrganization(doc, cloud.sandbox.organizationId);
      } else {
        doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      }
      await vscode.window.showTextDocument(doc);
      return doc.uri.toString();
    },
  };
  return [start, stop, openExample];
}
