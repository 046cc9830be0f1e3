import { ERROR, k8sRule } from '../define';
import { podOfDoc, POD_KINDS } from '../pod';

/** SS-K8S-010 — RULES K8S-SEC-10. */
export const noHostNamespaces = k8sRule({
  id: 'SS-K8S-010',
  catalog: ['K8S-SEC-10'],
  severity: ERROR,
  message: 'Pod shares a host namespace',
  fix: 'remove hostNetwork, hostPID and hostIPC (or set them to false)',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return ['hostNetwork', 'hostPID', 'hostIPC'].filter(f => pod.spec[f] === true)
      .map(f => ({ jsonPath: `${pod.path}.${f}`, message: `Pod sets ${f}: true` }));
  },
});
