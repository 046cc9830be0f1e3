import { ALL_EPHEMERAL, containerCheck, ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.privileged === true;

/** SS-K8S-001 — docs/rules.md#ss-k8s-001. */
export const noPrivilegedContainers = k8sPodRule({
  id: 'SS-K8S-001',
  title: 'No privileged containers',
  catalog: ['K8S-SEC-01'],
  severity: ERROR,
  message: 'Container runs privileged',
  fix: 'remove securityContext.privileged (or set it to false)',
  rationale: 'A privileged container has every capability and the host\'s devices: escaping it means owning the node.',
  sources: ['Trivy KSV-0017', 'CIS EKS 4.2.1', 'EKS Best Practices: restrict the containers that can run as privileged'],
  kinds: POD_KINDS,
  podCheck: (pod) => containerCheck(pod, ALL_EPHEMERAL, bad, '.securityContext.privileged'),
});
