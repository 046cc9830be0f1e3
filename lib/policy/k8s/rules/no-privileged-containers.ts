import { ALL_EPHEMERAL, containerCheck, ERROR, k8sRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.privileged === true;

/** SS-K8S-001 — RULES K8S-SEC-01. */
export const noPrivilegedContainers = k8sRule({
  id: 'SS-K8S-001',
  catalog: ['K8S-SEC-01'],
  severity: ERROR,
  message: 'Container runs privileged',
  fix: 'remove securityContext.privileged (or set it to false)',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL_EPHEMERAL, bad, '.securityContext.privileged'),
});
