import { PolicyDocument } from '../../rule';
import { k8sRule, NONE, WARNING } from '../define';
import { arr, labelsOf, o, podOfDoc, POD_KINDS } from '../pod';
import { K8sIndex } from '../selectors';

const podSelector = (d: PolicyDocument) => o(d.manifest.spec).podSelector;

/**
 * SS-K8S-048 — RULES K8S-NET-01 (A.11.7 shape: matchLabels on the pod labels, both types, rules in both directions).
 * Pods that declare no container port listen for nothing, so for them an empty ingress list (deny all) is the
 * intended policy and only the egress side must have rules.
 */
const listensOnAPort = (pod: { spec: any }) =>
  [...arr(pod.spec.containers), ...arr(pod.spec.initContainers)].some((c: any) => arr(o(c).ports).length > 0);

export const networkPolicyCoverage = k8sRule({
  id: 'SS-K8S-048',
  catalog: ['K8S-NET-01'],
  severity: WARNING,
  message: 'No NetworkPolicy with ingress and egress rules selects these pods by their labels',
  fix: 'add a NetworkPolicy with podSelector.matchLabels on the pod labels, policyTypes [Ingress, Egress], and at least one ingress and one egress rule',
  kinds: POD_KINDS,
  check: (doc, index) => {
    const pod = podOfDoc(doc)!;
    const labels = labelsOf(pod.meta);
    const pols = K8sIndex.of(index).selecting('NetworkPolicy', podSelector, doc.namespace ?? '', labels);
    if (pols.length === 0) return [{ jsonPath: `${pod.metaPath}.labels`, message: 'No NetworkPolicy selects these pods' }];
    const needsIngressRules = listensOnAPort(pod);
    let emptyIngress = false;
    for (const p of pols) {
      const spec = o(p.manifest.spec);
      const types = arr(spec.policyTypes);
      if (!(types.includes('Ingress') && types.includes('Egress') && arr(spec.egress).length > 0)) continue;
      if (needsIngressRules && arr(spec.ingress).length === 0) {
        emptyIngress = true;
        continue;
      }
      const ml = o(o(spec.podSelector).matchLabels);
      for (const k in ml) if (labels[k] === ml[k]) return NONE;
    }
    if (emptyIngress) {
      return [{ jsonPath: `${pod.metaPath}.labels`, message: 'The NetworkPolicy selecting these pods allows no caller, yet the pods listen on a port: nothing can reach them' }];
    }
    return [{ jsonPath: `${pod.metaPath}.labels` }];
  },
});
