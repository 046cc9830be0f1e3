/**
 * WorkloadIdentity as the handle the Kubernetes side takes (Pod Identity by default, exact ServiceAccount binding,
 * plain profile) and its typed least-privilege grants on provider resources.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack, Token } from 'cdktf';
import { cluster, errorOf, newStack, resourceAt, resources, synth } from './util';
import * as aws from '../../lib/aws';

/** The statements of the inline policy of the role at `<path>_role`. */
function policyOf(json: any, path: string): any[] {
  return JSON.parse(resourceAt(json, 'aws_iam_role_policy', `${path}_policy`).policy).Statement;
}

function worker(stack: TerraformStack, props: Partial<aws.EksClusterProps> = {}): aws.WorkloadIdentity {
  return cluster(stack, props).addWorkloadIdentity('worker', { namespace: 'shop', serviceAccount: 'orders-worker' });
}

/** No statement of any policy of the stack has a wildcard action or a bare `*` resource. */
function expectNoWildcards(statements: any[]): void {
  for (const s of statements) {
    for (const a of [s.Action].flat()) expect(a).not.toBe('*');
    for (const r of [s.Resource].flat()) expect(r).not.toBe('*');
  }
}

describe('WorkloadIdentity: the handle', () => {
  test('EKS Pod Identity by default: the association and the trust name exactly the cluster, namespace and ServiceAccount, no annotation', () => {
    const stack = newStack();
    const id = worker(stack);
    const json = synth(stack);
    expect(id.mechanism).toBe(aws.IdentityMechanism.POD_IDENTITY);
    const assoc = resourceAt(json, 'aws_eks_pod_identity_association', 'prod_worker_association');
    expect(assoc.namespace).toBe('shop');
    expect(assoc.service_account).toBe('orders-worker');
    expect(assoc.role_arn).toMatch(/^\$\{aws_iam_role\.prod_worker_role_[0-9A-F]{8}\.arn\}$/);
    const trust = JSON.parse(resourceAt(json, 'aws_iam_role', 'prod_worker_role').assume_role_policy).Statement;
    // only this cluster's pods of that namespace and ServiceAccount (the session tags EKS sets), not any association of the account
    expect(trust).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          // the cluster by its ARN (region and account): a cluster named prod in another region is not this one
          'aws:RequestTag/eks-cluster-arn': expect.stringMatching(/^arn:aws:eks:eu-west-1:\$\{data\.aws_caller_identity\.shipshape-aws-context_caller_[0-9A-F]{8}\.account_id\}:cluster\/prod$/),
          'aws:RequestTag/kubernetes-namespace': 'shop',
          'aws:RequestTag/kubernetes-service-account': 'orders-worker',
        },
      },
    }]);
    expect(id.profile).toEqual({ namespace: 'shop', serviceAccount: 'orders-worker', roleName: 'prod-worker', mechanism: 'pod-identity', serviceAccountAnnotations: {}, clusterName: 'prod' });
  });

  test('IRSA: the trust names exactly system:serviceaccount:<ns>:<sa>; the profile carries the literal ARN when the account is known', () => {
    const stack = newStack();
    const id = cluster(stack, { account: '123456789012' }).addWorkloadIdentity('worker', {
      namespace: 'shop', serviceAccount: 'orders-worker', mechanism: aws.IdentityMechanism.IRSA,
    });
    const json = synth(stack);
    expect(resources(json, 'aws_eks_pod_identity_association')).toHaveLength(0);
    const cond = JSON.parse(resourceAt(json, 'aws_iam_role', 'prod_worker_role').assume_role_policy).Statement[0].Condition;
    expect(Object.keys(cond)).toEqual(['StringEquals']);
    const subs = Object.entries(cond.StringEquals).filter(([k]) => k.endsWith(':sub')).map(([, v]) => v);
    expect(subs).toEqual(['system:serviceaccount:shop:orders-worker']);
    expect(id.profile.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/prod-worker' });
  });

  test('IRSA without the account: the profile has no annotation (the ARN exists only after apply) and no token', () => {
    const id = cluster(newStack()).addWorkloadIdentity('worker', { namespace: 'shop', serviceAccount: 'orders-worker', mechanism: aws.IdentityMechanism.IRSA });
    expect(id.profile.serviceAccountAnnotations).toEqual({});
    expect(Token.isUnresolved(id.serviceAccountAnnotations['eks.amazonaws.com/role-arn'])).toBe(true);
    expect(JSON.stringify(id.profile)).not.toMatch(/TfToken|\$\{/);
  });

  test('error: an unknown mechanism', () => {
    expect(errorOf(() => cluster(newStack()).addWorkloadIdentity('x', { namespace: 'a', serviceAccount: 'b', mechanism: 'kiam' as any })))
      .toBe('test/prod/x: mechanism ("kiam") must be one of irsa, pod-identity; use IdentityMechanism.POD_IDENTITY (or IRSA)');
  });
});

