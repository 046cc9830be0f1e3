import { ERROR, k8sRule } from '../define';
import { effectiveReplicas } from '../hpa';
import { o } from '../pod';
import { K8sIndex } from '../selectors';

function pct(v: any): number | undefined {
  return typeof v === 'string' && /^\d+%$/.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** SS-K8S-042 — RULES K8S-HA-06. */
export const pdbAllowsDisruption = k8sRule({
  id: 'SS-K8S-042',
  catalog: ['K8S-HA-06'],
  severity: ERROR,
  message: 'PodDisruptionBudget allows no disruption (node drains would block)',
  fix: 'set maxUnavailable: 1 (or a minAvailable below the replica count)',
  kinds: ['PodDisruptionBudget'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    if (spec.maxUnavailable !== undefined) {
      const p = pct(spec.maxUnavailable);
      return spec.maxUnavailable === 0 || p === 0 || spec.maxUnavailable === '0' ? [{ jsonPath: 'spec.maxUnavailable' }] : [];
    }
    if (spec.minAvailable === undefined) {
      return [{ jsonPath: 'spec', message: 'PodDisruptionBudget sets neither minAvailable nor maxUnavailable' }];
    }
    if (pct(spec.minAvailable) === 100) return [{ jsonPath: 'spec.minAvailable' }];
    if (typeof spec.minAvailable === 'number') {
      const selected = K8sIndex.of(index).templatesSelectedBy(doc.namespace ?? '', o(spec.selector));
      for (const t of selected) {
        if (t.doc.kind === 'Pod' || t.doc.kind === 'Job' || t.doc.kind === 'CronJob') continue;
        const replicas = effectiveReplicas(index, t.doc);
        if (spec.minAvailable >= replicas) {
          return [{ jsonPath: 'spec.minAvailable', message: `minAvailable ${spec.minAvailable} leaves no disruption for ${t.doc.kind} ${t.doc.name} (${replicas} replicas)` }];
        }
      }
    }
    return [];
  },
});
