// SS-K8S-102: an HTTPRoute's Service backends are Services of the output, by name and Service port (not targetPort);
// a Service backend has a port; a backend in another namespace is checked only when its Service is in the output.
import { Chart, Testing } from 'cdk8s';
import { HttpRoute, WebService } from '../../../lib/k8s';
import { KubernetesPack, PolicyEngine, Severity } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';

const ID = 'SS-K8S-102';
const rule = new KubernetesPack().rules.find(r => r.id === ID)!;
const GW = 'gateway.networking.k8s.io/v1';

/** The findings of SS-K8S-102 on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(ms: any[]): string[] {
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `out/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === ID).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

/** An HTTPRoute `orders` in namespace `sales` with one rule of these backendRefs. */
function route(backendRefs: any[], apiVersion = GW): any {
  return {
    apiVersion,
    kind: 'HTTPRoute',
    metadata: { name: 'orders', namespace: 'sales' },
    spec: { parentRefs: [{ name: 'edge', namespace: 'lb' }], rules: [{ backendRefs }] },
  };
}

/** A Service `name` in `namespace` with port 80 to target port 8080, named http. */
function service(name = 'orders', namespace = 'sales'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

describe('findings', () => {
  test('a backend Service that is not in the output, in the route\'s namespace', () => {
    expect(hits([route([{ name: 'ordrs', port: 80 }]), service()])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[0].name: HTTPRoute backend Service "ordrs" is not in the output (namespace sales)',
    ]);
  });

  test('a port the Service does not have; the targetPort given for the Service port is named as such', () => {
    expect(hits([route([{ name: 'orders', port: 8080 }]), service()])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[0].port: Service orders has no port 8080 (its ports: 80); 8080 is the targetPort of its port 80, and a route sends to the Service port',
    ]);
    expect(hits([route([{ name: 'orders', port: 81 }]), service()])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[0].port: Service orders has no port 81 (its ports: 80)',
    ]);
  });

  test('a Service backend without a port, which the API server refuses', () => {
    expect(hits([route([{ name: 'orders' }]), service()])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[0].port: HTTPRoute backend Service orders has no port, which the API server refuses for a Service: give the Service port to send to',
    ]);
  });

  test('a backend in another namespace whose Service is in the output is held to its ports', () => {
    expect(hits([route([{ name: 'orders', namespace: 'backend', port: 8080 }]), service('orders', 'backend')])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[0].port: Service orders has no port 8080 (its ports: 80); 8080 is the targetPort of its port 80, and a route sends to the Service port',
    ]);
  });

  test('every rule and backend is looked at, each at its own path', () => {
    const m = route([{ name: 'orders', port: 80 }, { name: 'ghost', port: 80 }]);
    m.spec.rules.push({ backendRefs: [{ name: 'orders', port: 9 }] });
    expect(hits([m, service()])).toEqual([
      'HTTPRoute/orders spec.rules[0].backendRefs[1].name: HTTPRoute backend Service "ghost" is not in the output (namespace sales)',
      'HTTPRoute/orders spec.rules[1].backendRefs[0].port: Service orders has no port 9 (its ports: 80)',
    ]);
  });

  test('the finding is an error with the rule\'s fix', () => {
    const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check([k8sDocument(route([{ name: 'ghost', port: 80 }]), 'out/0')]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].severity).toBe(Severity.ERROR);
    expect(report.findings[0].fix).toBe(rule.fix);
  });
});

describe('left alone', () => {
  test('a backend Service of the output on its Service port, by the core group spelled either way', () => {
    expect(hits([route([{ name: 'orders', port: 80 }, { group: '', kind: 'Service', name: 'orders', port: 80 }, { group: 'core', kind: 'Service', name: 'orders', port: 80 }]), service()])).toEqual([]);
  });

  test('an ExternalName Service, which lists no ports: the route\'s port is not checked', () => {
    const ext = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'sales' }, spec: { type: 'ExternalName', externalName: 'api.example.com' } };
    expect(hits([route([{ name: 'ext', port: 443 }]), ext])).toEqual([]);
  });

  test('a backend in another namespace whose Service is not in the output (another output may have it)', () => {
    expect(hits([route([{ name: 'orders', namespace: 'backend', port: 80 }])])).toEqual([]);
  });

  test('a backend of another kind (an implementation\'s own), and a route of another API group', () => {
    expect(hits([route([{ group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'ext', port: 443 }])])).toEqual([]);
    expect(hits([route([{ name: 'ghost', port: 80 }], 'example.com/v1')])).toEqual([]);
  });

  test('the routes of shipshape\'s HttpRoute pass as written', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    new HttpRoute(chart, 'route', { gateway: { name: 'edge', namespace: 'lb', sectionName: 'https' }, hostnames: ['shop.example.com'], rules: [{ backends: [{ service: web }] }] });
    const objs = chart.toJson();
    expect(objs.some(o => o.kind === 'HTTPRoute')).toBe(true);
    expect(hits(objs)).toEqual([]);
  });
});
