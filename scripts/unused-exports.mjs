// Exports of src/ that nothing outside their own file uses (a ts-prune-like check on the
// TypeScript compiler API). A use is any reference from another file of the project (src, test,
// bench, scripts, webview, functions): an import, a namespace member (`engine.readPlan`), a
// destructured member of a module type (`const { readPlan } = await loadEngine()`), a re-export.
// Entry points (what a bundle, the manifest or the CLI starts) are not reported.
// Exports that stay although nothing else uses them are in ALLOWED, each with its reason; a unit
// test (test/unit/engine/unused-exports.test.ts) holds the whole of src/ at none besides them.
//   node scripts/unused-exports.mjs      lists them, exit 1 when there is any
import ts from 'typescript';
import { relative, resolve } from 'node:path';

/** Files whose exports are the entry of a bundle or of node: their exports are used from outside the program. */
const ENTRIES = new Set([
  'src/extension/extension.ts', 'src/extension/main.ts', 'src/extension/validation-worker.ts', 'src/extension/engine.ts',
  'src/extension/engine-profile.ts', 'src/cli/main.ts', 'webview/main.ts',
]);

/** `path name` → why it stays exported (or stays at all) though no other file uses it. */
export const ALLOWED = {
  'src/core/validate.ts BUILTIN_RULES': 'the built-in checks\' metadata (yaml-syntax, schema, unknown-key, document-size: why, fix, source), written for the rule table and docs; no generator reads it yet — the rules\' owner decides whether it feeds them or goes',
};

/** Exports of src/ that no other file uses, as `path:line name`, the allowed ones included. */
export function unusedExports(root = process.cwd()) {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checker = program.getTypeChecker();
  const ours = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.includes('/node_modules/'));
  const rel = (f) => relative(root, f.fileName);

  const resolveAlias = (s) => (s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  /** The declaring files of a symbol (a merged interface may have several). */
  const filesOf = (s) => new Set((s?.declarations ?? []).map((d) => d.getSourceFile().fileName));

  // only identifiers named like one of src's exports need resolving (most of the checker's work is skipped)
  const exportedNames = new Set();
  for (const file of ours) {
    if (!rel(file).startsWith('src/')) continue;
    const mod = checker.getSymbolAtLocation(file);
    if (mod) for (const exp of checker.getExportsOfModule(mod)) exportedNames.add(exp.name);
  }
  const used = new Set();
  const mark = (s, from) => {
    const target = resolveAlias(s);
    if (!target) return;
    if (![...filesOf(target)].every((f) => f === from.fileName)) used.add(target);
    // `export { x } from`: the re-exporting alias is a use of the original too
    if (s !== target && !filesOf(s).has(from.fileName)) used.add(s);
  };
  for (const file of ours) {
    const visit = (node) => {
      if (ts.isIdentifier(node) && exportedNames.has(node.text)) mark(checker.getSymbolAtLocation(node), file);
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const name = (node.propertyName ?? node.name);
        if (ts.isIdentifier(name) && exportedNames.has(name.text)) {
          const prop = checker.getTypeAtLocation(node.parent).getProperty(name.text);
          if (prop) mark(prop, file);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  const out = [];
  for (const file of ours) {
    const path = rel(file);
    if (!path.startsWith('src/') || ENTRIES.has(path)) continue;
    const mod = checker.getSymbolAtLocation(file);
    if (!mod) continue;
    for (const exp of checker.getExportsOfModule(mod)) {
      const target = resolveAlias(exp);
      // a re-export is judged where it is declared
      if (!filesOf(target).has(file.fileName)) continue;
      if (used.has(target) || used.has(exp)) continue;
      // types and interfaces document the signatures of what is used; values are what can lie dead
      if (!(target.flags & ts.SymbolFlags.Value)) continue;
      const decl = target.declarations?.[0];
      const line = decl ? file.getLineAndCharacterOfPosition(decl.getStart()).line + 1 : 0;
      out.push(`${path}:${line} ${exp.name}`);
    }
  }
  return out.sort();
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  const found = unusedExports().filter((l) => !(l.replace(/:\d+ /, ' ') in ALLOWED));
  for (const line of found) console.log(line);
  console.error(`${found.length} export(s) used nowhere outside their own file`);
  process.exit(found.length ? 1 : 0);
}
