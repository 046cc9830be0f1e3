import { Violation } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { arr, o } from '../pod';

const KEYS = ['type', 'max', 'min', 'default', 'defaultRequest'];

/** SS-K8S-076 — docs/rules.md#ss-k8s-076. */
export const limitRangeComplete = k8sRule({
  id: 'SS-K8S-076',
  title: 'LimitRange complete',
  catalog: ['K8S-NS-04'],
  severity: WARNING,
  message: 'LimitRange entry lacks type, max, min, default or defaultRequest',
  fix: 'set type, max, min, default and defaultRequest on every spec.limits entry',
  rationale: 'Defaults, minimums and maximums per container keep pods without resources from starving the namespace.',
  sources: ['Trivy KSV-0039', 'EKS Best Practices: limit container resource usage within a namespace'],
  kinds: ['LimitRange'],
  check: (doc) => {
    const limits = arr(o(doc.manifest.spec).limits);
    if (limits.length === 0) return [{ jsonPath: 'spec.limits' }];
    const out: Violation[] = [];
    limits.forEach((l, i) => {
      for (const k of KEYS) if (o(l)[k] === undefined) out.push({ jsonPath: `spec.limits[${i}].${k}` });
    });
    return out;
  },
});
