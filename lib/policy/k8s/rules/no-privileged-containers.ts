import { ERROR, k8sRule } from '../define';
import { containersOf, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-001 — RULES K8S-SEC-01. */
export const noPrivilegedContainers = k8sRule({
  id: 'SS-K8S-001',
  catalog: ['K8S-SEC-01'],
  severity: ERROR,
  message: 'Container runs privileged',
  fix: 'remove securityContext.privileged (or set it to false)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => sc(r.c).privileged === true)
      .map(r => ({ jsonPath: `${r.path}.securityContext.privileged` }));
  },
});
