import { k8sRule, NONE, WARNING } from '../define';
import { effectiveReplicas } from '../hpa';
import { arr, isDevelopmentProfile, isObj, o, podLabels, podOfDoc } from '../pod';
import { selectorMatches } from '../selectors';

const HOST = 'kubernetes.io/hostname';

/**
 * True when an affinity term applies to pods in `ns` (the workload's own namespace): no `namespaces` and no
 * `namespaceSelector` means the pod's namespace; a `namespaceSelector` (evaluated against namespace labels this
 * check cannot see) is given the benefit of the doubt.
 */
function coversOwnNamespace(term: any, ns: string | undefined): boolean {
  if (isObj(term.namespaceSelector)) return true;
  const list = arr(term.namespaces);
  return list.length === 0 || ns === undefined || list.includes(ns);
}

/** SS-K8S-039 — docs/rules.md#ss-k8s-039 (the hostname key). */
export const hostAntiAffinity = k8sRule({
  id: 'SS-K8S-039',
  title: 'Hostname pod anti-affinity',
  catalog: ['K8S-HA-03'],
  severity: WARNING,
  message: 'Replicas may all land on one node (no hostname pod anti-affinity)',
  fix: 'add podAntiAffinity (preferred) on topologyKey kubernetes.io/hostname selecting the pod labels, in the pod\'s own namespace',
  rationale: 'Without anti-affinity on kubernetes.io/hostname the scheduler may put every replica on one node, which one failure takes down. Applies from two replicas (an unset replicas with no autoscaler is the API default, 1); the term must cover the pod\'s own namespace.',
  sources: ['EKS Best Practices: schedule replicas across nodes'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity'],
      direction: 'laxer',
      reason: 'kube-score treats an unset replicas as several; shipshape reads it as the API default, 1, and asks nothing of a single pod (as for SS-K8S-040 and SS-K8S-041).',
      when: (m: any) => typeof m?.spec?.replicas !== 'number',
    },
    {
      peer: 'kube-linter',
      checks: ['no-anti-affinity'],
      direction: 'laxer',
      reason: 'An unset replicas is read as the API default, 1: a single pod needs no anti-affinity.',
      when: (m: any) => typeof m?.spec?.replicas !== 'number',
    },
  ],
  kinds: ['Deployment', 'StatefulSet', 'DeploymentConfig'],
  check: (doc, index) => {
    if (isDevelopmentProfile(doc.manifest) || effectiveReplicas(index, doc) < 2) return undefined;
    const pod = podOfDoc(doc)!;
    const labels = podLabels(pod);
    const anti = o(o(pod.spec.affinity).podAntiAffinity);
    // the preferred terms' podAffinityTerm, then the required terms
    const preferred = arr(anti.preferredDuringSchedulingIgnoredDuringExecution);
    const required = arr(anti.requiredDuringSchedulingIgnoredDuringExecution);
    const n = preferred.length + required.length;
    let otherNamespace = false;
    for (let i = 0; i < n; i++) {
      const t = i < preferred.length
        ? (i in preferred ? o(o(preferred[i]).podAffinityTerm) : undefined)
        : (i - preferred.length in required ? o(required[i - preferred.length]) : undefined);
      if (t.topologyKey !== HOST || !isObj(t.labelSelector) || !selectorMatches(t.labelSelector, labels)) continue;
      if (coversOwnNamespace(t, doc.namespace)) return NONE;
      otherNamespace = true;
    }
    return [{
      jsonPath: `${pod.path}.affinity.podAntiAffinity`,
      message: otherNamespace ? `The hostname anti-affinity term looks only at other namespaces, not ${doc.namespace}: replicas may all land on one node` : undefined,
    }];
  },
});
