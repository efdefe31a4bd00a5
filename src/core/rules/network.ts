import type { DocPath } from '../document';
import type { Issue } from '../issues';
import { formatIp, isPrivate, overlaps, parseCidr, type Cidr } from './cidr';
import { replaceValue } from './edits';
import { entriesOf, finding, valueAt, type ModelRule } from './rule';

const cidrInvalid: ModelRule = {
  id: 'cidr-invalid',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Scaleway rejects a subnet whose octets, prefix or network address are wrong, and only private (RFC 1918) ranges can be Private Networks.',
  fix: 'Write the block\'s network address with a prefix of at most /28, inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.',
  check({ model, source }) {
    const out: Issue[] = [];
    const check = (text: string, path: DocPath, privateOnly: boolean) => {
      const parsed = parseCidr(text);
      if (!parsed.ok) {
        out.push(finding(cidrInvalid, valueAt(source, path), `Invalid CIDR: ${parsed.problem}.`,
          parsed.aligned ? { title: `Change to ${parsed.aligned}`, edits: replaceValue(source, path, parsed.aligned) } : { title: 'Write an IPv4 CIDR such as 10.0.0.0/24.' }));
        return;
      }
      if (privateOnly && !isPrivate(parsed.cidr)) {
        out.push(finding(cidrInvalid, valueAt(source, path),
          `${text} is not a private range: a Private Network subnet must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918).`,
          { title: 'Choose a subnet inside an RFC 1918 range.' }));
      } else if (privateOnly && parsed.cidr.prefix > 28) {
        out.push(finding(cidrInvalid, valueAt(source, path),
          `${text} is too small: Scaleway reserves the first two and last two addresses of a Private Network, so use /28 or larger.`,
          { title: 'Use a /28 or larger block.' }));
      }
    };
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      const net = p.network;
      if (net?.privateNetwork) check(net.privateNetwork.subnet, ['projects', pname, 'network', 'privateNetwork', 'subnet'], true);
      net?.publicGateway.bastion?.allowedIps?.forEach((ip, i) =>
        check(ip, ['projects', pname, 'network', 'publicGateway', 'bastion', 'allowedIps', i], false));
    }
    return out;
  },
};

/**
 * Projects' Private Networks must not overlap: hub-and-spoke routing and VPN peering need each
 * address to belong to one project. Sorting by first address keeps this O(n log n) on large files.
 */
const cidrOverlap: ModelRule = {
  id: 'cidr-overlap',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'Overlapping Private Networks break routing between the hubs and the spokes.',
  fix: 'Give each project its own, non-overlapping subnet.',
  check({ model, source }) {
    const blocks: { project: string; text: string; cidr: Cidr; path: DocPath }[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      const subnet = p.network?.privateNetwork.subnet;
      if (!subnet) continue;
      const parsed = parseCidr(subnet);
      if (parsed.ok) blocks.push({ project: pname, text: subnet, cidr: parsed.cidr, path: ['projects', pname, 'network', 'privateNetwork', 'subnet'] });
    }
    blocks.sort((a, b) => a.cidr.first - b.cidr.first || b.cidr.last - a.cidr.last);
    const out: Issue[] = [];
    // Sweep: each block is compared with the one that reaches furthest among those before it, so
    // every overlapping subnet is reported once, naming one project it overlaps: with 400 projects
    // on one subnet that is 400 findings, not 159,600 (and the fix of each is the same).
    const reported = new Set<(typeof blocks)[number]>();
    const report = (b: (typeof blocks)[number], o: (typeof blocks)[number]) => {
      if (reported.has(b)) return;
      reported.add(b);
      const shared = `${formatIp(Math.max(o.cidr.first, b.cidr.first))}–${formatIp(Math.min(o.cidr.last, b.cidr.last))}`;
      out.push(finding(cidrOverlap, valueAt(source, b.path), `${b.project}'s subnet ${b.text} overlaps ${o.project}'s ${o.text} (${shared}).`, { title: `Choose a subnet for ${b.project} that no other project uses.` }));
    };
    let reach: (typeof blocks)[number] | undefined;
    for (const b of blocks) {
      if (reach && overlaps(reach.cidr, b.cidr)) {
        report(b, reach);
        report(reach, b);
      }
      if (!reach || b.cidr.last > reach.cidr.last) reach = b;
    }
    return out;
  },
};

export const networkRules: ModelRule[] = [cidrInvalid, cidrOverlap];
