import { k8sPodRule, WARNING } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-021 — docs/rules.md#ss-k8s-021. */
export const noPrivilegedPorts = k8sPodRule({
  id: 'SS-K8S-021',
  title: 'No privileged ports',
  catalog: ['K8S-SEC-21'],
  severity: WARNING,
  message: 'Container listens on a privileged port (below 1024)',
  fix: 'listen on a port of 1024 or more and keep the port clients use on the Service: its port stays, its targetPort becomes the new container port',
  rationale: 'A port below 1024 needs root or NET_BIND_SERVICE inside the container; listen on 1024 or more and map the port in the Service.',
  sources: ['Trivy KSV-0117'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out = [];
    for (const r of containersOf(pod)) {
      const ports = arr(r.c.ports);
      for (let i = 0; i < ports.length; i++) {
        const p = o(ports[i]).containerPort;
        if (typeof p === 'number' && p >= 1 && p < 1024) { // 0 and below are SS-K8S-053's (the API refuses them)
          out.push({
            jsonPath: `${r.path}.ports[${i}].containerPort`,
            message: `Container listens on privileged port ${p}; listen on a port of 1024 or more and keep ${p} as the Service port (port: ${p}, targetPort: the new port)`,
          });
        }
      }
    }
    return out;
  },
});
