import { ERROR, k8sRule } from '../define';
import { containersOf, o, podOfDoc, POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

/** SS-K8S-024 — RULES K8S-RES-02. */
export const memoryRequest = k8sRule({
  id: 'SS-K8S-024',
  catalog: ['K8S-RES-02'],
  severity: ERROR,
  message: 'Container has no memory request',
  fix: 'set resources.requests.memory on every container (e.g. 256Mi)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod).filter(r => !nonZeroQuantity(o(o(r.c.resources).requests).memory))
      .map(r => ({ jsonPath: `${r.path}.resources.requests.memory` }));
  },
});
