/**
 * Routing to a Kubernetes Service that exists outside the app: `WebService.fromServiceAttributes`, and what
 * HttpIngress and HttpRoute do with such a backend (no NetworkPolicy rule on its pods; SS-K8S-054 suppressed on the
 * Ingress and SS-K8S-102 on the HTTPRoute with a reason, so the synth and `shipshape check` of the written YAML agree).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App as Cdk8sApp, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { expectError, expectValidWithCrds, one, testChart, validationErrors } from './traffic-util';
import {
  App, HttpIngress, HttpRoute, IngressTls, IWebService, NetworkPeerConfig, StatefulService, WebService, WebServiceAttributes, Worker,
} from '../../../lib/k8s';
import { Policy } from '../../../lib/policy';
import { removeTempDirsAfterAll, run, tmpDir } from '../../policy/cli-helpers';
import { quietly } from '../../util/k8s';
import { parseYamlFiles } from '../../util/schema';

removeTempDirsAfterAll();

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const SUPPRESS_054 = 'suppress.shipshape.io/SS-K8S-054';
const REASON = 'backend Service legacy (shop) is imported with WebService.fromServiceAttributes: it is managed outside this app';
const CONTROLLER_PEER = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

/** Asserts that `fn` throws a shipshape validation error with exactly `message`. */
function expectExactError(fn: () => unknown, message: string): void {
  expectError(fn, message);
  try {
    fn();
  } catch (e: any) {
    expect(e.message).toBe(message);
  }
}

/** An `IWebService` written by hand: what users passed before the import existed. */
class HandWrittenService extends Construct implements IWebService {
  public readonly name = 'legacy';
  public readonly namespace = 'shop';
  public readonly servicePort = 8080;
  public readonly port = 8080;
  public readonly portName = 'http';
  public readonly selectorLabels = {};
  public readonly containerPorts = [8080];
  public toNetworkPeer(): NetworkPeerConfig {
    return { description: 'legacy', namespace: 'shop' };
  }
}

/** A k8s.App (policy on) writing to a fresh temporary folder, with a chart in namespace `shop`. */
function shopApp(): { app: App; chart: Chart } {
  const app = new App({ outdir: tmpDir() });
  return { app, chart: new Chart(app, 'shop', { namespace: 'shop' }) };
}

/** Every manifest k8s.App wrote into `outdir`. */
function written(outdir: string): any[] {
  return parseYamlFiles(outdir).flatMap(f => f.docs);
}

/** The SS-K8S-054 suppression annotation the ingress writes on its Ingress, or undefined. */
function suppressionOf(ing: HttpIngress): string | undefined {
  return ing.ingress.toJson().metadata.annotations?.[SUPPRESS_054];
}

/** The import of the message's examples: Service `legacy` of the chart's namespace on port 8080. */
function importLegacy(scope: Construct, attrs: Partial<WebServiceAttributes> = {}): IWebService {
  return WebService.fromServiceAttributes(scope, 'legacy', { name: 'legacy', servicePort: 8080, ...attrs });
}

