import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { scaleTarget } from '../hpa';
import { isDevelopmentProfile, o } from '../pod';

/**
 * SS-K8S-045 — docs/rules.md#ss-k8s-045 (an unset minReplicas is the API default, 1). Not applied to the development
 * profile's autoscalers (on the HPA or on the workload it scales).
 */
export const hpaBounds = k8sRule({
  id: 'SS-K8S-045',
  title: 'HPA bounds',
  catalog: ['K8S-HA-09'],
  severity: WARNING,
  message: 'HPA bounds allow a single replica or no scaling',
  fix: 'set minReplicas to 2 or more and maxReplicas above minReplicas',
  rationale: 'An HPA whose minimum is 1 lets the service scale down to a single pod (see SS-K8S-037); one whose maximum is not above its minimum cannot scale. An unset minReplicas is the API default, 1. A maximum below the minimum, which the API server refuses, is reported by SS-K8S-094. The development profile\'s autoscalers are not reported.',
  differences: [
    {
      peer: 'polaris',
      checks: ['hpaMinAvailability', 'hpaMaxAvailability'],
      direction: 'stricter',
      reason: 'Polaris skips an HPA without minReplicas; the API defaults it to 1, which shipshape (like kube-score) reports.',
    },
  ],
  kinds: ['HorizontalPodAutoscaler'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    if (isDevelopmentProfile(doc.manifest)) return undefined;
    const ref = o(spec.scaleTargetRef);
    if (typeof ref.kind === 'string' && typeof ref.name === 'string') {
      const target = scaleTarget(index, doc);
      if (target && isDevelopmentProfile(target.manifest)) return undefined;
    }
    // a minReplicas that is no number ("3") is refused by the API: SS-K8S-094 reports it
    if (spec.minReplicas !== undefined && spec.minReplicas !== null && typeof spec.minReplicas !== 'number') return undefined;
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const out: Violation[] = [];
    if (min < 2) out.push({ jsonPath: 'spec.minReplicas', message: `HPA minReplicas is ${typeof spec.minReplicas === 'number' ? min : 'unset (1)'}; it must be 2 or more` });
    // a maximum below the minimum (or none) is an object the API server refuses: SS-K8S-094 reports it
    if (typeof spec.maxReplicas === 'number' && spec.maxReplicas === min) out.push({ jsonPath: 'spec.maxReplicas', message: 'HPA maxReplicas must be above minReplicas' });
    return out;
  },
});
