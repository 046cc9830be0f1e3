// SS-K8S-094: HPA replica bounds the API server refuses (an error), and what SS-K8S-045 keeps (a warning).
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';

const pack = new KubernetesPack();
const rules = pack.rules.filter(r => r.id === 'SS-K8S-094' || r.id === 'SS-K8S-045');

/** An HPA `api` in namespace `shop` with the given bounds (undefined: left out). */
function hpa(minReplicas: unknown, maxReplicas: unknown): any {
  const spec: any = { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } };
  if (minReplicas !== undefined) spec.minReplicas = minReplicas;
  if (maxReplicas !== undefined) spec.maxReplicas = maxReplicas;
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec };
}

/** The findings of SS-K8S-094 and SS-K8S-045 on one HPA, as `<rule> <severity> <jsonPath>: <message>`. */
function hits(m: any): string[] {
  const report = new PolicyEngine({ packs: [{ name: 'two', rules }] }).check([k8sDocument(m, 'out/hpa')]);
  return report.findings.map(f => `${f.ruleId} ${f.severity} ${f.jsonPath}: ${f.message}`);
}

describe('SS-K8S-094 HPA replica bounds the API server accepts', () => {
  test('a maximum below the minimum is an error (the API server refuses the object), not also a 045 warning', () => {
    expect(hits(hpa(3, 1))).toEqual(['SS-K8S-094 error spec.maxReplicas: HPA maxReplicas (1) is below minReplicas (3): the API server refuses the object']);
  });

  test('a missing or non-positive maximum is an error', () => {
    expect(hits(hpa(2, undefined))).toEqual(['SS-K8S-094 error spec.maxReplicas: HPA maxReplicas is unset; the API server requires a whole number of at least 1']);
    expect(hits(hpa(2, 0))).toEqual(['SS-K8S-094 error spec.maxReplicas: HPA maxReplicas is 0; the API server requires a whole number of at least 1']);
    expect(hits(hpa(2, '5'))).toEqual(['SS-K8S-094 error spec.maxReplicas: HPA maxReplicas is "5"; the API server requires a whole number of at least 1']);
  });

  test('minReplicas 0 is an error naming the alpha feature gate and KEDA; a fraction is an error', () => {
    expect(hits(hpa(0, 5))).toContain('SS-K8S-094 error spec.minReplicas: HPA minReplicas is 0, which the API server refuses unless the cluster enables the alpha '
      + 'feature gate HPAScaleToZero (scale to zero with KEDA instead)');
    expect(hits(hpa(1.5, 5))).toContain('SS-K8S-094 error spec.minReplicas: HPA minReplicas is 1.5; the API server takes a whole number of at least 1');
  });

  test('bounds the API accepts are not 094\'s: equal bounds and a single-replica minimum stay 045 warnings', () => {
    expect(hits(hpa(3, 3))).toEqual(['SS-K8S-045 warning spec.maxReplicas: HPA maxReplicas must be above minReplicas']);
    expect(hits(hpa(undefined, 5))).toEqual(['SS-K8S-045 warning spec.minReplicas: HPA minReplicas is unset (1); it must be 2 or more']);
    expect(hits(hpa(2, 10))).toEqual([]);
  });
});