describe('an Ingress and an HTTPRoute with an in-app and an imported backend, under k8s.App with the policy on', () => {
  const { app, chart } = shopApp();
  const api = new WebService(chart, 'api', { image: IMAGE });
  const legacy = importLegacy(chart);
  const ingress = new HttpIngress(chart, 'web', {
    rules: [{ host: 'shop.example.com', paths: [{ backend: api }, { path: '/old', backend: legacy }] }],
    tls: IngressTls.secret('shop-tls'),
  });
  const route = new HttpRoute(chart, 'api-route', {
    gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
    hostnames: ['api.example.com'],
    rules: [{ backends: [{ service: api }] }, { matches: [{ path: '/old' }], backends: [{ service: legacy }] }],
  });
  quietly(() => app.synth());
  const docs = written(app.outdir);
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, '.shipshape', 'policy-report.json'), 'utf-8'));

  test('synthesizes: the Ingress routes /old to the imported Service\'s name and port', () => {
    expect(one(docs, 'Ingress', 'web').spec.rules).toEqual([{
      host: 'shop.example.com',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
          { path: '/old', pathType: 'Prefix', backend: { service: { name: 'legacy', port: { number: 8080 } } } },
        ],
      },
    }]);
    expectValidWithCrds(docs);
  });

  test('the Ingress carries the suppress.shipshape.io/SS-K8S-054 annotation with the reason naming the imported Service', () => {
    expect(one(docs, 'Ingress', 'web').metadata.annotations).toEqual({ [SUPPRESS_054]: REASON });
    expect(suppressionOf(ingress)).toBe(REASON);
  });

  test('the policy report shows the SS-K8S-054 finding as suppressed with that reason, and no error', () => {
    expect(report.summary.errors).toBe(0);
    const found = report.findings.filter((f: any) => f.ruleId === 'SS-K8S-054');
    expect(found.map((f: any) => [f.kind, f.name, f.jsonPath, f.message, f.suppressed])).toEqual([
      ['Ingress', 'web', 'spec.rules[0].http.paths[1].backend.service.name', 'Ingress backend Service "legacy" is not in the output', { reason: REASON, scope: 'shop/web/Ingress' }],
    ]);
    expect(report.findings.filter((f: any) => f.ruleId === 'SS-POLICY-001')).toEqual([]);
  });

  test('the HTTPRoute routes to the imported Service\'s name and port, and carries the SS-K8S-102 suppression with the same reason', () => {
    const r = one(docs, 'HTTPRoute', 'api-route');
    expect(r.spec.rules[1].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'legacy', port: 8080, weight: 1 }]);
    expect(r.metadata.annotations).toEqual({ 'suppress.shipshape.io/SS-K8S-102': REASON });
    expect(report.findings.filter((f: any) => f.ruleId === 'SS-K8S-102').map((f: any) => [f.name, f.jsonPath, f.suppressed?.reason]))
      .toEqual([['api-route', 'spec.rules[1].backendRefs[0].name', REASON]]);
    expect(route.gatewayPeer).toBeDefined();
  });

  test('the in-app backend\'s NetworkPolicy still admits the ingress controller and the gateway on its container port', () => {
    const np = one(docs, 'NetworkPolicy', 'api');
    expect(np.spec.ingress).toContainEqual({ from: [CONTROLLER_PEER], ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(np.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('no object is written for the import, nor a NetworkPolicy for its pods', () => {
    expect(legacy.node.children).toEqual([]);
    expect(docs.filter(d => d.metadata.name === 'legacy')).toEqual([]);
    expect(docs.filter(d => d.kind === 'NetworkPolicy').map(d => d.metadata.name)).toEqual(['api']);
    expect((legacy as any).allowFrom).toBeUndefined();
  });

  test('the import is a construct with a path, and what IWebService asks of it', () => {
    expect(legacy.node.path).toBe('shop/legacy');
    expect({
      name: legacy.name,
      namespace: legacy.namespace,
      servicePort: legacy.servicePort,
      port: legacy.port,
      portName: legacy.portName,
      selectorLabels: legacy.selectorLabels,
      containerPorts: legacy.containerPorts,
    }).toEqual({ name: 'legacy', namespace: 'shop', servicePort: 8080, port: 8080, portName: 'http', selectorLabels: {}, containerPorts: [8080] });
  });

  test('shipshape check of the written folder agrees: exit 0, the finding suppressed by the annotation', async () => {
    const r = await run(['check', app.outdir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('shipshape policy: 0 errors, 0 warnings, 2 suppressed');
    const findings = JSON.parse(r.out).findings;
    expect(findings.map((f: any) => [f.ruleId, f.name, f.jsonPath, f.suppressed?.reason])).toEqual([
      ['SS-K8S-054', 'web', 'spec.rules[0].http.paths[1].backend.service.name', REASON],
      ['SS-K8S-102', 'api-route', 'spec.rules[1].backendRefs[0].name', REASON],
    ]);
  });
});

describe('without the import: a hand-written IWebService (unchanged behaviour)', () => {
  test('still fails the synth with SS-K8S-054, and nothing is suppressed', () => {
    const { app, chart } = shopApp();
    const api = new WebService(chart, 'api', { image: IMAGE });
    const ing = new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: api }, { path: '/old', backend: new HandWrittenService(chart, 'legacy') }] }],
      tls: IngressTls.secret('shop-tls'),
    });
    expect(() => quietly(() => app.synth())).toThrow('ERROR SS-K8S-054 at spec.rules[0].http.paths[1].backend.service.name: Ingress backend Service "legacy" is not in the output');
    expect(suppressionOf(ing)).toBeUndefined();
    expect(Policy.suppressionsOf(app)).toEqual([]);
  });

  test('in an HttpRoute: fails the synth with SS-K8S-102, and nothing is suppressed', () => {
    const { app, chart } = shopApp();
    const route = new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: new HandWrittenService(chart, 'legacy') }] }] });
    expect(() => quietly(() => app.synth())).toThrow('ERROR SS-K8S-102 at spec.rules[0].backendRefs[0].name: HTTPRoute backend Service "legacy" is not in the output (namespace shop)');
    expect(route.route.toJson().metadata.annotations).toBeUndefined();
  });

  test('an HttpRoute may not route to an import and to a hand-written backend: the suppression would hide the second', () => {
    const { chart } = shopApp();
    const legacy = importLegacy(chart);
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: legacy }, { service: new HandWrittenService(chart, 'old') }] }] }),
      /^shop\/r: rules\[0\]\.backends\[1\]\.service \("shop\/old"\) is not a shipshape workload of this app \(Service legacy\), and the route also routes to Service legacy, imported with WebService\.fromServiceAttributes, for which it suppresses rule SS-K8S-102 \(backends in the output\) on its whole HTTPRoute/);
  });
});

