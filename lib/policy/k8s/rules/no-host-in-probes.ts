import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-019 — docs/rules.md#ss-k8s-019. */
export const noHostInProbes = k8sPodRule({
  id: 'SS-K8S-019',
  title: 'No host field in probes or lifecycle hooks',
  catalog: ['K8S-SEC-19'],
  severity: ERROR,
  message: 'Probe or lifecycle hook targets another host',
  fix: 'remove the host field; probes and hooks must target the pod itself',
  rationale: 'A probe or hook with a host makes the kubelet connect to another address from the node: a way to reach what the pod itself could not.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod, true)) {
      const handlers: [any, string][] = [
        [r.c.livenessProbe, 'livenessProbe'], [r.c.readinessProbe, 'readinessProbe'], [r.c.startupProbe, 'startupProbe'],
        [o(r.c.lifecycle).postStart, 'lifecycle.postStart'], [o(r.c.lifecycle).preStop, 'lifecycle.preStop'],
      ];
      for (const [h, p] of handlers) {
        for (const kind of ['httpGet', 'tcpSocket']) {
          const host = o(o(h)[kind]).host;
          if (host !== undefined && host !== '') out.push({ jsonPath: `${r.path}.${p}.${kind}.host` });
        }
      }
    }
    return out;
  },
});
