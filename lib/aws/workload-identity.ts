import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { PolicyStatement } from './policy-statement';
import { partitionOf, policyJson } from './private/aws-context';
import { claimServiceAccount } from './private/registry';
import { renderStatements } from './private/statements';
import { WorkloadIdentityProfile } from '../core/cluster-profile';
import { fail } from '../core/errors';
import { Names } from '../core/names';

/**
 * How a pod gets its IAM role.
 */
export enum IdentityMechanism {
  /** IAM Roles for Service Accounts: OIDC trust scoped to the ServiceAccount; the ServiceAccount carries an annotation. */
  IRSA = 'irsa',
  /** EKS Pod Identity: an association names namespace, ServiceAccount and role; no annotation. */
  POD_IDENTITY = 'pod-identity',
}

/**
 * Options of `EksCluster.addWorkloadIdentity()`.
 */
export interface WorkloadIdentityOptions {
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
  /**
   * Inline policy statements of the role.
   * @default - none
   */
  readonly statements?: PolicyStatement[];
  /**
   * Managed policy ARNs to attach.
   * @default - none
   */
  readonly managedPolicyArns?: string[];
  /**
   * IRSA or EKS Pod Identity.
   * @default IdentityMechanism.IRSA
   */
  readonly mechanism?: IdentityMechanism;
  /**
   * The IAM role name.
   * @default - `<cluster name>-<id in kebab case>`
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
 * One IAM role for one application, assumable only by one Kubernetes ServiceAccount
 * (IRSA `sub` + `aud` conditions, or an EKS Pod Identity association). A ServiceAccount gets at most
 * one identity per cluster: a second one is refused, naming both constructs.
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

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const b = props.cluster;
    this.mechanism = props.mechanism ?? IdentityMechanism.IRSA;
    this.namespace = Names.dnsLabel(this, 'namespace', props.namespace);
    this.serviceAccount = Names.dnsSubdomain(this, 'serviceAccount', props.serviceAccount);
    this.roleName = props.roleName ?? `${b.clusterName}-${Names.kebab(id)}`;
    if (!/^[\w+=,.@-]{1,64}$/.test(this.roleName)) {
      fail(this, 'roleName', this.roleName, 'must be 1-64 characters of letters, digits and +=,.@_-', 'pass a shorter roleName');
    }
    claimServiceAccount(b, this, this.namespace, this.serviceAccount);
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
      }];

    this.resource = new IamRole(this, 'role', {
      name: this.roleName,
      description: `Workload identity of ${this.namespace}/${this.serviceAccount} in ${b.clusterName}`,
      assumeRolePolicy: policyJson(trust),
      tags: b.resourceTags,
    });
    this.roleArn = this.resource.arn;
    if (statements.length > 0) {
      new IamRolePolicy(this, 'policy', { role: this.resource.name, name: 'workload', policy: policyJson(statements) });
    }
    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.resource.name, policyArn: arn });
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
   * The identity as a plain value for the cluster profile.
   * @internal
   */
  public _toProfile(): WorkloadIdentityProfile {
    return {
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      roleName: this.roleName,
      mechanism: this.mechanism,
      serviceAccountAnnotations: this.plainArn ? { 'eks.amazonaws.com/role-arn': this.plainArn } : {},
    };
  }
}
