import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Aspects, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { PolicyStatement } from './policy-statement';
import { ArnKind, BUCKET_ARN, checkArn, checkIamArnPartition, checkPartitions, KMS_KEY_ARN, QUEUE_ARN, SECRET_ARN } from './private/arns';
import { AwsContext, partitionOf, policyJson } from './private/aws-context';
import { bucketKeyRef, customerKeyArn, expectResource, renderedJson } from './private/grants';
import { claimServiceAccount, missingEndpoints } from './private/registry';
import { renderStatements } from './private/statements';
import { VpcEndpointService } from './vpc-endpoints';
import { WorkloadIdentityProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { Names } from '../core/names';

/**
 * How a pod gets its IAM role.
 */
export enum IdentityMechanism {
  /**
   * IAM Roles for Service Accounts: OIDC trust scoped to `system:serviceaccount:<namespace>:<serviceAccount>`; the
   * ServiceAccount carries the role ARN as an annotation, which the YAML can only hold when the cluster knows its account.
   */
  IRSA = 'irsa',
  /**
   * EKS Pod Identity: an association names cluster, namespace, ServiceAccount and role; the ServiceAccount needs no
   * annotation (no account id in the YAML). Needs the eks-pod-identity-agent add-on (installed by `EksCluster`; built
   * into EKS Auto Mode).
   */
  POD_IDENTITY = 'pod-identity',
}

/**
 * Options of `EksCluster.addWorkloadIdentity()`.
 */
export interface WorkloadIdentityOptions {
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /**
   * The ServiceAccount's name: name it after the workload. `default` is refused: every namespace has a ServiceAccount
   * `default`, the one pods without their own run as, so the role would go to every such pod of the namespace.
   */
  readonly serviceAccount: string;
  /**
   * Inline policy statements of the role.
   * @default - none
   */
  readonly statements?: PolicyStatement[];
  /**
   * Managed policy ARNs to attach (`arn:aws:iam::aws:policy/<name>` or `arn:aws:iam::<account>:policy/<name>`; `arn:aws-cn:`,
   * `arn:aws-us-gov:`... for a cluster in a region of that partition: another partition is refused). An administrator's
   * policy (AdministratorAccess, PowerUserAccess, IAMFullAccess) fails the Terraform pack's SS-EKS-023.
   * @default - none
   */
  readonly managedPolicyArns?: string[];
  /**
   * EKS Pod Identity or IRSA.
   * @default IdentityMechanism.POD_IDENTITY
   */
  readonly mechanism?: IdentityMechanism;
  /**
   * The IAM role name (at most 64 characters, unique in the account).
   * @default - `<cluster name>-<id in kebab case>`; refused when longer than 64 characters (pass roleName then)
   */
  readonly roleName?: string;
}

/**
 * Properties of a `WorkloadIdentity`.
 */
export interface WorkloadIdentityProps extends WorkloadIdentityOptions {
  /** The cluster the ServiceAccount lives in. */
  readonly cluster: IEksCluster;
}

/**
 * One IAM role for one application, assumable only by one Kubernetes ServiceAccount (an EKS Pod Identity
 * association naming exactly its namespace and name, or an IRSA trust on exactly
 * `system:serviceaccount:<namespace>:<name>`). A ServiceAccount gets at most one identity per cluster: a second
 * one is refused, naming both constructs.
 *
 * Permissions: typed, least-privilege grants on provider resources (`grantReadObjects(bucket)`,
 * `grantConsumeMessages(queue)`, ...: each a statement on that resource's ARN, plus KMS use through the service and
 * for that resource only (its encryption context) when the resource is encrypted with a customer-managed key of the
 * stack); the same grants on a resource the stack
 * does not define, by its ARN (`grantReadObjectsByArn(bucketArn, kmsKeyArn?)`, ...; a literal ARN of another
 * partition than that of the cluster's region is refused, as IAM would refuse the policy); or `addToPolicy()` with a
 * typed statement. The Kubernetes side takes `profile`.
 */
export class WorkloadIdentity extends Construct {
  /** The role ARN (a Terraform token). */
  public readonly roleArn: string;
  /** The role name (plain). */
  public readonly roleName: string;
  /** The ServiceAccount's namespace. */
  public readonly namespace: string;
  /** The ServiceAccount's name. */
  public readonly serviceAccount: string;
  /** IRSA or Pod Identity. */
  public readonly mechanism: IdentityMechanism;
  /**
   * The annotations the ServiceAccount needs: `eks.amazonaws.com/role-arn` for IRSA (a token unless
   * the cluster knows its account id), none for Pod Identity.
   */
  public readonly serviceAccountAnnotations: { [key: string]: string };
  /** Escape hatch: the IAM role. */
  public readonly resource: IamRole;
  /** Escape hatch: the Pod Identity association (Pod Identity only). */
  public readonly association?: EksPodIdentityAssociation;
  private readonly plainArn?: string;
  private readonly plainClusterName?: string;
  /** The cluster's region and name, for the partition of the ARNs a `...ByArn` grant takes. */
  private readonly clusterRegion: string;
  private readonly clusterLabel: string;
  private inlinePolicy?: IamRolePolicy;
  private readonly statements: any[] = [];
  /**
   * The grants on resources of the stack whose customer-managed key did not show when they were made: looked up again
   * at synth (an encryption configuration added after the grant), when the KMS statement is added if one shows then.
   */
  private readonly keysToFind: Array<() => void> = [];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const b = props.cluster;
    this.mechanism = props.mechanism ?? IdentityMechanism.POD_IDENTITY;
    if (!Object.values(IdentityMechanism).includes(this.mechanism)) {
      fail(this, 'mechanism', this.mechanism, `must be one of ${Object.values(IdentityMechanism).join(', ')}`, 'use IdentityMechanism.POD_IDENTITY (or IRSA)');
    }
    this.namespace = Names.dnsLabel(this, 'namespace', props.namespace);
    this.serviceAccount = Names.dnsSubdomain(this, 'serviceAccount', props.serviceAccount);
    if (this.serviceAccount === 'default') {
      // the Kubernetes side refuses a workload whose ServiceAccount is "default" (lib/k8s/workloads/workload.ts), in the same words
      fail(this, 'serviceAccount', this.serviceAccount, 'names the ServiceAccount "default", the ServiceAccount every namespace already has: '
        + `the role would go to every pod of namespace ${this.namespace} without its own ServiceAccount`,
      'name the ServiceAccount after the workload (for example the workload\'s name), and give the workload that identity');
    }
    this.roleName = props.roleName ?? `${b.clusterName}-${Names.kebab(id)}`;
    if (!/^[\w+=,.@-]{1,64}$/.test(this.roleName)) {
      if (props.roleName === undefined) {
        fail(this, 'roleName', this.roleName, `must be 1-64 characters of letters, digits and +=,.@_- (an IAM role name); it derives from clusterName (${b.clusterName.length} characters) `
          + 'and the construct id, as <clusterName>-<id in kebab case>', 'pass roleName (at most 64 characters, unique in the account), or use a shorter id');
      }
      fail(this, 'roleName', this.roleName, 'must be 1-64 characters of letters, digits and +=,.@_-', 'pass a shorter roleName');
    }
    claimServiceAccount(b, this, this.namespace, this.serviceAccount);
    this.plainClusterName = typeof b.clusterName === 'string' && !Token.isUnresolved(b.clusterName) ? b.clusterName : undefined;
    this.clusterRegion = b.region;
    this.clusterLabel = this.plainClusterName ?? b.node.path;
    const issuerHost = b.oidcIssuerHost;
    const statements = renderStatements(this, 'statements', props.statements ?? []);

    const trust = this.mechanism === IdentityMechanism.IRSA
      ? [{
        Effect: 'Allow',
        Principal: { Federated: b.oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuerHost}:sub`]: `system:serviceaccount:${this.namespace}:${this.serviceAccount}`,
            [`${issuerHost}:aud`]: 'sts.amazonaws.com',
          },
        },
      }]
      : [{
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        // without a condition any Pod Identity association of the account could use the role; the session tags EKS
        // sets when it assumes the role name the cluster, namespace and ServiceAccount of the pod. The cluster goes by
        // its ARN: a cluster of the same name in another region of the account is another cluster
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': `arn:${AwsContext.of(this).partitionIn(b.region)}:eks:${b.region}:${b.account ?? AwsContext.of(this).accountId}:cluster/${b.clusterName}`,
            'aws:RequestTag/kubernetes-namespace': this.namespace,
            'aws:RequestTag/kubernetes-service-account': this.serviceAccount,
          },
        },
      }];

    this.resource = new IamRole(this, 'role', {
      name: this.roleName,
      description: `Workload identity of ${this.namespace}/${this.serviceAccount} in ${b.clusterName}`,
      assumeRolePolicy: policyJson(trust),
      tags: b.resourceTags,
    });
    this.roleArn = this.resource.arn;
    this.addRendered(statements);
    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      // a token (the partition, a policy of the stack) is known at apply only
      if (typeof arn !== 'string' || (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/.test(arn))) {
        fail(this, `managedPolicyArns[${i}]`, arn, 'is not the ARN of an IAM managed policy', `write the whole ARN, for example ${JSON.stringify(`arn:aws:iam::aws:policy/${typeof arn === 'string' && /^[\w+=,.@-]+$/.test(arn) ? arn : 'AmazonS3ReadOnlyAccess'}`)} `
          + '(an AWS managed policy) or arn:aws:iam::<account>:policy/<name>');
      }
      checkIamArnPartition(this, `managedPolicyArns[${i}]`, arn, b.region, 'IAM refuses, at apply, to attach a policy of another partition to the role');
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.resource.name, policyArn: arn });
    });
    // at synth (aspects run before validation and rendering): the keys of resources encrypted after their grant
    Aspects.of(this).add({ visit: (node) => { if (node === this) this.keysToFind.splice(0).forEach(find => find()); } });
    // IAM refuses, at apply, a role whose inline policies exceed its size quota
    this.node.addValidation({ validate: () => this.policySizeProblems() });
    // in a network without internet access the pods reach AWS through VPC endpoints only: one for each service the
    // role's statements call (those shipshape knows an endpoint name for), and STS for IRSA's web identity
    const network = b.network;
    this.node.addValidation({
      validate: () => {
        if (network.internetAccess) return [];
        const services = new Set<string>(this.mechanism === IdentityMechanism.IRSA ? ['sts'] : []);
        for (const st of this.statements) {
          // KMS used through another service (kms:ViaService, a grant for an AWS resource): that service calls KMS, not the pod
          const conditions = JSON.stringify(st?.Condition ?? {});
          if (/kms:ViaService|kms:GrantIsForAWSResource/.test(conditions)) continue;
          for (const a of [st?.Action ?? []].flat()) {
            const service = typeof a === 'string' ? a.slice(0, a.indexOf(':')).toLowerCase() : '';
            if (ENDPOINT_SERVICES.includes(service)) services.add(service);
          }
        }
        const missing = missingEndpoints(network, [...services].sort());
        if (missing.length === 0) return [];
        // the defaults already hold some of the missing services: list only the others after them (a service listed twice is refused)
        const defaults = VpcEndpointService.eksNodeDefaults().map(s => s.name);
        const extra = missing.filter(m => !defaults.includes(m));
        const servicesExpr = extra.length === 0
          ? `VpcEndpointService.eksNodeDefaults(), which includes ${missing.map(m => endpointExpr(m).replace('VpcEndpointService.', '')).join(', ')}`
          : `[...VpcEndpointService.eksNodeDefaults(), ${extra.map(m => endpointExpr(m)).join(', ')}]`;
        return [`${this.node.path}: network (${network.node.path}) has no internet access and no VPC endpoint for ${missing.join(', ')}, which the role's `
          + `${missing.every(m => m === 'sts') ? 'web identity (IRSA) needs' : 'statements call'}: the pods' SDK calls time out; add ${missing.length === 1 ? 'it' : 'them'} to the network's `
          + `VpcEndpoints (services: ${servicesExpr})`];
      },
    });
    if (this.mechanism === IdentityMechanism.POD_IDENTITY) {
      this.association = new EksPodIdentityAssociation(this, 'association', {
        clusterName: b.clusterNameRef,
        namespace: this.namespace,
        serviceAccount: this.serviceAccount,
        roleArn: this.roleArn,
        tags: b.resourceTags,
      });
      this.serviceAccountAnnotations = {};
    } else {
      if (b.account) this.plainArn = `arn:${partitionOf(b.region)}:iam::${b.account}:role/${this.roleName}`;
      this.serviceAccountAnnotations = { 'eks.amazonaws.com/role-arn': this.plainArn ?? this.roleArn };
    }
  }

  /**
   * Escape hatch: the role's inline policy, created with the first statement or grant.
   * @default - none until a statement or grant is added
   */
  public get policy(): IamRolePolicy | undefined {
    return this.inlinePolicy;
  }

  /**
   * The identity as a plain value, the handle the Kubernetes side takes (`identity:` of a workload): namespace,
   * ServiceAccount, role name and mechanism. For IRSA, `serviceAccountAnnotations` holds the literal role ARN when
   * the cluster knows its account, and is empty otherwise (the ARN exists only after apply; the Kubernetes side
   * then refuses the identity). Pod Identity needs no annotation.
   */
  public get profile(): WorkloadIdentityProfile {
    return {
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      roleName: this.roleName,
      mechanism: this.mechanism,
      serviceAccountAnnotations: this.plainArn ? { 'eks.amazonaws.com/role-arn': this.plainArn } : {},
      ...(this.plainClusterName !== undefined ? { clusterName: this.plainClusterName } : {}),
    };
  }

  /**
   * The identity as a plain value for the cluster profile (same as `profile`).
   * @internal
   */
  public _toProfile(): WorkloadIdentityProfile {
    return this.profile;
  }

  /**
   * Adds a typed statement to the role's inline policy (a lone `*` action is refused).
   */
  public addToPolicy(statement: PolicyStatement): void {
    this.addRendered(renderStatements(this, 'addToPolicy', [statement]));
  }

  /**
   * Lets the workload read the objects of a bucket: `s3:GetObject` on its objects, `s3:ListBucket` on the bucket,
   * and `kms:Decrypt` through S3 on the bucket's customer-managed key when the stack shows one.
   * For a bucket the stack does not define, use `grantReadObjectsByArn()`.
   */
  public grantReadObjects(bucket: S3Bucket): void {
    this.grantObjects(this.resourceTarget('grantReadObjects', bucket, 'aws_s3_bucket', 'S3Bucket', bucketKeyRef, READ_OBJECTS), READ_OBJECTS);
  }

  /**
   * Lets the workload read the objects of a bucket the stack does not define (a `DataAwsS3Bucket`, a bucket of
   * another stack or state, one known by its ARN): the statements of `grantReadObjects()`, `s3:ListBucket` on the
   * bucket and `s3:GetObject` on its objects (`<bucketArn>/*`), and with `kmsKeyArn` `kms:Decrypt` through S3 on
   * that key. A literal ARN with a wildcard, an object path or the wrong shape is refused.
   * @param bucketArn the bucket ARN, `arn:<partition>:s3:::<bucket>` (no `/`: the grant adds `/*` itself), or a
   * token: `new DataAwsS3Bucket(...).arn`, a `TerraformVariable`, a remote state output
   * @param kmsKeyArn the ARN of the customer-managed KMS key the bucket encrypts with,
   * `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias), or a token such as
   * `new DataAwsKmsKey(...).arn`. Left out: no KMS statement, right for SSE-S3 and AWS-managed keys; a bucket
   * encrypted with a customer-managed key needs it, else reads fail with AccessDenied on kms:Decrypt.
   */
  public grantReadObjectsByArn(bucketArn: string, kmsKeyArn?: string): void {
    this.grantObjects(this.arnTarget('grantReadObjectsByArn', BUCKET_ARN, bucketArn, kmsKeyArn), READ_OBJECTS);
  }

  /**
   * Lets the workload read, write and delete the objects of a bucket: `s3:GetObject`, `s3:PutObject`,
   * `s3:DeleteObject`, `s3:AbortMultipartUpload`, `s3:ListMultipartUploadParts` on its objects, `s3:ListBucket` on the
   * bucket, and `kms:Decrypt` / `kms:GenerateDataKey` through S3 on its customer-managed key when the stack shows one.
   * For a bucket the stack does not define, use `grantReadWriteObjectsByArn()`.
   */
  public grantReadWriteObjects(bucket: S3Bucket): void {
    this.grantObjects(this.resourceTarget('grantReadWriteObjects', bucket, 'aws_s3_bucket', 'S3Bucket', bucketKeyRef, READ_WRITE_OBJECTS), READ_WRITE_OBJECTS);
  }

  /**
   * Lets the workload read, write and delete the objects of a bucket the stack does not define (a
   * `DataAwsS3Bucket`, a bucket of another stack or state, one known by its ARN): the statements of
   * `grantReadWriteObjects()`, `s3:ListBucket` on the bucket and `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject`,
   * `s3:AbortMultipartUpload`, `s3:ListMultipartUploadParts` on its objects (`<bucketArn>/*`), and with `kmsKeyArn`
   * `kms:Decrypt` / `kms:GenerateDataKey` through S3 on that key. A literal ARN with a wildcard, an object path or
   * the wrong shape is refused.
   * @param bucketArn the bucket ARN, `arn:<partition>:s3:::<bucket>` (no `/`: the grant adds `/*` itself), or a
   * token: `new DataAwsS3Bucket(...).arn`, a `TerraformVariable`, a remote state output
   * @param kmsKeyArn the ARN of the customer-managed KMS key the bucket encrypts with,
   * `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias), or a token such as
   * `new DataAwsKmsKey(...).arn`. Left out: no KMS statement, right for SSE-S3 and AWS-managed keys; a bucket
   * encrypted with a customer-managed key needs it, else reads and writes fail with AccessDenied on kms:Decrypt /
   * kms:GenerateDataKey.
   */
  public grantReadWriteObjectsByArn(bucketArn: string, kmsKeyArn?: string): void {
    this.grantObjects(this.arnTarget('grantReadWriteObjectsByArn', BUCKET_ARN, bucketArn, kmsKeyArn), READ_WRITE_OBJECTS);
  }

  /**
   * Lets the workload consume a queue: receive, delete, change the visibility of messages, read the queue's
   * attributes and URL, and `kms:Decrypt` through SQS on its customer-managed key when the stack shows one.
   * For a queue the stack does not define, use `grantConsumeMessagesByArn()`.
   */
  public grantConsumeMessages(queue: SqsQueue): void {
    this.grantOn(this.resourceTarget('grantConsumeMessages', queue, 'aws_sqs_queue', 'SqsQueue', (q) => q.kmsMasterKeyIdInput, CONSUME_MESSAGES), CONSUME_MESSAGES);
  }

  /**
   * Lets the workload consume a queue the stack does not define (a `DataAwsSqsQueue`, a queue of another stack or
   * state, one known by its ARN): the statement of `grantConsumeMessages()` (`sqs:ReceiveMessage`,
   * `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the queue),
   * and with `kmsKeyArn` `kms:Decrypt` through SQS on that key. A literal ARN with a wildcard or the wrong shape is
   * refused.
   * @param queueArn the queue ARN, `arn:<partition>:sqs:<region>:<account>:<queue name>` (not its URL), or a
   * token: `new DataAwsSqsQueue(...).arn`, a `TerraformVariable`, a remote state output
   * @param kmsKeyArn the ARN of the customer-managed KMS key the queue encrypts with,
   * `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias), or a token such as
   * `new DataAwsKmsKey(...).arn`. Left out: no KMS statement, right for SSE-SQS and AWS-managed keys; a queue
   * encrypted with a customer-managed key needs it, else receives fail with AccessDenied on kms:Decrypt.
   */
  public grantConsumeMessagesByArn(queueArn: string, kmsKeyArn?: string): void {
    this.grantOn(this.arnTarget('grantConsumeMessagesByArn', QUEUE_ARN, queueArn, kmsKeyArn), CONSUME_MESSAGES);
  }

  /**
   * Lets the workload send to a queue (`sqs:SendMessage`, its attributes and URL), and use its customer-managed key
   * through SQS (`kms:GenerateDataKey`, `kms:Decrypt`) when the stack shows one.
   * For a queue the stack does not define, use `grantSendMessagesByArn()`.
   */
  public grantSendMessages(queue: SqsQueue): void {
    this.grantOn(this.resourceTarget('grantSendMessages', queue, 'aws_sqs_queue', 'SqsQueue', (q) => q.kmsMasterKeyIdInput, SEND_MESSAGES), SEND_MESSAGES);
  }

  /**
   * Lets the workload send to a queue the stack does not define (a `DataAwsSqsQueue`, a queue of another stack or
   * state, one known by its ARN): the statement of `grantSendMessages()` (`sqs:SendMessage`,
   * `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the queue), and with `kmsKeyArn` `kms:GenerateDataKey` /
   * `kms:Decrypt` through SQS on that key. A literal ARN with a wildcard or the wrong shape is refused.
   * @param queueArn the queue ARN, `arn:<partition>:sqs:<region>:<account>:<queue name>` (not its URL), or a
   * token: `new DataAwsSqsQueue(...).arn`, a `TerraformVariable`, a remote state output
   * @param kmsKeyArn the ARN of the customer-managed KMS key the queue encrypts with,
   * `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias), or a token such as
   * `new DataAwsKmsKey(...).arn`. Left out: no KMS statement, right for SSE-SQS and AWS-managed keys; a queue
   * encrypted with a customer-managed key needs it, else sends fail with AccessDenied on kms:GenerateDataKey.
   */
  public grantSendMessagesByArn(queueArn: string, kmsKeyArn?: string): void {
    this.grantOn(this.arnTarget('grantSendMessagesByArn', QUEUE_ARN, queueArn, kmsKeyArn), SEND_MESSAGES);
  }

  /**
   * Lets the workload read a secret's value (`secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret`), and
   * `kms:Decrypt` through Secrets Manager on its customer-managed key when the stack shows one.
   * For a secret the stack does not define, use `grantReadSecretByArn()`.
   */
  public grantReadSecret(secret: SecretsmanagerSecret): void {
    this.grantOn(this.resourceTarget('grantReadSecret', secret, 'aws_secretsmanager_secret', 'SecretsmanagerSecret', (s) => s.kmsKeyIdInput, READ_SECRET), READ_SECRET);
  }

  /**
   * Lets the workload read the value of a secret the stack does not define (a `DataAwsSecretsmanagerSecret`, a
   * secret of another stack or state, one known by its ARN): the statement of `grantReadSecret()`
   * (`secretsmanager:GetSecretValue`, `secretsmanager:DescribeSecret` on the secret), and with `kmsKeyArn`
   * `kms:Decrypt` through Secrets Manager on that key. A literal ARN with a wildcard, without the 6 random
   * characters Secrets Manager appends to the name (IAM would match nothing), or of the wrong shape is refused.
   * @param secretArn the secret's full ARN, `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`,
   * or a token: `new DataAwsSecretsmanagerSecret(...).arn`, a `TerraformVariable`, a remote state output
   * @param kmsKeyArn the ARN of the customer-managed KMS key the secret encrypts with,
   * `arn:<partition>:kms:<region>:<account>:key/<key id>` (not an alias), or a token such as
   * `new DataAwsKmsKey(...).arn`. Left out: no KMS statement, right for the AWS-managed key `aws/secretsmanager`;
   * a secret encrypted with a customer-managed key needs it, else reads fail with AccessDenied on kms:Decrypt.
   */
  public grantReadSecretByArn(secretArn: string, kmsKeyArn?: string): void {
    this.grantOn(this.arnTarget('grantReadSecretByArn', SECRET_ARN, secretArn, kmsKeyArn), READ_SECRET);
  }

  /**
   * The ARN of a provider resource of the stack and its customer-managed key, if the stack shows one; when it shows
   * none yet, it is looked up again at synth and `grant`'s KMS statement added then.
   */
  private resourceTarget(prop: string, resource: any, type: string, className: string, keyRef: (r: any) => string | undefined, grant: GrantActions): GrantTarget {
    const r: any = expectResource(this, prop, resource, type, className);
    const key = customerKeyArn(this, prop, r, keyRef(r));
    if (key === undefined) {
      this.keysToFind.push(() => {
        const later = customerKeyArn(this, prop, r, keyRef(r));
        if (later !== undefined) this.addRendered([kmsStatement(later, grant.keyActions, grant.service, r.arn)]);
      });
    }
    return { arn: r.arn, key };
  }

  /** The checked ARNs a `...ByArn` grant is given. */
  private arnTarget(prop: string, kind: ArnKind, arn: string, kmsKeyArn: string | undefined): GrantTarget {
    const checked = checkArn(this, prop, kind, arn);
    const key = kmsKeyArn === undefined || kmsKeyArn === null ? undefined : checkArn(this, `${prop}.kmsKeyArn`, KMS_KEY_ARN, kmsKeyArn);
    // a literal ARN of another partition than the role's: IAM refuses the policy at apply
    checkPartitions(this, this.clusterRegion, `cluster ${this.clusterLabel} runs in region ${this.clusterRegion}`, [
      { prop, kind, value: checked },
      ...(key === undefined ? [] : [{ prop: `${prop}.kmsKeyArn`, kind: KMS_KEY_ARN, value: key }]),
    ]);
    return { arn: checked, key };
  }

  /** The size of the inline policy past IAM's quota, as a validation error (none within it). */
  private policySizeProblems(): string[] {
    if (this.statements.length === 0) return [];
    // a reference counts as the shortest value it can become (an account id 12 characters, an ARN 20, anything else 1):
    // a policy refused here is too large whatever the references hold
    const text = policyJson(renderedJson(this, this.statements)).replace(/\s/g, '')
      .replace(/\$\{[^}]*\}/g, ref => 'x'.repeat(ref.endsWith('.account_id}') ? 12 : ref.endsWith('.arn}') ? 20 : 1));
    if (text.length <= INLINE_POLICY_QUOTA) return [];
    return [`${this.node.path}: the role's inline policy is at least ${text.length} characters without whitespace (${this.statements.length} statements), past IAM's quota of `
      + `${INLINE_POLICY_QUOTA} for a role's inline policies: terraform apply fails with LimitExceeded; give the workloads that need this access identities of their own, `
      + 'grant fewer, wider resources (the prefix of a bucket rather than many buckets), or attach customer managed policies (managedPolicyArns, 6,144 characters each)'];
  }

  private grantObjects(target: GrantTarget, grant: GrantActions): void {
    this.addRendered([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [target.arn] },
      { Effect: 'Allow', Action: [...grant.actions], Resource: [`${target.arn}/*`] },
    ]);
    if (target.key) this.addRendered([kmsStatement(target.key, grant.keyActions, grant.service, target.arn)]);
  }

  private grantOn(target: GrantTarget, grant: GrantActions): void {
    this.addRendered([{ Effect: 'Allow', Action: [...grant.actions], Resource: [target.arn] }]);
    if (target.key) this.addRendered([kmsStatement(target.key, grant.keyActions, grant.service, target.arn)]);
  }

  private addRendered(statements: any[]): void {
    // a grant made twice adds its statements once (compared as written: each read of an attribute is a new token)
    const known = new Set(this.statements.map(st => JSON.stringify(renderedJson(this, st))));
    const added = statements.filter(st => {
      const text = JSON.stringify(renderedJson(this, st));
      if (known.has(text)) return false;
      known.add(text);
      return true;
    });
    if (added.length === 0) return;
    this.statements.push(...added);
    const policy = policyJson(this.statements);
    if (this.inlinePolicy) {
      this.inlinePolicy.policy = policy;
    } else {
      this.inlinePolicy = new IamRolePolicy(this, 'policy', { role: this.resource.name, name: 'workload', policy });
    }
  }
}

