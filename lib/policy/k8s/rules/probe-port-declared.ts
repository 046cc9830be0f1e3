import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { arr, containersOf, o, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-036 — RULES K8S-PRB-04. */
export const probePortDeclared = k8sRule({
  id: 'SS-K8S-036',
  catalog: ['K8S-PRB-04'],
  severity: ERROR,
  message: 'Probe port is not a declared container port',
  fix: 'declare the port in the container ports (with a name) and probe it by that name',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const out: Violation[] = [];
    for (const r of containersOf(pod)) {
      const numbers = new Set<number>();
      const names = new Set<string>();
      for (const p of arr(r.c.ports)) {
        const q = o(p);
        if (typeof q.containerPort === 'number') numbers.add(q.containerPort);
        if (typeof q.name === 'string') names.add(q.name);
      }
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const pr = o(r.c[probe]);
        for (const h of ['httpGet', 'tcpSocket', 'grpc']) {
          if (!(h in pr)) continue;
          const port = o(pr[h]).port;
          const ok = typeof port === 'number' ? numbers.has(port)
            : typeof port === 'string' ? (names.has(port) || (/^\d+$/.test(port) && numbers.has(Number(port)))) : false;
          if (!ok) out.push({ jsonPath: `${r.path}.${probe}.${h}.port`, message: `Probe port ${JSON.stringify(port ?? null)} is not a declared container port` });
        }
      }
    }
    return out;
  },
});
