import { Chart } from 'cdk8s';
import { ClusterContext, HttpRoute, HttpRouteProps, NetworkPeer, NodeAgent, Probe, WebService } from '../../../lib/k8s';
import { IMesh, IstioMesh, LinkerdMesh } from '../../../lib/k8s/mesh';
import { MetricsAdapter, MetricsAdapterProps } from '../../../lib/k8s/sidecars';
import { expectError, expectValidWithCrds, one, policyErrors, testChart, validationErrors } from '../networking/traffic-util';
import { cluster } from '../platform/fixtures';

// Callers a meshed workload admits without a mesh identity: a MetricsAdapter's Prometheus scraper, pods or a
// namespace declared `meshed: false`, an HttpRoute's gateway. Each is let in by the mesh on the port it reaches only.

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const EXPORTER = 'prom/statsd-exporter:v0.28.0';
const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };
const GATEWAY = { 'gateway.networking.k8s.io/gateway-name': 'public' };
const SELECTOR = { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } };
const plaintextRule = (port: number) => ({ from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: [String(port)] } }] });
const nsRule = (ns: string, port: number) => ({ from: [{ source: { namespaces: [ns] } }], to: [{ operation: { ports: [String(port)] } }] });
const ingressFrom = (objs: any[], port: number) => one(objs, 'NetworkPolicy', 'api').spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === port));

type MeshKind = 'istio' | 'linkerd';
const newMesh = (chart: Chart, kind: MeshKind): IMesh => (kind === 'istio' ? new IstioMesh(chart, 'mesh') : new LinkerdMesh(chart, 'mesh'));

function withAdapter(kind: MeshKind, props: Partial<MetricsAdapterProps> = {}, enrolFirst = false) {
  const chart = testChart();
  const mesh = newMesh(chart, kind);
  const api = new WebService(chart, 'api', { image: IMAGE });
  const adapter = new MetricsAdapter({ image: EXPORTER, podMonitor: true, ...props });
  if (enrolFirst) mesh.enrol(api);
  api.addSidecar(adapter);
  if (!enrolFirst) mesh.enrol(api);
  return { chart, api, objs: chart.toJson() };
}

