// Our layout strategy on the example: no overlapping boxes, every box inside its group, edges
// that never cross a box, and the incremental promises: an edit inside one project re-lays out
// that project only and moves nothing else; a label-only edit reuses every position.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutWholeGraph } from '../../bench/layout-baseline';
import { createElk, DiagramLayoutEngine } from '../../src/core/diagram/layout';
import type { DiagramLayout, Point } from '../../src/core/diagram/types';
import { buildTopology } from '../../src/core/topology';
import { validateText } from '../../src/core/validate';
import { generatedLandingZone } from './diagram-fixture';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');
const topologyOf = (text: string) => {
  const r = validateText(text);
  assert.ok(r.model, 'has a model');
  return buildTopology(r.model);
};

interface Box { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box, pad = 0) =>
  a.x < b.x + b.width + pad && b.x < a.x + a.width + pad && a.y < b.y + b.height + pad && b.y < a.y + a.height + pad;
const inside = (a: Box, outer: Box) => a.x >= outer.x && a.y >= outer.y && a.x + a.width <= outer.x + outer.width && a.y + a.height <= outer.y + outer.height;

/** Whether an axis-parallel segment passes through the interior of a box (shrunk by 1px). */
function segmentHitsBox(p: Point, q: Point, b: Box): boolean {
  const x0 = b.x + 1; const x1 = b.x + b.width - 1; const y0 = b.y + 1; const y1 = b.y + b.height - 1;
  if (Math.abs(p.y - q.y) < 0.01) return p.y > y0 && p.y < y1 && Math.max(p.x, q.x) > x0 && Math.min(p.x, q.x) < x1;
  if (Math.abs(p.x - q.x) < 0.01) return p.x > x0 && p.x < x1 && Math.max(p.y, q.y) > y0 && Math.min(p.y, q.y) < y1;
  return false;
}

function checkSane(layout: DiagramLayout) {
  const nodes = layout.nodes;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) assert.ok(!overlaps(nodes[i]!, nodes[j]!), `${nodes[i]!.id} overlaps ${nodes[j]!.id}`);
  }
  const groups = layout.groups;
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) assert.ok(!overlaps(groups[i]!, groups[j]!, 20), `groups ${groups[i]!.id} and ${groups[j]!.id} overlap or touch`);
  }
  for (const n of nodes) {
    const g = groups.find((x) => x.id === n.group)!;
    assert.ok(inside(n, g), `${n.id} inside ${g.id}`);
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height, `${n.id} inside the canvas`);
  }
  for (const e of layout.edges) {
    assert.ok(e.points.length >= 2, `${e.id} has a route`);
    for (let i = 0; i + 1 < e.points.length; i++) {
      const p = e.points[i]!; const q = e.points[i + 1]!;
      assert.ok(Math.abs(p.x - q.x) < 0.01 || Math.abs(p.y - q.y) < 0.01, `${e.id}: orthogonal segments`);
      for (const n of nodes) {
        if (n.id === e.source || n.id === e.target) continue;
        assert.ok(!segmentHitsBox(p, q, n), `${e.id} runs through ${n.id}`);
      }
    }
  }
}

/** An engine that arranges for a panel of this width / height. */
const engineFor = (aspect: number) => {
  const engine = new DiagramLayoutEngine();
  engine.aspect = aspect;
  return engine;
};

test('the example in a wide panel: every project drawn, no overlaps, boxes inside groups, edges around boxes; hubs in the middle column', async () => {
  const engine = engineFor(1.6);
  const layout = await engine.layout(topologyOf(example));
  for (const p of ['security', 'devops', 'monitoring', 'dev', 'staging', 'prod']) assert.ok(layout.groups.some((g) => g.id === `${p}/project`), p);
  checkSane(layout);
  // hubs in the middle column, spokes on both sides of it
  const box = (id: string) => layout.groups.find((g) => g.id === id)!;
  const hub = box('security/project');
  assert.equal(hub.x, box('devops/project').x);
  const sides = ['monitoring', 'dev', 'staging', 'prod'].map((s) => box(`${s}/project`));
  assert.ok(sides.some((g) => g.x + g.width < hub.x), 'spokes left of the hubs');
  assert.ok(sides.some((g) => g.x > hub.x + hub.width), 'spokes right of the hubs');
  for (const g of sides) assert.ok(g.x + g.width < hub.x || g.x > hub.x + hub.width, `${g.id} beside the hubs' column`);
  assert.ok(engine.lastStats.laidOut > 0);
});

