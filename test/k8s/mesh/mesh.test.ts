import { Chart, Duration } from 'cdk8s';
import { HttpIngress, IngressTls, NetworkPeer, NodeAgent, Probe, WebService, Worker } from '../../../lib/k8s';
import { IMesh, IstioInjection, IstioMesh, LinkerdMesh, LinkerdProtocol, Mesh } from '../../../lib/k8s/mesh';
import { expectError, expectValidWithCrds, one, policyErrors, testChart, validationErrors } from '../networking/traffic-util';

function pair(chart: Chart, mesh?: IMesh): { web: WebService; api: WebService } {
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
  api.allowFrom(web);
  // the caller must be in the mesh too, or the callee's mesh policy refuses it
  mesh?.enrol(web);
  return { web, api };
}
const apiRoutes = (objs: any[]) => objs.filter(o => o.kind === 'HTTPRoute' && o.metadata.labels['app.kubernetes.io/instance'] === 'api');
const tmeta = (objs: any[], name: string) => one(objs, 'Deployment', name).spec.template.metadata;

describe('IstioMesh defaults', () => {
  const chart = testChart();
  const mesh = new IstioMesh(chart, 'mesh');
  const { web, api } = pair(chart);
  mesh.enrol(web);
  mesh.enrol(api);
  const objs = chart.toJson();

  test('pod-label injection, proxy resources, probe rewrite and holdApplicationUntilProxyStarts', () => {
    const m = tmeta(objs, 'api');
    expect(m.labels['sidecar.istio.io/inject']).toBe('true');
    expect(m.annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '100m',
      'sidecar.istio.io/proxyCPULimit': '1',
      'sidecar.istio.io/proxyMemory': '128Mi',
      'sidecar.istio.io/proxyMemoryLimit': '128Mi',
      'sidecar.istio.io/rewriteAppHTTPProbers': 'true',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
    });
  });

  test('STRICT mTLS for the workload', () => {
    expect(one(objs, 'PeerAuthentication', 'api').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      mtls: { mode: 'STRICT' },
    });
  });

  test('AuthorizationPolicy from the same allowFrom that makes the NetworkPolicy', () => {
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }]);
    // no caller declared: an ALLOW policy without rules lets no one in
    expect(one(objs, 'AuthorizationPolicy', 'web').spec).toMatchObject({ action: 'ALLOW', rules: [] });
  });

  test('DestinationRule: ISTIO_MUTUAL, connection pool, outlier detection', () => {
    expect(one(objs, 'DestinationRule', 'api').spec).toEqual({
      host: 'api.shop.svc.cluster.local',
      trafficPolicy: {
        tls: { mode: 'ISTIO_MUTUAL' },
        connectionPool: { tcp: { maxConnections: 100, connectTimeout: '5s' }, http: { http1MaxPendingRequests: 100, maxRetries: 20 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
    });
  });

  test('VirtualService: 15 s timeout, 2 retries on idempotent methods only', () => {
    const http = one(objs, 'VirtualService', 'api').spec.http;
    expect(http[0]).toMatchObject({
      name: 'idempotent',
      match: [{ method: { regex: '^(GET|HEAD|OPTIONS|PUT|DELETE)$' }, port: 80 }],
      timeout: '15s',
      retries: { attempts: 2, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,5xx' },
    });
    expect(http[1]).toMatchObject({ name: 'default', timeout: '15s', retries: { attempts: 0 } });
    // the catch-all route too is scoped to the service port
    expect(http[1].match).toEqual([{ port: 80 }]);
  });

  test('NetworkPolicy admits the proxy to istiod (15012)', () => {
    expect(one(objs, 'NetworkPolicy', 'api').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { app: 'istiod' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }],
      ports: [{ port: 15012, protocol: 'TCP' }],
    });
  });

  test('validates strictly (core and Istio CRDs) and passes the policy pack', () => {
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('Mesh.of finds the chart mesh', () => {
    expect(Mesh.of(api)).toBe(mesh);
  });
});

describe('IstioMesh options', () => {
  test('namespace-label injection adds no pod label and exposes the namespace label', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    const { api } = pair(chart, mesh);
    mesh.enrol(api);
    expect(tmeta(chart.toJson(), 'api').labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(mesh.namespaceLabels).toEqual({ 'istio-injection': 'enabled' });
  });

  test('retryNonIdempotent: one route retrying every method; custom timeout, proxy resources and circuit breaker', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh', { holdApplicationUntilProxyStarts: false });
    const { api } = pair(chart, mesh);
    mesh.enrol(api, {
      timeout: Duration.seconds(5),
      retries: { attempts: 3, perTryTimeout: Duration.millis(500), retryNonIdempotent: true },
      proxyResources: { cpu: '50m', memory: '64Mi' },
      circuitBreaker: { maxConnections: 10, consecutive5xxErrors: 3 },
    });
    const objs = chart.toJson();
    const http = one(objs, 'VirtualService', 'api').spec.http;
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ timeout: '5s', retries: { attempts: 3, perTryTimeout: '500ms' } });
    expect(tmeta(objs, 'api').annotations['proxy.istio.io/config']).toBeUndefined();
    expect(tmeta(objs, 'api').annotations['sidecar.istio.io/proxyCPU']).toBe('50m');
    expect(one(objs, 'DestinationRule', 'api').spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(10);
    expectValidWithCrds(objs);
  });

  test('namespace callers become source namespaces', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const { api } = pair(chart, mesh);
    api.allowFrom(NetworkPeer.namespace('frontend'));
    mesh.enrol(api);
    expect(one(chart.toJson(), 'AuthorizationPolicy', 'api').spec.rules[1]).toEqual({ from: [{ source: { namespaces: ['frontend'] } }], to: [{ operation: { ports: ['8080'] } }] });
  });
});

