import { ALL_EPHEMERAL, containerCheck, ERROR, k8sRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => { const d = c.securityContext?.capabilities?.drop; return !(Array.isArray(d) && d.includes('ALL')); };

/** SS-K8S-007 — RULES K8S-SEC-07. */
export const dropAllCapabilities = k8sRule({
  id: 'SS-K8S-007',
  catalog: ['K8S-SEC-07'],
  severity: ERROR,
  message: 'Container does not drop ALL capabilities',
  fix: 'set securityContext.capabilities.drop: [ALL] on every container',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL_EPHEMERAL, bad, '.securityContext.capabilities.drop'),
});
