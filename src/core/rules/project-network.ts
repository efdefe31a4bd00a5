import type { Issue } from '../issues';
import { overlaps, parseCidr, type Cidr } from './cidr';
import { catalogDefault } from './defaults';
import { replaceValue, setKey } from './edits';
import { valuesOf, entriesOf, finding, keyAt, valueAt, type ModelRule } from './rule';

/** Hub and spoke: every project has its own Private Network and a gateway with a reserved IP. */
const projectNetwork: ModelRule = {
  id: 'project-network',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Every project has its own Private Network and a Public Gateway with a reserved IP, the address the hubs\' ACLs are built from.',
  fix: 'Add network: { privateNetwork: { subnet }, publicGateway: { type, reservedIp: true } } to the project.',
  check(ctx) {
    const { model, source } = ctx;
    const out: Issue[] = [];
    let gatewayTypes: string[] | undefined;
    // computed once: per project without a network it made this rule quadratic (48 s for 10,000);
    // each such project gets its own subnet, so applying every fix creates no overlap
    let free: string[] | undefined;
    let next = 0;
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      const path = ['projects', pname];
      if (!p.network) {
        // the n-th project without a network gets the n-th free subnet, whichever fixes are read
        const nth = next++;
        out.push(finding(projectNetwork, keyAt(source, path),
          `Project ${pname} has no network: every project has a Private Network and a Public Gateway with a reserved IP.`,
          () => {
            free ??= freeSubnets(model.spec.projects);
            const subnet = free[nth] ?? '192.168.0.0/24';
            // the gateway type: the first one the zone's catalog lists, never one typed here
            gatewayTypes ??= valuesOf(model.spec.projects).flatMap((x) => (x.network ? [x.network.publicGateway.type] : []));
            const type = catalogDefault(ctx, 'gateway-types', model.placement[pname]?.zone ?? model.spec.defaults.zone, gatewayTypes);
            return { title: 'Add a network on a free subnet', edits: type ? setKey(source, path, 'network', `{ privateNetwork: { subnet: ${subnet} }, publicGateway: { type: ${type}, reservedIp: true } }`) : undefined };
          }));
        continue;
      }
      if (!p.network.publicGateway.reservedIp) {
        const ipPath = [...path, 'network', 'publicGateway', 'reservedIp'];
        out.push(finding(projectNetwork, valueAt(source, ipPath),
          `The gateway of ${pname} has no reserved IP: its address would change when it is recreated${model.hubs.includes(pname) ? ', and every load balancer ACL that admits this hub would break' : ''}.`,
          { title: 'Set reservedIp: true', edits: replaceValue(source, ipPath, 'true') }));
      }
    }
    return out;
  },
};

const CANDIDATES = Array.from({ length: 56 }, (_, i) => `10.${200 + i}.0.0/24`).map((text) => ({ text, cidr: (parseCidr(text) as { cidr: Cidr }).cidr }));

/** The 10.x.0.0/24 blocks (from 10.200) that no project's subnet overlaps: a fix must not create an overlap. */
export function freeSubnets(projects: Record<string, { network?: { privateNetwork: { subnet: string } } }>): string[] {
  const taken = new Set<string>();
  for (const p of valuesOf(projects)) {
    const parsed = p.network ? parseCidr(p.network.privateNetwork.subnet) : undefined;
    if (!parsed?.ok) continue;
    for (const c of CANDIDATES) if (overlaps(parsed.cidr, c.cidr)) taken.add(c.text);
  }
  return CANDIDATES.filter((c) => !taken.has(c.text)).map((c) => c.text);
}

/** Only named sources may reach a bastion; 0.0.0.0/0 turns the one SSH entry into a public one. */
const bastionOpen: ModelRule = {
  id: 'bastion-open',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'The bastion is the only SSH entry into a Private Network: it admits named source ranges, never the whole Internet.',
  fix: 'List the office or VPN ranges in bastion.allowedIps instead of 0.0.0.0/0.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      p.network?.publicGateway.bastion?.allowedIps?.forEach((ip, i) => {
        const parsed = parseCidr(ip);
        if (!parsed.ok || parsed.cidr.prefix > 8) return;
        out.push(finding(bastionOpen, valueAt(source, ['projects', pname, 'network', 'publicGateway', 'bastion', 'allowedIps', i]),
          `The bastion of ${pname} admits ${ip} (${2 ** (32 - parsed.cidr.prefix)} addresses); list only the ranges that need SSH.`));
      });
    }
    return out;
  },
};

export const projectNetworkRules: ModelRule[] = [projectNetwork, bastionOpen];
