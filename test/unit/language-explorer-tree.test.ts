// The explorer's tree, computed in the validation worker (core/language/explorer-tree.ts): it lists
// what the view listed when the host built it from the symbol index, in the same order, with the
// same details and places, and its positions travel apart from its shape.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLandingZone } from '../../bench/generate';
import { SourceDocument } from '../../src/core/document';
import { explorerRange, explorerTree } from '../../src/core/language/explorer-tree';
import { indexDocument, PROJECT_PARTS } from '../../src/core/language/symbol-index';
import { asRecord } from '../../src/core/language/values';
import type { Range } from '../../src/core/issues';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'landing-zone.yaml'), 'utf8');

/** What explorer-feature.ts listed before, from the host's symbol index: kind, name, description detail and place per row. */
function fromIndex(source: SourceDocument): { project: string; role?: string; at: Range; rows: [string, string, string | undefined, Range][] }[] {
  const index = indexDocument(source);
  const rows = index.symbols.filter((s) => s.kind === 'project').map((p) => {
    const v = asRecord(p.value);
    const network = asRecord(v.network);
    const out: [string, string, string | undefined, Range][] = [];
    for (const [kind, field, fallback, detail] of [['private-network', 'privateNetwork', `${p.name}-pn`, 'subnet'], ['public-gateway', 'publicGateway', `${p.name}-gw`, 'type']] as const) {
      const value = asRecord(network[field]);
      if (Object.keys(value).length === 0) continue;
      out.push([kind, String(value.name ?? fallback), [value[detail]].filter(Boolean).join(''), source.keyRangeOf(['projects', p.name, 'network', field])]);
    }
    for (const { kind } of PROJECT_PARTS) {
      for (const s of index.symbols.filter((x) => x.kind === kind && x.project === p.name)) {
        const sv = asRecord(s.value);
        out.push([kind, s.name, kind === 'secret' ? `secret v${String(sv.version ?? '?')}` : kind === 'cluster' ? `cluster ${String(sv.version ?? '')}` : kind === 'database' ? `database ${String(sv.engine ?? '')}` : kind, s.nameRange]);
      }
    }
    return { project: p.name, role: v.role === undefined ? undefined : String(v.role), at: p.nameRange, rows: out };
  });
  return rows;
}

test('the tree lists what the host listed from the symbol index: same rows, order, details and places', () => {
  for (const text of [example, generateLandingZone(60), example.replace(/\n {4}network:[^\n]*\n( {6}[^\n]*\n)*/, '\n')]) {
    const source = new SourceDocument(text, 'x', 'fast');
    const tree = explorerTree(source);
    const expected = fromIndex(source);
    assert.equal(tree.shape.projects.length, expected.length);
    tree.shape.projects.forEach((p, i) => {
      const e = expected[i]!;
      assert.equal(p.name, e.project);
      assert.equal(p.role, e.role);
      assert.deepEqual(explorerRange(tree.ranges, p.at), e.at);
      assert.deepEqual(p.parts.map((x) => [x.kind, x.name, x.detail ?? '', explorerRange(tree.ranges, x.at)]), e.rows.map(([k, n, d, r]) => [k, n, d ?? '', r]));
    });
    const apps = indexDocument(source).symbols.filter((s) => s.kind === 'application');
    assert.deepEqual(tree.shape.applications.map((a) => [a.name, explorerRange(tree.ranges, a.at)]), apps.map((a) => [a.name, a.nameRange]));
  }
});

test('a line added above moves the positions, not the shape', () => {
  const a = explorerTree(new SourceDocument(example, 'x', 'fast'));
  const b = explorerTree(new SourceDocument(`# a comment\n${example}`, 'x', 'fast'));
  assert.deepEqual(b.shape, a.shape);
  assert.notDeepEqual(b.ranges, a.ranges);
  const first = a.shape.projects[0]!;
  assert.equal(explorerRange(b.ranges, first.at).start.line, explorerRange(a.ranges, first.at).start.line + 1);
});
