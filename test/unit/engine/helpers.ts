import { readFileSync } from 'node:fs';
import { desiredResources } from '../../../src/core/desired';
import { computeDrift, type DriftReport } from '../../../src/core/drift';
import { buildPlan, type Plan } from '../../../src/core/plan';
import type { DesiredResource, Inventory } from '../../../src/core/state';
import { validateText } from '../../../src/core/validate';
import type { LandingZoneModel, ResourceKind } from '../../../src/core/model';
import type { Sandbox } from '../../../src/sandbox/server';
import { executePlan, type ApplyResult } from '../../../src/scaleway/apply';
import { readOnlyClients, writeClients, type ClientOptions } from '../../../src/scaleway/client';
import { readInventory } from '../../../src/scaleway/inventory';
import { resolveProfile, type ScalewayProfile } from '../../../src/scaleway/profiles';

export const EXAMPLE_ORG = '6a4c2f1e-8b3d-4e5f-9a7b-1c2d3e4f5a6b';

/** The SCW_* environment `landing-zone sandbox --print-env` prints, for a sandbox started in-process. */
export function sandboxEnv(sb: Sandbox): NodeJS.ProcessEnv {
  return { SCW_CONFIG_PATH: '/nonexistent/config.yaml', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId };
}

export function sandboxProfile(sb: Sandbox): Promise<ScalewayProfile> {
  return resolveProfile({ env: sandboxEnv(sb) });
}

/** The reference example, retargeted at the sandbox's organisation. */
export function exampleText(sb: Sandbox): string {
  return readFileSync('examples/landing-zone.yaml', 'utf8').replace(EXAMPLE_ORG, sb.organizationId);
}

export function modelOf(text: string): { model: LandingZoneModel; desired: DesiredResource[] } {
  const v = validateText(text);
  if (!v.model) throw new Error(`invalid: ${v.issues.map((i) => i.message).join('; ')}`);
  return { model: v.model, desired: desiredResources(v.model) };
}

export const FAST_RETRY: ClientOptions = { retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 80 } };

export async function inventoryOf(profile: ScalewayProfile): Promise<Inventory> {
  return readInventory(readOnlyClients(profile, FAST_RETRY), { organizationId: profile.organizationId, regions: ['fr-par', 'nl-ams'] });
}

/** The example declares SSO, which this version never reads: tests about other things accept it by name. */
export const EXAMPLE_UNREAD: readonly ResourceKind[] = ['sso'];

export async function driftOf(profile: ScalewayProfile, text: string, acceptNotChecked: readonly ResourceKind[] = []): Promise<DriftReport> {
  const { model, desired } = modelOf(text);
  return computeDrift(desired, await inventoryOf(profile), { ignores: model.spec.drift?.ignore ?? [], acceptNotChecked });
}

export async function planAndApply(profile: ScalewayProfile, text: string, concurrency = 8): Promise<{ plan: Plan; result: ApplyResult }> {
  const { model, desired } = modelOf(text);
  const inventory = await inventoryOf(profile);
  const plan = buildPlan(desired, inventory, { ignores: model.spec.drift?.ignore ?? [] });
  const result = await executePlan({ plan, desired, inventory, clients: writeClients(profile, FAST_RETRY), concurrency });
  return { plan, result };
}

/** Resources of a sandbox kind that share one `lz:id` tag (or, untagged, one parent and name). */
export function duplicates(sb: Sandbox): string[] {
  const out: string[] = [];
  const kinds: [string, string[]][] = [
    ['account.project', []], ['vpc.private_network', []], ['vpcgw.ip', []], ['vpcgw.gateway', []], ['vpcgw.gateway_network', ['gateway_id', 'private_network_id']],
    ['k8s.cluster', []], ['k8s.pool', ['cluster_id', 'name']], ['lb.lb', []], ['lb.frontend', ['lb_id', 'name']], ['lb.backend', ['lb_id', 'name']],
    ['lb.acl', ['frontend_id', 'name']], ['rdb.instance', []], ['keymanager.key', []], ['secret.secret', []], ['iam.application', []], ['iam.policy', []],
  ];
  for (const [kind, keyFields] of kinds) {
    const seen = new Map<string, number>();
    for (const r of sb.state.list(kind)) {
      const tags = Array.isArray(r.tags) ? (r.tags as string[]) : [];
      const key = tags.find((t) => t.startsWith('lz:id=')) ?? (keyFields.length ? keyFields.map((f) => String(r[f])).join('/') : kind === 'account.project' ? String(r.name) : undefined);
      if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [k, n] of seen) if (n > 1) out.push(`${kind} ${k} ×${n}`);
  }
  // API keys carry their id in the description
  const keys = new Map<string, number>();
  for (const k of sb.state.list('iam.api_key')) {
    const id = /lz:id=(\S+)/.exec(String(k.description ?? ''))?.[1];
    if (id) keys.set(id, (keys.get(id) ?? 0) + 1);
  }
  for (const [k, n] of keys) if (n > 1) out.push(`iam.api_key ${k} ×${n}`);
  return out;
}

