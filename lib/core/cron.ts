// Internal: the 5-field cron expressions of Kubernetes CronJobs and Velero schedules, read as robfig/cron (the
// library both use) reads them. Not re-exported by the barrel: k8s.Schedule validates with it and names the
// construct in its errors; the Kubernetes policy pack checks the schedules of CronJobs written by hand.

const FIELDS: Array<{ name: string; min: number; max: number; names?: string[]; question?: boolean }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], question: true },
];

/** The most days each month can have (February: 29, in leap years). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The descriptors a schedule may be instead of 5 fields. */
export const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** The 5 fields each descriptor stands for (as robfig/cron, the CronJob controller's parser, reads them). */
const DESCRIPTOR_FIELDS: { readonly [descriptor: string]: string } = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** What is wrong with a cron expression, and how to fix it. */
export interface CronProblem {
  /** Says what is wrong, to follow the expression (`has an invalid minute field "61": 61 is outside 0-59`). */
  readonly problem: string;
  readonly fix: string;
  /** True when the API server refuses a CronJob with this schedule; false when it is accepted but never runs. */
  readonly refused: boolean;
}

/** The values of one field and whether it is unrestricted. */
export interface FieldValues { readonly values: Set<number>; readonly star: boolean }

class CronFieldError extends Error {
  constructor(public readonly problem: CronProblem) {
    super(problem.problem);
  }
}

/**
 * What is wrong with `expression`, or undefined when Kubernetes runs it. `timeZoneSetting` names the setting that takes
 * a time zone (`the timeZone prop`), and `reader` what refuses one written into the expression (`Kubernetes refuses`).
 */
export function cronProblem(expression: string, timeZoneSetting = 'the timeZone prop', reader = 'Kubernetes refuses'): CronProblem | undefined {
  const e = expression;
  if (typeof e !== 'string' || e === '') {
    return { problem: 'is not a cron expression', fix: "use 5 fields: minute hour day-of-month month day-of-week, for example '0 3 * * *'", refused: true };
  }
  if (/^(CRON_)?TZ=/.test(e)) {
    return { problem: `sets a time zone inside the expression, which ${reader}`, fix: `remove the ${/^CRON_/.test(e) ? 'CRON_TZ=' : 'TZ='} prefix and set ${timeZoneSetting} instead`, refused: true };
  }
  if (e.startsWith('@')) {
    if (CRON_DESCRIPTORS.includes(e)) return undefined;
    if (/^@every\s/.test(e)) {
      // the API server's parser takes it, but Kubernetes documents only the descriptors above, and an interval counts
      // from the last run rather than the clock (a time zone means nothing to it)
      return {
        problem: `is an interval, which the CronJob controller counts from the job's last run rather than the clock: Kubernetes documents only ${CRON_DESCRIPTORS.join(', ')} and 5-field expressions`,
        fix: "write the times as 5 fields, for example '*/15 * * * *' for every 15 minutes or '0 */6 * * *' for every 6 hours",
        refused: false,
      };
    }
    return { problem: `is not a supported descriptor (${CRON_DESCRIPTORS.join(', ')})`, fix: "use one of them or a 5-field expression such as '0 3 * * *'", refused: true };
  }
  const parts = e.split(/\s+/);
  if (parts.length !== 5) {
    return {
      problem: `has ${parts.length} field(s); a cron expression has exactly 5 (minute hour day-of-month month day-of-week)`,
      fix: "write it like '0 3 * * *' (no seconds field, no year field)",
      refused: true,
    };
  }
  let fields: FieldValues[];
  try {
    fields = parts.map((part, i) => cronField(part, FIELDS[i]));
  } catch (err) {
    if (err instanceof CronFieldError) return err.problem;
    throw err;
  }
  return daysProblem(parts, fields[2].values, fields[3].values, fields[4].star);
}

/** The fields of a valid 5-field expression (minute, hour, day of month, month, day of week), or undefined. */
export function cronFields(expression: string): FieldValues[] | undefined {
  // a descriptor is read as the 5 fields it stands for (robfig/cron's table), so it gets the same checks
  const e = typeof expression === 'string' ? expression.trim() : '';
  const parts = (Object.prototype.hasOwnProperty.call(DESCRIPTOR_FIELDS, e) ? DESCRIPTOR_FIELDS[e] : e).split(/\s+/);
  if (parts.length !== 5) return undefined;
  try {
    return parts.map((part, i) => cronField(part, FIELDS[i]));
  } catch (err) {
    if (err instanceof CronFieldError) return undefined;
    throw err;
  }
}

/**
 * A schedule that never runs because its days of month never occur in its months (`30 2` is February 30). With a
 * restricted day of week as well, cron runs when either day field matches (robfig/cron, which the CronJob controller
 * and Velero use), so such a schedule still runs on those weekdays.
 */
function daysProblem(parts: string[], days: Set<number>, months: Set<number>, anyWeekday: boolean): CronProblem | undefined {
  if (!anyWeekday) return undefined;
  for (const m of months) {
    for (const d of days) {
      if (d <= DAYS_IN_MONTH[m - 1]) return undefined;
    }
  }
  return {
    problem: `never runs: no day of month in "${parts[2]}" exists in the month(s) "${parts[3]}" `
      + '(February has at most 29 days; April, June, September and November have 30)',
    fix: "pick days the months have (for the last day of a month, run on day 1 of the next month, for example '0 3 1 3 *' instead of '0 3 30 2 *'), "
      + 'or name the months the day exists in',
    refused: false,
  };
}

function cronField(text: string, f: typeof FIELDS[number]): FieldValues {
  const bad = (why: string): never => {
    throw new CronFieldError({
      problem: `has an invalid ${f.name} field "${text}": ${why}`,
      fix: `use a value from ${f.min} to ${f.max}${f.names ? ` or a name (${f.names[0]}-${f.names[f.names.length - 1]})` : ''}, '*', a range 'a-b', a list 'a,b' or a step '*/n'`,
      refused: true,
    });
  };
  const value = (v: string): number => {
    const upper = v.toUpperCase();
    if (f.names && f.names.includes(upper)) return f.min + f.names.indexOf(upper);
    if (!/^\d+$/.test(v)) return bad(`"${v}" is not a number`);
    const n = Number(v);
    if (n < f.min || n > f.max) return bad(`${n} is outside ${f.min}-${f.max}`);
    return n;
  };
  // the values the field matches, and whether it is unrestricted ('*' or '?' without a step above 1), as robfig/cron reads it
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',')) {
    if (item === '') bad('empty list item');
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) bad('more than one "/"');
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) bad(`step "${step}" must be a whole number of at least 1`);
    const every = step === undefined ? 1 : Number(step);
    let lo: number;
    let hi: number;
    if (range === '*' || (range === '?' && f.question)) {
      [lo, hi] = [f.min, f.max];
      if (every === 1) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) bad(`"${range}" is not a range`);
      lo = value(bounds[0]);
      // 'a/n' means 'a-max/n'
      hi = bounds.length === 2 ? value(bounds[1]) : step !== undefined ? f.max : lo;
      if (lo > hi) bad(`range ${bounds[0]}-${bounds[1]} runs backwards`);
    }
    for (let v = lo; v <= hi; v += every) values.add(v);
  }
  return { values, star };
}

