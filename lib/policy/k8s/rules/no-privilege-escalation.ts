import { ERROR, k8sRule } from '../define';
import { containersOf, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-002 — RULES K8S-SEC-02. */
export const noPrivilegeEscalation = k8sRule({
  id: 'SS-K8S-002',
  catalog: ['K8S-SEC-02'],
  severity: ERROR,
  message: 'Container does not explicitly set allowPrivilegeEscalation: false',
  fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => sc(r.c).allowPrivilegeEscalation !== false)
      .map(r => ({ jsonPath: `${r.path}.securityContext.allowPrivilegeEscalation` }));
  },
});
