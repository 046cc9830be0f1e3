import { ERROR, k8sRule, NONE } from '../define';
import { scaleTarget } from '../hpa';
import { o } from '../pod';

/** SS-K8S-046 — docs/rules.md#ss-k8s-046. */
export const hpaTargetExists = k8sRule({
  id: 'SS-K8S-046',
  title: 'HPA target exists',
  catalog: ['K8S-HA-10'],
  severity: ERROR,
  message: 'HPA targets an object that is not in the output',
  fix: 'point scaleTargetRef (apiVersion, kind, name) at a workload in the same namespace',
  rationale: 'An HPA that targets nothing in the output scales nothing, usually after a rename.',
  kinds: ['HorizontalPodAutoscaler'],
  check: (doc, index) => {
    const ref = o(o(doc.manifest.spec).scaleTargetRef);
    if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') return [{ jsonPath: 'spec.scaleTargetRef' }];
    const target = scaleTarget(index, doc);
    if (!target || (ref.apiVersion !== undefined && target.manifest.apiVersion !== ref.apiVersion)) {
      return [{ jsonPath: 'spec.scaleTargetRef', message: `HPA targets ${ref.kind} ${ref.name}, which is not in the output` }];
    }
    return NONE;
  },
});
