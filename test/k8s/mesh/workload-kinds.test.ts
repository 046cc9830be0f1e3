import { Chart, Duration } from 'cdk8s';
import {
  HttpIngress, IngressTls, Job, KubernetesTarget, KubernetesVersion, NetworkPeer, Probe, Schedule, ScheduledJob, StatefulService, WebService, Worker,
} from '../../../lib/k8s';
import { IMesh, IstioMesh, LinkerdMesh, LinkerdProtocol } from '../../../lib/k8s/mesh';
import { byKind, expectError, expectValidWithCrds, one, policyErrors, testChart, validationErrors } from '../networking/traffic-util';

/** A PostgreSQL-like StatefulService, called by a web service (both enrolled). */
function database(chart: Chart, mesh: IMesh): { db: StatefulService; api: WebService } {
  const db = new StatefulService(chart, 'db', {
    image: 'ghcr.io/acme/postgres:16.4',
    port: 5432,
    portName: 'postgres',
    quorum: false,
    peerPorts: [{ name: 'repl', port: 5433 }],
    readiness: Probe.exec(['pg_isready', '-h', '127.0.0.1', '-p', '5432']),
    liveness: Probe.tcp({ periodSeconds: 20 }),
  });
  const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
  db.allowFrom(api);
  mesh.enrol(api);
  mesh.enrol(db);
  return { db, api };
}
const of = (objs: any[], instance: string) => objs.filter(o => o.metadata?.labels?.['app.kubernetes.io/instance'] === instance);
const podMeta = (objs: any[], kind: string, name: string) => {
  const o = one(objs, kind, name);
  return kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata : o.spec.template.metadata;
};

