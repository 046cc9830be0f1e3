import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as appsv1 from 'kubernetes-types/apps/v1';
import type * as autoscalingv2 from 'kubernetes-types/autoscaling/v2';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { checkPort, checkWhole, renderProbes } from './checks';
import { ContainerPort } from './env';
import { awsScaler, kedaScalerSlip, kedaSettingProblems, kedaSettingSlip } from './keda-scalers';
import { Probe } from './probe';
import { Workload, WorkloadProps } from './workload';
import { fail, warn } from '../../core/errors';
import { Names } from '../../core/names';
import { EnvironmentProfile, Profiles } from '../../core/profile';
import { Validators } from '../../core/validators';

/** A KEDA trigger as written (keda.sh/v1alpha1 ScaledObject `spec.triggers[]`, the fields shipshape writes). */
interface KedaTriggerManifest {
  type: string;
  metadata: { [key: string]: string };
  name?: string;
  authenticationRef?: { name: string; kind?: string };
}

/** A KEDA ScaledObject (keda.sh/v1alpha1; a custom resource, not among the built-in Kubernetes types). */
interface KedaScaledObject {
  apiVersion: 'keda.sh/v1alpha1';
  kind: 'ScaledObject';
  metadata?: metav1.ObjectMeta;
  spec: {
    scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    pollingInterval?: number;
    cooldownPeriod?: number;
    triggers: KedaTriggerManifest[];
  };
}

/**
 * Replica bounds of an autoscaled worker.
 */
export interface WorkerScalingRange {
  /**
   * Fewest replicas.
   * @default - from the environment profile (production 3, staging 2, development 1)
   */
  readonly min?: number;
  /**
   * Most replicas: a whole number (2.5, NaN or Infinity is refused as such), more than `min`.
   * @default - from the environment profile (production 10, staging 4, development 2), or `min` + 1 when that is more
   */
  readonly max?: number;
}

/**
 * Options of CPU autoscaling.
 */
