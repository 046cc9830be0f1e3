import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// SS-K8S-042 reads a minAvailable percentage as the disruption controller does: rounded up, of the replicas.

const rule = new KubernetesPack().rules.find(r => r.id === 'SS-K8S-042')!;

function hits(ms: any[]): string[] {
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `c/${m.kind}-${i}`)));
  return report.findings.map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

function deployment(replicas: number): any {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.example/c:1.0.0' }] } } },
  };
}
const pdb = (spec: any) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
const hpa = (minReplicas: number) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas, maxReplicas: 10 },
});

describe('SS-K8S-042 minAvailable percentages', () => {
  test('60 % of 2 replicas rounds up to 2: no disruption', () => {
    expect(hits([deployment(2), pdb({ minAvailable: '60%' })])).toEqual([
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 60% (2 of 2 pods, rounded up) leaves no disruption for Deployment web (2 replicas)',
    ]);
  });

  test('the autoscaler\'s minimum counts: 67 % of 3 is 3, 60 % of 2 is 2', () => {
    expect(hits([deployment(5), hpa(3), pdb({ minAvailable: '67%' })])).toEqual([
      'PodDisruptionBudget/web spec.minAvailable: minAvailable 67% (3 of 3 pods, rounded up) leaves no disruption for Deployment web '
      + '(3 replicas, the minReplicas of HorizontalPodAutoscaler web, which it can scale down to)',
    ]);
    expect(hits([deployment(5), hpa(2), pdb({ minAvailable: '60%' })])).toHaveLength(1);
  });

  test('percentages that leave a pod to evict are kept: 50 % of 2, 60 % of 3, 66 % of 3', () => {
    expect(hits([deployment(2), pdb({ minAvailable: '50%' })])).toEqual([]);
    expect(hits([deployment(3), pdb({ minAvailable: '60%' })])).toEqual([]);
    expect(hits([deployment(3), pdb({ minAvailable: '66%' })])).toEqual([]);
  });

  test('a maxUnavailable percentage above 0 is rounded up too, so it always allows one pod', () => {
    expect(hits([deployment(2), pdb({ maxUnavailable: '10%' })])).toEqual([]);
    expect(hits([deployment(2), pdb({ maxUnavailable: '0%' })])).toEqual(['PodDisruptionBudget/web spec.maxUnavailable: maxUnavailable "0%" allows no disruption']);
  });
});