test('the example in a panel about as tall as wide (the half-width one): hubs side by side in a band, spokes above and below it', async () => {
  for (const aspect of [1, 800 / 842]) {
    const engine = engineFor(aspect);
    const layout = await engine.layout(topologyOf(example));
    checkSane(layout);
    const box = (id: string) => layout.groups.find((g) => g.id === id)!;
    const [sec, dev] = [box('security/project'), box('devops/project')];
    assert.equal(sec.y, dev.y, 'the hubs side by side');
    assert.equal(sec.height, dev.height, 'the band\'s edges are straight');
    assert.ok(sec.x + sec.width < dev.x, 'security left of devops');
    const spokes = layout.groups.filter((g) => !g.hub);
    for (const g of spokes) assert.ok(g.y + g.height < sec.y || g.y > sec.y + sec.height, `${g.id} above or below the band`);
    assert.ok(spokes.some((g) => g.y < sec.y) && spokes.some((g) => g.y > sec.y), 'spokes above and below');
    // the pseudo-groups next to the band: IAM above security, the DR site below devops
    const iam = box('iam'); const dr = layout.groups.find((g) => g.kind === 'dr-site')!;
    assert.equal(iam.x, sec.x);
    assert.equal(dr.x, dev.x);
    assert.ok(iam.y + iam.height < sec.y && sec.y - (iam.y + iam.height) <= 48, 'IAM just above security');
    assert.ok(dr.y > sec.y + sec.height && dr.y - (sec.y + sec.height) <= 48, 'the DR site just below devops');
    // a picture about as tall as wide
    const ratio = layout.width / layout.height;
    assert.ok(ratio > 0.7 && ratio < 1.4, `width / height ${ratio.toFixed(2)}`);
  }
});

/** Length of a polyline. */
const lengthOf = (pts: Point[]) => pts.slice(1).reduce((n, p, i) => n + Math.hypot(p.x - pts[i]!.x, p.y - pts[i]!.y), 0);
/** Share of the canvas that the group boxes cover. */
const fill = (l: DiagramLayout) => l.groups.reduce((a, g) => a + g.width * g.height, 0) / (l.width * l.height);

/**
 * Holds what both arrangements share: no edge (key, secret and backup ones too) longer than the
 * half-diagonal, and six ACL edges (dev, staging and prod each admit both hubs); gives them with
 * lookups of a node and its group.
 */
function aclEdgesOf(layout: DiagramLayout) {
  const half = Math.hypot(layout.width, layout.height) / 2;
  for (const e of layout.edges) assert.ok(lengthOf(e.points) <= half, `${e.id}: ${Math.round(lengthOf(e.points))} px > half-diagonal ${Math.round(half)}`);
  const acl = layout.edges.filter((e) => e.kind === 'acl');
  assert.equal(acl.length, 6, 'dev, staging and prod each admit both hubs');
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;
  const groupOf = (id: string) => layout.groups.find((g) => g.id === node(id).group)!;
  return { acl, node, groupOf };
}

test('hub and spoke you can see (wide panel): each ACL edge crosses one gutter, straight; no edge longer than the half-diagonal; groups fill half the canvas', async () => {
  const layout = await engineFor(1.6).layout(topologyOf(example));
  const { acl, node, groupOf } = aclEdgesOf(layout);
  for (const e of acl) {
    // straight across the one gutter between the hubs' column and the spoke's: never beyond it
    const [a, b] = [groupOf(e.source), groupOf(e.target)].sort((p, q) => p.x - q.x);
    const lo = a!.x + a!.width; const hi = b!.x;
    assert.ok(hi - lo <= 2 * 48 + 400, `${e.id}: the hub's and the spoke's columns are neighbours`);
    for (const p of e.points) assert.ok(p.x >= a!.x && p.x <= b!.x + b!.width, `${e.id} stays between its two groups`);
    const outside = e.points.filter((p) => p.x > lo + 0.5 && p.x < hi - 0.5);
    assert.ok(new Set(outside.map((p) => Math.round(p.x))).size <= 1, `${e.id}: one vertical run in the gutter: ${JSON.stringify(e.points)}`);
    // short: no longer than the way between the two boxes plus a little
    const s = node(e.source); const t = node(e.target);
    const direct = Math.abs(s.x + s.width / 2 - (t.x + t.width / 2)) + Math.abs(s.y - t.y);
    assert.ok(lengthOf(e.points) <= direct + 2 * 48, `${e.id}: ${Math.round(lengthOf(e.points))} px for ${Math.round(direct)} px apart`);
  }
  assert.ok(fill(layout) >= 0.5, `groups cover ${fill(layout).toFixed(2)} of the canvas`);
});

