import { k8sRule, NONE, WARNING } from '../define';
import { hpasTargeting, kedaScaling } from '../hpa';
import { isDevelopmentProfile, o } from '../pod';

/**
 * SS-K8S-037 — docs/rules.md#ss-k8s-037 (skipped for HPA targets, which SS-K8S-038 covers, and for
 * Deployments scaled by a KEDA ScaledObject, which creates its HPA in the cluster).
 */
export const minimumReplicas = k8sRule({
  id: 'SS-K8S-037',
  title: 'At least two replicas',
  catalog: ['K8S-HA-01'],
  severity: WARNING,
  message: 'Deployment runs fewer than 2 replicas',
  fix: 'set spec.replicas to 2 or more, or autoscale with an HPA whose minReplicas is 2 or more',
  rationale: 'One replica means downtime on every node drain, roll-out hiccup or crash. Deployments scaled by an HPA or KEDA (SS-K8S-038 applies there) and the development profile\'s one-replica Deployments are not reported.',
  sources: ['EKS Best Practices: run multiple replicas'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['deployment-replicas'],
      direction: 'stricter',
      reason: 'kube-score asks for replicas only when a Service selects the Deployment; shipshape asks every Deployment that no autoscaler scales.',
    },
    {
      peer: 'polaris',
      checks: ['deploymentMissingReplicas'],
      direction: 'laxer',
      reason: 'A Deployment annotated shipshape.io/profile: development (shipshape\'s development profile) runs one replica on purpose and is not reported.',
      when: (m: any) => m?.metadata?.annotations?.['shipshape.io/profile'] === 'development',
    },
  ],
  kinds: ['Deployment'],
  check: (doc, index) => {
    if (isDevelopmentProfile(doc.manifest) || hpasTargeting(index, doc).length > 0 || kedaScaling(index, doc) !== undefined) return undefined;
    const r = o(doc.manifest.spec).replicas;
    if (r !== undefined && r !== null && typeof r !== 'number') return undefined; // a quoted "2": SS-K8S-098 reports what the API refuses
    return typeof r === 'number' && r >= 2 ? NONE : [{ jsonPath: 'spec.replicas' }];
  },
});
