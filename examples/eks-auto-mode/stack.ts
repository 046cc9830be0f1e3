// The example's stack: an EKS Auto Mode cluster (see README.md). main.ts synthesizes it.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class EksAutoModeStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'us-east-2';
    new AwsProvider(this, 'aws', { region });

    const tags = { team: 'web', environment: 'staging', costCentre: 'cc-3300' };
    const network = new aws.Network(this, 'network', { region, tags, environment: EnvironmentProfile.STAGING, cidr: '10.60.0.0/16' });

    // EKS runs the nodes, block storage, load balancing and the networking components.
    this.cluster = new aws.EksCluster(this, 'web-staging', {
      network,
      version: aws.KubernetesVersion.V1_33,
      autoMode: {},
      admins: ['arn:aws:iam::123456789012:role/platform-admin'],
      supportType: aws.SupportType.EXTENDED,
    });
    this.cluster.grantAccess('arn:aws:iam::123456789012:role/web-developers', { policy: aws.AccessPolicy.EDIT, namespaces: ['web'] });

    // A spot pool beside Auto Mode's built-in system and general-purpose pools.
    this.cluster.addAutoModeNodePool('spot', {
      maxCpu: 200,
      capacityTypes: [aws.KarpenterCapacityType.SPOT],
      instanceCategories: ['c', 'm'],
      taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });

    // Pod Identity is built into Auto Mode nodes.
    this.cluster.addWorkloadIdentity('assets', {
      namespace: 'web',
      serviceAccount: 'assets',
      mechanism: aws.IdentityMechanism.POD_IDENTITY,
      statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::web-assets-staging/*'] }],
    });
  }
}
