// The editor's language logic without VS Code: completion, hover, navigation, rename, outline and
// quick fixes, computed on text and offsets exactly as the extension calls them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceDocument } from '../../src/core/document';
import { completionsAt } from '../../src/core/language/completion';
import { cursorContext } from '../../src/core/language/cursor';
import { hoverAt } from '../../src/core/language/hover';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../src/core/language/navigation';
import { outline } from '../../src/core/language/outline';
import { planMarkdown, planOneLine, projectsWithDeletes } from '../../src/core/language/plan-preview';
import { quickFixesFor, ruleDocsUrl } from '../../src/core/language/quick-fixes';
import { fieldDocAt } from '../../src/core/language/schema-docs';
import { indexDocument } from '../../src/core/language/symbol-index';
import type { Issue, TextEdit } from '../../src/core/issues';
import { validateText } from '../../src/core/validate';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');

/** Text with a `|` marking the cursor → [text, offset]. */
function at(marked: string): [string, number] {
  const i = marked.indexOf('|');
  return [marked.slice(0, i) + marked.slice(i + 1), i];
}
const index = (text: string) => indexDocument(new SourceDocument(text));
const offsetOf = (text: string, needle: string, delta = 1) => { const i = text.indexOf(needle); assert.ok(i >= 0, needle); return i + delta; };

