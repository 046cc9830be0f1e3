import type { EksKubernetesVersion } from '../../policy/terraform/eks-versions';
import { AddonVersions } from '../kubernetes-version';

const VPC_CNI = 'v1.20.1-eksbuild.3';
const EBS_CSI = 'v1.45.0-eksbuild.2';
const POD_IDENTITY = 'v1.3.8-eksbuild.2';

/**
 * Add-on versions pinned per Kubernetes version (from the EKS user guide's "latest version" tables). Keyed by exactly
 * the supported versions (`EKS_KUBERNETES_VERSIONS`, which SS-EKS-007 checks against too): the type refuses a missing
 * or an extra version.
 * @internal
 */
export const PINNED_ADDON_VERSIONS: { readonly [V in EksKubernetesVersion]: AddonVersions } = {
  '1.29': { vpcCni: VPC_CNI, coreDns: 'v1.11.4-eksbuild.24', kubeProxy: 'v1.29.15-eksbuild.16', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
  '1.30': { vpcCni: VPC_CNI, coreDns: 'v1.11.4-eksbuild.24', kubeProxy: 'v1.30.14-eksbuild.8', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
  '1.31': { vpcCni: VPC_CNI, coreDns: 'v1.11.4-eksbuild.24', kubeProxy: 'v1.31.13-eksbuild.2', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
  '1.32': { vpcCni: VPC_CNI, coreDns: 'v1.11.4-eksbuild.24', kubeProxy: 'v1.32.9-eksbuild.2', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
  '1.33': { vpcCni: VPC_CNI, coreDns: 'v1.12.4-eksbuild.1', kubeProxy: 'v1.33.5-eksbuild.2', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
  '1.34': { vpcCni: VPC_CNI, coreDns: 'v1.12.4-eksbuild.1', kubeProxy: 'v1.34.1-eksbuild.2', ebsCsiDriver: EBS_CSI, podIdentityAgent: POD_IDENTITY },
};
