import type { Issue } from '../issues';
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
          { title: 'Add a network (choose a free subnet)', edits: setKey(source, path, 'network', '{ privateNetwork: { subnet: 10.255.0.0/24 }, publicGateway: { type: VPC-GW-S, reservedIp: true } }') }));
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

export const projectNetworkRules: ModelRule[] = [projectNetwork];
