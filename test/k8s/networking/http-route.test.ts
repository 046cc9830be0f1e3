import { Chart, Duration } from 'cdk8s';
import { expectError, one, policyErrors, testChart, validationErrors } from './traffic-util';
import { HttpMethod, HttpRoute, HttpRoutePathType, HttpRouteProps, WebService } from '../../../lib/k8s';
import { expectValid } from '../../util/schema';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function setup(props: Partial<HttpRouteProps> = {}): { chart: Chart; api: WebService; canary: WebService; route: HttpRoute; objs: any[] } {
  const chart = testChart();
  const api = new WebService(chart, 'api', { image: IMAGE });
  const canary = new WebService(chart, 'api-canary', { image: 'ghcr.io/acme/api:1.5.0' });
  const route = new HttpRoute(chart, 'shop', {
    gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
    hostnames: ['shop.example.com'],
    rules: [{ backends: [{ service: api }] }],
    ...props,
  });
  return { chart, api, canary, route, objs: chart.toJson() };
}

describe('HttpRoute defaults', () => {
  const { objs } = setup();
  const route = one(objs, 'HTTPRoute');

  test('attaches to the parent Gateway listener', () => {
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['shop.example.com']);
  });

  test('a rule without matches takes every request (PathPrefix "/") to the service port with weight 1', () => {
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'api', port: 80, weight: 1 }],
    }]);
  });

  test("the backend's NetworkPolicy admits the gateway's pods on the container port", () => {
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('validates strictly (core 1.27 and 1.36, HTTPRoute CRD) and passes the policy pack', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('gateway namespace defaults to the route namespace (no namespace in parentRef); plainHttp attaches to every listener', () => {
    const { objs: o } = setup({ gateway: { name: 'public' }, plainHttp: true });
    expect(one(o, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(JSON.stringify(one(o, 'NetworkPolicy', 'api').spec.ingress)).toContain('"gateway.networking.k8s.io/gateway-name":"public"');
  });
});

describe('HttpRoute options', () => {
  test('canary: weighted backends, header and method matches, timeouts', () => {
    const { chart, api, canary, route } = setup();
    route.addRule({
      matches: [{ path: '/api', headers: { 'x-canary': 'true' }, method: HttpMethod.GET }],
      backends: [{ service: canary }],
    });
    route.addRule({
      matches: [{ path: '/api' }],
      backends: [{ service: api, weight: 90 }, { service: canary, weight: 10 }],
      timeout: Duration.seconds(10),
      backendTimeout: Duration.millis(2500),
    });
    const objs = chart.toJson();
    const rules = one(objs, 'HTTPRoute').spec.rules;
    expect(rules[1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }], method: 'GET' }]);
    expect(rules[2].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['api', 90], ['api-canary', 10]]);
    expect(rules[2].timeouts).toEqual({ request: '10s', backendRequest: '2s500ms' });
    expectValid(objs);
  });

  test('exact and regular-expression path matches', () => {
    const { chart, api, route } = setup();
    route.addRule({ matches: [{ path: '/healthz', pathType: HttpRoutePathType.EXACT }, { path: '^/v[0-9]+/', pathType: HttpRoutePathType.REGULAR_EXPRESSION }], backends: [{ service: api }] });
    expect(one(chart.toJson(), 'HTTPRoute').spec.rules[1].matches.map((m: any) => m.path.type)).toEqual(['Exact', 'RegularExpression']);
  });
});

describe('HttpRoute errors', () => {
  test('plain HTTP without the explicit opt-out: no listener named', () => {
    expectError(() => setup({ gateway: { name: 'public' } }), /shop\/shop: gateway\.sectionName \(undefined\) is required: without it the route attaches to every listener of the Gateway, plain-HTTP ones included \(rule SS-K8S-055\); .*plainHttp: true/);
  });

  test('a hostname that is not a DNS name', () => {
    expectError(() => setup({ hostnames: ['https://shop.example.com'] }), /shop\/shop: hostnames\[0\] \("https:\/\/shop\.example\.com"\) must be a DNS name/);
  });

  test('a backend port the Service does not expose', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ matches: [{ path: '/x' }], backends: [{ service: api, port: 9090 }] }), /rules\[1\]\.backends\[0\]\.port \(9090\) is not a port of Service shop\/api \(80\)/);
  });

  test('a duplicate match (same path, headers and method)', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ backends: [{ service: api }] }),
      'shop/shop: rules[1].matches (undefined) is unset, so the rule matches every path (PathPrefix "/"), which duplicates a match of rules[0] (a PathPrefix match ignores a trailing \'/\', '
      + 'header names are case-insensitive): the same requests would be routed twice; give the rule matches of its own (path, headers or method), or remove one of the two rules');
  });

  test('weights summing to zero', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ matches: [{ path: '/z' }], backends: [{ service: api, weight: 0 }] }), /backends \(\[0\]\) have weights summing to 0/);
  });

  test('a weight out of range', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ matches: [{ path: '/z' }], backends: [{ service: api, weight: -1 }] }), /backends\[0\]\.weight \(-1\) must be a whole number from 0 to 1000000/);
  });

  test('a backend timeout longer than the request timeout', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ matches: [{ path: '/z' }], backends: [{ service: api }], timeout: Duration.seconds(1), backendTimeout: Duration.seconds(5) }),
      /backendTimeout \("5s"\) must be at most timeout \(1s\)/);
  });

  test('a rule without backends', () => {
    const { route } = setup();
    expectError(() => route.addRule({ matches: [{ path: '/z' }], backends: [] }), /rules\[1\]\.backends \(\[\]\) must hold at least one backend/);
  });

  test('a duplicate hostname', () => {
    expectError(() => setup({ hostnames: ['a.example.com', 'a.example.com'] }), /hostnames \("a\.example\.com"\) appears twice/);
  });

  test('a path without a leading slash', () => {
    const { api, route } = setup();
    expectError(() => route.addRule({ matches: [{ path: 'api' }], backends: [{ service: api }] }), /matches\[0\]\.path \("api"\) must start with '\/'/);
  });

  test('a backend in another namespace', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE, namespace: 'billing' });
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: api }] }] }), /backends\[0\]\.service \("shop\/api"\) is in namespace "billing", not "shop"/);
  });

  test('a route with no rule fails at synth', () => {
    const chart = testChart();
    new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' } });
    expect(validationErrors(chart)).toEqual(['shop/r: rules ([]) must hold at least one rule; add rules or call addRule']);
  });
});
