import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { transitionProfile } from '../../sandbox/context';
import { startSandbox, type RequestLogEntry, type Sandbox, type SandboxOptions } from '../../sandbox/server';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { parseOptions } from '../options';

const usage = `Usage: landing-zone sandbox [--port N] [--host 127.0.0.1] [--state FILE] [--seed FILE]
                            [--latency MS] [--transition-ms MS|recorded[/N]] [--fault-rate R] [--fault-seed N]
                            [--log FILE] [--print-env]

Runs a local Scaleway-compatible API (account, IAM, VPC, Public Gateways, IPAM, Load Balancers,
Kapsule, Managed Databases, Secret Manager, Key Manager, Functions) that the real SDK talks to.
It listens on loopback only and stays in the foreground until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port N           port to listen on (default 0: a free port)
  --host HOST        127.0.0.1 (default), ::1 or localhost; other addresses are refused
  --state FILE       keep the state in FILE (JSON, written atomically) and reload it on start
  --seed FILE        on first start, create the resources of a seed file (see examples/sandbox-seed.json)
  --latency MS       add MS milliseconds to every answer
  --transition-ms MS how long resources stay in transient states (default: a few hundred ms);
                     \`recorded\` for Scaleway's own times, measured in recorded real traffic
                     (databases about 200 s, gateways 5 s…), \`recorded/N\` for those divided by N
  --fault-rate R     answer a fraction R (0..1) of requests with faults: two thirds 429, one third 503
  --fault-seed N     seed of the fault sequence (default 1): the same seed gives the same faults
  --log FILE         append one line per request (time method path status ms) to FILE
  --print-env        once listening, print SCW_* variables for \`source\` (includes the sandbox's
                     own throwaway secret key: the one place it is printed)

Exit codes: 0 stopped cleanly, 1 could not start, 2 usage error or unreadable seed.
`;

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function recordedProfile(spec: string) {
  try {
    return transitionProfile(spec);
  } catch (err) {
    throw new UsageError(`--transition-ms: ${(err as Error).message}`);
  }
}

/** Lines a shell can `source`: the sandbox's URL, credentials and defaults. */
function envLines(sb: Sandbox): string {
  return [
    `SCW_API_URL=${sb.url}`,
    `SCW_ACCESS_KEY=${sb.accessKey}`,
    `SCW_SECRET_KEY=${sb.secretKey}`,
    `SCW_DEFAULT_ORGANIZATION_ID=${sb.organizationId}`,
    `SCW_DEFAULT_PROJECT_ID=${sb.projectId}`,
    'SCW_DEFAULT_REGION=fr-par',
    'SCW_DEFAULT_ZONE=fr-par-1',
    '',
  ].join('\n');
}

/** Parses argv into sandbox options; every mistake is one UsageError line. */
export function sandboxOptions(argv: string[], io: CliIo): { options: SandboxOptions; printEnv: boolean; log?: string } {
  const { values, positionals } = parseOptions(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    state: { type: 'string' },
    seed: { type: 'string' },
    latency: { type: 'string' },
    'transition-ms': { type: 'string' },
    'fault-rate': { type: 'string' },
    'fault-seed': { type: 'string' },
    log: { type: 'string' },
    'print-env': { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), got "${host}"`);
  let faultRate: number | undefined;
  if (values['fault-rate'] !== undefined) {
    faultRate = Number(values['fault-rate']);
    if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 1) throw new UsageError(`--fault-rate must be a number between 0 and 1, got "${values['fault-rate']}"`);
  }
  const options: SandboxOptions = {
    port: intOption('port', values.port, 0, 65535) ?? 0,
    host,
    latencyMs: intOption('latency', values.latency, 0, 60_000),
    ...(/^recorded/.test(values['transition-ms'] ?? '')
      ? { delays: recordedProfile(values['transition-ms']!) }
      : { transitionMs: intOption('transition-ms', values['transition-ms'], 0, 600_000) }),
    ...(values.state ? { stateFile: resolve(io.cwd, values.state) } : {}),
    ...(values.seed ? { seed: resolve(io.cwd, values.seed) } : {}),
  };
  if (faultRate !== undefined && faultRate > 0) {
    options.faults = { rate429: (faultRate * 2) / 3, rate503: faultRate / 3, seed: intOption('fault-seed', values['fault-seed'], 0, 2 ** 31) ?? 1 };
  }
  // a shell that sourced --print-env earlier keeps working after a restart with the same state
  const { SCW_ACCESS_KEY: ak, SCW_SECRET_KEY: sk } = io.env;
  if (ak && sk) options.credentials = { accessKey: ak, secretKey: sk };
  return { options, printEnv: values['print-env'], ...(values.log ? { log: resolve(io.cwd, values.log) } : {}) };
}

/** Waits for SIGINT or SIGTERM; the returned promise resolves with the signal's name. */
function untilSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const onSignal = (sig: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `landing-zone sandbox`: the local Scaleway-compatible API for demos, tests and CI. */
export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'run a local Scaleway-compatible API (for trying the tool without an account)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { options, printEnv, log } = sandboxOptions(argv, io);
    let logStream: WriteStream | undefined;
    if (log) {
      logStream = createWriteStream(log, { flags: 'a', mode: 0o600 });
      logStream.on('error', (err) => io.stderr.write(`landing-zone sandbox: cannot write ${log}: ${err.message}\n`));
      options.onRequest = (e: RequestLogEntry) => logStream?.write(`${new Date().toISOString()} ${e.method} ${e.path} ${e.status} ${e.ms}ms\n`);
    }
    let sb: Sandbox;
    try {
      sb = await startSandbox(options);
    } catch (err) {
      logStream?.end();
      const message = err instanceof Error ? err.message : String(err);
      // a bad seed or state file is unreadable input (2); a busy port is a failed start (1)
      if (/seed|state file|ENOENT|JSON/.test(message)) throw new UsageError(message);
      io.stderr.write(`landing-zone sandbox: cannot start: ${message}\n`);
      return ExitCode.findings;
    }
    const stop = untilSignal();
    if (printEnv) io.stdout.write(envLines(sb));
    io.stderr.write(`sandbox listening on ${sb.url} (organization ${sb.organizationId}${options.stateFile ? `, state ${options.stateFile}` : ''}); Ctrl-C to stop\n`);
    const signal = await stop;
    await sb.close();
    await new Promise<void>((r) => (logStream ? logStream.end(r) : r()));
    io.stderr.write(`sandbox stopped (${signal})${options.stateFile ? `, state saved to ${options.stateFile}` : ''}\n`);
    return ExitCode.ok;
  },
};
