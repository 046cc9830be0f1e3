import { ERROR, k8sRule, NONE } from '../define';

const DEPRECATED = new Set([
  'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'batch/v1beta1', 'policy/v1beta1', 'networking.k8s.io/v1beta1',
  'autoscaling/v2beta1', 'autoscaling/v2beta2',
]);

/** SS-K8S-069 — docs/rules.md#ss-k8s-069. */
export const stableApiVersions = k8sRule({
  id: 'SS-K8S-069',
  title: 'Stable API versions',
  catalog: ['K8S-META-05'],
  severity: ERROR,
  message: 'Object uses a removed beta apiVersion',
  fix: 'use apps/v1, batch/v1, policy/v1, networking.k8s.io/v1 or autoscaling/v2',
  rationale: 'The beta apiVersions listed were removed by Kubernetes 1.26 at the latest: objects that use them cannot be applied to a supported cluster.',
  sources: ['Trivy KSV-0107', 'EKS Best Practices: identify and remediate removed API usage'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['stable-version'],
      direction: 'stricter',
      reason: 'kube-score judges against the Kubernetes version it is told (1.18 in its tests, where batch/v1beta1 was current); shipshape targets 1.27 and later, where every listed version is removed.',
    },
  ],
  check: (doc) => {
    const v = doc.manifest?.apiVersion;
    if (typeof v !== 'string') return undefined;
    return DEPRECATED.has(v) ? [{ jsonPath: 'apiVersion', message: `Object uses the removed apiVersion ${v}` }] : NONE;
  },
});
