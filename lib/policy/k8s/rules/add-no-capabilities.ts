import { ERROR, k8sPodRule } from '../define';
import { arr, containersOf, o, POD_KINDS, sc } from '../pod';

/** SS-K8S-008 — docs/rules.md#ss-k8s-008 (add nothing, not even NET_BIND_SERVICE). */
export const addNoCapabilities = k8sPodRule({
  id: 'SS-K8S-008',
  title: 'Add no capabilities',
  catalog: ['K8S-SEC-08'],
  severity: ERROR,
  message: 'Container adds Linux capabilities',
  fix: 'remove securityContext.capabilities.add and do the work without the capabilities it added (for example, listen on a port of 1024 or more instead of adding NET_BIND_SERVICE); suppress with a reason when the container needs one',
  rationale: 'Every added capability is kernel privilege the container keeps; the one Pod Security allows (NET_BIND_SERVICE) is not needed when the process listens on a port of 1024 or more.',
  sources: ['Trivy KSV-0005, KSV-0022, KSV-0106, KSV-0119, KSV-0120', 'CIS EKS 4.2.7 (v1.4)'],
  differences: [
    {
      peer: 'pod-security',
      checks: ['capabilities_restricted'],
      direction: 'stricter',
      reason: 'Pod Security (restricted) allows adding NET_BIND_SERVICE; Checkov CKV_K8S_25 refuses any add, and shipshape follows it, so one setting satisfies both: listen on a port of 1024 or more instead.',
    },
    {
      peer: 'polaris',
      checks: ['dangerousCapabilities'],
      direction: 'stricter',
      reason: 'Polaris fails only ALL, SYS_ADMIN and NET_ADMIN; shipshape refuses any added capability, as Checkov CKV_K8S_25 does.',
    },
  ],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return containersOf(pod, true).filter(r => arr(o(sc(r.c).capabilities).add).length > 0)
      .map(r => ({ jsonPath: `${r.path}.securityContext.capabilities.add`, message: `Container adds capabilities ${arr(o(sc(r.c).capabilities).add).join(', ')}` }));
  },
});
