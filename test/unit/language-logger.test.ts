// The log redaction the extension applies to every line (pure: no vscode at run time).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { redact } from '../../src/extension/logger';

test('redacts credentials and known secrets, keeps names that merely end in -token', () => {
  const key = '3f1c2b7a-1111-4222-8333-944445555666';
  assert.equal(redact(`SCW_SECRET_KEY=${key}`), 'SCW_SECRET_KEY=***');
  assert.equal(redact(`{"secret_key":"${key}"}`), '{"secret_key":"***"}');
  assert.equal(redact('X-Auth-Token: abc.def'), 'X-Auth-Token: ***');
  assert.equal(redact('Authorization: Bearer abc.def=='), 'Authorization: Bearer ***');
  assert.equal(redact(`the secret key ${key} is wrong`), 'the secret key *** is wrong');
  assert.equal(redact('value hunter2hunter2 leaked', ['hunter2hunter2']), 'value *** leaked');
  assert.equal(redact('security/gitlab-token: grace period ends soon'), 'security/gitlab-token: grace period ends soon');
});