describe('LinkerdMesh defaults', () => {
  const chart = testChart();
  const mesh = new LinkerdMesh(chart, 'mesh');
  const { web, api } = pair(chart);
  mesh.enrol(web);
  mesh.enrol(api);
  const objs = chart.toJson();

  test('injection annotation, proxy resources and proxy-await', () => {
    expect(tmeta(objs, 'api').annotations).toEqual({
      'linkerd.io/inject': 'enabled',
      'config.linkerd.io/proxy-cpu-request': '100m',
      'config.linkerd.io/proxy-cpu-limit': '1',
      'config.linkerd.io/proxy-memory-request': '128Mi',
      'config.linkerd.io/proxy-memory-limit': '128Mi',
      'config.linkerd.io/proxy-await': 'enabled',
    });
  });

  test('Server on the named service port, HTTP/1, deny by default', () => {
    expect(one(objs, 'Server', 'api').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      port: 'http',
      proxyProtocol: 'HTTP/1',
      accessPolicy: 'deny',
    });
  });

  test('MeshTLSAuthentication and AuthorizationPolicy from allowFrom', () => {
    expect(one(objs, 'MeshTLSAuthentication', 'api').spec).toEqual({ identityRefs: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec).toEqual({
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api' },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'api' }],
    });
    // no caller: only the workload's own identity
    expect(one(objs, 'MeshTLSAuthentication', 'web').spec).toEqual({ identityRefs: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] });
  });

  test('HTTPRoutes on the Service: retries on idempotent methods only, a 15 s timeout on every route', () => {
    const retry = one(objs, 'HTTPRoute', 'api-idempotent');
    expect(retry.metadata.annotations).toEqual({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '2', 'retry.linkerd.io/timeout': '2s' });
    expect(retry.spec.parentRefs).toEqual([{ group: 'core', kind: 'Service', name: 'api', port: 80 }]);
    expect(retry.spec.rules[0].matches.map((m: any) => m.method)).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
    const all = one(objs, 'HTTPRoute', 'api');
    expect(all.metadata.annotations).toBeUndefined();
    expect(all.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], timeouts: { request: '15s' } }]);
  });

  test('NetworkPolicy admits the proxy to the Linkerd control plane', () => {
    expect(one(objs, 'NetworkPolicy', 'api').spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }],
      ports: [8080, 8086, 8090].map(port => ({ port, protocol: 'TCP' })),
    });
  });

  test('validates strictly (core and Linkerd CRDs) and passes the policy pack', () => {
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('LinkerdMesh options', () => {
  test('retries off: no retry route; protocol HTTP/2; namespace callers', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh', { protocol: LinkerdProtocol.HTTP_2 });
    const { api } = pair(chart, mesh);
    api.allowFrom(NetworkPeer.namespace('frontend'));
    mesh.enrol(api, { retries: { attempts: 0 } });
    const objs = chart.toJson();
    expect(apiRoutes(objs).map(o => o.metadata.name)).toEqual(['api']);
    expect(one(objs, 'Server', 'api').spec.proxyProtocol).toBe('HTTP/2');
    expect(one(objs, 'MeshTLSAuthentication', 'api').spec.identityRefs).toContainEqual({ kind: 'Namespace', name: 'frontend' });
    expectValidWithCrds(objs);
  });

  test('by default a web service\'s port name sets its Server\'s protocol: grpc → gRPC, h2c → HTTP/2, http → HTTP/1 (gRPC and HTTP/2 ports not probed over HTTP)', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const execProbes = (port: number) => ({ readiness: Probe.exec(['grpc_health_probe', `-addr=:${port}`, '-service=readiness']), liveness: Probe.exec(['grpc_health_probe', `-addr=:${port}`]) });
    const grpc = new WebService(chart, 'catalog', { image: 'ghcr.io/acme/catalog:1.0.0', port: 9090, portName: 'grpc', ...execProbes(9090) });
    const h2c = new WebService(chart, 'stream', { image: 'ghcr.io/acme/stream:1.0.0', port: 9091, portName: 'h2c-api', ...execProbes(9091) });
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    // gRPC-Web from browsers is HTTP/1.1 on the wire
    const grpcWeb = new WebService(chart, 'browser', { image: 'ghcr.io/acme/browser:1.0.0', port: 9092, portName: 'grpc-web' });
    for (const w of [grpc, h2c, web, grpcWeb]) mesh.enrol(w);
    const objs = chart.toJson();
    expect(['catalog', 'stream', 'web', 'browser'].map(n => one(objs, 'Server', n).spec.proxyProtocol)).toEqual(['gRPC', 'HTTP/2', 'HTTP/1', 'HTTP/1']);
  });

  test('protocol set on the mesh applies to every web service, whatever its port name', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh', { protocol: LinkerdProtocol.HTTP_1 });
    mesh.enrol(new WebService(chart, 'catalog', { image: 'ghcr.io/acme/catalog:1.0.0', port: 9090, portName: 'grpc' }));
    expect(one(chart.toJson(), 'Server', 'catalog').spec.proxyProtocol).toBe('HTTP/1');
  });

  test('retryNonIdempotent: the retry annotations go on the catch-all route', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const { api } = pair(chart, mesh);
    mesh.enrol(api, { retries: { retryNonIdempotent: true } });
    const objs = chart.toJson();
    expect(apiRoutes(objs)).toHaveLength(1);
    expect(one(objs, 'HTTPRoute', 'api').metadata.annotations['retry.linkerd.io/limit']).toBe('2');
  });
});

