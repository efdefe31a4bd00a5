// drift-ignore-unknown: an ignore may name what drift can report as unmanaged (an undeclared
// project and its resources, a kind or a name its declared project does not declare), but a near
// miss of a declared id, an unknown kind or an id of no shape drift uses stays an error.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Issue } from '../../src/core/issues';
import { validateText } from '../../src/core/validate';

const FILE = `version: 1
organization: { id: 11111111-2222-3333-4444-555555555555, name: t }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  hub:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S }
  prod:
    role: environment
    network:
      privateNetwork: { subnet: 10.10.0.0/22 }
      publicGateway: { type: VPC-GW-S }
    clusters:
      apps:
        version: "1.35"
        pools: { default: { nodeType: PRO2-S, size: 3 } }
drift:
  ignore:
`;
const NOW = new Date('2026-06-01T00:00:00Z');

function check(resource: string, field?: string): Issue[] {
  const text = `${FILE}    - { resource: ${resource}${field ? `, field: ${field}` : ''}, reason: accepted, expires: 2030-01-01 }\n`;
  // the file is small, not a whole landing zone: only the drift rules are looked at
  return validateText(text, 'landing-zone.yaml', { now: NOW }).issues.filter((i) => i.ruleId.startsWith('drift-'));
}
const brief = (issues: Issue[]) => issues.map((i) => `${i.severity} ${i.ruleId} ${i.message}`);

test('ignores of unmanaged resources are allowed, without any finding', () => {
  for (const [resource, field] of [
    ['legacy-poc/project'],
    ['legacy-poc/project', 'description'],
    ['legacy-poc/private-network/poc-pn'],
    ['legacy-poc/public-gateway/poc-gw', 'type'],
    ['legacy-poc/gateway-network/poc-gw-poc-pn'],
    ['prod/load-balancer/hand-lb'], // kinds prod does not declare
    ['prod/bucket/scratch'],
    ['prod/public-gateway/hand-gw'], // names far from prod-gw, prod-pn

    ['prod/private-network/load-test-pn'], // a name far from prod-pn
    ['prod/pool/apps-batch'],
    ['iam/application/gitlab-provisioner'],
  ] as [string, string?][]) {
    assert.deepEqual(brief(check(resource, field)), [], `${resource}${field ? ` ${field}` : ''}`);
  }
});

test('a near miss of a declared id stays an error, with its message and fix', () => {
  const issues = check('prod/cluster/app', 'pools.default.size');
  assert.deepEqual(brief(issues), ['error drift-ignore-unknown drift.ignore: prod/cluster/app names no resource of this file: prod has no cluster "app". Did you mean prod/cluster/apps?']);
  assert.deepEqual(issues[0]!.fix?.edits?.map((e) => e.newText), ['prod/cluster/apps']);
  assert.equal(issues[0]!.fix?.title, 'Change to prod/cluster/apps');
  assert.deepEqual(brief(check('prod/pool/apps-defualt', 'size')), ['error drift-ignore-unknown drift.ignore: prod/pool/apps-defualt names no resource of this file: prod has no pool "apps-defualt". Did you mean prod/pool/apps-default?']);
  assert.deepEqual(brief(check('hub/private-network/hub-pm')), ['error drift-ignore-unknown drift.ignore: hub/private-network/hub-pm names no resource of this file: hub has no private-network "hub-pm". Did you mean hub/private-network/hub-pn?']);
});

test('a kind drift never reports, or an id of no shape drift uses, is an error', () => {
  assert.deepEqual(brief(check('prod/clustr/apps')), ['error drift-ignore-unknown drift.ignore: prod/clustr/apps names no resource of this file: prod has no resource of kind "clustr" (its kinds: project, private-network, gateway-ip, public-gateway, gateway-network, cluster, pool). Did you mean prod/cluster/apps?']);
  const pn = check('legacy-poc/pn/poc-pn');
  assert.equal(pn.length, 1);
  assert.match(pn[0]!.message, /^drift\.ignore: legacy-poc\/pn\/poc-pn names no resource of this file: there is no project "legacy-poc", and drift reports no such id there/);
  for (const bad of ['legacy-poc/project/x', 'prod/cluster', 'iam/cluster/x', 'prod/application/ci', 'prod/sso/keycloak']) {
    assert.deepEqual(check(bad).map((i) => `${i.severity} ${i.ruleId}`), ['error drift-ignore-unknown'], bad);
  }
});

test('an expired ignore of an unmanaged resource is a warning like any other', () => {
  const text = `${FILE}    - { resource: legacy-poc/project, reason: POC, expires: 2026-01-31 }\n`;
  assert.deepEqual(brief(validateText(text, 'landing-zone.yaml', { now: NOW }).issues.filter((i) => i.ruleId.startsWith('drift-'))), ['warning drift-ignore-expired The ignore of legacy-poc/project expired on 2026-01-31; the difference is reported again.']);
});
