import { k8sPodRule, WARNING } from '../define';
import { arr, containersOf, o, POD_KINDS } from '../pod';

/** SS-K8S-022 — docs/rules.md#ss-k8s-022. */
export const noSshPort = k8sPodRule({
  id: 'SS-K8S-022',
  title: 'No SSH port',
  catalog: ['K8S-SEC-22'],
  severity: WARNING,
  message: 'Container exposes the SSH port 22',
  fix: 'do not run SSH in containers; use kubectl exec or debug containers',
  rationale: 'An SSH daemon in a container is a second way in that bypasses the Kubernetes API\'s audit; use kubectl exec or debug containers.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out = [];
    for (const r of containersOf(pod)) {
      const ports = arr(r.c.ports);
      for (let i = 0; i < ports.length; i++) {
        const p = o(ports[i]);
        if (p.containerPort === 22 && (p.protocol ?? 'TCP') === 'TCP') out.push({ jsonPath: `${r.path}.ports[${i}].containerPort` });
      }
    }
    return out;
  },
});
