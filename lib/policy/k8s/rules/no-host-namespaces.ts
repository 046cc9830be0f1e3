import { ERROR, k8sPodRule } from '../define';
import { POD_KINDS } from '../pod';

/** SS-K8S-010 — docs/rules.md#ss-k8s-010. */
export const noHostNamespaces = k8sPodRule({
  id: 'SS-K8S-010',
  title: 'No host namespaces',
  catalog: ['K8S-SEC-10'],
  severity: ERROR,
  message: 'Pod shares a host namespace',
  fix: 'remove hostNetwork, hostPID and hostIPC (or set them to false)',
  rationale: 'hostNetwork, hostPID and hostIPC put the pod in the node\'s network, process or IPC namespace: it sees and reaches everything on the node.',
  sources: ['Trivy KSV-0008, KSV-0009, KSV-0010', 'CIS EKS 4.2.2-4.2.4'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    return ['hostNetwork', 'hostPID', 'hostIPC'].filter(f => pod.spec[f] === true)
      .map(f => ({ jsonPath: `${pod.path}.${f}`, message: `Pod sets ${f}: true` }));
  },
});
