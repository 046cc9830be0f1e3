import { ALL_EPHEMERAL, ERROR, k8sPodRule, linuxContainerCheck } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => c.securityContext?.allowPrivilegeEscalation !== false;

/** SS-K8S-002 — docs/rules.md#ss-k8s-002. */
export const noPrivilegeEscalation = k8sPodRule({
  id: 'SS-K8S-002',
  title: 'Privilege escalation explicitly disabled',
  catalog: ['K8S-SEC-02'],
  severity: ERROR,
  message: 'Container does not explicitly set allowPrivilegeEscalation: false',
  fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
  rationale: 'Without allowPrivilegeEscalation: false a process can gain more privileges than its parent (setuid binaries, file capabilities); the kernel default allows it, so the field must be set.',
  sources: ['Trivy KSV-0001', 'CIS EKS 4.2.5', 'EKS Best Practices: do not allow privileged escalation'],
  differences: [
    {
      peer: 'kube-linter',
      checks: ['privilege-escalation-container'],
      direction: 'stricter',
      reason: 'kube-linter fails only an explicit allowPrivilegeEscalation: true; Pod Security (restricted), Polaris and Checkov require the explicit false, and so does shipshape.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => linuxContainerCheck(pod, ALL_EPHEMERAL, bad, '.securityContext.allowPrivilegeEscalation'),
});
