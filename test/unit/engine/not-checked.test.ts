// A read that fails is a finding, never "in sync" (issue 11, item 6): drift against credentials
// that Scaleway refuses (403) — wholly or for one product — through the real SDK and the sandbox's
// IAM; --accept-not-checked; import refusing to write; Scaleway-managed IAM left out.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createClient, Iam } from '@scaleway/sdk';
import { computeDrift, describeUnread, fixFor, unreadKinds } from '../../../src/core/drift';
import { importLandingZone } from '../../../src/core/import';
import { buildPlan } from '../../../src/core/plan';
import type { Inventory, LiveResource } from '../../../src/core/state';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { PERMISSION_SETS } from '../../../src/sandbox/products/iam';
import { runCli } from '../ops/helpers';
import { exampleText, inventoryOf, modelOf, planAndApply, sandboxEnv, sandboxProfile } from './helpers';

// ---- the verdict, pure ----

const ORG = '11111111-2222-3333-4444-555555555555';
const FILE = `version: 1
organization: { id: ${ORG}, name: t }
defaults: { region: fr-par, zone: fr-par-1 }
projects:
  hub:
    role: security
    network:
      privateNetwork: { subnet: 10.0.0.0/24 }
      publicGateway: { type: VPC-GW-S }
    keys:
      k: { usage: symmetric_encryption, rotationPeriod: 90d }
`;

function world(edit: (inv: Inventory) => void = () => {}) {
  const { desired } = modelOf(FILE);
  const resources: LiveResource[] = desired.map((d, i) => ({
    kind: d.kind, scalewayId: `id-${i}`, lzId: d.kind === 'project' ? undefined : d.id, naturalId: d.id, projectId: `p-${d.project}`, projectName: d.project,
    name: d.name, region: d.region, zone: d.zone, tags: d.kind === 'project' ? [] : ['lz:managed', `lz:id=${d.id}`], fields: { ...d.fields },
  }));
  const inv: Inventory = { organizationId: ORG, resources, notChecked: [], readAt: '2026-01-01T00:00:00Z' };
  edit(inv);
  return { desired, inv };
}

test('verdict: in sync only when everything was read; a failed read is "not-checked", accepted kinds do not fail it, drift wins', () => {
  const all = world();
  assert.equal(computeDrift(all.desired, all.inv).verdict, 'in-sync');

  const denied = world((inv) => inv.notChecked.push({
    kind: 'key', region: 'fr-par', reason: 'permission denied', cause: 'denied', status: 403,
    scalewayMessage: 'permissions_denied: insufficient permissions: read key_manager', needs: ['KeyManagerReadOnly', 'AllProductsReadOnly'], scope: 'projects',
  }));
  const r = computeDrift(denied.desired, denied.inv);
  assert.equal(r.verdict, 'not-checked');
  assert.equal(r.inSync, false);
  assert.ok(r.summary.coverage < 100);
  assert.deepEqual(r.notChecked.map((n) => `${n.kind} ${n.region} ${n.declared} ${n.projects.join(',')} ${n.accepted}`), ['key fr-par 1 hub false']);
  assert.equal(describeUnread(r.notChecked[0]!), 'key in fr-par (1 declared in hub): permission denied: Scaleway answered 403 permissions_denied: insufficient permissions: read key_manager');
  assert.equal(fixFor(r.notChecked[0]!), 'grant these credentials KeyManagerReadOnly (or AllProductsReadOnly) on the projects to read, or accept it unread: --accept-not-checked key');

  const accepted = computeDrift(denied.desired, denied.inv, { acceptNotChecked: ['key'] });
  assert.equal(accepted.verdict, 'accepted-not-checked');
  assert.equal(accepted.inSync, false, 'accepted is not "in sync": the key was still not compared');
  assert.equal(accepted.summary.notCheckedAccepted, 1);
  assert.deepEqual(accepted.entries.filter((e) => e.status === 'not-checked').map((e) => `${e.id} ${String(e.accepted)}`), ['hub/key/k true']);

  const drifted = world((inv) => {
    inv.notChecked.push({ kind: 'key', reason: 'boom', cause: 'failed' });
    inv.resources = inv.resources.filter((l) => l.kind !== 'private-network');
  });
  assert.equal(computeDrift(drifted.desired, drifted.inv, { acceptNotChecked: ['key'] }).verdict, 'drift');
});

