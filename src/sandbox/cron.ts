// Cron expressions as Scaleway's function crons and Velero's schedules read them: five fields,
// UTC, with lists, ranges and steps (`0 */6 * * *`, `30 2 * * 1-5`; 0 and 7 are Sunday).

function field(text: string, min: number, max: number): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] ? Number(m[2]) : 1;
    let [lo, hi] = m[1] === '*' ? [min, max] : m[1]!.split('-').map(Number) as [number, number?];
    if (hi === undefined) hi = m[2] ? max : lo;
    if (lo < min || hi > max || lo > hi || step < 1) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** True when a 5-field cron expression fires at this minute (UTC). */
export function cronMatches(expr: string, at: Date): boolean {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return false;
  const [mi, h, dom, mo, dow] = [field(parts[0]!, 0, 59), field(parts[1]!, 0, 23), field(parts[2]!, 1, 31), field(parts[3]!, 1, 12), field(parts[4]!, 0, 7)];
  if (!mi || !h || !dom || !mo || !dow) return false;
  const day = at.getUTCDay();
  return mi.has(at.getUTCMinutes()) && h.has(at.getUTCHours()) && dom.has(at.getUTCDate()) && mo.has(at.getUTCMonth() + 1) && (dow.has(day) || (day === 0 && dow.has(7)));
}

/**
 * The minutes in (after, upTo] at which the expression fires, oldest first, looking back at most
 * `maxMinutes` from `upTo` (a schedule that fell silent for longer only matters by its latest runs).
 */
export function cronTimesBetween(expr: string, after: number, upTo: number, maxMinutes = 31 * 24 * 60): number[] {
  const out: number[] = [];
  const first = Math.max(Math.floor(after / 60_000) + 1, Math.floor(upTo / 60_000) - maxMinutes);
  for (let m = first; m * 60_000 <= upTo; m++) if (cronMatches(expr, new Date(m * 60_000))) out.push(m * 60_000);
  return out;
}
