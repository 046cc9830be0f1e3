import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { containersOf, isObj, POD_KINDS } from '../pod';

const nonEmpty = (x: any) => isObj(x) && Object.keys(x).length > 0;

/** SS-K8S-020 — docs/rules.md#ss-k8s-020. */
export const securityContextBothLevels = k8sPodRule({
  id: 'SS-K8S-020',
  title: 'Security context at pod and container level',
  catalog: ['K8S-SEC-20'],
  severity: WARNING,
  message: 'Security context missing at pod or container level',
  fix: 'set a non-empty securityContext on the pod and on every container',
  rationale: 'Setting both levels makes the hardening explicit where each scanner looks; it is hygiene (the effective settings are checked by the other rules), so the finding is a warning.',
  sources: ['Trivy KSV-0118', 'CIS EKS 4.5.2 (v1.4)'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    if (!nonEmpty(pod.spec.securityContext)) out.push({ jsonPath: `${pod.path}.securityContext` });
    for (const r of containersOf(pod)) {
      if (!nonEmpty(r.c.securityContext)) out.push({ jsonPath: `${r.path}.securityContext` });
    }
    return out;
  },
});