/**
 * What is wrong with a time zone name as Kubernetes (`CronJob.spec.timeZone`) and Velero (`CRON_TZ=`) read it, with
 * Go's `time.LoadLocation`: a name of the tz database spelled exactly (`Europe/Berlin`, `UTC`), not `Local`.
 * Undefined for a good name. The JavaScript runtime knows the names without their case (`europe/berlin` works
 * there), Go does not: a name whose case differs from the database's is refused too, with the name meant.
 */
export function timeZoneProblem(tz: unknown): { problem: string; fix: string } | undefined {
  const shape = typeof tz === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz);
  let canonical: string | undefined;
  if (shape && (tz as string).toLowerCase() !== 'local') {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz as string }).resolvedOptions().timeZone;
    } catch {
      canonical = undefined;
    }
  }
  if (canonical === undefined) return { problem: 'is not an IANA time zone name', fix: "use a name such as 'UTC' or 'Europe/Berlin'" };
  const name = tz as string;
  if (canonical === name) return undefined;
  // the runtime's name for the zone differs only in case, or a part of the name starts in lowercase (no name of the
  // database does): Go looks the name up as written and finds nothing
  if (canonical.toLowerCase() === name.toLowerCase() || name.split('/').some(part => /^[a-z]/.test(part))) {
    return {
      problem: 'is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it',
      fix: `write ${JSON.stringify(canonical)}`,
    };
  }
  return undefined; // another name of the zone (US/Eastern for America/New_York)
}