describe('a StatefulService (a database) is meshed as opaque TCP', () => {
  test('Linkerd: an opaque Server on the client port, opaque peer ports, no HTTPRoute; the authorization still targets the Server', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh', { protocol: LinkerdProtocol.HTTP_2 });
    database(chart, mesh);
    const objs = chart.toJson();
    expect(one(objs, 'Server', 'db').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' } },
      port: 'postgres',
      proxyProtocol: 'opaque',
      accessPolicy: 'deny',
    });
    // the mesh's HTTP protocol is the web services' only
    expect(one(objs, 'Server', 'api').spec.proxyProtocol).toBe('HTTP/2');
    expect(byKind(of(objs, 'db'), 'HTTPRoute')).toEqual([]);
    expect(byKind(of(objs, 'api'), 'HTTPRoute').length).toBeGreaterThan(0);
    expect(podMeta(objs, 'StatefulSet', 'db').annotations['config.linkerd.io/opaque-ports']).toBe('5432,5433');
    expect(podMeta(objs, 'Deployment', 'api').annotations['config.linkerd.io/opaque-ports']).toBeUndefined();
    expect(one(objs, 'AuthorizationPolicy', 'db').spec.targetRef).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'db' });
    // the replicas themselves (a StatefulService admits its own pods) and the declared caller
    expect(one(objs, 'MeshTLSAuthentication', 'db').spec.identityRefs).toEqual([
      { kind: 'ServiceAccount', name: 'db', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'api', namespace: 'shop' },
    ]);
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('Linkerd: a client port the kubelet probes over HTTP is left to protocol detection, so the probes are still authorized', () => {
    const chart = testChart();
    const mesh = new LinkerdMesh(chart, 'mesh');
    // the StatefulService default probes: Probe.http('/readyz') and Probe.http('/livez') on the client port
    const store = new StatefulService(chart, 'store', { image: 'ghcr.io/acme/store:2.1.0', port: 2379, peerPorts: [{ name: 'peer', port: 2380 }] });
    mesh.enrol(store);
    const objs = chart.toJson();
    expect(one(objs, 'Server', 'store').spec.proxyProtocol).toBe('unknown');
    expect(byKind(of(objs, 'store'), 'HTTPRoute')).toEqual([]);
    expect(podMeta(objs, 'StatefulSet', 'store').annotations['config.linkerd.io/opaque-ports']).toBe('2380');
    expectValidWithCrds(objs);
  });

  test('Istio: no VirtualService, a DestinationRule with ISTIO_MUTUAL and a TCP connection limit only, an authorization by identity and port', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/postgres:16.4', port: 5432, portName: 'postgres', quorum: false, readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp() });
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    db.allowFrom(api);
    mesh.enrol(api);
    mesh.enrol(db, { circuitBreaker: { maxConnections: 50 } });
    const objs = chart.toJson();
    expect(byKind(of(objs, 'db'), 'VirtualService')).toEqual([]);
    expect(one(objs, 'DestinationRule', 'db').spec).toEqual({
      host: 'db.shop.svc.cluster.local',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { tcp: { maxConnections: 50, connectTimeout: '5s' } } },
    });
    const rules = one(objs, 'AuthorizationPolicy', 'db').spec.rules;
    expect(rules).toContainEqual({ from: [{ source: { principals: ['cluster.local/ns/shop/sa/api'] } }], to: [{ operation: { ports: ['5432'] } }] });
    // only TCP-level fields: Istio would ignore an HTTP-only rule (methods, paths, hosts) for TCP and deny it
    for (const r of rules) for (const t of r.to ?? []) expect(Object.keys(t.operation)).toEqual(['ports']);
    expect(one(objs, 'PeerAuthentication', 'db').spec.mtls).toEqual({ mode: 'STRICT' });
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('Istio: every port of both Services of a StatefulService is declared appProtocol tcp, so a server-first protocol (MySQL) is not sniffed', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const db = new StatefulService(chart, 'mysql', {
      image: 'ghcr.io/acme/mysql:8.4.2',
      port: 3306,
      portName: 'mysql',
      servicePort: 3306,
      replicas: 1,
      peerPorts: [{ name: 'xcom', port: 33061 }],
      readiness: Probe.exec(['mysqladmin', 'ping', '-h', '127.0.0.1']),
      liveness: Probe.tcp(),
    });
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    db.allowFrom(api);
    mesh.enrol(db);
    mesh.enrol(api);
    const objs = chart.toJson();
    expect(one(objs, 'Service', 'mysql').spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP', appProtocol: 'tcp' }]);
    expect(one(objs, 'Service', 'mysql-headless').spec.ports).toEqual([
      { name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP', appProtocol: 'tcp' },
      { name: 'xcom', port: 33061, targetPort: 'xcom', protocol: 'TCP', appProtocol: 'tcp' },
    ]);
    // a WebService speaks HTTP: left to Istio's HTTP handling
    for (const p of one(objs, 'Service', 'api').spec.ports) expect(p.appProtocol).toBeUndefined();
    expect(validationErrors(chart)).toEqual([]);
    expectValidWithCrds(objs);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('Linkerd and no mesh: no appProtocol (Linkerd reads the opaque-ports annotation, and tcp means nothing to it)', () => {
    for (const meshed of [true, false]) {
      const chart = testChart();
      const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/mysql:8.4.2', port: 3306, replicas: 1, readiness: Probe.exec(['mysqladmin', 'ping']), liveness: Probe.tcp() });
      if (meshed) new LinkerdMesh(chart, 'mesh').enrol(db);
      const objs = chart.toJson();
      expect(one(objs, 'Service', 'db').spec.ports).toEqual([{ name: 'client', port: 3306, targetPort: 'client', protocol: 'TCP' }]);
      expect(one(objs, 'Service', 'db-headless').spec.ports).toEqual([{ name: 'client', port: 3306, targetPort: 'client', protocol: 'TCP' }]);
      if (meshed) expect(podMeta(objs, 'StatefulSet', 'db').annotations['config.linkerd.io/opaque-ports']).toBe('3306');
    }
  });

  test('HTTP settings asked of a StatefulService are refused (they would do nothing), naming the option and the fix', () => {
    const make = () => {
      const chart = testChart();
      const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/postgres:16.4', port: 5432, portName: 'postgres', quorum: false, readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp() });
      return { chart, db };
    };
    let m = make();
    expectError(() => new LinkerdMesh(m.chart, 'mesh').enrol(m.db, { retries: { attempts: 3 } }),
      /shop\/db: retries \(\{"attempts":3\}\) applies to HTTP services only, and a StatefulService is meshed as opaque TCP.*; remove it/);
    m = make();
    expectError(() => new IstioMesh(m.chart, 'mesh').enrol(m.db, { timeout: Duration.seconds(5) }), /shop\/db: timeout \("5000ms"\) applies to HTTP services only/);
    m = make();
    expectError(() => new IstioMesh(m.chart, 'mesh').enrol(m.db, { circuitBreaker: { consecutive5xxErrors: 3 } }),
      /shop\/db: circuitBreaker\.consecutive5xxErrors \(3\) applies to HTTP services only.*circuitBreaker\.maxConnections still limits the TCP connections/);
  });
});

describe('traffic settings asked of a workload without a Service', () => {
  test('timeout, retries and (Istio) circuitBreaker on a Worker or a Job are refused, naming the option and the fix; proxyResources still applies', () => {
    const why = 'has no Service (nothing calls it), so it would change nothing; remove it: a caller\'s requests are timed, retried and broken by the enrolment of the service it calls';
    let chart = testChart();
    const worker = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    expectError(() => new IstioMesh(chart, 'mesh').enrol(worker, { timeout: Duration.seconds(3) }),
      `shop/worker: timeout ("3000ms") shapes the requests to a workload's Service, and a Worker ${why}`);
    chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_29);
    const job = new Job(chart, 'migrate', { image: 'ghcr.io/acme/migrate:1.0.0' });
    expectError(() => new LinkerdMesh(chart, 'mesh').enrol(job, { retries: { attempts: 5 } }),
      `shop/migrate: retries ({"attempts":5}) shapes the requests to a workload's Service, and a Job ${why}`);
    chart = testChart();
    const other = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    expectError(() => new IstioMesh(chart, 'mesh').enrol(other, { circuitBreaker: { maxConnections: 10 } }), /shop\/worker: circuitBreaker \("maxConnections"\) shapes the requests/);
    chart = testChart();
    const fine = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    new LinkerdMesh(chart, 'mesh').enrol(fine, { proxyResources: { cpu: '200m', memory: '256Mi', memoryLimit: '256Mi' }, circuitBreaker: { maxConnections: 10 } });
  });
});

