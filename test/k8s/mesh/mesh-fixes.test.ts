import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ClusterProfile, EnvironmentProfile } from '../../../lib/core';
import {
  App, HttpIngress, IngressTls, Job, KubernetesTarget, KubernetesVersion, NetworkPeer, Probe, Schedule, StatefulService, WebService, Worker,
} from '../../../lib/k8s';
import { IMesh, IstioInjection, IstioMesh, LinkerdMesh, LinkerdProtocol } from '../../../lib/k8s/mesh';
import { TeamNamespace } from '../../../lib/k8s/platform';
import { InitTask, InitTasks, LogShipper } from '../../../lib/k8s/sidecars';
import { stderrOf } from '../../util/k8s';
import { expectError, expectValidWithCrds, one, policyErrors, testChart, validationErrors } from '../networking/traffic-util';
import { cluster as clusterFixture } from '../platform/fixtures';

type MeshKind = 'istio' | 'linkerd';
const newMesh = (chart: Chart, kind: MeshKind): IMesh => (kind === 'istio' ? new IstioMesh(chart, 'mesh') : new LinkerdMesh(chart, 'mesh'));
const tcp = (...ports: number[]) => ports.map(port => ({ port, protocol: 'TCP' }));
const DB_PODS = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' } } };
const API_PODS = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } };
const NGINX = { 'app.kubernetes.io/name': 'ingress-nginx' };

/** A PostgreSQL-like StatefulService (opaque under Linkerd) called by a web service. */
function database(chart: Chart, mesh: IMesh, enrolApi = true): { db: StatefulService; api: WebService } {
  const db = new StatefulService(chart, 'db', {
    image: 'ghcr.io/acme/postgres:16.4',
    port: 5432,
    portName: 'postgres',
    quorum: false,
    readiness: Probe.exec(['pg_isready']),
    liveness: Probe.tcp(),
  });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  db.allowFrom(api);
  if (enrolApi) mesh.enrol(api);
  mesh.enrol(db);
  return { db, api };
}

describe('Linkerd opaque ports: meshed callers reach the server proxy inbound port (4143)', () => {
  test('the callee admits meshed callers on 4143 besides the opaque port, and the meshed caller may connect there', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    database(chart, mesh);
    const objs = chart.toJson();
    expect(one(objs, 'StatefulSet', 'db').spec.template.metadata.annotations['config.linkerd.io/opaque-ports']).toBe('5432');
    expect(one(objs, 'NetworkPolicy', 'db').spec.ingress).toEqual([
      // its own replicas (meshed too) and the declared caller
      { from: [DB_PODS], ports: tcp(5432, 4143) },
      { from: [API_PODS], ports: tcp(5432, 4143) },
    ]);
    expect(one(objs, 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [DB_PODS], ports: tcp(5432, 4143) });
    expect(one(objs, 'NetworkPolicy', 'db').spec.egress).toContainEqual({ to: [DB_PODS], ports: tcp(5432, 4143) });
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('declarations made after enrolment are covered too (rendered at synth); pods declared meshed get 4143, unmeshed ones do not', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/postgres:16.4', port: 5432, quorum: false, readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp() });
    mesh.enrol(db);
    db.allowFrom(NetworkPeer.pods('batch', { app: 'etl' }));
    db.allowFrom(NetworkPeer.pods('legacy', { app: 'report' }, { meshed: false }), [5432]);
    const ingress = one(chart.toJson(), 'NetworkPolicy', 'db').spec.ingress;
    expect(ingress[1].ports).toEqual(tcp(5432, 4143));
    // an unmeshed client connects to the port itself
    expect(ingress[2].ports).toEqual(tcp(5432));
  });

  test('Linkerd 2.18+ sends every meshed call through 4143 (transport-header mode): two meshed web services, a meshed ingress controller and meshed pods '
    + 'get it on both sides; plaintext callers, the control plane and Istio (which keeps the port) do not', () => {
    const linkerd = testChart();
    const lm = new LinkerdMesh(linkerd, 'mesh');
    const api = new WebService(linkerd, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    const web = new WebService(linkerd, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    api.allowFrom(web);
    web.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX, { meshed: true }));
    api.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX));
    api.allowTo(NetworkPeer.pods('cache', { 'app.kubernetes.io/name': 'redis' }, { ports: [6379], meshed: true }));
    lm.enrol(api);
    lm.enrol(web);
    const objs = linkerd.toJson();
    const WEB_PODS = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } };
    const nginx = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: NGINX } };
    const redis = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cache' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } };
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      { from: [WEB_PODS], ports: tcp(8080, 4143) },
      // a controller outside the mesh connects to the port itself
      { from: [nginx], ports: tcp(8080) },
    ]);
    expect(one(objs, 'NetworkPolicy', 'web').spec.ingress).toEqual([{ from: [nginx], ports: tcp(8080, 4143) }]);
    expect(one(objs, 'NetworkPolicy', 'web').spec.egress).toContainEqual({ to: [API_PODS], ports: tcp(8080, 4143) });
    expect(one(objs, 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [redis], ports: tcp(6379, 4143) });
    expect(one(objs, 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }], ports: tcp(8080, 8086, 8090) });
    expect(policyErrors(objs)).toEqual([]);

    const istio = testChart();
    database(istio, new IstioMesh(istio, 'mesh'));
    expect(JSON.stringify(istio.toJson())).not.toContain('4143');
  });
});

