import { IConstruct } from 'constructs';
import type * as corev1 from 'kubernetes-types/core/v1';
import { NodePoolProfile, TaintProfile } from '../../core/cluster-profile';
import { fail } from '../../core/errors';
import { KarpenterNodePoolProfile } from '../../core/karpenter-profile';

/**
 * Refuses a pool profile without labels: the node selector (or affinity term) on them would be empty, which selects
 * every node (a nodeSelector {}) or none (an empty node selector term): the pods would not run where the placement says.
 */
function checkPoolLabels(name: string, labels: { [key: string]: string }, example: string): void {
  if (labels === null || typeof labels !== 'object' || Object.keys(labels).length > 0) return;
  fail('Placement', `pool ${name}: labels`, labels, 'is empty, so no node selector can name the pool\'s nodes: the pods would run on any node (of any architecture), '
    + 'or, beside other pools, on none of this pool\'s', `give the pool's profile the labels its nodes carry, for example ${example}`);
}

/** A node pool as placement sees it: the labels to select it, the taints to tolerate, its architectures. */
interface PoolTarget {
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly taints: TaintProfile[];
  readonly architectures: string[];
}

const PLACEMENT = Symbol.for('shipshape.k8s.Placement');
const ARCH_LABEL = 'kubernetes.io/arch';

/**
 * Where a workload's pods run. Say it by referring to a node pool (the profile `aws.NodePool.profile` or
 * `aws.EksCluster.profile.nodePools` gives), never by typing labels: the placement derives the node selector
 * (or required node affinity, for several pools) and exactly the tolerations the pools' taints need.
 *
 * A workload with no placement runs on the nodes without taints (every cluster needs such a pool for ordinary
 * pods; `k8s.App` with a `cluster` refuses a pod that no pool of the cluster can take). Node agents default to
 * `Placement.everyNode()`.
 */
export class Placement {
  /**
   * The nodes without a NoSchedule or NoExecute taint (the default): no selector, no toleration.
   */
  public static untaintedNodes(): Placement {
    return new Placement('untainted', []);
  }

  /**
   * Every node of the cluster, whatever its taints (a toleration with operator `Exists`). The default of node
   * agents.
   */
  public static everyNode(): Placement {
    return new Placement('every', []);
  }

  /**
   * The nodes of one pool: a node selector on the pool's labels and a toleration for each of its taints.
   */
  public static onPool(pool: NodePoolProfile): Placement {
    return new Placement('pools', [Placement.fromNodePool(pool)]);
  }

  /**
   * The nodes of any of several pools: required node affinity with one term per pool, and the tolerations all of
   * the pools' taints need.
   */
  public static onPools(pools: NodePoolProfile[]): Placement {
    if (!Array.isArray(pools) || pools.length === 0) {
      fail('Placement', 'pools', pools, 'must name at least one node pool', 'pass the pools, or use Placement.untaintedNodes()');
    }
    return new Placement('pools', pools.map(p => Placement.fromNodePool(p)));
  }

  /**
   * The nodes of a Karpenter NodePool (or an EKS Auto Mode pool described the same way).
   */
  public static onKarpenterPool(pool: KarpenterNodePoolProfile): Placement {
    if (!pool || typeof pool.name !== 'string' || typeof pool.labels !== 'object' || !Array.isArray(pool.taints) || !Array.isArray(pool.architectures)) {
      fail('Placement', 'pool', pool && typeof pool === 'object' && typeof (pool as any).name === 'string' ? (pool as any).name : pool,
        'must be a Karpenter node pool profile (aws.KarpenterNodePool.profile, an entry of a cluster profile\'s karpenter.nodePools or autoModeNodePools)',
        'pass a managed node group\'s profile to Placement.onPool instead, or the Karpenter pool itself');
    }
    checkPoolLabels(pool.name, pool.labels, `{ 'karpenter.sh/nodepool': '${pool.name}' } (Karpenter puts it on the nodes it launches for the pool)`);
    return new Placement('pools', [{
      name: pool.name,
      labels: { ...pool.labels },
      taints: [...pool.taints],
      architectures: [...pool.architectures],
    }]);
  }

