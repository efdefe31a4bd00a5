import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createClient, Lb } from '@scaleway/sdk';
import { validateText } from '../../../src/core/validate';
import { type Arranged, runCli, scenario } from './helpers';

/*
 * The reference example applied to an empty sandbox, then every rotation it declares, through the
 * CLI and the real SDK: each secret (rotate-secret, or rotate-api-key for the vault secrets that
 * hold an application's key), each key (rotate-key) and each application's API key
 * (rotate-api-key). Drift must be in sync before and after. Then the load balancer and the
 * replicas are broken behind the tool's back, and drift must say exactly what broke.
 */

const EXAMPLE_ORG = '6a4c2f1e-8b3d-4e5f-9a7b-1c2d3e4f5a6b';
const example = (org: string) => readFileSync('examples/landing-zone.yaml', 'utf8').replace(EXAMPLE_ORG, org);

interface DriftJson {
  inSync: boolean;
  entries: { id: string; status: string; changes?: { field: string; declared: unknown; live: unknown }[] }[];
}

describe('the example, applied, then every rotation in it', () => {
  let a: Arranged;
  let dir: string;
  let path: string;
  let env: NodeJS.ProcessEnv;
  let lb: InstanceType<typeof Lb.v1.ZonedAPI>;

  const drift = async (): Promise<{ code: number; report: DriftJson; findings: string[] }> => {
    // Keycloak (sso) is the one kind no version reads: accepted by name, as npm start does
    const r = await runCli(['drift', '--file', path, '--format', 'json', '--accept-not-checked', 'sso'], env, dir);
    const report = JSON.parse(r.stdout) as DriftJson;
    const findings = report.entries.filter((e) => e.status !== 'in-sync' && e.status !== 'not-checked')
      .map((e) => `${e.status} ${e.id}${e.changes ? ` ${e.changes.map((c) => c.field).join(',')}` : ''}`);
    return { code: r.code, report, findings };
  };
  const model = async () => validateText(await readFile(path, 'utf8')).model!;
  const projectId = async (name: string) => (await a.account.listProjects({ organizationId: a.sandbox.organizationId, name }).all()).find((p) => p.name === name)!.id;
  const secretIn = async (region: 'fr-par' | 'nl-ams', name: string) =>
    (await a.secret.listSecrets({ region, projectId: await projectId('security'), name, scheduledForDeletion: false }).all()).find((s) => s.name === name)!;

  before(async () => {
    ({ a, dir, path, env } = await scenario(example));
    lb = new Lb.v1.ZonedAPI(createClient({
      apiURL: a.sandbox.url, accessKey: a.sandbox.accessKey, secretKey: a.sandbox.secretKey,
      defaultOrganizationId: a.sandbox.organizationId, defaultRegion: 'fr-par', defaultZone: 'fr-par-1',
    }));
    const applied = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(() => a.sandbox.close());

  it('is in sync after apply, with the certificate, the backend and the replicas in the comparison', async () => {
    const d = await drift();
    assert.equal(d.code, 0, d.findings.join('\n'));
    const ids = new Set(d.report.entries.filter((e) => e.status === 'in-sync').map((e) => e.id));
    for (const id of [
      'prod/lb-certificate/apps-lb-https-cert', 'prod/lb-backend/apps-lb-https-backend', 'dev/lb-backend/apps-lb-https-backend',
      'security/secret-replica/elasticsearch-credentials-nl-ams', 'security/key-replica/secrets-key-nl-ams',
    ]) assert.ok(ids.has(id), `${id} is checked and in sync`);
    // dev and staging declare no domains: TLS passes through to the ingress, no certificate
    assert.ok(![...ids].some((id) => id.startsWith('dev/lb-certificate/') || id.startsWith('staging/lb-certificate/')));
  });

  it('serves: Let\'s Encrypt certificate ready on the 443 frontend, TLS offloaded to the cluster nodes on port 80', async () => {
    const prodLb = (await lb.listLbs({ name: 'apps-lb', projectId: await projectId('prod') }).all())[0]!;
    const [cert] = await lb.listCertificates({ lbId: prodLb.id }).all();
    assert.equal(cert!.status, 'ready');
    assert.equal(cert!.type, 'letsencryt', 'the API\'s spelling');
    assert.equal(cert!.commonName, 'apps.acme.example');
    const [fe] = await lb.listFrontends({ lbId: prodLb.id }).all();
    assert.equal(fe!.inboundPort, 443);
    assert.deepEqual(fe!.certificateIds, [cert!.id]);
    const backend = fe!.backend!;
    assert.equal(backend.forwardProtocol, 'http');
    assert.equal(backend.forwardPort, 80);
    const cluster = (await a.k8s.listClusters({ region: 'fr-par', projectId: await projectId('prod'), name: 'apps' }).all())[0]!;
    const nodes = (await a.k8s.listNodes({ region: 'fr-par', clusterId: cluster.id }).all()).map((n) => n.publicIpV4!).sort();
    assert.equal(nodes.length, 3, 'the pool\'s three nodes');
    assert.deepEqual([...backend.pool].sort(), nodes);
    // dev: no domains, so TCP passthrough on 443 to the nodes' 443
    const devLb = (await lb.listLbs({ name: 'apps-lb', projectId: await projectId('dev') }).all())[0]!;
    const [devFe] = await lb.listFrontends({ lbId: devLb.id }).all();
    assert.deepEqual(devFe!.certificateIds, []);
    assert.equal(devFe!.backend!.forwardProtocol, 'tcp');
    assert.equal(devFe!.backend!.forwardPort, 443);
    assert.equal(devFe!.backend!.pool.length, 2);
  });

  it('the replica holds every revision of the primary, value for value, encrypted with the key\'s copy in nl-ams', async () => {
    const primary = await secretIn('fr-par', 'elasticsearch-credentials');
    const replica = await secretIn('nl-ams', 'elasticsearch-credentials');
    assert.equal(replica.path, '/shared');
    assert.equal(replica.versionCount, 2);
    const copyKey = (await a.keys.listKeys({ region: 'nl-ams', projectId: await projectId('security'), name: 'secrets-key', scheduledForDeletion: false }).all())[0]!;
    assert.equal(replica.keyId, copyKey.id);
    for (const revision of ['1', '2']) {
      const p = await a.secret.accessSecretVersion({ region: 'fr-par', secretId: primary.id, revision });
      const r = await a.secret.accessSecretVersion({ region: 'nl-ams', secretId: replica.id, revision });
      assert.equal(r.data, p.data, `revision ${revision} is the same value in both regions`);
    }
  });

  it('the database\'s endpoint secret holds its host and port from the start', async () => {
    const prod = await projectId('prod');
    const db = (await a.rdb.listInstances({ region: 'fr-par', projectId: prod, name: 'main' }).all())[0]!;
    const endpoint = db.endpoints.find((e) => e.privateNetwork) ?? db.endpoints[0]!;
    const secret = (await a.secret.listSecrets({ region: 'fr-par', projectId: prod, name: 'main-db-endpoint', scheduledForDeletion: false }).all())[0]!;
    const v1 = await a.secret.accessSecretVersion({ region: 'fr-par', secretId: secret.id, revision: '1' });
    assert.deepEqual(JSON.parse(Buffer.from(v1.data, 'base64').toString('utf8')), { host: endpoint.ip ?? endpoint.hostname, port: String(endpoint.port) });
  });

  it('a deleted replica is missing in drift, the rotation refuses to start without it, and apply recreates it', async () => {
    const replica = await secretIn('nl-ams', 'elasticsearch-credentials');
    await a.secret.deleteSecret({ region: 'nl-ams', secretId: replica.id });
    const d = await drift();
    assert.equal(d.code, 3);
    assert.deepEqual(d.findings, ['missing security/secret-replica/elasticsearch-credentials-nl-ams']);
    const countBefore = (await secretIn('fr-par', 'elasticsearch-credentials')).versionCount;
    const refused = await runCli(['rotate-secret', 'security/elasticsearch-credentials', '--file', path], env, dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the replica of security\/elasticsearch-credentials in nl-ams \(replication\.regions\) does not exist; nothing was changed/);
    assert.equal((await secretIn('fr-par', 'elasticsearch-credentials')).versionCount, countBefore, 'no version was left behind');
    assert.match(await readFile(path, 'utf8'), /elasticsearch-credentials:\n\s+path: \/shared\n\s+version: 2\n/, 'the file still pins 2');

    const repaired = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.equal((await drift()).code, 0);
    const again = await secretIn('nl-ams', 'elasticsearch-credentials');
    assert.notEqual(again.id, replica.id);
    assert.equal(again.versionCount, 2);
  });

  it('every secret, key and API key of the example rotates, and drift stays in sync', async () => {
    const m = await model();
    const storedIn = new Map(Object.entries(m.spec.iam?.applications ?? {}).flatMap(([app, x]) => (x.apiKey ? [[x.apiKey.storedIn, app] as const] : [])));
    const rotated: string[] = [];
    for (const [project, p] of Object.entries(m.spec.projects)) {
      for (const [name, s] of Object.entries(p.secrets ?? {})) {
        const ref = `${project}/${name}`;
        if (storedIn.has(ref)) {
          // an API key's vault secret turns over with the key, never with a made-up value
          const refused = await runCli(['rotate-secret', ref, '--file', path], env, dir);
          assert.equal(refused.code, 1);
          assert.match(refused.stderr, new RegExp(`rotate it with \`landing-zone rotate-api-key ${storedIn.get(ref)!}\``));
          continue;
        }
        const before = typeof s.version === 'number' ? s.version : 0;
        if (s.replication) {
          // the copy to nl-ams fails after the new version exists: the error says so, the re-run finishes
          a.sandbox.setFaults({ perEndpoint: { 'GET /secret-manager/v1beta1/regions/{region}/secrets/{secretId}/versions/{revision}/access': { rate503: 1 } } });
          const half = await runCli(['rotate-secret', ref, '--file', path], env, dir);
          a.sandbox.setFaults({});
          assert.equal(half.code, 1);
          assert.match(half.stderr, new RegExp(`Version ${before + 1} of ${ref} was created \\(not yet copied to nl-ams, not yet pinned in the file\\); run \`landing-zone rotate-secret ${ref}\` again to finish this rotation`));
        }
        const stdin = s.type === 'key_value' ? '{"host":"10.30.0.9","port":"5432"}' : '';
        const r = await runCli(['rotate-secret', ref, '--file', path, ...(stdin ? ['--value-from', 'stdin'] : [])], env, dir, stdin);
        assert.equal(r.code, 0, `${ref}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`${ref}: version ${before + 1} created and pinned`));
        if (s.replication) assert.equal((await secretIn('fr-par', name)).versionCount, before + 1, 'the resumed rotation made no second version');
        rotated.push(ref);
      }
      for (const name of Object.keys(p.keys ?? {})) {
        const r = await runCli(['rotate-key', `${project}/${name}`, '--file', path], env, dir);
        assert.equal(r.code, 0, `${project}/${name}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, new RegExp(`${project}/${name}: rotated now`));
        rotated.push(`${project}/${name}`);
      }
    }
    for (const app of Object.keys(m.spec.iam?.applications ?? {})) {
      const r = await runCli(['rotate-api-key', app, '--file', path], env, dir);
      assert.equal(r.code, 0, `${app}: ${r.stdout}${r.stderr}`);
      rotated.push(app);
    }
    assert.deepEqual(rotated, [
      'security/elasticsearch-credentials', 'security/argocd-admin', 'security/gitlab-token', 'security/secrets-key', 'security/app-data',
      'prod/main-db-endpoint', 'gitlab-provisioner', 'velero-backup', 'backup-copy',
    ]);

    // the replicated secret's rotation reached nl-ams, and its key's copy rotated with the key
    const after = await model();
    assert.equal(after.spec.projects.security!.secrets!['elasticsearch-credentials']!.version, 3);
    const primary = await secretIn('fr-par', 'elasticsearch-credentials');
    const replica = await secretIn('nl-ams', 'elasticsearch-credentials');
    assert.equal(replica.versionCount, 3);
    const p3 = await a.secret.accessSecretVersion({ region: 'fr-par', secretId: primary.id, revision: '3' });
    const r3 = await a.secret.accessSecretVersion({ region: 'nl-ams', secretId: replica.id, revision: '3' });
    assert.equal(r3.data, p3.data);
    const copyKey = (await a.keys.listKeys({ region: 'nl-ams', name: 'secrets-key', scheduledForDeletion: false }).all())[0]!;
    assert.ok(copyKey.rotationCount >= 1, 'the key\'s copy in nl-ams rotated too');

    // the rotated API keys' consumers (Velero's Secret, the copy function's secret variables) still
    // hold the previous key: drift says so, and the next apply passes the new one on
    const lagging = await drift();
    assert.deepEqual(lagging.findings.sort(), ['changed devops/backup-copy/backup-copy credentials', 'changed prod/velero-install/apps-velero credentialsVersion']);
    const applied = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(applied.code, 0, applied.stderr);
    const d = await drift();
    assert.equal(d.code, 0, d.findings.join('\n'));
  });

  it('drift reports a detached certificate and a stale replica; apply repairs both', async () => {
    const prodLb = (await lb.listLbs({ name: 'apps-lb', projectId: await projectId('prod') }).all())[0]!;
    const [fe] = await lb.listFrontends({ lbId: prodLb.id }).all();
    await lb.updateFrontend({ frontendId: fe!.id, name: fe!.name, inboundPort: fe!.inboundPort, backendId: fe!.backend!.id, certificateIds: [], enableHttp3: false });
    // behind the tool's back: a new revision in the primary only (the replica is now stale)
    const primary = await secretIn('fr-par', 'elasticsearch-credentials');
    await a.secret.createSecretVersion({ region: 'fr-par', secretId: primary.id, data: Buffer.from('made-by-hand').toString('base64'), disablePrevious: false });

    let d = await drift();
    assert.equal(d.code, 3);
    assert.deepEqual(d.findings, ['changed prod/lb-certificate/apps-lb-https-cert frontend']);

    // pin the hand-made revision: the replica lacks it
    const text = await readFile(path, 'utf8');
    const newest = (await secretIn('fr-par', 'elasticsearch-credentials')).versionCount;
    const repinned = text.replace(/(elasticsearch-credentials:\n\s+path: \/shared\n\s+version: )\d+/, `$1${newest}`);
    assert.notEqual(repinned, text);
    await writeFile(path, repinned);
    d = await drift();
    assert.deepEqual(d.findings, [
      'changed prod/lb-certificate/apps-lb-https-cert frontend',
      'changed security/secret-replica/elasticsearch-credentials-nl-ams version',
    ]);
    const stale = d.report.entries.find((e) => e.id === 'security/secret-replica/elasticsearch-credentials-nl-ams')!;
    assert.deepEqual(stale.changes, [{ field: 'version', declared: newest, live: newest - 1 }]);

    const repaired = await runCli(['apply', '--file', path, '--yes'], env, dir);
    assert.equal(repaired.code, 0, repaired.stderr);
    d = await drift();
    assert.equal(d.code, 0, d.findings.join('\n'));
    const [fe2] = await lb.listFrontends({ lbId: prodLb.id }).all();
    assert.equal(fe2!.certificateIds.length, 1);
    const again = await secretIn('nl-ams', 'elasticsearch-credentials');
    // the missing revision was copied: every revision, the same value under the same number
    assert.equal(again.versionCount, newest);
    for (let v = 1; v <= newest; v += 1) {
      const pv = await a.secret.accessSecretVersion({ region: 'fr-par', secretId: primary.id, revision: String(v) });
      const rv = await a.secret.accessSecretVersion({ region: 'nl-ams', secretId: again.id, revision: String(v) });
      assert.equal(rv.data, pv.data, `revision ${v}`);
    }
  });
});