describe('mesh errors', () => {
  test('a second mesh in the same chart', () => {
    const chart = testChart();
    new IstioMesh(chart, 'istio');
    expectError(() => new LinkerdMesh(chart, 'linkerd'), /shop\/linkerd: mesh \("linkerd"\) cannot join shop\/istio, which already uses istio: one mesh per chart or app/);
  });

  test('enrolling a workload twice', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const { api } = pair(chart);
    mesh.enrol(api);
    expectError(() => mesh.enrol(api), /enrol \("shop\/api"\) is already enrolled in this mesh/);
  });

  test('a per-try timeout longer than the request timeout', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new IstioMesh(chart, 'mesh').enrol(api, { timeout: Duration.seconds(1), retries: { perTryTimeout: Duration.seconds(2) } }),
      /retries\.perTryTimeout \("2000ms"\) must be at most timeout \(1000ms\)/);
  });

  test('retry attempts out of range', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new LinkerdMesh(chart, 'mesh').enrol(api, { retries: { attempts: 50 } }), /retries\.attempts \(50\) must be a whole number from 0 to 10/);
  });

  test('proxy memory request above its limit', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new IstioMesh(chart, 'mesh').enrol(api, { proxyResources: { memory: '1Gi', memoryLimit: '512Mi' } }), /proxyResources\.memory \("1Gi"\) must be <= proxyResources\.memoryLimit/);
  });

  test('proxy CPU written without "m" above 64 cores is taken for a missing unit', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new IstioMesh(chart, 'mesh').enrol(api, { proxyResources: { cpu: '100' } }),
      /proxyResources\.cpu \("100"\) is 100 cores \(over 64\), more than any node has: a number without "m" counts cores; did you mean "100m"\?/);
  });

  test('circuit breaker out of range', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new IstioMesh(chart, 'mesh').enrol(api, { circuitBreaker: { maxEjectionPercent: 150 } }), /circuitBreaker\.maxEjectionPercent \(150\) must be a whole number from 1 to 100/);
  });

  test('an IP-range caller of a meshed workload fails at synth', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const { api } = pair(chart, mesh);
    mesh.enrol(api);
    api.allowFrom(NetworkPeer.cidr('10.0.0.0/16'));
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/^allowFrom \(CIDR 10\.0\.0\.0\/16\) is an IP range, whose traffic carries no mesh identity and is refused by Istio's mutual TLS/)]);
  });
});