function applyEdits(text: string, edits: TextEdit[]): string {
  const src = new SourceDocument(text);
  return [...edits]
    .map((e) => ({ s: src.offset(e.range.start), e: src.offset(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s)
    .reduce((acc, e) => acc.slice(0, e.s) + e.t + acc.slice(e.e), text);
}

const HEAD = 'version: 1\norganization: { id: 11111111-2222-3333-4444-555555555555, name: acme }\ndefaults: { region: fr-par, zone: fr-par-1 }\n';

test('cursor context: block keys, values, sequences and flow collections', () => {
  const cases: [string, string, (string | number)[]][] = [
    ['projects:\n  prod:\n    role: |', 'value', ['projects', 'prod', 'role']],
    ['projects:\n  prod:\n    role: environment\n    |', 'key', ['projects', 'prod']],
    ['projects:\n  p:\n    clusters:\n      a:\n        loadBalancer: { type: LB-S, allowFrom: [security, d|] }', 'value', ['projects', 'p', 'clusters', 'a', 'loadBalancer', 'allowFrom', 1]],
    ['iam:\n  applications:\n    x:\n      policy:\n        - permissionSets: [A]\n          projects:\n            - |', 'value', ['iam', 'applications', 'x', 'policy', 0, 'projects', 0]],
    ['iam:\n  applications:\n    x:\n      policy:\n        - { permissionSets: [A] }\n        - { permissionSets: [A], projects: [|] }', 'value', ['iam', 'applications', 'x', 'policy', 1, 'projects', 0]],
    ['drift:\n  ignore:\n  - resource: a\n    reason: b\n  - resource: c\n    fi|', 'key', ['drift', 'ignore', 1]],
    ['projects:\n  s:\n    network:\n      publicGateway: { t|', 'key', ['projects', 's', 'network', 'publicGateway']],
  ];
  for (const [marked, position, path] of cases) {
    const [text, offset] = at(marked);
    const ctx = cursorContext(text, offset);
    assert.equal(ctx?.position, position, marked);
    assert.deepEqual(ctx?.path, path, marked);
  }
  const [t, o] = at('defaults:\n  zone: fr-par-1 # a comm|ent');
  assert.equal(cursorContext(t, o), undefined, 'no completion inside a comment');
});

test('field documentation comes from the zod meta, through optional wrappers on either side', () => {
  const rotation = fieldDocAt(['projects', 'security', 'keys', 'k', 'rotationPeriod']);
  assert.match(rotation?.description ?? '', /rotates the key/);
  assert.deepEqual(rotation?.examples, ['90d']);
  const domains = fieldDocAt(['projects', 'p', 'clusters', 'c', 'loadBalancer', 'domains']);
  assert.match(domains?.description ?? '', /Host names/);
  assert.equal(domains?.required, false);
  assert.deepEqual(fieldDocAt(['projects', 'p', 'role'])?.choices, ['security', 'devops', 'monitoring', 'shared', 'environment']);
});

test('completion: keys with documentation, minus the ones present', () => {
  const [text, offset] = at(`${HEAD}projects:\n  prod:\n    role: environment\n    |`);
  const items = completionsAt(text, offset);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('network') && labels.includes('clusters') && labels.includes('databases'), labels.join());
  assert.ok(!labels.includes('role'), 'role is already there');
  const clusters = items.find((i) => i.label === 'clusters');
  assert.match(clusters?.documentation ?? '', /Kapsule clusters by name/);
  assert.equal(clusters?.insertText, 'clusters:\n  $0');
});

test('completion: enum values, node types, Kubernetes versions and zones of the project region first', () => {
  const values = (marked: string) => { const [t, o] = at(marked); return completionsAt(t, o); };
  assert.deepEqual(values(`${HEAD}projects:\n  p:\n    role: |`).map((i) => i.label), ['security', 'devops', 'monitoring', 'shared', 'environment']);
  const gw = values(`${HEAD}projects:\n  p:\n    network:\n      publicGateway: { type: | }`).map((i) => i.label);
  assert.ok(gw.includes('VPC-GW-S') && gw.includes('VPC-GW-XL'));
  const nodes = values(`${HEAD}projects:\n  p:\n    clusters:\n      apps:\n        pools:\n          default: { nodeType: | }`).map((i) => i.label);
  assert.ok(nodes.includes('PRO2-S') && !nodes.includes('DB-PRO2-XS'));
  const dbNodes = values(`${HEAD}projects:\n  p:\n    databases:\n      main:\n        nodeType: |`).map((i) => i.label);
  assert.ok(dbNodes.includes('DB-PRO2-XS') && !dbNodes.includes('PRO2-S'));
  const versions = values(`${HEAD}projects:\n  p:\n    clusters:\n      apps:\n        version: |`);
  assert.ok(versions.some((v) => v.label === '1.35' && v.insertText === '"1.35"'), 'versions are quoted so YAML keeps them strings');
  const zones = values(`${HEAD}projects:\n  p:\n    region: nl-ams\n    zone: |`).sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
  assert.deepEqual(zones.slice(0, 3), ['nl-ams-1', 'nl-ams-2', 'nl-ams-3']);
  const regions = values(`${HEAD}disasterRecovery:\n  regionFailure: { fallbackRegion: | }`).map((i) => i.label);
  assert.ok(regions.includes('nl-ams') && regions.includes('fr-par'));
});

test('completion: references are kind-aware (keys for encryptionKey, hubs first in allowFrom, secrets for storedIn)', () => {
  const keyRef = completionsAt(example.replace('encryptionKey: security/app-data', 'encryptionKey: '), offsetOf(example.replace('encryptionKey: security/app-data', 'encryptionKey: '), 'encryptionKey: \n', 15));
  assert.deepEqual(keyRef.map((i) => i.label).sort(), ['security/app-data', 'security/secrets-key']);
  assert.ok(keyRef.every((i) => i.kind === 'reference'));

  const t2 = example.replace('allowFrom: [security, devops], domains', 'allowFrom: [], domains');
  const hubs = completionsAt(t2, offsetOf(t2, 'allowFrom: [], domains', 12));
  const sorted = [...hubs].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
  assert.deepEqual(sorted.slice(0, 2).sort(), ['devops', 'security'], 'the hubs come first');
  assert.ok(sorted.includes('prod'), 'other projects are offered too');

  const t3 = example.replace('storedIn: security/ci-scw-key', 'storedIn: sec');
  const secrets = completionsAt(t3, offsetOf(t3, 'storedIn: sec', 13)).map((i) => i.label);
  assert.ok(secrets.includes('security/ci-scw-key') && secrets.includes('prod/main-db-endpoint') && !secrets.includes('security/app-data'));

  const t4 = example.replace('bucket: prod/velero', 'bucket: ');
  assert.deepEqual(completionsAt(t4, offsetOf(t4, 'bucket: ,', 8)).map((i) => i.label).sort(), ['devops/artifacts', 'prod/velero']);
});

test('completion: a snippet for a new project of each role, with a free subnet', () => {
  const [text, offset] = at(example.replace('\n  devops:\n', '\n  |\n  devops:\n'));
  const items = completionsAt(text, offset);
  assert.deepEqual(items.map((i) => i.label), ['new security project', 'new devops project', 'new monitoring project', 'new shared project', 'new environment project']);
  const env = items.find((i) => i.label === 'new environment project')!;
  assert.ok(env.snippet && /role: environment/.test(env.insertText) && /clusters:/.test(env.insertText));
  assert.match(env.insertText, /subnet: 10\.11\.0\.0\/22/, 'the first 10.x not used by another project');
});

test('hover: field documentation, reference target, secret metadata without value, live state', () => {
  const idx = index(example);
  const field = hoverAt(idx, offsetOf(example, 'rotationPeriod: 90d', 2));
  assert.match(field?.markdown ?? '', /rotationPeriod.*rotates the key/s);

  const ref = hoverAt(idx, offsetOf(example, 'storedIn: security/ci-scw-key', 20));
  assert.match(ref?.markdown ?? '', /storedIn → \*\*Secret\*\* `security\/ci-scw-key`/);
  assert.match(ref?.markdown ?? '', /pinned version: `1`/);

  const live = {
    resource: (id: string) => (id === 'prod/cluster/apps' ? { state: 'changed' as const, details: ['pools.default.size: 3 → 5'] } : undefined),
    secretVersions: (id: string) => (id === 'security/gitlab-token' ? [{ revision: 3, status: 'enabled' }, { revision: 2, status: 'disabled' }] : undefined),
  };
  const secret = hoverAt(idx, offsetOf(example, 'gitlab-token:', 2), live)?.markdown ?? '';
  assert.match(secret, /revision 3: enabled ← pinned/);
  assert.match(secret, /revision 2: disabled/);
  const cluster = hoverAt(idx, offsetOf(example, 'cni: cilium\n        pools:\n          default: { nodeType: PRO2-S', 1), live)?.markdown ?? '';
  assert.match(cluster, /Live\*\* `prod\/cluster\/apps`: changed/);
  assert.match(cluster, /3 → 5/);
});

test('definition and references: keys, secrets, projects (including project/x segments)', () => {
  const idx = index(example);
  const def = definitionAt(idx, offsetOf(example, 'keys: [security/app-data]', 17));
  assert.equal(def?.start.line, example.slice(0, example.indexOf('app-data: {')).split('\n').length - 1);
  const refs = referencesAt(idx, offsetOf(example, 'app-data: {', 1), true);
  assert.equal(refs.length, 4, 'definition + prod cluster keys + staging cluster keys + prod database encryptionKey');
  const security = referencesAt(idx, offsetOf(example, '  security:\n', 3), false);
  // allowFrom ×3 + every security/… reference (5 secrets' encryptionKey, 2 cluster keys, 1 database key, prod secret key, 2 storedIn)
  assert.ok(security.length >= 12, `found ${security.length}`);
  assert.ok(security.every((o) => example.slice(o.start, o.end) === 'security'));
  const onProjectSegment = definitionAt(idx, offsetOf(example, 'storedIn: security/ci-scw-key', 11));
  assert.equal(onProjectSegment?.start.line, example.split('\n').findIndex((l) => l === '  security:'));
});

test('rename: a project rewrites its key, allowFrom, project/x references and drift ignores', () => {
  const idx = index(example);
  const prep = prepareRenameAt(idx, offsetOf(example, '  prod:\n', 3));
  assert.ok('placeholder' in prep && prep.placeholder === 'prod');
  const r = renameAt(idx, offsetOf(example, '  prod:\n', 3), 'production');
  assert.ok('edits' in r, JSON.stringify(r));
  const out = applyEdits(example, r.edits);
  assert.match(out, /\n {2}production:\n/);
  assert.match(out, /endpointSecret: production\/main-db-endpoint/);
  assert.match(out, /velero: \{ bucket: production\/velero, schedule: "0 \*\/6 \* \* \*", ttl: 30d, clusters: \[production\/apps\] \}/);
  assert.match(out, /projects: \[production\] \}/);
  assert.match(out, /resource: production\/pool\/apps-default/);
  assert.doesNotMatch(out, /[:\[] prod\/|\[prod[\]/]/);
  const v = validateText(out);
  assert.deepEqual(v.issues.filter((i) => i.severity === 'error'), [], 'still valid after the rename');
  assert.ok(v.model?.symbols.some((s) => s.id === 'production'));
});

test('rename: a key from a reference, refusing bad names and clashes', () => {
  const idx = index(example);
  const at1 = offsetOf(example, 'encryptionKey: security/app-data', 26);
  const r = renameAt(idx, at1, 'data-key');
  assert.ok('edits' in r);
  const out = applyEdits(example, r.edits);
  assert.equal((out.match(/security\/data-key/g) ?? []).length, 3);
  assert.match(out, /\n {6}data-key: \{ usage/);
  assert.ok('error' in renameAt(idx, at1, 'Bad Name'));
  assert.ok('error' in renameAt(idx, at1, 'secrets-key'), 'a key of that name exists');
});

test('outline: sections, projects with role, their parts, applications', () => {
  const tree = outline(new SourceDocument(example));
  assert.deepEqual(tree.map((n) => n.name), ['version', 'organization', 'defaults', 'projects', 'iam', 'disasterRecovery', 'drift']);
  const projects = tree.find((n) => n.name === 'projects')!;
  assert.deepEqual(projects.children.map((p) => `${p.name}:${p.detail}`), ['security:security', 'devops:devops', 'monitoring:monitoring', 'dev:environment', 'staging:environment', 'prod:environment']);
  const security = projects.children[0]!;
  assert.deepEqual(security.children.map((g) => g.name), ['keys', 'secrets']);
  assert.equal(security.children[1]!.children.find((s) => s.name === 'gitlab-token')?.detail, 'version 3');
  assert.deepEqual(tree.find((n) => n.name === 'iam')!.children[0]!.children.map((a) => a.name), ['gitlab-provisioner', 'velero-backup', 'backup-copy']);
});

test('quick fixes: issues with edits that touch the range', () => {
  const src = example.replace('  devops:\n    role: devops', '  devops:\n    rol: devops');
  const v = validateText(src);
  const unknown = v.issues.find((i) => i.ruleId === 'schema-unknown-key');
  assert.ok(unknown?.fix?.edits, 'the schema layer suggests the rename');
  const fixes = quickFixesFor(v.issues, unknown.range);
  assert.equal(fixes.length, 1);
  assert.equal(applyEdits(src, fixes[0]!.edits), example);
  const far: Issue['range'] = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  assert.deepEqual(quickFixesFor(v.issues, far), []);
  assert.equal(ruleDocsUrl('lb-admits-hubs', 'https://x/blob/main/README.md'), 'https://x/blob/main/docs/rules/lb-admits-hubs.md');
});

test('index works on a document with errors elsewhere', () => {
  const broken = example.replace('version: 1\n', 'version: 7\n').replace('    role: devops\n', '    role: devops\n    bogus: [\n');
  const idx = index(broken);
  assert.ok(idx.symbols.some((s) => s.id === 'security/secrets-key'), 'symbols still indexed');
});

test('plan preview: target first, operations by project, deletes called out', () => {
  const op = (action: 'create' | 'update' | 'delete', id: string, extra = {}) => {
    const [project, kind, name] = id.split('/') as [string, string, string];
    return { action, id, kind: kind as never, project, name, after: [], summary: `${action} ${id}`, ...extra };
  };
  const plan = {
    version: 1 as const, organizationId: 'org', planHash: 'a'.repeat(64), inventoryHash: 'b'.repeat(64), skipped: [], leftAlone: [],
    operations: [op('create', 'prod/cluster/apps', { zone: 'fr-par-1' }), op('update', 'prod/public-gateway/prod-gw', { changes: [{ field: 'type', declared: 'VPC-GW-M', live: 'VPC-GW-S' }] }), op('delete', 'poc/public-gateway/old-gw')],
  };
  const md = planMarkdown(plan, { organizationId: 'org', organizationName: 'acme', profile: 'sandbox', file: 'landing-zone.yaml' });
  assert.match(md, /^# Plan for acme\n/);
  assert.match(md, /Profile: `sandbox`/);
  assert.match(md, /\*\*1 to create, 1 to update, 1 to delete\*\*/);
  assert.match(md, /## prod\n\n- #1 \*\*Create\*\* cluster `apps` in fr-par-1\n- #2 \*\*Update\*\* public-gateway `prod-gw`\n {3}- `type`: "VPC-GW-S" → "VPC-GW-M"/);
  assert.match(md, /deletes resources in `poc`/);
  assert.deepEqual(projectsWithDeletes(plan), ['poc']);
  assert.equal(planOneLine({ ...plan, operations: [] }), 'no changes');
});