/** IAM's quota on the size of a role's inline policies, in characters without whitespace. */
const INLINE_POLICY_QUOTA = 10240;

/** What a grant names: the resource ARN, and the customer-managed key to use through the service (none: undefined). */
interface GrantTarget {
  readonly arn: string;
  readonly key?: string;
}

/**
 * The actions of one grant (the same for a resource of the stack and its `...ByArn` variant): on the resource
 * (for a bucket: on its objects; `s3:ListBucket` goes on the bucket), and on its key through `service`.
 */
interface GrantActions {
  readonly service: string;
  readonly actions: string[];
  readonly keyActions: string[];
}

const READ_OBJECTS: GrantActions = { service: 's3', actions: ['s3:GetObject'], keyActions: ['kms:Decrypt'] };
const READ_WRITE_OBJECTS: GrantActions = {
  service: 's3',
  actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  keyActions: ['kms:Decrypt', 'kms:GenerateDataKey'],
};
const CONSUME_MESSAGES: GrantActions = {
  service: 'sqs',
  actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  keyActions: ['kms:Decrypt'],
};
const SEND_MESSAGES: GrantActions = { service: 'sqs', actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], keyActions: ['kms:GenerateDataKey', 'kms:Decrypt'] };
const READ_SECRET: GrantActions = { service: 'secretsmanager', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], keyActions: ['kms:Decrypt'] };

