import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-036 — docs/rules.md#ss-k8s-036. */
export const probePortDeclared = k8sPodRule({
  id: 'SS-K8S-036',
  title: 'Probe port declared',
  catalog: ['K8S-PRB-04'],
  severity: WARNING,
  message: 'Probe port is not a declared container port',
  fix: 'declare the port in the container ports and probe that port: an httpGet or tcpSocket probe by its name (give the port one), a grpc probe by its number (the API refuses a name there)',
  rationale: 'A probe on a port the container does not declare (or declares for UDP only, while probes use TCP) is usually a typo that fails the probe at run time; a declared, named port documents the contract. Kubernetes accepts undeclared ports, so the finding is a warning; a port name the container does not declare never resolves, and is also an SS-K8S-053 error.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod)) {
      const numbers = new Set<number>();
      const names = new Set<string>();
      for (const p of arr(r.c.ports)) {
        const q = o(p);
        // probes connect over TCP (httpGet, tcpSocket, grpc): a port declared for UDP only does not serve them
        if (q.protocol !== undefined && q.protocol !== 'TCP') continue;
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
          if (ok) continue;
          const message = `Probe port ${JSON.stringify(port ?? null)} is not a declared TCP container port`;
          // a gRPC probe's port is a number (the API refuses a name): the fix is to declare that number, not to name it
          out.push({
            jsonPath: `${r.path}.${probe}.${h}.port`,
            message: h === 'grpc' && typeof port === 'number'
              ? `${message}; declare containerPort: ${port} (TCP) in the container ports and keep probing ${port}: a gRPC probe takes the port number, not a name`
              : message,
          });
        }
      }
    }
    return out;
  },
});
