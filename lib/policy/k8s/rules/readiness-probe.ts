import { containerCheck, ERROR, k8sPodRule, MAIN } from '../define';
import { isObj, SERVING_KINDS } from '../pod';

const bad = (c: any) => !isObj(c.readinessProbe);

/** SS-K8S-033 — docs/rules.md#ss-k8s-033. */
export const readinessProbe = k8sPodRule({
  id: 'SS-K8S-033',
  title: 'Readiness probe',
  catalog: ['K8S-PRB-01'],
  severity: ERROR,
  message: 'Container has no readiness probe',
  fix: 'add a readinessProbe (e.g. httpGet /readyz on the named port)',
  rationale: 'Without a readiness probe a pod receives traffic as soon as its process starts, and keeps receiving it while it cannot serve.',
  sources: ['EKS Best Practices: use readiness probes'],
  differences: [
    {
      peer: 'kube-score',
      checks: ['pod-probes'],
      direction: 'stricter',
      reason: 'kube-score asks for a readiness probe only when a Service selects the pod, and accepts it on any one container; shipshape, like Polaris and Checkov, asks every main container of a long-running pod.',
    },
  ],
  kinds: SERVING_KINDS,
  podCheck: (pod) => containerCheck(pod, MAIN, bad, '.readinessProbe'),
});
