import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { ClusterScopedApiObject } from './cluster-scoped';
import { fail } from '../../core/errors';
import { KarpenterNodePoolProfile } from '../../core/karpenter-profile';
import { poolRequirements } from '../../core/karpenter-requirements';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';

/** A Karpenter NodePool (karpenter.sh/v1; a custom resource), the fields shipshape writes, after the CRD schema. */
interface KarpenterNodePool {
  apiVersion: 'karpenter.sh/v1';
  kind: 'NodePool';
  metadata?: metav1.ObjectMeta;
  spec: {
    template: {
      metadata?: { labels?: { [key: string]: string }; annotations?: { [key: string]: string } };
      spec: {
        nodeClassRef: { group: string; kind: string; name: string };
        requirements: corev1.NodeSelectorRequirement[];
        taints?: corev1.Taint[];
        expireAfter?: string;
        terminationGracePeriod?: string;
      };
    };
    limits?: { [resource: string]: string };
    disruption?: {
      consolidationPolicy?: string;
      consolidateAfter: string;
      budgets?: Array<{ nodes: string; reasons?: string[]; schedule?: string; duration?: string }>;
    };
    weight?: number;
  };
}

/**
 * Properties of a Karpenter `NodePool`.
 */
export interface NodePoolProps {
  /** The pool, as the AWS side describes it (an entry of `aws.Karpenter.profile.nodePools` or `ClusterProfile.autoModeNodePools`). */
  readonly pool: KarpenterNodePoolProfile;
}

/**
 * A Karpenter `NodePool` (karpenter.sh/v1), for Karpenter's EC2NodeClass or EKS Auto Mode's NodeClass: requirements (capacity types, architectures, instance
 * categories and generation or exact types, zones, Linux), node labels and taints, limits (the pool's
 * cost ceiling), node lifetime and the disruption policy with its budgets.
 */
export class NodePool extends Construct {
  /** The NodePool name. */
  public readonly name: string;
  /** The NodePool object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const p = props.pool;
    if (!p) fail(this, 'pool', p, 'is required', 'pass an entry of aws.Karpenter.profile.nodePools');
    this.name = Names.dnsSubdomain(this, 'pool.name', p.name);
    if (!(p.cpuLimit >= 1)) fail(this, 'pool.cpuLimit', p.cpuLimit, 'must be >= 1 (a pool without limits scales without bound)', 'set maxCpu on the AWS side');
    const gen = p.minInstanceGeneration;
    if (gen !== undefined && (!Number.isInteger(gen) || gen < 1 || gen > 20)) {
      // a profile written by hand: the AWS side refuses the same
      fail(this, 'pool.minInstanceGeneration', gen, 'must be a whole number from 1 to 20 (the oldest instance generation the pool launches)', 'use 6 (sixth generation and newer)');
    }
    if (!p.disruptionBudgets || p.disruptionBudgets.length === 0) {
      fail(this, 'pool.disruptionBudgets', p.disruptionBudgets, 'must list at least one budget', "use [{ nodes: '10%' }]");
    }
    const requirements: corev1.NodeSelectorRequirement[] = poolRequirements(p);
    const taints = p.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } satisfies Partial<corev1.Taint> : {}), effect: t.effect } satisfies corev1.Taint));
    // cluster-scoped: no metadata.namespace, whatever the chart's namespace
    this.apiObject = new ClusterScopedApiObject(this, 'resource', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: {
        name: this.name,
        labels: RecommendedLabels.of({ name: 'karpenter', instance: this.name, component: 'node-pool' }),
      },
      spec: {
        template: {
          metadata: { labels: { ...p.labels } },
          spec: {
            nodeClassRef: { group: p.nodeClassGroup, kind: p.nodeClassKind, name: p.nodeClassName },
            requirements,
            ...(taints.length > 0 ? { taints } satisfies Partial<KarpenterNodePool['spec']['template']['spec']> : {}),
            expireAfter: p.expireAfter,
            ...(p.terminationGracePeriod !== undefined ? { terminationGracePeriod: p.terminationGracePeriod } satisfies Partial<KarpenterNodePool['spec']['template']['spec']> : {}),
          },
        },
        limits: { cpu: String(p.cpuLimit), memory: `${p.memoryLimitGiB}Gi` },
        disruption: {
          consolidationPolicy: p.consolidationPolicy,
          consolidateAfter: p.consolidateAfter,
          budgets: p.disruptionBudgets.map((b) => ({
            nodes: b.nodes,
            ...(b.reasons ? { reasons: [...b.reasons] } : {}),
            ...(b.schedule !== undefined ? { schedule: b.schedule, duration: b.duration } : {}),
          } satisfies NonNullable<NonNullable<KarpenterNodePool['spec']['disruption']>['budgets']>[number])),
        },
        ...(p.weight !== undefined ? { weight: p.weight } satisfies Partial<KarpenterNodePool['spec']> : {}),
      },
    } satisfies KarpenterNodePool);
  }
}
