// The example's stack: a private EKS cluster in a VPC without internet access (see README.md).
// main.ts synthesizes it.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class EksPrivateStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;
  public readonly endpoints: aws.VpcEndpoints;
  public readonly karpenter: aws.Karpenter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-central-1';
    new AwsProvider(this, 'aws', { region });

    const tags = { team: 'payments', environment: 'production', costCentre: 'cc-7100' };
    // No internet gateway, no NAT: nodes reach AWS through the endpoints below only.
    const network = new aws.Network(this, 'network', {
      region,
      tags,
      environment: EnvironmentProfile.PRODUCTION,
      cidr: '10.70.0.0/16',
      internetAccess: false,
    });
    const s = aws.VpcEndpointService;
    this.endpoints = new aws.VpcEndpoints(this, 'endpoints', {
      network,
      // What nodes need, plus what Karpenter needs (SQS for interruptions, the EKS API for discovery).
      services: [...s.eksNodeDefaults(), s.SQS, s.EKS],
    });

    this.cluster = new aws.EksCluster(this, 'payments-prod', {
      network,
      version: aws.KubernetesVersion.V1_33,
      account: '210987654321',
      admins: ['arn:aws:iam::210987654321:role/platform-admin'],
    });
    this.cluster.addNodePool('system', {
      capacity: aws.NodeCapacity.onDemand(['m7i.large']),
      // nothing scales node groups in a VPC without internet access (NodeGroupScaling.NONE): the pool keeps 3 nodes,
      // and Karpenter adds the capacity workloads need
      minSize: 3,
      maxSize: 3,
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });

    // Karpenter in an isolated VPC: a Terraform-managed instance profile (no IAM endpoint exists),
    // settings.isolatedVPC in the chart values, and the chart mirrored into a private registry.
    this.karpenter = new aws.Karpenter(this, 'karpenter', {
      cluster: this.cluster,
      chartRepository: 'oci://210987654321.dkr.ecr.eu-central-1.amazonaws.com/karpenter',
      amiAlias: 'bottlerocket@latest',
    });
    this.karpenter.addNodePool('workers', { maxCpu: 256, architectures: [aws.CpuArchitecture.ARM64], instanceCategories: ['m', 'c'] });
  }
}
