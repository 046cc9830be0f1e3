import { ALL_EPHEMERAL, ERROR, k8sPodRule, linuxContainerCheck } from '../define';
import { POD_KINDS } from '../pod';

const bad = (c: any) => { const d = c.securityContext?.capabilities?.drop; return !(Array.isArray(d) && d.includes('ALL')); };

/** SS-K8S-007 — docs/rules.md#ss-k8s-007. */
export const dropAllCapabilities = k8sPodRule({
  id: 'SS-K8S-007',
  title: 'Drop ALL capabilities',
  catalog: ['K8S-SEC-07'],
  severity: ERROR,
  message: 'Container does not drop ALL capabilities',
  fix: 'set securityContext.capabilities.drop: [ALL] on every container',
  rationale: 'Dropping every Linux capability removes the kernel privileges a container does not need; a partial drop list leaves the rest of the default set.',
  sources: ['Trivy KSV-0003, KSV-0004', 'CIS EKS 4.2.8 (v1.4)'],
  differences: [
    {
      peer: 'polaris',
      checks: ['insecureCapabilities'],
      direction: 'stricter',
      reason: 'Polaris passes a container that drops its list of risky capabilities; shipshape, like Pod Security (restricted) and Checkov CKV_K8S_37, requires drop: [ALL].',
    },
    {
      peer: 'kube-linter',
      checks: ['drop-net-raw-capability'],
      direction: 'stricter',
      reason: 'kube-linter passes a container that drops NET_RAW; shipshape, like Pod Security (restricted), requires drop: [ALL].',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => linuxContainerCheck(pod, ALL_EPHEMERAL, bad, '.securityContext.capabilities.drop'),
});
