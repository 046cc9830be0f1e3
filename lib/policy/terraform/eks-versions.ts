/**
 * The EKS Kubernetes minor versions shipshape supports, oldest first: the one list behind SS-EKS-007 (which warns on
 * any other version in Terraform JSON, and whose catalog entry in docs/rules.md is generated from the rule) and
 * `aws.EksCluster` (which refuses any other). `aws/` pins managed add-on versions and a cluster-autoscaler chart for
 * each of these, in tables typed by `EksKubernetesVersion`, so the compiler refuses a table that lacks one of them or
 * has one more: add a version here together with its pins. The list lives in the policy layer because `aws/` builds
 * on `policy/`, never the reverse.
 * @internal
 */
export const EKS_KUBERNETES_VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'] as const;

/** One of `EKS_KUBERNETES_VERSIONS`. @internal */
export type EksKubernetesVersion = typeof EKS_KUBERNETES_VERSIONS[number];

/** Whether `version` is one of `EKS_KUBERNETES_VERSIONS` (`1.33`, not `1.33.0` nor the number 1.33). @internal */
export function isSupportedEksVersion(version: unknown): version is EksKubernetesVersion {
  return typeof version === 'string' && (EKS_KUBERNETES_VERSIONS as readonly string[]).includes(version);
}
