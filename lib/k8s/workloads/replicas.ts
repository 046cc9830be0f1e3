/**
 * Autoscaling bounds and target.
 */
export interface AutoscaleOptions {
  /**
   * Fewest replicas: a whole number of at least 1. Outside development, fewer than 2 synthesizes with a policy warning
   * (rule SS-K8S-045 in docs/rules.md: a single replica is an outage whenever its pod is evicted).
   * @default - from the environment profile (production 3, staging 2, development 1)
   */
  readonly min?: number;
  /**
   * Most replicas: a whole number (2.5, NaN or Infinity is refused as such), more than `min`.
   * @default - from the environment profile (production 10, staging 4, development 2), or `min` + 1 when that is more
   */
  readonly max?: number;
  /**
   * Target average CPU utilization, in percent of the CPU request. It may exceed 100 as far as the CPU limit lets the
   * pods go past their request (limit 1 over request 250m: up to 400); a target they can never reach is refused.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

/**
 * How many replicas a workload runs: a fixed count or an autoscaled range.
 */
export class Replicas {
  /**
   * Exactly `count` replicas, no autoscaler.
   */
  public static fixed(count: number): Replicas {
    return new Replicas(false, count, count, undefined);
  }

  /**
   * A HorizontalPodAutoscaler between `min` and `max` on CPU utilization.
   * The Deployment then has no `replicas` field (the autoscaler owns it).
   */
  public static autoscale(options?: AutoscaleOptions): Replicas {
    return new Replicas(true, options?.min, options?.max, options?.targetCpuUtilization);
  }

  /** Whether an autoscaler manages the count. */
  public readonly autoscaled: boolean;
  /** The fixed count, or the autoscaler's minimum. */
  public readonly min?: number;
  /** The fixed count, or the autoscaler's maximum. */
  public readonly max?: number;
  /** The CPU utilization target, in percent, when autoscaled. */
  public readonly targetCpuUtilization?: number;

  private constructor(autoscaled: boolean, min: number | undefined, max: number | undefined, target: number | undefined) {
    this.autoscaled = autoscaled;
    this.min = min;
    this.max = max;
    this.targetCpuUtilization = target;
  }
}
