import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createClient, Lb } from '@scaleway/sdk';
import { type Arranged, runCli, scenario } from './helpers';

/*
 * A managed certificate that Let's Encrypt refuses (the sandbox's model: names under `.invalid`
 * never resolve to the load balancer) fails the apply with what to fix; once the file names a
 * domain that validates, the next apply replaces the refused certificate and drift is in sync.
 */

const file = (org: string) => `version: 1
organization: { id: ${org}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  security:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S, reservedIp: true }
  devops:
    role: devops
    network:
      privateNetwork: { subnet: 10.0.1.0/24 }
      publicGateway: { type: VPC-GW-S, reservedIp: true }
  shop:
    role: environment
    network:
      privateNetwork: { subnet: 10.40.0.0/22 }
      publicGateway: { type: VPC-GW-S, reservedIp: true }
    clusters:
      web:
        version: "1.33"
        pools:
          default: { nodeType: PRO2-XS, size: 2 }
        loadBalancer: { type: LB-S, https: true, allowFrom: [security, devops], domains: [shop.acme.invalid, www.shop.acme.invalid] }
`;

describe('a Let\'s Encrypt certificate that cannot be issued', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let lb: InstanceType<typeof Lb.v1.ZonedAPI>;

  before(async () => {
    ({ a, dir, path, env } = await scenario(file));
    lb = new Lb.v1.ZonedAPI(createClient({
      apiURL: a.sandbox.url, accessKey: a.sandbox.accessKey, secretKey: a.sandbox.secretKey,
      defaultOrganizationId: a.sandbox.organizationId, defaultRegion: 'fr-par', defaultZone: 'fr-par-1',
    }));
  });
  after(() => a.sandbox.close());

  it('fails the apply with the names, the load balancer\'s IP and the fix; drift reports the certificate', async () => {
    const r = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(r.code, 1);
    const [shopLb] = await lb.listLbs({ name: 'web-lb' }).all();
    const ip = shopLb!.ip[0]!.ipAddress;
    assert.match(r.stderr, new RegExp(`shop/lb-certificate/web-lb-https-cert: Let's Encrypt did not issue the certificate for shop\\.acme\\.invalid, www\\.shop\\.acme\\.invalid .*point the DNS A record of each name at the load balancer's IP ${ip.replace(/\./g, '\\.')}, then apply again`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const [cert] = await lb.listCertificates({ lbId: shopLb!.id }).all();
    assert.equal(cert!.status, 'error');
    const [fe] = await lb.listFrontends({ lbId: shopLb!.id }).all();
    assert.deepEqual(fe!.certificateIds, [], 'a refused certificate is never attached');

    const d = await runCli(['drift', '--file', path, '--format', 'json'], env, dir);
    assert.equal(d.code, 3);
    const entry = (JSON.parse(d.stdout) as { entries: { id: string; status: string; changes?: { field: string; live: unknown }[] }[] }).entries.find((e) => e.id === 'shop/lb-certificate/web-lb-https-cert')!;
    assert.equal(entry.status, 'changed');
    assert.deepEqual(entry.changes!.map((c) => `${c.field}=${String(c.live)}`).sort(), ['frontend=', 'status=error']);
  });

  it('once the domains validate, apply replaces the refused certificate and attaches the new one', async () => {
    await writeFile(path, (await readFile(path, 'utf8')).replace('[shop.acme.invalid, www.shop.acme.invalid]', '[shop.acme.example, www.shop.acme.example]'));
    const r = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(r.code, 0, r.stderr);
    const [shopLb] = await lb.listLbs({ name: 'web-lb' }).all();
    const certs = await lb.listCertificates({ lbId: shopLb!.id }).all();
    assert.deepEqual(certs.map((c) => `${c.commonName} ${c.status}`), ['shop.acme.example ready'], 'the refused one is gone');
    const [fe] = await lb.listFrontends({ lbId: shopLb!.id }).all();
    assert.deepEqual(fe!.certificateIds, [certs[0]!.id]);
    const d = await runCli(['drift', '--file', path], env, dir);
    assert.equal(d.code, 0, d.stdout);
  });
});
