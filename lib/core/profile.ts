/**
 * The kind of environment a workload runs in. It sets availability defaults
 * (replicas, autoscaling, disruption budgets, spreading); each can still be overridden.
 */
export enum EnvironmentProfile {
  /**
   * Production: autoscaled from 3 to 10 replicas, a PodDisruptionBudget, spread across zones and hosts.
   */
  PRODUCTION = 'production',
  /**
   * Staging: production's shape at a smaller size: autoscaled from 2 to 4 replicas, a PodDisruptionBudget, spread.
   */
  STAGING = 'staging',
  /**
   * Development: one replica, no autoscaler, no PodDisruptionBudget (with one pod there is nothing to keep available during an eviction: a budget would protect nothing, or block node drains with minAvailable 1).
   */
  DEVELOPMENT = 'development',
}

/**
 * The availability defaults an environment profile implies.
 */
export interface AvailabilityDefaults {
  /** Minimum replicas (the fixed count when not autoscaled). */
  readonly minReplicas: number;
  /** Maximum replicas when autoscaled. */
  readonly maxReplicas: number;
  /** Whether an autoscaler is created by default. */
  readonly autoscale: boolean;
  /** Whether a PodDisruptionBudget is created by default. */
  readonly disruptionBudget: boolean;
  /** Whether pods are spread across zones and hosts by default. */
  readonly spread: boolean;
}

/**
 * Looks up what an environment profile implies.
 */
export class Profiles {
  /**
   * The availability defaults of `profile`.
   */
  public static availability(profile: EnvironmentProfile): AvailabilityDefaults {
    switch (profile) {
      case EnvironmentProfile.DEVELOPMENT:
        return { minReplicas: 1, maxReplicas: 1, autoscale: false, disruptionBudget: false, spread: false };
      case EnvironmentProfile.STAGING:
        return { minReplicas: 2, maxReplicas: 4, autoscale: true, disruptionBudget: true, spread: true };
      case EnvironmentProfile.PRODUCTION:
      default:
        return { minReplicas: 3, maxReplicas: 10, autoscale: true, disruptionBudget: true, spread: true };
    }
  }

  private constructor() {}
}
