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

/** The timing fields of a probe with the API's defaults. */
const TIMING: Array<[string, number]> = [['initialDelaySeconds', 0], ['periodSeconds', 10], ['timeoutSeconds', 1], ['successThreshold', 1], ['failureThreshold', 3]];

/** The finding on two probes with the same check: identical, or the same check with a different timing (named). */
function message(readiness: any, liveness: any): string {
  const differ = TIMING.filter(([k, d]) => (readiness[k] ?? d) !== (liveness[k] ?? d))
    .map(([k, d]) => `${k}: readiness ${JSON.stringify(readiness[k] ?? d)}, liveness ${JSON.stringify(liveness[k] ?? d)}`);
  if (differ.length === 0) return 'Readiness and liveness probes are identical (the same check with the same timing)';
  return `Readiness and liveness probes use the same check; only their timing differs (${differ.join('; ')}): `
    + 'when the check fails (a dependency down), the liveness probe restarts the pod as well';
}

/** SS-K8S-035 — docs/rules.md#ss-k8s-035 (distinct endpoints). */
export const distinctProbes = k8sPodRule({
  id: 'SS-K8S-035',
  title: 'Readiness and liveness probes differ',
  catalog: ['K8S-PRB-03'],
  severity: WARNING,
  message: 'Readiness and liveness probes use the same check',
  fix: 'point the probes at different endpoints (e.g. /readyz and /livez): a failing dependency must not restart the pod',
  rationale: 'With the same check for both, a slow dependency restarts healthy pods instead of only taking them out of the endpoints. '
    + 'The rule compares the check (HTTP path and port, TCP port, command, gRPC port and service), not the timing: a liveness probe on the same endpoint '
    + 'with a higher failureThreshold only restarts the pod later; the finding says whether the timing differs. It is availability tuning, so the finding is a warning.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return containersOf(pod).filter(r => isObj(r.c.readinessProbe) && isObj(r.c.livenessProbe) && same(o(r.c.readinessProbe), o(r.c.livenessProbe)))
      .map(r => ({ jsonPath: `${r.path}.livenessProbe`, message: message(o(r.c.readinessProbe), o(r.c.livenessProbe)) }));
  },
});
