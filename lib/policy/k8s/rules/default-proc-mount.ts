import { ALL_EPHEMERAL, containerCheck, ERROR, k8sRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => { const p = c.securityContext?.procMount; return p !== undefined && p !== 'Default'; };

/** SS-K8S-014 — RULES K8S-SEC-14. */
export const defaultProcMount = k8sRule({
  id: 'SS-K8S-014',
  catalog: ['K8S-SEC-14'],
  severity: ERROR,
  message: 'Container uses a non-default procMount',
  fix: 'remove securityContext.procMount (or set it to Default)',
  kinds: POD_KINDS,
  check: (doc) => containerCheck(doc, ALL_EPHEMERAL, bad, '.securityContext.procMount'),
});
