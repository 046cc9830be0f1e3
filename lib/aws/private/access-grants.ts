import { createHash } from 'crypto';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';
import { checkIamArnPartition } from './arns';
import { AwsContext } from './aws-context';
import { fail, pathOf } from '../../core/errors';
import type { TeamAccessProfile } from '../../core/fleet';
import { Names } from '../../core/names';
import { AccessGrantOptions, AccessPolicy } from '../access-policy';

const PRINCIPAL = /^(arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+|\$\{.+\})$/;
const PLAIN_PRINCIPAL = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/(.+)$/;

/**
 * The stable part of the construct ids of a principal's access entry and policy associations: derived from the
 * principal ARN (`<account>-<role|user>-<path and name>`), so adding, removing or reordering grants never moves
 * another principal's Terraform address (EKS cannot change an entry's principal in place: it would replace it).
 * Characters a construct id / Terraform name cannot carry become `-`; when that loses information (`.`, `@`, `+`, a
 * path `/` ...) a short hash of the ARN keeps two principals apart. Undefined for a token ARN (not known at synth).
 */
function principalKey(principalArn: string): string | undefined {
  const m = PLAIN_PRINCIPAL.exec(principalArn);
  if (!m) return undefined;
  const name = m[3].replace(/[^A-Za-z0-9_-]/g, '-');
  const hash = name === m[3] ? '' : `-${createHash('sha256').update(principalArn).digest('hex').slice(0, 8)}`;
  return `${m[1]}-${m[2]}-${name}${hash}`;
}

/** `AmazonEKSClusterAdminPolicy` -> `cluster-admin` (the policy part of an association's construct id). */
function policyKey(policy: AccessPolicy): string {
  return Names.kebab(policy.policyName.replace(/^AmazonEKS/, '').replace(/Policy$/, ''));
}

/**
 * The access entries and policy associations of one cluster: one entry per principal, one association
 * per principal and policy.
 *
 * Construct ids are keyed by principal, not by position: the entry of `arn:aws:iam::123456789012:role/ops` is
 * `access-123456789012-role-ops`, its associations `access-123456789012-role-ops-<policy>` (`-cluster-admin`,
 * `-view`, ...). A principal given as a token (known only after apply) falls back to `team-<team>` for team
 * entries and to a counter per call (`admin-<n>`, `access-<n>`) otherwise, associations `<that id>-policy`
 * (the ids of the earlier scheme: a token principal's address still follows the order of the calls).
 * @internal
 */
export class AccessGrants {
  private readonly entries = new Map<string, EksAccessEntry>();
  private readonly associations = new Map<string, string>();
  private admins = 0;
  private adminIds = 0;
  private grantIds = 0;

  constructor(private readonly scope: Construct, private readonly clusterNameRef: string, private readonly tags: { [key: string]: string }, private readonly region: string) {}

  /** Number of principals with cluster-wide cluster-admin. */
  public get clusterAdmins(): number {
    return this.admins;
  }

  /** `grantClusterAdmin`: construct ids keyed by principal (a token principal: `admin-<n>` / `admin-<n>-policy`). */
  public grantClusterAdmin(principalArn: string): void {
    this.checkPrincipal('admins', principalArn);
    this.grant(this.idFor(principalArn, () => `admin-${this.adminIds++}`), principalArn, AccessPolicy.CLUSTER_ADMIN, undefined);
  }

  /** `grantAccess`: construct ids keyed by principal (a token principal: `access-<n>` / `access-<n>-policy`). */
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
    this.grant(this.idFor(principalArn, () => `access-${this.grantIds++}`), principalArn, policy, namespaces);
  }

  /**
   * `grantTeamAccess`: an access entry mapping the principal into the team's Kubernetes groups and, when the entry
   * names an access policy (`AmazonEKSViewPolicy` only), an association scoped to the team's namespaces (construct ids
   * keyed by principal; a token principal: `team-<team>` / `team-<team>-policy`).
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
      // EKS grants an access policy on top of the namespace's RBAC: only view stays within what a TeamPermissions grants
      if (policy === AccessPolicy.CLUSTER_ADMIN.policyName) {
        fail(this.scope, 'entry.accessPolicy', policy, 'must not be cluster-admin: a team gets access to its own namespaces only',
          'leave accessPolicy out (the namespace\'s RBAC decides) or use AmazonEKSViewPolicy, and grant a platform admin with grantClusterAdmin()');
      }
      if (!/^AmazonEKS[A-Za-z]+Policy$/.test(policy)) {
        fail(this.scope, 'entry.accessPolicy', policy, 'must be an EKS access policy (AmazonEKS...Policy)', 'leave accessPolicy out (the namespace\'s RBAC decides) or use AmazonEKSViewPolicy');
      }
      if (policy !== AccessPolicy.VIEW.policyName) {
        const problem = policy === AccessPolicy.EDIT.policyName || policy === AccessPolicy.ADMIN.policyName
          ? 'grants more than a team\'s permissions allow: EKS adds it to the namespace\'s RBAC, and it reads the namespace\'s Secrets and changes its NetworkPolicies '
            + `(the default deny)${policy === AccessPolicy.ADMIN.policyName ? ' and its RBAC' : ''}, which no TeamPermissions grants`
          : 'must be AmazonEKSViewPolicy: EKS adds an access policy to the namespace\'s RBAC, and the others grant what no TeamPermissions grants';
        fail(this.scope, 'entry.accessPolicy', policy, problem,
          'give the team more with TeamNamespace permissions (TeamPermissions.EDIT), and leave accessPolicy out or use AmazonEKSViewPolicy');
      }
      if (namespaces.length === 0) {
        fail(this.scope, 'entry.namespaces', entry.namespaces, `must list the team's namespaces: ${policy} is granted in them only`, 'take the entry from TeamNamespace.accessEntry');
      }
    }
    const id = this.idFor(entry.principalArn, () => `team-${Names.kebab(String(entry.team ?? '')) || 'team'}`);
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

  /**
   * The construct id of a grant: `access-<principal key>` for a plain ARN; for a token ARN the fallback
   * (a counter per call, as before principal keys, or `team-<team>`).
   */
  private idFor(principalArn: string, fallback: () => string): string {
    const key = principalKey(principalArn);
    return key !== undefined ? `access-${key}` : fallback();
  }

  private checkPrincipal(prop: string, principalArn: string): void {
    if (typeof principalArn !== 'string' || !PRINCIPAL.test(principalArn)) {
      fail(this.scope, prop, principalArn, 'must be an IAM role or user ARN', "pass an ARN like 'arn:aws:iam::123456789012:role/platform-admin'");
    }
    checkIamArnPartition(this.scope, prop, principalArn, this.region, 'EKS refuses, at apply, an access entry for a principal of another partition');
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
    // keyed ids: one association per principal and policy; token fallbacks: one id per call
    const associationId = principalKey(principalArn) !== undefined ? `${id}-${policyKey(policy)}` : `${id}-policy`;
    const association = new EksAccessPolicyAssociation(this.scope, associationId, {
      clusterName: this.clusterNameRef,
      principalArn,
      policyArn: `arn:${AwsContext.of(this.scope).partitionIn(this.region)}:eks::aws:cluster-access-policy/${policy.policyName}`,
      accessScope: namespaces ? { type: 'namespace', namespaces } : { type: 'cluster' },
      dependsOn: [entry],
    });
    this.associations.set(key, pathOf(association));
    if (policy.policyName === AccessPolicy.CLUSTER_ADMIN.policyName && !namespaces) this.admins++;
  }
}
