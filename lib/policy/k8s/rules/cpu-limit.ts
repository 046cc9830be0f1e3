import { ALL, containerCheck, k8sPodRule, WARNING } from '../define';
import { POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

const bad = (c: any) => !nonZeroQuantity(c.resources?.limits?.cpu);

/** SS-K8S-026 — docs/rules.md#ss-k8s-026. */
export const cpuLimit = k8sPodRule({
  id: 'SS-K8S-026',
  title: 'CPU limit',
  catalog: ['K8S-RES-04'],
  severity: WARNING,
  message: 'Container has no CPU limit',
  fix: 'set resources.limits.cpu (shipshape sets one by default; opt-outs should suppress this rule with the reason)',
  rationale: 'A CPU limit caps a runaway container. The EKS guide argues against CPU limits (throttling), so this is a warning: shipshape sets a limit by default, because kube-score, Polaris, Checkov and Trivy require one, and an opt-out is told, not failed.',
  sources: ['Trivy KSV-0011'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL, bad, '.resources.limits.cpu'),
});
