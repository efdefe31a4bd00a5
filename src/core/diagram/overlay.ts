import { z } from 'zod';
import type { Topology } from '../topology';
import type { DiagramOverlay, DriftState, UnmanagedResource } from './types';
import { driftCoverage } from './render';

/*
 * The drift overlay from what the user has: the drift report (`landing-zone drift --format json`,
 * or the DriftReport value in the extension) or a plain `{ "<resource id>": "<state>" }` map.
 * Resources that the diagram does not draw as boxes (pools, LB frontends and ACLs, gateway
 * networks, API keys, policies) count towards their parent box; the worst state wins.
 */

const STATE_ALIASES: Record<string, DriftState> = {
  'in-sync': 'in-sync', in_sync: 'in-sync', insync: 'in-sync', ok: 'in-sync', synced: 'in-sync',
  changed: 'changed', drift: 'changed', drifted: 'changed', modified: 'changed',
  missing: 'missing', absent: 'missing', deleted: 'missing',
  unmanaged: 'unmanaged', extra: 'unmanaged', unknown: 'unmanaged',
};
const WORST: Record<DriftState, number> = { missing: 4, changed: 3, unmanaged: 2, 'in-sync': 1 };

const entrySchema = z.object({
  id: z.string().min(1).max(400),
  status: z.string().max(40),
  kind: z.string().max(60).optional(),
  project: z.string().max(200).optional(),
  name: z.string().max(400).optional(),
  /** An unmanaged resource that `drift.ignore` accepts: drawn nowhere and not part of the coverage. */
  undeclared: z.boolean().optional(),
});
const reportSchema = z.object({
  entries: z.array(entrySchema).max(1_000_000),
  summary: z.object({ coverage: z.number().min(0).max(100).optional() }).optional(),
  readAt: z.string().max(100).optional(),
});
const mapSchema = z.record(z.string().min(1).max(400), z.string().max(40));

/** Parses drift JSON (a report or an id → state map) into an overlay; a message when it is neither. */
export function overlayFromJson(value: unknown, topology?: Topology): DiagramOverlay | { error: string } {
  const report = reportSchema.safeParse(value);
  if (report.success) {
    const entries = report.data.entries.flatMap((e) => {
      if (e.undeclared) return [];
      const state = STATE_ALIASES[e.status.toLowerCase()];
      return state ? [{ ...e, state }] : []; // not-checked and unknown statuses draw nothing
    });
    return buildOverlay(entries, topology, report.data.readAt);
  }
  const map = mapSchema.safeParse(value);
  if (map.success) {
    const entries: { id: string; state: DriftState }[] = [];
    for (const [id, s] of Object.entries(map.data)) {
      const state = STATE_ALIASES[s.toLowerCase()];
      if (!state) return { error: `unknown drift state "${s}" for ${id}; expected in-sync, changed, missing or unmanaged` };
      entries.push({ id, state });
    }
    return buildOverlay(entries, topology);
  }
  return { error: 'expected the JSON of `landing-zone drift --format json` or an object of resource id → in-sync|changed|missing|unmanaged' };
}

/** The overlay from per-resource states, rolled up to the boxes of a topology when given. */
export function buildOverlay(entries: { id: string; state: DriftState; kind?: string; project?: string; name?: string }[], topology?: Topology, checkedAt?: string): DiagramOverlay {
  const nodes = topology ? new Set(topology.nodes.map((n) => n.id)) : undefined;
  const states: Record<string, DriftState> = {};
  const unmanaged: UnmanagedResource[] = [];
  const set = (id: string, s: DriftState) => { const cur = states[id]; if (!cur || WORST[s] > WORST[cur]) states[id] = s; };
  for (const e of entries) {
    const project = e.project ?? e.id.split('/')[0];
    if (e.state === 'unmanaged' && (!nodes || !nodes.has(e.id))) {
      unmanaged.push({ id: e.id, ...(project ? { project } : {}), ...(e.kind ? { kind: e.kind } : {}), ...(e.name ? { name: e.name } : {}) });
      continue;
    }
    const target = !nodes || nodes.has(e.id) ? e.id : parentBox(e.id, topology!);
    if (target) set(target, e.state);
  }
  const desired = entries.filter((e) => e.state !== 'unmanaged');
  const coverage = desired.length > 0 ? (100 * desired.filter((e) => e.state === 'in-sync').length) / desired.length : driftCoverage(states);
  return { states, coverage, unmanaged, ...(checkedAt ? { checkedAt } : {}) };
}

/** The box that stands for a resource the diagram does not draw (a pool → its cluster…). */
export function parentBox(id: string, topology: Topology): string | undefined {
  const [project, kind, name = ''] = id.split('/');
  if (!project || !kind) return undefined;
  const inProject = topology.nodes.filter((n) => n.project === project || (project === 'iam' && n.kind === 'application'));
  const prefixed = (k: string) => inProject.filter((n) => n.kind === k && name.startsWith(`${n.label}-`)).sort((a, b) => b.label.length - a.label.length)[0]?.id;
  switch (kind) {
    case 'pool': return prefixed('cluster');
    case 'lb-frontend': case 'lb-acl': case 'lb-ip': case 'lb-backend': case 'lb-certificate': return prefixed('load-balancer');
    // a replica (`elasticsearch-credentials-nl-ams`) is drawn as the secret or key it copies
    case 'secret-replica': return prefixed('secret');
    case 'key-replica': return prefixed('key');
    case 'gateway-network': return inProject.find((n) => n.kind === 'public-gateway')?.id;
    case 'api-key': case 'policy': return topology.nodes.find((n) => n.id === `iam/application/${name}`)?.id;
    case 'velero-schedule': return undefined;
    case 'project': return undefined;
    default: return undefined;
  }
}
