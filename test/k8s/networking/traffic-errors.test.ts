import * as fs from 'fs';
import { Duration } from 'cdk8s';
import { expectError, testChart } from './traffic-util';
import { HttpIngress, HttpRoute, IngressTls, NetworkPeer, WebService } from '../../../lib/k8s';
import { crdSchemaPath, expectValid } from '../../util/schema';

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

  test('a class other than nginx with no controller and no cluster that knows the class: its controller would be refused by the backends', () => {
    const { chart, api } = backend();
    const rules = [{ host: 'a.example.com', paths: [{ backend: api }] }];
    expectError(() => new HttpIngress(chart, 'web', { ingressClassName: 'traefik', tls: IngressTls.secret('shop-tls'), rules }),
      'shop/web: ingressClassName ("traefik") is not "nginx", yet without controller the backends admit only the ingress-nginx controller pods '
      + '(namespace ingress-nginx, label app.kubernetes.io/name: ingress-nginx), so the controller of this class would be refused by every backend\'s NetworkPolicy; '
      + 'name its pods: controller: NetworkPeer.ingressController(\'<its namespace>\', { \'app.kubernetes.io/name\': \'<its name label>\' }), '
      + 'or give the app its cluster\'s profile, whose ingress classes say where each controller runs');
    // a slip of nginx: asked whether nginx was meant
    expectError(() => new HttpIngress(chart, 'typo', { ingressClassName: 'ngnix', tls: IngressTls.secret('shop-tls'), rules }),
      'shop/typo: ingressClassName ("ngnix") is not "nginx", yet without controller the backends admit only the ingress-nginx controller pods '
      + '(namespace ingress-nginx, label app.kubernetes.io/name: ingress-nginx), so the controller of this class would be refused by every backend\'s NetworkPolicy; '
      + 'did you mean "nginx"? An Ingress of a class no controller serves is never served; '
      + 'name its pods: controller: NetworkPeer.ingressController(\'<its namespace>\', { \'app.kubernetes.io/name\': \'<its name label>\' }) if "ngnix" is a class of its own');
    const named = new HttpIngress(chart, 'named', { ingressClassName: 'traefik', tls: IngressTls.secret('shop-tls'), rules, controller: NetworkPeer.ingressController('traefik', { 'app.kubernetes.io/name': 'traefik' }) });
    expect(named.controller.toNetworkPeer().namespace).toBe('traefik');
    expect(new HttpIngress(chart, 'nginx', { ingressClassName: 'nginx', tls: IngressTls.secret('shop-tls'), rules }).controller.toNetworkPeer().namespace).toBe('ingress-nginx');
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

  const routeWith = (rule: { timeout?: Duration; backendTimeout?: Duration }) => {
    const { chart, api } = backend();
    new HttpRoute(chart, 'r', { gateway: { name: 'gw', sectionName: 'https' }, rules: [{ backends: [{ service: api }], ...rule }] });
    return chart.toJson();
  };
  const timeoutsOf = (objs: any[]) => objs.find(o => o.kind === 'HTTPRoute').spec.rules[0].timeouts;

  test('a timeout with a fraction of a millisecond: the only precision a Gateway API duration lacks', () => {
    expectError(() => routeWith({ timeout: Duration.millis(1.5) }),
      'shop/r: rules[0].timeout ("1.5ms") is not a whole number of milliseconds: a Gateway API duration (GEP-2257) counts whole hours, minutes, seconds and milliseconds, '
      + 'nothing shorter; round it to whole milliseconds, for example Duration.millis(2)');
    // below one millisecond but not zero: refused, never rounded to 0s (which would turn the timeout off)
    expectError(() => routeWith({ backendTimeout: Duration.seconds(0.0004) }),
      /^shop\/r: rules\[0\]\.backendTimeout \("0\.4ms"\) is not a whole number of milliseconds: .*; round it to whole milliseconds, for example Duration\.millis\(1\)$/);
  });

  test('a timeout longer than the longest Gateway API duration (99999h59m59s999ms)', () => {
    expectError(() => routeWith({ timeout: Duration.hours(100000) }),
      'shop/r: rules[0].timeout ("100000h") is longer than 99999h59m59s999ms, the longest Gateway API duration (GEP-2257: at most five digits per unit); '
      + 'use a shorter timeout, or Duration.seconds(0), which turns the timeout off');
    expect(timeoutsOf(routeWith({ timeout: Duration.millis(99999 * 3_600_000 + 3_599_999) }))).toEqual({ request: '99999h59m59s999ms' });
  });

  test('durations render in the canonical Gateway API form: each unit once, largest first; zero is 0s', () => {
    expect(timeoutsOf(routeWith({ timeout: Duration.minutes(2), backendTimeout: Duration.millis(1500) }))).toEqual({ request: '2m', backendRequest: '1s500ms' });
    expect(timeoutsOf(routeWith({ timeout: Duration.hours(30) }))).toEqual({ request: '30h' });
    expect(timeoutsOf(routeWith({ timeout: Duration.millis(100500) }))).toEqual({ request: '1m40s500ms' });
    expect(timeoutsOf(routeWith({ timeout: Duration.days(2), backendTimeout: Duration.seconds(3661.001) }))).toEqual({ request: '48h', backendRequest: '1h1m1s1ms' });
    expect(timeoutsOf(routeWith({ timeout: Duration.seconds(10), backendTimeout: Duration.millis(999) }))).toEqual({ request: '10s', backendRequest: '999ms' });
    expect(timeoutsOf(routeWith({ timeout: Duration.seconds(0) }))).toEqual({ request: '0s' });
  });

  test('every rendered duration matches the HTTPRoute CRD pattern and reads back as the same milliseconds', () => {
    const crd = JSON.parse(fs.readFileSync(crdSchemaPath('gateway.networking.k8s.io/v1', 'HTTPRoute')!, 'utf-8'));
    const timeouts = crd.properties.spec.properties.rules.items.properties.timeouts.properties;
    expect(timeouts.backendRequest.pattern).toBe(timeouts.request.pattern);
    const pattern = new RegExp(timeouts.request.pattern);
    const UNIT: { [u: string]: number } = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
    const parse = (text: string) => [...text.matchAll(/(\d+)(ms|h|m|s)/g)].reduce((sum, m) => sum + Number(m[1]) * UNIT[m[2]], 0);
    const cases = [0, 1, 999, 1000, 1001, 59_999, 60_000, 100_500, 3_600_000, 30 * 3_600_000, 108_000_000, 3_661_001, 99_999 * 3_600_000 + 3_599_999];
    for (const ms of cases) {
      const objs = routeWith({ timeout: Duration.millis(ms), backendTimeout: Duration.millis(ms) });
      const { request, backendRequest } = timeoutsOf(objs);
      expect([ms, pattern.test(request), parse(request)]).toEqual([ms, true, ms]);
      expect(backendRequest).toBe(request);
      expectValid(objs);
    }
    // the check can fail: the old whole-milliseconds form of 30h does not match the pattern
    expect(pattern.test('108000000ms')).toBe(false);
  });

  test('a zero request timeout turns it off, so a backend timeout may be longer; a non-zero one still bounds it', () => {
    expect(timeoutsOf(routeWith({ timeout: Duration.seconds(0), backendTimeout: Duration.seconds(5) }))).toEqual({ request: '0s', backendRequest: '5s' });
    expect(timeoutsOf(routeWith({ timeout: Duration.seconds(5), backendTimeout: Duration.seconds(0) }))).toEqual({ request: '5s', backendRequest: '0s' });
    expectError(() => routeWith({ timeout: Duration.minutes(1), backendTimeout: Duration.millis(60_001) }),
      'shop/r: rules[0].backendTimeout ("1m1ms") must be at most timeout (1m); lower backendTimeout or raise timeout');
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
});
