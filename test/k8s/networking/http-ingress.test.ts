import { Chart } from 'cdk8s';
import { expectError, one, policyErrors, testChart, validationErrors } from './traffic-util';
import { ClusterProfile } from '../../../lib/core';
import {
  AlbScheme, AlbTargetType, App, CertManagerIssuerKind, HttpIngress, HttpIngressProps, IngressPathType, IngressTls, NetworkPeer, Probe, WebService,
} from '../../../lib/k8s';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { expectValid } from '../../util/schema';
import { cluster as clusterProfile } from '../platform/fixtures';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function setup(props: Partial<HttpIngressProps> = {}): { chart: Chart; api: WebService; ing: HttpIngress; objs: any[] } {
  const chart = testChart();
  const api = new WebService(chart, 'api', { image: IMAGE });
  const ing = new HttpIngress(chart, 'web', {
    rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }],
    tls: IngressTls.secret('shop-tls'),
    ...props,
  });
  return { chart, api, ing, objs: chart.toJson() };
}

describe('HttpIngress defaults', () => {
  const { objs } = setup();
  const ingress = one(objs, 'Ingress');

  test('routes the host to the backend Service port with a Prefix path "/"', () => {
    expect(ingress.spec.rules).toEqual([{
      host: 'shop.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] },
    }]);
  });

  test('TLS covers every host with the given Secret', () => {
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });

  test('ingress class defaults to nginx', () => {
    expect(ingress.spec.ingressClassName).toBe('nginx');
  });

  test('name and namespace come from the id and the chart', () => {
    expect(ingress.metadata.name).toBe('web');
    expect(ingress.metadata.namespace).toBe('shop');
  });

  test("the backend's NetworkPolicy admits the ingress-nginx controller on the container port", () => {
    const np = one(objs, 'NetworkPolicy', 'api');
    expect(np.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('validates strictly (1.27 and 1.36) and passes the policy pack', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('HttpIngress options', () => {
  test('cert-manager: cluster-issuer annotation and a "<name>-tls" secret by default', () => {
    const ingress = one(setup({ tls: IngressTls.certManager({ issuer: 'letsencrypt-prod' }) }).objs, 'Ingress');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
  });

  test('cert-manager: the HTTP-01 solver pods may be reached by the ingress controller on 8089 (a default-deny namespace would block the challenge); the output stays clean', () => {
    const { objs, ing } = setup({ tls: IngressTls.certManager({ issuer: 'letsencrypt-prod' }) });
    const policy = objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-acme-solver');
    expect(policy.metadata.namespace).toBe(ing.namespace);
    expect(policy.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'acme-solver', 'app.kubernetes.io/managed-by': 'shipshape',
    });
    // the CA's request and cert-manager's self check both come through the controller, as to the backends
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ port: 8089, protocol: 'TCP' }],
      }],
    });
    const custom = setup({ tls: IngressTls.certManager({ issuer: 'letsencrypt-prod' }), ingressClassName: 'traefik', controller: NetworkPeer.ingressController('traefik', { 'app.kubernetes.io/name': 'traefik' }) });
    expect(custom.objs.find(o => o.metadata.name === 'web-acme-solver').spec.ingress[0].from)
      .toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } }]);
    expect(ing.acmeSolverPolicy).toBeDefined();
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('cert-manager: http01Solver false (a DNS-01 issuer) adds no solver policy; other TLS kinds never do', () => {
    const off = setup({ tls: IngressTls.certManager({ issuer: 'letsencrypt-dns', http01Solver: false }) });
    expect(off.objs.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name)).toEqual(['api']);
    expect(off.ing.acmeSolverPolicy).toBeUndefined();
    expect(setup().objs.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name)).toEqual(['api']);
  });

  test('cert-manager: namespaced issuer annotation', () => {
    const ingress = one(setup({ tls: IngressTls.certManager({ issuer: 'ca', issuerKind: CertManagerIssuerKind.ISSUER }) }).objs, 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'ca' });
  });

  test('cert-manager: createCertificate emits a Certificate for every host, valid against its CRD', () => {
    const { objs } = setup({ tls: IngressTls.certManager({ issuer: 'letsencrypt-prod', createCertificate: true, secretName: 'shop-cert' }) });
    const cert = one(objs, 'Certificate');
    expect(cert.spec).toMatchObject({ secretName: 'shop-cert', dnsNames: ['shop.example.com'], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' } });
    expect(one(objs, 'Ingress').metadata.annotations).toBeUndefined();
    expectValid(objs);
  });

  test('hosts added later with addPath are covered by TLS and routed', () => {
    const { chart, api, ing } = setup();
    ing.addPath('admin.example.com', { path: '/admin', pathType: IngressPathType.EXACT, backend: api });
    const ingress = one(chart.toJson(), 'Ingress');
    expect(ingress.spec.tls[0].hosts).toEqual(['shop.example.com', 'admin.example.com']);
    expect(ingress.spec.rules[1].http.paths[0]).toMatchObject({ path: '/admin', pathType: 'Exact' });
  });

  test('AWS: ALB annotations (internal, ip targets, HTTPS listener, redirect, TLS policy, ACM) and VPC CIDR admitted', () => {
    const { objs } = setup({
      tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc-123'),
      aws: { vpcCidr: '10.0.0.0/16' },
    });
    const ingress = one(objs, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 8080, protocol: 'TCP' }] });
    expectValid(objs);
  });

  test('AWS: the ALB checks each WebService backend\'s health on its readiness path (not GET /), through the backend\'s Service', () => {
    const health = (objs: any[], name: string) => one(objs, 'Service', name).metadata.annotations?.['alb.ingress.kubernetes.io/healthcheck-path'];
    expect(health(setup({ aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.acmByHost() }).objs, 'api')).toBe('/readyz');
    // a readiness probe of its own: its path; a probe that is no HTTP GET: the controller's default
    const chart = testChart();
    const custom = new WebService(chart, 'custom', { image: IMAGE, readiness: Probe.http('/health/ready'), liveness: Probe.http('/health/live') });
    const tcp = new WebService(chart, 'tcp', { image: IMAGE, readiness: Probe.tcp(), liveness: Probe.http('/livez') });
    new HttpIngress(chart, 'web', { aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.acmByHost(), rules: [{ host: 'a.example.com', paths: [{ backend: custom }, { path: '/tcp', backend: tcp }] }] });
    expect(health(chart.toJson(), 'custom')).toBe('/health/ready');
    expect(health(chart.toJson(), 'tcp')).toBeUndefined();
    // an ingress-nginx controller probes nothing: no annotation
    expect(health(setup().objs, 'api')).toBeUndefined();
    // a path the user gave the Ingress stays in force (a Service annotation would override it)
    const own = setup({ aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.acmByHost(), annotations: { 'alb.ingress.kubernetes.io/healthcheck-path': '/deep-health' } }).objs;
    expect(health(own, 'api')).toBeUndefined();
    expect(one(own, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/deep-health');
  });

  test('AWS: internet-facing scheme and an ingress group', () => {
    const ingress = one(setup({ aws: { vpcCidr: '10.0.0.0/16', scheme: AlbScheme.INTERNET_FACING, groupName: 'public' }, tls: IngressTls.acmByHost() }).objs, 'Ingress');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe('public');
  });

  test('acmByHost: the hosts in spec.tls, no Secret and no certificate ARN (the controller finds the certificate by host); HTTPS listener', () => {
    const ingress = one(setup({ aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.acmByHost() }).objs, 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP": 80}, {"HTTPS": 443}]');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
  });

  test('acmByHost without an ALB is refused like acm', () => {
    expectError(() => setup({ tls: IngressTls.acmByHost() }), /tls \("acm"\) needs the AWS Load Balancer Controller/);
  });

  test('plainHttp: true is the explicit opt-out: no tls section', () => {
    const ingress = one(setup({ tls: undefined, plainHttp: true }).objs, 'Ingress');
    expect(ingress.spec.tls).toBeUndefined();
  });

  test('a custom controller peer is admitted instead', () => {
    const { objs } = setup({ controller: NetworkPeer.ingressController('traefik', { 'app.kubernetes.io/name': 'traefik' }) });
    const np = one(objs, 'NetworkPolicy', 'api');
    expect(JSON.stringify(np.spec.ingress)).toContain('traefik');
    expect(JSON.stringify(np.spec.ingress)).not.toContain('ingress-nginx');
  });

  test('a backend routed twice gets one NetworkPolicy rule', () => {
    const { chart, api, ing } = setup();
    ing.addPath('shop.example.com', { path: '/v2', backend: api });
    expect(one(chart.toJson(), 'NetworkPolicy', 'api').spec.ingress).toHaveLength(1);
  });
});

describe('HttpIngress plainHttp', () => {
  // the opt-out lifts the construct's TLS requirement; the policy still asks for a reason, like cpuLimit: 'none'
  const warningsOf = (chart: Chart) => new PolicyEngine({ packs: [new KubernetesPack()] })
    .check(chart.toJson().map((m: any, i: number) => ({ kind: m.kind, manifest: m, path: `doc#${i}`, name: m.metadata?.name, namespace: m.metadata?.namespace })))
    .warnings.map(f => `${f.ruleId} ${f.kind}`);

  test('SS-K8S-055 still reports the Ingress', () => {
    const { chart } = setup({ tls: undefined, plainHttp: true });
    expect(warningsOf(chart)).toContain('SS-K8S-055 Ingress');
  });
});

describe('HttpIngress errors', () => {
  test('plain HTTP without the explicit opt-out', () => {
    expectError(() => setup({ tls: undefined }), /shop\/web: tls \(undefined\) is required: an ingress without TLS serves plain HTTP \(rule SS-K8S-055\); .*plainHttp: true/);
  });

  test('instance targets with a WebService backend (a ClusterIP Service, no NodePort)', () => {
    expectError(() => setup({ aws: { vpcCidr: '10.0.0.0/16', targetType: AlbTargetType.INSTANCE }, tls: IngressTls.acmByHost() }),
      "shop/web: aws.targetType (\"instance\") reaches targets through a NodePort, but shop/api's Service is a ClusterIP Service, which has none: the controller registers no target and the ALB answers 503; leave targetType out (ip targets reach the pods directly)");
  });

  test('tls and plainHttp together', () => {
    expectError(() => setup({ plainHttp: true }), /plainHttp \(true\) contradicts tls/);
  });

  test('duplicate host and path: the path is shown as written, the host in the problem', () => {
    const { api, ing } = setup();
    expectError(() => ing.addPath('shop.example.com', { path: '/', backend: api }),
      'shop/web: addPath("shop.example.com").path ("/") is already routed on shop.example.com (to api): each host and path may appear once; remove one of the two paths, or change its host or path');
  });

  test('a duplicate path within one rule names the rule\'s path as written', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: 'shop.example.com', paths: [{ path: '/a', backend: api }, { path: '/a', backend: api }] }] }),
      'shop/web: rules[0].paths[1].path ("/a") is already routed on shop.example.com (to api): each host and path may appear once; remove one of the two paths, or change its host or path');
  });

  test('a duplicate of the default path "/" says the unset path is "/"', () => {
    const { api, ing } = setup();
    expectError(() => ing.addPath('shop.example.com', { backend: api }),
      'shop/web: addPath("shop.example.com").path (undefined) is unset, so it is "/", which is already routed on shop.example.com (to api): each host and path may appear once; '
      + 'remove one of the two paths, or change its host or path');
  });

  test('a port the backend Service does not expose', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: 'a.example.com', paths: [{ backend: api, port: 8443 }] }] }),
      /rules\[0\]\.paths\[0\]\.port \(8443\) is not a port of Service shop\/api \(80\)/);
  });

  test('a hostname that is not a DNS name', () => {
    const s = setup();
    expectError(() => s.ing.addPath('Shop_Example.com', { backend: s.api }), /host \("Shop_Example\.com"\) must be a DNS name/);
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: '10.0.0.1', paths: [{ backend: api }] }] }), /rules\[0\]\.host \("10\.0\.0\.1"\) must be a DNS name/);
  });

  test('a backend in another namespace', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE, namespace: 'billing' });
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: 'a.example.com', paths: [{ backend: api }] }] }),
      'shop/web: rules[0].paths[0].backend ("shop/api") is in namespace "billing", not "shop": routes reach Services of their own namespace only; '
      + 'create the route in namespace "billing", or the backend in namespace "shop" (check both namespaces for a typo)');
  });

  test('a path without a leading slash', () => {
    const { api, ing } = setup();
    expectError(() => ing.addPath('shop.example.com', { path: 'v2', backend: api }), /path \("v2"\) must start with '\/'/);
  });

  test('an ACM certificate without the AWS controller', () => {
    expectError(() => setup({ tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/x') }), /tls \("acm"\) needs the AWS Load Balancer Controller/);
  });

  test('a malformed ACM ARN', () => {
    expectError(() => setup({ tls: IngressTls.acm('cert-1'), aws: { vpcCidr: '10.0.0.0/16' } }), /tls\.certificateArn \("cert-1"\) must be an ACM certificate ARN/);
  });

  test('a VPC CIDR that is not a CIDR', () => {
    expectError(() => setup({ aws: { vpcCidr: '10.0.0.0' }, tls: IngressTls.acmByHost() }), /aws\.vpcCidr \("10\.0\.0\.0"\) must be an IPv4 CIDR/);
  });

  test('a Secret certificate on an ALB (the controller ignores Secrets) is refused, naming what to use', () => {
    expectError(() => setup({ aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.secret('shop-tls') }),
      'shop/web: tls ("secret") keeps the certificate in a Secret, which the AWS Load Balancer Controller ignores: an ALB (ingress class "alb") terminates TLS with ACM certificates only; '
      + "use IngressTls.acmByHost() (the controller finds the ACM certificate of each host) or IngressTls.acm('arn:aws:acm:...'), or an ingress class whose controller reads Secrets");
    expectError(() => setup({ aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.certManager({ issuer: 'letsencrypt' }) }),
      /tls \("cert-manager"\) keeps the certificate in a Secret, .* ACM certificates only, and Let's Encrypt's HTTP-01 challenge cannot reach an internal ALB; use IngressTls.acmByHost\(\)/);
  });

  test('SSL redirect without TLS', () => {
    expectError(() => setup({ tls: undefined, plainHttp: true, aws: { vpcCidr: '10.0.0.0/16', sslRedirect: true } }), /aws\.sslRedirect \(true\) needs TLS/);
  });

  test('no namespace on the ingress nor the chart', () => {
    const chart = testChart(null);
    expectError(() => new HttpIngress(chart, 'web', { plainHttp: true }), /namespace \(undefined\) is not set/);
  });

  test('an ingress with no rule fails at synth', () => {
    const chart = testChart();
    new HttpIngress(chart, 'web', { plainHttp: true });
    expect(validationErrors(chart)).toEqual(['shop/web: rules ([]) must route at least one host and path; add rules or call addPath']);
  });
});

describe('HttpIngress aws.vpcCidr: given, or the VPC of the app\'s cluster', () => {
  function inCluster(profile: Partial<ClusterProfile> = {}, props: Partial<HttpIngressProps> = {}): { objs: any[]; ing: HttpIngress } {
    const app = new App({ cluster: clusterProfile(profile) });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    const ing = new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acmByHost(), ...props });
    return { objs: chart.toJson(), ing };
  }
  const admitted = (objs: any[]) => one(objs, 'NetworkPolicy', 'api').spec.ingress.flatMap((r: any) => (r.from ?? []).map((f: any) => f.ipBlock?.cidr)).filter(Boolean);

  test('with the app\'s cluster, aws: { scheme } is enough: the ALB is internet-facing and the backends admit the cluster\'s VPC', () => {
    const { objs } = inCluster({}, { aws: { scheme: AlbScheme.INTERNET_FACING } });
    expect(one(objs, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(one(objs, 'Ingress').spec.ingressClassName).toBe('alb');
    expect(admitted(objs)).toEqual(['10.40.0.0/16']);
  });

  test('a vpcCidr given wins over the cluster\'s', () => {
    expect(admitted(inCluster({}, { aws: { vpcCidr: '10.99.0.0/16' } }).objs)).toEqual(['10.99.0.0/16']);
  });

  test('without a cluster, aws with no vpcCidr is refused at construction, naming what to do', () => {
    expectError(() => setup({ aws: { scheme: AlbScheme.INTERNET_FACING }, tls: IngressTls.acmByHost() }),
      'shop/web: aws.vpcCidr (undefined) is needed to let the ALB reach the backends (their NetworkPolicy admits the ALB\'s VPC addresses), '
      + 'and no cluster is known (App({ cluster }) or ClusterContext) to take it from; '
      + "set aws: { vpcCidr: '10.0.0.0/16' } to the CIDR of the cluster's VPC, give the app the cluster's profile with vpcCidr, or name the peer that reaches the backends with controller");
  });

  test('a cluster whose profile does not know its VPC CIDR (an imported VPC) is named in the error', () => {
    expectError(() => inCluster({ vpcCidr: undefined }, { aws: {} }),
      /^shop\/web: aws\.vpcCidr \(undefined\) is needed to let the ALB reach the backends .*, and the profile of cluster shop-prod does not know its VPC CIDR \(an imported VPC's CIDR is known only at plan time\); set aws: \{ vpcCidr/);
  });

  test('with controller set, no VPC CIDR is needed: the given peer is admitted', () => {
    const { objs, ing } = setup({ aws: { scheme: AlbScheme.INTERNAL }, tls: IngressTls.acmByHost(), controller: NetworkPeer.cidr('10.7.0.0/16') });
    expect(one(objs, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(ing.controller.toNetworkPeer().description).toContain('10.7.0.0/16');
    expect(admitted(objs)).toEqual(['10.7.0.0/16']);
  });

  test('a cluster VPC CIDR that is not an IPv4 CIDR is refused under the profile\'s name', () => {
    expectError(() => inCluster({ vpcCidr: '10.40.0.0' }, { aws: {} }), /^shop\/web: ClusterProfile\.vpcCidr \("10\.40\.0\.0"\) must be an IPv4 CIDR/);
  });

  test('an ACM certificate without aws nor an ALB class says to install the controller first, and that aws: {} takes the cluster\'s VPC', () => {
    expectError(() => setup({ tls: IngressTls.acmByHost() }),
      'shop/web: tls ("acm") needs the AWS Load Balancer Controller (an ACM certificate lives on the ALB); install the controller in the cluster '
      + '(aws.EksCluster.addLoadBalancerController(): its profile then lists the alb class, which this ingress uses by itself), or, for a controller installed by other means, '
      + "set aws (aws: {} takes the VPC CIDR from the app's cluster; else aws: { vpcCidr: ... }); or use IngressTls.secret / IngressTls.certManager");
  });

  test('an ACM certificate on an ingress naming no class, where the cluster\'s ALB class is not its default: the refusal names the class to set (not the controller, which is there)', () => {
    const alb = { name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: false };
    const nginx = { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true };
    expectError(() => inCluster({ ingressClasses: [alb] }, {}),
      'shop/web: tls ("acm") needs an ALB (an ACM certificate lives on the ALB), and this ingress names no ingress class while cluster shop-prod\'s ALB class alb is not its default (it has no default class); '
      + 'set ingressClassName: "alb", or make the ALB class the cluster\'s default; or use IngressTls.secret / IngressTls.certManager');
    expectError(() => inCluster({ ingressClasses: [alb, nginx] }, {}),
      /its default \(the default is nginx, k8s\.io\/ingress-nginx\); set ingressClassName: "alb"/);
    // naming the class is the fix
    expect(one(inCluster({ ingressClasses: [alb, nginx] }, { ingressClassName: 'alb' }).objs, 'Ingress').spec.ingressClassName).toBe('alb');
  });

  test('class alb without aws on a cluster whose profile lists no class: the refusal says to install the controller with the cluster', () => {
    expectError(() => inCluster({ ingressClasses: undefined }, { ingressClassName: 'alb', tls: IngressTls.secret('shop-tls') }),
      'shop/web: ingressClassName ("alb") is not "nginx", yet without controller the backends admit only the ingress-nginx controller pods '
      + '(namespace ingress-nginx, label app.kubernetes.io/name: ingress-nginx), so the controller of this class would be refused by every backend\'s NetworkPolicy; '
      + 'the profile of cluster shop-prod lists no ingress class: install the AWS Load Balancer Controller with the cluster (EksCluster.addLoadBalancerController(), '
      + 'whose profile then lists the alb class and its pods; call it before creating this ingress, which reads the cluster\'s ingress classes when it is created), or '
      + 'name its pods: controller: NetworkPeer.ingressController(\'<its namespace>\', { \'app.kubernetes.io/name\': \'<its name label>\' })');
    // another class on that cluster: list it in the profile (the app has its cluster already)
    expectError(() => inCluster({ ingressClasses: undefined }, { ingressClassName: 'traefik', tls: IngressTls.secret('shop-tls') }),
      /; name its pods: controller: NetworkPeer\.ingressController\(.*\), or list the class in the ingressClasses of the profile of cluster shop-prod \(where its controller runs\)$/);
  });

  test('an ACM certificate on a cluster without an ALB class yet: the fix says to add the controller before the ingress', () => {
    expectError(() => inCluster({ ingressClasses: undefined }, {}),
      /^shop\/web: tls \("acm"\) needs the AWS Load Balancer Controller .*addLoadBalancerController\(\): its profile then lists the alb class, which this ingress uses by itself; call it before creating this ingress, which reads the cluster's ingress classes when it is created\), or, for a controller/);
  });

  test('an ACM certificate on an ingress naming a class the cluster lacks, while it has an ALB class: the class is named as the mistake', () => {
    expectError(() => inCluster({}, { ingressClassName: 'nginx' }),
      'shop/web: ingressClassName ("nginx") is not an ingress class of cluster shop-prod (its classes: alb (ingress.k8s.aws/alb)), but tls ("acm") needs an ALB (an ACM certificate lives on the ALB); '
      + 'set ingressClassName: "alb" or leave it out (alb is the cluster\'s default class); or keep the class and use IngressTls.secret / IngressTls.certManager');
    const nginx = { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: false };
    expectError(() => inCluster({ ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }, nginx] }, { ingressClassName: 'nginx' }),
      /^shop\/web: ingressClassName \("nginx"\) is served by k8s\.io\/ingress-nginx, but tls \("acm"\) needs an ALB/);
  });

  test('an ingress created before the cluster\'s ALB class was added (addLoadBalancerController() called later) is refused at synth, not written with the wrong class', () => {
    const profile = clusterProfile({ ingressClasses: [] });
    const app = new App({ cluster: profile });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], plainHttp: true });
    expect(validationErrors(chart)).toEqual([]);
    (profile.ingressClasses as any[]).push({ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true });
    expect(validationErrors(chart)).toEqual([
      'shop/web: was created before cluster shop-prod\'s ingress class alb (ingress.k8s.aws/alb) was added, so it wrote class nginx with the controller ingress controller in ingress-nginx '
      + 'from the classes the cluster had then, where it would now take class alb; create the ingress after the class is added (call addLoadBalancerController(), or add the class to the profile, before new HttpIngress)',
    ]);
  });

  test('a class added later that changes nothing the ingress wrote (it named the class and set aws) is accepted', () => {
    const profile = clusterProfile({ ingressClasses: [] });
    const app = new App({ cluster: profile });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acmByHost(), ingressClassName: 'alb', aws: {} });
    (profile.ingressClasses as any[]).push({ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true });
    expect(validationErrors(chart)).toEqual([]);
  });

  test('cert-manager TLS on an internet-facing ALB: refused for the Secret alone (no word of an internal ALB)', () => {
    let message = '';
    try {
      inCluster({}, { aws: { scheme: AlbScheme.INTERNET_FACING }, tls: IngressTls.certManager({ issuer: 'letsencrypt' }) });
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('terminates TLS with ACM certificates only;');
    expect(message).not.toContain('internal ALB');
  });

  test('aws set on a cluster whose profile lists no ALB controller class: a warning says no controller may serve the ALB', () => {
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => {
      stderr += String(t);
      return true;
    });
    try {
      const { ing } = inCluster({ ingressClasses: undefined }, { aws: {} });
      expect(ing.node.metadata.filter(m => m.type === 'shipshape:warning').map(m => m.data)).toEqual([
        'aws is set, so this ingress is an ALB (ingress class "alb"), but cluster shop-prod\'s profile lists no ingress class of the AWS Load Balancer Controller: '
        + 'unless it is installed by other means, no controller serves this ingress; install it with aws.EksCluster.addLoadBalancerController() '
        + '(the profile then lists its class, and aws is no longer needed)',
      ]);
      expect(stderr).toContain('shipshape warning: shop/web: aws is set');
      // the cluster's ALB class known: no warning
      expect(inCluster({}, { aws: {} }).ing.node.metadata.filter(m => m.type === 'shipshape:warning')).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

test('an ALB ingress class of the cluster, no aws and a profile without its VPC CIDR: refused (the ALB could not reach the backends), not silently admitting the controller pods', () => {
  const app = new App({ cluster: clusterProfile({ vpcCidr: undefined }) });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new WebService(chart, 'api', { image: IMAGE });
  expectError(() => new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acmByHost() }),
    'shop/web: aws.vpcCidr (undefined) is needed by ingress class "alb" (an ALB, ingress.k8s.aws/alb) to let the ALB reach the backends (their NetworkPolicy admits the ALB\'s VPC addresses), '
    + "and the profile of cluster shop-prod does not know its VPC CIDR (an imported VPC's CIDR is known only at plan time); "
    + "set aws: { vpcCidr: '10.0.0.0/16' } to the CIDR of the cluster's VPC, give the app the cluster's profile with vpcCidr, or name the peer that reaches the backends with controller");
  // with the VPC known, the ALB class is an ALB too for the other checks: a Secret certificate is refused
  const chart2 = new Chart(new App({ cluster: clusterProfile() }), 'shop', { namespace: 'shop' });
  const api2 = new WebService(chart2, 'api', { image: IMAGE });
  expectError(() => new HttpIngress(chart2, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api2 }] }], tls: IngressTls.secret('shop-tls') }),
    /^shop\/web: tls \("secret"\) keeps the certificate in a Secret, which the AWS Load Balancer Controller ignores: an ALB \(ingress class "alb"\)/);
});

