// The example's stack: an EKS cluster whose nodes Karpenter launches (see README.md). main.ts synthesizes it.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class EksKarpenterStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;
  public readonly karpenter: aws.Karpenter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-west-1';
    new AwsProvider(this, 'aws', { region });

    // The platform admin role comes in at plan time; a value that is not an IAM role ARN is refused.
    const admin = new TerraformVariable(this, 'admin_role_arn', {
      type: 'string',
      description: 'IAM role granted cluster-admin on the cluster',
      validation: [{
        condition: '${can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.admin_role_arn))}',
        errorMessage: 'admin_role_arn must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).',
      }],
    });

    const tags = { team: 'platform', environment: 'production', costCentre: 'cc-4021' };
    const network = new aws.Network(this, 'network', { region, tags, environment: EnvironmentProfile.PRODUCTION, cidr: '10.50.0.0/16' });

    const cluster = new aws.EksCluster(this, 'shop-prod', {
      network,
      version: aws.KubernetesVersion.V1_33,
      account: '123456789012',
      admins: [admin.stringValue],
    });
    this.cluster = cluster;
    // Team access: the shop developers edit their namespace, the auditors read two.
    cluster.grantAccess('arn:aws:iam::123456789012:role/shop-developers', { policy: aws.AccessPolicy.EDIT, namespaces: ['shop'] });
    cluster.grantAccess('arn:aws:iam::123456789012:role/auditors', { policy: aws.AccessPolicy.VIEW, namespaces: ['shop', 'payments'] });

    // A small on-demand pool for the system add-ons and the Karpenter controller itself.
    cluster.addNodePool('system', {
      capacity: aws.NodeCapacity.onDemand(['m7i.large']),
      minSize: 3,
      maxSize: 4,
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });

    this.karpenter = new aws.Karpenter(this, 'karpenter', { cluster, amiAlias: 'al2023@v20250704' });
    this.karpenter.addNodePool('general', {
      maxCpu: 400,
      capacityTypes: [aws.KarpenterCapacityType.ON_DEMAND],
      architectures: [aws.CpuArchitecture.AMD64, aws.CpuArchitecture.ARM64],
      disruptionBudgets: [
        { nodes: '10%' },
        // No consolidation during business hours (UTC); drift and empty nodes are still handled.
        { nodes: '0', reasons: [aws.DisruptionReason.UNDERUTILIZED], schedule: '0 8 * * mon-fri', duration: '10h' },
      ],
    });
    this.karpenter.addNodePool('batch-spot', {
      maxCpu: 1000,
      capacityTypes: [aws.KarpenterCapacityType.SPOT],
      instanceCategories: ['c', 'm'],
      labels: { 'shipshape.dev/workload-class': 'batch' },
      taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
      expireAfter: '168h',
      weight: 10,
    });
  }
}
