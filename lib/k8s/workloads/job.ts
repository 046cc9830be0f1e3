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
   * the PreSync hooks, so a PreSync job of a new name could neither start nor reach its database (refused, and so is
   * `helm.sh/hook: pre-install` or `pre-upgrade`, which Argo CD runs as a PreSync hook unless an Argo CD hook
   * annotation overrides it). To run a migration before the Deployments roll, give the Job an
   * `argocd.argoproj.io/sync-wave` below theirs (for example "-1"; an integer, as Argo CD reads it: another value is
   * refused): the objects it needs then go in the wave below it by themselves (its ServiceAccount and NetworkPolicy;
   * every object of each workload it connects to, a migration's database for example, so that it runs, and admits the
   * job, before the job starts, on a first sync too; and, under `App({ cluster })`, the Namespace objects the app
   * writes for them, with their isolating policies, and the StorageClasses), since Argo CD applies the default wave 0
   * only once the job is done. The ConfigMaps and Secrets of the output that the job and those workloads read (mounts,
   * env, image pull secrets, and an External Secrets ExternalSecret writing such a Secret, with its store) go in the
   * wave of the workload that reads them, at synth; a lower wave given by hand is kept. A namespace the app does not
   * write, and a ConfigMap or Secret it does not hold, must exist by then. With a plain `kubectl apply` the annotations
   * do nothing: the job runs beside the rollout.
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
    const wave = syncWave(this, props.annotations ?? {});
    if (wave !== undefined) this._needBeforeWave(wave);
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

/** Argo CD's hook annotation. */
const ARGO_HOOK = 'argocd.argoproj.io/hook';
/** Helm's hook annotation, which Argo CD reads too (from any manifest) when the object names no Argo CD hook. */
const HELM_HOOK = 'helm.sh/hook';
/** The hook types Argo CD knows: when `argocd.argoproj.io/hook` names one, Argo CD ignores `helm.sh/hook`. */
const ARGO_HOOK_TYPES = ['PreSync', 'Sync', 'Skip', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete'];
/** The Helm hooks Argo CD runs as PreSync hooks (it runs post-install and post-upgrade as PostSync ones, which are accepted). */
const HELM_PRESYNC_HOOKS = ['pre-install', 'pre-upgrade'];

/**
 * Refuses an Argo CD `PreSync` hook: Argo CD runs PreSync hooks before it applies the Sync phase, where the job's own
 * ServiceAccount and NetworkPolicy (and its destinations' rules admitting it) are, so the job of a new release name
 * could create no pod (its ServiceAccount does not exist yet) and the sync would wait on it until its deadline. Also
 * the Helm hooks Argo CD runs as PreSync hooks (`helm.sh/hook: pre-install` or `pre-upgrade`), unless an Argo CD hook
 * annotation overrides them. Argo CD splits both annotations on commas and trims each part.
 */
function refusePreSync(scope: IConstruct, annotations: { [key: string]: string }): void {
  const hooks = (value: unknown) => (typeof value === 'string' ? value.split(',').map(h => h.trim()) : []);
  const why = 'before it applies the Sync phase, where the job\'s ServiceAccount and NetworkPolicy are, so a job of a new name could create no pod '
    + '(its ServiceAccount does not exist yet) and the sync would wait on it until its deadline';
  const instead = "'argocd.argoproj.io/hook': 'Sync' with 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' (it runs with the release), "
    + 'or an argocd.argoproj.io/sync-wave below the Deployments\' (the job\'s ServiceAccount and the NetworkPolicies it needs then go in the wave below it, see JobProps.annotations)';
  const argo = hooks(annotations[ARGO_HOOK]);
  if (argo.includes('PreSync')) fail(scope, `annotations["${ARGO_HOOK}"]`, annotations[ARGO_HOOK], `must not make the job an Argo CD PreSync hook: Argo CD runs PreSync hooks ${why}`, `use ${instead}`);
  // Argo CD ignores helm.sh/hook on an object whose argocd.argoproj.io/hook names a hook type it knows
  if (argo.some(h => ARGO_HOOK_TYPES.includes(h))) return;
  const helm = hooks(annotations[HELM_HOOK]).filter(h => HELM_PRESYNC_HOOKS.includes(h));
  if (helm.length === 0) return;
  fail(scope, `annotations["${HELM_HOOK}"]`, annotations[HELM_HOOK],
    `must not make the job an Argo CD PreSync hook: Argo CD runs Helm's pre-install and pre-upgrade hooks as PreSync hooks, ${why}`,
    `remove ${HELM_HOOK} and use ${instead}`);
}

/**
 * The job's Argo CD sync wave (`argocd.argoproj.io/sync-wave`), or undefined when none is given. A value Argo CD
 * cannot read as an integer is refused: it would put the job in wave 0 (or its `helm.sh/hook-weight`) without a word,
 * and nothing the job needs would move to an earlier wave.
 */
function syncWave(scope: IConstruct, annotations: { [key: string]: string }): number | undefined {
  const key = 'argocd.argoproj.io/sync-wave';
  const value: unknown = annotations[key];
  // (a value that is not a string is refused by the annotation check)
  if (typeof value !== 'string') return undefined;
  const wave = Workload._argoWave(value);
  if (wave !== undefined) return wave;
  const trimmed = value.trim().replace(/^\+/, '');
  const near = /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? JSON.stringify(String(Number(trimmed))) : undefined;
  if (/^[-+]?\d+$/.test(value)) {
    fail(scope, `annotations["${key}"]`, value, 'is beyond the waves shipshape can compute with (the objects the job needs go in the wave below it)',
      'use a wave between -9007199254740991 and 9007199254740991, for example "-1"');
  }
  fail(scope, `annotations["${key}"]`, value,
    'must be an integer (digits with an optional sign, nothing else): Argo CD reads the wave as an integer and puts an object whose wave it cannot '
    + 'read in wave 0 (or the wave its helm.sh/hook-weight gives), so the job would not run before the Deployments, and nothing it needs would go in the wave below it',
    near ? `write ${near}` : 'write the wave as an integer in a string, for example "-1" (a wave below the Deployments\' runs the job before them, see JobProps.annotations)');
}
