// SS-K8S-093: an HTTPRoute whose parent Gateway is in the same output is accepted by it (a listener of the named
// section and port admits the route's kind and namespace, and its hostname meets one of the route's).
import { ApiObject, Chart, Testing } from 'cdk8s';
import { HttpRoute, WebService } from '../../../lib/k8s';
import { DocumentIndex, KubernetesPack, PolicyEngine, RuleStatus, Severity } from '../../../lib/policy';
import { hostnamesIntersect } from '../../../lib/policy/k8s/gateway';
import { k8sDocument } from '../../../lib/policy/runner';

const ID = 'SS-K8S-093';
const pack = new KubernetesPack();
const rule = pack.rules.find(r => r.id === ID)!;
const GW = 'gateway.networking.k8s.io/v1';

/** The findings of SS-K8S-093 on `ms`, as `<kind>/<name> <jsonPath>: <message>`. */
function hits(ms: any[]): string[] {
  const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] }).check(ms.map((m, i) => k8sDocument(m, `out/${m.kind}-${i}`)));
  return report.findings.filter(f => f.ruleId === ID).map(f => `${f.kind}/${f.name} ${f.jsonPath}: ${f.message}`);
}

/** A Gateway `edge` in namespace `lb` (fresh object). */
function gateway(listeners: any[], name = 'edge', namespace = 'lb'): any {
  return { apiVersion: GW, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'envoy', listeners } };
}

/** An HTTPRoute `orders` in namespace `sales` (fresh object); namespace null: none. */
function route(parentRefs: any[], hostnames?: string[], namespace: string | null = 'sales'): any {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: 'orders', ...(namespace !== null ? { namespace } : {}) },
    spec: { parentRefs, ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: [{ name: 'orders', port: 8080 }] }] },
  };
}

function namespaceObject(name: string, labels: { [k: string]: string } = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const FROM_ALL = { namespaces: { from: 'All' } };
const PLAIN = { name: 'plain', protocol: 'HTTP', port: 80, allowedRoutes: FROM_ALL };
const SECURE = { name: 'secure', protocol: 'HTTPS', port: 443, allowedRoutes: FROM_ALL, tls: { certificateRefs: [{ name: 'edge-cert' }] } };
const REF = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'lb' };

