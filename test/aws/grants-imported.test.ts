/**
 * WorkloadIdentity's grants on resources the stack does not define, by ARN (`...ByArn`): the same statements as
 * the grants on provider resources, on a literal ARN or a token (data source, variable, remote state), and the
 * checks of literal ARNs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { DataAwsSqsQueue } from '@cdktf/provider-aws/lib/data-aws-sqs-queue';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { App, DataTerraformRemoteStateLocal, TerraformStack, TerraformVariable } from 'cdktf';
import { terraformValidate } from './terraform-validate';
import { cluster, errorOf, newStack, resourceAt, synth, TAGS } from './util';
import * as aws from '../../lib/aws';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
const BUCKET = 'arn:aws:s3:::shop-assets';
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbC12z';

/** The statements of the inline policy of the role at `<path>_role`. */
function policyOf(json: any, path_: string): any[] {
  return JSON.parse(resourceAt(json, 'aws_iam_role_policy', `${path_}_policy`).policy).Statement;
}

/** Two identities of one cluster: `byResource` for the grant on a provider resource, `byArn` for its ByArn variant. */
function pair(stack: TerraformStack): { byResource: aws.WorkloadIdentity; byArn: aws.WorkloadIdentity } {
  const c = cluster(stack);
  return {
    byResource: c.addWorkloadIdentity('by-resource', { namespace: 'shop', serviceAccount: 'by-resource' }),
    byArn: c.addWorkloadIdentity('by-arn', { namespace: 'shop', serviceAccount: 'by-arn' }),
  };
}

/** The statements of the ByArn grant, and those of the resource grant with the resource's reference replaced by `arn`. */
function compared(stack: TerraformStack, ref: string, arn: string): { byArn: any[]; byResource: any[] } {
  const json = synth(stack);
  const byResource = JSON.parse(JSON.stringify(policyOf(json, 'prod_by-resource')).split(ref).join(arn));
  return { byArn: policyOf(json, 'prod_by-arn'), byResource };
}

function worker(stack: TerraformStack): aws.WorkloadIdentity {
  return cluster(stack).addWorkloadIdentity('worker', { namespace: 'shop', serviceAccount: 'orders-worker' });
}