test('hub and spoke you can see (portrait): each ACL edge runs straight along the middle gutter; no edge longer than the half-diagonal; groups fill half the canvas', async () => {
  const layout = await engineFor(800 / 842).layout(topologyOf(example));
  const { acl, node, groupOf } = aclEdgesOf(layout);
  const inside = (p: Point, g: Box) => p.x >= g.x - 0.5 && p.x <= g.x + g.width + 0.5 && p.y >= g.y - 0.5 && p.y <= g.y + g.height + 0.5;
  const middle = [...new Set(layout.groups.map((g) => g.x))].sort((a, b) => a - b)[1]! - 24;
  for (const e of acl) {
    const [from, to] = [groupOf(e.source), groupOf(e.target)];
    // between the two groups: one vertical run, in the gutter between the two columns
    const between = e.points.filter((p) => !inside(p, from) && !inside(p, to));
    const xs = new Set(between.map((p) => Math.round(p.x)));
    assert.ok(xs.size <= 1, `${e.id}: one vertical run between its groups: ${JSON.stringify(e.points)}`);
    for (const x of xs) assert.ok(Math.abs(x - middle) <= 24, `${e.id}: runs in the middle gutter (x ${x}, gutter ${middle})`);
    // short: from the hub's box to the gutter, along it, and to the load balancer, with a gutter's width to spare
    const s = node(e.source); const t = node(e.target);
    const side = (b: Box) => Math.min(Math.abs(b.x - middle), Math.abs(b.x + b.width - middle));
    const via = side(s) + Math.abs(s.y - t.y) + side(t);
    assert.ok(lengthOf(e.points) <= via + 48, `${e.id}: ${Math.round(lengthOf(e.points))} px, ${Math.round(via)} px by the gutter`);
  }
  assert.ok(fill(layout) >= 0.5, `groups cover ${fill(layout).toFixed(2)} of the canvas`);
});

test('an edit inside one project re-lays out only it; untouched projects keep their positions', async () => {
  const engine = new DiagramLayoutEngine();
  const before = await engine.layout(topologyOf(example));
  const edited = example.replace('    buckets:\n      velero: { versioning: true, objectLock: true }', '    buckets:\n      velero: { versioning: true, objectLock: true }\n      exports: { versioning: true }');
  assert.notEqual(edited, example);
  const after = await engine.layout(topologyOf(edited));
  assert.ok(engine.lastStats.laidOut <= 1, 'at most the new part of prod was laid out');
  assert.ok(after.nodes.some((n) => n.id === 'prod/bucket/exports'));
  const pos = (l: DiagramLayout) => new Map(l.nodes.map((n) => [n.id, `${n.x},${n.y}`]));
  const a = pos(before); const b = pos(after);
  for (const n of before.nodes) if (n.group !== 'prod/project') assert.equal(b.get(n.id), a.get(n.id), `${n.id} did not move`);
  for (const g of before.groups) if (g.id !== 'prod/project') {
    const h = after.groups.find((x) => x.id === g.id)!;
    assert.deepEqual([h.x, h.y, h.width, h.height], [g.x, g.y, g.width, g.height], `${g.id} did not move`);
  }
  checkSane(after);
});