describe('WorkloadIdentity: typed grants', () => {
  test('grantReadObjects: ListBucket on the bucket, GetObject on its objects; no KMS statement for an SSE-S3 bucket', () => {
    const stack = newStack();
    const bucket = new S3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    worker(stack).grantReadObjects(bucket);
    const json = synth(stack);
    expect(policyOf(json, 'prod_worker')).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['${aws_s3_bucket.assets.arn}'] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['${aws_s3_bucket.assets.arn}/*'] },
    ]);
  });

  test('grantReadObjects on a bucket encrypted by an encryption configuration with a key of the stack: Decrypt through S3 on that key only', () => {
    const stack = newStack();
    const key = new KmsKey(stack, 'data-key', { enableKeyRotation: true });
    const bucket = new S3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    new S3BucketServerSideEncryptionConfigurationA(stack, 'sse', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn } }],
    });
    worker(stack).grantReadObjects(bucket);
    const statements = policyOf(synth(stack), 'prod_worker');
    expect(statements[2]).toEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: ['${aws_kms_key.data-key.arn}'],
      Condition: { StringLike: { 'kms:ViaService': ['s3.*.amazonaws.com'], 'kms:EncryptionContext:aws:s3:arn': ['${aws_s3_bucket.assets.arn}', '${aws_s3_bucket.assets.arn}/*'] } },
    });
    expectNoWildcards(statements);
  });

  test('grantReadWriteObjects: object writes and deletes, GenerateDataKey for a key named by its alias in the bucket\'s own encryption block', () => {
    const stack = newStack();
    const key = new KmsKey(stack, 'data-key', { enableKeyRotation: true });
    new KmsAlias(stack, 'data-alias', { name: 'alias/shop-data', targetKeyId: key.keyId });
    const bucket = new S3Bucket(stack, 'assets', {
      bucket: 'shop-assets',
      serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/shop-data' } } },
    });
    worker(stack).grantReadWriteObjects(bucket);
    const statements = policyOf(synth(stack), 'prod_worker');
    expect(statements[1]).toEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: ['${aws_s3_bucket.assets.arn}/*'],
    });
    expect(statements[2]).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ['${aws_kms_key.data-key.arn}'] });
  });

  test('grantConsumeMessages: receive, delete, visibility, attributes and URL of one queue; its key found by key_id', () => {
    const stack = newStack();
    const key = new KmsKey(stack, 'data-key', { enableKeyRotation: true });
    const queue = new SqsQueue(stack, 'orders', { name: 'orders', kmsMasterKeyId: key.keyId });
    worker(stack).grantConsumeMessages(queue);
    expect(policyOf(synth(stack), 'prod_worker')).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: ['${aws_sqs_queue.orders.arn}'],
      },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['${aws_kms_key.data-key.arn}'], Condition: { StringLike: { 'kms:ViaService': ['sqs.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': ['${aws_sqs_queue.orders.arn}'] } } },
    ]);
  });

  test('grantSendMessages: SendMessage only; an AWS-managed key (alias/aws/sqs) needs no KMS statement', () => {
    const stack = newStack();
    const queue = new SqsQueue(stack, 'orders', { name: 'orders', kmsMasterKeyId: 'alias/aws/sqs' });
    worker(stack).grantSendMessages(queue);
    expect(policyOf(synth(stack), 'prod_worker')).toEqual([
      { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: ['${aws_sqs_queue.orders.arn}'] },
    ]);
  });

  test('grantSendMessages with a customer key: GenerateDataKey and Decrypt through SQS; a literal key ARN is used as is', () => {
    const stack = newStack();
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    worker(stack).grantSendMessages(new SqsQueue(stack, 'orders', { name: 'orders', kmsMasterKeyId: arn }));
    expect(policyOf(synth(stack), 'prod_worker')[1]).toEqual({
      Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [arn], Condition: { StringLike: { 'kms:ViaService': ['sqs.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': ['${aws_sqs_queue.orders.arn}'] } },
    });
  });

  test('grantReadSecret: GetSecretValue and DescribeSecret on one secret, Decrypt through Secrets Manager on its key', () => {
    const stack = newStack();
    const key = new KmsKey(stack, 'data-key', { enableKeyRotation: true });
    worker(stack).grantReadSecret(new SecretsmanagerSecret(stack, 'db', { name: 'shop/db', kmsKeyId: key.arn }));
    expect(policyOf(synth(stack), 'prod_worker')).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: ['${aws_secretsmanager_secret.db.arn}'] },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['${aws_kms_key.data-key.arn}'], Condition: { StringLike: { 'kms:ViaService': ['secretsmanager.*.amazonaws.com'] }, StringEquals: { 'kms:EncryptionContext:SecretARN': ['${aws_secretsmanager_secret.db.arn}'] } } },
    ]);
  });

  test('grants and addToPolicy accumulate in one inline policy, after the statements given at construction', () => {
    const stack = newStack();
    const id = cluster(stack).addWorkloadIdentity('worker', {
      namespace: 'shop',
      serviceAccount: 'orders-worker',
      statements: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:audit'] }],
    });
    id.grantReadSecret(new SecretsmanagerSecret(stack, 'db', { name: 'shop/db' }));
    id.addToPolicy({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/shop/*'] });
    const json = synth(stack);
    expect(resources(json, 'aws_iam_role_policy').filter((p) => p.role.includes('prod_worker_role'))).toHaveLength(1);
    expect(policyOf(json, 'prod_worker').map((s) => s.Action[0])).toEqual(['sqs:SendMessage', 'secretsmanager:GetSecretValue', 'ssm:GetParameter']);
    expect(id.policy).toBeDefined();
  });

  test('an identity without statements has no inline policy', () => {
    const stack = newStack();
    const id = worker(stack);
    expect(id.policy).toBeUndefined();
    expect(resources(synth(stack), 'aws_iam_role_policy').filter((p) => p.role.includes('prod_worker_role'))).toHaveLength(0);
  });

  test('error: a grant given another resource type', () => {
    const stack = newStack();
    const queue = new SqsQueue(stack, 'orders', { name: 'orders' });
    expect(errorOf(() => worker(stack).grantReadObjects(queue as any))).toBe(
      'test/prod/worker: grantReadObjects ("aws_sqs_queue") must be a aws_s3_bucket resource (S3Bucket from @cdktf/provider-aws/lib/s3-bucket); '
      + 'pass the S3Bucket construct itself, or grant access with addToPolicy() and the resource ARN');
  });

  test('error: a key the stack does not define (the grant could not name it)', () => {
    const stack = newStack();
    const queue = new SqsQueue(stack, 'orders', { name: 'orders', kmsMasterKeyId: 'alias/elsewhere' });
    expect(errorOf(() => worker(stack).grantConsumeMessages(queue))).toBe(
      'test/prod/worker: grantConsumeMessages ("alias/elsewhere") encrypts test/orders with a KMS key that is neither AWS-managed nor defined in this stack, '
      + 'so the grant cannot name it (kms:Decrypt needs the key ARN); encrypt the resource with a key ARN or an aws_kms_key/aws_kms_alias of the stack, '
      + 'or add the KMS statement yourself with addToPolicy()');
  });

  test('error: addToPolicy with a wildcard action', () => {
    expect(errorOf(() => worker(newStack()).addToPolicy({ actions: ['*'], resources: ['arn:aws:s3:::x'] }))).toBe(
      'test/prod/worker: addToPolicy[0].actions ("*") must be <service>:<action> (a lone "*" is refused); name the actions, for example \'s3:GetObject\'');
  });
});

describe('WorkloadIdentity: grants as a whole', () => {
  test('a bucket or queue encrypted with a key of the stack after the grant still gets its KMS statement (looked up again at synth)', () => {
    const stack = newStack();
    const id = worker(stack);
    const key = new KmsKey(stack, 'data-key', { enableKeyRotation: true });
    const bucket = new S3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    const queue = new SqsQueue(stack, 'orders', { name: 'orders' });
    id.grantReadObjects(bucket);
    id.grantConsumeMessages(queue);
    new S3BucketServerSideEncryptionConfigurationA(stack, 'assets-enc', { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn } }] });
    queue.kmsMasterKeyId = key.arn;
    const kms = policyOf(synth(stack), 'prod_worker').filter(s => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kms).toEqual([
      expect.objectContaining({ Action: ['kms:Decrypt'], Resource: ['${aws_kms_key.data-key.arn}'], Condition: expect.objectContaining({ StringLike: expect.objectContaining({ 'kms:ViaService': ['s3.*.amazonaws.com'] }) }) }),
      expect.objectContaining({ Action: ['kms:Decrypt'], Resource: ['${aws_kms_key.data-key.arn}'], Condition: expect.objectContaining({ StringLike: expect.objectContaining({ 'kms:ViaService': ['sqs.*.amazonaws.com'] }) }) }),
    ]);
  });

  test('a grant made twice adds its statements once', () => {
    const stack = newStack();
    const id = worker(stack);
    const bucket = new S3Bucket(stack, 'assets', { bucket: 'shop-assets' });
    id.grantReadObjects(bucket);
    id.grantReadObjects(bucket);
    id.grantReadObjectsByArn('arn:aws:s3:::shop-archive');
    id.grantReadObjectsByArn('arn:aws:s3:::shop-archive');
    expect(policyOf(synth(stack), 'prod_worker')).toHaveLength(4);
  });

  test('an inline policy past IAM\'s size quota (10,240 characters without whitespace) is refused at synth: apply would fail with LimitExceeded', () => {
    const stack = newStack();
    const id = worker(stack);
    const grant = (i: number) => id.grantReadWriteObjectsByArn(`arn:aws:s3:::acme-data-lake-zone-${i}`,
      `arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 15; i++) grant(i);
    expect(id.node.validate()).toEqual([]);
    for (let i = 15; i < 17; i++) grant(i);
    expect(id.node.validate()).toEqual([expect.stringMatching(/^test\/prod\/worker: the role's inline policy is at least 10\d{3} characters without whitespace \(51 statements\), past IAM's quota of 10240 for a role's inline policies: terraform apply fails with LimitExceeded; give the workloads/)]);
  });
});
