import * as vscode from 'vscode';
import { log } from './logger';

/**
 * The open document as the engine's file port (rotations and restores re-pin versions): the edit
 * goes through the editor, so the user sees it and can undo it, and the document is saved so the
 * CLI and the journal agree with it.
 */
export function documentFile(doc: vscode.TextDocument): { read(): Promise<string>; write(text: string): Promise<void> } {
  return {
    read: async () => doc.getText(),
    write: async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the editor refused the edit');
      // a save can lose a race with the editor's own bookkeeping right after an edit: retry briefly
      for (let i = 0; i < 10 && (doc.isDirty || i === 0); i++) {
        if (await doc.save()) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (doc.isDirty) log().warn(`${vscode.workspace.asRelativePath(doc.uri)} was re-pinned but could not be saved; save it before running the CLI`);
    },
  };
}
