import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// The pods of a kind the pod rules do not read (an Argo Rollout) are pods all the same: a Service, a
// PodDisruptionBudget or a NetworkPolicy selecting them selects pods.
const ids = ['SS-K8S-049', 'SS-K8S-050', 'SS-K8S-053', 'SS-K8S-085'];

function rollout(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.2.3', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
      strategy: { canary: { steps: [{ setWeight: 20 }] } },
    },
  };
}

function selectors(targetPort: string | number = 'http'): any[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] },
    },
  ];
}

function findings(ms: any[]) {
  const pack = new KubernetesPack();
  const report = new PolicyEngine({ packs: [pack] }).check(ms.map((m, i) => k8sDocument(m, `app/c/${m.kind}-${i}`)));
  return report.findings.filter(f => ids.includes(f.ruleId)).map(f => `${f.ruleId} ${f.kind} ${f.jsonPath}: ${f.message}`);
}

describe('pod templates of kinds the pod rules do not read', () => {
  test('a Service, a PodDisruptionBudget and a NetworkPolicy selecting an Argo Rollout\'s pods select pods', () => {
    expect(findings([rollout(), ...selectors()])).toEqual([]);
  });

  test('without the Rollout, each of them selects nothing (the same objects are reported)', () => {
    expect(findings(selectors()).map(f => f.split(' ')[0])).toEqual(['SS-K8S-050', 'SS-K8S-085', 'SS-K8S-049']);
  });

  test('a Service targetPort name the Rollout\'s containers do not declare is reported, naming the Rollout', () => {
    expect(findings([rollout(), ...selectors('metrics')])).toEqual([
      'SS-K8S-053 Service spec.ports[0].targetPort: Service targetPort metrics names no container port of the pods it selects (Rollout web): the port has no endpoint',
    ]);
  });

  test('a selector that does not match the Rollout\'s labels still selects nothing', () => {
    const r = rollout();
    r.spec.template.metadata.labels = { app: 'web-v2' };
    r.spec.selector.matchLabels = { app: 'web-v2' };
    expect(findings([r, ...selectors()]).map(f => f.split(' ')[0])).toEqual(['SS-K8S-050', 'SS-K8S-085', 'SS-K8S-049']);
  });

  test('a template in spec.jobTemplate (a CronJob-like kind) counts too, and the pod rules still do not read it', () => {
    const job = {
      apiVersion: 'example.com/v1',
      kind: 'ScheduledTask',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest', ports: [{ name: 'http', containerPort: 80 }] }] } } } } },
    };
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check([job, ...selectors()].map((m, i) => k8sDocument(m, `app/c/${m.kind}-${i}`)));
    expect(report.findings.filter(f => ['SS-K8S-050', 'SS-K8S-053', 'SS-K8S-049'].includes(f.ruleId))).toEqual([]);
    // the image rule (a pod rule) does not read the ScheduledTask
    expect(report.findings.filter(f => f.kind === 'ScheduledTask').map(f => f.ruleId)).not.toContain('SS-K8S-029');
  });
});
