import * as vscode from 'vscode';
import { driftStatusDetails, driftStatusText } from './drift-status';
import type { DisposableOwner } from './owner';
import type { CloudState } from './cloud-state';

/** Profile, organisation and drift summary; a click selects the profile (or explains Restricted Mode). */
export function activateStatusBarFeature(owner: DisposableOwner, cloud: CloudState): vscode.StatusBarItem {
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
    const org = cloud.organizationId ? ` · ${cloud.organizationId.slice(0, 8)}` : '';
    const d = cloud.drift;
    item.text = `$(cloud) ${cloud.profileLabel()}${org}${driftStatusText(d)}`;
    item.tooltip = new vscode.MarkdownString([
      `**Landing Zone** — profile \`${cloud.profileLabel()}\``,
      cloud.organizationId ? `organisation \`${cloud.organizationId}\`` : 'organisation: resolved on the first cloud command',
      cloud.sandbox ? `sandbox at ${cloud.sandbox.url}` : '',
      ...driftStatusDetails(d),
      '',
      'Click to select the profile.',
    ].filter((l) => l !== undefined).join('\n\n'));
    item.command = 'landingZone.selectProfile';
    item.show();
  };
  owner.own(cloud.onDidChange(render));
  owner.own(vscode.workspace.onDidGrantWorkspaceTrust(render));
  render();
  return item;
}
