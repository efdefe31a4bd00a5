import { createServer } from 'node:http';
import type { VeleroApi } from '../../../src/sandbox/kube/velero-api';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { Account, createClient, Iam, K8s, KeyManager, Rdb, Secret, Function as Fn } from '@scaleway/sdk';
import { main } from '../../../src/cli/main';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/server';

/** A sandbox with tiny delays, plus SDK clients on its owner key for arranging a scenario. */
export async function sandboxWithClients(options: SandboxOptions = {}) {
  const sandbox = await startSandbox({ transitionMs: 20, ...options });
  sandbox.extras.velero.setDelays({ startMs: 20, runMs: 60, readyMs: 50 });
  const client = createClient({
    apiURL: sandbox.url, accessKey: sandbox.accessKey, secretKey: sandbox.secretKey,
    defaultOrganizationId: sandbox.organizationId, defaultProjectId: sandbox.projectId, defaultRegion: 'fr-par', defaultZone: 'fr-par-1',
  });
  return {
    sandbox,
    account: new Account.v3.ProjectAPI(client),
    secret: new Secret.v1beta1.API(client),
    keys: new KeyManager.v1alpha1.API(client),
    iam: new Iam.v1alpha1.API(client),
    rdb: new Rdb.v1.API(client),
    k8s: new K8s.v1.API(client),
    functions: new Fn.v1beta1.API(client),
  };
}

export type Arranged = Awaited<ReturnType<typeof sandboxWithClients>>;

/** A sandbox with clients, a temporary folder whose `landing-zone.yaml` is `fileFor` its organisation, and the CLI's environment there. */
export async function scenario(fileFor: (orgId: string) => string): Promise<{ a: Arranged; dir: string; path: string; env: NodeJS.ProcessEnv }> {
  const a = await sandboxWithClients();
  const dir = await tempDir();
  const path = join(dir, 'landing-zone.yaml');
  await writeFile(path, fileFor(a.sandbox.organizationId));
  return { a, dir, path, env: envFor(a.sandbox, dir) };
}

export function envFor(sandbox: Sandbox, dir: string): NodeJS.ProcessEnv {
  return {
    SCW_API_URL: sandbox.url,
    SCW_ACCESS_KEY: sandbox.accessKey,
    SCW_SECRET_KEY: sandbox.secretKey,
    SCW_DEFAULT_ORGANIZATION_ID: sandbox.organizationId,
    SCW_DEFAULT_PROJECT_ID: sandbox.projectId,
    SCW_CONFIG_PATH: join(dir, 'no-scw-config.yaml'),
    LZ_RETRY_ATTEMPTS: '2',
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every stdout and stderr of the scenario, for the canary search. */
export const transcript: string[] = [];

/** Runs the CLI in-process, as `landing-zone …` would, with the given stdin. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, cwd: string, stdin = '', isTTY = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { add(String(chunk)); cb(); } });
  const input = new PassThrough();
  input.end(stdin);
  const code = await main(argv, {
    stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), stdin: input, cwd, env, isTTY,
  });
  transcript.push(stdout, stderr);
  return { code, stdout, stderr };
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lz-ops-'));
}

/** Every file under a directory (journals, history), as text. */
export async function readTree(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  let entries: string[] = [];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      out.push({ path: join(dir, e), text: await readFile(join(dir, e), 'utf8') });
    } catch {
      // a directory
    }
  }
  return out;
}

export async function writeFileText(path: string, text: string): Promise<void> {
  await writeFile(path, text);
}

/** The records of the journal next to the scenario's file (`.landing-zone/journal.jsonl`), as parsed lines. */
export async function journalRecords(dir: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(dir, '.landing-zone', 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Rewrites the journal as a crash or the clock would have left it: `edit` gets every record and
 * returns the ones to keep (changed where it likes).
 */
export async function editJournal(dir: string, edit: (records: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<void> {
  const kept = edit(await journalRecords(dir));
  await writeFile(join(dir, '.landing-zone', 'journal.jsonl'), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** The run of the last `run-start` of an operation on a target. */
export function lastRunOf(records: Record<string, unknown>[], operation: string, target: string): string {
  const start = records.filter((r) => r.event === 'run-start' && r.operation === operation && r.target === target).at(-1);
  if (!start) throw new Error(`no ${operation} of ${target} in the journal`);
  return String(start.run);
}

/** A canary: if this string ever shows up in an output, a log or a journal, a value leaked. */
export const CANARY = 'CANARY-7f3e9b1c-do-not-print-me-4d2a';

/** Serves a sandbox Velero/Kubernetes API alone on loopback (what the sandbox mounts under /k8s-api/). */
export async function serveKubeApi(api: VeleroApi): Promise<{ url: string; close(): Promise<void> }> {
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void api.handle(req, res, new URL(req.url ?? '/', 'http://x'), Buffer.concat(chunks), url).then((s) => {
        if (s === undefined) { res.writeHead(404); res.end(); }
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}