describe('Istio routes apply to the service port only', () => {
  test('every VirtualService route matches the service port, so calls to an extra port are not sent to it', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', extraPorts: [{ name: 'metrics', port: 9090 }] });
    mesh.enrol(api);
    const objs = chart.toJson();
    const http = one(objs, 'VirtualService', 'api').spec.http;
    expect(http.map((r: any) => r.match)).toEqual([
      [{ method: { regex: '^(GET|HEAD|OPTIONS|PUT|DELETE)$' }, port: 80 }],
      [{ port: 80 }],
    ]);
    for (const r of http) expect(r.route).toEqual([{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 80 } } }]);
    expectValidWithCrds(objs);
  });

  test('a custom service port, and the single route of retryNonIdempotent, are scoped too', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', servicePort: 8000, extraPorts: [{ name: 'metrics', port: 9090 }] });
    mesh.enrol(api, { retries: { retryNonIdempotent: true } });
    const http = one(chart.toJson(), 'VirtualService', 'api').spec.http;
    expect(http).toHaveLength(1);
    expect(http[0].match).toEqual([{ port: 8000 }]);
  });
});

describe('jobs in a mesh', () => {
  const IMAGE = 'ghcr.io/acme/report:1.0.0';
  const jobs = (chart: Chart) => ({
    job: new Job(chart, 'migrate', { image: IMAGE }),
    cron: new ScheduledJob(chart, 'report', { image: IMAGE, schedule: Schedule.cron('0 4 * * *') }),
  });

  test('Istio on Kubernetes 1.29+: the proxy of a Job and a ScheduledJob is a native sidecar', () => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_29);
    const mesh = new IstioMesh(chart, 'mesh');
    const { job, cron } = jobs(chart);
    mesh.enrol(job);
    mesh.enrol(cron);
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2' });
    mesh.enrol(api);
    const objs = chart.toJson();
    expect(podMeta(objs, 'Job', 'migrate').annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(podMeta(objs, 'CronJob', 'report').annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    // long-running workloads are left to the mesh's default
    expect(podMeta(objs, 'Deployment', 'api').annotations['sidecar.istio.io/nativeSidecar']).toBeUndefined();
    expectValidWithCrds(objs);
  });

  test('Linkerd on Kubernetes 1.33: the native-sidecar annotation (alpha and beta spellings) on the job pods', () => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_33);
    const mesh = new LinkerdMesh(chart, 'mesh');
    const { job, cron } = jobs(chart);
    mesh.enrol(job);
    mesh.enrol(cron);
    const objs = chart.toJson();
    for (const m of [podMeta(objs, 'Job', 'migrate'), podMeta(objs, 'CronJob', 'report')]) {
      expect(m.annotations['config.alpha.linkerd.io/proxy-enable-native-sidecar']).toBe('true');
      expect(m.annotations['config.beta.linkerd.io/proxy-enable-native-sidecar']).toBe('true');
    }
    expectValidWithCrds(objs);
  });

  test('below 1.29 enrolling a job is refused, naming it, the target and the fix (Istio and Linkerd)', () => {
    let chart = testChart();
    expectError(() => new IstioMesh(chart, 'mesh').enrol(jobs(chart).cron),
      /shop\/mesh: enrol \("shop\/report"\) is a ScheduledJob, and the Kubernetes target is 1\.27: there the Istio proxy is an ordinary container that keeps running after the job's container exits.*; raise the target to 1\.29 or later \(KubernetesTarget\.set\(chart, KubernetesVersion\.V1_29\)\).*or leave shop\/report out of the mesh/);
    chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_28);
    expectError(() => new LinkerdMesh(chart, 'mesh').enrol(jobs(chart).job), /enrol \("shop\/migrate"\) is a Job, and the Kubernetes target is 1\.28: there the Linkerd proxy/);
  });

  test('below 1.29 a job calling a meshed service is not told to enrol', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const { cron } = jobs(chart);
    const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/postgres:16.4', port: 5432, quorum: false, readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp() });
    cron.allowTo(db);
    mesh.enrol(db);
    expect(validationErrors(chart)).toEqual([
      "allowFrom (ScheduledJob shop/report) is not enrolled in the mesh, so its calls carry no Istio identity and shop/db's Istio policy refuses them; "
      + 'shop/report is a ScheduledJob and cannot be enrolled while the Kubernetes target is 1.27 (its proxy would keep every run from finishing): '
      + 'raise the target to 1.29 or later (KubernetesTarget.set(chart, KubernetesVersion.V1_29)) and enrol it, leave shop/db out of the mesh, or remove the connection',
    ]);
  });

  test('from 1.29 a job calling a meshed service is told to enrol, and once enrolled is authorized', () => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_30);
    const mesh = new LinkerdMesh(chart, 'mesh');
    const { cron } = jobs(chart);
    const db = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/postgres:16.4', port: 5432, quorum: false, readiness: Probe.exec(['pg_isready']), liveness: Probe.tcp() });
    cron.allowTo(db);
    mesh.enrol(db);
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/; enrol shop\/report in the same mesh \(mesh\.enrol\(\.\.\.\)\), or remove the connection$/)]);
    mesh.enrol(cron);
    expect(validationErrors(chart)).toEqual([]);
    expect(one(chart.toJson(), 'MeshTLSAuthentication', 'db').spec.identityRefs).toContainEqual({ kind: 'ServiceAccount', name: 'report', namespace: 'shop' });
  });

  test('a Worker (long-running, no Service) is enrolled on any target and gets no native-sidecar annotation', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    mesh.enrol(new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }));
    expect(podMeta(chart.toJson(), 'Deployment', 'worker').annotations['sidecar.istio.io/nativeSidecar']).toBeUndefined();
  });
});

