import { ALL, containerCheck, ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

const bad = (c: any) => !nonZeroQuantity(c.resources?.limits?.memory);

/** SS-K8S-025 — docs/rules.md#ss-k8s-025. */
export const memoryLimit = k8sPodRule({
  id: 'SS-K8S-025',
  title: 'Memory limit',
  catalog: ['K8S-RES-03'],
  severity: ERROR,
  message: 'Container has no memory limit',
  fix: 'set resources.limits.memory on every container, equal to the memory request',
  rationale: 'A container without a memory limit can take the node\'s memory and get its neighbours OOM-killed; set it equal to the request.',
  sources: ['Trivy KSV-0018', 'EKS Best Practices: set requests and limits for each container'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL, bad, '.resources.limits.memory'),
});
