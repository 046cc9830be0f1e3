/**
 * An EKS access policy: the Kubernetes permissions an access entry grants.
 */
export class AccessPolicy {
  /** Full control of every resource in the cluster (cluster scope only). */
  public static readonly CLUSTER_ADMIN = new AccessPolicy('AmazonEKSClusterAdminPolicy');
  /** Most resources, Secrets, NetworkPolicies and RBAC inside the namespaces included (Kubernetes `admin`). Not for team entries (`grantTeamAccess`). */
  public static readonly ADMIN = new AccessPolicy('AmazonEKSAdminPolicy');
  /** Read and write most resources, Secrets and NetworkPolicies included, no RBAC (Kubernetes `edit`). Not for team entries (`grantTeamAccess`). */
  public static readonly EDIT = new AccessPolicy('AmazonEKSEditPolicy');
  /** Read most resources, Secrets excluded (Kubernetes `view`). The only policy a team entry (`grantTeamAccess`) may name. */
  public static readonly VIEW = new AccessPolicy('AmazonEKSViewPolicy');

  /**
   * Any other EKS access policy, by name (for example `AmazonEKSAdminViewPolicy`).
   */
  public static of(policyName: string): AccessPolicy {
    return new AccessPolicy(policyName);
  }

  /** The access policy name. */
  public readonly policyName: string;

  private constructor(policyName: string) {
    this.policyName = policyName;
  }
}

/**
 * Options of `grantAccess()`.
 */
export interface AccessGrantOptions {
  /** The access policy to associate. */
  readonly policy: AccessPolicy;
  /**
   * The namespaces the policy applies in.
   * @default - the whole cluster
   */
  readonly namespaces?: string[];
}
