import { ERROR, k8sRule } from '../define';
import { isObj, labelsOf, o, podOfDoc } from '../pod';
import { selectorMatches } from '../selectors';

/** SS-K8S-066 — RULES K8S-META-02. */
export const selectorMatchesTemplate = k8sRule({
  id: 'SS-K8S-066',
  catalog: ['K8S-META-02'],
  severity: ERROR,
  message: 'spec.selector does not match the pod template labels',
  fix: 'make spec.selector.matchLabels a subset of spec.template.metadata.labels',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'],
  check: (doc) => {
    const sel = o(doc.manifest.spec).selector;
    if (doc.kind === 'Job' && sel === undefined) return undefined;
    const pod = podOfDoc(doc)!;
    if (!isObj(sel)) return [{ jsonPath: 'spec.selector', message: 'spec.selector is missing' }];
    const empty = Object.keys(o(sel.matchLabels)).length === 0 && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0);
    return !empty && selectorMatches(sel, labelsOf(pod.meta)) ? [] : [{ jsonPath: 'spec.selector' }];
  },
});