test('a connected edit (a database on the network) moves nothing outside its project', async () => {
  const engine = new DiagramLayoutEngine(undefined, { shareShapes: false });
  const before = await engine.layout(topologyOf(example));
  const edited = example.replace('    secrets:\n      main-db-endpoint:', '      reports: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 6, retentionDays: 7, sameRegion: false } }\n    secrets:\n      main-db-endpoint:');
  assert.notEqual(edited, example);
  const after = await engine.layout(topologyOf(edited));
  assert.equal(engine.lastStats.laidOut, 1, 'one part of prod');
  assert.ok(after.nodes.some((n) => n.id === 'prod/database/reports'));
  const at = new Map(after.nodes.map((n) => [n.id, n]));
  for (const n of before.nodes) if (n.group !== 'prod/project') assert.deepEqual([at.get(n.id)!.x, at.get(n.id)!.y], [n.x, n.y], n.id);
  checkSane(after);
});

test('label-only edits and renames reuse every position (no elk call)', async () => {
  const engine = new DiagramLayoutEngine();
  const before = await engine.layout(topologyOf(example));
  const after = await engine.layout(topologyOf(example
    .replace('version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S', 'version: "1.32"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S')
    .replace('description: Production workloads', 'description: Production')
    .replace('    buckets:\n      velero: { versioning: true, objectLock: true }', '    buckets:\n      velero-backups: { versioning: true, objectLock: true }')
    .replace('velero: { bucket: prod/velero,', 'velero: { bucket: prod/velero-backups,')));
  assert.equal(engine.lastStats.laidOut, 0);
  assert.deepEqual(after.nodes.map((n) => [n.x, n.y]), before.nodes.map((n) => [n.x, n.y]));
  assert.ok(after.nodes.some((n) => n.id === 'prod/bucket/velero-backups'));
  assert.match(after.nodes.find((n) => n.id === 'prod/cluster/apps')!.detail!, /1\.32/);
});

test('layouts are deterministic, and the whole-graph baseline lays out the same graph', async () => {
  const t = topologyOf(example);
  const a = await new DiagramLayoutEngine().layout(t);
  const b = await new DiagramLayoutEngine().layout(t);
  assert.deepEqual(a, b);
  const whole = await layoutWholeGraph(createElk(), t);
  assert.equal(whole.children?.length, t.groups.length);
  assert.equal(whole.children?.reduce((n, g) => n + (g.children?.length ?? 0), 0), t.nodes.length);
});

test('a generated 60-project organisation stays sane', async () => {
  const layout = await new DiagramLayoutEngine().layout(topologyOf(generatedLandingZone(60)));
  assert.equal(layout.groups.filter((g) => g.kind === 'project').length, 62);
  checkSane(layout);
});

test('a spoke\'s private network is the hub of its part: right of its branches, every hub edge ending on its west side', async () => {
  const layout = await new DiagramLayoutEngine().layout(topologyOf(example));
  for (const p of ['dev', 'staging', 'prod']) {
    const pn = layout.nodes.find((n) => n.group === `${p}/project` && n.kind === 'private-network')!;
    const group = layout.groups.find((g) => g.id === `${p}/project`)!;
    // left of the hubs a spoke is drawn mirrored: its network on the far side, its branches facing the hubs
    const mirrored = group.x + group.width / 2 < layout.width / 2;
    const attached = layout.edges.filter((e) => !e.crossGroup && (e.target === pn.id || e.source === pn.id));
    assert.ok(attached.length >= 3, `${p}: gateway, cluster and database attached to ${pn.id}`);
    for (const e of attached) {
      const other = layout.nodes.find((n) => n.id === (e.source === pn.id ? e.target : e.source))!;
      if (mirrored) assert.ok(other.x > pn.x + pn.width, `${other.id} right of ${pn.id}`);
      else assert.ok(other.x + other.width < pn.x, `${other.id} left of ${pn.id}`);
      const end = e.target === pn.id ? e.points.at(-1)! : e.points[0]!;
      assert.equal(end.x, mirrored ? pn.x + pn.width : pn.x, `${e.id} ends on the side of ${pn.id} that faces its branches`);
      assert.ok(end.y > pn.y && end.y < pn.y + pn.height, `${e.id} ends within ${pn.id}'s height`);
    }
    // ends spread over the side, in the order of the edges' rows: no two share a point
    const ends = attached.map((e) => (e.target === pn.id ? e.points.at(-1)! : e.points[0]!).y);
    assert.equal(new Set(ends).size, ends.length, `${p}: distinct hub edge ends`);
  }
  checkSane(layout);
});