describe('callers selected by namespace labels', () => {
  const byLabels = { toNetworkPeer: () => ({ description: 'payments namespaces', namespaceLabels: { team: 'payments' } }) };

  test.each([['Istio', (c: Chart) => new IstioMesh(c, 'mesh')], ['Linkerd', (c: Chart) => new LinkerdMesh(c, 'mesh')]] as const)(
    '%s: refused at synth, since the mesh names namespaces and would admit other callers than the NetworkPolicy', (mesh, make) => {
      const chart = testChart();
      const m = make(chart);
      const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
      api.allowFrom(byLabels);
      m.enrol(api);
      expect(validationErrors(chart)).toEqual([
        `allowFrom (payments namespaces) selects its namespaces by labels, which ${mesh}'s authorization cannot express (it names namespaces), so the mesh would refuse the callers `
        + 'the NetworkPolicy admits; name each namespace instead (NetworkPeer.namespace(name) or NetworkPeer.pods(namespace, labels), one per namespace)',
      ]);
    });

  test('without a mesh the labels are the NetworkPolicy\'s namespace selector', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    api.allowFrom(byLabels);
    expect(validationErrors(chart)).toEqual([]);
  });
});

describe('mesh errors (more)', () => {
  test('an invalid trust domain', () => {
    expectError(() => new IstioMesh(testChart(), 'mesh', { trustDomain: 'Cluster Local' }), /trustDomain \("Cluster Local"\) must be an RFC 1123 DNS subdomain/);
  });

  test('an invalid control-plane namespace (Istio)', () => {
    expectError(() => new IstioMesh(testChart(), 'mesh', { controlPlaneNamespace: 'Istio_System' }), /controlPlaneNamespace \("Istio_System"\) must be an RFC 1123 DNS label/);
  });

  test('an invalid control-plane namespace (Linkerd)', () => {
    expectError(() => new LinkerdMesh(testChart(), 'mesh', { controlPlaneNamespace: 'Linkerd' }), /controlPlaneNamespace \("Linkerd"\) must be an RFC 1123 DNS label/);
  });

  test('a negative timeout (from JavaScript: cdk8s refuses building one)', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new LinkerdMesh(chart, 'mesh').enrol(api, { timeout: { toMilliseconds: () => -5 } as any }),
      /timeout \("-5ms"\) must be whole milliseconds, or zero for no timeout; use for example Duration.seconds\(15\), or Duration.seconds\(0\) for long-lived streams/);
  });

  test('a zero timeout turns the timeout off: Istio routes and Linkerd HTTPRoutes carry none, retries keep theirs', () => {
    const chart = testChart();
    const istio = new IstioMesh(chart, 'istio');
    const { api } = pair(chart, istio);
    istio.enrol(api, { timeout: Duration.seconds(0) });
    const other = testChart('other');
    const linkerd = new LinkerdMesh(other, 'linkerd');
    const { api: api2 } = pair(other, linkerd);
    linkerd.enrol(api2, { timeout: Duration.seconds(0) });
    const objs = chart.toJson();
    const routes = one(objs, 'VirtualService', 'api').spec.http;
    expect(routes.map((r: any) => [r.name, r.timeout, r.retries.perTryTimeout])).toEqual([['idempotent', undefined, '2s'], ['default', undefined, undefined]]);
    const lobjs = other.toJson();
    expect(apiRoutes(lobjs).map(o => [o.metadata.name, o.spec.rules[0].timeouts])).toEqual([['api-idempotent', undefined], ['api', undefined]]);
    expect(one(lobjs, 'HTTPRoute', 'api-idempotent').metadata.annotations['retry.linkerd.io/timeout']).toBe('2s');
    expectValidWithCrds([...objs, ...lobjs]);
  });

  test('a zero outlier-detection interval', () => {
    const chart = testChart();
    const { api } = pair(chart);
    expectError(() => new IstioMesh(chart, 'mesh').enrol(api, { circuitBreaker: { interval: Duration.millis(0) } }), /circuitBreaker\.interval \("0ms"\) must be at least 1 ms/);
  });

  test('an IP-range caller under Linkerd fails at synth', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const { api } = pair(chart, mesh);
    mesh.enrol(api);
    api.allowFrom(NetworkPeer.cidr('10.0.0.0/16'));
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/refused by Linkerd's mutual TLS/)]);
  });

  test('a mesh registered on the app covers its charts', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart.node.scope as any, 'mesh');
    expect(Mesh.of(chart)).toBe(mesh);
    expectError(() => new LinkerdMesh(chart, 'linkerd'), /one mesh per chart or app/);
  });
});

