import { ERROR, k8sRule } from '../define';
import { containersOf, o, podOfDoc, POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

/** SS-K8S-025 — RULES K8S-RES-03. */
export const memoryLimit = k8sRule({
  id: 'SS-K8S-025',
  catalog: ['K8S-RES-03'],
  severity: ERROR,
  message: 'Container has no memory limit',
  fix: 'set resources.limits.memory on every container, equal to the memory request',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod).filter(r => !nonZeroQuantity(o(o(r.c.resources).limits).memory))
      .map(r => ({ jsonPath: `${r.path}.resources.limits.memory` }));
  },
});