describe('WorkloadIdentity: grants by ARN give the statements of the grants on provider resources', () => {
  test('grantReadObjectsByArn (literal bucket ARN): ListBucket on the bucket, GetObject on its objects, no KMS statement', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    byResource.grantReadObjects(new S3Bucket(stack, 'assets', { bucket: 'shop-assets' }));
    byArn.grantReadObjectsByArn(BUCKET);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_s3_bucket.assets.arn}', BUCKET);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [BUCKET] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${BUCKET}/*`] },
    ]);
    expect(statements).toEqual(expected);
  });

  test('grantReadWriteObjectsByArn (literal bucket ARN): object reads, writes, deletes and multipart uploads', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    byResource.grantReadWriteObjects(new S3Bucket(stack, 'assets', { bucket: 'shop-assets' }));
    byArn.grantReadWriteObjectsByArn(BUCKET);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_s3_bucket.assets.arn}', BUCKET);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [BUCKET] },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: [`${BUCKET}/*`],
      },
    ]);
    expect(statements).toEqual(expected);
  });

  test('grantConsumeMessagesByArn (literal queue ARN): receive, delete, visibility, attributes and URL of the queue', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    byResource.grantConsumeMessages(new SqsQueue(stack, 'orders', { name: 'orders' }));
    byArn.grantConsumeMessagesByArn(QUEUE);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_sqs_queue.orders.arn}', QUEUE);
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      Resource: [QUEUE],
    }]);
    expect(statements).toEqual(expected);
  });

  test('grantSendMessagesByArn (literal FIFO queue ARN): SendMessage, attributes and URL of the queue', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    const fifo = 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo';
    byResource.grantSendMessages(new SqsQueue(stack, 'orders', { name: 'orders.fifo', fifoQueue: true }));
    byArn.grantSendMessagesByArn(fifo);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_sqs_queue.orders.arn}', fifo);
    expect(statements).toEqual([{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: [fifo] }]);
    expect(statements).toEqual(expected);
  });

  test('grantReadSecretByArn (literal secret ARN): GetSecretValue and DescribeSecret on the secret', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    byResource.grantReadSecret(new SecretsmanagerSecret(stack, 'db', { name: 'shop/db' }));
    byArn.grantReadSecretByArn(SECRET);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_secretsmanager_secret.db.arn}', SECRET);
    expect(statements).toEqual([{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [SECRET] }]);
    expect(statements).toEqual(expected);
  });

  test('kmsKeyArn: the KMS statement of the resource grant, through the service only (kms:ViaService), on that key', () => {
    const stack = newStack();
    const { byResource, byArn } = pair(stack);
    // a resource encrypted with a literal key ARN: the resource grant names that key as is
    byResource.grantSendMessages(new SqsQueue(stack, 'orders', { name: 'orders', kmsMasterKeyId: KEY }));
    byArn.grantSendMessagesByArn(QUEUE, KEY);
    const { byArn: statements, byResource: expected } = compared(stack, '${aws_sqs_queue.orders.arn}', QUEUE);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: [QUEUE] },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [KEY], Condition: { StringLike: { 'kms:ViaService': ['sqs.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': [QUEUE] } } },
    ]);
    expect(statements).toEqual(expected);
  });

  test('kmsKeyArn on the other grants: Decrypt (and GenerateDataKey for writes) through S3 and Secrets Manager; a DataAwsKmsKey token as is', () => {
    const stack = newStack();
    const id = worker(stack);
    const key = new DataAwsKmsKey(stack, 'data-key', { keyId: 'alias/shop-data' });
    id.grantReadObjectsByArn(BUCKET, KEY);
    id.grantReadWriteObjectsByArn('arn:aws:s3:::shop-uploads', key.arn);
    id.grantConsumeMessagesByArn(QUEUE, KEY);
    id.grantReadSecretByArn(SECRET, KEY);
    const kms = policyOf(synth(stack), 'prod_worker').filter((s) => s.Action[0].startsWith('kms:'));
    expect(kms).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY], Condition: { StringLike: { 'kms:ViaService': ['s3.*.amazonaws.com'], 'kms:EncryptionContext:aws:s3:arn': [BUCKET, `${BUCKET}/*`] } } },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['${data.aws_kms_key.data-key.arn}'],
        Condition: { StringLike: { 'kms:ViaService': ['s3.*.amazonaws.com'], 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::shop-uploads', 'arn:aws:s3:::shop-uploads/*'] } },
      },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY], Condition: { StringLike: { 'kms:ViaService': ['sqs.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': [QUEUE] } } },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY], Condition: { StringLike: { 'kms:ViaService': ['secretsmanager.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:SecretARN': [SECRET] } } },
    ]);
  });
});

describe('WorkloadIdentity: grants by ARN on tokens', () => {
  test('a DataAwsS3Bucket: the statements name ${data.aws_s3_bucket.<id>.arn} and its objects', () => {
    const stack = newStack();
    const bucket = new DataAwsS3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    worker(stack).grantReadObjectsByArn(bucket.arn);
    expect(policyOf(synth(stack), 'prod_worker')).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['${data.aws_s3_bucket.assets.arn}'] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['${data.aws_s3_bucket.assets.arn}/*'] },
    ]);
  });

  test('data sources, a TerraformVariable, a remote state output and an ARN built from a token are taken as they are', () => {
    const stack = newStack();
    const id = worker(stack);
    const queueArn = new TerraformVariable(stack, 'orders_queue_arn', { type: 'string' });
    const shared = new DataTerraformRemoteStateLocal(stack, 'shared', { path: '../shared/terraform.tfstate' });
    const partition = new DataAwsPartition(stack, 'partition').partition;
    id.grantConsumeMessagesByArn(queueArn.stringValue);
    id.grantSendMessagesByArn(new DataAwsSqsQueue(stack, 'audit', { name: 'audit' }).arn);
    id.grantReadSecretByArn(shared.getString('db_secret_arn'));
    id.grantReadSecretByArn(new DataAwsSecretsmanagerSecret(stack, 'api', { name: 'shop/api' }).arn);
    id.grantReadObjectsByArn(`arn:${partition}:s3:::shop-assets`);
    expect(policyOf(synth(stack), 'prod_worker').map((s) => s.Resource)).toEqual([
      ['${var.orders_queue_arn}'],
      ['${data.aws_sqs_queue.audit.arn}'],
      ['${data.terraform_remote_state.shared.outputs.db_secret_arn}'],
      ['${data.aws_secretsmanager_secret.api.arn}'],
      ['arn:${data.aws_partition.partition.partition}:s3:::shop-assets'],
      ['arn:${data.aws_partition.partition.partition}:s3:::shop-assets/*'],
    ]);
  });

  test('grants by ARN accumulate with the other grants in the one inline policy', () => {
    const stack = newStack();
    const id = worker(stack);
    id.grantReadSecret(new SecretsmanagerSecret(stack, 'db', { name: 'shop/db' }));
    id.grantSendMessagesByArn(QUEUE);
    id.addToPolicy({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/shop/*'] });
    expect(policyOf(synth(stack), 'prod_worker').map((s) => s.Action[0])).toEqual(['secretsmanager:GetSecretValue', 'sqs:SendMessage', 'ssm:GetParameter']);
  });

  test('a refused ARN adds nothing: no partial grant (the bucket statements are not added when the key is refused)', () => {
    const stack = newStack();
    const id = worker(stack);
    expect(() => id.grantReadObjectsByArn(BUCKET, 'alias/shop-data')).toThrow();
    expect(id.policy).toBeUndefined();
  });

  test('terraform validate accepts a stack granting by ARN on data sources, a variable and literals', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-grants-imported-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'imported');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      const network = aws.Network.fromNetworkAttributes(stack, 'net', {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        region: 'eu-west-1',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
        tags: TAGS,
      });
      const c = aws.EksCluster.fromClusterAttributes(stack, 'prod', { clusterName: 'prod', network, kubernetesVersion: aws.KubernetesVersion.V1_33, account: '123456789012' });
      const id = c.addWorkloadIdentity('worker', { namespace: 'shop', serviceAccount: 'orders-worker' });
      const key = new DataAwsKmsKey(stack, 'data-key', { keyId: 'alias/shop-data' });
      id.grantReadWriteObjectsByArn(new DataAwsS3Bucket(stack, 'assets', { bucket: 'shop-assets' }).arn, key.arn);
      id.grantConsumeMessagesByArn(new TerraformVariable(stack, 'orders_queue_arn', { type: 'string' }).stringValue, KEY);
      id.grantReadSecretByArn(SECRET);
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'imported', 'cdk.tf.json'), 'utf8'));
      expect(policyOf(json, 'prod_worker').map((s) => s.Resource[0])).toEqual([
        '${data.aws_s3_bucket.assets.arn}', '${data.aws_s3_bucket.assets.arn}/*', '${data.aws_kms_key.data-key.arn}', '${var.orders_queue_arn}', KEY, SECRET,
      ]);
      const result = terraformValidate(path.join(outdir, 'stacks', 'imported'));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.valid).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('WorkloadIdentity: grants by ARN refuse literal ARNs that would make the statement wrong', () => {
  const at = 'test/prod/worker';

  test('error: an object ARN for a bucket (the grant adds /* itself)', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws:s3:::shop-assets/*'))).toBe(
      `${at}: grantReadObjectsByArn ("arn:aws:s3:::shop-assets/*") names objects (it has a "/"), not a bucket: the grant takes the bucket ARN `
      + 'and grants on its objects ("<bucket ARN>/*") itself; pass the bucket ARN "arn:aws:s3:::shop-assets" (to grant a prefix of the bucket only, use addToPolicy())');
  });

  test('error: a data source ARN with /* appended (the literal part already names objects)', () => {
    const stack = newStack();
    const bucket = new DataAwsS3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    expect(errorOf(() => worker(stack).grantReadWriteObjectsByArn(`${bucket.arn}/*`))).toBe(
      `${at}: grantReadWriteObjectsByArn ("<token>/*") names objects (it has a "/"), not a bucket: the grant takes the bucket ARN `
      + 'and grants on its objects ("<bucket ARN>/*") itself; pass the bucket ARN alone, without "/..." (to grant a prefix of the bucket only, use addToPolicy())');
  });

  test('error: a wildcard in a bucket, queue or secret ARN', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws:s3:::shop-*'))).toBe(
      `${at}: grantReadObjectsByArn ("arn:aws:s3:::shop-*") has a wildcard ("*" or "?"): the grant is for one bucket, and a wildcard would extend it `
      + 'to every bucket the pattern matches; name one bucket (arn:<partition>:s3:::<bucket>), and grant each bucket the workload needs with its own call');
    // a wildcard in the bucket name of an object ARN: the wildcard is what is named
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws:s3:::shop-*/*'))).toMatch(/^test\/prod\/worker: grantReadObjectsByArn \("arn:aws:s3:::shop-\*\/\*"\) has a wildcard/);
    expect(errorOf(() => worker(newStack()).grantConsumeMessagesByArn('arn:aws:sqs:eu-west-1:123456789012:*'))).toBe(
      `${at}: grantConsumeMessagesByArn ("arn:aws:sqs:eu-west-1:123456789012:*") has a wildcard ("*" or "?"): the grant is for one queue, and a wildcard `
      + 'would extend it to every queue the pattern matches; name one queue (arn:<partition>:sqs:<region>:<12-digit account>:<queue name>), '
      + 'and grant each queue the workload needs with its own call');
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn('arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-??????'))).toBe(
      `${at}: grantReadSecretByArn ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-??????") has a wildcard ("*" or "?"): the grant is for one secret, `
      + 'and a wildcard would extend it to every secret the pattern matches; name one secret '
      + '(arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 random characters>), and grant each secret the workload needs with its own call');
  });

  test('error: a wildcard in a KMS key ARN', () => {
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn(SECRET, 'arn:aws:kms:eu-west-1:123456789012:key/*'))).toBe(
      `${at}: grantReadSecretByArn.kmsKeyArn ("arn:aws:kms:eu-west-1:123456789012:key/*") has a wildcard ("*" or "?"): the grant is for one key, and a wildcard `
      + 'would extend it to every key the pattern matches; name one key (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>), '
      + 'and grant each key the workload needs with its own call');
  });

  test('error: an ARN of another service (names the grant for it)', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn(QUEUE))).toBe(
      `${at}: grantReadObjectsByArn ("${QUEUE}") is an ARN of sqs, not an S3 bucket ARN (arn:<partition>:s3:::<bucket>); `
      + 'for a queue use grantConsumeMessagesByArn() or grantSendMessagesByArn(); here pass an S3 bucket ARN, for example "arn:aws:s3:::my-bucket", '
      + 'or a token such as new DataAwsS3Bucket(...).arn');
    expect(errorOf(() => worker(newStack()).grantSendMessagesByArn(KEY))).toBe(
      `${at}: grantSendMessagesByArn ("${KEY}") is an ARN of kms, not an SQS queue ARN (arn:<partition>:sqs:<region>:<12-digit account>:<queue name>); `
      + 'pass a KMS key as kmsKeyArn; here pass an SQS queue ARN, for example "arn:aws:sqs:eu-west-1:123456789012:orders", or a token such as new DataAwsSqsQueue(...).arn');
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn('arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db'))).toBe(
      `${at}: grantReadSecretByArn ("arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db") is an ARN of ssm, not a Secrets Manager secret ARN `
      + '(arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 random characters>); for another service use addToPolicy(); '
      + 'here pass a Secrets Manager secret ARN, for example "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf", '
      + 'or a token such as new DataAwsSecretsmanagerSecret(...).arn');
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn(BUCKET, QUEUE))).toBe(
      `${at}: grantReadObjectsByArn.kmsKeyArn ("${QUEUE}") is an ARN of sqs, not a KMS key ARN (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>); `
      + 'for a queue use grantConsumeMessagesByArn() or grantSendMessagesByArn(); here pass a KMS key ARN, '
      + 'for example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", or a token such as new DataAwsKmsKey(...).arn');
  });

  test('error: an ARN of the right service in the wrong shape (an access point, an account that is not 12 digits)', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws:s3:eu-west-1:123456789012:accesspoint'))).toBe(
      `${at}: grantReadObjectsByArn ("arn:aws:s3:eu-west-1:123456789012:accesspoint") is not an S3 bucket ARN (arn:<partition>:s3:::<bucket>: no region, no account, no "/"); `
      + 'pass the bucket ARN, for example "arn:aws:s3:::my-bucket", or a token such as new DataAwsS3Bucket(...).arn; for an access point use addToPolicy()');
    // a whole access point ARN (with its name after the "/") is not taken for an object path
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws:s3:eu-west-1:123456789012:accesspoint/shop-ap'))).toBe(
      `${at}: grantReadObjectsByArn ("arn:aws:s3:eu-west-1:123456789012:accesspoint/shop-ap") is an S3 access point ARN, not a bucket's: the grant writes bucket and object `
      + 'statements, which an access point\'s policy resource does not match; pass the ARN of the bucket behind the access point ("arn:aws:s3:::my-bucket"), '
      + 'or grant on the access point with addToPolicy() (resources "<access point ARN>" and "<access point ARN>/object/*")');
    expect(errorOf(() => worker(newStack()).grantConsumeMessagesByArn('arn:aws:sqs:eu-west-1:1234:orders'))).toBe(
      `${at}: grantConsumeMessagesByArn ("arn:aws:sqs:eu-west-1:1234:orders") is not an SQS queue ARN (arn:<partition>:sqs:<region>:<12-digit account>:<queue name>); `
      + 'pass an SQS queue ARN, for example "arn:aws:sqs:eu-west-1:123456789012:orders", or a token such as new DataAwsSqsQueue(...).arn');
  });

  test('error: a name or URL instead of the ARN (the fix writes the ARN)', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('shop-assets'))).toBe(
      `${at}: grantReadObjectsByArn ("shop-assets") is a bucket name, not its ARN; write the bucket ARN, "arn:aws:s3:::shop-assets" `
      + '(arn:aws-cn:... or arn:aws-us-gov:... in those partitions), or a token such as new DataAwsS3Bucket(...).arn');
    expect(errorOf(() => worker(newStack()).grantSendMessagesByArn('https://sqs.eu-west-1.amazonaws.com/123456789012/orders'))).toBe(
      `${at}: grantSendMessagesByArn ("https://sqs.eu-west-1.amazonaws.com/123456789012/orders") is a queue URL, not its ARN; `
      + 'pass the queue\'s ARN, "arn:aws:sqs:eu-west-1:123456789012:orders" (a DataAwsSqsQueue\'s arn, not its url)');
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn('shop/db'))).toBe(
      `${at}: grantReadSecretByArn ("shop/db") is a secret name, not its ARN; pass the secret's full ARN, `
      + 'or new DataAwsSecretsmanagerSecret(this, \'secret\', { name: "shop/db" }).arn');
  });

  test('error: a partial secret ARN (without the 6 random characters IAM needs to match the secret)', () => {
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn('arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db'))).toBe(
      `${at}: grantReadSecretByArn ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db") is a partial ARN: it lacks the 6 random characters `
      + 'Secrets Manager appends to the secret name ("-AbCdEf"), and IAM matches a secret by its full ARN, so the statement would grant nothing; '
      + 'pass the full ARN (aws secretsmanager describe-secret --secret-id shop/db --query ARN shows it), '
      + 'or new DataAwsSecretsmanagerSecret(this, \'secret\', { name: "shop/db" }).arn');
  });

  test('error: a malformed KMS key ARN: an alias (ARN or name), a key id, an AWS-managed key, an empty string', () => {
    const aliasFix = 'pass the key ARN (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>), '
      + 'for example new DataAwsKmsKey(this, \'key\', { keyId: "alias/shop-data" }).arn, which resolves the alias';
    const aliasWhy = 'is a KMS alias, not a key ARN: KMS authorizes kms:Decrypt and kms:GenerateDataKey against the key\'s ARN, so a statement on the alias would grant nothing';
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn(BUCKET, 'arn:aws:kms:eu-west-1:123456789012:alias/shop-data'))).toBe(
      `${at}: grantReadObjectsByArn.kmsKeyArn ("arn:aws:kms:eu-west-1:123456789012:alias/shop-data") ${aliasWhy}; ${aliasFix}`);
    expect(errorOf(() => worker(newStack()).grantConsumeMessagesByArn(QUEUE, 'alias/shop-data'))).toBe(
      `${at}: grantConsumeMessagesByArn.kmsKeyArn ("alias/shop-data") ${aliasWhy}; ${aliasFix}`);
    expect(errorOf(() => worker(newStack()).grantSendMessagesByArn(QUEUE, '0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'))).toBe(
      `${at}: grantSendMessagesByArn.kmsKeyArn ("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9") is a key id, not a key ARN: an IAM statement names the key by its ARN; `
      + 'pass the key ARN (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>), or new DataAwsKmsKey(this, \'key\', { keyId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" }).arn');
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn(SECRET, 'arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager'))).toBe(
      `${at}: grantReadSecretByArn.kmsKeyArn ("arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager") names an AWS-managed key (alias/aws/...): `
      + 'the service\'s own key needs no IAM grant; leave kmsKeyArn out');
    expect(errorOf(() => worker(newStack()).grantReadWriteObjectsByArn(BUCKET, ''))).toBe(
      `${at}: grantReadWriteObjectsByArn.kmsKeyArn ("") is empty; leave kmsKeyArn out when the resource is not encrypted with a customer-managed key, or pass the key ARN`);
    expect(errorOf(() => worker(newStack()).grantReadWriteObjectsByArn(BUCKET, 'arn:aws:kms:eu-west-1:123456789012:key'))).toBe(
      `${at}: grantReadWriteObjectsByArn.kmsKeyArn ("arn:aws:kms:eu-west-1:123456789012:key") is not a KMS key ARN `
      + '(arn:<partition>:kms:<region>:<12-digit account>:key/<key id>); pass a KMS key ARN, '
      + 'for example "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", or a token such as new DataAwsKmsKey(...).arn');
  });

  test('error: a provider resource instead of its ARN (JavaScript callers)', () => {
    const stack = newStack();
    const bucket = new S3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    expect(errorOf(() => worker(stack).grantReadObjectsByArn(bucket as any))).toBe(
      `${at}: grantReadObjectsByArn ("object") must be an S3 bucket ARN (a string, arn:<partition>:s3:::<bucket>); `
      + 'pass an S3 bucket ARN, for example "arn:aws:s3:::my-bucket", or a token such as new DataAwsS3Bucket(...).arn');
  });
});