describe('a MetricsAdapter on a meshed workload: its Prometheus scraper is taken to be outside the mesh', () => {
  test('Istio: PERMISSIVE on the metrics port only, and a rule for callers without a mesh identity there', () => {
    const { chart, objs } = withAdapter('istio');
    expect(one(objs, 'PeerAuthentication', 'api').spec).toEqual({ selector: SELECTOR, mtls: { mode: 'STRICT' }, portLevelMtls: { 9102: { mode: 'PERMISSIVE' } } });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('monitoring', 9102), plaintextRule(9102)]);
    // the NetworkPolicy still admits only Prometheus's pods to the metrics port
    expect(ingressFrom(objs, 9102)).toEqual([{
      from: [{ podSelector: { matchLabels: PROMETHEUS }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 9102, protocol: 'TCP' }],
    }]);
    expect(one(objs, 'PodMonitor', 'api').spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('Istio: the same when the adapter is added after enrolment', () => {
    const { objs } = withAdapter('istio', {}, true);
    expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toEqual({ 9102: { mode: 'PERMISSIVE' } });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toContainEqual(plaintextRule(9102));
  });

  test('Istio: scraperMeshed keeps STRICT everywhere and admits the scraper by its namespace only', () => {
    const { chart, objs } = withAdapter('istio', { scraperMeshed: true });
    expect(one(objs, 'PeerAuthentication', 'api').spec).toEqual({ selector: SELECTOR, mtls: { mode: 'STRICT' } });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('monitoring', 9102)]);
    expect(validationErrors(chart)).toEqual([]);
  });

  test('Istio: a custom scraper that does not state its meshing is taken as scraperMeshed says', () => {
    const scraper = NetworkPeer.pods('observability', { app: 'vmagent' });
    const plain = withAdapter('istio', { scraper }).objs;
    expect(one(plain, 'PeerAuthentication', 'api').spec.portLevelMtls).toEqual({ 9102: { mode: 'PERMISSIVE' } });
    expect(one(plain, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('observability', 9102), plaintextRule(9102)]);
    expect(ingressFrom(plain, 9102)[0].from).toEqual([
      { podSelector: { matchLabels: { app: 'vmagent' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
    ]);
    const meshed = withAdapter('istio', { scraper, scraperMeshed: true }).objs;
    expect(one(meshed, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    // a scraper that states it is meshed keeps its declaration
    const stated = withAdapter('istio', { scraper: NetworkPeer.pods('observability', { app: 'vmagent' }, { meshed: true }) }).objs;
    expect(one(stated, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    expect(one(stated, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('observability', 9102)]);
  });

  test('scraperMeshed contradicting the scraper\'s own declaration is refused', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => api.addSidecar(new MetricsAdapter({
      image: EXPORTER, scraper: NetworkPeer.pods('observability', { app: 'vmagent' }, { meshed: false }), scraperMeshed: true,
    })), 'shop/api: sidecars.metrics-adapter.scraperMeshed (true) contradicts sidecars.metrics-adapter.scraper (unmeshed pods {"app":"vmagent"} in observability), '
      + 'which is declared outside the mesh; remove sidecars.metrics-adapter.scraperMeshed and keep the peer\'s own declaration, or declare the peer with { meshed: true }');
  });

  test('scraperMeshed with a shipshape workload as scraper is refused: its enrolment decides', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const prometheus = new WebService(chart, 'prometheus', { image: 'quay.io/prometheus/prometheus:v3.5.0' });
    expectError(() => api.addSidecar(new MetricsAdapter({ image: EXPORTER, scraper: prometheus, scraperMeshed: false })),
      /^shop\/api: sidecars\.metrics-adapter\.scraperMeshed \(false\) applies to a sidecars\.metrics-adapter\.scraper that is not a shipshape workload; .*remove sidecars\.metrics-adapter\.scraperMeshed/);
  });

  test('Linkerd: the metrics port is outside the Server, which stays deny with identity-based authorization', () => {
    const { chart, objs } = withAdapter('linkerd');
    // Server and authentication cover the service port only: the metrics port follows the cluster's default inbound policy
    expect(one(objs, 'Server', 'api').spec).toMatchObject({ port: 'http', accessPolicy: 'deny' });
    expect(one(objs, 'MeshTLSAuthentication', 'api').spec.identityRefs).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(ingressFrom(objs, 9102)).toHaveLength(1);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
  });
});

describe('NetworkPeer.pods / namespace: meshed unless declared meshed: false', () => {
  const setup = (kind: MeshKind, peer: NetworkPeer) => {
    const chart = testChart();
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: IMAGE, extraPorts: [{ name: 'admin', port: 9090 }] });
    api.allowFrom(peer, [8080]);
    mesh.enrol(api);
    return { chart, objs: chart.toJson() };
  };

  test('Istio: pods that do not say are meshed (STRICT, admitted by namespace only), as before', () => {
    const { objs } = setup('istio', NetworkPeer.pods('monitoring', PROMETHEUS));
    expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('monitoring', 8080)]);
  });

  test('Istio: pods or a namespace declared meshed: false get plaintext on the port they reach only', () => {
    for (const peer of [NetworkPeer.pods('monitoring', PROMETHEUS, { meshed: false }), NetworkPeer.namespace('monitoring', { meshed: false })]) {
      const { chart, objs } = setup('istio', peer);
      expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
      expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('monitoring', 8080), plaintextRule(8080)]);
      expect(validationErrors(chart)).toEqual([]);
      expectValidWithCrds(objs);
    }
  });

  test('Linkerd: pods declared meshed: false reaching the Server port make it admit in-cluster clients without identity', () => {
    expect(one(setup('linkerd', NetworkPeer.pods('monitoring', PROMETHEUS)).objs, 'Server', 'api').spec.accessPolicy).toBe('deny');
    const { chart, objs } = setup('linkerd', NetworkPeer.pods('monitoring', PROMETHEUS, { meshed: false }));
    expect(one(objs, 'Server', 'api').spec.accessPolicy).toBe('cluster-unauthenticated');
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
  });

  test('an unmeshed namespace calling a workload with no port is refused, saying how to declare it meshed', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const agent = new NodeAgent(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', readiness: Probe.exec(['/bin/ready']), liveness: Probe.exec(['/bin/live']) });
    agent.allowFrom(NetworkPeer.namespace('monitoring', { meshed: false }));
    mesh.enrol(agent);
    expect(validationErrors(chart)).toEqual([
      "allowFrom (unmeshed namespace monitoring) calls without Istio's mutual TLS, and the workload declares no port to accept plaintext on; "
      + 'declare the port the caller reaches, or declare the caller meshed ({ meshed: true } on NetworkPeer.ingressController, NetworkPeer.pods or NetworkPeer.namespace)',
    ]);
  });
});

