/**
 * An EKS access policy: the Kubernetes permissions an access entry grants.
 */
export class AccessPolicy {
  /** Full control of every resource in the cluster (cluster scope only). */
  public static readonly CLUSTER_ADMIN = new AccessPolicy('AmazonEKSClusterAdminPolicy');
  /** Most resources, including RBAC inside the namespaces (Kubernetes `admin`). */
  public static readonly ADMIN = new AccessPolicy('AmazonEKSAdminPolicy');
  /** Read and write most resources, no RBAC (Kubernetes `edit`). */
  public static readonly EDIT = new AccessPolicy('AmazonEKSEditPolicy');
  /** Read most resources, Secrets excluded (Kubernetes `view`). */
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
