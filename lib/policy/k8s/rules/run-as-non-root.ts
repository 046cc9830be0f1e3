import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, POD_KINDS, sc } from '../pod';

/** SS-K8S-004 — docs/rules.md#ss-k8s-004. */
export const runAsNonRoot = k8sPodRule({
  id: 'SS-K8S-004',
  title: 'Run as non-root',
  catalog: ['K8S-SEC-04'],
  severity: ERROR,
  message: 'Container may run as root',
  fix: 'set securityContext.runAsNonRoot: true on the pod (no container overriding it) and never runAsUser: 0',
  rationale: 'A process running as root in the container is root on the node as soon as it escapes; runAsNonRoot makes the kubelet refuse an image that would start as root.',
  sources: ['Trivy KSV-0012, KSV-0105', 'CIS EKS 4.2.6 (v1.4)', 'EKS Best Practices: do not run processes in containers as root'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const psc = sc(pod.spec);
    const out: Violation[] = [];
    if (psc.runAsUser === 0) out.push({ jsonPath: `${pod.path}.securityContext.runAsUser`, message: 'Pod runs as user 0 (root)' });
    for (const r of containersOf(pod, true)) {
      const csc = sc(r.c);
      if (csc.runAsUser === 0) {
        out.push({ jsonPath: `${r.path}.securityContext.runAsUser`, message: 'Container runs as user 0 (root)' });
        continue;
      }
      const nonRoot = csc.runAsNonRoot ?? psc.runAsNonRoot;
      if (nonRoot !== true) {
        out.push({ jsonPath: `${r.path}.securityContext.runAsNonRoot` });
      }
    }
    return out;
  },
});