describe('init tasks of an enrolled pod run before the proxy', () => {
  const wait = () => new InitTasks({ tasks: [InitTask.waitFor('wait-db', { host: 'db.shop.svc.cluster.local', port: 5432 })] });

  test.each<[MeshKind, string]>([['istio', 'Istio'], ['linkerd', 'Linkerd']])('%s, target 1.27: a wait task is refused at synth (it could never finish)', (kind, proxy) => {
    const chart = testChart();
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    // added after enrolment: still checked
    api.addSidecar(wait());
    const bypass = kind === 'istio' ? 'traffic.sidecar.istio.io/excludeOutboundPorts' : 'config.linkerd.io/skip-outbound-ports';
    expect(validationErrors(chart)).toEqual([
      'shop/api: sidecars.init.tasks[0] ("wait-db") waits for db.shop.svc.cluster.local:5432 from an init container, and shop/api is enrolled in shop/mesh '
      + `(${proxy}) with the Kubernetes target 1.27: there the ${proxy} proxy is an ordinary container that starts only after every init container has finished, `
      + `while the pod's outbound traffic is already redirected to it (by the ${proxy} CNI plugin or init container), so the task's connections go nowhere, `
      + `it waits until its timeout, fails and is retried, and the pod never starts; bypassing the proxy for port 5432 (${bypass}) would apply to the app container too, whose calls to that port `
      + 'would then carry no mutual TLS and be refused by a meshed callee; if the cluster runs Kubernetes 1.29 or newer, set that target '
      + '(KubernetesTarget.set(chart, KubernetesVersion.V1_29), or kubernetesVersion in the cluster profile given to App({ cluster })): '
      + `the ${proxy} proxy is then injected as a native sidecar that starts before the init containers and proxies their connections, `
      + 'which accepts a plain TCP connection itself, so there wait with a command that speaks the dependency\'s protocol, which fails through the proxy while the '
      + "dependency is down, for example InitTask.run('wait-db', { image: 'postgres:16.4', command: ['sh', '-c', 'until pg_isready -h db.shop.svc.cluster.local -p 5432; "
      + "do sleep 2; done'] }) or, for an HTTP dependency, until wget -q -O /dev/null http://db.shop.svc.cluster.local:5432/<its health path>, with shop/api.allowTo(<the dependency>) "
      + 'for the NetworkPolicy; otherwise remove the task and let the app retry its dependency (the app container starts only once the proxy is ready)',
    ]);
  });

  test.each<[MeshKind, Record<string, string>]>([
    ['istio', { 'sidecar.istio.io/nativeSidecar': 'true' }],
    ['linkerd', { 'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true', 'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true' }],
  ])('%s, target 1.29: a pod with init tasks gets its proxy as a native sidecar, started before them', (kind, annotations) => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_29);
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:2.0.1' });
    mesh.enrol(api);
    mesh.enrol(web);
    api.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'] })] }));
    const objs = chart.toJson();
    expect(one(objs, 'Deployment', 'api').spec.template.metadata.annotations).toMatchObject(annotations);
    // no init container: left as it was
    for (const k of Object.keys(annotations)) expect(one(objs, 'Deployment', 'web').spec.template.metadata.annotations[k]).toBeUndefined();
    expect(validationErrors(chart)).toEqual([]);
  });

  test.each<[MeshKind, string]>([['istio', 'Istio'], ['linkerd', 'Linkerd']])('%s, target 1.29: a wait task is refused too (the proxy accepts its connection itself)', (kind, proxy) => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_29);
    const mesh = newMesh(chart, kind);
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.addSidecar(wait());
    mesh.enrol(api);
    expect(validationErrors(chart)).toEqual([
      `shop/api: sidecars.init.tasks[0] ("wait-db") waits for db.shop.svc.cluster.local:5432 by opening a TCP connection, and shop/api is enrolled in shop/mesh (${proxy}): `
      + `the pod's outbound connections go to its ${proxy} proxy, which accepts each one itself before it reaches db.shop.svc.cluster.local, so the wait ends at once `
      + 'whether db.shop.svc.cluster.local is up or not; wait with a command that speaks the dependency\'s protocol, which fails through the proxy while the dependency '
      + "is down, for example InitTask.run('wait-db', { image: 'postgres:16.4', command: ['sh', '-c', 'until pg_isready -h db.shop.svc.cluster.local -p 5432; do sleep 2; done'] }) "
      + 'or, for an HTTP dependency, until wget -q -O /dev/null http://db.shop.svc.cluster.local:5432/<its health path>, with shop/api.allowTo(<the dependency>) '
      + 'for the NetworkPolicy; or remove the task and let the app retry its dependency',
    ]);
    // the same task in a pod of no mesh is fine
    const plain = testChart();
    new WebService(plain, 'api', { image: 'ghcr.io/acme/api:1.4.2' }).addSidecar(wait());
    expect(validationErrors(plain)).toEqual([]);
  });

  test('target 1.27: an init task that waits for nothing (a run task) is not refused', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    api.addSidecar(new InitTasks({ tasks: [InitTask.run('copy', { image: 'ghcr.io/acme/tools:1.0.0', command: ['cp', '-r', '/a', '/tmp/b'] })] }));
    mesh.enrol(api);
    expect(validationErrors(chart)).toEqual([]);
  });
});

