import { cronProblem } from '../../../core/cron';
import { ERROR, k8sRule, NONE } from '../define';
import { o } from '../pod';

/** SS-K8S-096 — docs/rules.md#ss-k8s-096. */
export const cronJobValidSchedule = k8sRule({
  id: 'SS-K8S-096',
  title: 'CronJob schedule that runs',
  catalog: ['K8S-JOB-01'],
  severity: ERROR,
  message: 'CronJob schedule is refused by the API server, or never runs',
  fix: 'write 5 fields (minute hour day-of-month month day-of-week) with values in range and days of month that occur in the months named (not 31 2: February has no 31st), or a descriptor such as @daily; set the time zone in spec.timeZone',
  rationale: 'The API server parses spec.schedule as the CronJob controller does (robfig/cron: 5 fields, names, ranges, lists, steps, '
    + 'descriptors) and refuses a CronJob it cannot read or that sets a time zone inside the expression (TZ=, CRON_TZ=; spec.timeZone takes it). '
    + 'A schedule whose days of month never occur in its months (30 2: February 30) is accepted and never runs. The @every descriptor, '
    + 'which the parser accepts, is not reported.',
  kinds: ['CronJob'],
  check: doc => {
    const schedule = o(doc.manifest.spec).schedule;
    if (typeof schedule === 'string' && /^@every\s/.test(schedule.trim())) return NONE;
    const p = cronProblem(typeof schedule === 'string' ? schedule.trim() : schedule, 'spec.timeZone (Kubernetes 1.27 and later)', 'the API server refuses');
    if (p === undefined) return NONE;
    const shown = schedule === undefined ? 'is unset, which the API server refuses' : `${JSON.stringify(schedule)} ${p.problem}${p.refused && !p.problem.includes('refuses') ? ': the API server refuses the CronJob' : ''}`;
    return [{ jsonPath: 'spec.schedule', message: `CronJob schedule ${shown}; ${p.fix}` }];
  },
});