describe('callers outside the mesh (Istio)', () => {
  const NGINX = { 'app.kubernetes.io/name': 'ingress-nginx' };
  const setup = (meshed?: boolean) => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', extraPorts: [{ name: 'admin', port: 9090 }] });
    api.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX, meshed === undefined ? undefined : { meshed }), [8080]);
    mesh.enrol(api);
    return { chart, objs: chart.toJson() };
  };

  test('an unmeshed ingress controller reaches its port: PERMISSIVE there only, and a rule for callers without a mesh identity', () => {
    const { chart, objs } = setup();
    expect(one(objs, 'PeerAuthentication', 'api').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
    });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { namespaces: ['ingress-nginx'] } }], to: [{ operation: { ports: ['8080'] } }] },
      { from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    // the NetworkPolicy is what keeps other plaintext callers out of 8080: only the controller's pods
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: NGINX }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('a controller declared meshed keeps STRICT everywhere and is matched by its namespace only', () => {
    const { objs } = setup(true);
    expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toBeUndefined();
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { namespaces: ['ingress-nginx'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('an HttpIngress in front of a meshed service: its default (unmeshed) controller can reach the service', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    new HttpIngress(chart, 'public', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls') });
    const objs = chart.toJson();
    expect(one(objs, 'PeerAuthentication', 'api').spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
    expect(one(objs, 'AuthorizationPolicy', 'api').spec.rules).toContainEqual({ from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] });
  });

  test('a shipshape workload outside the mesh is refused with a message saying what to do', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const { api } = pair(chart);
    mesh.enrol(api);
    expect(validationErrors(chart)).toEqual([
      "allowFrom (WebService shop/web) is not enrolled in the mesh, so its calls carry no Istio identity and shop/api's Istio policy refuses them; "
      + 'enrol shop/web in the same mesh (mesh.enrol(...)), or remove the connection',
    ]);
  });

  test('a plaintext caller of a workload with no port to open is refused', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const agent = new NodeAgent(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', readiness: Probe.exec(['/bin/ready']), liveness: Probe.exec(['/bin/live']) });
    agent.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX));
    mesh.enrol(agent);
    expect(validationErrors(chart)).toEqual([
      "allowFrom (ingress controller in ingress-nginx) calls without Istio's mutual TLS, and the workload declares no port to accept plaintext on; "
      + 'declare the port the caller reaches, or declare the caller meshed ({ meshed: true } on NetworkPeer.ingressController, NetworkPeer.pods or NetworkPeer.namespace)',
    ]);
  });
});