describe('WebService.fromServiceAttributes: defaults', () => {
  test('the namespace defaults to the chart\'s', () => {
    const chart = testChart('shop');
    expect(importLegacy(chart).namespace).toBe('shop');
    expect(importLegacy(new Construct(testChart('orders'), 'team')).namespace).toBe('orders');
  });

  test('given values are kept: namespace, port behind the Service port, port name, selector labels', () => {
    const legacy = importLegacy(testChart(), { namespace: 'legacy', servicePort: 80, port: 9000, portName: 'web', selectorLabels: { app: 'legacy' } });
    expect([legacy.namespace, legacy.servicePort, legacy.port, legacy.portName, legacy.selectorLabels, legacy.containerPorts])
      .toEqual(['legacy', 80, 9000, 'web', { app: 'legacy' }, [9000]]);
  });

  test('as a network peer: its pods (every pod of its namespace without selectorLabels) on its port, for allowTo', () => {
    const chart = testChart();
    expect(importLegacy(chart).toNetworkPeer()).toEqual({ description: 'imported Service shop/legacy', namespace: 'shop', ports: [8080] });
    const labelled = WebService.fromServiceAttributes(chart, 'billing', { name: 'billing', servicePort: 80, port: 9000, selectorLabels: { app: 'billing' } });
    const worker = new Worker(chart, 'worker', { image: IMAGE });
    worker.allowTo(labelled);
    const np = one(chart.toJson(), 'NetworkPolicy', 'worker');
    expect(np.spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'billing' } } }], ports: [{ port: 9000, protocol: 'TCP' }] });
  });
});

