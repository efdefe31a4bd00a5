import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { CredentialsError, describeProfile, organizationMismatch, resolveProfile } from '../../../src/scaleway/profiles';

const ORG = '11111111-2222-3333-4444-555555555555';
const ORG2 = '99999999-2222-3333-4444-555555555555';
const SECRET_ROOT = 'aaaaaaaa-0000-0000-0000-000000000001';
const SECRET_PROD = 'bbbbbbbb-0000-0000-0000-000000000002';
const SECRET_ENV = 'cccccccc-0000-0000-0000-000000000003';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-scw-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  return path;
}

const CONFIG = `
access_key: SCWROOTROOTROOTROOT1
secret_key: ${SECRET_ROOT}
default_organization_id: ${ORG}
default_region: nl-ams
active_profile: prod
profiles:
  prod:
    access_key: SCWPRODPRODPRODPROD
    secret_key: ${SECRET_PROD}
  other:
    default_organization_id: ${ORG2}
`;

test('active_profile is used and a named profile inherits the root values', async () => {
  const p = await resolveProfile({ env: { SCW_CONFIG_PATH: configFile(CONFIG) } });
  assert.equal(p.name, 'prod');
  assert.equal(p.accessKey, 'SCWPRODPRODPRODPROD');
  assert.equal(p.secretKey, SECRET_PROD);
  assert.equal(p.organizationId, ORG);
  assert.equal(p.region, 'nl-ams');
  assert.equal(p.zone, 'nl-ams-1');
});

test('SCW_PROFILE beats active_profile, explicit beats SCW_PROFILE, env values beat the file', async () => {
  const path = configFile(CONFIG);
  const a = await resolveProfile({ env: { SCW_CONFIG_PATH: path, SCW_PROFILE: 'other' } });
  assert.equal(a.name, 'other');
  assert.equal(a.organizationId, ORG2);
  assert.equal(a.accessKey, 'SCWROOTROOTROOTROOT1');
  const b = await resolveProfile({ profile: 'default', env: { SCW_CONFIG_PATH: path, SCW_PROFILE: 'other' } });
  assert.equal(b.name, 'default');
  assert.equal(b.secretKey, SECRET_ROOT);
  const c = await resolveProfile({ env: { SCW_CONFIG_PATH: path, SCW_SECRET_KEY: SECRET_ENV, SCW_API_URL: 'http://127.0.0.1:9/' } });
  assert.equal(c.secretKey, SECRET_ENV);
  assert.equal(c.sources.secretKey, 'SCW_SECRET_KEY');
  assert.equal(c.apiUrl, 'http://127.0.0.1:9');
  const d = await resolveProfile({ accessKey: 'SCWEXPLICITEXPLICIT', env: { SCW_CONFIG_PATH: path, SCW_ACCESS_KEY: 'SCWENVENVENVENVENV1' } });
  assert.equal(d.accessKey, 'SCWEXPLICITEXPLICIT');
});

test('environment alone is enough; missing values are named', async () => {
  const env = { SCW_CONFIG_PATH: '/nonexistent/config.yaml', SCW_ACCESS_KEY: 'SCWENVENVENVENVENV1', SCW_SECRET_KEY: SECRET_ENV, SCW_DEFAULT_ORGANIZATION_ID: ORG };
  const p = await resolveProfile({ env });
  assert.equal(p.name, 'default');
  await assert.rejects(resolveProfile({ env: { SCW_CONFIG_PATH: '/nonexistent/config.yaml', SCW_ACCESS_KEY: 'SCWX' } }), (err: Error) => {
    assert.ok(err instanceof CredentialsError);
    assert.match(err.message, /secret_key \(or SCW_SECRET_KEY\)/);
    assert.match(err.message, /default_organization_id/);
    assert.doesNotMatch(err.message, /access_key/);
    return true;
  });
  await assert.rejects(resolveProfile({ profile: 'nope', env: { SCW_CONFIG_PATH: configFile(CONFIG) } }), /profile "nope".*profiles there: prod, other/);
});

test('the secret key never shows: not in JSON, inspect, spread or the description', async () => {
  const p = await resolveProfile({ env: { SCW_CONFIG_PATH: configFile(CONFIG) } });
  for (const text of [JSON.stringify(p), inspect(p, { depth: 5 }), JSON.stringify({ ...p }), describeProfile(p)]) {
    assert.ok(!text.includes(SECRET_PROD), text);
  }
  assert.match(describeProfile(p), /SCWPRODPRODPRODPROD/);
  assert.match(describeProfile(p), new RegExp(ORG));
});

test('a YAML error in the config file does not echo its lines', async () => {
  const path = configFile(`secret_key: ${SECRET_ROOT}\n  bad: [\n`);
  await assert.rejects(resolveProfile({ env: { SCW_CONFIG_PATH: path } }), (err: Error) => !err.message.includes(SECRET_ROOT));
});

test('organisation mismatch names both', async () => {
  const p = await resolveProfile({ env: { SCW_CONFIG_PATH: configFile(CONFIG) } });
  assert.equal(organizationMismatch(ORG, p), undefined);
  const msg = organizationMismatch(ORG2, p)!;
  assert.ok(msg.includes(ORG) && msg.includes(ORG2));
});
