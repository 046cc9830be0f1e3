import { Chart, Testing } from 'cdk8s';
import { ConcurrencyPolicy, JobRestartPolicy, NetworkPeer, Schedule, ScheduledJob, ScheduledJobProps } from '../../../lib/k8s';
import { expectError, policyErrors, stderrOf } from '../../util/k8s';
import { expectValid } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/report:3.1.0';

function build(props: Partial<ScheduledJobProps> = {}, id = 'report'): { objs: any[]; sj: ScheduledJob } {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const sj = new ScheduledJob(c, id, { image: IMAGE, schedule: Schedule.cron('0 3 * * *'), ...props });
  return { objs: c.toJson(), sj };
}

const cron = (objs: any[]) => objs.find(o => o.kind === 'CronJob');

describe('ScheduledJob defaults', () => {
  const { objs, sj } = build();

  test('creates ServiceAccount, NetworkPolicy and a batch/v1 CronJob', () => {
    expect(objs.map(o => o.kind).sort()).toEqual(['CronJob', 'NetworkPolicy', 'ServiceAccount']);
    expect(cron(objs).apiVersion).toBe('batch/v1');
    expect(cron(objs).metadata.labels['app.kubernetes.io/component']).toBe('cronjob');
    expect(sj.schedule).toBe('0 3 * * *');
  });

  test('Forbid, starting deadline 300 s, history 3/3, no time zone, not suspended', () => {
    const s = cron(objs).spec;
    expect(s.schedule).toBe('0 3 * * *');
    expect(s.concurrencyPolicy).toBe('Forbid');
    expect(s.startingDeadlineSeconds).toBe(300);
    expect(s.successfulJobsHistoryLimit).toBe(3);
    expect(s.failedJobsHistoryLimit).toBe(3);
    expect(s.timeZone).toBeUndefined();
    expect(s.suspend).toBeUndefined();
  });

  test('job template: backoffLimit 3, deadline 3600 s, restartPolicy Never and no TTL (rule SS-K8S-072)', () => {
    const j = cron(objs).spec.jobTemplate;
    expect(j.metadata.labels).toEqual(sj.labels);
    expect(j.spec.backoffLimit).toBe(3);
    expect(j.spec.activeDeadlineSeconds).toBe(3600);
    expect(j.spec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(j.spec.template.spec.restartPolicy).toBe('Never');
    expect(j.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  test('validates strictly against Kubernetes 1.27 and 1.36 and passes the policy pack without error', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('ScheduledJob options', () => {
  test('time zone, concurrency, deadlines, history, restart policy and suspend', () => {
    const { objs } = build({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: ConcurrencyPolicy.REPLACE,
      startingDeadlineSeconds: 60,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
      restartPolicy: JobRestartPolicy.ON_FAILURE,
      backoffLimit: 1,
      activeDeadlineSeconds: 900,
      suspend: true,
    });
    const s = cron(objs).spec;
    expect([s.timeZone, s.concurrencyPolicy, s.startingDeadlineSeconds, s.successfulJobsHistoryLimit, s.failedJobsHistoryLimit, s.suspend])
      .toEqual(['Europe/Berlin', 'Replace', 60, 1, 5, true]);
    expect(s.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect([s.jobTemplate.spec.backoffLimit, s.jobTemplate.spec.activeDeadlineSeconds]).toEqual([1, 900]);
    expectValid(objs);
  });

  test.each([
    '*/15 * * * *', '0 0 1 1 *', '5,35 8-18 * * 1-5', '0 6 * JAN-MAR mon-fri', '0 0 ? * SUN', '30 2 1-31/2 * *', '@daily', '@hourly', '@weekly', '@monthly', '@yearly',
    ' 0  3 * * * ',
    // days that exist in at least one chosen month; February 29 (leap years); day and weekday both restricted (either matches)
    '0 0 29 2 *', '0 0 31 1,4 *', '0 0 30 FEB-MAR *', '0 0 28-31 2 *', '0 0 30 2 1', '0 0 31 4 MON-FRI', '0 0 30 2 */2', '0 0 */10 2 *',
  ])('accepts the schedule %p', expr => {
    expect(build({ schedule: Schedule.cron(expr) }).sj.schedule).toBe(expr.trim());
  });
});

describe('ScheduledJob validation', () => {
  test.each<[string, string, string]>([
    ['empty', '', "shop/report: schedule (\"\") is not a cron expression; use 5 fields: minute hour day-of-month month day-of-week, for example '0 3 * * *'"],
    ['six fields', '0 0 3 * * *', 'shop/report: schedule ("0 0 3 * * *") has 6 field(s); a cron expression has exactly 5'],
    ['four fields', '0 3 * *', 'shop/report: schedule ("0 3 * *") has 4 field(s)'],
    ['minute out of range', '60 * * * *', 'shop/report: schedule ("60 * * * *") has an invalid minute field "60": 60 is outside 0-59'],
    ['hour out of range', '0 24 * * *', 'has an invalid hour field "24": 24 is outside 0-23'],
    ['day of month zero', '0 3 0 * *', 'has an invalid day of month field "0": 0 is outside 1-31'],
    ['month thirteen', '0 3 1 13 *', 'has an invalid month field "13": 13 is outside 1-12'],
    ['weekday seven', '0 3 * * 7', 'has an invalid day of week field "7": 7 is outside 0-6'],
    ['unknown name', '0 3 * * FUN', 'has an invalid day of week field "FUN": "FUN" is not a number'],
    ['backwards range', '0 18-8 * * *', 'has an invalid hour field "18-8": range 18-8 runs backwards'],
    ['zero step', '*/0 * * * *', 'has an invalid minute field "*/0": step "0" must be a whole number of at least 1'],
    ['two steps', '*/5/2 * * * *', 'has an invalid minute field "*/5/2": more than one "/"'],
    ['empty list item', '1,,2 * * * *', 'has an invalid minute field "1,,2": empty list item'],
    ['question mark in the hour', '0 ? * * *', 'has an invalid hour field "?"'],
    ['time zone in the expression', 'CRON_TZ=UTC 0 3 * * *', 'shop/report: schedule ("CRON_TZ=UTC 0 3 * * *") sets a time zone inside the expression, which Kubernetes refuses; remove the CRON_TZ= prefix and set the timeZone prop instead'],
    ['unsupported descriptor', '@weekdays', 'shop/report: schedule ("@weekdays") is not a supported descriptor'],
    ['an interval (@every)', '@every 5m', 'shop/report: schedule ("@every 5m") is an interval, which the CronJob controller counts from the job\'s last run rather than the clock: '
      + 'Kubernetes documents only @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and 5-field expressions; '
      + "write the times as 5 fields, for example '*/15 * * * *' for every 15 minutes or '0 */6 * * *' for every 6 hours"],
    ['February 30', '0 3 30 2 *', 'shop/report: schedule ("0 3 30 2 *") never runs: no day of month in "30" exists in the month(s) "2" '
      + '(February has at most 29 days; April, June, September and November have 30); pick days the months have (for the last day of a month, '
      + "run on day 1 of the next month, for example '0 3 1 3 *' instead of '0 3 30 2 *'), or name the months the day exists in"],
    ['February 30-31 by name', '0 3 30-31 FEB *', 'shop/report: schedule ("0 3 30-31 FEB *") never runs: no day of month in "30-31" exists in the month(s) "FEB"'],
    ['day 31 in 30-day months', '0 3 31 4,6,9,11 *', 'shop/report: schedule ("0 3 31 4,6,9,11 *") never runs'],
    ['day 31 by step start', '0 3 31/2 APR *', 'shop/report: schedule ("0 3 31/2 APR *") never runs'],
    ['weekday "?" is unrestricted', '0 3 31 6 ?', 'shop/report: schedule ("0 3 31 6 ?") never runs'],
    ['weekday "*/1" is unrestricted', '0 3 31 9 */1', 'shop/report: schedule ("0 3 31 9 */1") never runs'],
  ])('refuses a schedule: %s', (_name, expr, message) => {
    expectError(() => build({ schedule: Schedule.cron(expr) }), message);
  });

  test.each<[string, Partial<ScheduledJobProps>, string]>([
    ['unknown time zone', { timeZone: 'Europe/Atlantis' }, "shop/report: timeZone (\"Europe/Atlantis\") is not an IANA time zone name; use a name such as 'UTC' or 'Europe/Berlin'"],
    ['Local time zone', { timeZone: 'Local' }, 'shop/report: timeZone ("Local") is not an IANA time zone name'],
    ['time zone in lowercase', { timeZone: 'europe/berlin' }, 'shop/report: timeZone ("europe/berlin") is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it; write "Europe/Berlin"'],
    ['UTC in lowercase', { timeZone: 'utc' }, 'shop/report: timeZone ("utc") is not spelled as the tz database spells it: Kubernetes and Velero look time zone names up case-sensitively and refuse it; write "UTC"'],
    ['bad concurrency policy', { concurrencyPolicy: 'Sometimes' as any }, 'shop/report: concurrencyPolicy ("Sometimes") must be Forbid, Replace or Allow; use ConcurrencyPolicy.FORBID'],
    ['starting deadline under 10 s', { startingDeadlineSeconds: 5 }, 'shop/report: startingDeadlineSeconds (5) must be a whole number of at least 10; use 10 or more (the controller checks schedules every 10 seconds), for example 300'],
    ['negative history', { successfulJobsHistoryLimit: -1 }, 'shop/report: successfulJobsHistoryLimit (-1) must be a whole number of at least 0; use for example 3'],
    ['negative failed history', { failedJobsHistoryLimit: -1 }, 'shop/report: failedJobsHistoryLimit (-1) must be a whole number of at least 0; use for example 3'],
    ['restart policy Always', { restartPolicy: 'Always' as any }, 'shop/report: restartPolicy ("Always") must be Never or OnFailure'],
    ['negative backoff', { backoffLimit: -2 }, 'shop/report: backoffLimit (-2) must be a whole number of at least 0'],
    ['schedule not a Schedule', { schedule: '0 3 * * *' as any }, "shop/report: schedule (\"0 3 * * *\") must be a Schedule; use Schedule.cron('0 3 * * *')"],
  ])('%s', (_name, props, message) => {
    expectError(() => build(props), message);
  });

  test('name longer than 52 characters', () => {
    const id = 'r'.repeat(53);
    expectError(() => build({}, id), `shop/${id}: name ("${id}") is longer than 52 characters, the limit for a CronJob (its jobs add an 11-character suffix); use a shorter name`);
  });

  test('allowFrom on a ScheduledJob is refused', () => {
    const { sj } = build();
    expectError(() => sj.allowFrom(NetworkPeer.namespace('x')), 'shop/report: allowFrom ("namespace x") would admit a caller, but this workload is a ScheduledJob, which accepts no inbound connections; remove the connection');
  });
});

describe('Schedule: the shortest time between two runs', () => {
  test.each([
    ['*/5 * * * *', 5],
    ['0 * * * *', 60],
    ['0 3 * * *', 1440],
    ['0 3,15 * * *', 720],
    ['0 23 * * *', 1440],
    ['0 9 * * 1-5', 1440],
    ['0 9 * * 1', 10080],
    ['0 9 * * 0', 10080],
    ['0 0 1 * *', 28 * 1440],
    ['0 3 1,15 * 1', 1440], // the 1st, the 15th or a Monday: a Monday the 14th is followed by the 15th
    ['@hourly', 60],
    ['@weekly', 10080],
  ])('%s runs at most every %d minutes', (expression, minutes) => {
    expect(Schedule._shortestIntervalMinutes(expression)).toBe(minutes);
  });
});

describe('ScheduledJob and clock changes', () => {
  test('a run time the clocks skip in the job\'s time zone is a warning on stderr and on the construct; without a time zone there is none', () => {
    let sj: ScheduledJob | undefined;
    const stderr = stderrOf(() => { sj = build({ schedule: Schedule.cron('30 2 * * *'), timeZone: 'Europe/Berlin' }).sj; });
    expect(stderr).toMatch(/^shipshape warning: shop\/report: schedule runs at 02:30 Europe\/Berlin, a time the clocks skip on \d{4}-03-\d\d \(daylight saving starts\)/m);
    expect(sj!.node.metadata.filter(m => m.type === 'shipshape:warning')).toHaveLength(1);
    // the controller's own clock (UTC on EKS) has no daylight saving
    expect(stderrOf(() => build({ schedule: Schedule.cron('30 2 * * *') }))).toBe('');
  });

  test('a descriptor is read as the fields it stands for: @daily at midnight where the clocks skip midnight warns, @hourly never does', () => {
    // America/Santiago moves its clocks at midnight
    expect(stderrOf(() => build({ schedule: Schedule.cron('@daily'), timeZone: 'America/Santiago' })))
      .toMatch(/^shipshape warning: shop\/report: schedule runs at 00:00 America\/Santiago, a time the clocks skip on \d{4}-\d\d-\d\d \(daylight saving starts\)/m);
    expect(stderrOf(() => build({ schedule: Schedule.cron('@hourly'), timeZone: 'America/Santiago' }))).toBe('');
    expect(stderrOf(() => build({ schedule: Schedule.cron('@daily'), timeZone: 'Europe/Berlin' }))).toBe('');
  });
});
