import { at, tfRule, WARNING } from '../define';

const SUPPORTED = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35'];

/** SS-EKS-007: the Kubernetes version is pinned and supported. */
export const EKS_07 = tfRule({
  id: 'SS-EKS-007',
  title: 'Supported Kubernetes version pinned',
  catalog: ['EKS-07'],
  severity: WARNING,
  kinds: ['aws_eks_cluster'],
  message: 'The Kubernetes version is not pinned to a supported release',
  fix: `pin version to one of ${SUPPORTED.join(', ')}`,
  rationale: 'An unpinned or unsupported version drifts into extended-support charges and misses security fixes.',
  sources: ['Checkov CKV_AWS_339', 'EKS Best Practices: keep your cluster up-to-date'],
  check: (doc) => {
    const v = doc.manifest.version;
    if (v === undefined) return [at('version', 'version is not pinned (EKS picks the current default)')];
    return SUPPORTED.includes(String(v)) ? [] : [at('version', `Kubernetes ${v} is not a supported EKS version`)];
  },
});
