/**
 * Paths, limits, equivalent routes and TLS Secrets as the API server, the Gateway API CRD and cert-manager see
 * them: what HttpIngress and HttpRoute refuse themselves, and what the whole-output check refuses across objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { expectError, one, testChart, validationErrors } from './traffic-util';
import { Errors } from '../../../lib/core';
import {
  AlbScheme, App, HttpIngress, HttpIngressProps, HttpMethod, HttpRoute, HttpRouteMatch, HttpRoutePathType, HttpRouteProps, IngressPathType, IngressTls, NetworkPeer, WebService,
} from '../../../lib/k8s';
import { outputProblems } from '../../../lib/policy/output-check';
import { quietly } from '../../util/k8s';
import { expectValid } from '../../util/schema';
import { cluster as clusterProfile } from '../platform/fixtures';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function app(): App {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-routes-'));
  dirs.push(d);
  return new App({ outdir: d, policy: false });
}

/** The message of the shipshape validation error `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    expect(Errors.isValidationError(e)).toBe(true);
    return e.message;
  }
  throw new Error('expected an error');
}

function ingress(props: Partial<HttpIngressProps> & { path?: string; pathType?: IngressPathType; host?: string } = {}): { chart: Chart; api: WebService; ing: HttpIngress } {
  const chart = testChart();
  const api = new WebService(chart, 'api', { image: IMAGE });
  const { path: p, pathType, host, ...rest } = props;
  const ing = new HttpIngress(chart, 'web', {
    rules: [{ host: host ?? 'shop.example.com', paths: [{ backend: api, path: p, pathType }] }],
    tls: IngressTls.secret('shop-tls'),
    ...rest,
  });
  return { chart, api, ing };
}

function route(matches: HttpRouteMatch[] | undefined, props: Partial<HttpRouteProps> = {}): { chart: Chart; api: WebService; route: HttpRoute } {
  const chart = testChart();
  const api = new WebService(chart, 'api', { image: IMAGE });
  const r = new HttpRoute(chart, 'shop', {
    gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
    hostnames: ['shop.example.com'],
    rules: [{ matches, backends: [{ service: api }] }],
    ...props,
  });
  return { chart, api, route: r };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('1. paths are validated as the API server (Ingress) and the HTTPRoute CRD validate them', () => {
  test.each([
    ['/a//b', "must not contain '//'", '"/a/b"'],
    ['/a/./b', "must not contain '/./'", '"/a/b"'],
    ['/a/../b', "must not contain '/../'", '"/b"'],
    ['/a%2fb', "must not contain '%2f' (an encoded '/')", '"/a/b"'],
    ['/a%2Fb', "must not contain '%2F' (an encoded '/')", '"/a/b"'],
    ['/a/.', "must not end with '/.'", '"/a/"'],
    ['/a/..', "must not end with '/..'", '"/"'],
  ])('Ingress Prefix path %s is refused', (p, rule, fix) => {
    expectError(() => ingress({ path: p }), new RegExp(`^shop/web: rules\\[0\\]\\.paths\\[0\\]\\.path \\(${esc(JSON.stringify(p))}\\) ${esc(rule)} \\(the API server refuses it in an Ingress path of pathType Prefix\\); .*${esc(fix)}`));
  });

  test('Ingress Exact paths are checked too (also through addPath); ImplementationSpecific is left to the controller', () => {
    expectError(() => ingress({ path: '/x//', pathType: IngressPathType.EXACT }),
      "shop/web: rules[0].paths[0].path (\"/x//\") must not contain '//' (the API server refuses it in an Ingress path of pathType Exact); use \"/x/\"");
    const { api, ing } = ingress();
    expectError(() => ing.addPath('shop.example.com', { path: '/v1/../admin', backend: api }),
      /shop\/web: addPath\("shop\.example\.com"\)\.path \("\/v1\/\.\.\/admin"\) must not contain '\/\.\.\/'/);
    const { chart } = ingress({ path: '/a//b', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC });
    expect(one(chart.toJson(), 'Ingress').spec.rules[0].http.paths[0].path).toBe('/a//b');
  });

  test('valid paths (dots inside segments, percent-encoding, a trailing slash) still synthesize and validate', () => {
    // percent-encoding is the API server's to accept; ingress-nginx's own admission refuses '%' (see its test below)
    const traefik = { ingressClassName: 'traefik', controller: NetworkPeer.ingressController('traefik', { 'app.kubernetes.io/name': 'traefik' }) };
    const { chart, api, ing } = ingress({ path: '/v1.2/..hidden/a%20b/', ...traefik });
    ing.addPath('shop.example.com', { path: '/.well-known/acme', pathType: IngressPathType.EXACT, backend: api });
    expectValid(chart.toJson());
    const r = route([{ path: "/api/v1/users/~me;x=1@a:b!$&'()*+,=" }, { path: '/a%20b', pathType: HttpRoutePathType.EXACT }]);
    expectValid(r.chart.toJson());
  });

  test.each([
    ['/a//b', "must not contain '//'"],
    ['/a/./b', "must not contain '/./'"],
    ['/a/../b', "must not contain '/../'"],
    ['/a%2fb', "must not contain '%2f' (an encoded '/')"],
    ['/a%2Fb', "must not contain '%2F' (an encoded '/')"],
    ['/a#top', "must not contain '#' (it starts the URL fragment, which clients never send)"],
    ['/a/.', "must not end with '/.'"],
    ['/a/..', "must not end with '/..'"],
  ])('HTTPRoute PathPrefix path %s is refused with the CRD rule', (p, rule) => {
    expectError(() => route([{ path: p }]), new RegExp(`^shop/shop: rules\\[0\\]\\.matches\\[0\\]\\.path \\(${esc(JSON.stringify(p))}\\) ${esc(rule)} \\(the HTTPRoute CRD refuses it in a PathPrefix match\\); `));
  });

  test('HTTPRoute paths outside the RFC 3986 characters (the CRD pattern) are refused with the encoding to use; Exact too', () => {
    expectError(() => route([{ path: '/a b' }]),
      'shop/shop: rules[0].matches[0].path ("/a b") contains " ", which is not an RFC 3986 path character (pattern ^(?:[-A-Za-z0-9/._~!$&\'()*+,;=:@]|%[0-9a-fA-F]{2})+$) (the HTTPRoute CRD refuses it in a PathPrefix match); percent-encode it as "%20"');
    expectError(() => route([{ path: '/search?q=1', pathType: HttpRoutePathType.EXACT }]), /\("\/search\?q=1"\) contains "\?", .*Exact match\); percent-encode it as "%3F"/);
    expectError(() => route([{ path: '/100%' }]), /\("\/100%"\) contains "%", .*percent-encode it as "%25"/);
    expectError(() => route([{ path: '/caf\u00e9' }]), /contains "\u00e9", .*percent-encode it as "%C3%A9"/);
    expectError(() => route([{ path: '/' + 'a'.repeat(1024) }]), /is 1025 characters long, more than the 1024 allowed/);
  });

  test('under ingress-nginx (class nginx), a regular expression with the default pathType Prefix is refused: ImplementationSpecific and use-regex', () => {
    expectError(() => ingress({ path: '/api/(.*)' }),
      'shop/web: rules[0].paths[0].path ("/api/(.*)") holds "(", a regular expression character, but a Prefix path is never a regular expression, and ingress-nginx '
      + '(ingress class "nginx") refuses any character but letters, digits, \'.\', \'_\', \'-\' and \'/\' in a Prefix path (its admission webhook answers '
      + '"path /api/(.*) cannot be used with pathType Prefix"; strict-validate-path-type, on by default since controller v1.12); for a regular expression set '
      + "pathType: IngressPathType.IMPLEMENTATION_SPECIFIC and annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } (ingress-nginx then reads every path "
      + 'of the host as a regular expression, in every Ingress of the class); for everything below /api/, write path "/api/" with pathType Prefix');
  });

  test('under ingress-nginx, an Exact path with a character its admission refuses (not a regular expression) names ImplementationSpecific', () => {
    const { api, ing } = ingress();
    expectError(() => ing.addPath('shop.example.com', { path: '/api/v1/schedules:batchDelete', pathType: IngressPathType.EXACT, backend: api }),
      'shop/web: addPath("shop.example.com").path ("/api/v1/schedules:batchDelete") holds ":", and ingress-nginx (ingress class "nginx") refuses any character but '
      + 'letters, digits, \'.\', \'_\', \'-\' and \'/\' in an Exact path (its admission webhook answers "path /api/v1/schedules:batchDelete cannot be used with pathType Exact"; '
      + 'strict-validate-path-type, on by default since controller v1.12); set pathType: IngressPathType.IMPLEMENTATION_SPECIFIC (ingress-nginx matches such a path '
      + 'as a prefix), or write the path without ":"');
  });

  test('a regular expression with ImplementationSpecific and use-regex synthesizes under ingress-nginx', () => {
    const { chart } = ingress({ path: '/api/(.*)', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC, annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } });
    const objs = chart.toJson();
    expect(one(objs, 'Ingress').spec.rules[0].http.paths[0]).toMatchObject({ path: '/api/(.*)', pathType: 'ImplementationSpecific' });
    expectValid(objs);
  });

  test('under ingress-nginx, a regular expression with ImplementationSpecific but no use-regex (nor rewrite-target) is refused: it would match literally', () => {
    expectError(() => ingress({ path: '/api/(.*)', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC }),
      'shop/web: rules[0].paths[0].path ("/api/(.*)") holds "(", a regular expression character, but without the annotation nginx.ingress.kubernetes.io/use-regex: "true" '
      + 'ingress-nginx (ingress class "nginx") matches the path literally, as a prefix, so no request would match it; '
      + "add annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } (ingress-nginx then reads every path of the host as a regular expression, in every Ingress of the class), "
      + 'or write the path without it');
    // rewrite-target makes ingress-nginx read the paths as regular expressions too; a literal ImplementationSpecific path needs nothing
    expect(() => ingress({ path: '/api/(.*)', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC, annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$1' } })).not.toThrow();
    expect(() => ingress({ path: '/static/app.js', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC })).not.toThrow();
  });

  test("the cluster's profile says which controller serves a class: ingress-nginx's class of another name is checked, another controller's nginx class is not", () => {
    const inCluster = (ic: { name: string; controller: string }) => {
      const a = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-routes-')), cluster: clusterProfile({ ingressClasses: [{ ...ic, isDefault: true }] }) });
      dirs.push(a.outdir);
      const chart = new Chart(a, 'shop', { namespace: 'shop' });
      return () => new HttpIngress(chart, 'web', {
        rules: [{ host: 'shop.example.com', paths: [{ path: '/api/(.*)', backend: new WebService(chart, 'api', { image: IMAGE }) }] }],
        tls: IngressTls.secret('shop-tls'),
      });
    };
    expectError(inCluster({ name: 'public', controller: 'k8s.io/ingress-nginx' }), 'shop/web: rules[0].paths[0].path ("/api/(.*)") holds "(", a regular expression character, '
      + 'but a Prefix path is never a regular expression, and ingress-nginx (ingress class "public") refuses');
    expect(inCluster({ name: 'nginx', controller: 'nginx.org/ingress-controller' })).not.toThrow();
  });

  test('an HTTPRoute rule with more than 64 matches is refused (CRD maxItems 64); 64 are fine', () => {
    const many = (n: number, prefix = '/p') => Array.from({ length: n }, (_, i) => ({ path: `${prefix}${i}` }));
    expectError(() => route(many(65)),
      'shop/shop: rules[0].matches ("65 matches") must hold at most 64 matches (HTTPRoute CRD maxItems: the API server refuses the route); split the matches over several rules with the same backends');
    expectValid(route(many(64)).chart.toJson());
  });

  test('an HTTPRoute with 128 matches across its rules is refused (CRD rule: fewer than 128); 127 are fine', () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ path: `${prefix}${i}` }));
    const { api, route: r } = route(many(64, '/a'));
    expectError(() => r.addRule({ matches: many(64, '/b'), backends: [{ service: api }] }),
      'shop/shop: rules[1].matches ("64 matches") would bring the route to 128 matches across its rules; the HTTPRoute CRD allows fewer than 128 in all (the API server refuses the route); split the rules over several HttpRoutes (same gateway and hostnames)');
    const ok = route(many(64, '/a'));
    ok.route.addRule({ matches: many(63, '/b'), backends: [{ service: ok.api }] });
    expectValid(ok.chart.toJson());
  });

  test('other CRD limits a route can exceed: 16 rules, 16 hostnames, 16 backends per rule, 16 headers per match', () => {
    const { api, route: r } = route(undefined);
    for (let i = 1; i < 16; i++) r.addRule({ matches: [{ path: `/r${i}` }], backends: [{ service: api }] });
    expectError(() => r.addRule({ matches: [{ path: '/r16' }], backends: [{ service: api }] }), 'shop/shop: rules[16] (17) exceeds the 16 rules an HTTPRoute may hold (Gateway API limit)');
    expectError(() => route(undefined, { hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }), 'shop/shop: hostnames (17) must hold at most 16 hostnames (Gateway API limit)');
    const b = route([{ path: '/x' }]);
    expectError(() => b.route.addRule({ backends: Array.from({ length: 17 }, () => ({ service: b.api })) }), 'shop/shop: rules[1].backends (17) must hold at most 16 backends (Gateway API limit)');
    const headers = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`x-h${i}`, 'v']));
    expectError(() => route([{ path: '/x', headers }]), 'shop/shop: rules[0].matches[0].headers ("17 headers") must hold at most 16 headers (HTTPRoute CRD maxItems); match on fewer headers');
  });

  test('header values outside the CRD pattern are refused', () => {
    expectError(() => route([{ path: '/x', headers: { 'x-canary': ' yes' } }]),
      'shop/shop: rules[0].matches[0].headers["x-canary"] (" yes") must be 1 to 4096 visible ASCII characters, with single spaces or tabs between words and none at either end (HTTPRoute CRD pattern); trim the value and remove control and non-ASCII characters');
    expectError(() => route([{ path: '/x', headers: { 'x-canary': '' } }]), /headers\["x-canary"\] \(""\) must be 1 to 4096 visible ASCII characters/);
  });
});

describe('2. one TLS Secret written by cert-manager for different hosts is refused across the output', () => {
  function twoIngresses(hostB: string, createCertificate: boolean, secretB = 'shared-tls', nsB = 'shop'): App {
    const a = app();
    const c = new Chart(a, 'c', { namespace: 'shop' });
    const d = nsB === 'shop' ? c : new Chart(a, 'd', { namespace: nsB });
    new HttpIngress(c, 'i1', {
      rules: [{ host: 'a.example.com', paths: [{ backend: new WebService(c, 'a', { image: IMAGE }) }] }],
      tls: IngressTls.certManager({ issuer: 'le', secretName: 'shared-tls', createCertificate }),
    });
    new HttpIngress(d, 'i2', {
      rules: [{ host: hostB, paths: [{ backend: new WebService(d, 'b', { image: IMAGE }) }] }],
      tls: IngressTls.certManager({ issuer: 'le', secretName: secretB, createCertificate }),
    });
    return a;
  }

  test('two Certificates (createCertificate) into one Secret for different hosts: synth fails naming both construct paths', () => {
    const msg = errorOf(() => quietly(() => twoIngresses('b.example.com', true).synth()));
    expect(msg).toContain('c/i2/Certificate: spec.secretName ("shared-tls") asks cert-manager for a certificate of b.example.com in Secret shop/shared-tls, '
      + 'but c/i1/Certificate (Certificate shop/i1, spec.secretName) asks for one of a.example.com in the same Secret: cert-manager keeps one certificate per Secret, '
      + 'so the two overwrite each other in turn and a host is served a certificate without its name; give each its own secretName, or list the same hosts in both');
  });

  test("two Ingresses through cert-manager's ingress-shim (issuer annotation) into one Secret for different hosts: refused", () => {
    const msg = errorOf(() => quietly(() => twoIngresses('b.example.com', false).synth()));
    expect(msg).toContain('c/i2/Ingress: spec.tls[0].secretName ("shared-tls") asks cert-manager for a certificate of b.example.com in Secret shop/shared-tls, '
      + "but c/i1/Ingress (Ingress shop/i1, through cert-manager's ingress-shim, spec.tls[0].secretName) asks for one of a.example.com in the same Secret");
  });

  test('the same hosts, another secretName, or another namespace are fine', () => {
    const out = (a: App) => quietly(() => a.synth());
    expect(() => out(twoIngresses('b.example.com', true, 'b-tls'))).not.toThrow();
    expect(() => out(twoIngresses('b.example.com', true, 'shared-tls', 'other'))).not.toThrow();
    // the same host set in one Secret: one certificate serves both (the routes differ by path)
    const a = app();
    const c = new Chart(a, 'c', { namespace: 'shop' });
    for (const [id, p] of [['i1', '/a'], ['i2', '/b']]) {
      new HttpIngress(c, id, {
        rules: [{ host: 'a.example.com', paths: [{ path: p, backend: new WebService(c, `svc-${id}`, { image: IMAGE }) }] }],
        tls: IngressTls.certManager({ issuer: 'le', secretName: 'shared-tls', createCertificate: true }),
      });
    }
    expect(() => out(a)).not.toThrow();
  });

  test('an Ingress that only reads the Secret (IngressTls.secret) is not a writer', () => {
    const a = app();
    const c = new Chart(a, 'c', { namespace: 'shop' });
    new HttpIngress(c, 'i1', { rules: [{ host: 'a.example.com', paths: [{ backend: new WebService(c, 'a', { image: IMAGE }) }] }], tls: IngressTls.certManager({ issuer: 'le', secretName: 'shared-tls' }) });
    new HttpIngress(c, 'i2', { rules: [{ host: 'b.example.com', paths: [{ backend: new WebService(c, 'b', { image: IMAGE }) }] }], tls: IngressTls.secret('shared-tls') });
    expect(() => quietly(() => a.synth())).not.toThrow();
  });
});

describe('3. equivalent routes are refused', () => {
  test("Ingress: '/api' and '/api/' (Prefix) on one host in two Ingresses fail synth", () => {
    const a = app();
    const c = new Chart(a, 'c', { namespace: 'shop' });
    for (const [id, p] of [['i1', '/api'], ['i2', '/api/']]) {
      new HttpIngress(c, id, { rules: [{ host: 'shop.example.com', paths: [{ path: p, backend: new WebService(c, `svc-${id}`, { image: IMAGE }) }] }], tls: IngressTls.secret('shop-tls') });
    }
    const msg = errorOf(() => quietly(() => a.synth()));
    expect(msg).toContain('c/i2/Ingress: spec.rules[0].http.paths[0] (host "shop.example.com", path "/api/" (Prefix), ingress class "nginx") is also routed by c/i1/Ingress '
      + "(Ingress shop/i1, spec.rules[0].http.paths[0]) as path \"/api\": a prefix match ignores a trailing '/'; a controller sends the traffic to only one of them: "
      + 'give each route its own host or path, or merge them into one');
  });

  test("Ingress: '/api' and '/api/' Prefix in one HttpIngress are refused at once; Exact '/api' beside Exact '/api/' stays allowed", () => {
    const { api, ing } = ingress({ path: '/api' });
    expectError(() => ing.addPath('shop.example.com', { path: '/api/', backend: api }),
      'shop/web: addPath("shop.example.com").path ("/api/") is already routed on shop.example.com as "/api" (a Prefix match ignores a trailing \'/\') (to api): '
      + 'each host and path may appear once; remove one of the two paths, or change its host or path');
    const ex = ingress({ path: '/api', pathType: IngressPathType.EXACT });
    ex.ing.addPath('shop.example.com', { path: '/api/', pathType: IngressPathType.EXACT, backend: ex.api });
    expect(one(ex.chart.toJson(), 'Ingress').spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/api', '/api/']);
  });

  function twoRoutes(a: App, first: { sectionName?: string; path: string }, second: { sectionName?: string; path: string }): void {
    const c = new Chart(a, 'c', { namespace: 'shop' });
    [first, second].forEach((r, i) => {
      new HttpRoute(c, `r${i + 1}`, {
        gateway: { name: 'public', namespace: 'gateways', sectionName: r.sectionName },
        plainHttp: r.sectionName === undefined,
        hostnames: ['shop.example.com'],
        rules: [{ matches: [{ path: r.path }], backends: [{ service: new WebService(c, `svc${i + 1}`, { image: IMAGE }) }] }],
      });
    });
  }

  test("HTTPRoute: '/api' and '/api/' PathPrefix on one Gateway listener fail synth", () => {
    const a = app();
    twoRoutes(a, { sectionName: 'https', path: '/api' }, { sectionName: 'https', path: '/api/' });
    expect(errorOf(() => quietly(() => a.synth()))).toContain('c/r2/HTTPRoute: spec.rules[0].matches[0] (host "shop.example.com", path "/api/" (PathPrefix), gateway gateways/public/https) '
      + "is also routed by c/r1/HTTPRoute (HTTPRoute shop/r1, spec.rules[0].matches[0]) as path \"/api\": a prefix match ignores a trailing '/'; a controller sends the traffic to only one of them");
  });

  test('HTTPRoute: a parentRef by port reaches the listeners of the output\'s Gateway on that port, and only those', () => {
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'infra' },
      spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }, { name: 'https', protocol: 'HTTPS', port: 443 }] },
    };
    const routeOf = (name: string, parent: any) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: 'shop' },
      spec: { parentRefs: [{ name: 'public', namespace: 'infra', ...parent }], hostnames: ['shop.example.com'], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }] }] },
    });
    const objs = (a: any, b: any) => [gw, routeOf('a', a), routeOf('b', b)].map((manifest, i) => ({ manifest, path: `out/${i}` }));
    expect(outputProblems(objs({ sectionName: 'https' }, { port: 443 }))).toEqual([
      'out/2: spec.rules[0].matches[0] (host "shop.example.com", path "/api" (PathPrefix), gateway infra/public by port 443) is also routed by out/1 (HTTPRoute shop/a, spec.rules[0].matches[0]) '
      + 'on listener "https": HTTPRoute shop/a names sectionName "https" and HTTPRoute shop/b attaches by port 443, which both reach it; '
      + 'a controller sends the traffic to only one of them: give each route its own host or path, or merge them into one',
    ]);
    // port 80 is the other listener: no conflict
    expect(outputProblems(objs({ sectionName: 'https' }, { port: 80 }))).toEqual([]);
  });

  test('HTTPRoute: a route without sectionName conflicts with one on the https listener (it attaches to every listener)', () => {
    const a = app();
    twoRoutes(a, { sectionName: 'https', path: '/api' }, { path: '/api' });
    expect(errorOf(() => quietly(() => a.synth()))).toContain('c/r2/HTTPRoute: spec.rules[0].matches[0] (host "shop.example.com", path "/api" (PathPrefix), gateway gateways/public) '
      + 'is also routed by c/r1/HTTPRoute (HTTPRoute shop/r1, spec.rules[0].matches[0]) on listener "https": HTTPRoute shop/r2 names no sectionName nor port, so it attaches to every listener '
      + 'of the Gateway, "https" included; a controller sends the traffic to only one of them: give each route its own host or path, or merge them into one, or attach each to a listener of its own with sectionName');
    const b = app();
    twoRoutes(b, { path: '/api' }, { sectionName: 'https', path: '/api' });
    expect(errorOf(() => quietly(() => b.synth()))).toMatch(/c\/r2\/HTTPRoute: .* is also routed by c\/r1\/HTTPRoute .* on listener "https": HTTPRoute shop\/r1 names no sectionName/);
  });

  test('HTTPRoute: two listeners (https and admin) with the same path are distinct; so are different paths', () => {
    const a = app();
    twoRoutes(a, { sectionName: 'https', path: '/api' }, { sectionName: 'admin', path: '/api' });
    expect(() => quietly(() => a.synth())).not.toThrow();
    const b = app();
    twoRoutes(b, { sectionName: 'https', path: '/api' }, { path: '/apix' });
    expect(() => quietly(() => b.synth())).not.toThrow();
  });

  function headerRoutes(a: App, first: { headers?: { [k: string]: string }; method?: HttpMethod }, second: { headers?: { [k: string]: string }; method?: HttpMethod }): void {
    const c = new Chart(a, 'c', { namespace: 'shop' });
    [first, second].forEach((m, i) => {
      new HttpRoute(c, `r${i + 1}`, {
        gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
        hostnames: ['shop.example.com'],
        rules: [{ matches: [{ path: '/api', ...m }], backends: [{ service: new WebService(c, `svc${i + 1}`, { image: IMAGE }) }] }],
      });
    });
  }

  test('HTTPRoute: two routes with the same path and the same header match (names in any case) conflict', () => {
    const a = app();
    headerRoutes(a, { headers: { 'x-canary': 'yes' } }, { headers: { 'X-Canary': 'yes' } });
    expect(errorOf(() => quietly(() => a.synth()))).toContain('c/r2/HTTPRoute: spec.rules[0].matches[0] (host "shop.example.com", path "/api" (PathPrefix), header x-canary=yes, '
      + 'gateway gateways/public/https) is also routed by c/r1/HTTPRoute (HTTPRoute shop/r1, spec.rules[0].matches[0]); a controller sends the traffic to only one of them');
  });

  test('HTTPRoute: two routes with the same path and method conflict; other methods or header values are distinct routes', () => {
    const a = app();
    headerRoutes(a, { method: HttpMethod.GET }, { method: HttpMethod.GET });
    expect(errorOf(() => quietly(() => a.synth()))).toMatch(/c\/r2\/HTTPRoute: spec\.rules\[0\]\.matches\[0\] \(host "shop\.example\.com", path "\/api" \(PathPrefix\), method GET, gateway gateways\/public\/https\) is also routed by c\/r1\/HTTPRoute/);
    const b = app();
    headerRoutes(b, { method: HttpMethod.GET }, { method: HttpMethod.POST });
    expect(() => quietly(() => b.synth())).not.toThrow();
    const c = app();
    headerRoutes(c, { headers: { 'x-canary': 'yes' } }, { headers: { 'x-canary': 'no' } });
    expect(() => quietly(() => c.synth())).not.toThrow();
    const d = app();
    headerRoutes(d, { headers: { 'x-canary': 'yes' } }, {});
    expect(() => quietly(() => d.synth())).not.toThrow();
  });

  test("HTTPRoute: '/api' and '/api/' PathPrefix in one route are refused at once", () => {
    expectError(() => route([{ path: '/api' }, { path: '/api/' }]),
      'shop/shop: rules[0].matches[1] ({"path":"/api/"}) duplicates matches[0] of the same rule (a PathPrefix match ignores a trailing \'/\', header names are case-insensitive): '
      + 'the same requests would be routed twice; remove one of the matches or make them differ (path, headers or method)');
    const { api, route: r } = route([{ path: '/api/' }]);
    expectError(() => r.addRule({ matches: [{ path: '/api' }], backends: [{ service: api }] }), 'shop/shop: rules[1].matches[0] ({"path":"/api"}) duplicates a match of rules[0] (');
  });
});

describe('3b. one ALB IngressGroup, one setting of its load balancer', () => {
  function grouped(a: App, first: Partial<HttpIngressProps>, second: Partial<HttpIngressProps>): void {
    const c = new Chart(a, 'c', { namespace: 'shop' });
    [first, second].forEach((p, i) => {
      new HttpIngress(c, `i${i + 1}`, {
        ingressClassName: 'alb',
        rules: [{ host: `h${i + 1}.example.com`, paths: [{ backend: new WebService(c, `svc${i + 1}`, { image: IMAGE }) }] }],
        tls: IngressTls.acmByHost(),
        ...p,
        aws: { vpcCidr: '10.0.0.0/16', groupName: 'g', ...p.aws },
      });
    });
  }

  test('two Ingresses of one group with different schemes fail synth, naming both, the group and the prop', () => {
    const a = app();
    grouped(a, { aws: { scheme: AlbScheme.INTERNET_FACING } }, {});
    expect(errorOf(() => quietly(() => a.synth()))).toContain('c/i2/Ingress: metadata.annotations["alb.ingress.kubernetes.io/scheme"] ("internal") differs from "internet-facing" on c/i1/Ingress '
      + '(Ingress shop/i1), in the same ALB IngressGroup "g": the AWS Load Balancer Controller takes this setting of the group\'s load balancer from one Ingress, '
      + 'or the same value on all of them, and reconciles none of the group otherwise; give both the same value (aws.scheme of an HttpIngress), '
      + 'set it on one Ingress of the group only, or put them in different groups');
  });

  test('different SSL policies in one group fail; the same settings, or different groups, are fine', () => {
    const a = app();
    grouped(a, {}, { aws: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' } });
    expect(errorOf(() => quietly(() => a.synth()))).toContain('c/i2/Ingress: metadata.annotations["alb.ingress.kubernetes.io/ssl-policy"] ("ELBSecurityPolicy-TLS13-1-3-2021-06") differs from');
    const b = app();
    grouped(b, { aws: { scheme: AlbScheme.INTERNET_FACING } }, { aws: { scheme: AlbScheme.INTERNET_FACING } });
    expect(() => quietly(() => b.synth())).not.toThrow();
    const c = app();
    grouped(c, { aws: { scheme: AlbScheme.INTERNET_FACING } }, { aws: { groupName: 'other' } });
    expect(() => quietly(() => c.synth())).not.toThrow();
  });
});

describe('4. a wildcard host with cert-manager needs an explicit DNS-01 choice', () => {
  test('wildcard host with the default HTTP-01 solver is refused with what to set', () => {
    expectError(() => ingress({ host: '*.example.com', tls: IngressTls.certManager({ issuer: 'letsencrypt-prod' }) }),
      "shop/web: rules[0].host (\"*.example.com\") is a wildcard, which an ACME CA such as Let's Encrypt issues over the DNS-01 challenge only, not over the HTTP-01 challenge this ingress "
      + 'prepares for cert-manager by default (tls http01Solver, default true); solve DNS-01 for the wildcard in the issuer and say so with IngressTls.certManager({ ..., http01Solver: false })');
    const { api, ing } = ingress({ tls: IngressTls.certManager({ issuer: 'letsencrypt-prod', createCertificate: true }) });
    expectError(() => ing.addPath('*.shop.example.com', { backend: api }), /shop\/web: host \("\*\.shop\.example\.com"\) is a wildcard/);
  });

  test('http01Solver: false (DNS-01 or a non-ACME issuer) issues the wildcard, without the solver policy', () => {
    const { chart, ing } = ingress({ host: '*.example.com', tls: IngressTls.certManager({ issuer: 'letsencrypt-dns', http01Solver: false, createCertificate: true }) });
    const objs = chart.toJson();
    expect(one(objs, 'Certificate').spec.dnsNames).toEqual(['*.example.com']);
    expect(ing.acmeSolverPolicy).toBeUndefined();
    expectValid(objs);
  });

  test('http01Solver: true with a wildcard beside other hosts is kept (HTTP-01 for them, DNS-01 for the wildcard); with only wildcards it is refused', () => {
    const mixed = ingress({ tls: IngressTls.certManager({ issuer: 'le', http01Solver: true }) });
    mixed.ing.addPath('*.example.com', { backend: mixed.api });
    expect(validationErrors(mixed.chart)).toEqual([]);
    expect(mixed.ing.acmeSolverPolicy).toBeDefined();
    const only = ingress({ host: '*.example.com', tls: IngressTls.certManager({ issuer: 'le', http01Solver: true }) });
    expect(validationErrors(only.chart)).toEqual([
      "shop/web: tls http01Solver (true) prepares cert-manager's ACME HTTP-01 challenge, but every host of the ingress (*.example.com) is a wildcard, "
      + "which an ACME CA such as Let's Encrypt issues over the DNS-01 challenge only; solve DNS-01 in the issuer and set http01Solver: false",
    ]);
  });

  test('non-wildcard hosts and other TLS kinds with wildcards keep working', () => {
    expect(validationErrors(ingress({ tls: IngressTls.certManager({ issuer: 'le' }) }).chart)).toEqual([]);
    expect(validationErrors(ingress({ host: '*.example.com', tls: IngressTls.secret('wild-tls') }).chart)).toEqual([]);
  });
});

describe('5. regular expressions and header names', () => {
  test('a RegularExpression path that does not compile is refused; RE2 syntax (named groups, flags) is accepted', () => {
    expectError(() => route([{ path: '^/v([0-9]+/', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]),
      /^shop\/shop: rules\[0\]\.matches\[0\]\.path \("\^\/v\(\[0-9\]\+\/"\) is not a valid regular expression: .*Unterminated group; fix the expression \(gateways such as Envoy use RE2 syntax: no lookaround, no backreference\)/);
    expectError(() => route([{ path: '/a[b', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]), /is not a valid regular expression: .*Unterminated character class/);
    expectError(() => route([{ path: '/a)', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]), /is not a valid regular expression/);
    expectError(() => route([{ path: '*/a', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]), /is not a valid regular expression: .*Nothing to repeat/);
    const { chart } = route([{ path: '(?i)^/(?P<ver>v[0-9]+)/[a-z(]+\\(x\\)$', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]);
    expect(one(chart.toJson(), 'HTTPRoute').spec.rules[0].matches[0].path).toEqual({ type: 'RegularExpression', value: '(?i)^/(?P<ver>v[0-9]+)/[a-z(]+\\(x\\)$' });
  });

  test('lookarounds and backreferences (not in RE2) are refused', () => {
    expectError(() => route([{ path: '^/(?!admin)', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]),
      'shop/shop: rules[0].matches[0].path ("^/(?!admin)") is not a valid regular expression: "(?!" is a lookaround, which RE2 does not support; fix the expression');
    expectError(() => route([{ path: '^/(?<=x)y', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]), /"\(\?<=" is a lookaround/);
    expectError(() => route([{ path: '^/(a)\\1', pathType: HttpRoutePathType.REGULAR_EXPRESSION }]), /\\1 is a backreference, which RE2 does not support/);
  });

  test('header names that differ only in case in one match are refused', () => {
    expectError(() => route([{ path: '/api', headers: { 'X-Canary': 'true', 'x-canary': 'false' } }]),
      'shop/shop: rules[0].matches[0].headers ("x-canary") names the header "X-Canary" again: header names are case-insensitive, and the Gateway API uses only the first of two equivalent names; keep one of "X-Canary" and "x-canary"');
  });

  test('matches that differ only in header-name case are duplicates', () => {
    const { api, route: r } = route([{ path: '/api', headers: { 'X-Canary': 'true' }, method: HttpMethod.GET }]);
    expectError(() => r.addRule({ matches: [{ path: '/api', headers: { 'x-canary': 'true' }, method: HttpMethod.GET }], backends: [{ service: api }] }),
      'shop/shop: rules[1].matches[0] ({"path":"/api","headers":{"x-canary":"true"},"method":"GET"}) duplicates a match of rules[0] (');
  });
});

describe('a controller or gateway peer declared with ports', () => {
  test('HttpIngress refuses a controller peer with ports (it admits the controller on each backend\'s port)', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expect(errorOf(() => new HttpIngress(chart, 'www', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }],
      tls: IngressTls.secret('shop-tls'),
      controller: NetworkPeer.namespace('ingress-nginx', { ports: [8443] }),
    }))).toBe('shop/www: controller ("namespace ingress-nginx") is declared with ports, but the ingress admits the controller on each backend\'s own port; declare the controller peer without ports');
  });

  test('HttpRoute refuses a gateway peer with ports', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expect(errorOf(() => new HttpRoute(chart, 'r', {
      gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
      hostnames: ['shop.example.com'],
      rules: [{ backends: [{ service: api }] }],
      gatewayPeer: NetworkPeer.namespace('gateways', { ports: [8443] }),
    }))).toBe('shop/r: gatewayPeer ("namespace gateways") is declared with ports, but the route admits the Gateway on each backend\'s own port; declare the gateway peer without ports');
  });
});
