import { createClient } from '@scaleway/sdk';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/server';

export type Client = ReturnType<typeof createClient>;

type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends Date ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * The SDK's request types mark many fields required that the API treats as optional; tests send
 * what a caller would, so an API class is viewed with partial request types.
 */
export function loose<T extends object>(api: T): { [K in keyof T]: T[K] extends (req: infer R, ...rest: infer A) => infer O ? (req: DeepPartial<R>, ...rest: A) => O : T[K] } {
  return api as never;
}

/** A sandbox with tiny transition delays, and an SDK client pointed at it. */
export async function withSandbox(options: SandboxOptions = {}): Promise<{ sb: Sandbox; client: Client }> {
  const sb = await startSandbox({ transitionMs: 20, ...options });
  return { sb, client: clientFor(sb) };
}

export function clientFor(sb: Sandbox, keys: { accessKey: string; secretKey: string } = sb): Client {
  return createClient({
    apiURL: sb.url,
    accessKey: keys.accessKey,
    secretKey: keys.secretKey,
    defaultOrganizationId: sb.organizationId,
    defaultProjectId: sb.projectId,
    defaultRegion: 'fr-par',
    defaultZone: 'fr-par-1',
  });
}

/** Raw HTTP for what the SDK cannot send (malformed JSON, wrong types, huge bodies). */
export async function raw(sb: Sandbox, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string; json: unknown; headers: Headers }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { 'X-Auth-Token': sb.secretKey, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), text, json, headers: res.headers };
}

/** Options for SDK waiters (seconds; the SDK's floor is 1 s between tries). */
export const fast = { timeout: 10, minDelay: 1, maxDelay: 1 };

/**
 * Lets 20 ms transitions elapse, so that a waiter's first (immediate) try sees the final state
 * instead of sleeping the SDK's minimum of one second.
 */
export const elapse = (ms = 40) => new Promise<void>((r) => setTimeout(r, ms));
