import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import { fail, pathOf } from '../../core/errors';
import { Names } from '../../core/names';
import { AccessGrantOptions, AccessPolicy } from '../access-policy';

const PRINCIPAL = /^(arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+|\$\{.+\})$/;

/**
 * The access entries and policy associations of one cluster: one entry per principal, one association
 * per principal and policy.
 * @internal
 */
export class AccessGrants {
  private readonly entries = new Map<string, EksAccessEntry>();
  private readonly associations = new Map<string, string>();
  private admins = 0;
  private adminIds = 0;
  private grantIds = 0;

  constructor(private readonly scope: Construct, private readonly clusterNameRef: string, private readonly tags: { [key: string]: string }) {}

  /** Number of principals with cluster-wide cluster-admin. */
  public get clusterAdmins(): number {
    return this.admins;
  }

  /** `grantClusterAdmin`: keeps the construct ids `admin-<n>` / `admin-<n>-policy`. */
  public grantClusterAdmin(principalArn: string): void {
    this.checkPrincipal('admins', principalArn);
    this.grant(`admin-${this.adminIds++}`, principalArn, AccessPolicy.CLUSTER_ADMIN, undefined);
  }

  /** `grantAccess`: construct ids `access-<n>` / `access-<n>-policy`. */
  public grantAccess(principalArn: string, options: AccessGrantOptions): void {
    this.checkPrincipal('principalArn', principalArn);
    const policy = options?.policy;
    if (!policy || typeof policy.policyName !== 'string' || !/^AmazonEKS[A-Za-z]+Policy$/.test(policy.policyName)) {
      fail(this.scope, 'policy', policy?.policyName, 'must be an EKS access policy (AmazonEKS...Policy)', 'use AccessPolicy.VIEW, EDIT, ADMIN or CLUSTER_ADMIN');
    }
    let namespaces: string[] | undefined;
    if (options.namespaces !== undefined) {
      if (!Array.isArray(options.namespaces) || options.namespaces.length === 0) {
        fail(this.scope, 'namespaces', options.namespaces, 'must list at least one namespace when given', 'list the namespaces, or leave namespaces out for the whole cluster');
      }
      namespaces = options.namespaces.map((n, i) => Names.dnsLabel(this.scope, `namespaces[${i}]`, n));
      const dup = namespaces.find((n, i) => namespaces!.indexOf(n) !== i);
      if (dup) fail(this.scope, 'namespaces', dup, 'appears twice', 'list each namespace once');
      if (policy.policyName === AccessPolicy.CLUSTER_ADMIN.policyName) {
        fail(this.scope, 'namespaces', namespaces, 'must be left out for AccessPolicy.CLUSTER_ADMIN (cluster-admin is cluster-wide)',
          'use AccessPolicy.ADMIN for a namespace administrator');
      }
    }
    this.grant(`access-${this.grantIds++}`, principalArn, policy, namespaces);
  }

  private checkPrincipal(prop: string, principalArn: string): void {
    if (typeof principalArn !== 'string' || !PRINCIPAL.test(principalArn)) {
      fail(this.scope, prop, principalArn, 'must be an IAM role or user ARN', "pass an ARN like 'arn:aws:iam::123456789012:role/platform-admin'");
    }
  }

  private grant(id: string, principalArn: string, policy: AccessPolicy, namespaces: string[] | undefined): void {
    const key = `${principalArn}|${policy.policyName}`;
    const existing = this.associations.get(key);
    if (existing !== undefined) {
      fail(this.scope, 'policy', policy.policyName, `is already granted to ${principalArn} by ${existing} (EKS keeps one association per principal and policy)`,
        'grant it once, listing every namespace in one call');
    }
    let entry = this.entries.get(principalArn);
    if (!entry) {
      entry = new EksAccessEntry(this.scope, id, {
        clusterName: this.clusterNameRef,
        principalArn,
        type: 'STANDARD',
        tags: this.tags,
      });
      this.entries.set(principalArn, entry);
    }
    const association = new EksAccessPolicyAssociation(this.scope, `${id}-policy`, {
      clusterName: this.clusterNameRef,
      principalArn,
      policyArn: `arn:${AwsContext.of(this.scope).partition}:eks::aws:cluster-access-policy/${policy.policyName}`,
      accessScope: namespaces ? { type: 'namespace', namespaces } : { type: 'cluster' },
      dependsOn: [entry],
    });
    this.associations.set(key, pathOf(association));
    if (policy.policyName === AccessPolicy.CLUSTER_ADMIN.policyName && !namespaces) this.admins++;
  }
}