/** The example after a series of edits of every kind, one text per step. */
function editSeries(): string[] {
  const steps: ((t: string) => string)[] = [
    (t) => t.replace('    secrets:\n      main-db-endpoint:', '      reports: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 6, retentionDays: 7, sameRegion: false } }\n    secrets:\n      main-db-endpoint:'),
    (t) => t.replace('description: Production workloads', 'description: Production'),
    (t) => t.replace('version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S', 'version: "1.32"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S'),
    (t) => t.replace('    buckets:\n      velero: { versioning: true, objectLock: true }', '    buckets:\n      velero: { versioning: true, objectLock: true }\n      exports: { versioning: true }'),
    (t) => t.replace('      reports: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 6, retentionDays: 7, sameRegion: false } }\n', ''),
    // a project appears (every spoke moves in the grid), then goes again
    (t) => t.replace('\n  dev:\n    role: environment', '\n  qa:\n    role: environment\n    network:\n      privateNetwork: { subnet: 10.40.0.0/22 }\n      publicGateway: { type: VPC-GW-S, reservedIp: true }\n    databases:\n      main: { engine: PostgreSQL-16, nodeType: DB-DEV-S, backups: { everyHours: 24, retentionDays: 7, sameRegion: true } }\n\n  dev:\n    role: environment'),
    (t) => t.replace(/\n  qa:\n[\s\S]*?\n\n(?=  dev:)/, '\n'),
    // a new branch of a new shape (a cluster behind its own load balancer): elk lays it out alone
    (t) => t.replace('        keys: [security/app-data]\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XS', '        keys: [security/app-data]\n      batch:\n        version: "1.35"\n        cni: cilium\n        pools:\n          default: { nodeType: PRO2-S, size: 1 }\n        loadBalancer: { type: LB-S, https: true, allowFrom: [devops], domains: [batch.acme.example] }\n    databases:\n      main:\n        engine: PostgreSQL-16\n        nodeType: DB-PRO2-XS'),
  ];
  const out: string[] = [];
  let text = example;
  for (const step of steps) {
    const next = step(text);
    assert.notEqual(next, text, 'every edit applies');
    out.push((text = next));
  }
  return out;
}

/** Each box's place in its group, and each group's size: what does not depend on where groups stand. */
const placesInGroups = (l: DiagramLayout) => {
  const at = new Map(l.groups.map((g) => [g.id, g]));
  return l.nodes.map((n) => `${n.id}@${n.x - at.get(n.group)!.x},${n.y - at.get(n.group)!.y}`).sort();
};

test('the picture is a function of the file: an engine that follows edits draws what a fresh engine draws, at every step', async () => {
  for (const shareShapes of [true, false]) {
    const laidOut: number[] = [];
    const engine = new DiagramLayoutEngine(undefined, { shareShapes });
    await engine.layout(topologyOf(example));
    for (const text of editSeries()) {
      const t = topologyOf(text);
      const followed = await engine.layout(t);
      laidOut.push(engine.lastStats.laidOut);
      checkSane(followed);
      // slots, columns and tops alike: nothing in the picture remembers the edits that led to it
      assert.deepEqual(followed, await new DiagramLayoutEngine(undefined, { shareShapes }).layout(t), `shareShapes ${shareShapes}: the same picture as a fresh open`);
    }
    // without sharing, the new cluster's branch is a shape never seen: the last edit asked elk
    if (!shareShapes) assert.ok(laidOut.at(-1)! >= 1, `laid out: ${laidOut.join(',')}`);
  }
});

test('the panel\'s shape sets the columns: a full-width panel gets more columns and fewer rows than the half-width one', async () => {
  const t = topologyOf(generatedLandingZone(50));
  const half = await new DiagramLayoutEngine().layout(t);
  const wide = new DiagramLayoutEngine();
  wide.aspect = 1600 / 1000;
  const full = await wide.layout(t);
  const columns = (l: DiagramLayout) => new Set(l.groups.map((g) => g.x)).size;
  assert.ok(columns(full) > columns(half), `${columns(full)} columns at full width, ${columns(half)} at half`);
  const aspect = (l: DiagramLayout) => l.width / l.height;
  assert.ok(Math.abs(Math.log(aspect(full) / 1.6)) < Math.abs(Math.log(aspect(half) / 1.6)), `full ${aspect(full).toFixed(2)}, half ${aspect(half).toFixed(2)}`);
  checkSane(full);
  // the same engine, back to the half-width panel: the half-width picture again
  wide.aspect = 1;
  assert.deepEqual(await wide.layout(t), half);
});

