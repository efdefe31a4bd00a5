// Scaleway's catalogs: the snapshot parsed into offered values, the catalog rules (offline and
// with a catalog passed in, as plan time does), completion and hover from the catalog, the sandbox
// serving the recorded answers and refusing what they do not offer (real SDK, real error shape),
// `plan` refusing a value the live catalog lacks, and the example applied while the sandbox serves
// a Kubernetes versions answer taken from a real recording.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, Function as Fn, Iam, Instance, K8s, Lb, Rdb, Vpcgw } from '@scaleway/sdk';
import { parse } from 'yaml';
import { bundledCatalog, bundledSnapshot, kubernetesMinors, offerOf, parseSnapshot, type CatalogSnapshot } from '../../src/core/catalog';
import { completionsAt } from '../../src/core/language/completion';
import { hoverAt } from '../../src/core/language/hover';
import { indexDocument } from '../../src/core/language/symbol-index';
import { SourceDocument } from '../../src/core/document';
import { validateText } from '../../src/core/validate';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { EXAMPLE_ORG } from './engine/helpers';
import { envFor, runCli, tempDir } from './ops/helpers';

const example = readFileSync('examples/landing-zone.yaml', 'utf8');
const VERSIONS_KEY = 'GET /k8s/v1/regions/fr-par/versions';
const CASSETTE = join(__dirname, '../../../shared/fixtures/scaleway-cassettes/tf/k8s/cluster-basic.cassette.yaml');

/** The recorded real `GET /k8s/v1/regions/fr-par/versions` answer, from the shared cassette when present. */
function recordedVersionsBody(): unknown {
  if (!existsSync(CASSETTE)) return bundledSnapshot().answers[VERSIONS_KEY]!.body;
  const interactions = (parse(readFileSync(CASSETTE, 'utf8')) as { interactions: { request: { url: string }; response: { body: string } }[] }).interactions;
  const hit = interactions.find((i) => i.request.url === 'https://api.scaleway.com/k8s/v1/regions/fr-par/versions')!;
  return JSON.parse(hit.response.body);
}

/** A snapshot that differs from the bundled one in the given answers (what a refresh would bring). */
function withAnswers(answers: CatalogSnapshot['answers']): CatalogSnapshot {
  const base = bundledSnapshot();
  return { takenAt: '2026-12-07', answers: { ...base.answers, ...answers } };
}

