import { PolicyDocument } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { labelsOf, o, podOfDoc } from '../pod';
import { K8sIndex } from '../selectors';

const pdbSelector = (d: PolicyDocument) => o(d.manifest.spec).selector;

/** SS-K8S-044 — RULES K8S-HA-08. */
export const pdbFitsHpa = k8sRule({
  id: 'SS-K8S-044',
  catalog: ['K8S-HA-08'],
  severity: WARNING,
  message: 'PodDisruptionBudget minAvailable is above the HPA minReplicas',
  fix: 'lower the PDB minAvailable (or use maxUnavailable: 1), or raise the HPA minReplicas',
  kinds: ['HorizontalPodAutoscaler'],
  check: (doc, index) => {
    const spec = o(doc.manifest.spec);
    const ref = o(spec.scaleTargetRef);
    if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
    const target = index.find(ref.kind, ref.name, doc.namespace);
    const pod = target && podOfDoc(target);
    if (!target || !pod) return undefined;
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const pdbs = K8sIndex.of(index).selecting('PodDisruptionBudget', pdbSelector, doc.namespace ?? '', labelsOf(pod.meta));
    for (const p of pdbs) {
      const ma = o(p.manifest.spec).minAvailable;
      if (typeof ma === 'number' && ma > min) {
        return [{ jsonPath: 'spec.minReplicas', message: `PodDisruptionBudget ${p.name} minAvailable ${ma} is above the HPA minReplicas ${min}` }];
      }
    }
    return [];
  },
});
