import { k8sRule, NONE, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-043 — docs/rules.md#ss-k8s-043. */
export const pdbEvictionPolicy = k8sRule({
  id: 'SS-K8S-043',
  title: 'PodDisruptionBudget eviction policy explicit',
  catalog: ['K8S-HA-07'],
  severity: WARNING,
  message: 'PodDisruptionBudget does not set unhealthyPodEvictionPolicy',
  fix: 'set spec.unhealthyPodEvictionPolicy: AlwaysAllow (or IfHealthyBudget)',
  rationale: 'With the default policy, pods that are not ready still count against the budget, so a crash-looping pod can block drains; AlwaysAllow lets them be evicted.',
  kinds: ['PodDisruptionBudget'],
  check: (doc) => {
    // a value the API does not know is SS-K8S-042's (the API refuses it)
    return o(doc.manifest.spec).unhealthyPodEvictionPolicy !== undefined ? NONE : [{ jsonPath: 'spec.unhealthyPodEvictionPolicy' }];
  },
});