describe('the snapshot', () => {
  test('holds recorded answers, dated, with sameAs for unrecorded regions and notRecorded gaps', () => {
    const snap = bundledSnapshot();
    assert.match(snap.takenAt, /^\d{4}-\d{2}-\d{2}$/);
    for (const [key, a] of Object.entries(snap.answers)) {
      assert.match(key, /^GET \//);
      assert.ok(a.body !== undefined || a.sameAs || a.notRecorded, `${key} has a body, a sameAs pointer or a notRecorded reason`);
      if (a.body !== undefined) assert.match(a.source ?? '', /recorded \d{4}-\d{2}-\d{2}/, `${key} names its recording`);
      if (a.sameAs) assert.ok(snap.answers[a.sameAs]?.body !== undefined || snap.answers[a.sameAs]?.sameAs, `${key} points at a recorded answer`);
    }
    assert.deepEqual(snap.answers[VERSIONS_KEY]!.body, recordedVersionsBody(), 'the versions answer is the recorded one, byte for byte');
  });

  test('parses into offered values per region/zone: Kubernetes minors, node types with CPU/RAM, engines, runtimes', () => {
    const c = bundledCatalog();
    assert.deepEqual(kubernetesMinors(offerOf(c, 'kubernetes-versions', 'fr-par')!), ['1.35', '1.34', '1.33']);
    assert.equal(offerOf(c, 'kubernetes-versions', 'nl-ams')!.sameAs, 'fr-par', 'nl-ams was never recorded: it says so');
    const pro2s = offerOf(c, 'instance-types', 'fr-par-1')!.values.find((v) => v.name === 'PRO2-S')!;
    assert.match(pro2s.detail!, /^8 vCPU, 32 GiB RAM, x86_64, €[\d.]+\/h$/);
    assert.equal(offerOf(c, 'instance-types', 'fr-par-1')!.values.length, 71, 'both recorded pages');
    assert.equal(offerOf(c, 'database-node-types', 'fr-par')!.values.length, 21, 'both recorded pages');
    assert.ok(offerOf(c, 'database-engines', 'fr-par')!.values.some((v) => v.name === 'PostgreSQL-16'));
    assert.ok(!offerOf(c, 'database-engines', 'fr-par')!.values.some((v) => v.name === 'PostgreSQL-13'), 'disabled versions are not offered');
    const runtimes = offerOf(c, 'function-runtimes', 'fr-par')!.values.map((v) => v.name);
    assert.ok(runtimes.includes('node22') && !runtimes.includes('node19'), 'end-of-life runtimes are not offered');
    assert.match(c.missing['lb-types']!, /no recorded real answer/);
    // no API answer of the permission sets was recorded: Scaleway's documentation lists their names, dated
    assert.equal(c.missing['permission-sets'], undefined);
    const ps = offerOf(c, 'permission-sets', 'global')!;
    assert.deepEqual([ps.date, ps.documented], ['2026-03-20', true]);
    assert.match(ps.source, /docs\/iam\/reference-content\/permission-sets.*not an API answer/);
    for (const name of ['ProjectReadOnly', 'IAMReadOnly', 'ObjectStorageFullAccess', 'PrivateNetworksReadOnly', 'AllProductsReadOnly']) assert.ok(ps.values.some((v) => v.name === name), name);
    assert.ok(!ps.values.some((v) => v.name === 'ProjectManagerReadOnly'), 'a name the documentation does not list');
  });
});

describe('catalog rules', () => {
  const live = parseSnapshot(withAnswers({
    'GET /lb/v1/zones/fr-par-1/lb-types': { recordedAt: '2026-12-07', body: { lb_types: [{ name: 'LB-S', stock_status: 'available' }, { name: 'LB-GP-M', stock_status: 'available' }], total_count: 2 } },
    'GET /iam/v1alpha1/permission-sets': { recordedAt: '2026-12-07', body: { permission_sets: [{ name: 'VPCFullAccess' }, { name: 'InstancesFullAccess' }, { name: 'ObjectStorageFullAccess' }, { name: 'SecretManagerReadOnly' }, { name: 'KeyManagerFullAccess' }, { name: 'ContainerRegistryReadOnly' }, { name: 'FunctionsFullAccess' }, { name: 'KubernetesFullAccess' }, { name: 'RelationalDatabasesFullAccess' }], total_count: 9 } },
  }), 'live');

  test('the example uses only offered values (offline snapshot, and a catalog with LB types and permission sets)', () => {
    assert.deepEqual(validateText(example).issues.map((i) => `${i.ruleId} ${i.message}`), []);
    const withLive = validateText(example, 'landing-zone.yaml', { catalog: live }).issues.filter((i) => ['load-balancer-type', 'permission-set'].includes(i.ruleId));
    assert.deepEqual(withLive.map((i) => i.message), []);
  });

  test('an LB type and a permission set the catalog lacks are errors naming the offered values, the date and a fix', () => {
    const text = example.replace('type: LB-GP-M', 'type: LB-GP-XXL').replace('permissionSets: [VPCFullAccess, InstancesFullAccess]', 'permissionSets: [VPCFullAccess, TotallyNotAPermissionSet]');
    const issues = validateText(text, 'landing-zone.yaml', { catalog: live }).issues.filter((i) => i.severity === 'error');
    const lb = issues.find((i) => i.ruleId === 'load-balancer-type')!;
    assert.match(lb.message, /^Load Balancer type "LB-GP-XXL" is not offered in fr-par-1; offered: LB-S and LB-GP-M \(Scaleway's live catalog read 2026-12-07\)/);
    assert.equal(lb.fix?.edits?.[0]?.newText, 'LB-GP-M');
    const ps = issues.find((i) => i.ruleId === 'permission-set')!;
    assert.match(ps.message, /IAM permission set "TotallyNotAPermissionSet" is not offered; offered: .*VPCFullAccess/);
    // offline, the LB types were recorded nowhere: nothing is claimed about them; the permission set
    // is checked against the names Scaleway's documentation lists, and the message says so
    const offline = validateText(text).issues;
    assert.deepEqual(offline.map((i) => i.ruleId), ['permission-set']);
    assert.match(offline[0]!.message, /IAM permission set "TotallyNotAPermissionSet" is not offered; .*\(Scaleway's documentation, validated 2026-03-20; no API answer was recorded\)/);
  });

  test('Kubernetes: minors of the offered patches; a newer catalog moves the fix to the nearest', () => {
    const text = example.replace('version: "1.35"', 'version: "1.31"');
    const [issue] = validateText(text).issues;
    assert.equal(issue?.ruleId, 'kubernetes-version');
    assert.equal(issue?.severity, 'error');
    assert.match(issue!.message, /offered: 1\.35, 1\.34 and 1\.33 \(Scaleway's catalog recorded 2026-07-03\)\. Nearest: 1\.33\./);
    assert.equal(issue?.fix?.edits?.[0]?.newText, '"1.33"');
    const newer = parseSnapshot(withAnswers({ [VERSIONS_KEY]: { recordedAt: '2026-12-07', body: { versions: [{ name: '1.36.1' }, { name: '1.35.9' }, { name: '1.35.8' }] } } }), 'live');
    const issues = validateText(example.replace('version: "1.35"', 'version: "1.34"'), 'x.yaml', { catalog: newer }).issues;
    assert.match(issues[0]!.message, /Kubernetes version "1\.34" is not offered in fr-par; offered: 1\.36 and 1\.35 \(Scaleway's live catalog read 2026-12-07\)\. Nearest: 1\.35\./);
  });
});

describe('editor', () => {
  const at = (text: string) => ({ text: text.replace('|', ''), offset: text.indexOf('|') });
  const head = `version: 1\norganization: { id: ${EXAMPLE_ORG}, name: acme }\ndefaults: { region: fr-par, zone: fr-par-1 }\n`;

  test('completion offers the catalog: versions as quoted minors, node types with CPU and RAM, runtimes never typed', () => {
    const v = at(`${head}projects:\n  p:\n    clusters:\n      apps:\n        version: |`);
    assert.deepEqual(completionsAt(v.text, v.offset).map((i) => i.insertText), ['"1.35"', '"1.34"', '"1.33"']);
    const n = at(`${head}projects:\n  p:\n    clusters:\n      apps:\n        pools:\n          default: { nodeType: | }`);
    const pro2 = completionsAt(n.text, n.offset).find((i) => i.label === 'PRO2-S')!;
    assert.match(pro2.detail!, /Kapsule node type · 8 vCPU, 32 GiB RAM/);
    assert.match(pro2.documentation!, /Offered in fr-par-1 \(Scaleway's catalog recorded 2025-05-22\)/);
    const e = at(`${head}projects:\n  p:\n    databases:\n      main:\n        engine: |`);
    assert.ok(completionsAt(e.text, e.offset).some((i) => i.label === 'PostgreSQL-17'));
  });

  test('hover on a node type shows what the catalog says about it', () => {
    const offset = example.indexOf('nodeType: PRO2-S') + 'nodeType: '.length + 1;
    const h = hoverAt(indexDocument(new SourceDocument(example)), offset);
    assert.match(h!.markdown, /\*\*PRO2-S\*\* is offered in fr-par-1: 8 vCPU, 32 GiB RAM/);
    const lbOffset = example.indexOf('type: LB-S') + 'type: '.length + 1;
    assert.match(hoverAt(indexDocument(new SourceDocument(example)), lbOffset)!.markdown, /no recorded answer.*landing-zone plan/);
  });
});

describe('the sandbox serves the recorded catalogs and refuses what they do not offer', () => {
  let sb: Sandbox;
  let client: ReturnType<typeof createClient>;
  before(async () => {
    sb = await startSandbox({
      transitionMs: 10,
      catalog: withAnswers({
        'GET /lb/v1/zones/fr-par-1/lb-types': { recordedAt: '2026-12-07', body: { lb_types: [{ name: 'LB-S', stock_status: 'available', zone: 'fr-par-1' }], total_count: 1 } },
        'GET /iam/v1alpha1/permission-sets': { recordedAt: '2026-12-07', body: { permission_sets: [{ name: 'VPCFullAccess' }, { name: 'VPCReadOnly' }], total_count: 2 } },
      }),
    });
    client = createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultOrganizationId: sb.organizationId, defaultProjectId: sb.projectId, defaultRegion: 'fr-par', defaultZone: 'fr-par-1' });
  });
  after(async () => { await sb.close(); });

  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as { status: number; body: { type: string; details: { argument_name: string; reason: string; help_message: string }[] } };
    }
    assert.fail('expected a 400');
  };
  const raw = async (path: string) => {
    const res = await fetch(`${sb.url}${path}`, { headers: { 'x-auth-token': sb.secretKey } });
    return { status: res.status, type: res.headers.get('content-type'), total: res.headers.get('x-total-count'), body: await res.json() as Record<string, unknown> };
  };

  test('answers as recorded, paged as Scaleway pages them', async () => {
    assert.deepEqual((await raw('/k8s/v1/regions/fr-par/versions')).body, recordedVersionsBody());
    const nl = (await new K8s.v1.API(client).listVersions({ region: 'nl-ams' })).versions;
    assert.deepEqual(nl.map((v) => [v.name, v.region]), [['1.35.3', 'nl-ams'], ['1.34.6', 'nl-ams'], ['1.33.10', 'nl-ams']]);
    const page1 = await raw('/rdb/v1/regions/fr-par/node-types?include_disabled_types=false&page=1');
    assert.equal((page1.body.node_types as unknown[]).length, 20);
    assert.equal(page1.body.total_count, 21);
    assert.equal((await new Rdb.v1.API(client).listNodeTypes({ includeDisabledTypes: false }).all()).length, 21);
    const servers = await raw('/instance/v1/zones/fr-par-1/products/servers?page=1');
    assert.equal(Object.keys(servers.body.servers as object).length, 50);
    assert.equal(servers.total, '71');
    assert.equal(servers.type, 'application/json');
    assert.ok('PRO2-S' in (await new Instance.v1.API(client).listServersTypes({ perPage: 100 })).servers);
    assert.equal((await new Fn.v1beta1.API(client).listFunctionRuntimes({})).runtimes.length, 41);
    assert.deepEqual((await new Vpcgw.v2.API(client).listGatewayTypes({})).types.map((t) => t.name), ['VPC-GW-S', 'VPC-GW-M', 'VPC-GW-L', 'VPC-GW-XL']);
  });

  test('refuses each unknown value with 400 invalid_arguments and details', async () => {
    const k8s = new K8s.v1.API(client);
    const version = await refusal(k8s.createCluster({ type: 'kapsule', name: 'c', description: '', version: '1.31.13', cni: 'cilium', tags: [], featureGates: [], admissionPlugins: [], apiserverCertSans: [] } as never));
    assert.equal(version.status, 400);
    assert.deepEqual(version.body, { details: [{ argument_name: 'version', reason: 'constraint', help_message: 'version "1.31.13" is not available' }], message: 'invalid argument(s)', type: 'invalid_arguments' });
    const pool = await refusal(k8s.createCluster({ type: 'kapsule', name: 'c', description: '', version: '1.35.3', cni: 'cilium', tags: [], featureGates: [], admissionPlugins: [], apiserverCertSans: [], pools: [{ name: 'p', nodeType: 'NOPE-XL', size: 1, autoscaling: false, autohealing: false, tags: [], kubeletArgs: {}, containerRuntime: 'containerd', rootVolumeType: 'default_volume_type', publicIpDisabled: false }] } as never));
    assert.equal(pool.body.details[0]!.argument_name, 'node_type');
    const rdb = new Rdb.v1.API(client);
    const base = { name: 'db', isHaCluster: false, disableBackup: false, tags: [], initSettings: [], volumeType: 'sbs_5k', volumeSize: 20_000_000_000, initEndpoints: [], backupSameRegion: true, userName: '', password: '' };
    assert.equal((await refusal(rdb.createInstance({ ...base, engine: 'PostgreSQL-9', nodeType: 'DB-DEV-S' } as never))).body.details[0]!.argument_name, 'engine');
    assert.equal((await refusal(rdb.createInstance({ ...base, engine: 'PostgreSQL-16', nodeType: 'DB-NOPE-XXL' } as never))).body.details[0]!.argument_name, 'node_type');
    const gw = await refusal(new Vpcgw.v2.API(client).createGateway({ name: 'g', type: 'VPC-GW-XXL', enableSmtp: false, enableBastion: false, tags: [] } as never));
    assert.equal(gw.body.details[0]!.argument_name, 'type');
    const lb = new Lb.v1.ZonedAPI(client);
    assert.equal((await refusal(lb.createLb({ name: 'l', description: '', tags: [], type: 'LB-GP-XXL', assignFlexibleIp: true } as never))).body.details[0]!.help_message, 'load balancer type "LB-GP-XXL" is not available');
    const untyped = await refusal(lb.createLb({ name: 'l', description: '', tags: [], assignFlexibleIp: true } as never));
    assert.deepEqual(untyped.body.details, [{ argument_name: 'type', reason: 'required', help_message: 'required' }]);
    const iam = new Iam.v1alpha1.API(client);
    const app = await iam.createApplication({ name: 'a', description: '', tags: [] } as never);
    const ps = await refusal(iam.createPolicy({ name: 'p', applicationId: app.id, rules: [{ permissionSetNames: ['TotallyNotAPermissionSet'], organizationId: sb.organizationId }] } as never));
    assert.equal(ps.body.details[0]!.argument_name, 'rules.0.permission_set_names');
    const fn = new Fn.v1beta1.API(client);
    const ns = await fn.createNamespace({ name: 'ns', environmentVariables: {}, secretEnvironmentVariables: [], tags: [] } as never);
    await fn.waitForNamespace({ namespaceId: ns.id }, { minDelay: 1, maxDelay: 1 } as never);
    const cobol = await refusal(fn.createFunction({ namespaceId: ns.id, name: 'f', runtime: 'cobol42', environmentVariables: {}, secretEnvironmentVariables: [], tags: [] } as never));
    assert.deepEqual(cobol.body.details, [{ argument_name: 'runtime', reason: 'constraint', help_message: 'runtime "cobol42" is not available' }]);
  });
});

describe('plan time reads the live catalogs', () => {
  test('plan refuses a value the account does not offer, naming the offered ones; validate (offline) did not know', async () => {
    // the live account offers fewer versions than the snapshot: a real recorded answer, trimmed
    const recorded = recordedVersionsBody() as { versions: { name: string }[] };
    const sb = await startSandbox({ transitionMs: 10, catalog: withAnswers({ [VERSIONS_KEY]: { recordedAt: '2026-12-07', body: { versions: recorded.versions.filter((v) => v.name.startsWith('1.35.')) } } }) });
    try {
      const dir = await tempDir();
      await writeFile(join(dir, 'landing-zone.yaml'), example.replace(EXAMPLE_ORG, sb.organizationId).replace('version: "1.35"', 'version: "1.34"'));
      const env = envFor(sb, dir);
      assert.equal((await runCli(['validate'], env, dir)).code, 0, 'the snapshot offers 1.34');
      const plan = await runCli(['plan'], env, dir);
      assert.equal(plan.code, 1, plan.stderr);
      assert.match(plan.stderr, /landing-zone\.yaml:\d+:18 error kubernetes-version Kubernetes version "1\.34" is not offered in fr-par; offered: 1\.35 \(Scaleway's live catalog read \d{4}-\d{2}-\d{2}\)/);
      assert.match(plan.stderr, /plan: catalog not checked: Load Balancer types in fr-par-1: HTTP 404/);
      const apply = await runCli(['apply', '--yes'], env, dir);
      assert.equal(apply.code, 1);
      assert.match(apply.stderr, /nothing was changed/);
      assert.ok(sb.requestLog.every((r) => r.method === 'GET'), 'nothing was written');
    } finally {
      await sb.close();
    }
  });

  test('the example applies while the sandbox serves the recorded real versions answer (CLI, real SDK): 0 failed', async () => {
    const sb = await startSandbox({ transitionMs: 10, catalog: withAnswers({ [VERSIONS_KEY]: { recordedAt: '2026-07-03', body: recordedVersionsBody() } }) });
    sb.extras.velero.setDelays({ startMs: 10, runMs: 30 });
    try {
      const dir = await tempDir();
      await writeFile(join(dir, 'landing-zone.yaml'), example.replace(EXAMPLE_ORG, sb.organizationId));
      const apply = await runCli(['apply', '--yes'], envFor(sb, dir), dir);
      assert.match(apply.stderr, /apply: completed: \d+ done, 0 failed, 0 not run/, apply.stderr.split('\n').filter((l) => /FAILED|error/.test(l)).join('\n'));
      assert.equal(apply.code, 0);
      const clusters = await new K8s.v1.API(createClient({ apiURL: sb.url, accessKey: sb.accessKey, secretKey: sb.secretKey, defaultRegion: 'fr-par' })).listClusters({}).all();
      assert.deepEqual([...new Set(clusters.map((c) => c.version))], ['1.35.3'], 'the newest recorded 1.35 patch');
    } finally {
      await sb.close();
    }
  });
});

test('scripts/refresh-catalog.mjs re-reads every catalog from the API with the profile and writes a dated snapshot', async () => {
  const sb = await startSandbox({});
  try {
    const dir = await tempDir();
    const out = join(dir, 'catalog.json');
    const stderr = await new Promise<string>((resolve, reject) => execFile('node', ['scripts/refresh-catalog.mjs', '--out', out], { env: { ...process.env, ...envFor(sb, dir) } }, (err, _o, e) => (err ? reject(new Error(e)) : resolve(e))));
    assert.match(stderr, /53 answers written/);
    assert.ok(!stderr.includes(sb.secretKey) && !readFileSync(out, 'utf8').includes(sb.secretKey), 'the secret key is never written');
    const refreshed = JSON.parse(readFileSync(out, 'utf8')) as CatalogSnapshot;
    assert.equal(refreshed.takenAt, new Date().toISOString().slice(0, 10));
    const c = parseSnapshot(refreshed, 'live');
    assert.deepEqual(kubernetesMinors(offerOf(c, 'kubernetes-versions', 'pl-waw')!), ['1.35', '1.34', '1.33']);
    assert.equal(offerOf(c, 'instance-types', 'nl-ams-2')!.values.length, 71, 'paged answers kept page by page');
    assert.match(refreshed.answers['GET /lb/v1/zones/fr-par-1/lb-types']!.notRecorded!, /answered HTTP 404/);
  } finally {
    await sb.close();
  }
});
