import { ERROR, k8sRule, NONE } from '../define';
import { isObj, o } from '../pod';
import { K8sIndex } from '../selectors';

/** SS-K8S-050 — docs/rules.md#ss-k8s-050. */
export const serviceSelectsPods = k8sRule({
  id: 'SS-K8S-050',
  title: 'Service selects pods',
  catalog: ['K8S-NET-03'],
  severity: ERROR,
  message: 'Service selects no pod in the output',
  fix: 'fix spec.selector so it matches the pod template labels of a workload in the same namespace',
  rationale: 'A Service whose selector matches no pod has no endpoints: every call to it fails.',
  kinds: ['Service'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    if (spec.type === 'ExternalName') return undefined;
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) return undefined; // endpoints managed by hand
    return K8sIndex.of(index).anyTemplateSelectedBy(doc.namespace ?? '', { matchLabels: spec.selector }) ? NONE : [{ jsonPath: 'spec.selector' }];
  },
});
