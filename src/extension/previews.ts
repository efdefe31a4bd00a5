import * as vscode from 'vscode';
import type { DisposableOwner } from './owner';

const SCHEME = 'landing-zone-preview';

/** Read-only Markdown documents for plans and runbooks, opened beside the file without taking focus. */
export class Previews {
  private readonly texts = new Map<string, string>();
  private readonly changed: vscode.EventEmitter<vscode.Uri>;

  constructor(owner: DisposableOwner) {
    this.changed = owner.own(new vscode.EventEmitter<vscode.Uri>());
    owner.own(vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.texts.get(uri.path) ?? '',
    }));
  }

  async show(name: string, markdown: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}.md` });
    this.texts.set(uri.path, markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return uri;
  }
}
