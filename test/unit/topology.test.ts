// The topology graph of the reference example: groups, hubs, ACL, key-use and backup edges, ids
// that match the desired state's resource ids, and ids that stay put across edits.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { desiredResources } from '../../src/core/desired';
import { buildTopology, nodeAtPath, type Topology } from '../../src/core/topology';
import { validateText } from '../../src/core/validate';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');

function topologyOf(text: string): Topology {
  const r = validateText(text);
  assert.ok(r.model, `the text has a model: ${r.issues.map((i) => i.message).join('; ')}`);
  return buildTopology(r.model);
}
const edge = (t: Topology, kind: string, source: string, target: string) =>
  t.edges.find((e) => e.kind === kind && e.source === source && e.target === target);

test('every project is a group, hubs first and flagged, then the IAM and DR pseudo-groups', () => {
  const t = topologyOf(example);
  const projects = t.groups.filter((g) => g.kind === 'project').map((g) => g.label);
  assert.deepEqual(projects, ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']);
  assert.deepEqual(t.hubs, ['security', 'devops']);
  assert.deepEqual(t.groups.filter((g) => g.hub).map((g) => g.id), ['security/project', 'devops/project']);
  assert.deepEqual(t.groups.filter((g) => g.kind !== 'project').map((g) => g.id), ['iam', 'dr/nl-ams']);
  for (const n of t.nodes) assert.ok(t.groups.some((g) => g.id === n.group), `${n.id} is in a group`);
});

test('each project has its private network, gateway and reserved IP, attached to each other', () => {
  const t = topologyOf(example);
  for (const p of ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']) {
    assert.ok(edge(t, 'attachment', `${p}/gateway-ip/${p}-gw-ip`, `${p}/public-gateway/${p}-gw`), `${p}: IP on the gateway`);
    assert.ok(edge(t, 'attachment', `${p}/public-gateway/${p}-gw`, `${p}/private-network/${p}-pn`), `${p}: gateway on the network`);
  }
  assert.ok(edge(t, 'exposes', 'prod/load-balancer/apps-lb', 'prod/cluster/apps'));
  assert.ok(edge(t, 'attachment', 'prod/database/main', 'prod/private-network/prod-pn'));
});

test('ACL edges go from each allowFrom hub\'s gateway IP to the load balancer', () => {
  const t = topologyOf(example);
  for (const env of ['dev', 'staging', 'prod']) {
    for (const hub of ['security', 'devops']) {
      const e = edge(t, 'acl', `${hub}/gateway-ip/${hub}-gw-ip`, `${env}/load-balancer/apps-lb`);
      assert.ok(e, `${hub} → ${env}`);
      assert.equal(e.layer, 'network');
    }
  }
  assert.equal(t.edges.filter((e) => e.kind === 'acl').length, 6);
  // a load balancer that admits one hub only gets one edge
  const one = topologyOf(example.replace('loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S', 'loadBalancer: { type: LB-S, https: true, allowFrom: [devops] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-DEV-S'));
  assert.deepEqual(one.edges.filter((e) => e.kind === 'acl' && e.target === 'dev/load-balancer/apps-lb').map((e) => e.source), ['devops/gateway-ip/devops-gw-ip']);
});

test('key-use edges from the security project\'s keys to clusters, databases and secrets', () => {
  const t = topologyOf(example);
  assert.ok(edge(t, 'key-use', 'security/key/app-data', 'prod/cluster/apps'));
  assert.ok(edge(t, 'key-use', 'security/key/app-data', 'staging/cluster/apps'));
  assert.ok(edge(t, 'key-use', 'security/key/app-data', 'prod/database/main'));
  assert.ok(!edge(t, 'key-use', 'security/key/app-data', 'dev/cluster/apps'), 'dev declares no keys');
  for (const s of ['elasticsearch-credentials', 'argocd-admin', 'gitlab-token', 'ci-scw-key', 'velero-scw-key']) {
    assert.ok(edge(t, 'key-use', 'security/key/secrets-key', `security/secret/${s}`), s);
  }
  assert.ok(edge(t, 'key-use', 'security/key/secrets-key', 'prod/secret/main-db-endpoint'));
  assert.ok(edge(t, 'stored-in', 'iam/application/gitlab-provisioner', 'security/secret/ci-scw-key'));
  assert.ok(edge(t, 'endpoint', 'prod/database/main', 'prod/secret/main-db-endpoint'));
  for (const e of t.edges.filter((x) => ['key-use', 'stored-in', 'endpoint'].includes(x.kind))) assert.equal(e.layer, 'iam');
  for (const n of t.nodes.filter((x) => x.kind === 'key' || x.kind === 'secret')) assert.ok(['security', 'prod'].includes(n.project!), n.id);
});

test('backup edges: Velero to its bucket, cross-region database backups, the copy to the DR region', () => {
  const t = topologyOf(example);
  assert.ok(edge(t, 'backup', 'prod/cluster/apps', 'prod/bucket/velero'), 'Velero backs prod/apps up');
  assert.ok(!edge(t, 'backup', 'dev/cluster/apps', 'prod/bucket/velero'), 'velero.clusters lists prod/apps only');
  assert.ok(edge(t, 'backup', 'prod/database/main', 'dr/nl-ams/backups'), 'sameRegion: false');
  assert.ok(!t.edges.some((e) => e.source === 'dev/database/main' && e.kind === 'backup'), 'dev keeps backups in region');
  assert.ok(edge(t, 'copy', 'prod/bucket/velero', 'devops/backup-copy/backup-copy'));
  assert.ok(edge(t, 'copy', 'devops/backup-copy/backup-copy', 'dr/nl-ams/backups'));
  for (const e of t.edges.filter((x) => x.kind === 'backup' || x.kind === 'copy')) assert.equal(e.layer, 'dr');
});

test('node ids are the desired state\'s resource ids (drift overlays land on the right box)', () => {
  const r = validateText(example);
  const t = buildTopology(r.model!);
  const desired = new Set(desiredResources(r.model!).map((d) => d.id));
  const missing = t.nodes.filter((n) => n.kind !== 'dr-site' && !desired.has(n.id)).map((n) => n.id);
  assert.deepEqual(missing, []);
});

test('ids are stable across edits: an edit elsewhere and a new project leave every id in place', () => {
  const before = topologyOf(example);
  const edited = topologyOf(example
    .replace('nodeType: PRO2-S, size: 3', 'nodeType: PRO2-M, size: 4')
    .replace('drift:\n', 'drift:\n')
    .replace('\niam:\n', '\n  qa:\n    role: environment\n    network:\n      privateNetwork: { subnet: 10.40.0.0/22 }\n      publicGateway: { type: VPC-GW-S, reservedIp: true }\n\niam:\n'));
  const ids = (t: Topology) => [...t.nodes.map((n) => n.id), ...t.edges.map((e) => e.id), ...t.groups.map((g) => g.id)];
  const after = new Set(ids(edited));
  assert.deepEqual(ids(before).filter((id) => !after.has(id)), []);
  assert.ok(edited.groups.some((g) => g.id === 'qa/project'));
  assert.deepEqual(ids(topologyOf(example)), ids(before), 'deterministic');
  assert.equal(new Set(ids(before)).size, ids(before).length, 'ids are unique');
});

test('a finding\'s path maps to the node with the longest matching prefix, else its group', () => {
  const t = topologyOf(example);
  assert.equal(nodeAtPath(t, ['projects', 'prod', 'clusters', 'apps', 'keys', 0]), 'prod/cluster/apps');
  assert.equal(nodeAtPath(t, ['projects', 'prod', 'clusters', 'apps', 'loadBalancer', 'allowFrom', 1]), 'prod/load-balancer/apps-lb');
  assert.equal(nodeAtPath(t, ['projects', 'prod', 'network', 'publicGateway', 'type']), 'prod/public-gateway/prod-gw');
  assert.equal(nodeAtPath(t, ['projects', 'prod', 'role']), 'prod/project');
  assert.equal(nodeAtPath(t, ['iam', 'applications', 'velero-backup', 'apiKey', 'storedIn']), 'iam/application/velero-backup');
  assert.equal(nodeAtPath(t, ['defaults', 'zone']), undefined);
});
