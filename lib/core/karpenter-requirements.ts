// Internal: the requirements of a Karpenter NodePool, shared by the AWS side (which checks a pool's labels against
// them) and the Kubernetes side (which writes them). Not re-exported by the barrel.

/** One requirement of a NodePool (a node selector requirement). */
export interface PoolRequirement {
  readonly key: string;
  readonly operator: 'In' | 'Gt';
  readonly values: string[];
}

/** What the requirements are made of (fields of `KarpenterNodePoolProfile`). */
export interface PoolRequirementInputs {
  readonly nodeClassGroup: string;
  readonly capacityTypes: string[];
  readonly architectures: string[];
  readonly instanceTypes?: string[];
  readonly instanceCategories?: string[];
  readonly minInstanceGeneration?: number;
  readonly zones: string[];
}

/**
 * The requirements of a NodePool: capacity type, architecture, Linux, then exact instance types or category and
 * generation (EKS Auto Mode publishes the instance labels under its own prefix), then zones.
 */
export function poolRequirements(p: PoolRequirementInputs): PoolRequirement[] {
  const requirements: PoolRequirement[] = [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...p.capacityTypes] },
    { key: 'kubernetes.io/arch', operator: 'In', values: [...p.architectures] },
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
  ];
  if (p.instanceTypes && p.instanceTypes.length > 0) {
    requirements.push({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...p.instanceTypes] });
  } else {
    const prefix = p.nodeClassGroup === 'eks.amazonaws.com' ? 'eks.amazonaws.com' : 'karpenter.k8s.aws';
    if (p.instanceCategories && p.instanceCategories.length > 0) {
      requirements.push({ key: `${prefix}/instance-category`, operator: 'In', values: [...p.instanceCategories] });
    }
    if (p.minInstanceGeneration !== undefined) {
      // this generation and newer: Kubernetes node selectors have Gt, not Gte
      requirements.push({ key: `${prefix}/instance-generation`, operator: 'Gt', values: [String(p.minInstanceGeneration - 1)] });
    }
  }
  requirements.push({ key: 'topology.kubernetes.io/zone', operator: 'In', values: [...p.zones] });
  return requirements;
}
