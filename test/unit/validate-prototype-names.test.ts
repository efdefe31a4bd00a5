// Names from files that are Object.prototype members are ordinary names (issue 13): a profile
// called `constructor` that the config file does not have is refused, never answered with the
// root credentials. (A project named __proto__ is in validate-bounds.test.ts.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsError, resolveProfile } from '../../src/scaleway/profiles';

const CONFIG = `access_key: SCWROOTROOTROOTROOT1
secret_key: aaaaaaaa-0000-0000-0000-000000000001
default_organization_id: 11111111-2222-3333-4444-555555555555
profiles:
  prod:
    access_key: SCWPRODPRODPRODPROD
    secret_key: bbbbbbbb-0000-0000-0000-000000000002
`;

test('--profile constructor, toString or __proto__ is an unknown profile, not the root credentials', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lz-proto-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, CONFIG);
  for (const profile of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    await assert.rejects(resolveProfile({ profile, env: { SCW_CONFIG_PATH: path } }), (err: unknown) => {
      assert.ok(err instanceof CredentialsError);
      assert.match(err.message, new RegExp(`profile "${profile}" \\(from --profile\\) is not in .*; profiles there: prod`));
      return true;
    }, profile);
  }
  // the real one still resolves
  assert.equal((await resolveProfile({ profile: 'prod', env: { SCW_CONFIG_PATH: path } })).accessKey, 'SCWPRODPRODPRODPROD');
});
