import { ERROR, k8sRule } from '../define';
import { arr, containersOf, o, podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-012 — RULES K8S-SEC-12 (A.11.6: the key must be absent, even 0 fails). */
export const noHostPort = k8sRule({
  id: 'SS-K8S-012',
  catalog: ['K8S-SEC-12'],
  severity: ERROR,
  message: 'Container port sets hostPort',
  fix: 'remove the hostPort key; expose the port through a Service',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    const out = [];
    for (const r of containersOf(pod, true)) {
      const ports = arr(r.c.ports);
      for (let i = 0; i < ports.length; i++) {
        if (Object.prototype.hasOwnProperty.call(o(ports[i]), 'hostPort')) out.push({ jsonPath: `${r.path}.ports[${i}].hostPort` });
      }
    }
    return out;
  },
});
