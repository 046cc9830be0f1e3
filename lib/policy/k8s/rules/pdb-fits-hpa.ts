import { k8sRule, NONE, WARNING } from '../define';
import { scaleTarget } from '../hpa';
import { o, podOfDoc } from '../pod';
import { K8sIndex } from '../selectors';

/** The pods a minAvailable asks for at `replicas` (a percentage rounds up, as the disruption controller does). */
function required(minAvailable: any, replicas: number): number | undefined {
  if (typeof minAvailable === 'number') return minAvailable;
  if (typeof minAvailable === 'string' && /^\d+%$/.test(minAvailable)) return Math.ceil(Number(minAvailable.slice(0, -1)) * replicas / 100);
  return undefined;
}

/** SS-K8S-044 — docs/rules.md#ss-k8s-044. An HPA without minReplicas runs at least 1 (the API default). */
export const pdbFitsHpa = k8sRule({
  id: 'SS-K8S-044',
  title: 'PodDisruptionBudget fits the HPA',
  catalog: ['K8S-HA-08'],
  severity: WARNING,
  message: 'PodDisruptionBudget minAvailable is above the HPA minReplicas',
  fix: 'lower the PDB minAvailable (or use maxUnavailable: 1), or raise the HPA minReplicas',
  rationale: 'A minAvailable above the HPA\'s minimum means no eviction is possible when the service runs at its minimum. A percentage is rounded up as the disruption controller does; an HPA without minReplicas runs at least 1 (the API default).',
  differences: [
    {
      peer: 'polaris',
      checks: ['pdbMinAvailableGreaterThanHPAMinReplicas'],
      direction: 'stricter',
      reason: 'Polaris skips an HPA without minReplicas; the API defaults it to 1, and shipshape compares with that.',
    },
  ],
  kinds: ['HorizontalPodAutoscaler'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const ref = o(spec.scaleTargetRef);
    if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
    const target = scaleTarget(index, doc);
    const pod = target && podOfDoc(target);
    if (!target || !pod) return undefined;
    // a minReplicas that is no number ("3") is refused by the API: SS-K8S-094 reports it
    if (spec.minReplicas !== undefined && spec.minReplicas !== null && typeof spec.minReplicas !== 'number') return undefined;
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const pdbs = K8sIndex.of(index).selectingPod('PodDisruptionBudget', doc.namespace ?? '', pod);
    for (const p of pdbs) {
      const ma = o(p.manifest.spec).minAvailable;
      const need = required(ma, min);
      if (need !== undefined && need > min) {
        const shown = typeof ma === 'number' ? `${ma}` : `${ma} (${need} pods)`;
        return [{ jsonPath: 'spec.minReplicas', message: `PodDisruptionBudget ${p.name} minAvailable ${shown} is above the HPA minReplicas ${min}${typeof spec.minReplicas === 'number' ? '' : ' (unset: 1)'}` }];
      }
    }
    return NONE;
  },
});