const MINUTE = 60000;
const DAY = 1440 * MINUTE;

/** The formatter that reads an instant's wall-clock date and time in `tz` (one per zone). */
const WALL_CLOCKS = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of instant `ms` in `tz`, as minutes since 1970-01-01 00:00 of that clock. */
function wallClock(tz: string, ms: number): number {
  let f = WALL_CLOCKS.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    WALL_CLOCKS.set(tz, f);
  }
  const p: { [k: string]: number } = {};
  for (const x of f.formatToParts(new Date(ms))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) / MINUTE;
}

/** The offset of `tz` from UTC at instant `ms`, in minutes. */
function offsetAt(tz: string, ms: number): number {
  return wallClock(tz, ms) - Math.floor(ms / MINUTE);
}

/** A daily run time of a schedule that a clock change skips (spring) or runs twice (autumn). */
export interface ClockChangeClash {
  /** `skipped`: the time does not exist that day; `repeated`: it happens twice. */
  readonly kind: 'skipped' | 'repeated';
  /** The run time, `HH:MM`. */
  readonly time: string;
  /** The local date of the clock change, `YYYY-MM-DD`. */
  readonly date: string;
}

/**
 * The first run time of `expression` (5 fields with fixed hours and minutes, for example `30 2 * * *`) that a clock
 * change of time zone `tz` skips or repeats on a day the schedule runs, in the year from `from`; undefined when none
 * does, or the schedule runs every hour or minute (a run skipped or repeated then is one of many).
 */
export function clockChangeClash(expression: string, tz: string, from: Date): ClockChangeClash | undefined {
  const fields = cronFields(expression);
  if (fields === undefined || fields[0].star || fields[1].star || fields[1].values.size > 12) return undefined;
  const [minutes, hours, days, months, weekdays] = fields;
  const times: number[] = [];
  for (const h of hours.values) for (const m of minutes.values) times.push(h * 60 + m);
  // robfig/cron runs on a day when its month matches and either day field does (both when one is unrestricted)
  const runsOn = (local: Date) => months.values.has(local.getUTCMonth() + 1) && (days.star && weekdays.star ? true
    : days.star ? weekdays.values.has(local.getUTCDay()) : weekdays.star ? days.values.has(local.getUTCDate())
      : days.values.has(local.getUTCDate()) || weekdays.values.has(local.getUTCDay()));
  const start = Math.floor(from.getTime() / DAY) * DAY;
  for (let d = 0; d < 366; d++) {
    const a = start + d * DAY;
    const before = offsetAt(tz, a);
    const after = offsetAt(tz, a + DAY);
    if (before === after) continue;
    // the minute the new offset starts (offsets change at most once a day)
    let lo = a;
    let hi = a + DAY;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
      if (offsetAt(tz, mid) === before) lo = mid; else hi = mid;
    }
    const wall = Math.floor(hi / MINUTE) + before; // the wall clock reading the change jumps from
    const local = new Date(wall * MINUTE);
    if (!runsOn(local)) continue;
    const at = ((wall % 1440) + 1440) % 1440;
    const delta = after - before;
    // forward: [at, at + delta) never shows; back: [at + delta, at) shows twice
    const [first, last] = delta > 0 ? [at, at + delta] : [at + delta, at];
    const hit = times.find(t => (t >= first && t < last) || (t + 1440 >= first && t + 1440 < last) || (t - 1440 >= first && t - 1440 < last));
    if (hit === undefined) continue;
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      kind: delta > 0 ? 'skipped' : 'repeated',
      time: `${pad(Math.floor(hit / 60))}:${pad(hit % 60)}`,
      date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    };
  }
  return undefined;
}
