import { DocumentIndex } from '../../document-index';
import { PolicyDocument } from '../../rule';
import { k8sRule, WARNING } from '../define';
import { hpasTargeting } from '../hpa';
import { o } from '../pod';

/**
 * SS-K8S-037 — RULES K8S-HA-01 (A.11.2: skipped for HPA targets, which SS-K8S-038 covers, and for
 * Deployments scaled by a KEDA ScaledObject, which creates its HPA in the cluster).
 */
function scaledByKeda(index: DocumentIndex, doc: PolicyDocument): boolean {
  return index.inNamespace('ScaledObject', doc.namespace).some(so => {
    const ref = o(o(so.manifest.spec).scaleTargetRef);
    return ref.name === doc.name && (ref.kind === undefined || ref.kind === 'Deployment');
  });
}

export const minimumReplicas = k8sRule({
  id: 'SS-K8S-037',
  catalog: ['K8S-HA-01'],
  severity: WARNING,
  message: 'Deployment runs fewer than 2 replicas',
  fix: 'set spec.replicas to 2 or more, or autoscale with an HPA whose minReplicas is 2 or more',
  kinds: ['Deployment'],
  check: (doc, index) => {
    if (hpasTargeting(index, doc).length > 0 || scaledByKeda(index, doc)) return undefined;
    const r = o(doc.manifest.spec).replicas;
    return typeof r === 'number' && r >= 2 ? [] : [{ jsonPath: 'spec.replicas' }];
  },
});