export interface CpuScalingOptions extends WorkerScalingRange {
  /**
   * Target average CPU utilization, in percent of the CPU request. It may exceed 100 as far as the CPU limit lets the
   * pods go past their request (limit 1 over request 250m: up to 400); a target they can never reach is refused.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

/**
 * Options of autoscaling on an external metric (for example a queue's depth from a metrics adapter).
 */
export interface ExternalMetricScalingOptions extends WorkerScalingRange {
  /** The external metric's name, as the metrics adapter serves it (for example `sqs_messages_visible`). */
  readonly metricName: string;
  /**
   * Labels selecting the metric series (for example `{ queue: 'orders' }`).
   * @default - no selector
   */
  readonly metricSelector?: { [key: string]: string };
  /** The target value per replica, a Kubernetes quantity (`"30"`, `"500m"`). */
  readonly targetAverageValue: string;
}

/**
 * The kind of KEDA object a trigger's `authenticationRef` names.
 */
export enum KedaAuthenticationKind {
  /** A TriggerAuthentication, in the workload's namespace. */
  TRIGGER_AUTHENTICATION = 'TriggerAuthentication',
  /** A ClusterTriggerAuthentication: cluster-scoped, one set of credentials every namespace's scalers may name. */
  CLUSTER_TRIGGER_AUTHENTICATION = 'ClusterTriggerAuthentication',
}

/**
 * A KEDA scaler (`ScaledObject.spec.triggers[]` entry).
 *
 * KEDA's operator, in its own namespace, reads the metric from the service itself (the queue, the broker), not
 * through the worker's pods. A service in the output that a NetworkPolicy protects (a shipshape StatefulService,
 * for example, which admits only the workloads given `allowFrom`/`allowTo`) must admit the operator too, or the
 * scaler cannot connect and a worker with `min: 0` never leaves zero:
 * `queue.allowFrom(NetworkPeer.pods('keda', { 'app.kubernetes.io/name': 'keda-operator' }, { meshed: false }), [5672])`
 * (the labels and namespace of KEDA's Helm chart; use those of your installation). `meshed: false` says the operator
 * runs no mesh proxy, as KEDA's chart installs it: a queue enrolled in a mesh then accepts its plaintext connections on
 * that port (left out, the operator is taken to be meshed, and the mesh would refuse it).
 */
export interface KedaTrigger {
  /**
   * The scaler type, for example `aws-sqs-queue`, `rabbitmq`, `kafka`, `prometheus`. A type that is not one of KEDA's
   * scalers but near one (`sqs`, `rabitmq`) is refused with the type meant; any other is written as given (a scaler
   * of a newer KEDA).
   */
  readonly type: string;
  /**
   * The scaler's settings (see the KEDA scaler's documentation). A setting a letter or two off one the scaler reads, or
   * in another case (`serverAdress`, `timeZone`), is refused with the setting meant, for the scalers most used:
   * aws-sqs-queue, aws-cloudwatch, aws-dynamodb, aws-kinesis-stream, prometheus, metrics-api, rabbitmq, kafka,
   * apache-kafka, cron, redis (and its cluster, sentinel and streams variants), postgresql, mysql, gcp-pubsub,
   * azure-servicebus, azure-queue and nats-jetstream; other scalers' settings are written as given. For
   * `aws-sqs-queue`, what its scaler refuses is refused here too: no queue (`queueURL` or `queueURLFromEnv`), no
   * `awsRegion`, a length that is no whole number, and a switch that is neither true nor false.
   */
  readonly metadata: { [key: string]: string };
  /**
   * The name of the TriggerAuthentication (in the workload's namespace; or of the ClusterTriggerAuthentication, with
   * `authenticationKind`) holding the scaler's credentials. A scaler that reads a
   * cloud service (`aws-sqs-queue`, `aws-cloudwatch`, ...) needs one: KEDA's operator, not the worker's pods, calls
   * the service, so the worker's `identity` does not apply to it (give the TriggerAuthentication `podIdentity`
   * with the operator's own role, or the role to assume). Without credentials the scaler fails, and a worker with
   * `min: 0` then stays at zero replicas while its queue fills. The YAML does not show that, so synth prints a note for
   * an AWS scaler given neither `authenticationRef` nor `identityOwner: 'operator'` in its metadata.
   * @default - no authentication reference
   */
  readonly authenticationRef?: string;
  /**
   * The kind of object `authenticationRef` names: a TriggerAuthentication in the workload's namespace, or a
   * ClusterTriggerAuthentication shared by the cluster (KEDA then reads the credentials' Secrets in its own namespace).
   * Needs `authenticationRef`.
   * @default KedaAuthenticationKind.TRIGGER_AUTHENTICATION
   */
  readonly authenticationKind?: KedaAuthenticationKind;
  /**
   * A name for the trigger.
   * @default - unnamed
   */
  readonly name?: string;
}

/**
 * Options of KEDA autoscaling.
 */
export interface KedaScalingOptions {
  /** The scalers (at least one). */
  readonly triggers: KedaTrigger[];
  /**
   * Fewest replicas; 0 lets KEDA scale the worker to zero when the queue is empty (not with cpu and memory triggers
   * alone, which KEDA measures on running pods: refused, as KEDA's webhook refuses it). A minimum of 1 or more must, in
   * production on a cluster the app knows (`App({ cluster })`), be at least its number of zones; 0 is not held to that.
   * @default - from the environment profile (production 3, staging 2, development 1)
   */
  readonly min?: number;
  /**
   * Most replicas: a whole number (2.5, NaN or Infinity is refused as such), more than `min`.
   * @default - from the environment profile (production 10, staging 4, development 2), or `min` + 1 when that is more
   */
  readonly max?: number;
  /**
   * Seconds between checks of the triggers.
   * @default 30
   */
  readonly pollingIntervalSeconds?: number;
  /**
   * Seconds after the last active trigger before scaling to zero (only when `min` is 0).
   * @default 300
   */
  readonly cooldownPeriodSeconds?: number;
}

/**
 * How many replicas a Worker runs: fixed, autoscaled on CPU (the default), on an external metric, or by KEDA.
 */
export class WorkerScaling {
  /**
   * Exactly `replicas` replicas, no autoscaler.
   */
  public static fixed(replicas: number): WorkerScaling {
    return new WorkerScaling('fixed', { min: replicas, max: replicas });
  }

