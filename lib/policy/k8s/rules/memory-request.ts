import { ALL, containerCheck, ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

const bad = (c: any) => !nonZeroQuantity(c.resources?.requests?.memory);

/** SS-K8S-024 — docs/rules.md#ss-k8s-024. */
export const memoryRequest = k8sPodRule({
  id: 'SS-K8S-024',
  title: 'Memory request',
  catalog: ['K8S-RES-02'],
  severity: ERROR,
  message: 'Container has no memory request',
  fix: 'set resources.requests.memory on every container (e.g. 256Mi)',
  rationale: 'Without a memory request the scheduler can overcommit the node, and the pod is among the first evicted under memory pressure.',
  sources: ['Trivy KSV-0016', 'EKS Best Practices: set requests and limits for each container'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL, bad, '.resources.requests.memory'),
});
