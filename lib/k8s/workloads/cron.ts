import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';

const FIELDS: Array<{ name: string; min: number; max: number; names?: string[]; question?: boolean }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], question: true },
];

/** The most days each month can have (February: 29, in leap years). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const SCHEDULE = Symbol.for('shipshape.Schedule');

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/**
 * When a scheduled task runs: a standard 5-field cron expression (minute, hour, day of month, month, day of week),
 * as Kubernetes CronJobs and Velero schedules read it. The time zone is a separate setting (`timeZone`).
 *
 * @example
 * Schedule.cron('0 3 * * *') // every day at 03:00
 */
export class Schedule {
  /**
   * A 5-field cron expression, for example `'0 3 * * *'` (03:00 daily) or `'*\/15 * * * 1-5'` (every 15 minutes on
   * weekdays). Month and weekday names (`JAN`, `MON`) and the descriptors `@hourly`, `@daily`, `@weekly`, `@monthly`,
   * `@yearly` are accepted. Validated by the construct that uses it, so errors name that construct; a schedule
   * whose days of month never occur in its months (`'0 3 30 2 *'`, February 30) is refused.
   */
  public static cron(expression: string): Schedule {
    return new Schedule(expression);
  }

  /** True when `x` is a Schedule, also one made by another copy of the shipshape library. */
  public static isSchedule(x: any): boolean {
    return x !== null && typeof x === 'object' && x[SCHEDULE] === true;
  }

  /** The cron expression, as given (trimmed). */
  public readonly expression: string;

  private constructor(expression: string) {
    Object.defineProperty(this, SCHEDULE, { value: true });
    this.expression = typeof expression === 'string' ? expression.trim() : expression;
  }

  /**
   * Validates the expression and returns it; errors name `scope` and `prop`, and for a time zone written into the
   * expression, the prop that takes it and what reading it there does.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string, timeZoneProp = 'timeZone', reader = 'Kubernetes refuses'): string {
    const e = this.expression;
    if (typeof e !== 'string' || e === '') {
      fail(scope, prop, e, 'is not a cron expression', "use 5 fields: minute hour day-of-month month day-of-week, for example '0 3 * * *'");
    }
    if (/^(CRON_)?TZ=/.test(e)) {
      fail(scope, prop, e, `sets a time zone inside the expression, which ${reader}`, `remove the ${/^CRON_/.test(e) ? 'CRON_TZ=' : 'TZ='} prefix and set the ${timeZoneProp} prop instead`);
    }
    if (e.startsWith('@')) {
      if (!DESCRIPTORS.includes(e)) {
        fail(scope, prop, e, `is not a supported descriptor (${DESCRIPTORS.join(', ')})`, "use one of them or a 5-field expression such as '0 3 * * *'");
      }
      return e;
    }
    const parts = e.split(/\s+/);
    if (parts.length !== 5) {
      fail(scope, prop, e, `has ${parts.length} field(s); a cron expression has exactly 5 (minute hour day-of-month month day-of-week)`,
        "write it like '0 3 * * *' (no seconds field, no year field)");
    }
    const fields = parts.map((part, i) => Schedule.checkField(scope, prop, e, part, FIELDS[i]));
    Schedule.checkDaysExist(scope, prop, e, parts, fields[2].values, fields[3].values, fields[4].star);
    return e;
  }

  /**
   * The shortest time between two runs, in minutes, of a valid expression (`_validate` first), or undefined when it
   * cannot be read. With both day fields restricted, a day matches either (robfig/cron).
   * @internal
   */
  public static _shortestIntervalMinutes(expression: string): number | undefined {
    const e = typeof expression === 'string' ? expression.trim() : '';
    const fixed: { [d: string]: number } = { '@hourly': 60, '@daily': 1440, '@midnight': 1440, '@weekly': 10080, '@monthly': 28 * 1440, '@yearly': 365 * 1440, '@annually': 365 * 1440 };
    if (e.startsWith('@')) return fixed[e];
    const parts = e.split(/\s+/);
    if (parts.length !== 5) return undefined;
    let fields: Array<{ values: Set<number>; star: boolean }>;
    try {
      fields = parts.map((part, i) => Schedule.checkField('cron', 'schedule', e, part, FIELDS[i]));
    } catch {
      return undefined;
    }
    const times = [...fields[1].values].flatMap(h => [...fields[0].values].map(m => h * 60 + m)).sort((a, b) => a - b);
    if (times.length === 0) return undefined;
    let shortest = Infinity;
    for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i] - times[i - 1]);
    // from the last run of one matching day to the first of the next, over two years of days
    const [days, months, weekdays] = [fields[2], fields[3], fields[4]];
    const start = Date.UTC(2024, 0, 1);
    let previous: number | undefined;
    for (let d = 0; d < 731; d++) {
      const date = new Date(start + d * 86400000);
      if (!months.values.has(date.getUTCMonth() + 1)) continue;
      const dom = days.values.has(date.getUTCDate());
      const dow = weekdays.values.has(date.getUTCDay());
      const match = days.star && weekdays.star ? true : days.star ? dow : weekdays.star ? dom : dom || dow;
      if (!match) continue;
      if (previous !== undefined) shortest = Math.min(shortest, (d - previous) * 1440 - times[times.length - 1] + times[0]);
      previous = d;
    }
    return Number.isFinite(shortest) ? shortest : undefined;
  }

  /**
   * Refuses a schedule that never runs because its days of month never occur in its months (`30 2` is February 30).
   * With a restricted day of week as well, cron runs when either day field matches (robfig/cron, which the CronJob
   * controller and Velero use), so such a schedule still runs on those weekdays and is accepted.
   */
  private static checkDaysExist(scope: IConstruct, prop: string, expr: string, parts: string[], days: Set<number>, months: Set<number>, anyWeekday: boolean): void {
    if (!anyWeekday) return;
    for (const m of months) {
      for (const d of days) {
        if (d <= DAYS_IN_MONTH[m - 1]) return;
      }
    }
    fail(scope, prop, expr, `never runs: no day of month in "${parts[2]}" exists in the month(s) "${parts[3]}" `
      + '(February has at most 29 days; April, June, September and November have 30)',
    "pick days the months have (for the last day of a month, run on day 1 of the next month, for example '0 3 1 3 *' instead of '0 3 30 2 *'), "
      + 'or name the months the day exists in');
  }

  private static checkField(scope: IConstruct | string, prop: string, expr: string, text: string, f: typeof FIELDS[number]): { values: Set<number>; star: boolean } {
    const bad = (why: string): never => fail(scope, prop, expr, `has an invalid ${f.name} field "${text}": ${why}`,
      `use a value from ${f.min} to ${f.max}${f.names ? ` or a name (${f.names[0]}-${f.names[f.names.length - 1]})` : ''}, '*', a range 'a-b', a list 'a,b' or a step '*/n'`);
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
}
