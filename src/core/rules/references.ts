import type { Issue } from '../issues';
import type { LzReference, LzSymbol, SymbolKind } from '../model';
import { closest } from '../schema-issues';
import { finding, list, own, type ModelRule, type RuleContext } from './rule';
import { replaceValue } from './edits';

const KIND_NAMES: Record<SymbolKind, string> = {
  project: 'project',
  key: 'key',
  secret: 'secret',
  bucket: 'bucket',
  cluster: 'cluster',
  database: 'database',
  application: 'application',
};

const article = (kind: SymbolKind) => (/^[aeiou]/.test(kind) ? `an ${KIND_NAMES[kind]}` : `a ${KIND_NAMES[kind]}`);

/**
 * Every `project/name` (or project) reference names a definition of the right kind. The message
 * says what the name is when it exists with another kind, and offers the closest name of the
 * right kind as a one-click fix — as a compiler does for a misspelt symbol.
 */
const refUnresolved: ModelRule = {
  id: 'ref-unresolved',
  layer: 'semantic',
  input: 'model',
  severity: 'error',
  why: 'A reference to something that does not exist would fail at apply time, or silently grant nothing.',
  fix: 'Name an existing definition of the right kind (project/name), or define it.',
  check({ model, source }: RuleContext): Issue[] {
    const byKind = new Map<SymbolKind, LzSymbol[]>();
    const byId = new Map<string, LzSymbol[]>();
    for (const s of model.symbols) {
      (byKind.get(s.kind) ?? byKind.set(s.kind, []).get(s.kind)!).push(s);
      (byId.get(s.id) ?? byId.set(s.id, []).get(s.id)!).push(s);
    }
    const out: Issue[] = [];
    for (const ref of model.references) {
      const same = byId.get(ref.target) ?? [];
      if (same.some((s) => s.kind === ref.kind)) continue;
      out.push(unresolved(ref, same, byKind.get(ref.kind) ?? []));
    }
    return out;

    function unresolved(ref: LzReference, sameName: LzSymbol[], candidates: LzSymbol[]): Issue {
      let suggestion: string | undefined | null = null;
      // the nearest name is looked for only when the finding is shown (past the cap it is only counted)
      const suggest = () => (suggestion === null ? (suggestion = closest(ref.target, candidates.map((c) => c.id))) : suggestion);
      return finding(refUnresolved, { range: ref.range, path: ref.path }, () => message(ref, sameName, candidates, suggest()), () => {
        const s = suggest();
        return { title: s ? `Change to ${s}` : `Define ${article(ref.kind)} named ${ref.target}, or name an existing one.`, edits: s ? replaceValue(source, ref.path, s) : undefined };
      });
    }

    function message(ref: LzReference, sameName: LzSymbol[], candidates: LzSymbol[], suggestion: string | undefined): string {
      const ids = candidates.map((c) => c.id);
      const what = sameName.length > 0
        ? `${ref.target} is ${article(sameName[0]!.kind)}, not ${article(ref.kind)}`
        : ref.kind === 'project'
          ? `there is no project "${ref.target}"`
          : !own(model.spec.projects, ref.target.split('/')[0]!)
            ? `there is no project "${ref.target.split('/')[0]}" (in ${ref.target})`
            : `${ref.target} is not ${article(ref.kind)}`;
      const hint = suggestion
        ? `; did you mean ${suggestion}?`
        : ids.length > 0 && ids.length <= 6
          ? `. ${cap(KIND_NAMES[ref.kind])}s: ${list(ids)}.`
          : ids.length === 0
            ? `. The file defines no ${KIND_NAMES[ref.kind]}.`
            : '.';
      return `${ref.field}: ${what}${hint}`;
    }
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const referenceRules: ModelRule[] = [refUnresolved];