describe('findings', () => {
  test('a sectionName that names no listener of the Gateway (NoMatchingParent)', () => {
    const found = hits([gateway([PLAIN, SECURE]), route([{ ...REF, sectionName: 'https' }])]);
    expect(found).toEqual([
      'HTTPRoute/orders spec.parentRefs[0].sectionName: HTTPRoute parentRefs[0] names listener "https" of Gateway lb/edge, which has no listener of that name '
        + '(its listeners: "plain", "secure"); the Gateway does not accept the route (NoMatchingParent)',
    ]);
  });

  test('the finding is an error with the rule\'s fix', () => {
    const report = new PolicyEngine({ packs: [{ name: 'one', rules: [rule] }] })
      .check([gateway([SECURE]), route([{ ...REF, sectionName: 'tls' }])].map((m, i) => k8sDocument(m, `out/${i}`)));
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].severity).toBe(Severity.ERROR);
    expect(report.findings[0].fix).toBe(rule.fix);
    expect(rule.fix).toContain('sectionName');
    expect(rule.fix).toContain('allowedRoutes.namespaces');
  });

  test('a port no listener listens on (NoMatchingParent)', () => {
    expect(hits([gateway([PLAIN, SECURE]), route([{ ...REF, port: 8443 }])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0].port: HTTPRoute parentRefs[0] attaches by port 8443 to Gateway lb/edge, which has no listener on that port '
        + '(its listeners: "plain" on 80, "secure" on 443); the Gateway does not accept the route (NoMatchingParent)',
    ]);
  });

  test('a port that is not the port of the named listener (NoMatchingParent)', () => {
    expect(hits([gateway([PLAIN, SECURE]), route([{ ...REF, sectionName: 'secure', port: 80 }])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0].port: HTTPRoute parentRefs[0] names listener "secure" and port 80 of Gateway lb/edge, whose listener "secure" '
        + 'listens on port 443; the Gateway does not accept the route (NoMatchingParent)',
    ]);
  });

  test('a listener whose allowedRoutes.kinds lacks HTTPRoute (NotAllowedByListeners)', () => {
    const grpcOnly = { ...SECURE, allowedRoutes: { ...FROM_ALL, kinds: [{ kind: 'GRPCRoute' }, { group: 'example.net', kind: 'HTTPRoute' }] } };
    expect(hits([gateway([grpcOnly]), route([{ ...REF, sectionName: 'secure' }])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NotAllowedByListeners): '
        + 'listener "secure" admits only GRPCRoute, HTTPRoute (group "example.net") (allowedRoutes.kinds), not HTTPRoute',
    ]);
  });

  test('a TLS or TCP listener without allowedRoutes.kinds takes no HTTPRoute (NotAllowedByListeners)', () => {
    const passthrough = { name: 'passthrough', protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' }, allowedRoutes: FROM_ALL };
    const raw = { name: 'raw', protocol: 'TCP', port: 9000, allowedRoutes: FROM_ALL };
    expect(hits([gateway([passthrough, raw]), route([REF])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NotAllowedByListeners): '
        + 'listener "passthrough" has protocol TLS, which takes TLSRoutes, not HTTPRoutes (it sets no allowedRoutes.kinds); '
        + 'listener "raw" has protocol TCP, which takes TCPRoutes, not HTTPRoutes (it sets no allowedRoutes.kinds)',
    ]);
  });

  test('a route of another namespace on listeners that admit only their own (from: Same, set or by default)', () => {
    const sameByDefault = { name: 'secure', protocol: 'HTTPS', port: 443 };
    const sameSet = { name: 'plain', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } };
    expect(hits([gateway([sameSet, sameByDefault]), route([REF])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NotAllowedByListeners): '
        + 'listener "plain" admits only routes of its own namespace "lb" (allowedRoutes.namespaces.from: Same), and the route is in "sales"; '
        + 'listener "secure" admits only routes of its own namespace "lb" (allowedRoutes.namespaces.from: Same, the default), and the route is in "sales"',
    ]);
    // the same route in the Gateway's namespace is accepted
    expect(hits([gateway([sameSet, sameByDefault]), route([REF], undefined, 'lb')])).toEqual([]);
  });

  test('route hostnames that meet no listener hostname (NoMatchingListenerHostname)', () => {
    const shop = { ...SECURE, hostname: 'shop.example.com' };
    const api = { ...PLAIN, hostname: '*.api.example.com' };
    expect(hits([gateway([api, shop]), route([REF], ['orders.example.org', 'api.example.com'])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NoMatchingListenerHostname): '
        + 'no hostname of the route ("orders.example.org", "api.example.com") matches the hostname of a listener that admits it '
        + '(listener "plain": "*.api.example.com", listener "secure": "shop.example.com")',
    ]);
  });

  test('each parentRef is checked on its own, and named by its index', () => {
    const found = hits([gateway([SECURE]), gateway([SECURE], 'inner', 'sales'), route([{ ...REF, sectionName: 'secure' }, { name: 'inner', sectionName: 'plain' }])]);
    expect(found).toEqual([
      'HTTPRoute/orders spec.parentRefs[1].sectionName: HTTPRoute parentRefs[1] names listener "plain" of Gateway sales/inner, which has no listener of that name '
        + '(its listeners: "secure"); the Gateway does not accept the route (NoMatchingParent)',
    ]);
  });
});