  /**
   * A HorizontalPodAutoscaler on CPU utilization.
   */
  public static cpu(options: CpuScalingOptions = {}): WorkerScaling {
    return new WorkerScaling('cpu', options);
  }

  /**
   * A HorizontalPodAutoscaler on an external metric (needs an external-metrics adapter in the cluster).
   */
  public static externalMetric(options: ExternalMetricScalingOptions): WorkerScaling {
    return new WorkerScaling('external', options);
  }

  /**
   * A KEDA `ScaledObject` (KEDA must be installed; it creates and owns the HorizontalPodAutoscaler).
   */
  public static keda(options: KedaScalingOptions): WorkerScaling {
    return new WorkerScaling('keda', options);
  }

  /** `fixed`, `cpu`, `external` or `keda`. */
  public readonly kind: string;
  /** @internal */
  public readonly _options: any;

  private constructor(kind: string, options: any) {
    this.kind = kind;
    this._options = options;
  }
}

/**
 * Properties of a Worker.
 */
export interface WorkerProps extends WorkloadProps {
  /**
   * Replica count and autoscaling.
   * @default - WorkerScaling.cpu() with the profile's range (production 3-10, staging 2-4); development runs 1 fixed replica
   */
  readonly scaling?: WorkerScaling;
  /**
   * Seconds the worker gets after SIGTERM to finish the message in hand before it is killed. Make it longer than
   * the slowest message takes to process.
   * @default 60
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * The port of the worker's health endpoints (probes only: no Service, and the NetworkPolicy admits no callers).
   * A worker whose probes are all commands (`Probe.exec`) declares no port unless this is set.
   * @default 8080, or no port when every probe is a `Probe.exec`
   */
  readonly healthPort?: number;
  /**
   * The health port's name.
   * @default "health"
   */
  readonly healthPortName?: string;
  /**
   * Readiness probe.
   * @default Probe.http('/readyz') on the health port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe; must differ from the readiness probe.
   * @default Probe.http('/livez') on the health port
   */
  readonly liveness?: Probe;
  /**
   * Startup probe for slow starters.
   * @default - no startup probe
   */
  readonly startup?: Probe;
  /**
   * Create a PodDisruptionBudget (maxUnavailable 1).
   * @default - true in production and staging, false in development
   */
  readonly disruptionBudget?: boolean;
  /**
   * Spread pods across zones (topology spread) and hosts (anti-affinity).
   * @default - true in production and staging, false in development
   */
  readonly spread?: boolean;
}

/**
 * A queue consumer: a Deployment with no Service and no inbound traffic at all (its NetworkPolicy admits nothing),
 * egress only to DNS and the destinations declared with `allowTo`. Autoscaled on CPU by default, or on an external
 * metric, or by a KEDA ScaledObject. Hardened pod, own ServiceAccount, PodDisruptionBudget, spread, and a
 * configurable grace period so the message in hand is finished on shutdown.
 *
 * @example
 * const worker = new k8s.Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:2.0.1' });
 * worker.allowTo(k8s.NetworkPeer.cidr('10.0.0.0/16', { ports: [5672] }));
 */
export class Worker extends Workload {
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /**
   * The PodDisruptionBudget.
   * @default - undefined when no PDB is created (development)
   */
  public readonly pdb?: ApiObject;
  /**
   * The HorizontalPodAutoscaler (CPU or external metric).
   * @default - undefined with fixed or KEDA scaling
   */
  public readonly hpa?: ApiObject;
  /**
   * The KEDA ScaledObject.
   * @default - undefined unless scaling is WorkerScaling.keda(...)
   */
  public readonly scaledObject?: ApiObject;
  /** The scaling kind in force: `fixed`, `cpu`, `external` or `keda`. */
  public readonly scalingKind: string;
  /** The fewest replicas (the fixed count when not autoscaled). */
  public readonly minReplicas: number;
  /** Whether the user set the replica count (else it is the profile's default). */
  private readonly minGiven: boolean;
  /** The most replicas (the fixed count when not autoscaled). */
  public readonly maxReplicas: number;
  /** The health port (declared by the container only when a probe uses it, or `healthPort` is set). */
  public readonly healthPort: number;
  /** Whether the container declares the health port: a probe uses it, or the user set it. */
  private readonly declaresHealthPort: boolean;
  /** The health port's name. */
  public readonly healthPortName: string;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props, 'worker');
    const defaults = Profiles.availability(this.profile);
    this.healthPort = checkPort(this, 'healthPort', props.healthPort ?? 8080);
    this.healthPortName = Names.portName(this, 'healthPortName', props.healthPortName ?? 'health');
    // a queue consumer probed by commands listens on nothing: a declared port no probe uses would only be a port
    // nothing may reach (rule SS-K8S-048)
    const probesUsePort = [props.readiness, props.liveness].some(p => p === undefined || p.kind !== 'exec') || (props.startup !== undefined && props.startup.kind !== 'exec');
    this.declaresHealthPort = props.healthPort !== undefined || probesUsePort;
    if (props.healthPort !== undefined && !probesUsePort) {
      warn(this, `healthPort (${props.healthPort}) declares a port no probe uses (every probe is a Probe.exec command), and a worker takes no calls: `
        + 'the port is one nothing may reach, which rule SS-K8S-048 reports (no NetworkPolicy with ingress rules covers the pods); '
        + 'leave healthPort out, or probe that port (Probe.http, Probe.tcp)');
    }
    const grace = checkWhole(this, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 60, 1, 'use the longest time one message takes, for example 60');

