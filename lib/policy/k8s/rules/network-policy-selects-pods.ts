import { k8sRule, WARNING } from '../define';
import { o } from '../pod';
import { K8sIndex, selectorIsEmpty } from '../selectors';

/** SS-K8S-049 — RULES K8S-NET-02. */
export const networkPolicySelectsPods = k8sRule({
  id: 'SS-K8S-049',
  catalog: ['K8S-NET-02'],
  severity: WARNING,
  message: 'NetworkPolicy selects no pod in the output',
  fix: 'fix spec.podSelector so it matches the labels of a workload in the same namespace',
  kinds: ['NetworkPolicy'],
  check: (doc, index) => {
    const sel = o(o(doc.manifest.spec).podSelector);
    if (selectorIsEmpty(sel)) return []; // a namespace-wide policy (default deny) is meaningful on its own
    return K8sIndex.of(index).anyTemplateSelectedBy(doc.namespace ?? '', sel) ? [] : [{ jsonPath: 'spec.podSelector' }];
  },
});