/** The bench's edits of a generated organisation: a database, and a cluster behind its own load balancer, in a project in the middle. */
function benchEdits(size: number): { text: string; project: string; edits: [string, string][] } {
  const text = generatedLandingZone(size);
  const mid = 2 * Math.floor(size / 4);
  const head = `  env-${mid}:\n    role: environment\n`;
  const at = text.indexOf('    clusters:\n', text.indexOf(head)) + '    clusters:\n'.length;
  const edits: [string, string][] = [
    ['a database', text.replace(head, `${head}    databases:\n      extra: { engine: PostgreSQL-16, nodeType: DB-PRO2-XXS, backups: { everyHours: 24, retentionDays: 7, sameRegion: true } }\n`)],
    ['a new branch', `${text.slice(0, at)}      extra:\n        version: "1.35"\n        pools: { default: { nodeType: PRO2-S, size: 1 } }\n        loadBalancer: { type: LB-S, https: true, allowFrom: [devops] }\n${text.slice(at)}`],
  ];
  for (const [, t] of edits) assert.notEqual(t, text);
  return { text, project: `env-${mid}/project`, edits };
}

for (const size of [50, 500]) {
  test(`${size + 2} projects: an edit moves nothing it did not touch, and undoing it gives back the picture before`, async () => {
    const { text, project, edits } = benchEdits(size);
    const engine = new DiagramLayoutEngine(undefined, { shareShapes: false });
    const before = await engine.layout(topologyOf(text));
    const box = (l: DiagramLayout) => new Map([...l.groups.map((g) => [g.id, `${g.x},${g.y},${g.width},${g.height}`] as const), ...l.nodes.map((n) => [n.id, `${n.x},${n.y}`] as const)]);
    const was = box(before);
    for (const [what, edited] of edits) {
      const after = await engine.layout(topologyOf(edited));
      assert.ok(after.nodes.length > before.nodes.length, `${what}: drawn`);
      const now = box(after);
      const moved = [...was].filter(([id, at]) => !id.startsWith(project.replace('/project', '/')) && id !== project && now.get(id) !== at);
      assert.deepEqual(moved, [], `${what}: nothing outside ${project} moved`);
      // the edited project grew into the room below its boxes: its box is where it was, as large
      assert.equal(now.get(project), was.get(project), `${what}: ${project} kept its box`);
      if (size <= 50) checkSane(after);
      const undone = await engine.layout(topologyOf(text));
      assert.deepEqual(undone, before, `${what} undone`);
    }
  });
}

test('an edit rebuilds only what it touched: boxes and edges elsewhere are the objects of the previous layout', async () => {
  const engine = new DiagramLayoutEngine();
  const before = await engine.layout(topologyOf(example));
  const after = await engine.layout(topologyOf(example.replace('description: Production workloads', 'description: Production').replace('    buckets:\n      velero: { versioning: true, objectLock: true }', '    buckets:\n      velero: { versioning: true, objectLock: true }\n      exports: { versioning: true }')));
  const was = new Map(before.nodes.map((n) => [n.id, n]));
  for (const n of after.nodes) {
    if (n.group === 'prod/project') continue;
    assert.equal(n, was.get(n.id), `${n.id} reused`);
  }
  const wasEdge = new Map(before.edges.map((e) => [e.id, e]));
  const reused = after.edges.filter((e) => e === wasEdge.get(e.id));
  const untouched = after.edges.filter((e) => !e.source.startsWith('prod/') && !e.target.startsWith('prod/'));
  for (const e of untouched) assert.equal(e, wasEdge.get(e.id), `${e.id} reused`);
  assert.ok(reused.length >= untouched.length);
  assert.ok(after.nodes.some((n) => n.id === 'prod/bucket/exports'));
});
