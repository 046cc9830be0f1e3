import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type * as metav1 from 'kubernetes-types/meta/v1';
import { ClusterScopedApiObject } from './cluster-scoped';
import { fail } from '../../core/errors';
import { KarpenterNodeClassProfile } from '../../core/karpenter-profile';
import { RecommendedLabels } from '../../core/labels';
import { Names } from '../../core/names';

/** An EBS volume of an EC2NodeClass block device mapping. */
interface Ec2NodeClassEbs {
  volumeSize?: string;
  volumeType?: string;
  encrypted?: boolean;
  kmsKeyID?: string;
  deleteOnTermination?: boolean;
}

/** A Karpenter EC2NodeClass (karpenter.k8s.aws/v1; a custom resource), the fields shipshape writes, after the CRD schema. */
interface KarpenterEc2NodeClass {
  apiVersion: 'karpenter.k8s.aws/v1';
  kind: 'EC2NodeClass';
  metadata?: metav1.ObjectMeta;
  spec: {
    role?: string;
    instanceProfile?: string;
    amiSelectorTerms: Array<{ alias?: string }>;
    subnetSelectorTerms: Array<{ tags?: { [key: string]: string } }>;
    securityGroupSelectorTerms: Array<{ tags?: { [key: string]: string } }>;
    metadataOptions?: { httpEndpoint?: string; httpProtocolIPv6?: string; httpPutResponseHopLimit?: number; httpTokens?: string };
    blockDeviceMappings?: Array<{ deviceName?: string; ebs?: Ec2NodeClassEbs }>;
    detailedMonitoring?: boolean;
    tags?: { [key: string]: string };
  };
}

/**
 * Properties of an `Ec2NodeClass`.
 */
export interface Ec2NodeClassProps {
  /** The node class, as the AWS side describes it (`aws.Karpenter.profile.nodeClass`). */
  readonly nodeClass: KarpenterNodeClassProfile;
}

/**
 * A Karpenter `EC2NodeClass` (karpenter.k8s.aws/v1): the node IAM role (or instance profile), the
 * discovery tags that select subnets and security groups, a container-optimised AMI, IMDSv2 only with
 * a hop limit of 1 (pods cannot reach the node's credentials), encrypted gp3 volumes, detailed
 * monitoring, and the cost tags on everything Karpenter launches.
 */
export class Ec2NodeClass extends Construct {
  /** The EC2NodeClass name. */
  public readonly name: string;
  /** The EC2NodeClass object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    const nc = props.nodeClass;
    if (!nc) fail(this, 'nodeClass', nc, 'is required', 'pass aws.Karpenter.profile.nodeClass');
    this.name = Names.dnsSubdomain(this, 'nodeClass.name', nc.name);
    if ((nc.roleName === undefined) === (nc.instanceProfileName === undefined)) {
      fail(this, 'nodeClass.roleName', nc.roleName ?? null, 'and instanceProfileName: exactly one must be set', 'take the node class from aws.Karpenter.profile');
    }
    for (const [prop, tags] of [['subnetSelectorTags', nc.subnetSelectorTags], ['securityGroupSelectorTags', nc.securityGroupSelectorTags]] as const) {
      if (!tags || Object.keys(tags).length === 0) {
        fail(this, `nodeClass.${prop}`, tags, 'must name at least one tag (an empty selector matches nothing)', 'take the node class from aws.Karpenter.profile');
      }
    }
    const bottlerocket = nc.amiAlias.startsWith('bottlerocket@');
    const ebs = (size: string) => ({
      volumeSize: size,
      volumeType: 'gp3',
      encrypted: true,
      ...(nc.volumeKmsKeyId ? { kmsKeyID: nc.volumeKmsKeyId } satisfies Ec2NodeClassEbs : {}),
      deleteOnTermination: true,
    } satisfies Ec2NodeClassEbs);
    const volumes = bottlerocket
      ? [{ deviceName: '/dev/xvda', ebs: ebs('4Gi') }, { deviceName: '/dev/xvdb', ebs: ebs(`${nc.volumeSizeGiB}Gi`) }]
      : [{ deviceName: '/dev/xvda', ebs: ebs(`${nc.volumeSizeGiB}Gi`) }];
    // cluster-scoped: no metadata.namespace, whatever the chart's namespace
    this.apiObject = new ClusterScopedApiObject(this, 'resource', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: {
        name: this.name,
        labels: RecommendedLabels.of({ name: 'karpenter', instance: this.name, component: 'node-class' }),
      },
      spec: {
        ...(nc.roleName !== undefined ? { role: nc.roleName } satisfies Partial<KarpenterEc2NodeClass['spec']> : { instanceProfile: nc.instanceProfileName } satisfies Partial<KarpenterEc2NodeClass['spec']>),
        amiSelectorTerms: [{ alias: nc.amiAlias }],
        subnetSelectorTerms: [{ tags: { ...nc.subnetSelectorTags } }],
        securityGroupSelectorTerms: [{ tags: { ...nc.securityGroupSelectorTags } }],
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: 1,
          httpTokens: 'required',
        },
        blockDeviceMappings: volumes,
        detailedMonitoring: true,
        tags: { ...nc.tags },
      },
    } satisfies KarpenterEc2NodeClass);
  }
}
