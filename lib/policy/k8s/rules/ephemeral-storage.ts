import { Violation } from '../../rule';
import { k8sPodRule, WARNING } from '../define';
import { containersOf, o, POD_KINDS } from '../pod';
import { nonZeroQuantity } from '../quantity';

/** SS-K8S-027 — docs/rules.md#ss-k8s-027. */
export const ephemeralStorage = k8sPodRule({
  id: 'SS-K8S-027',
  title: 'Ephemeral-storage request and limit',
  catalog: ['K8S-RES-05'],
  severity: WARNING,
  message: 'Container has no ephemeral-storage request or limit',
  fix: 'set resources.requests and resources.limits for ephemeral-storage (e.g. 1Gi)',
  rationale: 'Logs and scratch files fill the node\'s disk; without a limit one pod can get its neighbours evicted for disk pressure.',
  kinds: POD_KINDS,
  podCheck: (pod) => {
    const out: Violation[] = [];
    for (const r of containersOf(pod)) {
      const res = o(r.c.resources);
      if (!nonZeroQuantity(o(res.requests)['ephemeral-storage'])) out.push({ jsonPath: `${r.path}.resources.requests["ephemeral-storage"]` });
      if (!nonZeroQuantity(o(res.limits)['ephemeral-storage'])) out.push({ jsonPath: `${r.path}.resources.limits["ephemeral-storage"]` });
    }
    return out;
  },
});
