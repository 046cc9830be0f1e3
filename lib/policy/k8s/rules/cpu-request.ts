import { ERROR, k8sRule } from '../define';
import { containersOf, o, podOfDoc, POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

/** SS-K8S-023 — RULES K8S-RES-01. */
export const cpuRequest = k8sRule({
  id: 'SS-K8S-023',
  catalog: ['K8S-RES-01'],
  severity: ERROR,
  message: 'Container has no CPU request',
  fix: 'set resources.requests.cpu on every container (e.g. 100m)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod).filter(r => !nonZeroQuantity(o(o(r.c.resources).requests).cpu))
      .map(r => ({ jsonPath: `${r.path}.resources.requests.cpu` }));
  },
});