    const given: any = props.scaling;
    if (given !== undefined && (given === null || typeof given !== 'object' || typeof given.kind !== 'string')) {
      fail(this, 'scaling', given, 'must be a WorkerScaling', typeof given === 'number'
        ? `use WorkerScaling.fixed(${given}) for a fixed count, or WorkerScaling.cpu({ min, max })` : 'use WorkerScaling.fixed(n), WorkerScaling.cpu({ min, max }) or WorkerScaling.keda(...)');
    }
    const scaling = props.scaling ?? (defaults.autoscale ? WorkerScaling.cpu() : WorkerScaling.fixed(defaults.minReplicas));
    this.scalingKind = scaling.kind;
    const o = scaling._options;
    this.minGiven = props.scaling !== undefined && (scaling.kind === 'fixed' || o.min !== undefined);
    const development = this.profile === EnvironmentProfile.DEVELOPMENT;
    if (scaling.kind === 'fixed') {
      this.minReplicas = this.maxReplicas = checkWhole(this, 'scaling', o.min, 1,
        development ? 'use WorkerScaling.fixed(1) (the development profile\'s default) or more' : 'use WorkerScaling.fixed(2) or more (outside development, fewer than 2 is a policy warning)');
    } else {
      const keda = scaling.kind === 'keda';
      this.minReplicas = o.min ?? defaults.minReplicas;
      this.maxReplicas = o.max ?? Math.max(defaults.maxReplicas, this.minReplicas + 1);
      checkWhole(this, 'scaling.min', this.minReplicas, keda ? 0 : 1, keda ? 'use 0 (scale to zero) or more'
        : development ? 'use 1 (the development profile\'s default) or more' : 'use 2 or more so one pod can fail (rule SS-K8S-045)');
      // a max that is no count (2.5, NaN, Infinity, -1) is refused as such, before it is compared with min
      const max = this.maxReplicas;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
        const whole = [Math.floor(max), Math.ceil(max)].filter(n => Number.isFinite(n) && n > this.minReplicas);
        fail(this, 'scaling.max', max, 'must be a whole number of at least 1',
          whole.length ? `use ${whole.join(' or ')}` : `use a count above scaling.min (${this.minReplicas}), for example ${Math.max(defaults.maxReplicas, this.minReplicas + 1)}`);
      }
      if (this.maxReplicas <= this.minReplicas) {
        const min = o.min === undefined ? `${this.minReplicas}, the ${this.profile} profile's default` : `${this.minReplicas}`;
        fail(this, 'scaling.max', this.maxReplicas, `must be a whole number more than scaling.min (${min}) for the autoscaler to have room`,
          'raise max, or use WorkerScaling.fixed(n) for a fixed count');
      }
    }

    const probes = () => renderProbes(this, props, this.healthPort, this.healthPortName, this.containerPorts);
    probes();
    const spread = props.spread ?? defaults.spread;
    const podTemplate = () => this._renderPodTemplate({ terminationGracePeriodSeconds: grace, spread });
    podTemplate();

    const autoscaled = scaling.kind !== 'fixed';
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this._metadata({
        annotations: {
          // The autoscaler owns the count, so `replicas` is omitted (SS-K8S-038); Polaris, which wants `replicas` even on an
          // autoscaler's target, is told why with its exemption annotation (SS-K8S-037 skips autoscaled workloads itself).
          ...(autoscaled ? { 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' } : {}),
          // The development profile's choices (one replica, no PDB, no spread) are told to the availability rules.
          ...(this.profile === EnvironmentProfile.DEVELOPMENT ? { 'shipshape.io/profile': 'development' } : {}),
        },
      }),
      spec: Lazy.any({
        produce: () => ({
          replicas: autoscaled ? undefined : this.minReplicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: { ...this.selectorLabels } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: podTemplate(),
        } satisfies appsv1.DeploymentSpec),
      }),
    } satisfies appsv1.Deployment);

    if (props.disruptionBudget ?? defaults.disruptionBudget) {
      this.pdb = this._createDisruptionBudget();
    }

    const target: autoscalingv2.CrossVersionObjectReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name };
    if (scaling.kind === 'cpu') {
      const util = this._checkCpuTarget('scaling.targetCpuUtilization', o.targetCpuUtilization ?? 70);
      this.hpa = this.renderHpa(target, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: util } } }]);
    } else if (scaling.kind === 'external') {
      if (typeof o.metricName !== 'string' || !/^[A-Za-z_:][A-Za-z0-9_:.\-]*$/.test(o.metricName)) {
        fail(this, 'scaling.metricName', o.metricName, 'is not a metric name', 'use the name the metrics adapter serves, for example "sqs_messages_visible"');
      }
      const value = o.targetAverageValue;
      if (typeof value !== 'string' || !/^(\d+(\.\d+)?|\.\d+)(m|k|M|G|Ki|Mi|Gi)?$/.test(value) || Number.parseFloat(value) <= 0) {
        fail(this, 'scaling.targetAverageValue', value, 'is not a positive quantity', 'give the per-replica target, for example "30" messages');
      }
      for (const [k, v] of Object.entries(o.metricSelector ?? {})) Names.labelValue(this, `scaling.metricSelector.${k}`, v as string);
      const metric: autoscalingv2.MetricIdentifier = { name: o.metricName };
      if (o.metricSelector && Object.keys(o.metricSelector).length) metric.selector = { matchLabels: { ...o.metricSelector } };
      this.hpa = this.renderHpa(target, [{ type: 'External', external: { metric, target: { type: 'AverageValue', averageValue: value } } }]);
    } else if (scaling.kind === 'keda') {
      this.scaledObject = this.renderKeda(o as KedaScalingOptions);
    }

    if (this.profile === EnvironmentProfile.DEVELOPMENT) {
      this.node.addMetadata('shipshape:info', `development profile: ${this.minReplicas} replica(s): not for production load`);
    }
  }

  /** The health port when the container declares it (for probes; no caller may connect), else none. */
  public get containerPorts(): number[] {
    return this.declaresHealthPort ? [this.healthPort] : [];
  }

  /** @internal */
  protected _mainPorts(): ContainerPort[] {
    return this.declaresHealthPort ? [{ name: this.healthPortName, port: this.healthPort }] : [];
  }

  /** @internal */
  protected _mainContainerExtras(): any {
    return renderProbes(this, this._props as WorkerProps, this.healthPort, this.healthPortName, this.containerPorts);
  }

  /** @internal */
  protected _minReplicaProp(): string {
    return this.scalingKind === 'fixed' ? 'scaling' : 'scaling.min';
  }

  /** @internal */
  protected _raiseMinReplicas(n: number): string {
    return this.scalingKind === 'fixed' ? `use WorkerScaling.fixed(${n}) or more` : `raise scaling.min to ${n} or more`;
  }

  /** @internal */
  protected _minReplicaGiven(): boolean {
    return this.minGiven;
  }

  /** @internal */
  protected _ingressRefusal(): string | undefined {
    return 'is a Worker, which accepts no inbound connections (it pulls work from a queue; its NetworkPolicy admits nothing)';
  }

  private renderHpa(target: autoscalingv2.CrossVersionObjectReference, metrics: autoscalingv2.MetricSpec[]): ApiObject {
    return new ApiObject(this, 'HorizontalPodAutoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this._metadata({ annotations: this.profile === EnvironmentProfile.DEVELOPMENT ? { 'shipshape.io/profile': 'development' } : undefined }),
      spec: { scaleTargetRef: target, minReplicas: this.minReplicas, maxReplicas: this.maxReplicas, metrics },
    } satisfies autoscalingv2.HorizontalPodAutoscaler);
  }

  private renderKeda(o: KedaScalingOptions): ApiObject {
    if (!Array.isArray(o.triggers) || o.triggers.length === 0) {
      fail(this, 'scaling.triggers', o.triggers, 'must name at least one KEDA scaler', "pass for example { type: 'aws-sqs-queue', metadata: { queueURL: '...', queueLength: '30', awsRegion: 'eu-west-1' } }");
    }
    const triggers = o.triggers.map((t, i) => {
      if (typeof t.type !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(t.type)) {
        fail(this, `scaling.triggers[${i}].type`, t.type, 'is not a KEDA scaler type', "use the scaler's type, for example 'aws-sqs-queue', 'rabbitmq' or 'kafka'");
      }
      const slip = kedaScalerSlip(t.type);
      if (slip.length > 0) {
        fail(this, `scaling.triggers[${i}].type`, t.type, 'is not a KEDA scaler type: KEDA\'s operator would fail the ScaledObject ("no scaler found for type") and never scale the worker', `did you mean ${slip.map(k => `'${k}'`).join(' or ')}?`);
      }
      if (!t.metadata || typeof t.metadata !== 'object' || Object.keys(t.metadata).length === 0) {
        fail(this, `scaling.triggers[${i}].metadata`, t.metadata, 'must hold the scaler settings', "see the scaler's KEDA documentation, for example { queueLength: '30' }");
      }
      for (const [k, v] of Object.entries(t.metadata)) {
        if (typeof v !== 'string') fail(this, `scaling.triggers[${i}].metadata.${k}`, v, 'must be a string (KEDA reads every setting as text)', `write it as ${JSON.stringify(String(v))}`);
        const meant = kedaSettingSlip(t.type, k);
        if (meant !== undefined) {
          fail(this, `scaling.triggers[${i}].metadata.${k}`, v, `is not a setting of KEDA's ${t.type} scaler, which would ignore it (or fail without the setting meant)`, `did you mean ${meant}?`);
        }
        // `<setting>FromEnv` names an environment variable of the worker's container: not the secret itself
        const secret = /FromEnv$/.test(k) ? undefined : Validators.plaintextSecret(k, v);
        if (secret) {
          fail(this, `scaling.triggers[${i}].metadata.${k}`, '<redacted>', `looks like a plaintext secret (${secret}), which would be readable in the ScaledObject by anyone who can read the namespace's objects`,
            `store it in a Secret and reference it with a KEDA TriggerAuthentication (authenticationRef), or use the scaler's ${k}FromEnv setting if it has one`);
        }
      }
      for (const b of kedaSettingProblems(t.type, t.metadata)) {
        fail(this, `scaling.triggers[${i}].metadata.${b.setting}`, b.value, `${b.problem}; KEDA's operator would fail the ScaledObject and never scale the worker`, b.fix);
      }
      const r: KedaTriggerManifest = { type: t.type, metadata: { ...t.metadata } };
      // a cpu utilization target is a percentage of the CPU request, which the CPU limit caps, as for an HPA's target
      if (t.type === 'cpu' && t.metadata.type === 'Utilization' && /^\d+$/.test(t.metadata.value ?? '')) {
        this._checkCpuTarget(`scaling.triggers[${i}].metadata.value`, Number(t.metadata.value));
      }
      if (t.name !== undefined) r.name = Names.dnsLabel(this, `scaling.triggers[${i}].name`, t.name, 63);
      const kinds = Object.values(KedaAuthenticationKind) as string[];
      if (t.authenticationKind !== undefined && !kinds.includes(t.authenticationKind)) {
        fail(this, `scaling.triggers[${i}].authenticationKind`, t.authenticationKind, 'is not a kind of KEDA authentication object', `use KedaAuthenticationKind (${kinds.join(' or ')})`);
      }
      if (t.authenticationKind !== undefined && t.authenticationRef === undefined) {
        fail(this, `scaling.triggers[${i}].authenticationKind`, t.authenticationKind, 'is set without authenticationRef, so the trigger names no authentication object', `name the ${t.authenticationKind} in authenticationRef, or leave authenticationKind out`);
      }
      if (t.authenticationRef !== undefined) {
        r.authenticationRef = { name: Names.dnsSubdomain(this, `scaling.triggers[${i}].authenticationRef`, t.authenticationRef) };
        // KEDA reads a reference without a kind as a TriggerAuthentication
        if (t.authenticationKind === KedaAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION) r.authenticationRef.kind = t.authenticationKind;
      } else if (awsScaler(t.type) && t.metadata.identityOwner !== 'operator') {
        this.node.addMetadata('shipshape:info', `scaling.triggers[${i}] (${t.type}) has no authenticationRef: KEDA's operator, not the worker's pods, calls AWS for `
          + 'the scaler, so the worker\'s identity does not apply; without credentials the scaler fails and the worker stays at its minimum while its queue fills. '
          + 'Give it a TriggerAuthentication (podIdentity with provider aws and the role KEDA may assume) as authenticationRef, '
          + 'or set metadata identityOwner: \'operator\' when the KEDA operator\'s own role may read the queue');
      }
      return r;
    });
    // KEDA's admission webhook refuses a ScaledObject that may scale to zero on cpu and memory only (those metrics come
    // from running pods: at zero there is nothing to measure, so nothing would scale it up again)
    if (this.minReplicas === 0 && triggers.every(t => t.type === 'cpu' || t.type === 'memory')) {
      fail(this, 'scaling.min', 0, `scales to zero, but every trigger is a ${[...new Set(triggers.map(t => t.type))].join(' or ')} trigger, which KEDA measures on running pods: `
        + 'its admission webhook refuses such a ScaledObject (nothing would scale the worker up from zero), and the worker would run without an autoscaler',
      'use min 1 or more, or add an event trigger (a queue, a stream, cron, prometheus) that can wake the worker from zero');
    }
    const polling = checkWhole(this, 'scaling.pollingIntervalSeconds', o.pollingIntervalSeconds ?? 30, 1, 'use for example 30');
    const cooldown = checkWhole(this, 'scaling.cooldownPeriodSeconds', o.cooldownPeriodSeconds ?? 300, 0, 'use for example 300');
    return new ApiObject(this, 'ScaledObject', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: this._metadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicaCount: this.minReplicas,
        maxReplicaCount: this.maxReplicas,
        pollingInterval: polling,
        cooldownPeriod: cooldown,
        triggers,
      },
    } satisfies KedaScaledObject);
  }
}
