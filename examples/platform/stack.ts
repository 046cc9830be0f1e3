// The AWS side of the platform example (see README.md): the VPC, the EKS cluster and its node pools, the AWS Load
// Balancer Controller's identity, and the data the shop's workloads use with their identities. main.ts synthesizes it
// and builds the Kubernetes side from `cluster.profile`.
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own project: `import { aws, EnvironmentProfile } from 'shipshape';`
import { aws, EnvironmentProfile } from '../../lib';

export class PlatformStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;
  /** The identity of the orders worker: consumes the queue, reads the bucket. */
  public readonly ordersWorker: aws.WorkloadIdentity;
  /** The identity of the thumbnail batch job: reads and writes the bucket. */
  public readonly thumbnailer: aws.WorkloadIdentity;
  /** The spot pool batch work is placed on. */
  public readonly batchPool: aws.NodePool;
  /** Names the workloads are configured with (plain values, known at synth). */
  public readonly queueUrl: string;
  public readonly bucketName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-west-1';
    const account = '123456789012';
    new AwsProvider(this, 'aws', { region });

    const tags = { team: 'platform', environment: 'production', costCentre: 'cc-4021' };
    const network = new aws.Network(this, 'network', { region, tags, environment: EnvironmentProfile.PRODUCTION, cidr: '10.60.0.0/16' });

    // The account is given: the plan fails with credentials of another account, and IRSA ARNs could be literal.
    const cluster = new aws.EksCluster(this, 'shop-prod', {
      network,
      version: aws.KubernetesVersion.V1_33,
      account,
      admins: [`arn:aws:iam::${account}:role/platform-admin`],
    });
    this.cluster = cluster;

    // Where workloads run. `general` has no taint: a workload that names no pool lands there.
    cluster.addNodePool('general', {
      capacity: aws.NodeCapacity.onDemand(['m7i.xlarge']),
      minSize: 3,
      maxSize: 12,
    });
    // Cluster add-ons only (coredns, the EBS CSI controller tolerate CriticalAddonsOnly).
    cluster.addNodePool('system', {
      capacity: aws.NodeCapacity.onDemand(['m7i.large']),
      minSize: 3,
      maxSize: 4,
      taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });
    // Interruptible batch work, placed there explicitly.
    this.batchPool = cluster.addNodePool('batch-spot', {
      capacity: aws.NodeCapacity.spot(['m7i.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge']),
      minSize: 3,
      maxSize: 30,
      labels: { 'shipshape.dev/workload-class': 'batch' },
      taints: [{ key: 'shipshape.dev/spot', value: 'true', effect: aws.TaintEffect.NO_SCHEDULE }],
    });

    // Ingress: the AWS Load Balancer Controller's identity, Helm release and the default IngressClass `alb`.
    cluster.addLoadBalancerController();

    // The shop's data, encrypted with a key of its own.
    const dataKey = new KmsKey(this, 'data-key', {
      description: 'shop-prod order data (queue and bucket)',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: cluster.resourceTags,
    });
    this.bucketName = `shop-prod-assets-${account}`;
    const bucket = new S3Bucket(this, 'assets', { bucket: this.bucketName, tags: cluster.resourceTags });
    new S3BucketPublicAccessBlock(this, 'assets-public-access', {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'assets-encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: dataKey.arn }, bucketKeyEnabled: true }],
    });
    const queueName = 'shop-prod-orders';
    const queue = new SqsQueue(this, 'orders', {
      name: queueName,
      kmsMasterKeyId: dataKey.arn,
      visibilityTimeoutSeconds: 120,
      messageRetentionSeconds: 345600,
      tags: cluster.resourceTags,
    });
    this.queueUrl = `https://sqs.${region}.amazonaws.com/${account}/${queueName}`;

    // Workload identities (EKS Pod Identity, the default): one role per ServiceAccount, typed grants.
    this.ordersWorker = cluster.addWorkloadIdentity('orders-worker', { namespace: 'shop', serviceAccount: 'orders-worker' });
    this.ordersWorker.grantConsumeMessages(queue);
    this.ordersWorker.grantReadObjects(bucket);
    this.thumbnailer = cluster.addWorkloadIdentity('thumbnailer', { namespace: 'shop', serviceAccount: 'thumbnailer' });
    this.thumbnailer.grantReadWriteObjects(bucket);
  }
}