describe('silent', () => {
  test('a Gateway that is not in the output: the rule does not apply', () => {
    const ms = [route([{ ...REF, sectionName: 'nowhere', port: 1 }], ['a.example.com'])];
    expect(hits(ms)).toEqual([]);
    const docs = ms.map((m, i) => k8sDocument(m, `out/${i}`));
    expect(rule.evaluate(docs[0], new DocumentIndex(docs)).status).toBe(RuleStatus.NOT_APPLICABLE);
  });

  test('a Gateway of another API group with that name (an Istio Gateway) is not the parent', () => {
    const istio = { ...gateway([]), apiVersion: 'networking.istio.io/v1', spec: { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
    expect(hits([istio, route([{ ...REF, sectionName: 'secure' }])])).toEqual([]);
  });

  test('a parentRef to a Service (a mesh route) is not looked at', () => {
    expect(hits([gateway([SECURE], 'orders', 'sales'), route([{ group: '', kind: 'Service', name: 'orders', port: 8080 }])])).toEqual([]);
  });

  test('a matching listener: by sectionName, by port, or by none', () => {
    const gw = gateway([PLAIN, { ...SECURE, hostname: '*.example.com' }]);
    const ms = (ref: any) => [gw, route([ref], ['shop.example.com'])];
    for (const ref of [{ ...REF, sectionName: 'secure' }, { ...REF, port: 443 }, { ...REF, sectionName: 'secure', port: 443 }, REF, { name: 'edge', namespace: 'lb' }]) {
      expect(hits(ms(ref))).toEqual([]);
      const docs = ms(ref).map((m, i) => k8sDocument(m, `out/${i}`));
      expect(rule.evaluate(docs[1], new DocumentIndex(docs)).status).toBe(RuleStatus.COMPLIANT);
    }
  });

  test('a route of another namespace on a listener with from: All', () => {
    expect(hits([gateway([{ ...SECURE, allowedRoutes: { namespaces: { from: 'All' } } }]), route([{ ...REF, sectionName: 'secure' }])])).toEqual([]);
  });

  test('one listener that admits the route is enough (attachment to the whole Gateway)', () => {
    const own = { name: 'internal', protocol: 'HTTP', port: 8080 };
    expect(hits([gateway([own, SECURE]), route([REF])])).toEqual([]);
  });

  test('a route without a namespace: the namespace conditions are not known, and admit it', () => {
    const own = { name: 'internal', protocol: 'HTTP', port: 8080 };
    expect(hits([gateway([own], 'edge', 'lb'), route([REF], undefined, null)])).toEqual([]);
  });
});

describe('from: Selector', () => {
  const selective = (selector: any) => gateway([{ ...SECURE, allowedRoutes: { namespaces: { from: 'Selector', selector } } }]);
  const REF_SECURE = { ...REF, sectionName: 'secure' };

  test('with the route\'s Namespace in the output, its labels must match', () => {
    const sel = { matchLabels: { 'edge.example.com/expose': 'true' } };
    expect(hits([selective(sel), namespaceObject('sales', { team: 'sales' }), route([REF_SECURE])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NotAllowedByListeners): '
        + 'listener "secure" admits only routes of the namespaces its allowedRoutes.namespaces.selector {"matchLabels":{"edge.example.com/expose":"true"}} selects, '
        + 'and Namespace "sales", the route\'s, does not match it with the labels it has in the output',
    ]);
    expect(hits([selective(sel), namespaceObject('sales', { 'edge.example.com/expose': 'true' }), route([REF_SECURE])])).toEqual([]);
  });

  test('matchExpressions are evaluated too', () => {
    const sel = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['public', 'partner'] }] };
    expect(hits([selective(sel), namespaceObject('sales', { tier: 'internal' }), route([REF_SECURE])])).toHaveLength(1);
    expect(hits([selective(sel), namespaceObject('sales', { tier: 'partner' }), route([REF_SECURE])])).toEqual([]);
  });

  test('the kubernetes.io/metadata.name label every namespace carries counts, though the manifest does not write it', () => {
    const sel = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['sales', 'billing'] }] };
    expect(hits([selective(sel), namespaceObject('sales'), route([REF_SECURE])])).toEqual([]);
    expect(hits([selective(sel), namespaceObject('marketing'), route([REF_SECURE], undefined, 'marketing')])).toHaveLength(1);
  });

  test('without the route\'s Namespace in the output, its labels are not known: admitted', () => {
    const sel = { matchLabels: { 'edge.example.com/expose': 'true' } };
    expect(hits([selective(sel), namespaceObject('billing', { team: 'billing' }), route([REF_SECURE])])).toEqual([]);
  });
});

