import * as vscode from 'vscode';
import { parse } from 'yaml';
import { loadProfiles } from './engine-loader';
import { CancelledError, type Command } from './commands';
import { log } from './logger';
import type { ProfileChoice, CloudState } from './cloud-state';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const v = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (v === undefined) throw new CancelledError();
  return v.trim();
}

/** Profiles of the scw config file (names and access keys only; the file's secret keys are not kept). */
async function scwProfiles(): Promise<{ name: string; accessKey?: string; active: boolean }[]> {
  const { configFilePath } = await loadProfiles();
  const path = configFilePath();
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch {
    return [];
  }
  let raw: { access_key?: string; active_profile?: string; profiles?: Record<string, { access_key?: string }> };
  try {
    raw = (parse(text) ?? {}) as typeof raw;
  } catch {
    log().warn(`the Scaleway config file ${path} is not valid YAML`);
    return [];
  }
  const out = [{ name: 'default', accessKey: raw.access_key, active: !raw.active_profile || raw.active_profile === 'default' }];
  for (const [name, p] of Object.entries(raw.profiles ?? {})) {
    if (name !== 'default') out.push({ name, accessKey: p?.access_key, active: raw.active_profile === name });
  }
  return out;
}

/** Select Profile and Sign In. Both read credentials, so both need a trusted workspace. */
export function profileCommands(cloud: CloudState): Command[] {
  const signIn: Command = {
    id: 'landingZone.signIn',
    needsTrust: true,
    async run() {
      const name = await ask({ title: 'Sign in to Scaleway (1/5)', prompt: 'A name for these credentials', value: 'vscode',
        validateInput: (v) => (/^[\w.-]+$/.test(v.trim()) ? undefined : 'letters, digits, dots, dashes') });
      const accessKey = await ask({ title: 'Sign in to Scaleway (2/5)', prompt: 'Access key (SCW…)', placeHolder: 'SCWXXXXXXXXXXXXXXXXX',
        validateInput: (v) => (/^SCW[A-Z0-9]{17}$/.test(v.trim()) ? undefined : 'an access key is SCW followed by 17 letters or digits') });
      const secretKey = await ask({ title: 'Sign in to Scaleway (3/5)', prompt: 'Secret key (stored in VS Code SecretStorage, never in a file)', password: true,
        validateInput: (v) => (UUID.test(v.trim()) ? undefined : 'a secret key is a UUID') });
      log().addSecret(secretKey);
      const organizationId = await ask({ title: 'Sign in to Scaleway (4/5)', prompt: 'Organisation id',
        validateInput: (v) => (UUID.test(v.trim()) ? undefined : 'an organisation id is a UUID') });
      const apiUrl = await ask({ title: 'Sign in to Scaleway (5/5)', prompt: 'API URL (leave empty for the Scaleway API)', value: '',
        validateInput: (v) => (v.trim() === '' || /^https?:\/\/[^\s]+$/.test(v.trim()) ? undefined : 'an http(s) URL') });
      await cloud.saveSignIn({ name, accessKey, organizationId, apiUrl: apiUrl || undefined }, secretKey);
      await cloud.choose({ source: 'vscode', name });
      log().info(`signed in as "${name}" (access key ${accessKey}, organisation ${organizationId})`);
      void vscode.window.showInformationMessage(`Landing Zone: signed in as "${name}"; the secret key is in VS Code's SecretStorage.`);
      return name;
    },
  };

  const selectProfile: Command = {
    id: 'landingZone.selectProfile',
    needsTrust: true,
    async run(arg?: unknown) {
      // tests and the walkthrough may pass the choice directly
      if (arg && typeof arg === 'object' && 'source' in arg) {
        await cloud.choose(arg as ProfileChoice);
        return cloud.profileLabel();
      }
      type Item = vscode.QuickPickItem & { choice?: ProfileChoice; signIn?: true };
      const items: Item[] = [];
      if (cloud.sandbox) items.push({ label: '$(beaker) Sandbox', description: cloud.sandbox.url, detail: `organisation ${cloud.sandbox.organizationId}`, choice: { source: 'sandbox' } });
      for (const s of cloud.signIns()) items.push({ label: `$(key) ${s.name}`, description: `VS Code sign-in · ${s.accessKey}`, detail: `organisation ${s.organizationId}${s.apiUrl ? ` · ${s.apiUrl}` : ''}`, choice: { source: 'vscode', name: s.name } });
      for (const p of await scwProfiles()) items.push({ label: `$(file) ${p.name}`, description: `scw config${p.active ? ' · active' : ''}${p.accessKey ? ` · ${p.accessKey}` : ''}`, choice: { source: 'scw', name: p.name } });
      items.push({ label: '$(terminal) scw resolution', description: 'SCW_* environment, then the active profile', choice: { source: 'scw' } });
      items.push({ label: '$(sign-in) Sign in with an API key…', signIn: true });
      const picked = await vscode.window.showQuickPick(items, { title: 'Landing Zone: credentials for cloud commands', placeHolder: `current: ${cloud.profileLabel()}` });
      if (!picked) throw new CancelledError();
      if (picked.signIn) return signIn.run();
      await cloud.choose(picked.choice);
      log().info(`profile: ${cloud.profileLabel()}`);
      return cloud.profileLabel();
    },
  };
  return [selectProfile, signIn];
}
