import { k8sRule, WARNING } from '../define';
import { podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-028 — RULES K8S-RES-07. */
export const priorityClass = k8sRule({
  id: 'SS-K8S-028',
  catalog: ['K8S-RES-07'],
  severity: WARNING,
  message: 'Pod has no priorityClassName',
  fix: 'set priorityClassName so the scheduler knows what to evict first',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const p = pod.spec.priorityClassName;
    return typeof p === 'string' && p !== '' ? [] : [{ jsonPath: `${pod.path}.priorityClassName` }];
  },
});
