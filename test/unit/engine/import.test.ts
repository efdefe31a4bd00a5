import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { importLandingZone } from '../../../src/core/import';
import { buildPlan } from '../../../src/core/plan';
import { RULES, validateText } from '../../../src/core/validate';
import { startSandbox } from '../../../src/sandbox/server';
import { computeDrift } from '../../../src/core/drift';
import { driftOf, exampleText, FAST_RETRY, inventoryOf, modelOf, planAndApply, sandboxProfile } from './helpers';

async function roundTrip(inventory: Awaited<ReturnType<typeof inventoryOf>>) {
  const { text, notImported } = importLandingZone(inventory, { organizationName: 'acme' });
  const v = validateText(text);
  // policy findings describe the account as it is (the seed's prod database backs up in its own region)
  const policy = new Set(RULES.filter((r) => r.layer === 'policy').map((r) => r.id));
  assert.deepEqual(v.issues.filter((i) => i.severity === 'error' && !policy.has(i.ruleId)).map((i) => `${i.range.start.line + 1}: ${i.ruleId} ${i.message}`), [], text);
  const { model, desired } = modelOf(text);
  const plan = buildPlan(desired, inventory, { ignores: model.spec.drift?.ignore ?? [] });
  return { text, notImported, plan };
}

test('import after applying the example: validates, and planning it shows no changes', async () => {
  const sb = await startSandbox({ transitionMs: 10 });
  try {
    const profile = await sandboxProfile(sb);
    const { result } = await planAndApply(profile, exampleText(sb));
    assert.equal(result.status, 'completed');
    const { plan, notImported, text } = await roundTrip(await inventoryOf(profile));
    assert.deepEqual(plan.operations.map((o) => o.summary), [], text);
    assert.deepEqual(notImported, []);
    assert.match(text, /allowFrom:\n\s+- security\n\s+- devops/);
  } finally {
    await sb.close();
  }
});

test('import of the half-migrated seed organisation: validates and round-trips', async () => {
  const sb = await startSandbox({ transitionMs: 10, seed: 'examples/sandbox-seed.json' });
  try {
    const profile = await sandboxProfile(sb);
    const { plan, text } = await roundTrip(await inventoryOf(profile));
    const changes = plan.operations.filter((o) => o.action !== 'delete').map((o) => o.summary);
    // the one thing the file cannot say: the hand-built backend sends to a NodePort of private IPs,
    // the file's load balancer sends to the cluster's nodes (import says so; the plan changes it)
    assert.deepEqual(changes, ['update lb-backend prod/lb-backend/apps-lb-https-backend: forwardPort 30443 → 443, servers ["10.30.0.10","10.30.0.11","10.30.0.12"] → nodes:prod/cluster/apps'], text);
    assert.match(text, /lb-backend prod\/lb-backend\/apps-lb-https-backend: forwards tcp to port 30443/);
    assert.match(text, /legacy-poc|prod/);
  } finally {
    await sb.close();
  }
});

test('--adopt tags what was matched by name; afterwards everything is found by tag and the plan is empty', async () => {
  const sb = await startSandbox({ transitionMs: 10, seed: 'examples/sandbox-seed.json' });
  try {
    const profile = await sandboxProfile(sb);
    const text = exampleText(sb);
    const { model, desired } = modelOf(text);
    const inv = await inventoryOf(profile);
    const before = computeDrift(desired, inv, { ignores: model.spec.drift?.ignore ?? [] });
    assert.ok(before.summary.matchedByName > 5);
    const plan = buildPlan(desired, inv, { ignores: model.spec.drift?.ignore ?? [], adopt: true });
    const adoptions = plan.operations.filter((o) => o.changes?.some((c) => c.field === 'tags'));
    assert.equal(adoptions.length, before.summary.matchedByName);
    const { executePlan } = await import('../../../src/scaleway/apply');
    const { writeClients } = await import('../../../src/scaleway/client');
    const r = await executePlan({ plan, desired, inventory: inv, clients: writeClients(profile, FAST_RETRY) });
    assert.equal(r.status, 'completed', JSON.stringify(r.failed));
    const after = await driftOf(profile, text);
    assert.equal(after.summary.matchedByName, 0);
    assert.equal(after.summary.changed + after.summary.missing, 0);
    const inv2 = await inventoryOf(profile);
    assert.deepEqual(buildPlan(desired, inv2, { ignores: model.spec.drift?.ignore ?? [], adopt: true }).operations.filter((o) => o.action !== 'delete').map((o) => o.summary), []);
  } finally {
    await sb.close();
  }
});
