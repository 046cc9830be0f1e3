// The example's stack: a production EKS cluster (see README.md). main.ts synthesizes it.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class EksClusterStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-west-1';
    new AwsProvider(this, 'aws', { region });

    const tags = { team: 'platform', environment: 'production', costCentre: 'cc-4021' };
    const network = new aws.Network(this, 'network', {
      region,
      tags,
      environment: EnvironmentProfile.PRODUCTION,
      cidr: '10.40.0.0/16',
    });

    const cluster = new aws.EksCluster(this, 'shop-prod', {
      network,
      version: aws.KubernetesVersion.V1_33,
      admins: ['arn:aws:iam::123456789012:role/platform-admin'],
    });
    this.cluster = cluster;

    cluster.addNodePool('system', {
      capacity: aws.NodeCapacity.onDemand(['m7i.large']),
      minSize: 3,
      maxSize: 6,
      labels: { 'shipshape.dev/workload-class': 'system' },
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });
    cluster.addNodePool('batch-spot', {
      capacity: aws.NodeCapacity.spot(['m7i.xlarge', 'm6i.xlarge', 'm6a.xlarge', 'm5.xlarge']),
      amiType: aws.NodeAmiType.BOTTLEROCKET_X86_64,
      minSize: 2,
      maxSize: 20,
      labels: { 'shipshape.dev/workload-class': 'batch' },
      taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });

    const orders = cluster.addWorkloadIdentity('orders-api', {
      namespace: 'shop',
      serviceAccount: 'orders-api',
      statements: [{
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: ['arn:aws:sqs:eu-west-1:123456789012:orders'],
      }],
    });
    new TerraformOutput(this, 'orders_api_role_arn', { value: orders.roleArn });
  }
}
