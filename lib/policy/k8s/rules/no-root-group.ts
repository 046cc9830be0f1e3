import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { arr, containersOf, POD_KINDS, sc } from '../pod';

/** SS-K8S-006 — docs/rules.md#ss-k8s-006. */
export const noRootGroup = k8sPodRule({
  id: 'SS-K8S-006',
  title: 'No root group',
  catalog: ['K8S-SEC-06'],
  severity: WARNING,
  message: 'Pod or container uses group id 0 (root group)',
  fix: 'set runAsGroup, fsGroup and supplementalGroups to non-zero ids (10001 or more)',
  rationale: 'Group 0 owns many files on the node and in images; a process in it can read or change them even as a non-root user.',
  sources: ['Trivy KSV-0116', 'Pod Security Standards: non-root groups (optional)'],
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const psc = sc(pod.spec);
    const out: Violation[] = [];
    if (psc.runAsGroup === 0) out.push({ jsonPath: `${pod.path}.securityContext.runAsGroup` });
    if (psc.fsGroup === 0) out.push({ jsonPath: `${pod.path}.securityContext.fsGroup` });
    arr(psc.supplementalGroups).forEach((g, i) => {
      if (g === 0) out.push({ jsonPath: `${pod.path}.securityContext.supplementalGroups[${i}]` });
    });
    for (const r of containersOf(pod, true)) {
      if (sc(r.c).runAsGroup === 0) out.push({ jsonPath: `${r.path}.securityContext.runAsGroup` });
    }
    return out;
  },
});
