import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { o } from '../pod';

/** SS-K8S-045 — RULES K8S-HA-09. */
export const hpaBounds = k8sRule({
  id: 'SS-K8S-045',
  catalog: ['K8S-HA-09'],
  severity: WARNING,
  message: 'HPA bounds allow a single replica or no scaling',
  fix: 'set minReplicas to 2 or more and maxReplicas above minReplicas',
  kinds: ['HorizontalPodAutoscaler'],
  check: (doc) => {
    const spec = o(doc.manifest.spec);
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const out: Violation[] = [];
    if (min < 2) out.push({ jsonPath: 'spec.minReplicas', message: `HPA minReplicas is ${min}; it must be 2 or more` });
    if (!(typeof spec.maxReplicas === 'number' && spec.maxReplicas > min)) out.push({ jsonPath: 'spec.maxReplicas', message: 'HPA maxReplicas must be above minReplicas' });
    return out;
  },
});
