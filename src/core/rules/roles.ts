import type { Issue } from '../issues';
import { catalogDefault } from './defaults';
import { setKey } from './edits';
import { freeSubnets } from './project-network';
import { entriesOf, finding, keyAt, list, own, type ModelRule } from './rule';

const SEED_ROLES = 'Reference landing zone, projects by role: "security (IAM/SSO, vault, keys, shared secrets), devops (CI/CD, GitOps), monitoring (logs, metrics), shared (other shared services) and environment".';

/** Logs and metrics live in their own project, so an incident in an environment cannot erase its own traces. */
const monitoringProject: ModelRule = {
  id: 'monitoring-project',
  layer: 'policy',
  input: 'model',
  severity: 'warning',
  why: 'Logs and metrics are collected in a dedicated monitoring project, apart from the workloads they observe, so an incident in an environment cannot erase its own traces.',
  fix: 'Add a project with role: monitoring (with its own network, like every project).',
  source: SEED_ROLES,
  check(ctx) {
    const { model, source } = ctx;
    const projects = entriesOf(model.spec.projects);
    if (projects.length === 0 || projects.some(([, p]) => p.role === 'monitoring')) return [];
    const name = ['monitoring', 'observability', 'logs-metrics'].find((n) => !own(model.spec.projects, n));
    let edits;
    if (name) {
      const subnet = freeSubnets(model.spec.projects)[0];
      const zone = model.spec.defaults.zone;
      const inUse = projects.flatMap(([, p]) => (p.network ? [p.network.publicGateway.type] : []));
      const type = catalogDefault(ctx, 'gateway-types', zone, inUse);
      const network = subnet && type ? `, network: { privateNetwork: { subnet: ${subnet} }, publicGateway: { type: ${type}, reservedIp: true } }` : '';
      edits = setKey(source, ['projects'], name, `{ role: monitoring${network} }`);
    }
    return [finding(monitoringProject, keyAt(source, ['projects']),
      'No monitoring project: logs and metrics belong in a project of their own (role: monitoring), apart from the environments they observe.',
      { title: name ? `Add a project "${name}" with role: monitoring` : 'Add a project with role: monitoring.', edits })];
  },
};

/** Keys live with the vault: CI/CD, monitoring and shared services must not administer encryption keys. */
const keyProject: ModelRule = {
  id: 'key-project',
  layer: 'policy',
  input: 'model',
  severity: 'error',
  why: 'Encryption keys are hosted in the security project (or a separate organisation for critical workloads), apart from CI/CD and shared services, for least privilege and separation of duties.',
  fix: 'Move the key to the security project and reference it as security/<key>.',
  source: `${SEED_ROLES} Keys: "Encryption keys (Key Manager) are hosted in a separate project (for critical workloads a separate organisation), with least privilege and separation of duties."`,
  check({ model, source }) {
    const out: Issue[] = [];
    const security = entriesOf(model.spec.projects).filter(([, p]) => p.role === 'security').map(([n]) => n);
    for (const [pname, p] of entriesOf(model.spec.projects)) {
      // environments: workload-separation already reports their keys
      if (p.role === 'security' || p.role === 'environment') continue;
      for (const kname of Object.keys(p.keys ?? {})) {
        out.push(finding(keyProject, keyAt(source, ['projects', pname, 'keys', kname]),
          `Key ${pname}/${kname} is in the ${p.role} project ${pname}; encryption keys belong in the security project${security.length ? ` (${list(security, 'or')})` : ''}, apart from ${p.role === 'devops' ? 'CI/CD and its credentials' : 'the services that use them'}.`,
          { title: `Move the key to ${security[0] ?? 'the security project'} and update its references.` }));
      }
    }
    return out;
  },
};

export const roleRules: ModelRule[] = [monitoringProject, keyProject];
