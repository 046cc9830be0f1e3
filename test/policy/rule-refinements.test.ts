import { find, goodManifests, pod } from './fixtures/good';
import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// Refinements of two availability/network rules for workloads that take no traffic or scale through KEDA.
const pack = new KubernetesPack();
function findings(id: string, ms: any[]) {
  const rule = pack.rules.find(r => r.id === id)!;
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `app/c/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === id);
}

describe('SS-K8S-048 NetworkPolicy coverage', () => {
  test('pods that listen on a port besides their probes and whose policy allows no caller get a finding that says so', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    pod(find(ms, 'Deployment', 'web')).containers[0].ports.push({ name: 'metrics', containerPort: 9090 });
    const f = findings('SS-K8S-048', ms).filter(x => x.name === 'web');
    expect(f.map(x => x.message)).toEqual(['The NetworkPolicy selecting these pods allows no caller, yet the pods listen on a port besides their probes: nothing can reach it']);
  });

  test('pods whose only port is the one their probes use (the kubelet probes from the node) may deny all ingress', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    expect(pod(find(ms, 'Deployment', 'web')).containers[0].readinessProbe.httpGet.port).toBe('http');
    expect(findings('SS-K8S-048', ms).filter(x => x.name === 'web')).toEqual([]);
  });

  test('pods that declare no port (workers, jobs) are covered by a policy with no ingress rule', () => {
    const ms = goodManifests();
    find(ms, 'NetworkPolicy', 'web').spec.ingress = [];
    for (const c of pod(find(ms, 'Deployment', 'web')).containers) delete c.ports;
    expect(findings('SS-K8S-048', ms).filter(f => f.kind === 'Deployment' && f.name === 'web')).toEqual([]);
  });
});

describe('SS-K8S-037 minimum replicas', () => {
  test('a Deployment scaled by a KEDA ScaledObject is not reported', () => {
    const ms = goodManifests().filter(m => m.kind !== 'HorizontalPodAutoscaler');
    const dep = find(ms, 'Deployment', 'web');
    delete dep.spec.replicas;
    const onWeb = () => findings('SS-K8S-037', ms).filter(f => f.name === 'web');
    expect(onWeb().length).toBe(1);
    ms.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: dep.metadata.namespace }, spec: { scaleTargetRef: { name: 'web' } } });
    expect(onWeb()).toEqual([]);
  });
});
