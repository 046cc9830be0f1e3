import { Violation } from '../../rule';
import { ERROR, k8sRule } from '../define';
import { o } from '../pod';

/** SS-K8S-094 — docs/rules.md#ss-k8s-094. */
export const hpaValidBounds = k8sRule({
  id: 'SS-K8S-094',
  title: 'HPA replica bounds the API server accepts',
  catalog: ['K8S-HA-09'],
  severity: ERROR,
  message: 'HPA replica bounds are refused by the API server',
  fix: 'set maxReplicas to a whole number of at least 1 and at least minReplicas, and minReplicas (when set) to 1 or more',
  rationale: 'The API server refuses a HorizontalPodAutoscaler whose maxReplicas is below 1 or below its minReplicas, and one whose '
    + 'minReplicas is 0 unless the cluster turned on the alpha feature gate HPAScaleToZero: such an object is never created, so the '
    + 'workload it was meant to scale runs at whatever replicas its own spec says. SS-K8S-045 (a warning) covers bounds the API '
    + 'accepts but that leave no room to scale or allow a single replica; it leaves a maximum below the minimum to this rule.',
  kinds: ['HorizontalPodAutoscaler'],
  check: doc => {
    const spec = o(doc.manifest.spec);
    const out: Violation[] = [];
    const min = spec.minReplicas;
    const max = spec.maxReplicas;
    if (min !== undefined && !(Number.isInteger(min) && min >= 1)) {
      out.push({
        jsonPath: 'spec.minReplicas',
        message: min === 0
          ? 'HPA minReplicas is 0, which the API server refuses unless the cluster enables the alpha feature gate HPAScaleToZero (scale to zero with KEDA instead)'
          : `HPA minReplicas is ${JSON.stringify(min)}; the API server takes a whole number of at least 1`,
      });
    }
    if (!(Number.isInteger(max) && max >= 1)) {
      out.push({ jsonPath: 'spec.maxReplicas', message: `HPA maxReplicas is ${max === undefined ? 'unset' : JSON.stringify(max)}; the API server requires a whole number of at least 1` });
    } else if (Number.isInteger(min) && max < min) {
      out.push({ jsonPath: 'spec.maxReplicas', message: `HPA maxReplicas (${max}) is below minReplicas (${min}): the API server refuses the object` });
    }
    return out;
  },
});
