import { k8sRule, WARNING } from '../define';
import { arr, labelsOf, o, podOfDoc } from '../pod';
import { selectorMatches } from '../selectors';

const HOST = 'kubernetes.io/hostname';

/** SS-K8S-039 — RULES K8S-HA-03 (A.11.8: hostname key). */
export const hostAntiAffinity = k8sRule({
  id: 'SS-K8S-039',
  catalog: ['K8S-HA-03'],
  severity: WARNING,
  message: 'Replicas may all land on one node (no hostname pod anti-affinity)',
  fix: 'add podAntiAffinity (preferred) on topologyKey kubernetes.io/hostname selecting the pod labels',
  kinds: ['Deployment', 'StatefulSet'],
  check: (doc) => {
    const r = o(doc.manifest.spec).replicas;
    if (typeof r === 'number' && r < 2) return undefined;
    const pod = podOfDoc(doc)!;
    const labels = labelsOf(pod.meta);
    const anti = o(o(pod.spec.affinity).podAntiAffinity);
    const terms = [
      ...arr(anti.preferredDuringSchedulingIgnoredDuringExecution).map(t => o(o(t).podAffinityTerm)),
      ...arr(anti.requiredDuringSchedulingIgnoredDuringExecution).map(t => o(t)),
    ];
    const ok = terms.some(t => t.topologyKey === HOST && t.labelSelector && selectorMatches(o(t.labelSelector), labels));
    return ok ? [] : [{ jsonPath: `${pod.path}.affinity.podAntiAffinity` }];
  },
});
