import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type * as batchv1 from 'kubernetes-types/batch/v1';
import { checkWhole } from './checks';
import { ContainerPort } from './env';
import { Workload, WorkloadProps } from './workload';
import { fail } from '../../core/errors';
import { Validators } from '../../core/validators';

/** The Job spec fields the run settings set (`Job._runSpec`): everything but the pod template. */
type JobRunSpec = Omit<batchv1.JobSpec, 'template'>;

/**
 * What the kubelet does when a job's container fails.
 */
export enum JobRestartPolicy {
  /** Start a new pod for each retry (failed pods stay around for their logs). */
  NEVER = 'Never',
  /** Restart the container in the same pod. */
  ON_FAILURE = 'OnFailure',
}

/**
 * Properties shared by Job and ScheduledJob.
 */
export interface JobRunProps extends WorkloadProps {
  /**
   * Retries before the job counts as failed.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds a run may take in total (retries included) before it is stopped and marked failed.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * What happens when the container fails.
   * @default JobRestartPolicy.NEVER
   */
  readonly restartPolicy?: JobRestartPolicy;
  /**
   * Seconds the container gets after SIGTERM (for example when the deadline passes) before it is killed.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * Properties of a Job.
 */
export interface JobProps extends JobRunProps {
  /**
   * Seconds after the job finishes (success or failure) before Kubernetes deletes it and its pods (rule SS-K8S-072 in docs/rules.md).
   * @default 86400 (one day, time to read the logs)
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Annotations on the Job object, for example an Argo CD hook that runs it once per sync instead of re-creating it
   * after its time-to-live (`argocd.argoproj.io/hook: Sync` with `argocd.argoproj.io/hook-delete-policy:
   * BeforeHookCreation`). Not `PreSync`: the job's ServiceAccount and the NetworkPolicy rules that let it out (its
   * own, and its destinations' ingress from it) are ordinary resources, which Argo CD applies in the Sync phase, after
   * the PreSync hooks, so a PreSync job of a new name could neither start nor reach its database (refused). To run a migration
   * before the Deployments roll, give the Job an `argocd.argoproj.io/sync-wave` below theirs (for example "-1"): the
   * objects it needs then go in the wave below it by themselves (its ServiceAccount and NetworkPolicy; every object of
   * each workload it connects to, a migration's database for example, so that it runs, and admits the job, before the
   * job starts, on a first sync too; and, under `App({ cluster })`, the Namespace objects the app writes for them, with
   * their isolating policies, and the StorageClasses), since Argo CD applies the default wave 0 only once the job is
   * done. A namespace the app does not write must exist by then. With a plain `kubectl apply` the annotations do
   * nothing: the job runs beside the rollout.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A one-off task run to completion, for example a database migration before a release: a `batch/v1` Job with a
 * retry limit, a deadline and a time-to-live after it finishes, plus the hardened pod, its own ServiceAccount and a
 * NetworkPolicy (no inbound connections; egress to DNS and the destinations declared with `allowTo`).
 *
 * A Job's pod template cannot change once created: give each release's job its own name (for example with the
 * version in it) or let a GitOps hook delete it first (see `annotations`).
 *
 * @example
 * const migrate = new k8s.Job(chart, 'migrate-1-4-2', { image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'] });
 * migrate.allowTo(db);
 */
export class Job extends Workload {
  /** The Job. */
  public readonly batchJob: ApiObject;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id, props, 'job');
    const run = Job._runSpec(this, props);
    const ttl = checkWhole(this, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished ?? 86400, 0, 'use for example 86400 (one day)');
    const template = () => this._renderPodTemplate({ terminationGracePeriodSeconds: run.grace, restartPolicy: run.restartPolicy });
    template();
    refusePreSync(this, props.annotations ?? {});
    // a job in an early sync wave: what it needs goes in an earlier one (see JobProps.annotations)
    const wave = (props.annotations ?? {})['argocd.argoproj.io/sync-wave'];
    if (typeof wave === 'string' && /^\s*[-+]?\d+\s*$/.test(wave)) this._needBeforeWave(Number(wave));
    this.batchJob = new ApiObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this._metadata({ annotations: Validators.annotations(this, 'annotations', props.annotations ?? {}) }),
      spec: Lazy.any({ produce: () => ({ ...run.spec as JobRunSpec, ttlSecondsAfterFinished: ttl, template: template() } satisfies batchv1.JobSpec) }),
    } satisfies batchv1.Job);
  }

  /**
   * Validates the run settings and returns the Job spec fields they set (without the template).
   * @internal
   */
  public static _runSpec(scope: IConstruct, props: JobRunProps): { spec: any; restartPolicy: string; grace: number } {
    const restartPolicy = props.restartPolicy ?? JobRestartPolicy.NEVER;
    if (!Object.values(JobRestartPolicy).includes(restartPolicy)) {
      fail(scope, 'restartPolicy', restartPolicy, 'must be Never or OnFailure (a job pod must end, rule SS-K8S-071)', 'use JobRestartPolicy.NEVER');
    }
    return {
      spec: {
        backoffLimit: checkWhole(scope, 'backoffLimit', props.backoffLimit ?? 3, 0, 'use for example 3'),
        activeDeadlineSeconds: checkWhole(scope, 'activeDeadlineSeconds', props.activeDeadlineSeconds ?? 3600, 1, 'give the longest a run may take, for example 3600'),
      } satisfies JobRunSpec,
      restartPolicy,
      grace: checkWhole(scope, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 30, 1, 'use for example 30'),
    };
  }

  /** A job listens on no port. */
  public get containerPorts(): number[] {
    return [];
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return [];
  }

  /** @internal */
  public _runsToCompletion(): string | undefined {
    return 'Job';
  }

  /** @internal */
  protected _ingressRefusal(): string | undefined {
    return 'is a Job, which accepts no inbound connections';
  }
}

/**
 * Refuses an Argo CD `PreSync` hook: Argo CD runs PreSync hooks before it applies the Sync phase, where the job's own
 * ServiceAccount and NetworkPolicy (and its destinations' rules admitting it) are, so the job of a new release name
 * could create no pod (its ServiceAccount does not exist yet) and the sync would wait on it until its deadline.
 */
function refusePreSync(scope: IConstruct, annotations: { [key: string]: string }): void {
  const hook = annotations['argocd.argoproj.io/hook'];
  if (typeof hook !== 'string' || !hook.split(',').map(h => h.trim()).includes('PreSync')) return;
  fail(scope, 'annotations', hook,
    'must not make the job an Argo CD PreSync hook: Argo CD runs PreSync hooks before it applies the Sync phase, where the job\'s ServiceAccount '
    + 'and NetworkPolicy are, so a job of a new name could create no pod (its ServiceAccount does not exist yet) and the sync would wait on it until its deadline',
    "use 'argocd.argoproj.io/hook': 'Sync' with 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' (it runs with the release), "
    + 'or an argocd.argoproj.io/sync-wave below the Deployments\' (the job\'s ServiceAccount and the NetworkPolicies it needs then go in the wave below it, see JobProps.annotations)');
}
