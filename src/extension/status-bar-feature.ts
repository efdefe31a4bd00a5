import * as vscode from 'vscode';
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
    const drifted = d ? (d.counts.drifted ?? 0) + (d.counts.missing ?? 0) + (d.counts.unmanaged ?? 0) : undefined;
    // in sync only when everything was read: a kind that could not be read is never a pass
    const unread = d?.notRead?.length ? ` · $(circle-slash) ${d.notRead.length} kind(s) not checked` : '';
    const drift = d === undefined ? '' : drifted ? ` · $(warning) ${drifted} to reconcile${unread}`
      : d.verdict === 'in-sync' || (d.verdict === undefined && !d.counts['not-checked']) ? ' · $(pass) in sync' : unread || ' · $(circle-slash) not checked';
    item.text = `$(cloud) ${session.profileLabel()}${org}${drift}`;
    item.tooltip = new vscode.MarkdownString([
      `**Landing Zone** — profile \`${session.profileLabel()}\``,
      session.organizationId ? `organisation \`${session.organizationId}\`` : 'organisation: resolved on the first cloud command',
      session.sandbox ? `sandbox at ${session.sandbox.url}` : '',
      d ? `drift checked ${d.checkedAt}: ${Object.entries(d.counts).map(([k, v]) => `${v} ${k}`).join(', ')}${d.coverage !== undefined ? ` (coverage ${d.coverage}%)` : ''}` : 'drift not checked yet',
      d?.notRead?.length ? `could not read: ${d.notRead.join(', ')} — see the Landing Zone log for why and the permission set to grant` : '',
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
