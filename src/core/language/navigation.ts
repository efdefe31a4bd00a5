import type { Range, TextEdit } from '../issues';
import type { SymbolKind } from '../model';
import { NAME_PATTERN } from '../schema';
import { findSymbol, resourceSegmentKind, type IndexedReference, type IndexedSymbol, type SymbolIndex } from './symbol-index';

/** What the cursor names: a definition, or a reference (or one segment of `project/name`). */
export interface SymbolHit {
  symbol?: IndexedSymbol;
  /** The kind and id named, even when no definition exists (an unresolved reference). */
  kind: SymbolKind;
  id: string;
  /** Offsets of the name under the cursor: the key, the whole reference, or one of its segments. */
  start: number;
  end: number;
  reference?: IndexedReference;
}

/** The symbol named at an offset, if any. */
export function symbolAt(index: SymbolIndex, offset: number): SymbolHit | undefined {
  const def = index.symbols.find((s) => offset >= s.nameStart && offset <= s.nameEnd);
  if (def) return { symbol: def, kind: def.kind, id: def.id, start: def.nameStart, end: def.nameEnd };
  const ref = index.references.find((r) => offset >= r.start && offset <= r.end);
  if (!ref) return undefined;
  const slash = ref.target.indexOf('/');
  const inProjectSegment = slash >= 0 && offset <= ref.start + slash;
  if (ref.kind === 'project' || (inProjectSegment && ref.kind !== 'resource') || (ref.kind === 'resource' && inProjectSegment)) {
    const id = slash >= 0 ? ref.target.slice(0, slash) : ref.target;
    return { symbol: findSymbol(index, 'project', id), kind: 'project', id, start: ref.start, end: ref.start + id.length, reference: ref };
  }
  if (ref.kind === 'resource') {
    const [project, kindSeg, name] = ref.target.split('/');
    const kind = resourceSegmentKind(kindSeg);
    if (!kind || !project || !name) return undefined;
    const id = `${project}/${name}`;
    const nameStart = ref.end - name.length;
    return offset >= nameStart ? { symbol: findSymbol(index, kind, id), kind, id, start: nameStart, end: ref.end, reference: ref } : undefined;
  }
  return {
    symbol: findSymbol(index, ref.kind, ref.target), kind: ref.kind, id: ref.target,
    start: slash >= 0 ? ref.start + slash + 1 : ref.start, end: ref.end, reference: ref,
  };
}

/** The definition's name range for the symbol at an offset. */
export function definitionAt(index: SymbolIndex, offset: number): Range | undefined {
  return symbolAt(index, offset)?.symbol?.nameRange;
}

/** One occurrence of a symbol's name: its definition key or a reference (only the segment that names it). */
export interface Occurrence {
  start: number;
  end: number;
  range: Range;
  isDefinition: boolean;
  reference?: IndexedReference;
}

/** Every place that names the symbol: the definition (when asked) and each reference segment. */
export function occurrencesOf(index: SymbolIndex, kind: SymbolKind, id: string, includeDefinition = true): Occurrence[] {
  const out: Occurrence[] = [];
  const at = (start: number, end: number, isDefinition: boolean, reference?: IndexedReference) =>
    out.push({ start, end, range: index.source.range(start, end), isDefinition, reference });
  const def = findSymbol(index, kind, id);
  if (def && includeDefinition) at(def.nameStart, def.nameEnd, true);
  for (const r of index.references) {
    const segs = r.target.split('/');
    if (kind === 'project') {
      if (r.kind === 'project' ? r.target === id : segs[0] === id && segs.length > 1) at(r.start, r.start + id.length, false, r);
    } else if (r.kind === kind && r.target === id) {
      const slash = r.target.indexOf('/');
      at(r.start + slash + 1, r.end, false, r);
    } else if (r.kind === 'resource' && resourceSegmentKind(segs[1]) === kind && `${segs[0]}/${segs[2]}` === id) {
      at(r.end - (segs[2]?.length ?? 0), r.end, false, r);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Occurrences of the symbol at an offset (find references, highlights). */
export function referencesAt(index: SymbolIndex, offset: number, includeDefinition = true): Occurrence[] {
  const hit = symbolAt(index, offset);
  return hit ? occurrencesOf(index, hit.kind, hit.id, includeDefinition) : [];
}

export type RenameResult = { edits: TextEdit[]; kind: SymbolKind; from: string; to: string } | { error: string };

/** Where a rename can start: the name under the cursor and its current text. */
export function prepareRenameAt(index: SymbolIndex, offset: number): { range: Range; placeholder: string } | { error: string } {
  const hit = symbolAt(index, offset);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on a project, key, secret, bucket, cluster, database or application.' };
  if (!hit.symbol) return { error: `"${hit.id}" is not defined in this file.` };
  return { range: index.source.range(hit.start, hit.end), placeholder: hit.symbol.name };
}

/**
 * The edits that rename the symbol at an offset: its key and every reference. Renaming a project
 * also rewrites the project segment of `project/name` references and of drift-ignore resource ids.
 */
export function renameAt(index: SymbolIndex, offset: number, newName: string): RenameResult {
  const hit = symbolAt(index, offset);
  if (!hit?.symbol) return { error: hit ? `"${hit.id}" is not defined in this file.` : 'Nothing to rename here.' };
  const symbol = hit.symbol;
  if (!NAME_PATTERN.test(newName)) return { error: `"${newName}" is not a valid name: lowercase letters, digits and dashes, starting with a letter.` };
  if (newName === symbol.name) return { edits: [], kind: symbol.kind, from: symbol.id, to: symbol.id };
  const newId = symbol.project ? `${symbol.project}/${newName}` : newName;
  const clash = findSymbol(index, symbol.kind, newId);
  if (clash) return { error: `A ${symbol.kind} named "${newId}" already exists (line ${clash.nameRange.start.line + 1}).` };
  const edits = occurrencesOf(index, symbol.kind, symbol.id).map((o) => ({ range: o.range, newText: newName }));
  return { edits, kind: symbol.kind, from: symbol.id, to: newId };
}
