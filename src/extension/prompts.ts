import * as vscode from 'vscode';

/**
 * The confirmations that guard writes. A port, so the integration tests can answer the modal dialog
 * (a test cannot click it) while the whole apply path — plan, preview, confirmation, execution — is
 * the real one. Only ExtensionMode.Test may replace it (see the testing API in extension.ts).
 */
export interface Prompter {
  /** A modal question; true only when the user picks `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Asks for the listed names to be typed; true only when they match (any order, spaces or commas). */
  typeNames(prompt: string, names: readonly string[]): Promise<boolean>;
}

export const vscodePrompter: Prompter = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async typeNames(prompt, names) {
    const typed = await vscode.window.showInputBox({
      title: 'Landing Zone: confirm deletes', prompt, ignoreFocusOut: true, placeHolder: names.join(' '),
      validateInput: (v) => (sameNames(v, names) || v.trim() === '' ? undefined : `type exactly: ${names.join(' ')}`),
    });
    return typed !== undefined && sameNames(typed, names);
  },
};

function sameNames(typed: string, names: readonly string[]): boolean {
  const given = typed.split(/[\s,]+/).filter(Boolean).sort();
  const want = [...names].sort();
  return given.length === want.length && given.every((g, i) => g === want[i]);
}

/** A mutable holder owned by activate(): the commands read `current` at the moment they ask. */
export interface PrompterHolder {
  current: Prompter;
}
