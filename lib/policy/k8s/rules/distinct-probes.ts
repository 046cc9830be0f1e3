import { k8sPodRule, WARNING } from '../define';
import { containersOf, isObj, o, POD_KINDS } from '../pod';

function same(a: any, b: any): boolean {
  if (isObj(a.httpGet) && isObj(b.httpGet)) {
    return (a.httpGet.path ?? '/') === (b.httpGet.path ?? '/') && String(a.httpGet.port) === String(b.httpGet.port);
  }
  if (isObj(a.tcpSocket) && isObj(b.tcpSocket)) return String(a.tcpSocket.port) === String(b.tcpSocket.port);
  if (isObj(a.exec) && isObj(b.exec)) return JSON.stringify(a.exec.command ?? []) === JSON.stringify(b.exec.command ?? []);
  if (isObj(a.grpc) && isObj(b.grpc)) return String(a.grpc.port) === String(b.grpc.port) && (a.grpc.service ?? '') === (b.grpc.service ?? '');
  return false;
}

/** SS-K8S-035 — docs/rules.md#ss-k8s-035 (distinct endpoints). */
export const distinctProbes = k8sPodRule({
  id: 'SS-K8S-035',
  title: 'Readiness and liveness probes differ',
  catalog: ['K8S-PRB-03'],
  severity: WARNING,
  message: 'Readiness and liveness probes are identical',
  fix: 'point the probes at different endpoints (e.g. /readyz and /livez): a failing dependency must not restart the pod',
  rationale: 'With the same check for both, a slow dependency restarts healthy pods instead of only taking them out of the endpoints. It is availability tuning, so the finding is a warning.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return containersOf(pod).filter(r => isObj(r.c.readinessProbe) && isObj(r.c.livenessProbe) && same(o(r.c.readinessProbe), o(r.c.livenessProbe)))
      .map(r => ({ jsonPath: `${r.path}.livenessProbe` }));
  },
});
