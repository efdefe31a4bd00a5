import * as vscode from 'vscode';
import { CLI_SPEC, ciSnippet, type CiSystem } from '../core/distribution';
import type { Command } from './commands';

const SYSTEMS: { ci: CiSystem; label: string; detail: string }[] = [
  { ci: 'gitlab', label: 'GitLab CI', detail: 'a job for .gitlab-ci.yml' },
  { ci: 'github', label: 'GitHub Actions', detail: 'a workflow for .github/workflows/' },
];

/**
 * "Copy CI Snippet": the validation job with the install line of exactly the CLI version this
 * extension ships, so the editor and the pipeline never check a file with two different engines.
 * It reads nothing from the cloud, so it works in Restricted Mode too.
 */
export function ciCommands(): Command[] {
  const copy: Command = {
    id: 'landingZone.copyCiSnippet',
    async run(arg?: unknown) {
      let ci = SYSTEMS.find((s) => s.ci === arg)?.ci;
      if (!ci) {
        const pick = await vscode.window.showQuickPick(SYSTEMS.map((s) => ({ ...s, description: CLI_SPEC })), { title: 'Copy CI Snippet', placeHolder: 'Which CI system runs your landing-zone checks?' });
        if (!pick) return undefined;
        ci = pick.ci;
      }
      const active = vscode.window.activeTextEditor?.document;
      const file = active && /(^|\.)landing-zone\.ya?ml$/.test(active.uri.path) ? vscode.workspace.asRelativePath(active.uri, false) : undefined;
      const text = ciSnippet(ci, file ? { file } : {});
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`Copied a ${SYSTEMS.find((s) => s.ci === ci)!.label} job that installs ${CLI_SPEC}.`);
      return text;
    },
  };
  return [copy];
}