describe('WorkloadIdentity: grants by ARN refuse literal ARNs of another partition than the role\'s', () => {
  const at = 'test/prod/worker';
  const iam = (p: string) => `IAM refuses a policy naming a resource of another partition ("Partition "${p}" is not valid for resource")`;

  /** An identity of an imported cluster whose network is in `region` (a plain region, or a token made in the stack). */
  function workerIn(region: string | ((stack: TerraformStack) => string)): aws.WorkloadIdentity {
    const stack = newStack();
    const network = aws.Network.fromNetworkAttributes(stack, 'net', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60712'],
      tags: TAGS,
    });
    // the region of a hand-written INetwork is not checked: a token or a region of a partition shipshape does not know
    Object.defineProperty(network, 'region', { value: typeof region === 'string' ? region : region(stack) });
    const c = aws.EksCluster.fromClusterAttributes(stack, 'prod', { clusterName: 'prod', network, kubernetesVersion: aws.KubernetesVersion.V1_33 });
    return c.addWorkloadIdentity('worker', { namespace: 'shop', serviceAccount: 'orders-worker' });
  }

  test('error: a bucket ARN of aws-cn in an eu-west-1 stack (the fix writes the aws ARN of a bucket without region)', () => {
    expect(errorOf(() => worker(newStack()).grantReadObjectsByArn('arn:aws-cn:s3:::shop-assets'))).toBe(
      `${at}: grantReadObjectsByArn ("arn:aws-cn:s3:::shop-assets") is an ARN of partition aws-cn, but the role is in partition aws `
      + `(cluster prod runs in region eu-west-1): ${iam('aws-cn')}; grant only resources of partition aws here `
      + '(if the bucket is in aws, its ARN is "arn:aws:s3:::shop-assets"); a bucket of partition aws-cn needs a workload identity of a cluster in a region of aws-cn');
  });

  test('error: a queue and a secret ARN of aws-us-gov (regional: no rewritten ARN)', () => {
    const queue = 'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders';
    expect(errorOf(() => worker(newStack()).grantConsumeMessagesByArn(queue))).toBe(
      `${at}: grantConsumeMessagesByArn ("${queue}") is an ARN of partition aws-us-gov, but the role is in partition aws (cluster prod runs in region eu-west-1): `
      + `${iam('aws-us-gov')}; grant only resources of partition aws here; a queue of partition aws-us-gov needs a workload identity of a cluster in a region of aws-us-gov`);
    const secret = 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:shop/db-AbC12z';
    expect(errorOf(() => worker(newStack()).grantReadSecretByArn(secret))).toMatch(
      /^test\/prod\/worker: grantReadSecretByArn \(".*"\) is an ARN of partition aws-us-gov, but the role is in partition aws /);
  });

  test('error: a KMS key ARN of another partition than the stack\'s, with a resource ARN of the stack\'s', () => {
    const key = 'arn:aws-cn:kms:cn-north-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    const id = worker(newStack());
    expect(errorOf(() => id.grantReadWriteObjectsByArn(BUCKET, key))).toBe(
      `${at}: grantReadWriteObjectsByArn.kmsKeyArn ("${key}") is an ARN of partition aws-cn, but the role is in partition aws (cluster prod runs in region eu-west-1): `
      + `${iam('aws-cn')}; grant only resources of partition aws here; a key of partition aws-cn needs a workload identity of a cluster in a region of aws-cn`);
    expect(id.policy).toBeUndefined(); // nothing granted
  });

  test('error: with the region a token, a KMS key ARN of another partition than the resource ARN', () => {
    const key = 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    const id = workerIn((stack) => new TerraformVariable(stack, 'region', { type: 'string' }).stringValue);
    expect(errorOf(() => id.grantSendMessagesByArn(QUEUE, key))).toBe(
      `${at}: grantSendMessagesByArn.kmsKeyArn ("${key}") is an ARN of partition aws-us-gov, but grantSendMessagesByArn ("${QUEUE}") is of partition aws: `
      + 'a queue and the key it is used with are in one partition, and IAM refuses a policy naming a resource of another partition than the role\'s '
      + '("Partition "..." is not valid for resource"); pass the ARNs of the queue and of its key in the role\'s partition (that of the cluster\'s region)');
  });

  test('accepted: ARNs of the stack\'s partition, aws-cn ARNs in a cn- region, tokens, isolated partitions by their regions, and any partition when the region is a token', () => {
    const id = worker(newStack());
    id.grantReadObjectsByArn(BUCKET, KEY);
    id.grantConsumeMessagesByArn(QUEUE);
    const stack = newStack();
    const partition = new DataAwsPartition(stack, 'partition').partition;
    const tokens = worker(stack);
    tokens.grantReadObjectsByArn(`arn:${partition}:s3:::shop-assets`, `arn:${partition}:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9`);
    tokens.grantReadSecretByArn(new DataAwsSecretsmanagerSecret(stack, 'api', { name: 'shop/api' }).arn);
    expect(() => workerIn('cn-north-1').grantReadObjectsByArn('arn:aws-cn:s3:::shop-assets', 'arn:aws-cn:kms:cn-north-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9')).not.toThrow();
    expect(() => workerIn('us-gov-west-1').grantConsumeMessagesByArn('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders')).not.toThrow();
    expect(() => workerIn((s) => new TerraformVariable(s, 'region', { type: 'string' }).stringValue).grantReadObjectsByArn('arn:aws-cn:s3:::shop-assets')).not.toThrow();
    // the isolated partitions are known by their region names
    expect(() => workerIn('us-iso-east-1').grantReadObjectsByArn('arn:aws-iso:s3:::shop-assets')).not.toThrow();
    expect(() => workerIn('us-isob-east-1').grantReadObjectsByArn('arn:aws-iso-b:s3:::shop-assets')).not.toThrow();
    expect(() => workerIn('us-iso-east-1').grantReadObjectsByArn('arn:aws:s3:::shop-assets')).toThrow(/is an ARN of partition aws, but the role is in partition aws-iso/);
  });
});
