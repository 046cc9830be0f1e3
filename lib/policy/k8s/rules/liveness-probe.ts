import { containerCheck, k8sPodRule, MAIN, WARNING } from '../define';
import { containersOf, isObj, podOf, SERVING_KINDS } from '../pod';

// A container whose readiness check is a bare TCP connect (a proxy, a database) has no second signal to offer: a TCP
// liveness probe would repeat the readiness one (SS-K8S-035), and the kernel completes the handshake even while the
// process hangs. Readiness alone is accepted there.
const bad = (c: any) => !isObj(c.livenessProbe) && !(isObj(c.readinessProbe) && isObj(c.readinessProbe.tcpSocket));

/** SS-K8S-034 — docs/rules.md#ss-k8s-034. */
export const livenessProbe = k8sPodRule({
  id: 'SS-K8S-034',
  title: 'Liveness probe',
  catalog: ['K8S-PRB-02'],
  severity: WARNING,
  message: 'Container has no liveness probe',
  fix: 'add a livenessProbe on an endpoint distinct from the readiness one (e.g. /livez)',
  rationale: 'A liveness probe restarts a process that hangs. A container whose readiness check is a bare TCP connect is not asked for one: a TCP liveness probe would repeat it (SS-K8S-035), and the kernel completes the handshake even while the process hangs.',
  sources: ['EKS Best Practices: use liveness probes'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['pod-probes'],
      direction: 'stricter',
      reason: 'kube-score accepts a missing liveness probe (grade almost OK) and probes on any one container; shipshape warns for every main container of a long-running pod.',
    },
    {
      peer: 'polaris',
      checks: ['livenessProbeMissing'],
      direction: 'laxer',
      reason: 'A container whose readiness probe is a TCP connect has no distinct liveness signal to offer; shipshape accepts readiness alone there, Polaris does not.',
      when: (m: any) => { const p = podOf(m); return !!p && containersOf(p).some(r => r.c.livenessProbe === undefined && r.c.readinessProbe?.tcpSocket !== undefined); },
    },
  ],
  kinds: SERVING_KINDS,
  podCheck: (pod) => containerCheck(pod, MAIN, bad, '.livenessProbe'),
});