test('a kind this version never reads matters only when the file declares it; a failed read matters even with nothing declared', () => {
  const { desired } = world();
  assert.deepEqual(unreadKinds(desired, [{ kind: 'sso', reason: 'not an API resource', cause: 'not-read' }]), []);
  const sso = modelOf(FILE.replace('    keys:', '    sso: { keycloak: { protocols: [oidc] } }\n    keys:')).desired;
  assert.deepEqual(unreadKinds(sso, [{ kind: 'sso', reason: 'not an API resource', cause: 'not-read' }]).map((n) => `${n.kind} ${n.declared}`), ['sso 1']);
  assert.deepEqual(unreadKinds(desired, [{ kind: 'database', region: 'fr-par', reason: '503', cause: 'failed', status: 503 }]).map((n) => `${n.kind} ${n.declared}`), ['database 0']);
});

test('Scaleway-managed IAM is neither matched, nor unmanaged, nor deleted, nor imported', () => {
  const vpn = 'VPN Gateway 5d2c8b7e-1f0a-4c3e-9b6d-7a8e9f0c1d2e';
  const { desired, inv } = world((i) => {
    i.resources.push(
      { kind: 'application', scalewayId: 'app-vpn', naturalId: `iam/application/${vpn}`, projectId: '', projectName: 'iam', name: vpn, region: 'global', tags: [], fields: {}, scalewayManaged: 'application managed by Scaleway (managed: true)' },
      { kind: 'policy', scalewayId: 'pol-vpn', naturalId: `iam/policy/${vpn}`, projectId: '', projectName: 'iam', name: vpn, region: 'global', tags: [], fields: { rules: [] }, parentId: 'app-vpn', scalewayManaged: 'policy managed by Scaleway (managed: true)' },
    );
  });
  const r = computeDrift(desired, inv);
  assert.equal(r.verdict, 'in-sync', JSON.stringify(r.entries.filter((e) => e.status !== 'in-sync')));
  assert.equal(r.summary.unmanaged, 0);
  assert.deepEqual(r.scalewayManaged.map((m) => `${m.kind} ${m.name}`), [`application ${vpn}`, `policy ${vpn}`]);
  assert.equal(r.summary.scalewayManaged, 2);
  assert.deepEqual(buildPlan(desired, inv).operations, []);
  const imported = importLandingZone(inv, { organizationName: 't' });
  assert.doesNotMatch(imported.text.replace(/^#.*$/gm, ''), /VPN Gateway/, 'not in the file');
  assert.ok(!imported.notImported.some((n) => n.id.includes('VPN')), 'and not listed as something the file failed to describe');
  assert.match(imported.text, /^# Left out, created and owned by Scaleway: application "VPN Gateway [^"]+", policy "VPN Gateway/m);
});

// ---- against the sandbox: the real SDK, the sandbox's IAM answering 403 ----

let sb: Sandbox;
let dir: string;
let iam: InstanceType<typeof Iam.v1alpha1.API>;

before(async () => {
  sb = await startSandbox({ transitionMs: 10 });
  dir = mkdtempSync(join(tmpdir(), 'lz-not-checked-'));
  writeFileSync(join(dir, 'landing-zone.yaml'), exampleText(sb));
  const { result } = await planAndApply(await sandboxProfile(sb), exampleText(sb));
  assert.equal(result.status, 'completed', JSON.stringify(result.failed));
  iam = new Iam.v1alpha1.API(createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultOrganizationId: sb.organizationId }));
});
after(async () => { await sb.close(); });

/**
 * Runs `body` with an application key whose policy grants the given permission sets organisation-wide
 * (none: no policy at all), then removes the application, so that the next test's account is the
 * example's again.
 */
async function withApplicationKey(name: string, sets: string[], body: (key: { accessKey: string; secretKey: string; env: NodeJS.ProcessEnv }) => Promise<void>): Promise<void> {
  const app = await iam.createApplication({ name, organizationId: sb.organizationId, description: '' });
  const policy = sets.length ? await iam.createPolicy({ name, organizationId: sb.organizationId, applicationId: app.id, rules: [{ permissionSetNames: sets, organizationId: sb.organizationId, condition: '' }], description: '' }) : undefined;
  const key = await iam.createAPIKey({ applicationId: app.id, description: name });
  try {
    await body({ accessKey: key.accessKey, secretKey: key.secretKey!, env: { ...sandboxEnv(sb), SCW_ACCESS_KEY: key.accessKey, SCW_SECRET_KEY: key.secretKey! } });
  } finally {
    await iam.deleteAPIKey({ accessKey: key.accessKey });
    if (policy) await iam.deletePolicy({ policyId: policy.id });
    await iam.deleteApplication({ applicationId: app.id });
  }
}

const run = async (args: string[], env: NodeJS.ProcessEnv = sandboxEnv(sb)) => runCli(args, env, dir);
const last = (out: string) => out.trimEnd().split('\n').at(-1)!;

test('the owner key reads everything but SSO, which this version never reads: exit 3 until it is accepted by name', async () => {
  const r = await run(['drift']);
  assert.equal(r.code, 3, r.stdout);
  assert.match(r.stdout, /^ {2}sso \(1 declared in security\): not read by this version: Keycloak/m);
  assert.match(r.stdout, /^ {4}fix: this version cannot read it: check it by hand, then accept it: --accept-not-checked sso$/m);
  assert.match(last(r.stdout), /^not checked: could not read sso; nothing differs in what was read: 85 declared, 84 matching/);
  const ok = await run(['drift', '--accept-not-checked', 'sso']);
  assert.equal(ok.code, 0, ok.stdout);
});

test('drift with a key Scaleway refuses everything (403): exit 3, never "in sync", and the block says what, with which credentials, why and what to grant', () => withApplicationKey('reads-nothing', [], async (key) => {
  const r = await run(['drift'], key.env);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(last(r.stdout), /^not checked: could not read \d+ kinds \(.*\); nothing differs in what was read: 85 declared, 0 matching, .* 85 not checked \(coverage 0%\)$/);
  assert.doesNotMatch(last(r.stdout), /^in sync/);
  assert.match(r.stdout, new RegExp(`^not checked: \\d+ kind\\(s\\) could not be read or compared, with profile default \\(access key ${key.accessKey}, organisation ${sb.organizationId}`, 'm'));
  assert.match(r.stdout, /^ {2}project \(6 declared in dev, devops, monitoring, prod, security, staging\): permission denied: Scaleway answered 403 permissions_denied: insufficient permissions: read \S+$/m);
  assert.match(r.stdout, /^ {4}fix: grant these credentials ProjectReadOnly on the organisation, or accept it unread: --accept-not-checked project$/m);
  assert.match(r.stdout, /^ {2}cluster in fr-par, nl-ams \(3 declared in dev, prod, staging\): permission denied: Scaleway answered 403 /m);
  assert.match(r.stdout, /^ {4}fix: grant these credentials KubernetesReadOnly \(or AllProductsReadOnly\) on the projects to read/m);
  assert.match(r.stdout, /^ {2}application \(3 declared in iam\): permission denied/m);
  assert.match(r.stdout, /^ {2}sso \(1 declared in security\): not read by this version/m);
  assert.ok(!(r.stdout + r.stderr).includes(key.secretKey), 'the secret key is never printed');

  const j = await run(['drift', '--format', 'json'], key.env);
  assert.equal(j.code, 3);
  const report = JSON.parse(j.stdout) as { inSync: boolean; verdict: string; credentials: Record<string, string>; notChecked: { kind: string; cause: string; status?: number; needs?: string[]; fix: string }[]; summary: { coverage: number } };
  assert.equal(report.inSync, false);
  assert.equal(report.verdict, 'not-checked');
  assert.equal(report.summary.coverage, 0);
  assert.deepEqual(report.credentials, { profile: 'default', accessKey: key.accessKey, organizationId: sb.organizationId, apiUrl: sb.url });
  const project = report.notChecked.find((n) => n.kind === 'project')!;
  assert.deepEqual([project.cause, project.status, project.needs], ['denied', 403, ['ProjectReadOnly']]);
  assert.match(j.stderr, /^not checked: \d+ kind\(s\) could not be read or compared/m, 'the block reaches a CI log even when stdout is JSON');
  assert.ok(!JSON.stringify(report).includes(key.secretKey));

  const s = JSON.parse((await run(['drift', '--format', 'sarif'], key.env)).stdout) as { runs: { results: { ruleId: string; level: string; properties?: { kind?: string } }[] }[] };
  const unread = s.runs[0]!.results.filter((x) => x.ruleId === 'drift-not-checked');
  assert.ok(unread.some((x) => x.level === 'error' && x.properties?.kind === 'project'), 'SARIF: an unread kind is an error result');
}));

test('import with such a key writes nothing and exits 1, naming what it could not read', () => withApplicationKey('imports-nothing', [], async (key) => {
  const r = await run(['import', '--out', 'refused.yaml'], key.env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /nothing written: \d+ kind\(s\) could not be read or compared, with profile default \(access key SCW/);
  assert.match(r.stderr, /^ {2}project: permission denied: Scaleway answered 403/m);
  assert.equal(existsSync(join(dir, 'refused.yaml')), false, 'no file, not even a partial one');
  assert.equal(r.stdout, '');
}));

test('one product denied: drift lists just that kind; --accept-not-checked accepts it by name (text, JSON, SARIF); import refuses, then writes with it accepted', async () => {
  // every read-only permission set the sandbox's authoriser knows, but Key Manager's (Scaleway's
  // permission-set listing is not in the recorded catalog, so it is not listed through the API)
  const sets = Object.entries(PERMISSION_SETS).filter(([product]) => product !== 'KeyManager').map(([, s]) => s.read[0]!);
  assert.ok(sets.length >= 8, sets.join(', '));
  await withApplicationKey('no-key-manager', sets, async (key) => {
  // the reader's own application is in the account too: the file accepts it, as a CI job's file would
  writeFileSync(join(dir, 'reader.yaml'), `${exampleText(sb).trimEnd()}\n    - resource: iam/application/no-key-manager\n      reason: the credentials drift reads with\n`);
  const run = async (args: string[], env: NodeJS.ProcessEnv) => runCli(args[0] === 'drift' ? [...args, '--file', 'reader.yaml'] : args, env, dir);
  const r = await run(['drift', '--format', 'json', '--accept-not-checked', 'sso'], key.env);
  assert.equal(r.code, 3, r.stderr);
  const report = JSON.parse(r.stdout) as { verdict: string; notChecked: { kind: string; region?: string; cause: string; dependsOn?: string; accepted: boolean; needs?: string[] }[]; entries: { id: string; kind: string; status: string; accepted?: boolean }[]; acceptedNotChecked: string[]; summary: { notChecked: number; inSync: number } };
  // a false "changed" would be the secrets' encryption key read as a raw id: they depend on the keys
  assert.deepEqual(report.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked'), [], 'everything else was read and matches');
  assert.equal(report.verdict, 'not-checked');
  assert.deepEqual(report.notChecked.filter((n) => !n.accepted && n.cause !== 'depends').map((n) => `${n.kind} ${n.region ?? ''} ${n.cause}`), ['key fr-par denied', 'key nl-ams denied', 'key-replica fr-par denied', 'key-replica nl-ams denied'], 'just Key Manager was refused (keys and their regional copies, in both regions read)');
  assert.deepEqual(report.notChecked.filter((n) => n.cause === 'depends').map((n) => `${n.kind} ${n.region ?? ''} needs ${n.dependsOn ?? ''}`), ['secret fr-par needs key', 'secret-replica nl-ams needs key']);
  assert.deepEqual(report.notChecked.find((n) => n.kind === 'key')?.needs, ['KeyManagerReadOnly', 'AllProductsReadOnly']);
  const unchecked = report.entries.filter((e) => e.status === 'not-checked');
  assert.deepEqual([...new Set(unchecked.map((e) => `${e.kind} ${String(e.accepted ?? false)}`))].sort(), ['key false', 'key-replica false', 'secret false', 'secret-replica false', 'sso true']);
  assert.equal(report.summary.notChecked, unchecked.length);
  assert.deepEqual(report.acceptedNotChecked, ['sso']);
  const matching = report.summary.inSync;

  const text = await run(['drift', '--accept-not-checked', 'sso'], key.env);
  assert.match(text.stdout, /^not checked: 4 kind\(s\) could not be read or compared, with profile default/m);
  assert.match(text.stdout, /^ {2}key in fr-par, nl-ams \(2 declared in security\): permission denied: Scaleway answered 403/m);
  assert.match(text.stdout, /^ {2}key-replica in fr-par, nl-ams \(1 declared in security\): permission denied: Scaleway answered 403[^\n]*\n {4}fix: grant these credentials KeyManagerReadOnly \(or AllProductsReadOnly\)/m);
  assert.match(text.stdout, /^ {2}secret-replica in nl-ams \(1 declared in security\): its encryptionKey names a key, and key could not be read in nl-ams$/m);
  assert.match(text.stdout, /^ {4}fix: grant these credentials KeyManagerReadOnly \(or AllProductsReadOnly\) on the projects to read, or accept it unread: --accept-not-checked key$/m);
  assert.match(text.stdout, /^ {2}secret in fr-par \(\d+ declared in prod, security\): its encryptionKey names a key, and key could not be read in fr-par\n {4}fix: make key readable \(see its line\); accepting key unread accepts this too$/m);
  assert.ok(last(text.stdout).startsWith(`not checked: could not read key, key-replica, secret, secret-replica; nothing differs in what was read: 85 declared, ${matching} matching, 0 missing, 0 changed, 0 unmanaged, ${unchecked.length} not checked (1 accepted) (coverage ${Math.round(((85 - unchecked.length) / 85) * 1000) / 10}%)`), last(text.stdout));

  // a key's regional copies are a kind of their own: accepted by name too
  for (const accept of [['--accept-not-checked', 'key', 'key-replica', 'sso'], ['--accept-not-checked=key,key-replica,sso'], ['--accept-not-checked', 'key', '--accept-not-checked', 'key-replica', '--accept-not-checked', 'sso']]) {
    const ok = await run(['drift', ...accept], key.env);
    assert.equal(ok.code, 0, `${accept.join(' ')}: ${ok.stdout}${ok.stderr}`);
    const acceptedLine = ok.stdout.split('\n').find((l) => l.startsWith('accepted not checked (--accept-not-checked): ')) ?? '';
    for (const part of ['key in fr-par, nl-ams (2 declared in security): permission denied', 'sso (1 declared in security): not read by this version', 'secret in fr-par (7 declared in prod, security): its encryptionKey names a key']) {
      assert.ok(acceptedLine.includes(part), `${part} in ${acceptedLine}`);
    }
    assert.match(last(ok.stdout), new RegExp(`^no drift in what was read; not checked, accepted: key, key-replica, secret, secret-replica, sso: 85 declared, ${matching} matching, .* ${unchecked.length} not checked \\(${unchecked.length} accepted\\)`));
  }
  const j = JSON.parse((await runCli(['drift', 'reader.yaml', '--format', 'json', '--accept-not-checked', 'key', 'key-replica', 'sso'], key.env, dir)).stdout) as { verdict: string; inSync: boolean; acceptedNotChecked: string[] };
  assert.deepEqual([j.verdict, j.inSync, j.acceptedNotChecked], ['accepted-not-checked', false, ['key', 'key-replica', 'secret', 'secret-replica', 'sso']]);
  const s = JSON.parse((await run(['drift', '--format', 'sarif', '--accept-not-checked', 'key,key-replica,sso'], key.env)).stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
  assert.ok(s.runs[0]!.results.filter((x) => x.ruleId.startsWith('drift-not-checked')).every((x) => x.ruleId === 'drift-not-checked-accepted' && x.level === 'note'));

  const bad = await run(['drift', '--accept-not-checked', 'keys'], key.env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown kind keys; kinds: project, application/);

  const refused = await run(['import', '--out', 'partial.yaml'], key.env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /nothing written: 4 kind\(s\) could not be read or compared, with profile default/);
  assert.match(refused.stderr, /^ {2}key in fr-par, nl-ams, pl-waw: permission denied/m);
  assert.equal(existsSync(join(dir, 'partial.yaml')), false);
  const written = await run(['import', '--out', 'partial.yaml', '--accept-not-checked', 'key,key-replica', '--region', 'fr-par'], key.env);
  // (exit 1 here is the imported account's own finding: the reader's policy is organisation-wide)
  assert.match(written.stderr, /import: wrote partial\.yaml/, written.stderr);
  assert.match(written.stderr, /not read, accepted \(--accept-not-checked\), so not in the file: key/);
  assert.match(readFileSync(join(dir, 'partial.yaml'), 'utf8'), /^# NOT READ, so not imported \(accepted with --accept-not-checked\): key in fr-par: permission denied/m);
  });
});

test('a key scoped to one project: what it may not see is "not checked" in those projects, never "missing"; plan creates nothing there', async () => {
  // Scaleway filters an organisation-wide list down to the projects a key may read (200), and
  // answers 403 when asked for one project it may not: the other projects' resources must not
  // read as missing (plan would create them a second time)
  const prodId = String(sb.state.list('account.project').find((p) => p.name === 'prod')!.id);
  const name = 'reads-prod-only';
  const app = await iam.createApplication({ name, organizationId: sb.organizationId, description: '' });
  const policy = await iam.createPolicy({
    name, organizationId: sb.organizationId, applicationId: app.id, description: '',
    rules: [
      { permissionSetNames: ['AllProductsReadOnly'], projectIds: [prodId], condition: '' },
      // the project list and IAM are read with organisation-scoped permission sets
      { permissionSetNames: ['ProjectReadOnly', 'IAMReadOnly'], organizationId: sb.organizationId, condition: '' },
    ],
  });
  const key = await iam.createAPIKey({ applicationId: app.id, description: name });
  try {
    writeFileSync(join(dir, 'scoped.yaml'), `${exampleText(sb).trimEnd()}\n    - resource: iam/application/${name}\n      reason: the credentials drift reads with\n`);
    const env = { ...sandboxEnv(sb), SCW_ACCESS_KEY: key.accessKey, SCW_SECRET_KEY: key.secretKey! };
    const r = await runCli(['drift', 'scoped.yaml', '--format', 'json', '--accept-not-checked', 'sso'], env, dir);
    assert.equal(r.code, 3, r.stderr);
    const report = JSON.parse(r.stdout) as { verdict: string; summary: { missing: number; inSync: number; notChecked: number }; entries: { id: string; project: string; status: string; reason?: string }[]; notChecked: { kind: string; project?: string; cause: string; fix: string }[] };
    assert.deepEqual(report.entries.filter((e) => e.status === 'missing').map((e) => e.id), [], 'nothing the key may not see reads as missing');
    assert.deepEqual(report.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked').map((e) => `${e.id} ${e.status}`), []);
    assert.equal(report.verdict, 'not-checked');
    // prod, which the key may read, is compared, but for what names another project's resources:
    // the ACLs admitting the devops and security hubs' gateways, and a secret encrypted with security's key
    const prod = report.entries.filter((e) => e.project === 'prod' && e.id !== 'prod/project');
    assert.ok(prod.length >= 10, String(prod.length));
    assert.deepEqual(prod.filter((e) => e.status !== 'in-sync').map((e) => `${e.id} ${e.status}`),
      ['prod/lb-acl/apps-lb-https-allow-devops not-checked', 'prod/lb-acl/apps-lb-https-allow-security not-checked', 'prod/secret/main-db-endpoint not-checked']);
    assert.match(prod.find((e) => e.id === 'prod/secret/main-db-endpoint')!.reason ?? '', /project prod: its encryptionKey names a key that was not found, and key could not be read in projects? [a-z, ]*security/);
    assert.match(prod.find((e) => e.id === 'prod/lb-acl/apps-lb-https-allow-devops')!.reason ?? '', /its match names a public-gateway that was not found, and public-gateway could not be read in projects? [a-z, ]*devops/);
    // the others are not checked, each naming its project
    const devopsPn = report.entries.find((e) => e.id === 'devops/private-network/devops-pn')!;
    assert.equal(devopsPn.status, 'not-checked');
    assert.match(devopsPn.reason ?? '', /^project devops: permission denied/);
    const bucket = report.entries.find((e) => e.id === 'devops/bucket/artifacts')!;
    assert.equal(bucket.status, 'not-checked', 'Object Storage too: S3 answers AccessDenied for a project the key may not read');
    assert.ok(report.notChecked.some((n) => n.kind === 'cluster' && n.project === 'staging' && n.cause === 'denied' && /on project staging/.test(n.fix)), JSON.stringify(report.notChecked.filter((n) => n.kind === 'cluster')));

    const text = await runCli(['drift', 'scoped.yaml', '--accept-not-checked', 'sso'], env, dir);
    assert.match(text.stdout, /^ {2}cluster in project staging \(1 declared in staging\): permission denied: Scaleway answered 403/m);
    assert.match(text.stdout, /^ {4}fix: grant these credentials KubernetesReadOnly \(or AllProductsReadOnly\) on project staging, or accept it unread: --accept-not-checked cluster$/m);

    // plan with these credentials proposes no create in the projects it could not read
    const plan = await runCli(['plan', 'scoped.yaml', '--format', 'json'], env, dir);
    const ops = (JSON.parse(plan.stdout) as { operations: { action: string; id: string }[] }).operations;
    assert.deepEqual(ops.filter((o) => o.action === 'create').map((o) => o.id), [], plan.stderr);
  } finally {
    await iam.deleteAPIKey({ accessKey: key.accessKey });
    await iam.deletePolicy({ policyId: policy.id });
    await iam.deleteApplication({ applicationId: app.id });
  }
});

test('a Scaleway-managed application and policy (as the seed has them) are recognised: not unmanaged, not deleted, not imported', async () => {
  const seeded = await startSandbox({ transitionMs: 10, seed: 'examples/sandbox-seed.json' });
  try {
    const profile = await sandboxProfile(seeded);
    const api = new Iam.v1alpha1.API(createClient({ apiURL: seeded.url, accessKey: seeded.accessKey, secretKey: seeded.secretKey, defaultOrganizationId: seeded.organizationId }));
    const policies = await api.listPolicies({ organizationId: seeded.organizationId }).all();
    const vpn = policies.find((p) => p.name.startsWith('VPN Gateway '))!;
    assert.deepEqual([vpn.managed, vpn.editable, vpn.deletable], [true, false, false], 'the sandbox serves it as Scaleway does');

    const text = exampleText(seeded);
    const { model, desired } = modelOf(text);
    const inv = await inventoryOf(profile);
    const report = computeDrift(desired, inv, { ignores: model.spec.drift?.ignore ?? [] });
    assert.deepEqual(report.entries.filter((e) => /VPN Gateway/.test(e.name)), []);
    assert.deepEqual(report.scalewayManaged.map((m) => `${m.kind} ${m.name.slice(0, 12)}`), ['application VPN Gateway ', 'policy VPN Gateway ', 'project default']);
    const plan = buildPlan(desired, inv, { ignores: model.spec.drift?.ignore ?? [] });
    assert.ok(!plan.operations.some((o) => /VPN Gateway/.test(o.name)), 'never deleted');
    const imported = importLandingZone(inv, { organizationName: 'acme' });
    assert.doesNotMatch(imported.text.replace(/^#.*$/gm, ''), /VPN Gateway/);
    assert.ok(!imported.notImported.some((n) => /VPN Gateway/.test(n.id)));
  } finally {
    await seeded.close();
  }
});
