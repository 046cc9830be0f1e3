/**
 * A pinned EKS Kubernetes minor version. Use a constant (`KubernetesVersion.V1_33`) or
 * `KubernetesVersion.of('1.33')`; the cluster refuses versions it has no pinned add-on versions for.
 */
export class KubernetesVersion {
  /** Kubernetes 1.29 (EKS extended support). */
  public static readonly V1_29 = new KubernetesVersion('1.29');
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion('1.30');
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion('1.31');
  /** Kubernetes 1.32. */
  public static readonly V1_32 = new KubernetesVersion('1.32');
  /** Kubernetes 1.33. */
  public static readonly V1_33 = new KubernetesVersion('1.33');
  /** Kubernetes 1.34. */
  public static readonly V1_34 = new KubernetesVersion('1.34');

  /**
   * Any version string (`1.33`). It is validated when the cluster is constructed: write the minor version only,
   * `1.33`: a patch (`1.33.0`) or a leading `v` (`v1.33`) is refused, with the minor version to write (EKS runs a
   * minor version and chooses the patch itself).
   */
  public static of(version: string): KubernetesVersion {
    return new KubernetesVersion(version);
  }

  /** The minor version, for example `1.33`. */
  public readonly version: string;

  private constructor(version: string) {
    this.version = version;
  }
}

/**
 * Versions of the EKS managed add-ons shipshape installs.
 */
export interface AddonVersions {
  /** vpc-cni add-on version. */
  readonly vpcCni: string;
  /** coredns add-on version. */
  readonly coreDns: string;
  /** kube-proxy add-on version. */
  readonly kubeProxy: string;
  /** aws-ebs-csi-driver add-on version. */
  readonly ebsCsiDriver: string;
  /** eks-pod-identity-agent add-on version. */
  readonly podIdentityAgent: string;
}


/**
 * How long EKS supports the cluster's Kubernetes version.
 */
export enum SupportType {
  /** Standard support (14 months); at its end EKS upgrades the control plane to the next version. */
  STANDARD = 'STANDARD',
  /** Extended support (12 more months, billed per cluster hour) before the automatic upgrade. */
  EXTENDED = 'EXTENDED',
}
