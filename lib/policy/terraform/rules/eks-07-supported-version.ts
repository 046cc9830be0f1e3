import { at, tfRule, WARNING } from '../define';
import { EKS_KUBERNETES_VERSIONS, isSupportedEksVersion } from '../eks-versions';

/** SS-EKS-007: the Kubernetes version is pinned and supported (the versions aws.EksCluster builds, one list). */
export const EKS_07 = tfRule({
  id: 'SS-EKS-007',
  title: 'Supported Kubernetes version pinned',
  catalog: ['EKS-07'],
  severity: WARNING,
  kinds: ['aws_eks_cluster'],
  message: 'The Kubernetes version is not pinned to a supported release',
  fix: `pin version to one of ${EKS_KUBERNETES_VERSIONS.join(', ')}`,
  rationale: 'An unpinned or unsupported version drifts into extended-support charges and misses security fixes.',
  sources: ['Checkov CKV_AWS_339', 'EKS Best Practices: keep your cluster up-to-date'],
  check: (doc) => {
    const v = doc.manifest.version;
    if (v === undefined) return [at('version', 'version is not pinned (EKS picks the current default)')];
    return isSupportedEksVersion(String(v)) ? [] : [at('version', `Kubernetes ${v} is not a version shipshape supports on EKS (no add-on versions are pinned for it)`)];
  },
});
