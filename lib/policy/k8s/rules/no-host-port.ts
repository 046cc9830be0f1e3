import { ERROR, k8sPodRule } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-012 — docs/rules.md#ss-k8s-012 (the key must be absent, even 0 fails). */
export const noHostPort = k8sPodRule({
  id: 'SS-K8S-012',
  title: 'No hostPort',
  catalog: ['K8S-SEC-12'],
  severity: ERROR,
  message: 'Container port sets hostPort',
  fix: 'remove the hostPort key; expose the port through a Service',
  rationale: 'A hostPort binds the node\'s port: it bypasses NetworkPolicy, limits scheduling to one such pod per node, and exposes the pod on the node\'s address.',
  sources: ['Trivy KSV-0024'],
  differences: [
    {
      peer: 'polaris',
      checks: ['hostPortSet'],
      direction: 'stricter',
      reason: 'Polaris and Pod Security accept hostPort: 0; Checkov fails whenever the key is present, and so does shipshape, so one setting satisfies all three: omit the key.',
    },
    {
      peer: 'pod-security',
      checks: ['hostPorts'],
      direction: 'stricter',
      reason: 'Pod Security accepts hostPort: 0; Checkov fails whenever the key is present, and so does shipshape: omit the key.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
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