  /** True when `x` is a Placement, also one made by another copy of the shipshape library. */
  public static isPlacement(x: any): boolean {
    return x !== null && typeof x === 'object' && x[PLACEMENT] === true;
  }

  private static fromNodePool(pool: NodePoolProfile): PoolTarget {
    if (!pool || typeof pool.name !== 'string' || typeof pool.labels !== 'object') {
      fail('Placement', 'pool', pool, 'must be a node pool profile (aws.NodePool.profile or an entry of aws.EksCluster.profile.nodePools)', 'pass the pool, not its name');
    }
    checkPoolLabels(pool.name, pool.labels, `{ 'eks.amazonaws.com/nodegroup': '${pool.name}' } (EKS puts it on the nodes of a managed node group)`);
    return { name: pool.name, labels: { ...pool.labels }, taints: [...(pool.taints ?? [])], architectures: pool.architecture ? [pool.architecture] : [] };
  }

  /** `untainted`, `every` or `pools`. */
  private readonly mode: string;
  private readonly pools: PoolTarget[];

  private constructor(mode: string, pools: PoolTarget[]) {
    Object.defineProperty(this, PLACEMENT, { value: true });
    this.mode = mode;
    this.pools = pools;
  }

  /** The names of the pools this placement targets (empty for untainted or every node). */
  public get poolNames(): string[] {
    return this.pools.map(p => p.name);
  }

  /**
   * The pod spec fields of this placement (`nodeSelector`, `affinity.nodeAffinity`, `tolerations`).
   * @param scope the workload (named in errors)
   * @param imageArchitectures the CPU architectures the image supports, when known
   * @internal
   */
  public _render(scope: IConstruct, imageArchitectures?: string[]): { nodeSelector?: { [key: string]: string }; nodeAffinity?: any; tolerations?: any[] } {
    const archs = imageArchitectures && imageArchitectures.length ? imageArchitectures : undefined;
    if (this.mode === 'every') {
      return { tolerations: [{ operator: 'Exists' } satisfies corev1.Toleration], ...(archs?.length === 1 ? { nodeSelector: { [ARCH_LABEL]: archs[0] } } : {}) };
    }
    if (this.mode === 'untainted') {
      return archs?.length === 1 ? { nodeSelector: { [ARCH_LABEL]: archs[0] } } : {};
    }
    // pools: keep those whose architecture the image supports
    const usable = archs ? this.pools.filter(p => p.architectures.length === 0 || p.architectures.some(a => archs.includes(a))) : this.pools;
    if (usable.length === 0) {
      const list = this.pools.map(p => `${p.name} (${p.architectures.join('/') || 'any'})`).join(', ');
      fail(scope, 'placement', list, `targets only nodes whose CPU architecture the image does not support (imageArchitectures: ${archs!.join(', ')}); its pods would fail with "exec format error"`,
        'place the workload on a pool of a supported architecture, or build the image for the pool\'s architecture (a multi-arch image) and list it in imageArchitectures');
    }
    const tolerations: corev1.Toleration[] = [];
    const seen = new Set<string>();
    for (const p of usable) {
      for (const t of p.taints) {
        const key = `${t.key}\u0000${t.value ?? ''}\u0000${t.effect}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tolerations.push(t.value !== undefined && t.value !== ''
          ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect }
          : { key: t.key, operator: 'Exists', effect: t.effect });
      }
    }
    const archFor = (p: PoolTarget): { [key: string]: string } => (archs && p.architectures.length !== 1 && archs.length === 1 ? { [ARCH_LABEL]: archs[0] } : {});
    if (usable.length === 1) {
      return {
        nodeSelector: { ...usable[0].labels, ...archFor(usable[0]) },
        ...(tolerations.length ? { tolerations } : {}),
      };
    }
    const terms = usable.map(p => ({
      matchExpressions: Object.entries({ ...p.labels, ...archFor(p) }).map(([key, value]) => ({ key, operator: 'In', values: [value] } satisfies corev1.NodeSelectorRequirement)),
    } satisfies corev1.NodeSelectorTerm));
    return {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } satisfies corev1.NodeAffinity,
      ...(tolerations.length ? { tolerations } : {}),
    };
  }
}
