import type { Issue } from '../issues';
import { HUB_ROLES } from '../schema';
import { closest } from '../schema-issues';
import { catalogDefault } from './defaults';
import { appendToSequence, removeFromSequence, replaceValue, setKey } from './edits';
import { valuesOf, entriesOf, finding, own, keyAt, list, valueAt, written, type ModelRule } from './rule';

/** The hub-and-spoke design needs both hubs: security (IAM, vault, keys) and devops (CI/CD). */
const hubMissing: ModelRule = {
  id: 'hub-missing',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'The hub-and-spoke network needs a security hub and a devops hub: their gateways are the only way into the environments.',
  fix: 'Add a project with role: security and one with role: devops.',
  check({ model, source }) {
    const roles = new Set(valuesOf(model.spec.projects).map((p) => p.role));
    const missing = HUB_ROLES.filter((r) => !roles.has(r));
    return missing.map((role) => finding(hubMissing, keyAt(source, ['projects']),
      `No ${role} project: the landing zone needs one as a hub${role === 'security' ? ' (IAM, SSO, vault, keys)' : ' (CI/CD, GitOps)'}.`,
      { title: `Add a project with role: ${role}.` }));
  },
};

/** `allowFrom` admits hub gateways only; anything else would open an environment to a spoke. */
const allowFromHub: ModelRule = {
  id: 'allow-from-hub',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'A load balancer admits only the hubs\' gateway IPs; a spoke in allowFrom opens one environment to another.',
  fix: 'Keep only hub projects (role security or devops) in allowFrom, each once.',
  check({ model, source }) {
    const out: Issue[] = [];
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        const lb = c.loadBalancer;
        if (!lb) continue;
        const path = ['projects', pname, 'clusters', cname, 'loadBalancer', 'allowFrom'];
        const seen = new Set<string>();
        lb.allowFrom.forEach((name, i) => {
          const target = own(model.spec.projects, name);
          if (seen.has(name)) {
            out.push(finding(allowFromHub, valueAt(source, [...path, i]), `allowFrom lists ${name} twice.`, { title: `Remove the second ${name}`, edits: removeFromSequence(source, path, i) }));
          } else if (target && !HUB_ROLES.includes(target.role)) {
            out.push(finding(allowFromHub, valueAt(source, [...path, i]),
              `allowFrom: ${name} is not a hub (its role is ${target.role}); only ${list(model.hubs)} may reach ${pname}/${cname}.`,
              { title: `Remove ${name}`, edits: removeFromSequence(source, path, i) }));
          }
          seen.add(name);
        });
      }
    }
    return out;
  },
};

/**
 * Every environment cluster is exposed by an HTTPS load balancer whose ACLs admit exactly the
 * hubs' gateway IPs: nothing less (CI/CD and operators must reach it) and nothing more.
 */
const lbAdmitsHubs: ModelRule = {
  id: 'lb-admits-hubs',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Environment clusters are reachable only through an HTTPS load balancer that admits exactly the hubs\' gateway IPs.',
  fix: 'Give the cluster a loadBalancer with https: true and allowFrom listing every hub project.',
  check(ctx) {
    const { model, source } = ctx;
    const out: Issue[] = [];
    const lbTypes = valuesOf(model.spec.projects).flatMap((p) => Object.values(p.clusters ?? {}).flatMap((c) => (c.loadBalancer ? [c.loadBalancer.type] : [])));
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      if (p.role !== 'environment') continue;
      for (const [cname, c] of Object.entries(p.clusters ?? {})) {
        const cpath = ['projects', pname, 'clusters', cname];
        const lb = c.loadBalancer;
        if (!lb) {
          // the type: the zone's catalog (none is recorded for LB types), else the one the file's other load balancers use
          const zone = model.placement[pname]?.zone ?? model.spec.defaults.zone;
          const type = catalogDefault(ctx, 'lb-types', zone, lbTypes);
          out.push(finding(lbAdmitsHubs, keyAt(source, cpath),
            `Cluster ${pname}/${cname} has no load balancer: environment clusters are exposed only through an HTTPS load balancer that admits the hubs (${list(model.hubs)}).`,
            { title: 'Add an HTTPS load balancer that admits the hubs', edits: type ? setKey(source, cpath, 'loadBalancer', `{ type: ${type}, https: true, allowFrom: [${model.hubs.join(', ')}] }`) : undefined }));
          continue;
        }
        const lbPath = [...cpath, 'loadBalancer'];
        if (!lb.https) {
          out.push(finding(lbAdmitsHubs, valueAt(source, [...lbPath, 'https']),
            `The load balancer of ${pname}/${cname} serves plain HTTP: set https: true (managed certificate on 443).`,
            { title: 'Set https: true', edits: replaceValue(source, [...lbPath, 'https'], 'true') }));
        }
        // a misspelt hub (`devop`) is ref-unresolved's finding, whose fix changes it: adding the hub
        // here as well would offer a second, conflicting fix for the same mistake
        // (looked for only when a hub is missing: allowFrom may list thousands of names)
        const listed = new Set(lb.allowFrom);
        const absent = model.hubs.filter((h) => !listed.has(h));
        const typos = new Set(absent.length === 0 ? [] : lb.allowFrom.filter((n) => !own(model.spec.projects, n)).map((n) => closest(n, model.hubs)).filter((h): h is string => !!h));
        const missing = absent.filter((h) => !typos.has(h));
        if (missing.length > 0) {
          const allowPath = [...lbPath, 'allowFrom'];
          const edits = written(source, allowPath) ? appendToSequence(source, allowPath, missing) : setKey(source, lbPath, 'allowFrom', `[${missing.join(', ')}]`);
          out.push(finding(lbAdmitsHubs, written(source, allowPath) ? valueAt(source, allowPath) : keyAt(source, lbPath),
            `The load balancer of ${pname}/${cname} does not admit ${list(missing)}: allowFrom must list every hub (${list(model.hubs)}).`,
            { title: `Add ${list(missing)} to allowFrom`, edits }));
        }
      }
    }
    return out;
  },
};

export const hubRules: ModelRule[] = [hubMissing, allowFromHub, lbAdmitsHubs];
