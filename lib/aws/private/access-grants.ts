import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import { fail, pathOf } from '../../core/errors';
import type { TeamAccessProfile } from '../../core/fleet';
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
  private teamIds = 0;

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

  /**
   * `grantTeamAccess`: an access entry mapping the principal into the team's Kubernetes groups (construct id
   * `team-<n>`) and, when the entry names an access policy, an association scoped to the team's namespaces
   * (`team-<n>-policy`).
   */
  public grantTeam(clusterName: string, entry: TeamAccessProfile): void {
    if (!entry || typeof entry !== 'object') fail(this.scope, 'entry', entry, 'must be a TeamAccessProfile', 'pass TeamNamespace.accessEntry or one of Fleet.accessEntries');
    if (entry.clusterName !== clusterName) {
      fail(this.scope, 'entry.clusterName', entry.clusterName, `must be this cluster's name (${clusterName}): the entry was made for another cluster`,
        `grant it on cluster ${entry.clusterName}, or take the entry of cluster ${clusterName} from Fleet.accessEntries`);
    }
    this.checkPrincipal('entry.principalArn', entry.principalArn);
    const groups = entry.kubernetesGroups;
    if (!Array.isArray(groups) || groups.length === 0) {
      fail(this.scope, 'entry.kubernetesGroups', groups, "must list at least one Kubernetes group (what the team's RoleBindings bind)", 'take the entry from TeamNamespace.accessEntry');
    }
    for (const g of groups) {
      if (typeof g !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9:._@-]{0,62}$/.test(g) || g.startsWith('system:')) {
        fail(this.scope, 'entry.kubernetesGroups', g, 'must be group names of letters, digits and :._@- that do not start with system: (EKS refuses those)', "name the team's own group");
      }
    }
    const namespaces = (entry.namespaces ?? []).map((n, i) => Names.dnsLabel(this.scope, `entry.namespaces[${i}]`, n));
    const policy = entry.accessPolicy;
    if (policy !== undefined) {
      if (policy === AccessPolicy.CLUSTER_ADMIN.policyName) {
        fail(this.scope, 'entry.accessPolicy', policy, 'must not be cluster-admin: a team gets access to its own namespaces only',
          'use AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy, or grant a platform admin with grantClusterAdmin()');
      }
      if (!/^AmazonEKS[A-Za-z]+Policy$/.test(policy)) {
        fail(this.scope, 'entry.accessPolicy', policy, 'must be an EKS access policy (AmazonEKS...Policy)', 'use AmazonEKSViewPolicy, AmazonEKSEditPolicy or AmazonEKSAdminPolicy');
      }
      if (namespaces.length === 0) {
        fail(this.scope, 'entry.namespaces', entry.namespaces, `must list the team's namespaces: ${policy} is granted in them only`, 'take the entry from TeamNamespace.accessEntry');
      }
    }
    const id = `team-${this.teamIds++}`;
    const existing = this.entries.get(entry.principalArn);
    if (existing) {
      existing.kubernetesGroups = [...new Set([...(existing.kubernetesGroupsInput ?? []), ...groups])].sort();
    } else {
      this.entries.set(entry.principalArn, new EksAccessEntry(this.scope, id, {
        clusterName: this.clusterNameRef,
        principalArn: entry.principalArn,
        type: 'STANDARD',
        kubernetesGroups: [...groups],
        tags: this.tags,
      }));
    }
    if (policy !== undefined) this.grant(id, entry.principalArn, AccessPolicy.of(policy), namespaces);
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
