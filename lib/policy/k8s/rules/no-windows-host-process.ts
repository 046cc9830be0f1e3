import { Violation } from '../../rule';
import { ERROR, k8sPodRule } from '../define';
import { containersOf, o, POD_KINDS, sc } from '../pod';

/** SS-K8S-018 — docs/rules.md#ss-k8s-018. */
export const noWindowsHostProcess = k8sPodRule({
  id: 'SS-K8S-018',
  title: 'No Windows hostProcess containers',
  catalog: ['K8S-SEC-18'],
  severity: ERROR,
  message: 'Windows hostProcess container',
  fix: 'remove securityContext.windowsOptions.hostProcess',
  rationale: 'A Windows hostProcess container runs as a process on the node itself, with the node\'s access.',
  sources: ['Trivy KSV-0103'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    if (o(sc(pod.spec).windowsOptions).hostProcess === true) out.push({ jsonPath: `${pod.path}.securityContext.windowsOptions.hostProcess` });
    for (const r of containersOf(pod, true)) {
      if (o(sc(r.c).windowsOptions).hostProcess === true) out.push({ jsonPath: `${r.path}.securityContext.windowsOptions.hostProcess` });
    }
    return out;
  },
});
