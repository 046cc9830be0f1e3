import { IConstruct } from 'constructs';
import { cronFields, cronProblem } from '../../core/cron';
import { fail } from '../../core/errors';

const SCHEDULE = Symbol.for('shipshape.Schedule');

/**
 * When a scheduled task runs: a standard 5-field cron expression (minute, hour, day of month, month, day of week),
 * as Kubernetes CronJobs and Velero schedules read it. The time zone is a separate setting (`timeZone`).
 *
 * @example
 * k8s.Schedule.cron('0 3 * * *') // every day at 03:00
 */
export class Schedule {
  /**
   * A 5-field cron expression, for example `'0 3 * * *'` (03:00 daily) or `'0,30 9-17 * * 1-5'` (every half hour from
   * 09:00 to 17:30 on weekdays). Month and weekday names (`JAN`, `MON`) and the descriptors `@hourly`, `@daily`, `@weekly`, `@monthly`,
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
    const p = cronProblem(this.expression, `the ${timeZoneProp} prop`, reader);
    if (p !== undefined) fail(scope, prop, this.expression, p.problem, p.fix);
    return this.expression;
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
    const fields = cronFields(e);
    if (fields === undefined) return undefined;
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
}
