import { Duration } from 'cdk8s';
import { expectError, testChart } from './traffic-util';
import { HttpIngress, HttpRoute, IngressTls, WebService } from '../../../lib/k8s';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
function backend() {
  const chart = testChart();
  return { chart, api: new WebService(chart, 'api', { image: IMAGE }) };
}

describe('HttpIngress: more validation errors', () => {
  test('an invalid TLS secret name', () => {
    const { chart, api } = backend();
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('Shop_TLS'), rules: [{ host: 'a.example.com', paths: [{ backend: api }] }] }), /tls\.secretName \("Shop_TLS"\) must be an RFC 1123 DNS subdomain/);
  });

  test('an invalid cert-manager issuer name', () => {
    const { chart } = backend();
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.certManager({ issuer: 'Lets Encrypt' }) }), /tls\.issuer \("Lets Encrypt"\) must be an RFC 1123 DNS subdomain/);
  });

  test('an invalid ingress class name', () => {
    const { chart } = backend();
    expectError(() => new HttpIngress(chart, 'web', { plainHttp: true, ingressClassName: 'NGINX' }), /ingressClassName \("NGINX"\) must be an RFC 1123 DNS subdomain/);
  });

  test('a rule without paths', () => {
    const { chart } = backend();
    expectError(() => new HttpIngress(chart, 'web', { plainHttp: true, rules: [{ host: 'a.example.com', paths: [] }] }), /rules\[0\]\.paths \(\[\]\) must hold at least one path/);
  });

  test('an invalid ingress name', () => {
    const { chart } = backend();
    expectError(() => new HttpIngress(chart, 'web', { plainHttp: true, name: 'Web!' }), /name \("Web!"\) must be an RFC 1123 DNS label/);
  });
});

describe('HttpRoute: more validation errors', () => {
  test('more than 16 rules', () => {
    const { chart, api } = backend();
    const route = new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' } });
    for (let i = 0; i < 16; i++) route.addRule({ matches: [{ path: `/p${i}` }], backends: [{ service: api }] });
    expectError(() => route.addRule({ matches: [{ path: '/p16' }], backends: [{ service: api }] }), /rules\[16\] \(17\) exceeds the 16 rules an HTTPRoute may hold/);
  });

  test('an invalid header name', () => {
    const { chart, api } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ matches: [{ headers: { 'x canary': '1' } }], backends: [{ service: api }] }] }),
      /rules\[0\]\.matches\[0\]\.headers \("x canary"\) is not a valid HTTP header name/);
  });

  test('a timeout below one millisecond', () => {
    const { chart, api } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: api }], timeout: Duration.millis(0) }] }),
      /rules\[0\]\.timeout \("0ms"\) must be a whole number of milliseconds, at least 1/);
  });

  test('a timeout that Gateway API cannot express', () => {
    const { chart, api } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: api }], timeout: Duration.millis(100500) }] }),
      /rules\[0\]\.timeout \("100500ms"\) is not expressible as a Gateway API duration/);
  });

  test('an invalid gateway name', () => {
    const { chart } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'Public GW', sectionName: 'https' } }), /gateway\.name \("Public GW"\) must be an RFC 1123 DNS subdomain/);
  });

  test('an invalid listener name', () => {
    const { chart } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'HTTPS' } }), /gateway\.sectionName \("HTTPS"\) must be an RFC 1123 DNS subdomain/);
  });

  test('more than 16 hostnames', () => {
    const { chart } = backend();
    expectError(() => new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }), /hostnames \(17\) must hold at most 16 hostnames/);
  });

  test('durations render as seconds when whole, else milliseconds', () => {
    const { chart, api } = backend();
    new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: api }], timeout: Duration.minutes(2), backendTimeout: Duration.millis(1500) }] });
    const route = chart.toJson().find(o => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].timeouts).toEqual({ request: '120s', backendRequest: '1500ms' });
  });
});
