import { ERROR, k8sRule } from '../define';
import { arr, containersOf, o, podOfDoc, POD_KINDS, sc } from '../pod';

/** SS-K8S-008 — RULES K8S-SEC-08 (A.11.5: add nothing, not even NET_BIND_SERVICE). */
export const addNoCapabilities = k8sRule({
  id: 'SS-K8S-008',
  catalog: ['K8S-SEC-08'],
  severity: ERROR,
  message: 'Container adds Linux capabilities',
  fix: 'remove securityContext.capabilities.add; listen on a port of 1024 or more instead of adding NET_BIND_SERVICE',
  kinds: POD_KINDS,
  check: (doc) => {
    const pod = podOfDoc(doc)!;
    return containersOf(pod, true).filter(r => arr(o(sc(r.c).capabilities).add).length > 0)
      .map(r => ({ jsonPath: `${r.path}.securityContext.capabilities.add`, message: `Container adds capabilities ${arr(o(sc(r.c).capabilities).add).join(', ')}` }));
  },
});