describe('an HttpRoute to a meshed backend: its gateway is taken to be outside the mesh unless gatewayMeshed', () => {
  const setup = (kind: MeshKind, props: Partial<HttpRouteProps> = {}, routeFirst = false) => {
    const chart = testChart();
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: IMAGE });
    const route = () => new HttpRoute(chart, 'shop', { gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' }, rules: [{ backends: [{ service: api }] }], ...props });
    if (routeFirst) route();
    mesh.enrol(api);
    if (!routeFirst) route();
    return { chart, objs: chart.toJson() };
  };

  test('Istio: PERMISSIVE on the backend port and a rule for callers without a mesh identity; the NetworkPolicy admits the gateway pods only', () => {
    for (const routeFirst of [false, true]) {
      const { chart, objs } = setup('istio', {}, routeFirst);
      expect(one(objs, 'PeerAuthentication', 'api').spec).toEqual({ selector: SELECTOR, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } });
      expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('gateways', 8080), plaintextRule(8080)]);
      expect(ingressFrom(objs, 8080)).toEqual([{
        from: [{ podSelector: { matchLabels: GATEWAY }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }]);
      expect(validationErrors(chart)).toEqual([]);
      expectValidWithCrds(objs);
      expect(policyErrors(objs)).toEqual([]);
    }
  });

  test('Istio: gatewayMeshed keeps STRICT everywhere and admits the gateway by its namespace only', () => {
    const { objs } = setup('istio', { gatewayMeshed: true });
    expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([nsRule('gateways', 8080)]);
  });

  test('Linkerd: the Server admits in-cluster clients without identity, unless gatewayMeshed', () => {
    const { chart, objs } = setup('linkerd');
    expect(one(objs, 'Server', 'api').spec.accessPolicy).toBe('cluster-unauthenticated');
    expect(one(objs, 'MeshTLSAuthentication', 'api').spec.identityRefs).toEqual([{ kind: 'Namespace', name: 'gateways' }]);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(one(setup('linkerd', { gatewayMeshed: true }).objs, 'Server', 'api').spec.accessPolicy).toBe('deny');
  });

  test('a gatewayPeer keeps its own declaration; a contradicting gatewayMeshed, or gatewayMeshed on an IP range, is refused', () => {
    const meshedGw = NetworkPeer.ingressController('gateways', GATEWAY, { meshed: true });
    expect(one(setup('istio', { gatewayPeer: meshedGw }).objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    expectError(() => setup('istio', { gatewayPeer: meshedGw, gatewayMeshed: false }),
      'shop/shop: gatewayMeshed (false) contradicts gatewayPeer (meshed ingress controller in gateways), which is declared in the mesh; '
      + "remove gatewayMeshed and keep the peer's own declaration, or declare the peer with { meshed: false }");
    expectError(() => setup('istio', { gatewayPeer: NetworkPeer.cidr('10.0.0.0/16'), gatewayMeshed: true }),
      /^shop\/shop: gatewayMeshed \(true\) cannot hold for gatewayPeer \(CIDR 10\.0\.0\.0\/16\): an IP range's traffic carries no mesh identity; remove gatewayMeshed/);
  });
});

describe('a cluster whose profile says NetworkPolicies are not enforced: plaintext openings for unmeshed callers are refused', () => {
  const setup = (kind: MeshKind, enforced: boolean, props: Partial<HttpRouteProps> = {}) => {
    const chart = testChart();
    ClusterContext.set(chart, cluster({ networkPolicyEnforced: enforced }));
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: IMAGE });
    mesh.enrol(api);
    new HttpRoute(chart, 'shop', { gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' }, rules: [{ backends: [{ service: api }] }], ...props });
    return validationErrors(chart);
  };

  test.each([['istio', 'Istio'], ['linkerd', 'Linkerd']] as const)('%s: an unmeshed gateway would open the port to every pod of the cluster', (kind, label) => {
    expect(setup(kind, false)).toEqual([
      `port 8080 accepts callers without ${label === 'Istio' ? 'an' : 'a'} ${label} mesh identity (unmeshed pods {"gateway.networking.k8s.io/gateway-name":"public"} in gateways), and only the NetworkPolicy limits that to them, `
      + 'but the cluster\'s profile says NetworkPolicies are not enforced (networkPolicyEnforced: false): any pod of the cluster could call that port without mutual TLS; '
      + 'run those callers in the mesh and declare them so (gatewayMeshed: true on the route, NetworkPeer.ingressController(namespace, labels, { meshed: true })), '
      + 'or enforce NetworkPolicies on the cluster (the VPC CNI network policy agent) and set networkPolicyEnforced: true',
    ]);
  });

  test.each(['istio', 'linkerd'] as const)('%s: a meshed gateway, or a cluster that enforces NetworkPolicies, is accepted', kind => {
    expect(setup(kind, false, { gatewayMeshed: true })).toEqual([]);
    expect(setup(kind, true)).toEqual([]);
  });
});