describe('HttpIngress settings the ingress writes itself', () => {
  function inCluster(props: Partial<HttpIngressProps>, profile: Partial<ClusterProfile> = {}): any[] {
    const app = new App({ cluster: clusterProfile(profile) });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.acmByHost(), ...props });
    return chart.toJson();
  }
  const nginxToo = { ingressClasses: [{ name: 'alb', controller: 'ingress.k8s.aws/alb', isDefault: true }, { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: false }] };

  test('aws on a class the cluster\'s profile gives another controller is refused: that controller ignores the ALB annotations', () => {
    expectError(() => inCluster({ ingressClassName: 'nginx', aws: { scheme: AlbScheme.INTERNET_FACING } }, nginxToo),
      'shop/web: aws ("{\\"scheme\\":\\"internet-facing\\"}") makes this ingress an ALB, but its ingress class "nginx" is served by k8s.io/ingress-nginx (cluster shop-prod\'s profile), '
      + 'which ignores the ALB annotations (and an ACM certificate: it would serve its default certificate); '
      + 'remove aws for this class (use IngressTls.secret or IngressTls.certManager for TLS), or set ingressClassName to a class of the AWS Load Balancer Controller');
  });

  test('aws on the class "nginx" without a cluster profile is refused too (ingress-nginx\'s class name)', () => {
    expectError(() => setup({ ingressClassName: 'nginx', aws: { vpcCidr: '10.0.0.0/16' }, tls: IngressTls.acmByHost() }),
      /^shop\/web: aws \(.*\) makes this ingress an ALB, but its ingress class "nginx" is served by ingress-nginx \(the class name of the community controller, and no cluster profile says otherwise\)/);
  });

  test('an annotation of the user\'s that the ingress writes from a prop is refused when the values differ, naming the prop', () => {
    expectError(() => inCluster({ aws: {}, annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } }),
      'shop/web: annotations["alb.ingress.kubernetes.io/scheme"] ("internet-facing") contradicts the value the ingress writes there from aws.scheme ("internal"), which would replace it; '
      + 'set aws.scheme instead of the annotation, or remove the annotation');
    expectError(() => inCluster({ annotations: { 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-2016-08' } }),
      /annotations\["alb\.ingress\.kubernetes\.io\/ssl-policy"\] \("ELBSecurityPolicy-2016-08"\) contradicts the value the ingress writes there from aws\.sslPolicy/);
  });

  test('the same value as the prop gives is kept without complaint', () => {
    const objs = inCluster({ aws: { scheme: AlbScheme.INTERNET_FACING }, annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } });
    expect(one(objs, 'Ingress').metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
  });

  test('an issuer annotation beside IngressTls.certManager is refused: two issuers would ask for one Secret', () => {
    expectError(() => setup({ tls: IngressTls.certManager({ issuer: 'other', createCertificate: true }), annotations: { 'cert-manager.io/cluster-issuer': 'le' } }),
      'shop/web: annotations["cert-manager.io/cluster-issuer"] ("le") names an issuer for cert-manager, but tls (IngressTls.certManager) already writes a Certificate from issuer "other" '
      + 'for Secret web-tls: cert-manager\'s ingress-shim would request a second one for the same Secret; name the issuer in IngressTls.certManager({ issuer, issuerKind }) only, and remove the annotation');
    expectError(() => setup({ tls: IngressTls.certManager({ issuer: 'le' }), annotations: { 'cert-manager.io/issuer': 'le' } }),
      /annotations\["cert-manager\.io\/issuer"\] \("le"\) names an issuer for cert-manager, but tls \(IngressTls\.certManager\) already sets cert-manager\.io\/cluster-issuer to "le"/);
  });

  test('the Certificate carries the ingress\'s labels, with the component certificate', () => {
    const { objs } = setup({ tls: IngressTls.certManager({ issuer: 'le', createCertificate: true }) });
    expect(one(objs, 'Certificate').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'certificate', 'app.kubernetes.io/managed-by': 'shipshape',
    });
  });
});

