// Milan (it-mil, zone it-mil-1): the schema allows it and Scaleway offers it, so the sandbox must
// answer there as it does in fr-par. Everything goes through the real @scaleway/sdk clients.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { REGIONS as SCHEMA_REGIONS, ZONES as SCHEMA_ZONES } from '../../src/core/schema';
import { REGIONS as SANDBOX_REGIONS, ZONES as SANDBOX_ZONES } from '../../src/sandbox/context';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { readOnlyClients, writeClients } from '../../src/scaleway/client';
import { readInventory } from '../../src/scaleway/inventory';
import { resolveProfile, type ScalewayProfile } from '../../src/scaleway/profiles';

let sb: Sandbox;
let profile: ScalewayProfile;
const retry = { retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 50 } };

before(async () => {
  sb = await startSandbox({ transitionMs: 0 });
  profile = await resolveProfile({
    env: { SCW_CONFIG_PATH: '/nonexistent', SCW_API_URL: sb.url, SCW_ACCESS_KEY: sb.accessKey, SCW_SECRET_KEY: sb.secretKey, SCW_DEFAULT_ORGANIZATION_ID: sb.organizationId },
  });
});
after(async () => { await sb.close(); });

test('the sandbox serves every region and zone the schema allows', () => {
  assert.deepEqual([...SANDBOX_REGIONS].sort(), [...SCHEMA_REGIONS].sort());
  assert.deepEqual([...SANDBOX_ZONES].sort(), [...SCHEMA_ZONES].sort());
});

test('it-mil: a private network, a public gateway in it-mil-1 and their attachment, created and read back with the SDK', async () => {
  const rw = writeClients(profile, retry);
  const projectId = (await rw.account.listProjects({ organizationId: profile.organizationId }).all())[0]!.id;

  const pn = await rw.vpc.createPrivateNetwork({ region: 'it-mil', projectId, name: 'mil-pn', subnets: ['10.70.0.0/24'], defaultRoutePropagationEnabled: false, tags: [] });
  assert.equal(pn.region, 'it-mil');
  assert.ok(pn.subnets.some((s) => s.subnet === '10.70.0.0/24'), JSON.stringify(pn.subnets));

  const types = await rw.vpcgw.listGatewayTypes({ zone: 'it-mil-1' });
  assert.ok(types.types.some((t) => t.name === 'VPC-GW-S'), JSON.stringify(types));
  const gw = await rw.vpcgw.createGateway({ zone: 'it-mil-1', projectId, name: 'mil-gw', type: 'VPC-GW-S', enableSmtp: false, enableBastion: false, tags: [] });
  assert.equal(gw.zone, 'it-mil-1');
  assert.ok(gw.ipv4?.address, 'the gateway got a public IP');

  const gwn = await rw.vpcgw.createGatewayNetwork({ zone: 'it-mil-1', gatewayId: gw.id, privateNetworkId: pn.id, enableMasquerade: true, pushDefaultRoute: false });
  assert.equal(gwn.privateNetworkId, pn.id);
  assert.equal(gwn.zone, 'it-mil-1');

  const pns = await rw.vpc.listPrivateNetworks({ region: 'it-mil' }).all();
  assert.deepEqual(pns.map((p) => p.name), ['mil-pn']);
  const gws = await rw.vpcgw.listGateways({ zone: 'it-mil-1' }).all();
  assert.deepEqual(gws.map((g) => `${g.name} ${g.zone}`), ['mil-gw it-mil-1']);
  // a neighbouring region does not see them
  assert.equal((await rw.vpc.listPrivateNetworks({ region: 'fr-par' }).all()).filter((p) => p.name === 'mil-pn').length, 0);

  // the inventory (what drift reads) finds them in it-mil
  const inv = await readInventory(readOnlyClients(profile, retry), { organizationId: profile.organizationId, regions: ['it-mil'] });
  const seen = inv.resources.filter((r) => r.kind === 'private-network' || r.kind === 'public-gateway').map((r) => `${r.kind} ${r.name} ${r.zone ?? r.region ?? ''}`).sort();
  assert.deepEqual(seen, ['private-network mil-pn it-mil', 'public-gateway mil-gw it-mil-1']);
  assert.deepEqual(inv.notChecked.filter((n) => n.region === 'it-mil'), [], 'every kind could be read in it-mil');
});

test('an unknown region or zone is still refused, and the error lists it-mil', async () => {
  const rw = writeClients(profile, retry);
  await assert.rejects(rw.vpc.listPrivateNetworks({ region: 'it-rom' }), (err: Error) => /it-mil/.test(err.message) || /it-mil/.test(JSON.stringify(err)));
  await assert.rejects(rw.vpcgw.listGateways({ zone: 'it-mil-2' }), (err: Error) => /it-mil-1/.test(JSON.stringify(err)) || /it-mil-1/.test(err.message));
});
