import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as batchv1 from 'kubernetes-types/batch/v1';
import { checkTimeZone, checkWhole, warnClockChange } from './checks';
import { Schedule } from './cron';
import { ContainerPort } from './env';
import { Job, JobRunProps } from './job';
import { Workload } from './workload';
import { fail } from '../../core/errors';

/** The Job spec fields the run settings set (`Job._runSpec`): everything but the pod template. */
type JobRunSpec = Omit<batchv1.JobSpec, 'template'>;

/**
 * What a CronJob does when a run is due while the previous one is still going.
 */
export enum ConcurrencyPolicy {
  /** Skip the new run (no overlap). */
  FORBID = 'Forbid',
  /** Stop the running one and start the new run. */
  REPLACE = 'Replace',
  /** Run both. */
  ALLOW = 'Allow',
}

/**
 * Properties of a ScheduledJob.
 */
export interface ScheduledJobProps extends JobRunProps {
  /**
   * When the job runs, for example `Schedule.cron('0 3 * * *')`.
   */
  readonly schedule: Schedule;
  /**
   * The schedule's time zone, an IANA name (`Europe/Berlin`); CronJob `spec.timeZone`. A run time the clocks of that
   * zone skip or pass twice within the next year (02:30 in `Europe/Berlin`, when daylight saving starts) is a construct
   * warning: that day's run does not happen, or may happen twice.
   * @default - the kube-controller-manager's time zone (UTC on managed clusters)
   */
  readonly timeZone?: string;
  /**
   * Whether runs may overlap.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds after the scheduled time within which a missed run may still start; later it is skipped
   * (rule SS-K8S-070 in docs/rules.md). At least 10: the controller checks every 10 seconds.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Finished successful jobs to keep.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed jobs to keep (for their logs).
   * @default 3
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Create the CronJob suspended (no runs until resumed).
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A task run on a schedule: a `batch/v1` CronJob with a validated 5-field schedule, no overlapping runs, a starting
 * deadline, retry and run-time limits and bounded history; the jobs it creates carry no TTL (the history limits
 * clean them up, rule SS-K8S-072 in docs/rules.md). Hardened pod, own ServiceAccount, NetworkPolicy with no inbound connections.
 *
 * @example
 * new k8s.ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:3.1.0', schedule: k8s.Schedule.cron('0 6 * * 1-5') });
 */
export class ScheduledJob extends Workload {
  /** The CronJob. */
  public readonly cronJob: ApiObject;
  /** The validated cron expression. */
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, props, 'cronjob');
    if (!Schedule.isSchedule(props.schedule)) {
      fail(this, 'schedule', props.schedule, 'must be a Schedule', "use Schedule.cron('0 3 * * *')");
    }
    this.schedule = props.schedule._validate(this, 'schedule');
    if (this.name.length > 52) {
      fail(this, 'name', this.name, 'is longer than 52 characters, the limit for a CronJob (its jobs add an 11-character suffix)', 'use a shorter name');
    }
    const timeZone = props.timeZone !== undefined ? checkTimeZone(this, 'timeZone', props.timeZone) : undefined;
    if (timeZone !== undefined) warnClockChange(this, 'schedule', this.schedule, timeZone);
    const concurrency = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    if (!Object.values(ConcurrencyPolicy).includes(concurrency)) {
      fail(this, 'concurrencyPolicy', concurrency, 'must be Forbid, Replace or Allow', 'use ConcurrencyPolicy.FORBID');
    }
    const deadline = checkWhole(this, 'startingDeadlineSeconds', props.startingDeadlineSeconds ?? 300, 10,
      'use 10 or more (the controller checks schedules every 10 seconds), for example 300');
    const successful = checkWhole(this, 'successfulJobsHistoryLimit', props.successfulJobsHistoryLimit ?? 3, 0, 'use for example 3');
    const failed = checkWhole(this, 'failedJobsHistoryLimit', props.failedJobsHistoryLimit ?? 3, 0, 'use for example 3');
    const run = Job._runSpec(this, props);
    const template = () => this._renderPodTemplate({ terminationGracePeriodSeconds: run.grace, restartPolicy: run.restartPolicy });
    template();

    this.cronJob = new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this._metadata(),
      spec: Lazy.any({
        produce: () => ({
          schedule: this.schedule,
          timeZone,
          concurrencyPolicy: concurrency,
          startingDeadlineSeconds: deadline,
          successfulJobsHistoryLimit: successful,
          failedJobsHistoryLimit: failed,
          suspend: props.suspend ? true : undefined,
          jobTemplate: {
            metadata: { labels: { ...this.labels } },
            spec: { ...run.spec as JobRunSpec, template: template() },
          },
        } satisfies batchv1.CronJobSpec),
      }),
    } satisfies batchv1.CronJob);
  }

  /** A scheduled job listens on no port. */
  public get containerPorts(): number[] {
    return [];
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return [];
  }

  /** @internal */
  public _runsToCompletion(): string | undefined {
    return 'ScheduledJob';
  }

  /** @internal */
  protected _ingressRefusal(): string | undefined {
    return 'is a ScheduledJob, which accepts no inbound connections';
  }
}
