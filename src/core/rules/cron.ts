/*
 * A small five-field cron reader: enough to check a schedule and to know the longest gap between
 * two runs, which is what a recovery point objective is compared with.
 */

/** The values each field allows (minute, hour, day of month, month, day of week). */
export interface CronSchedule {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Whether day-of-month and day-of-week were restricted (`*` means unrestricted). */
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], base: 1 },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], base: 0 },
] as const;

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; problem: string };

export function parseCron(text: string): CronParse {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, problem: `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}` };
  const sets: number[][] = [];
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i]!;
    const values = new Set<number>();
    for (const item of parts[i]!.split(',')) {
      const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
      if (!m) return { ok: false, problem: `${field.name} field "${item}" is not a value, range, list or step` };
      const step = m[2] === undefined ? 1 : Number(m[2]);
      if (step < 1) return { ok: false, problem: `${field.name} step must be at least 1` };
      let lo: number; let hi: number;
      if (m[1] === '*') { lo = field.min; hi = field.max; } else {
        const [a, b] = m[1]!.split('-');
        const va = value(a!, field); const vb = b === undefined ? (m[2] !== undefined ? field.max : va) : value(b, field);
        if (va === undefined || vb === undefined) return { ok: false, problem: `${field.name} "${m[1]}" is out of range ${field.min}–${field.max}` };
        if (va > vb) return { ok: false, problem: `${field.name} range ${m[1]} goes backwards` };
        lo = va; hi = vb;
      }
      for (let v = lo; v <= hi; v += step) values.add(i === 4 && v === 7 ? 0 : v);
    }
    sets.push([...values].sort((x, y) => x - y));
  }
  return {
    ok: true,
    schedule: {
      minutes: sets[0]!, hours: sets[1]!, days: new Set(sets[2]), months: new Set(sets[3]), weekdays: new Set(sets[4]),
      domRestricted: parts[2] !== '*', dowRestricted: parts[4] !== '*',
    },
  };
}

function value(text: string, field: (typeof FIELDS)[number]): number | undefined {
  let n: number;
  if (/^\d+$/.test(text)) n = Number(text);
  else if ('names' in field) {
    const i = (field.names as readonly string[]).indexOf(text.toLowerCase());
    if (i < 0) return undefined;
    n = i + field.base;
  } else return undefined;
  return n >= field.min && n <= field.max ? n : undefined;
}

/**
 * The longest time, in seconds, between two consecutive runs (UTC), or undefined when the
 * schedule never runs (e.g. 30 February). Simulates two years day by day: enough for yearly jobs.
 */
export function longestGapSeconds(s: CronSchedule): number | undefined {
  const times: number[] = [];
  for (const h of s.hours) for (const m of s.minutes) times.push(h * 60 + m);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  const first = times[0]!; const last = times[times.length - 1]!;
  // Every day: the longest gap is within a day or across midnight; no need to walk the calendar.
  if (!s.domRestricted && !s.dowRestricted && s.months.size === 12) return Math.max(gap, 1440 + first - last) * 60;
  // Walk two years from Monday 1 January 2024 with counters (a Date per day is needlessly slow).
  const monthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let previousDay: number | undefined;
  let runDays = 0;
  let d = 0;
  for (let m = 0; m < 24; m++) {
    const month = (m % 12) + 1;
    for (let dom = 1; dom <= monthDays[m]!; dom++, d++) {
      if (!s.months.has(month)) continue;
      const domMatch = s.days.has(dom);
      const dowMatch = s.weekdays.has((d + 1) % 7);
      // Standard cron: when both day fields are restricted, either one matching is enough.
      const runs = s.domRestricted && s.dowRestricted ? domMatch || dowMatch : domMatch && dowMatch;
      if (!runs) continue;
      if (previousDay !== undefined) gap = Math.max(gap, (d - previousDay) * 1440 + first - last);
      previousDay = d;
      runDays++;
    }
  }
  if (previousDay === undefined) return undefined;
  // Runs on one day of the two years simulated (29 February): the gap is longer than we looked.
  if (runDays === 1) return 731 * 86400;
  return gap * 60;
}