describe('WebService.fromServiceAttributes: invalid attributes', () => {
  test('a name that is not a DNS-1035 label (it starts with a digit)', () => {
    expectExactError(() => importLegacy(testChart(), { name: '1legacy' }),
      'shop/legacy: name ("1legacy") must be a DNS-1035 label, as Service names are: 1-63 characters of a-z, 0-9 and \'-\', starting with a letter and ending with a letter or digit; '
      + 'give the name of the existing Service, for example "legacy"');
  });

  test('a name with upper case and underscores', () => {
    expectExactError(() => importLegacy(testChart(), { name: 'Legacy_API' }),
      'shop/legacy: name ("Legacy_API") must be a DNS-1035 label, as Service names are: 1-63 characters of a-z, 0-9 and \'-\', starting with a letter and ending with a letter or digit; '
      + 'give the name of the existing Service, for example "legacy-api"');
  });

  test('a name longer than 63 characters', () => {
    const long = 'a'.repeat(64);
    expectExactError(() => importLegacy(testChart(), { name: long }),
      `shop/legacy: name ("${long}") must be a DNS-1035 label, as Service names are: 1-63 characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit; `
      + `give the name of the existing Service, for example "${'a'.repeat(63)}"`);
  });

  test('no namespace, here or on the chart', () => {
    expectExactError(() => importLegacy(testChart(null)),
      'shop/legacy: namespace (undefined) is not set on the import nor on its chart, and an HttpIngress or HttpRoute routes only to Services of its own namespace; '
      + "set `namespace` to the namespace the Service runs in, or on the Chart (new Chart(app, 'shop', { namespace: 'shop' }))");
  });

  test('a namespace that is not a DNS label', () => {
    expectExactError(() => importLegacy(testChart(), { namespace: 'Legacy' }),
      'shop/legacy: namespace ("Legacy") must be an RFC 1123 DNS label: 1-63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit; use a name such as "legacy"');
  });

  test.each([[0], [65536], [80.5], [NaN]])('servicePort %p', (servicePort) => {
    expectExactError(() => importLegacy(testChart(), { servicePort }),
      `shop/legacy: servicePort (${servicePort}) must be a whole number from 1 to 65535 (a TCP port); give the port the Service exposes (spec.ports[].port), for example 80`);
  });

  test('a missing servicePort (plain JavaScript callers)', () => {
    expectExactError(() => WebService.fromServiceAttributes(testChart(), 'legacy', { name: 'legacy' } as WebServiceAttributes),
      'shop/legacy: servicePort (undefined) must be a whole number from 1 to 65535 (a TCP port); give the port the Service exposes (spec.ports[].port), for example 80');
  });

  test.each([[0], [70000], [8080.5]])('port %p', (port) => {
    expectExactError(() => importLegacy(testChart(), { port }),
      `shop/legacy: port (${port}) must be a whole number from 1 to 65535 (a TCP port); give the port the pods listen on (the Service's targetPort), or omit it when it is 8080 too`);
  });

  test('a port name that is not an IANA service name', () => {
    expectExactError(() => importLegacy(testChart(), { portName: 'HTTP_1' }),
      'shop/legacy: portName ("HTTP_1") must be an IANA service name: 1-15 characters of a-z, 0-9 and \'-\', with at least one letter and no \'--\'; use a short name such as "http", "grpc" or "metrics"');
  });

  test('selector labels with an invalid value', () => {
    expectExactError(() => importLegacy(testChart(), { selectorLabels: { app: 'not valid!' } }),
      'shop/legacy: selectorLabels.app ("not valid!") must be a label value: at most 63 characters of A-Z, a-z, 0-9, \'-\', \'_\' and \'.\', starting and ending with a letter or digit; '
      + 'shorten it or replace the other characters with "-"');
  });
});