describe('wildcard hostnames', () => {
  const withHost = (hostname: string) => gateway([{ ...SECURE, hostname }]);
  const REF_SECURE = { ...REF, sectionName: 'secure' };

  test('a wildcard listener takes a route hostname one or more labels below it, not its apex', () => {
    expect(hits([withHost('*.example.com'), route([REF_SECURE], ['shop.example.com'])])).toEqual([]);
    expect(hits([withHost('*.example.com'), route([REF_SECURE], ['eu.shop.example.com'])])).toEqual([]);
    expect(hits([withHost('*.example.com'), route([REF_SECURE], ['example.com'])])).toEqual([
      'HTTPRoute/orders spec.parentRefs[0]: Gateway lb/edge does not accept HTTPRoute parentRefs[0] (NoMatchingListenerHostname): '
        + 'no hostname of the route ("example.com") matches the hostname of a listener that admits it (listener "secure": "*.example.com")',
    ]);
  });

  test('a wildcard route hostname takes a listener hostname below it', () => {
    expect(hits([withHost('shop.example.com'), route([REF_SECURE], ['*.example.com'])])).toEqual([]);
    expect(hits([withHost('eu.shop.example.com'), route([REF_SECURE], ['*.example.com'])])).toEqual([]);
    expect(hits([withHost('example.com'), route([REF_SECURE], ['*.example.com'])])).toHaveLength(1);
    expect(hits([withHost('shop.example.net'), route([REF_SECURE], ['*.example.com'])])).toHaveLength(1);
  });

  test('two wildcards meet when one suffix ends the other', () => {
    expect(hits([withHost('*.example.com'), route([REF_SECURE], ['*.shop.example.com'])])).toEqual([]);
    expect(hits([withHost('*.shop.example.com'), route([REF_SECURE], ['*.example.com'])])).toEqual([]);
    expect(hits([withHost('*.example.com'), route([REF_SECURE], ['*.example.net'])])).toHaveLength(1);
  });

  test('a listener without a hostname, or a route without hostnames, matches every hostname', () => {
    expect(hits([gateway([{ ...SECURE, hostname: 'shop.example.com' }, { ...PLAIN }]), route([REF], ['orders.example.org'])])).toEqual([]);
    expect(hits([withHost('shop.example.com'), route([REF_SECURE])])).toEqual([]);
  });

  test('hostnamesIntersect: labels, not characters', () => {
    expect(hostnamesIntersect('*.example.com', 'myexample.com')).toBe(false);
    expect(hostnamesIntersect('*.example.com', 'a.myexample.com')).toBe(false);
    expect(hostnamesIntersect('Shop.Example.com', 'shop.example.com')).toBe(true);
    expect(hostnamesIntersect('*.example.com', '*.example.com')).toBe(true);
  });
});

describe('over what the HttpRoute construct writes', () => {
  function output(listener: any): string[] {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new HttpRoute(chart, 'shop', {
      gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
      hostnames: ['shop.example.com'],
      rules: [{ backends: [{ service: api }] }],
    });
    new ApiObject(chart, 'gateway', { ...gateway([listener], 'public', 'gateways') });
    return hits(chart.toJson());
  }

  test('a Gateway whose HTTPS listener admits routes of its own namespace only reports the route of the app\'s', () => {
    expect(output({ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.example.com' })).toEqual([
      'HTTPRoute/shop spec.parentRefs[0]: Gateway gateways/public does not accept HTTPRoute parentRefs[0] (NotAllowedByListeners): '
        + 'listener "https" admits only routes of its own namespace "gateways" (allowedRoutes.namespaces.from: Same, the default), and the route is in "shop"',
    ]);
  });

  test('a listener that admits it is silent', () => {
    expect(output({ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.example.com', allowedRoutes: FROM_ALL })).toEqual([]);
  });
});
