import { readFileSync } from 'node:fs';
import type { Range, TextEdit } from '../../../src/core/issues';

/**
 * Rule fixtures are landing zones with markers:
 * - `⟦bad|good⟧` — an expected finding: the violating document contains `bad` and the finding's
 *   range is exactly `bad`; the clean twin contains `good` (`⟦bad⟧` keeps the text in both).
 * - `⟪bad|good⟫` — text that differs between the two documents but is not a finding's range.
 *   It may contain `⟦…⟧` markers in its `bad` branch.
 * A header gives the rule (`# rule:`), a substring of the message (`# message:`) and, when the
 * finding has a mechanical fix, the text its first edit inserts (`# fix:`).
 */
export interface RuleFixture {
  name: string;
  rule: string;
  message: string;
  fix?: string;
  bad: string;
  good: string;
  /** Expected ranges in `bad`, 0-based. */
  expected: Range[];
}

export function loadFixture(path: string, name: string): RuleFixture {
  const raw = readFileSync(path, 'utf8');
  const header = (key: string) => new RegExp(`^# ${key}: ?(.*)$`, 'm').exec(raw)?.[1];
  const bad = render(raw, 'bad');
  const good = render(raw, 'good');
  return { name, rule: header('rule')!, message: header('message')!, fix: header('fix'), bad: bad.text, good: good.text, expected: bad.ranges };
}

function render(raw: string, variant: 'bad' | 'good'): { text: string; ranges: Range[] } {
  let out = '';
  const offsets: [number, number][] = [];
  let i = 0;
  // Emits text up to (not including) one of `stops`, rendering nested markers for `variant`.
  const seq = (stops: string): void => {
    while (i < raw.length && !stops.includes(raw[i]!)) {
      const c = raw[i]!;
      i++;
      if (c === '⟦') group('⟧', true);
      else if (c === '⟪') group('⟫', false);
      else out += c;
    }
  };
  const group = (close: string, isRange: boolean): void => {
    const start = out.length;
    seq(`|${close}`);
    const end = out.length;
    if (raw[i] === '|') {
      i++;
      if (variant === 'good') {
        out = out.slice(0, start);
        seq(close);
      } else {
        while (i < raw.length && raw[i] !== close) i++;
      }
    }
    i++; // the closing bracket
    if (isRange && variant === 'bad') offsets.push([start, end]);
  };
  seq('');
  return { text: out, ranges: offsets.map(([s, e]) => ({ start: pos(out, s), end: pos(out, e) })) };
}

function pos(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Applies non-overlapping edits (from the end, so offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

