import { PolicyDocument } from '../../rule';
import { k8sRule, NONE, WARNING } from '../define';
import { effectiveReplicas } from '../hpa';
import { labelsOf, o, podOfDoc } from '../pod';
import { K8sIndex } from '../selectors';

const pdbSelector = (d: PolicyDocument) => o(d.manifest.spec).selector;

/** SS-K8S-041 — RULES K8S-HA-05. */
export const pdbExists = k8sRule({
  id: 'SS-K8S-041',
  catalog: ['K8S-HA-05'],
  severity: WARNING,
  message: 'No PodDisruptionBudget selects these pods',
  fix: 'add a policy/v1 PodDisruptionBudget with selector.matchLabels on the pod labels and maxUnavailable: 1',
  kinds: ['Deployment', 'StatefulSet'],
  check: (doc, index) => {
    if (effectiveReplicas(index, doc) < 2) return undefined;
    const pod = podOfDoc(doc)!;
    const labels = labelsOf(pod.meta);
    const pdbs = K8sIndex.of(index).selecting('PodDisruptionBudget', pdbSelector, doc.namespace ?? '', labels);
    for (const p of pdbs) {
      if (p.manifest.apiVersion !== 'policy/v1') continue;
      const ml = o(o(pdbSelector(p)).matchLabels);
      for (const k in ml) if (labels[k] === ml[k]) return NONE;
    }
    return [{ jsonPath: `${pod.metaPath}.labels` }];
  },
});
