import { ERROR, k8sRule, NONE } from '../define';
import { hpasTargeting } from '../hpa';
import { o } from '../pod';

/** SS-K8S-038 — docs/rules.md#ss-k8s-038 (the autoscaler owns the count). */
export const noReplicasWithHpa = k8sRule({
  id: 'SS-K8S-038',
  title: 'No replicas on an autoscaled workload',
  catalog: ['K8S-HA-02'],
  severity: ERROR,
  message: 'Workload targeted by an HPA sets spec.replicas',
  fix: 'remove spec.replicas: every apply would reset the HPA\'s choice',
  rationale: 'With spec.replicas set, every apply resets the count the HPA chose: a deploy during a traffic peak scales the service down.',
  kinds: ['Deployment', 'StatefulSet'],
  check: (doc, index) => {
    if (hpasTargeting(index, doc).length === 0) return undefined;
    return o(doc.manifest.spec).replicas !== undefined ? [{ jsonPath: 'spec.replicas' }] : NONE;
  },
});