describe('contradicting "meshed" declarations for the same caller pods', () => {
  function contradiction(kind: MeshKind): Chart {
    const chart = testChart();
    const mesh = newMesh(chart, kind);
    const a = new WebService(chart, 'a', { image: 'ghcr.io/acme/a:1.0.0' });
    a.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX, { meshed: true }));
    mesh.enrol(a);
    new HttpIngress(chart, 'i1', { rules: [{ host: 'a.example.com', paths: [{ backend: a }] }], tls: IngressTls.secret('x') });
    return chart;
  }

  test('Linkerd: refused at synth, naming both declarations and the fix', () => {
    expect(validationErrors(contradiction('linkerd'))).toEqual([
      'allowFrom (meshed ingress controller in ingress-nginx) contradicts the controller of HttpIngress shop/i1 (ingress controller in ingress-nginx): '
      + 'both are pods {"app.kubernetes.io/name":"ingress-nginx"} in ingress-nginx, declared in the mesh by the first and outside it by the second, '
      + 'so the Linkerd Server on port 8080 would admit any in-cluster client without a mesh identity (accessPolicy cluster-unauthenticated), '
      + 'though the pods were declared meshed; declare them the same way everywhere: if they run a Linkerd proxy, give shop/i1 that peer declared meshed '
      + '(controller: NetworkPeer.ingressController(namespace, labels, { meshed: true })), else drop { meshed: true } from the first',
    ]);
  });

  test('Istio: refused at synth too', () => {
    expect(validationErrors(contradiction('istio'))).toEqual([
      expect.stringMatching(/^allowFrom \(meshed ingress controller in ingress-nginx\) contradicts the controller of HttpIngress shop\/i1 \(ingress controller in ingress-nginx\): .*so Istio's STRICT mutual TLS would turn PERMISSIVE on port 8080 and admit callers without a mesh identity there/),
    ]);
  });

  test('the same pods declared meshed everywhere (the ingress given the meshed controller) pass, and the Server stays deny', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    const a = new WebService(chart, 'a', { image: 'ghcr.io/acme/a:1.0.0' });
    a.allowFrom(NetworkPeer.ingressController('ingress-nginx', NGINX, { meshed: true }));
    mesh.enrol(a);
    new HttpIngress(chart, 'i1', {
      rules: [{ host: 'a.example.com', paths: [{ backend: a }] }],
      tls: IngressTls.secret('x'),
      controller: NetworkPeer.ingressController('ingress-nginx', NGINX, { meshed: true }),
    });
    expect(validationErrors(chart)).toEqual([]);
    expect(one(chart.toJson(), 'Server', 'a').spec.accessPolicy).toBe('deny');
  });

  test('pods declared meshed: false and meshed: true by two allowFrom calls are refused', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const a = new WebService(chart, 'a', { image: 'ghcr.io/acme/a:1.0.0' });
    a.allowFrom(NetworkPeer.pods('monitoring', { app: 'prometheus' }, { meshed: false }));
    a.allowFrom(NetworkPeer.pods('monitoring', { app: 'prometheus' }, { meshed: true }));
    mesh.enrol(a);
    expect(validationErrors(chart)).toEqual([expect.stringMatching(
      /^allowFrom \(pods \{"app":"prometheus"\} in monitoring\) contradicts allowFrom \(unmeshed pods \{"app":"prometheus"\} in monitoring\): .*declare the second \{ meshed: true \} too, else drop \{ meshed: true \} from the first$/)]);
  });
});

