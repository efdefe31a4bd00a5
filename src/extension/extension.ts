// Placeholder until the editor lands: VS Code needs an `activate` to load the extension, and the
// integration tests need something to activate. It registers nothing yet.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // nothing to register yet
}

export function deactivate(): void {
  // nothing to dispose
}
