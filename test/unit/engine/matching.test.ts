import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '../../../src/sandbox/server';
import { applyPlan, readPlan } from '../../../src/scaleway/engine';
import { openSession } from '../../../src/scaleway/session';
import { sandboxProfile } from './helpers';

/*
 * Resources are matched once per apply: readPlan matches the declared resources with the account,
 * builds the plan from that matching and hands it on; apply starts from it (the ids of what
 * exists) instead of matching again. Shown by giving apply a matching that knows nothing: the
 * secret that the existing key encrypts then cannot find the key's id.
 */

const fileText = (org: string, secret: boolean) => `version: 1
organization: { id: ${org}, name: acme }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  devops:
    role: devops
  security:
    role: security
    keys:
      k1: { usage: symmetric_encryption, rotationPeriod: 90d }
${secret ? '    secrets:\n      s1: { path: /shared, version: 1, encryptionKey: security/k1 }\n' : ''}`;

test('readPlan hands its one matching to apply, which starts from it', async () => {
  const sb = await startSandbox({ transitionMs: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'lz-matching-'));
  const file = join(dir, 'landing-zone.yaml');
  try {
    const resolved = await sandboxProfile(sb);
    const open = async (secret: boolean) => {
      writeFileSync(file, fileText(sb.organizationId, secret));
      const s = await openSession({ file, cwd: dir, resolved });
      assert.ok(s.ok, s.ok ? '' : s.message);
      return s.session;
    };
    const first = await open(false);
    const created = await readPlan(first);
    assert.deepEqual(created.plan.operations.map((o) => `${o.action} ${o.id}`), ['create devops/project', 'create security/project', 'create security/key/k1']);
    assert.equal((await applyPlan(first, created)).status, 'completed');

    const second = await open(true);
    const planned = await readPlan(second);
    assert.deepEqual(planned.plan.operations.map((o) => `${o.action} ${o.id}`), ['create security/secret/s1']);
    // the matching is the plan's: the project it found is the one the plan leaves alone
    assert.deepEqual(planned.matching.matches.map((m) => `${m.desired.id} ${m.by}`), ['devops/project name', 'security/project name', 'security/key/k1 tag']);
    assert.deepEqual(planned.matching.missing.map((d) => d.id), ['security/secret/s1']);

    const blind = await applyPlan(second, { ...planned, matching: { ...planned.matching, matches: [] } });
    assert.equal(blind.status, 'failed');
    assert.match(blind.failed[0]?.error ?? '', /security\/key\/k1 is not known yet/);

    const ok = await applyPlan(second, planned);
    assert.equal(ok.status, 'completed', JSON.stringify(ok.failed));
    assert.equal(sb.state.list('secret.secret').length, 1);
  } finally {
    await sb.close();
  }
});