describe('IstioMesh trust domain: one per app', () => {
  test('two IstioMeshes of one app with different trust domains are refused, naming both', () => {
    const app = Testing.app();
    new IstioMesh(new Chart(app, 'prod', { namespace: 'prod' }), 'mesh', { trustDomain: 'prod.acme' });
    const other = new Chart(app, 'shop', { namespace: 'shop' });
    expectError(() => new IstioMesh(other, 'mesh'),
      'shop/mesh: trustDomain ("cluster.local") differs from the trust domain of prod/mesh ("prod.acme"), another IstioMesh of this app, whose charts go to one cluster, '
      + "and a cluster's Istio has one trust domain: the principals written with the other one (<trustDomain>/ns/<namespace>/sa/<account>) would match no workload, "
      + 'so their AuthorizationPolicies would refuse every caller; give every IstioMesh of the app the cluster\'s trust domain (meshConfig.trustDomain of its Istio, '
      + '"cluster.local" unless installed otherwise): set trustDomain on shop/mesh too, or remove it from prod/mesh; or put the charts of another cluster in an app of their own');
  });

  test('the same trust domain in every chart, and separate apps, are accepted', () => {
    const app = Testing.app();
    new IstioMesh(new Chart(app, 'a', { namespace: 'a' }), 'mesh', { trustDomain: 'prod.acme' });
    new IstioMesh(new Chart(app, 'b', { namespace: 'b' }), 'mesh', { trustDomain: 'prod.acme' });
    new IstioMesh(new Chart(Testing.app(), 'c', { namespace: 'c' }), 'mesh');
  });
});

describe('IstioInjection.NAMESPACE_LABEL', () => {
  function enrolled(chart: Chart): WebService {
    const mesh = new IstioMesh(chart, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    return api;
  }

  test('the app\'s Namespace of an enrolled workload gets istio-injection: enabled at synth', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const team = new TeamNamespace(platform, 'shop', { team: 'shop', group: 'team-shop' });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    enrolled(chart);
    expect(validationErrors(chart)).toEqual([]);
    expect(one(platform.toJson(), 'Namespace', 'shop').metadata.labels['istio-injection']).toBe('enabled');
    expect(team.namespaceObject.metadata.getLabel('istio-injection')).toBe('enabled');
  });

  test('a Namespace labelled istio-injection: disabled is refused', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    new ApiObject(platform, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'disabled' } } });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    enrolled(chart);
    expect(validationErrors(chart)).toEqual([
      'shop/mesh: injection ("namespace-label") needs the label istio-injection: "enabled" on namespace shop, whose Namespace platform/ns sets it to "disabled": '
      + "the pods of shop/api would get no Istio proxy, while their STRICT PeerAuthentication and their callers' DestinationRules (ISTIO_MUTUAL) expect one; "
      + 'remove that label from platform/ns (the mesh then sets istio-injection: "enabled"), or use IstioInjection.POD_LABEL, or enrol no workload of namespace shop',
    ]);
  });

  test('a namespace the app does not write: a note says what to do (printed by k8s.App on synth), once', () => {
    const chart = testChart();
    enrolled(chart);
    expect(validationErrors(chart)).toEqual([]);
    expect(validationErrors(chart)).toEqual([]);
    const mesh = chart.node.findChild('mesh');
    expect(mesh.node.metadata.filter(m => m.type === 'shipshape:info').map(m => m.data)).toEqual([
      'IstioInjection.NAMESPACE_LABEL: namespace shop (of shop/api) is not written by this app, so nothing here labels it: '
      + 'label it on the cluster before deploying (kubectl label namespace shop istio-injection=enabled), or let the app write it (App({ cluster }), or a TeamNamespace), '
      + "or use IstioInjection.POD_LABEL; unlabelled, its pods run without an Istio proxy and their callers' mutual TLS to them fails",
    ]);
  });
});