describe('an ALB ingress in front of a meshed service', () => {
  const setup = (mesh: (c: Chart) => IMesh) => {
    const chart = testChart();
    const m = mesh(chart);
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    new HttpIngress(chart, 'ing', {
      rules: [{ host: 'a.example.com', paths: [{ backend: api }] }],
      tls: IngressTls.acm('arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
      aws: { vpcCidr: '10.20.0.0/16' },
    });
    m.enrol(api);
    return validationErrors(chart);
  };

  test.each([
    ['Istio', (c: Chart) => new IstioMesh(c, 'mesh')],
    ['Linkerd', (c: Chart) => new LinkerdMesh(c, 'mesh')],
  ])('%s: the error names the Ingress and the ALB, says why it cannot reach the pod and what to do; no repeated path', (name, mesh) => {
    const errors = setup(mesh);
    expect(errors).toHaveLength(1);
    const e = errors[0];
    // synth prefixes "[shop/api] ": the message does not start with the path again
    expect(e).toMatch(/^HttpIngress shop\/ing routes to this workload on port 8080 through its AWS Application Load Balancer, which it admits by IP range \(10\.20\.0\.0\/16, the VPC: the ALB sends each request straight to a pod IP\)/);
    const refuser = name === 'Istio' ? "Istio's STRICT mutual TLS" : 'the Linkerd Server on that port (meshed callers only)';
    expect(e).toContain(`runs no ${name} proxy, so its connections carry no mesh identity and ${refuser} refuses every one of them: the ingress could never reach shop/api`);
    expect(e).toMatch(/put a meshed proxy in between \(point the ALB at a meshed ingress controller or gateway/);
    expect(e).toContain('NetworkPeer.ingressController(namespace, labels, { meshed: true })');
    expect(e).toMatch(/or leave shop\/api out of the mesh$/);
    expect(e).not.toMatch(/^shop\/api:/);
  });

  test('an IP range the user allowed themselves keeps the allowFrom wording', () => {
    const chart = testChart();
    const mesh = new IstioMesh(chart, 'mesh');
    const api = new WebService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
    api.allowFrom(NetworkPeer.cidr('10.0.0.0/16'));
    mesh.enrol(api);
    expect(validationErrors(chart)).toEqual([expect.stringMatching(/^allowFrom \(CIDR 10\.0\.0\.0\/16\) is an IP range/)]);
  });
});
