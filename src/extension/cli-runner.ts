import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ScalewayProfile } from '../scaleway/profiles';
import { CancelledError } from '../core/errors';
import { log } from './logger';

export interface CliRun {
  code: number;
  stdout: string;
}

/**
 * Runs the bundled CLI (dist/cli.js) for the operations that need the Kubernetes client (Velero in
 * DR checks and restores): it carries that client, so the extension's own bundles stay within the
 * .vsix budget. Credentials go through the environment of the child only — never argv, never a log —
 * and the scw config file is ignored so the child uses exactly the profile the user selected.
 * Cancel sends SIGINT, which the CLI answers by stopping between steps with its journal consistent.
 */
export function runCli(extensionPath: string, args: string[], o: { cwd: string; profile: ScalewayProfile; signal: AbortSignal; onProgress(line: string): void }): Promise<CliRun> {
  const p = o.profile;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // VS Code's extension host runs on Electron: make it a plain Node for the child
    ELECTRON_RUN_AS_NODE: '1',
    SCW_ACCESS_KEY: p.accessKey,
    SCW_SECRET_KEY: p.secretKey,
    SCW_DEFAULT_ORGANIZATION_ID: p.organizationId,
    SCW_DEFAULT_REGION: p.region,
    SCW_DEFAULT_ZONE: p.zone,
    SCW_CONFIG_PATH: join(o.cwd, '.landing-zone', 'no-scw-config.yaml'),
    CI: '1',
  };
  delete env.SCW_PROFILE;
  if (p.projectId) env.SCW_DEFAULT_PROJECT_ID = p.projectId; else delete env.SCW_DEFAULT_PROJECT_ID;
  if (p.apiUrl) env.SCW_API_URL = p.apiUrl; else delete env.SCW_API_URL;
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(new CancelledError());
    log().trace(`cli: landing-zone ${args.join(' ')}`);
    const child = spawn(process.execPath, [join(extensionPath, 'dist', 'cli.js'), ...args], { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) o.onProgress(l.trim());
    });
    const onAbort = () => child.kill('SIGINT');
    o.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => { o.signal.removeEventListener('abort', onAbort); reject(err); });
    child.on('close', (code, sig) => {
      o.signal.removeEventListener('abort', onAbort);
      if (pending.trim()) o.onProgress(pending.trim());
      if (o.signal.aborted) return reject(new CancelledError());
      resolve({ code: code ?? (sig ? 130 : 1), stdout });
    });
  });
}