describe('IstioInjection.NAMESPACE_LABEL and cert-manager\'s HTTP-01 solver pods', () => {
  const warnings = (c: Chart) => c.node.findChild('mesh').node.metadata.filter(m => m.type === 'shipshape:warning').map(m => m.data);

  test('a labelled namespace with an HttpIngress solving HTTP-01 is warned about once: the solver pods would get a proxy', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const chart = testChart();
      const mesh = new IstioMesh(chart, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
      const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
      mesh.enrol(api);
      new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.certManager({ issuer: 'letsencrypt' }) });
      validationErrors(chart);
      validationErrors(chart);
      expect(warnings(chart)).toEqual([
        'IstioInjection.NAMESPACE_LABEL labels namespace shop, where cert-manager creates the HTTP-01 solver pods of shop/web: they would get an Istio proxy, which reaches no istiod there '
        + '(its pods may call only what their NetworkPolicies allow) and takes their traffic, so the challenge fails; opt them out in the issuer\'s HTTP-01 solver '
        + '(spec.acme.solvers[].http01.ingress.podTemplate.metadata.labels: sidecar.istio.io/inject: "false"), or solve DNS-01 (http01Solver: false), or use IstioInjection.POD_LABEL',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  test('no warning with pod-label injection, or a DNS-01 issuer', () => {
    for (const [injection, http01Solver] of [[IstioInjection.POD_LABEL, true], [IstioInjection.NAMESPACE_LABEL, false]] as const) {
      const chart = testChart();
      const mesh = new IstioMesh(chart, 'mesh', { injection });
      const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
      mesh.enrol(api);
      new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.certManager({ issuer: 'letsencrypt', http01Solver }) });
      validationErrors(chart);
      expect(warnings(chart)).toEqual([]);
    }
  });
});