describe('callers outside the mesh (Linkerd)', () => {
  const NGINX = { 'app.kubernetes.io/name': 'ingress-nginx' };
  const setup = (meshed?: boolean, ports?: number[]) => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', extraPorts: [{ name: 'admin', port: 9090 }] });
    api.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX, meshed === undefined ? undefined : { meshed }), ports);
    mesh.enrol(api);
    return { chart, objs: chart.toJson() };
  };

  test('an unmeshed ingress controller reaching the Server port: the Server admits in-cluster clients without identity', () => {
    const { chart, objs } = setup();
    expect(one(objs, 'Server', 'api').spec.accessPolicy).toBe('cluster-unauthenticated');
    // meshed callers from the namespace still match the identity-based policy
    expect(one(objs, 'MeshTLSAuthentication', 'api').spec.identityRefs).toEqual([{ kind: 'Namespace', name: 'ingress-nginx' }]);
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: NGINX }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('a controller declared meshed, or one that only reaches another port, leaves the Server at deny', () => {
    expect(one(setup(true).objs, 'Server', 'api').spec.accessPolicy).toBe('deny');
    expect(one(setup(undefined, [9090]).objs, 'Server', 'api').spec.accessPolicy).toBe('deny');
  });

  test('a shipshape workload outside the mesh calling the Server port is refused', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const { api } = pair(chart);
    mesh.enrol(api);
    expect(validationErrors(chart)).toEqual([
      "allowFrom (WebService shop/web) is not enrolled in the mesh, so its calls carry no Linkerd identity and shop/api's Linkerd policy refuses them; "
      + 'enrol shop/web in the same mesh (mesh.enrol(...)), or remove the connection',
    ]);
  });

  test('a caller enrolled in another mesh is refused, naming both meshes', () => {
    const app = testChart().node.scope as any;
    const shop = new Chart(app, 'orders', { namespace: 'orders' });
    const istio = new IstioMesh(shop, 'istio');
    const worker = new Worker(shop, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    istio.enrol(worker);
    const catalog = new Chart(app, 'catalog', { namespace: 'catalog' });
    const linkerd = new LinkerdMesh(catalog, 'linkerd');
    const search = new WebService(catalog, 'search', { image: 'ghcr.io/acme/search:4.0.2' });
    worker.allowTo(search);
    linkerd.enrol(search);
    expect(catalog.node.findAll().flatMap(c => c.node.validate())).toEqual([
      "allowFrom (Worker orders/worker) is enrolled in istio, not linkerd, so its calls carry no Linkerd identity and catalog/search's Linkerd policy refuses them; "
      + 'enrol orders/worker in the same mesh (mesh.enrol(...)), or remove the connection',
    ]);
  });
});

describe('proxy resource comparisons quote the values as written, not normalized', () => {
  const exact = (fn: () => unknown, message: string) => {
    expectError(fn, message);
    try { fn(); } catch (e: any) { expect(e.message).toBe(message); }
  };
  const enrolIstio = (proxyResources: any) => () => {
    const chart = testChart();
    new IstioMesh(chart, 'mesh').enrol(pair(chart).api, { proxyResources });
  };

  test('cpu "96000m" above cpuLimit "0.5" (Istio): "96000m" and "0.5", not "96" and "500m"', () => {
    exact(enrolIstio({ cpu: '96000m', cpuLimit: '0.5' }),
      'shop/api: proxyResources.cpu ("96000m") must be <= proxyResources.cpuLimit (0.5); lower the request or raise the limit');
  });

  test('cpu "2000m" above the default cpuLimit (Linkerd): the default as shipshape writes it (1)', () => {
    exact(() => {
      const chart = testChart();
      new LinkerdMesh(chart, 'mesh').enrol(pair(chart).api, { proxyResources: { cpu: '2000m' } });
    }, 'shop/api: proxyResources.cpu ("2000m") must be <= proxyResources.cpuLimit (1); lower the request or raise the limit');
  });

  test('memory "2048Mi" above memoryLimit "1024Mi": not "2Gi" and "1Gi"', () => {
    exact(enrolIstio({ memory: '2048Mi', memoryLimit: '1024Mi' }),
      'shop/api: proxyResources.memory ("2048Mi") must be <= proxyResources.memoryLimit (1024Mi); lower the request or raise the limit');
  });
});