/**
 * The services whose VPC endpoint has the name of their IAM action prefix, among those a workload calls (S3 through
 * its gateway endpoint). A statement on another service is not checked: its endpoint name is not known here. Nor is
 * KMS: a role's KMS permissions are mostly used by another service on its behalf (S3, SQS, EC2 for EBS volumes), which
 * reaches KMS itself.
 */
const ENDPOINT_SERVICES = ['s3', 'sqs', 'sns', 'secretsmanager', 'ssm', 'sts', 'logs', 'events', 'lambda', 'states', 'ec2', 'eks', 'autoscaling'];

/** How a user names the endpoint of `service` in code. */
function endpointExpr(service: string): string {
  const known: { [s: string]: string } = { s3: 'S3', sqs: 'SQS', sts: 'STS', kms: 'KMS', ssm: 'SSM', logs: 'LOGS', ec2: 'EC2', eks: 'EKS', autoscaling: 'AUTOSCALING' };
  return known[service] ? `VpcEndpointService.${known[service]}` : `VpcEndpointService.interfaceEndpoint('${service}')`;
}

/**
 * KMS use on one key, through one service only (`kms:ViaService`; any region, since a bucket's is not in its ARN), and
 * for the granted resource only: the encryption context the service passes to KMS names it (S3: the bucket, or the
 * object when the bucket uses no bucket key; SQS: the queue; Secrets Manager: the secret). A key shared by several
 * resources is then usable for the granted one alone.
 */
function kmsStatement(keyArn: string, actions: string[], service: string, resourceArn: string): any {
  const via = { 'kms:ViaService': [`${service}.*.amazonaws.com`] };
  const condition = service === 's3'
    ? { StringLike: { ...via, 'kms:EncryptionContext:aws:s3:arn': [resourceArn, `${resourceArn}/*`] } }
    : service === 'sqs'
      ? { StringLike: via, StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': [resourceArn] } }
      : service === 'secretsmanager'
        ? { StringLike: via, StringEquals: { 'kms:EncryptionContext:SecretARN': [resourceArn] } }
        : { StringLike: via };
  return { Effect: 'Allow', Action: actions, Resource: [keyArn], Condition: condition };
}
