import { ALL_EPHEMERAL, containerCheck, ERROR, k8sRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.allowPrivilegeEscalation !== false;

/** SS-K8S-002 — RULES K8S-SEC-02. */
export const noPrivilegeEscalation = k8sRule({
  id: 'SS-K8S-002',
  catalog: ['K8S-SEC-02'],
  severity: ERROR,
  message: 'Container does not explicitly set allowPrivilegeEscalation: false',
  fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL_EPHEMERAL, bad, '.securityContext.allowPrivilegeEscalation'),
});
