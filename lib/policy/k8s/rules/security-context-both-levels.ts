import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { containersOf, isObj, podOfDoc, POD_KINDS } from '../pod';

const nonEmpty = (x: any) => isObj(x) && Object.keys(x).length > 0;

/** SS-K8S-020 — RULES K8S-SEC-20. */
export const securityContextBothLevels = k8sRule({
  id: 'SS-K8S-020',
  catalog: ['K8S-SEC-20'],
  severity: ERROR,
  message: 'Security context missing at pod or container level',
  fix: 'set a non-empty securityContext on the pod and on every container',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const out: Violation[] = [];
    if (!nonEmpty(pod.spec.securityContext)) out.push({ jsonPath: `${pod.path}.securityContext` });
    for (const r of containersOf(pod)) {
      if (!nonEmpty(r.c.securityContext)) out.push({ jsonPath: `${r.path}.securityContext` });
    }
    return out;
  },
});
