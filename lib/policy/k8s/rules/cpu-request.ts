import { ALL, containerCheck, ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

const bad = (c: any) => !nonZeroQuantity(c.resources?.requests?.cpu);

/** SS-K8S-023 — docs/rules.md#ss-k8s-023. */
export const cpuRequest = k8sPodRule({
  id: 'SS-K8S-023',
  title: 'CPU request',
  catalog: ['K8S-RES-01'],
  severity: ERROR,
  message: 'Container has no CPU request',
  fix: 'set resources.requests.cpu on every container (e.g. 100m)',
  rationale: 'The scheduler places pods by their requests: without a CPU request a pod lands on a full node and is throttled first.',
  sources: ['Trivy KSV-0015', 'EKS Best Practices: set requests and limits for each container'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL, bad, '.resources.requests.cpu'),
});