describe('routes to an imported Service', () => {
  test('an import in another namespace is refused, as any backend outside the route\'s namespace', () => {
    const chart = testChart();
    const legacy = importLegacy(chart, { namespace: 'legacy' });
    expectError(() => new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: legacy }] }], tls: IngressTls.secret('shop-tls') }),
      'shop/web: rules[0].paths[0].backend ("shop/legacy") is in namespace "legacy", not "shop": routes reach Services of their own namespace only');
  });

  test('a port other than the imported Service port is refused', () => {
    const chart = testChart();
    const legacy = importLegacy(chart);
    expectError(() => new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: legacy, port: 80 }] }], tls: IngressTls.secret('shop-tls') }),
      'shop/web: rules[0].paths[0].port (80) is not a port of Service shop/legacy (8080); use 8080 (the service port) or omit port');
  });

  test('several imports: one annotation, whose reason names each imported Service once, also those added with addPath', () => {
    const chart = testChart();
    const ing = new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: importLegacy(chart) }, { path: '/old2', backend: importLegacy(new Construct(chart, 'again'), { servicePort: 8080 }) }] }],
      tls: IngressTls.secret('shop-tls'),
    });
    expect(suppressionOf(ing)).toBe(REASON);
    ing.addPath('shop.example.com', { path: '/billing', backend: WebService.fromServiceAttributes(chart, 'billing', { name: 'billing', servicePort: 80 }) });
    expect(one(chart.toJson(), 'Ingress').metadata.annotations[SUPPRESS_054])
      .toBe('backend Services legacy, billing (shop) are imported with WebService.fromServiceAttributes: they are managed outside this app');
  });

  test('an Ingress without an import carries no suppression', () => {
    const chart = testChart();
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: new WebService(chart, 'api', { image: IMAGE }) }] }], tls: IngressTls.secret('shop-tls') });
    expect(one(chart.toJson(), 'Ingress').metadata.annotations).toBeUndefined();
  });

  test('the user\'s own SS-K8S-054 annotation is kept as given', () => {
    const chart = testChart();
    new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: importLegacy(chart) }] }],
      tls: IngressTls.secret('shop-tls'),
      annotations: { [SUPPRESS_054]: 'the legacy Service is installed by the platform team' },
    });
    expect(one(chart.toJson(), 'Ingress').metadata.annotations[SUPPRESS_054]).toBe('the legacy Service is installed by the platform team');
  });

  test('an in-app StatefulService on its service port may share the Ingress with an import', () => {
    const chart = testChart();
    const db = new StatefulService(chart, 'db', { image: IMAGE, port: 8080, peerPorts: [{ name: 'repl', port: 8081 }] });
    const ing = new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: db }, { path: '/old', backend: importLegacy(chart) }] }],
      tls: IngressTls.secret('shop-tls'),
    });
    expect(suppressionOf(ing)).toBe(REASON);
  });

  test('a hand-written IWebService after an import is refused: the suppression would hide its missing Service or port', () => {
    const chart = testChart();
    const legacy = importLegacy(chart);
    expectError(() => new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: legacy }, { path: '/other', backend: new HandWrittenService(chart, 'other') }] }],
      tls: IngressTls.secret('shop-tls'),
    }), 'shop/web: rules[0].paths[1].backend ("shop/other") is not a shipshape workload of this app (Service legacy), and the ingress also routes to Service legacy, '
      + 'imported with WebService.fromServiceAttributes, for which it suppresses rule SS-K8S-054 (backends in the output) on its whole Ingress: '
      + 'the suppression would also hide a Service or port missing for legacy; '
      + 'route legacy in an HttpIngress of its own, or import it with WebService.fromServiceAttributes if it is managed outside this app');
  });

  test('an import after a hand-written IWebService is refused, also with addPath', () => {
    const chart = testChart();
    const ing = new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: new HandWrittenService(chart, 'other') }] }],
      tls: IngressTls.secret('shop-tls'),
    });
    expectError(() => ing.addPath('shop.example.com', { path: '/old', backend: importLegacy(chart) }),
      'shop/web: addPath("shop.example.com").backend ("shop/legacy") is a Service imported with WebService.fromServiceAttributes, for which the ingress suppresses rule SS-K8S-054 '
      + '(backends in the output) on its whole Ingress, but it also routes to shop/other (Service legacy), which is not a shipshape workload of this app: '
      + 'the suppression would also hide a Service or port missing there; route the imported Service in an HttpIngress of its own, or legacy in another one');
    expect(suppressionOf(ing)).toBeUndefined();
  });

  test('a WebService of another app counts as outside this app\'s output', () => {
    const chart = testChart();
    const elsewhere = new WebService(testChart(), 'api', { image: IMAGE });
    expectError(() => new HttpIngress(chart, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: importLegacy(chart) }, { path: '/api', backend: elsewhere }] }],
      tls: IngressTls.secret('shop-tls'),
    }), /^shop\/web: rules\[0\]\.paths\[1\]\.backend \("shop\/api"\) is not a shipshape workload of this app \(Service api\)/);
  });

  test('an HTTPRoute writes no NetworkPolicy rule for an imported backend, and admits the gateway on the in-app one', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpRoute(chart, 'r', {
      gateway: { name: 'public', sectionName: 'https' },
      rules: [{ backends: [{ service: api, weight: 90 }, { service: importLegacy(chart), weight: 10 }] }],
    });
    const objs = chart.toJson();
    expect(one(objs, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'api', port: 80, weight: 90 },
      { group: '', kind: 'Service', name: 'legacy', port: 8080, weight: 10 },
    ]);
    expect(objs.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name)).toEqual(['api']);
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('a plain cdk8s App with Policy.attach accepts the import too (the suppression travels on the Ingress)', () => {
    const app = new Cdk8sApp({ outdir: tmpDir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }, { path: '/old', backend: importLegacy(chart) }] }], tls: IngressTls.secret('shop-tls') });
    Policy.attach(app);
    expect(() => quietly(() => app.synth())).not.toThrow();
    expect(chart.node.findAll().filter(c => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'Service').map(c => (c as ApiObject).name)).toEqual(['api']);
    expect(one(written(app.outdir), 'Ingress').metadata.annotations).toEqual({ [SUPPRESS_054]: REASON });
  });
});

