import { k8sRule, NONE, WARNING } from '../define';
import { isObj, o } from '../pod';
import { K8sIndex, selectorIsEmpty } from '../selectors';

/** SS-K8S-085 — docs/rules.md#ss-k8s-085. */
export const pdbSelectsPods = k8sRule({
  id: 'SS-K8S-085',
  title: 'PodDisruptionBudget selects pods',
  catalog: ['K8S-HA-05'],
  severity: WARNING,
  message: 'PodDisruptionBudget selects no pod in the output',
  fix: 'fix spec.selector so it matches the pod template labels of a workload in the same namespace',
  rationale: 'A budget whose selector matches no pod protects nothing: the workload it was written for can lose every replica '
    + 'in one node drain, usually after a label was renamed on one side only. It is the other side of SS-K8S-041 (a workload '
    + 'with no budget). A budget without a selector selects no pod, an empty selector ({}) selects every pod of the '
    + 'namespace and is not reported. Pods from outside the output (another chart, a Helm release) cannot be seen, hence a '
    + 'warning.',
  kinds: ['PodDisruptionBudget'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const sel = spec.selector;
    if (sel === undefined || sel === null) return [{ jsonPath: 'spec.selector', message: 'PodDisruptionBudget has no selector: it selects no pod' }];
    if (!isObj(sel) || selectorIsEmpty(sel)) return NONE; // a malformed selector is the schema's to refuse; {} selects every pod
    return K8sIndex.of(index).selectsSomePod(doc) ? NONE : [{ jsonPath: 'spec.selector' }];
  },
});
