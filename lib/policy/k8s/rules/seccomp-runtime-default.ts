import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { containersOf, o, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-009 — RULES K8S-SEC-09 (A.11.4: RuntimeDefault, Localhost is not accepted). */
export const seccompRuntimeDefault = k8sRule({
  id: 'SS-K8S-009',
  catalog: ['K8S-SEC-09'],
  severity: ERROR,
  message: 'Seccomp profile is not RuntimeDefault',
  fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod, and no container overriding it',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const podType = o(sc(pod.spec).seccompProfile).type;
    const out: Violation[] = [];
    if (podType !== undefined && podType !== 'RuntimeDefault') {
      out.push({ jsonPath: `${pod.path}.securityContext.seccompProfile.type`, message: `Pod seccomp profile is ${podType}` });
    }
    for (const r of containersOf(pod, true)) {
      const t = o(sc(r.c).seccompProfile).type;
      if (t !== undefined && t !== 'RuntimeDefault') {
        out.push({ jsonPath: `${r.path}.securityContext.seccompProfile.type`, message: `Container seccomp profile is ${t}` });
      } else if (t === undefined && podType === undefined) {
        out.push({ jsonPath: `${r.path}.securityContext.seccompProfile.type`, message: 'No seccomp profile on the pod or the container' });
      }
    }
    return out;
  },
});
