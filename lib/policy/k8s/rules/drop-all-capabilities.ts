import { ERROR, k8sRule } from '../define';
import { arr, containersOf, o, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-007 — RULES K8S-SEC-07. */
export const dropAllCapabilities = k8sRule({
  id: 'SS-K8S-007',
  catalog: ['K8S-SEC-07'],
  severity: ERROR,
  message: 'Container does not drop ALL capabilities',
  fix: 'set securityContext.capabilities.drop: [ALL] on every container',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => !arr(o(sc(r.c).capabilities).drop).includes('ALL'))
      .map(r => ({ jsonPath: `${r.path}.securityContext.capabilities.drop` }));
  },
});
