// No import loops in src/ or webview/: a module graph with a cycle initialises in an order that
// depends on who is imported first (a half-initialised module, an undefined export at run time),
// and it means two modules that cannot be understood apart. Type-only imports are erased by the
// build and do not count; dynamic import() does (it loads the module at run time).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOTS = ['src', 'webview'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : files(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) return candidate;
  }
  return undefined;
}

/** The run-time imports of a module: static imports and re-exports that are not type-only, and dynamic import() of a literal. */
export function runtimeImports(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gm)) {
    if (m[2]) continue; // import type … / export type …
    const clause = m[3]!;
    // `import { type A, type B } from` is erased too
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    if (names !== undefined && names.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type '))) continue;
    out.push(m[4]!);
  }
  for (const m of code.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out;
}

function cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; every component of more than one module is a loop
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('the run-time import graph of src/ and webview/ has no loop', () => {
  const graph = new Map<string, string[]>();
  for (const f of ROOTS.flatMap((r) => files(r))) {
    const deps = runtimeImports(readFileSync(f, 'utf8')).map((s) => resolveImport(f, s)).filter((x): x is string => x !== undefined);
    graph.set(resolve(f), deps);
  }
  assert.ok(graph.size > 150, `read ${graph.size} modules`);
  const loops = cycles(graph).map((c) => c.map((f) => relative('.', f)).join(' ↔ '));
  assert.deepEqual(loops, []);
});

test('the loop finder finds a loop, and type-only imports do not make one', () => {
  assert.deepEqual(runtimeImports("import type { A } from './a';\nimport { type B } from './b';\nimport { c } from './c';\nexport { d } from './d';\nconst e = () => import('./e');\n"), ['./c', './d', './e']);
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
});
