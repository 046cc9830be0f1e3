import { Chart, Testing } from 'cdk8s';
import { WebService } from '../../lib/k8s';
import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

// A default WebService must produce zero error findings from the Kubernetes pack.
function findings() {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  const objs = c.toJson();
  const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(objs.map((m: any) => k8sDocument(m, `shop/api/${m.kind}`)));
  return { report };
}

test('a default WebService has no error finding', () => {
  const { report } = findings();
  expect(report.errors.map(f => `${f.ruleId} ${f.kind} ${f.jsonPath}: ${f.message}`)).toEqual([]);
});

test('a default WebService warns only about what the user must choose or the lead has accepted', () => {
  const { report } = findings();
  // SS-K8S-030 / SS-K8S-032: digest and registry of the image the user passes (a tag from ghcr.io here).
  // SS-K8S-028: no priorityClassName by default. SS-K8S-048: with no declared callers the NetworkPolicy has
  // an empty ingress list (deny all), which Polaris does not count as a covering policy (RULES A.11.7).
  const allowed = ['SS-K8S-028', 'SS-K8S-030', 'SS-K8S-032', 'SS-K8S-048'];
  const unexpected = report.warnings.filter(f => !allowed.includes(f.ruleId)).map(f => `${f.ruleId} ${f.kind} ${f.jsonPath}: ${f.message}`);
  expect(unexpected).toEqual([]);
});

test('a WebService with a digest-pinned ECR image loses the image warnings', () => {
  const c = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new WebService(c, 'api', { image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2@sha256:${'b'.repeat(64)}` });
  const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(c.toJson().map((m: any) => k8sDocument(m, `shop/api/${m.kind}`)));
  expect(report.warnings.map(f => f.ruleId).filter(id => id === 'SS-K8S-030' || id === 'SS-K8S-032')).toEqual([]);
  expect(report.errors).toEqual([]);
});
