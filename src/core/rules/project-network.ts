import type { Issue } from '../issues';
import { overlaps, parseCidr } from './cidr';
import { replaceValue, setKey } from './edits';
import { finding, keyAt, valueAt, type ModelRule } from './rule';

/** Hub and spoke: every project has its own Private Network and a gateway with a reserved IP. */
export const projectNetwork: ModelRule = {
  id: 'project-network',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Every project has its own Private Network and a Public Gateway with a reserved IP, the address the hubs\' ACLs are built from.',
  fix: 'Add network: { privateNetwork: { subnet }, publicGateway: { type, reservedIp: true } } to the project.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
      const path = ['projects', pname];
      if (!p.network) {
        out.push(finding(projectNetwork, keyAt(source, path),
          `Project ${pname} has no network: every project has a Private Network and a Public Gateway with a reserved IP.`,
          { title: 'Add a network on a free subnet', edits: setKey(source, path, 'network', `{ privateNetwork: { subnet: ${freeSubnet(model.spec.projects)} }, publicGateway: { type: VPC-GW-S, reservedIp: true } }`) }));
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

/** The first 10.x.0.0/24 (from 10.200) that no project's subnet overlaps: a fix must not create an overlap. */
function freeSubnet(projects: Record<string, { network?: { privateNetwork: { subnet: string } } }>): string {
  const taken = Object.values(projects).flatMap((p) => {
    const parsed = p.network ? parseCidr(p.network.privateNetwork.subnet) : undefined;
    return parsed?.ok ? [parsed.cidr] : [];
  });
  for (let x = 200; x < 256; x++) {
    const candidate = parseCidr(`10.${x}.0.0/24`);
    if (candidate.ok && !taken.some((t) => overlaps(t, candidate.cidr))) return `10.${x}.0.0/24`;
  }
  return '192.168.0.0/24';
}

/** Only named sources may reach a bastion; 0.0.0.0/0 turns the one SSH entry into a public one. */
export const bastionOpen: ModelRule = {
  id: 'bastion-open',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'The bastion is the only SSH entry into a Private Network: it admits named source ranges, never the whole Internet.',
  fix: 'List the office or VPN ranges in bastion.allowedIps instead of 0.0.0.0/0.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of Object.entries(model.spec.projects)) {
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
