import * as vscode from 'vscode';
import { loadProfiles } from './engine-loader';
import type { LiveLookups, LiveSummary, SecretVersionMeta } from '../core/language/describe';
import type { ScalewayProfile } from '../scaleway/profiles';
import { RefusedError } from './commands';
import { log } from './logger';
import type { DriftStatus } from '../core/drift';

/** Which credentials the commands use. */
export type ProfileChoice =
  | { source: 'sandbox' }
  /** Signed in through VS Code: the secret key is in SecretStorage. */
  | { source: 'vscode'; name: string }
  /** A profile of the scw config file (`undefined` name: the scw resolution — env, active profile, default). */
  | { source: 'scw'; name?: string };

/** Non-secret parts of a VS Code sign-in (globalState); the secret key is in SecretStorage. */
export interface SignIn {
  name: string;
  accessKey: string;
  organizationId: string;
  projectId?: string;
  region?: string;
  apiUrl?: string;
}

/** A running local sandbox that the extension points at. */
export interface SandboxHandle {
  url: string;
  organizationId: string;
  projectId: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** The last drift run, as the explorer, the status bar and hovers show it. */
export interface DriftSnapshot {
  checkedAt: string;
  /** Document it was computed for. */
  uri: string;
  /** By resource id. */
  resources: Map<string, LiveSummary>;
  /** The report's summary counts, by core's drift status. */
  counts: Record<DriftStatus, number>;
  /** The report's verdict (`in-sync`, `drift`, `not-checked`, `accepted-not-checked`): only `in-sync` may be shown as in sync. */
  verdict?: string;
  /** Kinds that could not be read, for the status bar and the view's message. */
  notRead?: string[];
  coverage?: number;
  /** Core's driftStates(report): what the diagram draws, in core's vocabulary (declared and read resources only). */
  states?: Record<string, 'in-sync' | 'changed' | 'missing' | 'unmanaged'>;
}

const CHOICE_KEY = 'landingZone.profile';
const SIGN_INS_KEY = 'landingZone.signIns';
const secretKeyName = (name: string) => `landingZone.secretKey/${name}`;

/**
 * What the extension knows beyond the files: the chosen credentials, the sandbox it started, the
 * last drift report and secret version metadata. One instance, owned by activate(); features
 * listen to `onDidChange` and redraw from a complete snapshot.
 */
export class CloudState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  sandbox: SandboxHandle | undefined;
  drift: DriftSnapshot | undefined;
  /** Organisation of the last resolved profile (shown in the status bar). */
  organizationId: string | undefined;
  private readonly secretVersions = new Map<string, SecretVersionMeta[]>();
  private choiceValue: ProfileChoice | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.choiceValue = context.workspaceState.get<ProfileChoice>(CHOICE_KEY);
    if (this.choiceValue?.source === 'sandbox') this.choiceValue = undefined; // the sandbox does not survive a reload
  }

  get choice(): ProfileChoice | undefined {
    return this.choiceValue;
  }

  /** Lookups for hovers and the explorer. */
  readonly live: LiveLookups = {
    resource: (id) => this.drift?.resources.get(id),
    secretVersions: (id) => this.secretVersions.get(id),
  };

  async choose(choice: ProfileChoice | undefined): Promise<void> {
    // another profile may reach another organisation: the last drift (status bar, view, diagram) and
    // the secret versions were read with the previous one and say nothing about this one
    if (JSON.stringify(choice) !== JSON.stringify(this.choiceValue)) {
      this.drift = undefined;
      this.secretVersions.clear();
    }
    this.choiceValue = choice;
    this.organizationId = choice?.source === 'sandbox' ? this.sandbox?.organizationId : undefined;
    await this.context.workspaceState.update(CHOICE_KEY, choice?.source === 'sandbox' ? undefined : choice);
    this.fire();
  }

  /** A short label for the status bar and prompts. */
  profileLabel(): string {
    const c = this.choiceValue;
    if (!c) return 'scw default';
    if (c.source === 'sandbox') return 'sandbox';
    if (c.source === 'vscode') return `${c.name} (VS Code)`;
    return c.name ? `scw ${c.name}` : 'scw default';
  }

  setDrift(snapshot: DriftSnapshot | undefined): void {
    this.drift = snapshot;
    this.fire();
  }

  setSecretVersions(secretId: string, versions: SecretVersionMeta[]): void {
    this.secretVersions.set(secretId, versions);
    this.fire();
  }

  setSandbox(handle: SandboxHandle | undefined): void {
    this.sandbox = handle;
    if (handle) log().addSecret(handle.secretKey);
    this.fire();
  }

  signIns(): SignIn[] {
    return this.context.globalState.get<SignIn[]>(SIGN_INS_KEY, []);
  }

  async saveSignIn(signIn: SignIn, secretKey: string): Promise<void> {
    log().addSecret(secretKey);
    await this.context.secrets.store(secretKeyName(signIn.name), secretKey);
    await this.context.globalState.update(SIGN_INS_KEY, [...this.signIns().filter((s) => s.name !== signIn.name), signIn]);
  }

  /**
   * The credentials for a cloud command. Reads SecretStorage or the scw config file; never called
   * at activation or in Restricted Mode (the command boundary refuses first).
   */
  async resolveProfile(): Promise<ScalewayProfile> {
    if (!vscode.workspace.isTrusted) throw new RefusedError('Credentials are not read in Restricted Mode.');
    const { resolveProfile } = await loadProfiles();
    const c = this.choiceValue;
    const isolated = { env: {} as NodeJS.ProcessEnv, configPath: '/nonexistent/landing-zone/scw-config.yaml' };
    let profile: ScalewayProfile;
    if (c?.source === 'sandbox') {
      const s = this.sandbox;
      if (!s) throw new RefusedError('The sandbox is not running: run "Landing Zone: Start Sandbox" or select another profile.');
      profile = await resolveProfile({ ...isolated, label: 'sandbox', accessKey: s.accessKey, secretKey: s.secretKey, organizationId: s.organizationId, projectId: s.projectId, apiUrl: s.url });
    } else if (c?.source === 'vscode') {
      const signIn = this.signIns().find((s) => s.name === c.name);
      const secretKey = await this.context.secrets.get(secretKeyName(c.name));
      if (!signIn || !secretKey) throw new RefusedError(`The VS Code sign-in "${c.name}" is incomplete: run "Landing Zone: Sign In" again.`);
      log().addSecret(secretKey);
      profile = await resolveProfile({ ...isolated, label: `${c.name} (VS Code)`, accessKey: signIn.accessKey, secretKey, organizationId: signIn.organizationId, projectId: signIn.projectId, region: signIn.region, apiUrl: signIn.apiUrl });
    } else {
      // the setting is in restrictedConfigurations: an untrusted folder cannot pick the profile
      const configured = vscode.workspace.getConfiguration('landingZone').get<string>('profile', '').trim();
      profile = await resolveProfile({ profile: c?.name ?? (configured || undefined) });
      log().addSecret(profile.secretKey);
    }
    if (this.organizationId !== profile.organizationId) {
      this.organizationId = profile.organizationId;
      this.fire();
    }
    return profile;
  }

  private fire(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    const s = this.sandbox;
    this.sandbox = undefined;
    if (s) void s.stop().catch(() => undefined);
  }
}
