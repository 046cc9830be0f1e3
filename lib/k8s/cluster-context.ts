import { IConstruct } from 'constructs';
import { ClusterProfile } from '../core/cluster-profile';

const CLUSTER = Symbol.for('shipshape.k8s.ClusterProfile');

/**
 * The cluster an app (or a chart) is synthesized for, as a plain `ClusterProfile` (from `aws.EksCluster.profile`,
 * or written by hand for a cluster shipshape did not create).
 *
 * `k8s.App({ cluster })` sets it for the whole app. Constructs read it with `ClusterContext.of(this)`: workloads
 * default their storage class to the cluster's default class, the app checks that every pod can be scheduled on
 * some node pool and that every class an object names exists.
 */
export class ClusterContext {
  /**
   * Sets the cluster of `scope` (an app or a chart) and of everything inside it. Set it before adding
   * constructs: they read it when they are created.
   */
  public static set(scope: IConstruct, cluster: ClusterProfile): void {
    Object.defineProperty(scope, CLUSTER, { value: cluster, configurable: true, enumerable: false });
  }

  /**
   * The cluster in force for `scope`: the nearest one set on it or its parents.
   * @returns the profile, or undefined when no cluster is known
   */
  public static of(scope: IConstruct): ClusterProfile | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const c = (scopes[i] as any)[CLUSTER];
      if (c) return c;
    }
    return undefined;
  }

  private constructor() {}
}