describe('through k8s.App({ cluster }) synth', () => {
  const profile: ClusterProfile = {
    clusterName: 'shop-prod',
    kubernetesVersion: '1.33',
    environment: EnvironmentProfile.PRODUCTION,
    region: 'eu-west-1',
    account: '123456789012',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    nodePools: [{
      name: 'general',
      labels: { 'shipshape.dev/node-pool': 'general' },
      taints: [],
      capacityType: 'ON_DEMAND',
      instanceTypes: ['m7i.xlarge'],
      architecture: 'amd64',
      zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      minSize: 3,
      maxSize: 6,
    }],
    storageClasses: [],
    ingressClasses: [{ name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true }],
    vpcCidr: '10.40.0.0/16',
    networkPolicyEnforced: true,
    oidcIssuerOutput: 'oidc_issuer',
    workloadIdentities: [],
  };

  test('the Namespace the app writes is labelled for injection, and a pod with an init task gets a native-sidecar proxy (target 1.33)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-mesh-'));
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const app = new App({ outdir, cluster: profile });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const mesh = new IstioMesh(chart, 'mesh', { injection: IstioInjection.NAMESPACE_LABEL });
      const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
      mesh.enrol(api);
      api.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: 'ghcr.io/acme/api:1.4.2', args: ['migrate'] })] }));
      const objs = YAML.parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(Boolean);
      expect(one(objs, 'Namespace', 'shop').metadata.labels['istio-injection']).toBe('enabled');
      expect(one(objs, 'Deployment', 'api').spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    } finally {
      spy.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('app ports the mesh proxy listens on itself', () => {
  test.each<[MeshKind, number, string]>([['istio', 15020, 'Istio'], ['istio', 15001, 'Istio'], ['linkerd', 4191, 'Linkerd'], ['linkerd', 4143, 'Linkerd']])(
    '%s: a web service on port %d is refused at enrolment, naming the proxy\'s ports', (kind, port, proxy) => {
      const chart = testChart();
      const web = new WebService(chart, 'x', { image: 'ghcr.io/acme/x:1.0.0', port });
      expect(() => newMesh(chart, kind).enrol(web)).toThrow(
        `shop/x: port (${port}) is a port the ${proxy} proxy listens on in every pod it joins (${kind === 'istio' ? '15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090' : '4140, 4143, 4190, 4191'}), `
        + `and shop/x is enrolled in shop/mesh: the app and the proxy cannot both bind it; pick a port outside ${proxy}'s`);
    });

  test('an extra port, a peer port or a Worker\'s health port on a proxy port is refused naming its own prop', () => {
    const chart = testChart();
    const web = new WebService(chart, 'x', { image: 'ghcr.io/acme/x:1.0.0', extraPorts: [{ name: 'metrics', port: 9090 }, { name: 'admin', port: 4191 }] });
    expect(() => newMesh(chart, 'linkerd').enrol(web)).toThrow(/^shop\/x: extraPorts\[1\]\.port \(4191\) is a port the Linkerd proxy listens on in every pod it joins/);
    const other = testChart();
    const db = new StatefulService(other, 'db', { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez'), image: 'ghcr.io/acme/db:1.0.0', port: 5432, peerPorts: [{ name: 'repl', port: 15020 }] });
    expect(() => new IstioMesh(other, 'istio').enrol(db)).toThrow(/^shop\/db: peerPorts\[0\]\.port \(15020\) is a port the Istio proxy listens on/);
    const third = testChart();
    const worker = new Worker(third, 'w', { image: 'ghcr.io/acme/w:1.0.0', healthPort: 4190 });
    expect(() => newMesh(third, 'linkerd').enrol(worker)).toThrow(/^shop\/w: healthPort \(4190\) is a port the Linkerd proxy listens on/);
  });

  test('a port of the other mesh is not refused (Linkerd\'s 4191 under Istio)', () => {
    const chart = testChart();
    const web = new WebService(chart, 'x', { image: 'ghcr.io/acme/x:1.0.0', port: 4191 });
    new IstioMesh(chart, 'mesh').enrol(web);
    expect(validationErrors(chart)).toEqual([]);
  });

  test('a sidecar added after enrolment on a proxy port is refused at synth, naming the sidecar', () => {
    const chart = testChart();
    const web = new WebService(chart, 'x', { image: 'ghcr.io/acme/x:1.0.0' });
    new IstioMesh(chart, 'mesh').enrol(web);
    web.addSidecar(new LogShipper({ monitoringPort: 15090 }));
    expect(validationErrors(chart)).toEqual([expect.stringContaining('shop/x: sidecars.log-shipper.port (15090) is a port the Istio proxy listens on in every pod it joins')]);
  });
});

describe('a meshed ingress-nginx in front of Istio-enrolled backends', () => {
  const meshedNginx = () => NetworkPeer.ingressController('ingress-nginx', NGINX, { meshed: true });
  const VHOST = {
    'nginx.ingress.kubernetes.io/service-upstream': 'true',
    'nginx.ingress.kubernetes.io/upstream-vhost': 'api.shop.svc.cluster.local',
  };

  test('without the upstream annotations: refused at synth, naming the two annotations to set', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new IstioMesh(chart, 'mesh').enrol(api);
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls'), controller: meshedNginx() });
    expect(validationErrors(chart)).toEqual([
      'shop/web: controller (meshed ingress controller in ingress-nginx) reaches shop/api, which is enrolled in Istio: '
      + 'ingress-nginx sends to pod addresses with the client\'s Host header, which its Istio sidecar matches to no service, so requests leave as plaintext and the backend\'s '
      + "STRICT mTLS refuses them; set annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'true', 'nginx.ingress.kubernetes.io/upstream-vhost': 'api.shop.svc.cluster.local' } "
      + '(ingress-nginx then sends to the Service, which the sidecar routes with mutual TLS)',
    ]);
  });

  test('with them: accepted and written; an unmeshed controller, Linkerd, or another class need none', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new IstioMesh(chart, 'mesh').enrol(api);
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls'), controller: meshedNginx(), annotations: VHOST });
    expect(validationErrors(chart)).toEqual([]);
    expect(one(chart.toJson(), 'Ingress').metadata.annotations).toEqual(VHOST);

    const plain = testChart();
    const api2 = new WebService(plain, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new IstioMesh(plain, 'mesh').enrol(api2);
    new HttpIngress(plain, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api2 }] }], tls: IngressTls.secret('shop-tls') });
    expect(validationErrors(plain)).toEqual([]);

    const linkerd = testChart();
    const api3 = new WebService(linkerd, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new LinkerdMesh(linkerd, 'mesh').enrol(api3);
    new HttpIngress(linkerd, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api3 }] }], tls: IngressTls.secret('shop-tls'), controller: meshedNginx() });
    expect(validationErrors(linkerd)).toEqual([]);
  });

  test('the vhost is the Service\'s host name in the mesh\'s cluster domain', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new IstioMesh(chart, 'mesh', { clusterDomain: 'corp.local' }).enrol(api);
    new HttpIngress(chart, 'web', { rules: [{ host: 'shop.example.com', paths: [{ backend: api }] }], tls: IngressTls.secret('shop-tls'), controller: meshedNginx(), annotations: VHOST });
    expect(validationErrors(chart)).toEqual([expect.stringContaining("'nginx.ingress.kubernetes.io/upstream-vhost': 'api.shop.svc.corp.local' }")]);
    const ok = testChart();
    const api2 = new WebService(ok, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    new IstioMesh(ok, 'mesh', { clusterDomain: 'corp.local' }).enrol(api2);
    new HttpIngress(ok, 'web', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: api2 }] }],
      tls: IngressTls.secret('shop-tls'),
      controller: meshedNginx(),
      annotations: { ...VHOST, 'nginx.ingress.kubernetes.io/upstream-vhost': 'api.shop.svc.corp.local' },
    });
    expect(validationErrors(ok)).toEqual([]);
  });

  test('two backend Services behind one Ingress: refused, one HttpIngress per backend Service', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    mesh.enrol(api);
    mesh.enrol(web);
    new HttpIngress(chart, 'ing', {
      rules: [{ host: 'shop.example.com', paths: [{ backend: web }, { path: '/api', backend: api }] }], tls: IngressTls.secret('shop-tls'), controller: meshedNginx(), annotations: VHOST,
    });
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/holds one backend Service per Ingress, and this one routes to 2 \(web, api\): give each backend Service its own HttpIngress$/)]);
  });
});

