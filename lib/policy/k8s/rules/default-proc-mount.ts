import { ERROR, k8sRule } from '../define';
import { containersOf, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-014 — RULES K8S-SEC-14. */
export const defaultProcMount = k8sRule({
  id: 'SS-K8S-014',
  catalog: ['K8S-SEC-14'],
  severity: ERROR,
  message: 'Container uses a non-default procMount',
  fix: 'remove securityContext.procMount (or set it to Default)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => { const p = sc(r.c).procMount; return p !== undefined && p !== 'Default'; })
      .map(r => ({ jsonPath: `${r.path}.securityContext.procMount` }));
  },
});
