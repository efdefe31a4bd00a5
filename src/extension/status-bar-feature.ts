import * as vscode from 'vscode';
import { driftStatusDetails, driftStatusText } from './drift-status';
import type { DisposableOwner } from './owner';
import type { Session } from './session';

/** Profile, organisation and drift summary; a click selects the profile (or explains Restricted Mode). */
export function activateStatusBarFeature(owner: DisposableOwner, session: Session): vscode.StatusBarItem {
  const item = owner.own(vscode.window.createStatusBarItem('landingZone.status', vscode.StatusBarAlignment.Left, 50));
  item.name = 'Landing Zone';
  const render = () => {
    if (!vscode.workspace.isTrusted) {
      item.text = '$(shield) Landing Zone: restricted';
      item.tooltip = 'Restricted Mode: validation, IntelliSense and the diagram work; commands that read credentials or call Scaleway are disabled.';
      item.command = 'workbench.trust.manage';
      item.show();
      return;
    }
    const org = session.organizationId ? ` · ${session.organizationId.slice(0, 8)}` : '';
    const d = session.drift;
    item.text = `$(cloud) ${session.profileLabel()}${org}${driftStatusText(d)}`;
    item.tooltip = new vscode.MarkdownString([
      `**Landing Zone** — profile \`${session.profileLabel()}\``,
      session.organizationId ? `organisation \`${session.organizationId}\`` : 'organisation: resolved on the first cloud command',
      session.sandbox ? `sandbox at ${session.sandbox.url}` : '',
      ...driftStatusDetails(d),
      '',
      'Click to select the profile.',
    ].filter((l) => l !== undefined).join('\n\n'));
    item.command = 'landingZone.selectProfile';
    item.show();
  };
  owner.own(session.onDidChange(render));
  owner.own(vscode.workspace.onDidGrantWorkspaceTrust(render));
  render();
  return item;
}