describe('an import of a Service the app writes itself is refused at synth', () => {
  const why = (servicePath: string) => `is a Service this app writes (${servicePath}, namespace shop): an import, meant for a Service managed outside the app, `
    + 'takes its ports on trust and makes an HttpIngress suppress rule SS-K8S-054 (backends in the output) for it, so a port the Service lacks would go unnoticed';

  test('error: the import of WebService api\'s Service on a port it lacks, routed by an HttpIngress (k8s.App synth fails)', () => {
    const { app, chart } = shopApp();
    new WebService(chart, 'api', { image: IMAGE });
    const legacy = WebService.fromServiceAttributes(chart, 'legacy', { name: 'api', servicePort: 9999 });
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: legacy }] }], tls: IngressTls.secret('shop-tls') });
    const message = `shop/legacy: name ("api") ${why('shop/api/Service')}; route to the WebService itself (backend: api), not to an import of it`;
    expect(legacy.node.validate()).toEqual([message]);
    expect(() => quietly(() => app.synth())).toThrow(message);
  });

  test('error: the WebService may come after the import, and an HttpRoute backend is refused the same', () => {
    const chart = testChart();
    const legacy = WebService.fromServiceAttributes(chart, 'legacy', { name: 'api', servicePort: 80 });
    new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: legacy }] }] });
    new WebService(chart, 'api', { image: IMAGE });
    expect(validationErrors(chart)).toEqual([`shop/legacy: name ("api") ${why('shop/api/Service')}; route to the WebService itself (backend: api), not to an import of it`]);
  });

  test('error: a raw cdk8s ApiObject of kind Service with that name', () => {
    const chart = testChart();
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy' }, spec: { ports: [{ port: 80 }] } });
    const legacy = importLegacy(chart);
    expect(legacy.node.validate()).toEqual([`shop/legacy: name ("legacy") ${why('shop/svc')}; route to the workload that writes that Service instead of importing it, `
      + 'or pass an IWebService of your own for it (rule SS-K8S-054 then checks its Service and port in the output)']);
  });

  test('accepted: the same name in another namespace, another kind, or a Service of another API group', () => {
    const chart = testChart();
    new WebService(chart, 'api', { image: IMAGE, namespace: 'billing' });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy' } });
    new ApiObject(chart, 'ksvc', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'legacy' } });
    const imports = [importLegacy(chart), WebService.fromServiceAttributes(chart, 'api-import', { name: 'api', servicePort: 80 })];
    expect(imports.flatMap(i => i.node.validate())).toEqual([]);
  });
});

describe('an HttpRoute backend in another namespace: the message tells the Gateway API\'s rule (ReferenceGrant)', () => {
  const why = 'an HTTPRoute reaches a Service of another namespace only when a ReferenceGrant in that namespace allows it, and HttpRoute writes no ReferenceGrant '
    + '(nor a namespace in its backendRefs), so it routes only to Services of its own namespace';

  test('error: an import in namespace legacy, the Gateway in the route\'s namespace (the default)', () => {
    expectExactError(() => {
      const chart = testChart();
      new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: importLegacy(chart, { namespace: 'legacy' }) }] }] });
    },
    `shop/r: rules[0].backends[0].service ("shop/legacy") is in namespace "legacy", not "shop": ${why}; `
      + 'create the route in namespace "legacy" (HttpRoute namespace: "legacy", gateway.namespace: "shop"), where the Gateway\'s listener must admit routes '
      + 'from namespace "legacy" (allowedRoutes.namespaces), or create the backend in namespace "shop" (check both namespaces for a typo)');
  });

  test('error: a WebService in the Gateway\'s namespace (the route moves there, next to its Gateway)', () => {
    expectExactError(() => {
      const chart = testChart();
      const api = new WebService(chart, 'api', { image: IMAGE, namespace: 'gateways' });
      new HttpRoute(chart, 'r', { gateway: { name: 'gw', namespace: 'gateways', sectionName: 'https' }, rules: [{ backends: [{ service: api }] }] });
    },
    `shop/r: rules[0].backends[0].service ("shop/api") is in namespace "gateways", not "shop": ${why}; `
      + 'create the route in namespace "gateways", its Gateway\'s (HttpRoute namespace: "gateways"), or create the backend in namespace "shop" (check both namespaces for a typo)');
  });
});
