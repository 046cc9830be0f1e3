// SS-K8S-055 over what the HttpRoute construct writes: the construct refuses a route that names no listener unless it
// opts out with plainHttp: true, citing SS-K8S-055; the rule then reports that route, as it reports an Ingress
// written with plainHttp: true, for a suppression that records why plain HTTP is acceptable.
import { Chart, Testing } from 'cdk8s';
import { HttpIngress, HttpRoute, WebService } from '../../lib/k8s';
import { KubernetesPack, PolicyEngine } from '../../lib/policy';
import { k8sDocument } from '../../lib/policy/runner';

function tlsFindings(props: { sectionName?: string; plainHttp?: boolean }): string[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  new HttpRoute(chart, 'shop', {
    gateway: { name: 'public', namespace: 'gateways', ...(props.sectionName !== undefined ? { sectionName: props.sectionName } : {}) },
    hostnames: ['shop.example.com'],
    rules: [{ backends: [{ service: api }] }],
    ...(props.plainHttp !== undefined ? { plainHttp: props.plainHttp } : {}),
  });
  const docs = chart.toJson().map((m: any, i: number) => k8sDocument(m, `shop/${i}`));
  return new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs).findings
    .filter(f => f.ruleId === 'SS-K8S-055').map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

test('an HttpRoute with plainHttp: true is reported by SS-K8S-055, the rule its opt-out names', () => {
  expect(tlsFindings({ plainHttp: true })).toEqual([
    'HTTPRoute/shop spec.parentRefs[0]: HTTPRoute names no listener (sectionName) of Gateway gateways/public, so it attaches to every listener of it, plain-HTTP ones included',
  ]);
});

test('an HttpRoute attached to the HTTPS listener is not', () => {
  expect(tlsFindings({ sectionName: 'https' })).toEqual([]);
});

test('an HttpIngress with plainHttp: true is reported too, with its own message', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], plainHttp: true });
  const docs = chart.toJson().map((m: any, i: number) => k8sDocument(m, `shop/${i}`));
  const found = new PolicyEngine({ packs: [new KubernetesPack()] }).check(docs).findings.filter(f => f.ruleId === 'SS-K8S-055');
  expect(found.map(f => `${f.kind} ${f.jsonPath}: ${f.message}`)).toEqual(['Ingress spec.tls: Ingress has no TLS']);
});