describe('a job on a cluster older than 1.29 cannot be enrolled', () => {
  test('the fix is to upgrade the cluster (its version caps the target), not to set a target it would refuse', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-old-cluster-')), cluster: clusterFixture({ kubernetesVersion: '1.28' }) });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const job = new Job(chart, 'migrate', { image: 'ghcr.io/acme/api:1.4.2' });
    expectError(() => new IstioMesh(chart, 'mesh').enrol(job),
      /; upgrade cluster shop-prod \(Kubernetes 1\.28, which caps the target\) to 1\.29 or later, then raise the target \(KubernetesTarget\.set\(chart, KubernetesVersion\.V1_29\)\), where the proxy runs as a native sidecar/);
  });
});

describe('Linkerd and the kubelet\'s gRPC probes', () => {
  const grpcService = (chart: Chart) => new WebService(chart, 'orders', {
    image: 'ghcr.io/acme/orders:1.0.0', port: 9090, portName: 'grpc', readiness: Probe.grpc({ service: 'readiness' }), liveness: Probe.grpc(),
  });

  test('on a Server that admits meshed callers only: refused at synth (Linkerd authorizes HTTP probes only), naming the ways out', () => {
    const chart = testChart();
    new LinkerdMesh(chart, 'mesh').enrol(grpcService(chart));
    expect(validationErrors(chart)).toEqual([
      'shop/orders: readinessProbe, livenessProbe (gRPC, port 9090) reach the Linkerd Server of shop/orders, which admits meshed callers only: Linkerd\'s default '
      + 'policy authorizes the kubelet\'s HTTP probes (by their paths) only, so the gRPC probes are refused and the pods never become ready; probe an HTTP health '
      + 'endpoint (Probe.http), or run the check in the container (Probe.exec, for example grpc_health_probe)',
    ]);
  });

  test('accepted under Istio (which rewrites the probes), and with HTTP probes under Linkerd', () => {
    const chart = testChart();
    new LinkerdMesh(chart, 'mesh').enrol(new WebService(chart, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 9090, portName: 'grpc' }));
    expect(validationErrors(chart)).toEqual([]);
    const istio = testChart();
    new IstioMesh(istio, 'mesh').enrol(grpcService(istio));
    expect(validationErrors(istio)).toEqual([]);
  });
});

