// The example's stack: node pools, a workload identity and team access added to an EKS cluster and
// a VPC that shipshape did not create (see README.md). main.ts synthesizes it.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class EksImportStack extends TerraformStack {
  public readonly cluster: aws.IEksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-west-1';
    new AwsProvider(this, 'aws', { region });

    const tags = { team: 'data', environment: 'production', costCentre: 'cc-5150' };
    const network = aws.Network.fromNetworkAttributes(this, 'network', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region,
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712', 'subnet-0a1b2c3d4e5f60713'],
      tags,
      environment: EnvironmentProfile.PRODUCTION,
    });
    // The cluster was created by another Terraform configuration (terraform-aws-eks, eksctl, the console).
    this.cluster = aws.EksCluster.fromClusterAttributes(this, 'analytics', {
      clusterName: 'analytics-prod',
      network,
      kubernetesVersion: aws.KubernetesVersion.V1_32,
      account: '123456789012',
      encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
    });

    this.cluster.addNodePool('spark', {
      capacity: aws.NodeCapacity.spot(['r7i.2xlarge', 'r6i.2xlarge', 'r7a.2xlarge']),
      minSize: 2,
      maxSize: 30,
      labels: { 'shipshape.dev/workload-class': 'spark' },
      taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });
    const reports = this.cluster.addWorkloadIdentity('reports', {
      namespace: 'reports',
      serviceAccount: 'reports',
      mechanism: aws.IdentityMechanism.POD_IDENTITY,
      statements: [{ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::analytics-reports/*'] }],
    });
    this.cluster.grantAccess('arn:aws:iam::123456789012:role/data-engineers', { policy: aws.AccessPolicy.EDIT, namespaces: ['reports', 'spark'] });
    new TerraformOutput(this, 'reports_role_arn', { value: reports.roleArn });
  }
}