describe('HttpIngress one path with two path types', () => {
  test('an Exact and a Prefix path of the same value are two routes (Exact takes precedence), as the Ingress API allows', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: 'shop.example.com', paths: [{ path: '/x', pathType: IngressPathType.EXACT, backend: api }, { path: '/x', backend: api }] }] });
    const objs = chart.toJson();
    expect(one(objs, 'Ingress').spec.rules[0].http.paths.map((p: any) => `${p.pathType} ${p.path}`)).toEqual(['Exact /x', 'Prefix /x']);
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('an ImplementationSpecific path beside a Prefix path of the same value is still refused (it may mean either)', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    expectError(() => new HttpIngress(chart, 'web', { tls: IngressTls.secret('t'), rules: [{ host: 'shop.example.com', paths: [{ path: '/x', pathType: IngressPathType.IMPLEMENTATION_SPECIFIC, backend: api }, { path: '/x', backend: api }] }] }),
      /rules\[0\]\.paths\[1\]\.path \("\/x"\) is already routed on shop\.example\.com/);
  });
});

describe('a TLS Secret named with its namespace', () => {
  test('is refused: an Ingress reads its TLS Secret in its own namespace only, and the fix says how to get it there', () => {
    const make = (tls: IngressTls) => {
      const chart = testChart('shop');
      const api = new WebService(chart, 'api', { image: IMAGE });
      return new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls });
    };
    expectError(() => make(IngressTls.secret('certs/wildcard-tls')),
      'shop/web: tls.secretName ("certs/wildcard-tls") names a Secret of namespace certs, but an Ingress reads its TLS Secret in its own namespace (shop) only: '
      + 'the controller would serve its default certificate; have the certificate issued in namespace shop (IngressTls.certManager writes it there) or copy it there '
      + 'and name it alone (IngressTls.secret(\'wildcard-tls\')), or terminate TLS at a Gateway listener, which may read another namespace\'s Secret with a ReferenceGrant');
    expectError(() => make(IngressTls.certManager({ issuer: 'letsencrypt', secretName: 'certs/x' })), /^shop\/web: tls\.secretName \("certs\/x"\) names a Secret of namespace certs/);
    // the fix: the Secret's name alone
    expect(make(IngressTls.secret('wildcard-tls')).ingress.toJson().spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'wildcard-tls' }]);
  });
});