describe('Linkerd Server protocol of a gRPC or HTTP/2 port the kubelet probes over HTTP', () => {
  const serverOf = (chart: Chart) => chart.toJson().find((o: any) => o.kind === 'Server');

  test('a grpc port with the default HTTP probes is detected (unknown), since a gRPC Server refuses the kubelet\'s HTTP/1.1 probes', () => {
    const chart = testChart();
    new LinkerdMesh(chart, 'mesh').enrol(new WebService(chart, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 9090, portName: 'grpc' }));
    expect(serverOf(chart).spec.proxyProtocol).toBe('unknown');
    expect(validationErrors(chart)).toEqual([]);
  });

  test('a grpc port probed another way (Probe.exec) keeps the gRPC Server; an h2c port with HTTP probes is detected too', () => {
    const chart = testChart();
    new LinkerdMesh(chart, 'mesh').enrol(new WebService(chart, 'orders', {
      image: 'ghcr.io/acme/orders:1.0.0', port: 9090, portName: 'grpc', readiness: Probe.exec(['grpc_health_probe', '-addr=:9090', '-service=readiness']), liveness: Probe.exec(['grpc_health_probe', '-addr=:9090']),
    }));
    expect(serverOf(chart).spec.proxyProtocol).toBe('gRPC');
    const h2 = testChart();
    new LinkerdMesh(h2, 'mesh').enrol(new WebService(h2, 'api', { image: 'ghcr.io/acme/api:1.0.0', portName: 'h2c' }));
    expect(serverOf(h2).spec.proxyProtocol).toBe('unknown');
  });

  test('a mesh protocol of gRPC on a service the kubelet probes over HTTP is kept, with a warning naming the fix', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh', { protocol: LinkerdProtocol.GRPC });
    const said = stderrOf(() => mesh.enrol(new WebService(chart, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 9090, portName: 'grpc' })));
    expect(serverOf(chart).spec.proxyProtocol).toBe('gRPC');
    expect(said).toContain('shipshape warning: shop/mesh: protocol gRPC makes the Linkerd Server of shop/orders (port 9090) gRPC only, without protocol detection, but the kubelet probes that port '
      + 'over HTTP/1.1 (Probe.http, the default probes), which such a Server refuses (linkerd/linkerd2#10775): the probes would fail and the pods never become ready; '
      + 'leave protocol unset');
  });
});

describe('Velero file-system backup of an enrolled StatefulService', () => {
  const excludes = (mesh: (c: Chart) => IMesh | undefined) => {
    const chart = testChart();
    const db = new StatefulService(chart, 'db', {
      image: 'ghcr.io/acme/postgres:16.4',
      port: 5432,
      quorum: false,
      readiness: Probe.exec(['pg_isready']),
      liveness: Probe.exec(['pg_isready', '--timeout=5']),
      volumes: [{ name: 'data', size: '10Gi', mountPath: '/var/lib/postgresql/data' }],
      backup: { schedule: Schedule.cron('0 3 * * *'), fileSystemBackup: true },
    });
    mesh(chart)?.enrol(db);
    return String(one(chart.toJson(), 'StatefulSet', 'db').spec.template.metadata.annotations['backup.velero.io/backup-volumes-excludes']).split(',');
  };

  test('leaves out the volumes the mesh injector adds (Linkerd\'s proxy identity holds its private key), besides the scratch volumes', () => {
    const plain = excludes(() => undefined);
    expect(plain).toContain('tmp');
    expect(excludes(c => new LinkerdMesh(c, 'mesh'))).toEqual([...plain, 'linkerd-identity-end-entity', 'linkerd-proxy-init-xtables-lock']);
    expect(excludes(c => new IstioMesh(c, 'mesh'))).toEqual([...plain, 'istio-envoy', 'istio-data', 'workload-socket', 'credential-socket', 'workload-certs']);
  });
});
