import { cronProblem, timeZoneProblem } from '../../../core/cron';
import { Violation } from '../../rule';
import { ERROR, k8sRule, NONE } from '../define';
import { o } from '../pod';

/** A duration as Go's time.ParseDuration reads it (what @every takes): 90s, 1h30m, 1.5h; not negative or zero. */
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;

/** SS-K8S-096 — docs/rules.md#ss-k8s-096. */
export const cronJobValidSchedule = k8sRule({
  id: 'SS-K8S-096',
  title: 'CronJob schedule that runs',
  catalog: ['K8S-JOB-01'],
  severity: ERROR,
  message: 'CronJob schedule is refused by the API server, or never runs',
  fix: 'write 5 fields (minute hour day-of-month month day-of-week) with values in range and days of month that occur in the months named (not 31 2: February has no 31st), or a descriptor such as @daily; set the time zone in spec.timeZone, as the tz database spells it (Europe/Berlin)',
  rationale: 'The API server parses spec.schedule as the CronJob controller does (robfig/cron: 5 fields, names, ranges, lists, steps, '
    + 'descriptors) and refuses a CronJob it cannot read or that sets a time zone inside the expression (TZ=, CRON_TZ=; spec.timeZone takes it). '
    + 'A schedule whose days of month never occur in its months (30 2: February 30) is accepted and never runs. The @every descriptor, '
    + 'which the parser accepts, is reported only when what follows is no Go duration (@every banana). spec.timeZone must name a zone of the tz database as it spells it: the API server looks '
    + 'it up case-sensitively (europe/berlin and utc are refused) and refuses Local.',
  kinds: ['CronJob'],
  check: doc => {
    const spec = o(doc.manifest.spec);
    const out: Violation[] = [];
    const schedule = spec.schedule;
    const every = typeof schedule === 'string' ? /^@every\s+(.*)$/.exec(schedule.trim()) : null;
    if (every !== null && !GO_DURATION.test(every[1].trim())) {
      out.push({ jsonPath: 'spec.schedule', message: `CronJob schedule ${JSON.stringify(schedule)} gives @every no duration Go reads (such as 5m, 1h30m): the API server refuses the CronJob` });
    }
    const p = every !== null ? undefined
      : cronProblem(typeof schedule === 'string' ? schedule.trim() : schedule, 'spec.timeZone (Kubernetes 1.27 and later)', 'the API server refuses');
    if (p !== undefined) {
      const shown = schedule === undefined ? 'is unset, which the API server refuses' : `${JSON.stringify(schedule)} ${p.problem}${p.refused && !p.problem.includes('refuses') ? ': the API server refuses the CronJob' : ''}`;
      out.push({ jsonPath: 'spec.schedule', message: `CronJob schedule ${shown}; ${p.fix}` });
    }
    const tz = spec.timeZone;
    const z = tz === undefined || tz === null ? undefined : timeZoneProblem(tz);
    if (z !== undefined) out.push({ jsonPath: 'spec.timeZone', message: `CronJob timeZone ${JSON.stringify(tz)} ${z.problem}${z.problem.includes('refuse') ? '' : ': the API server refuses the CronJob'}; ${z.fix}` });
    return out.length === 0 ? NONE : out;
  },
});
