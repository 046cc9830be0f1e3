import { k8sRule, NONE, WARNING } from '../define';
import { effectiveReplicas } from '../hpa';
import { isDevelopmentProfile, isObj, podOfDoc } from '../pod';
import { K8sIndex, selectorIsEmpty, selectorOf } from '../selectors';

/** SS-K8S-041 — docs/rules.md#ss-k8s-041. */
export const pdbExists = k8sRule({
  id: 'SS-K8S-041',
  title: 'PodDisruptionBudget exists',
  catalog: ['K8S-HA-05'],
  severity: WARNING,
  message: 'No PodDisruptionBudget selects these pods',
  fix: 'add a policy/v1 PodDisruptionBudget with selector.matchLabels on the pod labels and maxUnavailable: 1',
  rationale: 'Without a PDB a node drain may evict every replica at once. A policy/v1 budget counts when its selector is not empty and selects the pods, '
    + 'by matchLabels, matchExpressions or both (as SS-K8S-085 reads it). '
    + 'Workloads that run one pod (an unset replicas with no autoscaler is the API default, 1) are not reported: a budget on one pod either blocks drains or protects nothing.',
  sources: ['EKS Best Practices: configure pod disruption budgets'],
  differences: [
    {
      peer: 'polaris',
      checks: ['missingPodDisruptionBudget'],
      direction: 'laxer',
      reason: 'Polaris asks every Deployment for a PDB; shipshape asks only workloads that run two pods or more, reading an unset replicas as the API default, 1.',
      when: (m: any) => typeof m?.spec?.replicas !== 'number',
    },
    {
      peer: 'kube-score',
      checks: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'],
      direction: 'laxer',
      reason: 'kube-score skips a workload with replicas below 2 but treats an unset replicas as several; shipshape reads it as the API default, 1.',
      when: (m: any) => typeof m?.spec?.replicas !== 'number',
    },
  ],
  kinds: ['Deployment', 'StatefulSet', 'DeploymentConfig'],
  check: (doc, index) => {
    // one pod (an unset replicas with no autoscaler is the API default, 1) needs no budget: it would only block drains
    if (isDevelopmentProfile(doc.manifest) || effectiveReplicas(index, doc) < 2) return undefined;
    const pod = podOfDoc(doc)!;
    // the budgets whose whole selector (matchLabels and matchExpressions) selects the pods
    const pdbs = K8sIndex.of(index).selectingPod('PodDisruptionBudget', doc.namespace ?? '', pod);
    for (const p of pdbs) {
      if (p.manifest.apiVersion !== 'policy/v1') continue;
      const sel = selectorOf(p);
      if (isObj(sel) && !selectorIsEmpty(sel)) return NONE;
    }
    return [{ jsonPath: `${pod.metaPath}.labels` }];
  },
});
