import { Construct } from 'constructs';
import { Ec2NodeClass } from './ec2-node-class';
import { NodePool } from './node-pool';
import { fail } from '../../core/errors';
import { KarpenterProfile } from '../../core/karpenter-profile';

/**
 * Properties of `KarpenterResources`.
 */
export interface KarpenterResourcesProps {
  /** Karpenter as the AWS side describes it (`aws.Karpenter.profile`, or `ClusterProfile.karpenter`). */
  readonly profile: KarpenterProfile;
}

/**
 * The Kubernetes objects of Karpenter on one cluster: its EC2NodeClass and every NodePool the profile
 * lists. The controller itself is a Helm release (`profile.controller`: chart, exact version, values,
 * ServiceAccount and identity) for a GitOps tool to install; install it (and its CRDs) before these objects.
 */
export class KarpenterResources extends Construct {
  /** The EC2NodeClass. */
  public readonly nodeClass: Ec2NodeClass;
  /** The NodePools, in profile order. */
  public readonly nodePools: NodePool[];

  constructor(scope: Construct, id: string, props: KarpenterResourcesProps) {
    super(scope, id);
    const profile = props.profile;
    if (!profile) fail(this, 'profile', profile, 'is required', 'pass aws.Karpenter.profile');
    for (const p of profile.nodePools) {
      if (p.nodeClassGroup === 'karpenter.k8s.aws' && p.nodeClassName !== profile.nodeClass.name) {
        fail(this, 'profile.nodePools', p.name, `refers to EC2NodeClass ${p.nodeClassName}, which the profile does not describe (${profile.nodeClass.name})`,
          'take the profile from aws.Karpenter.profile unchanged');
      }
    }
    this.nodeClass = new Ec2NodeClass(this, 'node-class', { nodeClass: profile.nodeClass });
    this.nodePools = profile.nodePools.map((p) => new NodePool(this, p.name, { pool: p }));
  }
}
