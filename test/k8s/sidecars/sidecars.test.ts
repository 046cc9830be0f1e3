import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { App, EnvValue, Job, KubernetesTarget, KubernetesVersion, NetworkPeer, Probe, Schedule, ScheduledJob, StatefulService, WebService, Worker } from '../../../lib/k8s';
import { AmbassadorProxy, InitTask, InitTasks, ISidecar, LogShipper, MetricsAdapter } from '../../../lib/k8s/sidecars';
import { KubernetesPack, PolicyEngine } from '../../../lib/policy';
import { k8sDocument } from '../../../lib/policy/runner';
import { stderrOf } from '../../util/k8s';
import { CURRENT_K8S_VERSION, expectValid } from '../../util/schema';
import { expectError, one, policyErrors, testChart, validationErrors } from '../networking/traffic-util';
import { cluster, pool } from '../platform/fixtures';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const pod = (objs: any[]) => one(objs, 'Deployment').spec.template.spec;

function allFour(chart: Chart): WebService {
  const api = new WebService(chart, 'api', { image: IMAGE });
  api.addSidecar(new LogShipper({ configMapName: 'fluent-bit-config', destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
  api.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', podMonitor: true }));
  // listening on the pod IP too (--address), so the kubelet can probe it
  api.addSidecar(new AmbassadorProxy({
    image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
    args: ['--address=0.0.0.0', '--port=5432', 'acme:europe-west1:ledger'],
    listenPort: 5432,
    upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [3307] }),
    readiness: Probe.tcp(),
  }));
  api.addSidecar(new InitTasks({
    tasks: [
      InitTask.waitFor('wait-for-db', { host: 'db.shop.svc.cluster.local', port: 5432, peer: NetworkPeer.pods('shop', { app: 'db' }) }),
      InitTask.run('migrate', { image: 'ghcr.io/acme/api-migrate:1.4.2', args: ['up'] }),
      InitTask.renderConfig('render-config', { image: 'ghcr.io/acme/confd:0.16.0', outputPath: '/etc/app' }),
    ],
  }));
  return api;
}

describe('sidecars on Kubernetes 1.27 (default target): regular containers', () => {
  const chart = testChart();
  allFour(chart);
  const objs = chart.toJson();
  const spec = pod(objs);

  test('long-running sidecars are regular containers after the app; init tasks run in order', () => {
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper', 'metrics-adapter', 'ambassador']);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db', 'migrate', 'render-config']);
    expect(spec.initContainers.every((c: any) => c.restartPolicy === undefined)).toBe(true);
  });

  test('every sidecar is hardened like the main container, with resources', () => {
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.imagePullPolicy).toBe('Always');
    }
  });

  test('default sidecar resources: 50m/200m cpu, 64Mi memory, 64Mi/256Mi ephemeral storage', () => {
    expect(spec.containers[1].resources).toEqual({
      requests: { 'cpu': '50m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '200m', 'memory': '64Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('init tasks that run a command are sized like the app container; a wait task keeps the small sidecar size', () => {
    const [wait, migrate, render] = spec.initContainers;
    expect(migrate.resources).toEqual(spec.containers[0].resources);
    expect(render.resources).toEqual(spec.containers[0].resources);
    expect(wait.resources).toEqual({
      requests: { 'cpu': '50m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '200m', 'memory': '64Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('log shipper: default Fluent Bit image, shared emptyDir read-only in the shipper and writable in the app, distinct probes', () => {
    const shipper = spec.containers[1];
    expect(shipper.image).toBe('cr.fluentbit.io/fluent/fluent-bit:3.1.9');
    expect(shipper.volumeMounts).toContainEqual({ name: 'log-shipper-logs', mountPath: '/var/log/app', readOnly: true });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'log-shipper-logs', mountPath: '/var/log/app' });
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-logs', emptyDir: { sizeLimit: '256Mi' } });
    expect(shipper.readinessProbe.httpGet).toEqual({ path: '/api/v1/uptime', port: 'log-http' });
    expect(shipper.livenessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'log-http' });
    expect(shipper.volumeMounts).toContainEqual({ name: 'log-shipper-config', mountPath: '/fluent-bit/etc', readOnly: true });
  });

  test('metrics adapter: port 9102 named metrics, PodMonitor, NetworkPolicy admits Prometheus', () => {
    const exporter = spec.containers[2];
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9102, protocol: 'TCP' }]);
    expect(one(objs, 'PodMonitor').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    expect(one(objs, 'NetworkPolicy').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 9102, protocol: 'TCP' }],
    });
  });

  test('ambassador: listens on the local port, with the readiness probe it was given; egress to its upstream', () => {
    const amb = spec.containers[3];
    expect(amb.ports).toEqual([{ name: 'proxy', containerPort: 5432, protocol: 'TCP' }]);
    expect(amb.readinessProbe.tcpSocket).toEqual({ port: 'proxy' });
    expect(amb.livenessProbe).toBeUndefined();
    expect(one(objs, 'NetworkPolicy').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.32.0/20' } }], ports: [{ port: 3307, protocol: 'TCP' }] });
  });

  test('init tasks: wait-for uses busybox and nc with an egress rule; render-config shares its output read-only with the app', () => {
    const [wait, , render] = spec.initContainers;
    expect(wait.image).toBe('busybox:1.36.1');
    expect(wait.command[2]).toContain('nc -z -w 2 db.shop.svc.cluster.local 5432');
    expect(one(objs, 'NetworkPolicy').spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(render.volumeMounts).toContainEqual({ name: 'render-config-out', mountPath: '/etc/app' });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'render-config-out', mountPath: '/etc/app', readOnly: true });
  });

  test('validates strictly against 1.27 and 1.36 (PodMonitor against its CRD) and passes the policy pack', () => {
    expectValid(objs);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('native sidecars on Kubernetes 1.29+', () => {
  const chart = testChart();
  KubernetesTarget.set(chart, KubernetesVersion.V1_30);
  allFour(chart);
  const objs = chart.toJson();
  const spec = pod(objs);

  test('long-running sidecars become init containers with restartPolicy Always, before the init tasks', () => {
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
      ['log-shipper', 'Always'], ['metrics-adapter', 'Always'], ['ambassador', 'Always'],
      ['wait-for-db', undefined], ['migrate', undefined], ['render-config', undefined],
    ]);
  });

  test('a native sidecar with a readiness check gets it as its startup probe: the init tasks and the app start once it listens', () => {
    for (const c of spec.initContainers.filter((x: any) => x.restartPolicy === 'Always')) {
      expect(c.readinessProbe).toBeDefined();
      const { periodSeconds, failureThreshold, successThreshold, ...handler } = c.startupProbe;
      const { periodSeconds: _p, failureThreshold: _f, successThreshold: _s, ...readiness } = c.readinessProbe;
      expect(handler).toEqual(readiness);
      expect([periodSeconds, failureThreshold, successThreshold]).toEqual([2, 30, 1]);
    }
    // classic sidecars (1.27) keep no startup probe: they start beside the app
    const classicChart = testChart();
    allFour(classicChart);
    expect(pod(classicChart.toJson()).containers.filter((c: any) => c.name !== 'app').map((c: any) => c.startupProbe)).toEqual([undefined, undefined, undefined]);
  });

  test('validates strictly against Kubernetes 1.36 and passes the policy pack', () => {
    expectValid(objs, [CURRENT_K8S_VERSION]);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('the target is read from the nearest scope; the default is 1.27', () => {
    expect(KubernetesTarget.of(chart).toString()).toBe('1.30');
    expect(KubernetesTarget.of(testChart())).toBe(KubernetesVersion.V1_27);
    expect(KubernetesVersion.of('1.31').supportsNativeSidecars).toBe(true);
    expect(KubernetesVersion.V1_28.supportsNativeSidecars).toBe(false);
  });
});

describe('sidecar errors', () => {
  const api = () => new WebService(testChart(), 'api', { image: IMAGE });

  test('a sidecar port already used in the pod', () => {
    expectError(() => api().addSidecar(new AmbassadorProxy({ image: 'envoyproxy/envoy:v1.31.2', listenPort: 8080, upstream: NetworkPeer.cidr('10.0.0.0/8') })),
      /sidecars\.ambassador\.listenPort \(8080\) is already a port of the pod/);
  });

  test('two sidecars with the same name', () => {
    const w = api();
    w.addSidecar(new LogShipper());
    expectError(() => w.addSidecar(new LogShipper()), /sidecars\.log-shipper\.name \("log-shipper"\) is already the name of a container in this pod/);
  });

  test('a privileged port', () => {
    expectError(() => api().addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', port: 80 })), /sidecars\.metrics-adapter\.port \(80\) must be a whole number from 1024 to 65535/);
  });

  test('a latest image', () => {
    expectError(() => api().addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:latest' })), /sidecars\.metrics-adapter\.image/);
  });

  test('a low user id', () => {
    expectError(() => api().addSidecar(new LogShipper({ runAsUser: 0 })), /sidecars\.log-shipper\.runAsUser \(0\) must be a whole number of at least 10001/);
    // 10000 is below what SS-K8S-005 asks (10001 or more): refused here rather than flagged by the policy at synth
    expectError(() => api().addSidecar(new LogShipper({ runAsUser: 10000 })), /sidecars\.log-shipper\.runAsUser \(10000\) must be a whole number of at least 10001/);
  });

  test('a request above its limit', () => {
    expectError(() => api().addSidecar(new LogShipper({ resources: { cpu: '500m', cpuLimit: '200m' } })), /sidecars\.log-shipper\.resources\.cpu \("500m"\) must be <= sidecars\.log-shipper\.resources\.cpuLimit/);
  });

  test('a relative log directory', () => {
    expectError(() => api().addSidecar(new LogShipper({ logDirectory: 'var/log' })), /sidecars\.log-shipper\.logDirectory \("var\/log"\) must be an absolute path/);
  });

  test('a shipshape workload as a MetricsAdapter scraper gets the egress to the metrics port, as allowFrom gives it', () => {
    const chart = testChart();
    const prom = new WebService(chart, 'prometheus', { image: 'quay.io/prometheus/prometheus:v2.54.1', port: 9090, readiness: Probe.http('/-/ready'), liveness: Probe.http('/-/healthy') });
    const orders = new Worker(chart, 'orders', { image: IMAGE });
    orders.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', scraper: prom }));
    const objs = chart.toJson();
    const policy = (name: string) => objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === name).spec;
    expect(policy('orders').ingress).toContainEqual({ from: [{ podSelector: { matchLabels: prom.selectorLabels } }], ports: [{ port: 9102, protocol: 'TCP' }] });
    expect(policy('prometheus').egress).toContainEqual({ to: [{ podSelector: { matchLabels: orders.selectorLabels } }], ports: [{ port: 9102, protocol: 'TCP' }] });
  });

  test('an AmbassadorProxy healthPort is declared on the proxy, so its HTTP probes may use it; an undeclared one is refused with a fix that fits a sidecar', () => {
    const chart = testChart();
    const upstream = NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] });
    const image = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0';
    const web = new WebService(chart, 'api', { image: IMAGE });
    web.addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 9090, readiness: Probe.http('/readiness', { port: 9090 }), liveness: Probe.http('/liveness', { port: 9090 }) }));
    const spec = chart.toJson().find(o => o.kind === 'Deployment').spec.template.spec;
    const proxy = [...spec.containers, ...(spec.initContainers ?? [])].find((c: any) => c.name === 'ambassador');
    // the listen port is the app's over localhost alone: not declared once the probes have a port of their own
    expect(proxy.ports).toEqual([{ name: 'proxy-health', containerPort: 9090, protocol: 'TCP' }]);
    expect(proxy.readinessProbe.httpGet).toMatchObject({ path: '/readiness', port: 'proxy-health' });
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, readiness: Probe.http('/readiness', { port: 9090 }) })),
      'shop/api: sidecars.ambassador.readiness.port (9090) is not a port the container declares (5432) (rule SS-K8S-036); probe a port the sidecar declares, '
      + 'or declare its health port on the sidecar (AmbassadorProxy healthPort)');
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 5432 })),
      /^shop\/api: sidecars\.ambassador\.healthPort \(5432\) is the listen port/);
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPortName: 'hc' })),
      'shop/api: sidecars.ambassador.healthPortName ("hc") names a health port, but healthPort is not set; set healthPort to the port the proxy serves its health checks on, or leave healthPortName out');
  });

  test('an AmbassadorProxy healthPort on a Worker: its name does not clash with the worker\'s health port, and a clash names both props', () => {
    const chart = testChart();
    const upstream = NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] });
    const image = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0';
    const worker = new Worker(chart, 'jobs', { image: IMAGE });
    worker.addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 9090, readiness: Probe.http('/readiness', { port: 9090 }), liveness: Probe.http('/liveness', { port: 9090 }) }));
    const spec = chart.toJson().find(o => o.kind === 'Deployment').spec.template.spec;
    const names = [...spec.containers, ...(spec.initContainers ?? [])].flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
    expect(names.sort()).toEqual(['health', 'proxy-health']);
    // the worker's policy check has nothing to say of the undeclared listen port (SS-K8S-048 read a declared one as taking calls)
    const report = new PolicyEngine({ packs: [new KubernetesPack()] }).check(chart.toJson().map((m: any, i: number) => k8sDocument(m, `out/${i}`)));
    expect(report.findings.filter(f => f.ruleId === 'SS-K8S-048')).toEqual([]);
    // the listen port still counts for clashes, and no other pod may be admitted to the proxy's ports
    expectError(() => new Worker(testChart(), 'jobs', { image: IMAGE, healthPort: 5432 }).addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 9090 })),
      /^shop\/jobs: sidecars\.ambassador\.listenPort \(5432\)/);
    const web = new WebService(testChart(), 'api', { image: IMAGE });
    web.addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 9801, readiness: Probe.http('/readiness', { port: 9801 }), liveness: Probe.http('/liveness', { port: 9801 }) }));
    expectError(() => web.allowFrom(NetworkPeer.namespace('ops'), [9801]),
      'shop/api: allowFrom.ports (9801) is a port sidecar ambassador of this workload keeps for the pod itself (the app over localhost, the kubelet\'s probes): no other pod may reach it; '
      + 'name a port the pods serve (8080), or omit ports to allow all of them');
    expectError(() => web.allowFrom(NetworkPeer.namespace('ops'), [5432]), /^shop\/api: allowFrom\.ports \(5432\) is a port sidecar ambassador of this workload keeps for the pod itself/);
    expectError(() => new Worker(testChart(), 'jobs', { image: IMAGE }).addSidecar(new AmbassadorProxy({ image, listenPort: 5432, upstream, healthPort: 9090, healthPortName: 'health' })),
      'shop/jobs: sidecars.ambassador.healthPortName ("health") is already the name of a port in this pod (a port of the app container): a Service targetPort or probe port '
      + 'of that name would reach whichever container lists it first; set sidecars.ambassador.healthPortName to another name, or rename a port of the app container (healthPortName)');
  });

  test('a log directory the app already mounts', () => {
    const w = api();
    expectError(() => w.addSidecar(new LogShipper({ logDirectory: '/tmp' })),
      'shop/api: sidecars.log-shipper.logDirectory ("/tmp") is already a mount path of the app container (security.writablePaths[0]); mount the sidecar volume at another path');
  });

  test('a log directory also listed in security.writablePaths: the fix is to leave it out there (the shared volume is writable)', () => {
    const w = new WebService(testChart(), 'api', { image: IMAGE, security: { writablePaths: ['/tmp', '/var/log/app'] } });
    expectError(() => w.addSidecar(new LogShipper({ logDirectory: '/var/log/app' })),
      'shop/api: sidecars.log-shipper.logDirectory ("/var/log/app") is already a mount path of the app container (security.writablePaths[1]); '
      + 'leave /var/log/app out of security.writablePaths: the sidecar shares its volume there with the app, which may write it');
    const fixed = new WebService(testChart(), 'api', { image: IMAGE, security: { writablePaths: ['/tmp'] } });
    fixed.addSidecar(new LogShipper({ logDirectory: '/var/log/app' }));
  });

  test('a secret-looking literal env value', () => {
    expectError(() => api().addSidecar(new AmbassadorProxy({ image: 'envoyproxy/envoy:v1.31.2', listenPort: 15432, upstream: NetworkPeer.cidr('10.0.0.0/8'), env: { DB_PASSWORD: 'hunter2' } })),
      /sidecars\.ambassador\.env\.DB_PASSWORD \("<redacted>"\) looks like a plaintext secret/);
  });

  test('identical readiness and liveness probes are accepted only as given (distinct defaults)', () => {
    const w = api();
    w.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', liveness: Probe.http('/metrics', { port: 9102 }) }));
    expect(pod((w.node.scope as Chart).toJson()).containers[1].livenessProbe.httpGet.path).toBe('/metrics');
  });

  test('init tasks: an empty list', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [] })), /sidecars\.init\.tasks \(\[\]\) must hold at least one task/);
  });

  test('init tasks: a bad host', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'http://db', port: 5432 })] })), /sidecars\.init\.tasks\[0\]\.host \("http:\/\/db"\) must be a DNS name/);
  });

  test('init tasks: a bad port', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 70000 })] })), /sidecars\.init\.tasks\[0\]\.port \(70000\) must be a whole number from 1 to 65535/);
  });

  test('a Kubernetes version before 1.27', () => {
    expectError(() => KubernetesVersion.of('1.25'), /KubernetesVersion: version \("1\.25"\) must be a Kubernetes version "1\.N" with N from 27 to 39/);
    expectError(() => KubernetesVersion.of('1.40'), /KubernetesVersion: version \("1\.40"\) must be a Kubernetes version "1\.N" with N from 27 to 39/);
    expect(KubernetesVersion.of('1.39').minor).toBe(39);
  });

  test('a Kubernetes version with a leading v, a patch or a leading zero is refused with the minor version meant', () => {
    expectError(() => KubernetesVersion.of('v1.30'), 'KubernetesVersion: version ("v1.30") must be a Kubernetes minor version "1.N" with N from 27 to 39, without a leading v, a patch or a leading zero '
      + '(a target is a minor version); write "1.30"');
    expectError(() => KubernetesVersion.of('1.30.1'), /version \("1\.30\.1"\) must be a Kubernetes minor version .*; write "1\.30"$/);
    expectError(() => KubernetesVersion.of('1.030'), /; write "1\.30"$/);
  });
});

describe('sidecar errors (more)', () => {
  const api = () => new WebService(testChart(), 'api', { image: IMAGE });

  test('an invalid sidecar name', () => {
    expectError(() => api().addSidecar(new LogShipper({ name: 'Log_Shipper' })), /sidecars\.Log_Shipper\.name \("Log_Shipper"\) must be an RFC 1123 DNS label/);
  });

  test('two sidecars on the same port', () => {
    const w = api();
    w.addSidecar(new LogShipper());
    expectError(() => w.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', port: 2020 })), /sidecars\.metrics-adapter\.port \(2020\) is already a port of the pod/);
  });

  test('a metrics path without a leading slash', () => {
    expectError(() => api().addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', path: 'metrics' })), /sidecars\.metrics-adapter\.path \("metrics"\) must start with '\/'/);
  });

  test('podMonitorLabels label the PodMonitor (kube-prometheus-stack selects monitors by release), beside the selector labels', () => {
    const chart = testChart();
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    web.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', podMonitor: true, podMonitorLabels: { release: 'kube-prometheus-stack' } }));
    const pm = one(chart.toJson(), 'PodMonitor', 'web');
    expect(pm.metadata.labels).toEqual({ 'release': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' });
    expectError(() => api().addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', podMonitor: true, podMonitorLabels: { release: 'a b' } })),
      /sidecars\.metrics-adapter\.podMonitorLabels/);
  });

  test('two MetricsAdapters with PodMonitors on one workload: the second one\'s is named after the workload and the adapter', () => {
    const chart = testChart();
    const web = new WebService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    web.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', podMonitor: true }));
    web.addSidecar(new MetricsAdapter({ name: 'm2', image: 'prom/statsd-exporter:v0.28.0', port: 9103, portName: 'metrics2', podMonitor: true }));
    expect(chart.toJson().filter(o => o.kind === 'PodMonitor').map(o => `${o.metadata.name} ${o.spec.podMetricsEndpoints[0].port}`)).toEqual(['web metrics', 'web-m2 metrics2']);
  });

  test('PodMonitor settings without podMonitor, a selector label in podMonitorLabels, and an interval of no whole seconds are refused', () => {
    const image = 'prom/statsd-exporter:v0.28.0';
    expectError(() => api().addSidecar(new MetricsAdapter({ image, podMonitorLabels: { release: 'kube-prometheus-stack' } })),
      'shop/api: sidecars.metrics-adapter.podMonitorLabels ({"release":"kube-prometheus-stack"}) applies to the PodMonitor, which only podMonitor: true writes: '
      + 'without it nothing reads it; set podMonitor: true, or leave podMonitorLabels out');
    expectError(() => api().addSidecar(new MetricsAdapter({ image, podMonitor: true, podMonitorLabels: { 'app.kubernetes.io/name': 'other' } })),
      /^shop\/api: sidecars\.metrics-adapter\.podMonitorLabels\["app\.kubernetes\.io\/name"\] \("other"\) is one of the workload's selector labels/);
    expectError(() => api().addSidecar(new MetricsAdapter({ image, podMonitor: true, scrapeInterval: Duration.millis(1500) })),
      /^shop\/api: sidecars\.metrics-adapter\.scrapeInterval \("1 second 500 millis"\) must be a whole number of seconds/);
  });

  test('a MetricsAdapter with a PodMonitor bound to two workloads', () => {
    const adapter = new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', podMonitor: true });
    api().addSidecar(adapter);
    expectError(() => api().addSidecar(adapter), /sidecars\.metrics-adapter \("metrics-adapter"\) is already bound to a workload/);
  });

  test('an invalid ambassador port name', () => {
    expectError(() => api().addSidecar(new AmbassadorProxy({ image: 'envoyproxy/envoy:v1.31.2', listenPort: 15432, portName: 'database-proxy-port', upstream: NetworkPeer.cidr('10.0.0.0/8') })),
      /sidecars\.ambassador\.portName \("database-proxy-port"\) must be an IANA service name/);
  });

  test('init tasks: a bad wait interval', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432, intervalSeconds: 0 })] })), /sidecars\.init\.tasks\[0\]\.intervalSeconds \(0\) must be a whole number of at least 1/);
  });

  test('init tasks: a bad wait timeout', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432, timeoutSeconds: 0.5 })] })),
      /sidecars\.init\.tasks\[0\]\.timeoutSeconds \(0\.5\) must be a whole number of at least 1; use for example 600 \(ten minutes\)/);
  });

  test('init tasks: a relative output path', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.renderConfig('render', { image: 'ghcr.io/acme/confd:0.16.0', outputPath: 'etc/app' })] })), /sidecars\.init\.tasks\[0\]\.outputPath \("etc\/app"\) must be an absolute path/);
  });

  test('init tasks: a duplicate task name', () => {
    expectError(() => api().addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: 'ghcr.io/acme/m:1.0.0' }), InitTask.run('migrate', { image: 'ghcr.io/acme/m:1.0.0' })] })),
      /is already the name of a (container|volume) in this pod/);
  });
});

describe('sidecar defaults (more)', () => {
  const chart = testChart();
  const w = new WebService(chart, 'api', { image: IMAGE });
  w.addSidecar(new LogShipper());
  w.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' }));
  w.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432 })] }));
  const objs = chart.toJson();
  const spec = pod(objs);

  test('log shipper: monitoring port 2020, the generated configuration mounted where Fluent Bit reads it, writable /tmp', () => {
    expect(spec.containers[1].ports).toEqual([{ name: 'log-http', containerPort: 2020, protocol: 'TCP' }]);
    expect(spec.volumes).toContainEqual({ name: 'log-shipper-config', configMap: { name: 'api-log-shipper' } });
    expect(spec.containers[1].volumeMounts).toContainEqual({ name: 'log-shipper-config', mountPath: '/fluent-bit/etc', readOnly: true });
    expect(spec.containers[1].volumeMounts).toContainEqual({ name: 'log-shipper-tmp', mountPath: '/tmp' });
  });

  test('metrics adapter: liveness TCP and readiness HTTP on the metrics port; no PodMonitor by default', () => {
    expect(spec.containers[2].livenessProbe.tcpSocket).toEqual({ port: 'metrics' });
    expect(spec.containers[2].readinessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    expect(objs.map(o => o.kind)).not.toContain('PodMonitor');
  });

  test('wait-for: retries every 2 s, gives up after 600 s, and adds no egress rule without a peer', () => {
    expect(spec.initContainers[0].command[2]).toBe('deadline=$(($(date +%s)+600)); until nc -z -w 2 db 5432; do '
      + 'if [ "$(date +%s)" -ge "$deadline" ]; then echo "gave up waiting for db:5432 after 600 s" >&2; exit 1; fi; echo waiting for db:5432; sleep 2; done');
    expect(JSON.stringify(one(objs, 'NetworkPolicy').spec.egress)).not.toContain('5432');
  });

  test('sidecars are listed on the workload in order', () => {
    expect(w.sidecars.map(s => s.name)).toEqual(['log-shipper', 'metrics-adapter', 'init']);
  });
});

describe('init task sizing', () => {
  test('a migration follows the app container\'s resources as the user set them', () => {
    const chart = testChart();
    const w = new Worker(chart, 'billing', { image: IMAGE, resources: { cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' } });
    w.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, args: ['migrate'] })] }));
    const spec = pod(chart.toJson());
    expect(spec.initContainers[0].resources).toEqual(spec.containers[0].resources);
    expect(spec.initContainers[0].resources.limits.memory).toBe('2Gi');
    expect(spec.initContainers[0].resources.requests.cpu).toBe('500m');
  });

  test('resources set on the task win over the app size', () => {
    const chart = testChart();
    const w = new WebService(chart, 'api', { image: IMAGE, resources: { memory: '1Gi' } });
    w.addSidecar(new InitTasks({ tasks: [InitTask.renderConfig('render', { image: 'ghcr.io/acme/confd:0.16.0', outputPath: '/etc/app', resources: { memory: '32Mi' } })] }));
    const spec = pod(chart.toJson());
    expect(spec.initContainers[0].resources.requests.memory).toBe('32Mi');
    expect(spec.initContainers[0].resources.limits).toEqual({ 'cpu': '200m', 'memory': '32Mi', 'ephemeral-storage': '256Mi' });
  });
});

describe('init tasks given the app container\'s configuration (shareAppConfig)', () => {
  const appProps = {
    image: IMAGE,
    env: { DB_HOST: EnvValue.fromValue('db.shop.svc.cluster.local'), DB_PASSWORD: EnvValue.fromSecretKey('db-credentials', 'password'), MODE: EnvValue.fromValue('serve') },
    envFromConfigMaps: ['api-settings'],
    secretMounts: [{ secretName: 'db-tls', mountPath: '/var/run/secrets/db' }],
    configMapMounts: [{ configMapName: 'api-config', mountPath: '/etc/api' }],
  };

  test('the task gets the app\'s env (its own variables win), envFrom, and secret and ConfigMap mounts at the same paths; the output stays valid', () => {
    const chart = testChart();
    const w = new WebService(chart, 'api', appProps);
    w.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, args: ['migrate'], env: { MODE: 'migrate' }, shareAppConfig: true })] }));
    const objs = chart.toJson();
    const spec = pod(objs);
    const [app, task] = [spec.containers[0], spec.initContainers[0]];
    expect(task.env).toEqual([
      { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      { name: 'MODE', value: 'migrate' },
    ]);
    expect(task.envFrom).toEqual(app.envFrom);
    expect(task.volumeMounts).toEqual([
      { name: 'migrate-tmp', mountPath: '/tmp' },
      { name: 'secret-0', mountPath: '/var/run/secrets/db', readOnly: true },
      { name: 'config-0', mountPath: '/etc/api', readOnly: true },
    ]);
    expectValid(objs);
  });

  test('a plaintext secret in a task\'s env is refused with the route a task has: the app\'s Secret, shared with shareAppConfig', () => {
    const w = new WebService(testChart(), 'api', appProps);
    expect(() => w.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, env: { DB_PASSWORD: 'hunter2-hunter2' } })] }))).toThrow(
      'shop/api: sidecars.init.tasks[0].env.DB_PASSWORD ("<redacted>") looks like a plaintext secret (its name says it is a secret), which anyone who can read the manifest could read (rule SS-K8S-062); '
      + "store it in a Secret the app reads (its env with EnvValue.fromSecretKey, or its secretMounts) and set the task's shareAppConfig: true, so the task gets it as the app does");
  });

  test('by default the task gets none of it', () => {
    const chart = testChart();
    const w = new WebService(chart, 'api', appProps);
    w.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, args: ['migrate'] })] }));
    const task = pod(chart.toJson()).initContainers[0];
    expect(task.env).toBeUndefined();
    expect(task.envFrom).toBeUndefined();
    expect(task.volumeMounts).toEqual([{ name: 'migrate-tmp', mountPath: '/tmp' }]);
  });

  test('outside a shipshape workload (a hand-made IWorkload) shareAppConfig is refused: there is no app container to copy', () => {
    const chart = testChart();
    const fake = Object.assign(new Construct(chart, 'legacy'), { name: 'legacy', namespace: 'shop', selectorLabels: { app: 'legacy' }, containerPorts: [] });
    expect(() => new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, shareAppConfig: true })] }).bind(fake as any)).toThrow(
      'shop/legacy: sidecars.init.tasks[0].shareAppConfig (true) needs a shipshape workload (WebService, Worker, StatefulService, Job, ScheduledJob), '
      + 'whose app container it copies; leave shareAppConfig unset, and give the task what it needs through env');
  });

  test('an app mount where the task mounts its own /tmp is refused, naming both', () => {
    const chart = testChart();
    const w = new WebService(chart, 'api', { image: IMAGE, security: { writablePaths: ['/var/cache'] }, secretMounts: [{ secretName: 'scratch', mountPath: '/tmp' }] });
    w.addSidecar(new InitTasks({ tasks: [InitTask.run('migrate', { image: IMAGE, shareAppConfig: true })] }));
    expect(() => chart.toJson()).toThrow('shop/api: sidecars.init.shareAppConfig (true) would mount the app\'s secret-0 volume at /tmp, where task migrate already mounts migrate-tmp; '
      + 'mount the secret or ConfigMap elsewhere in the app, or leave shareAppConfig unset and mount what the task needs another way');
  });
});

describe('a wait without a peer that no egress rule lets through', () => {
  const synthStderr = (setup: (w: WebService) => void) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-wait-')) });
    const w = new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: IMAGE });
    w.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait-for-cache', { host: 'redis.cache.svc.cluster.local', port: 6379 })] }));
    setup(w);
    try {
      return stderrOf(() => app.synth());
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  };

  test('synth says the pods would never start, and how to open the way', () => {
    expect(synthStderr(() => undefined)).toContain('shipshape note: shop/api: init task wait-for-cache waits for redis.cache.svc.cluster.local:6379, '
      + 'but no egress rule of the NetworkPolicy allows port 6379: on a cluster that enforces NetworkPolicies the connection is dropped and the pods never start (the task waits until its timeout, fails and is retried); '
      + "give the task its `peer`, or declare the connection with allowTo (for example allowTo(NetworkPeer.cidr('10.0.0.0/16'), [6379]))");
  });

  test('no note once an egress rule allows the port', () => {
    expect(synthStderr(w => w.allowTo(NetworkPeer.pods('cache', { 'app.kubernetes.io/name': 'redis' }), [6379]))).not.toContain('waits for redis');
  });
});

describe('sidecars on run-to-completion workloads (Job, ScheduledJob)', () => {
  const job = (chart: Chart) => new Job(chart, 'migrate', { image: IMAGE });
  const cronJob = (chart: Chart) => new ScheduledJob(chart, 'report', { image: IMAGE, schedule: Schedule.cron('0 4 * * *') });
  const jobPod = (objs: any[]) => one(objs, 'Job').spec.template.spec;
  const cronPod = (objs: any[]) => one(objs, 'CronJob').spec.jobTemplate.spec.template.spec;

  test('a long-running sidecar on a Job below Kubernetes 1.29 (default target 1.27) is refused at synth: it would keep the pod running', () => {
    const chart = testChart();
    job(chart).addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    expect(validationErrors(chart)).toEqual([
      'shop/migrate: sidecars.log-shipper ("log-shipper") is a long-running container, which on the Kubernetes 1.27 target (no native sidecars before 1.29) '
      + "becomes a regular container of the Job's pod and keeps it running after the app exits, so the job never completes (it fails at activeDeadlineSeconds); "
      + 'if the cluster runs Kubernetes 1.29 or newer, set that target (KubernetesTarget.set(chart, KubernetesVersion.V1_29), or kubernetesVersion '
      + 'in the cluster profile given to App({ cluster })): the sidecar then becomes a native sidecar, stopped when the app exits; '
      + 'otherwise remove the sidecar, do the work in the app container or an InitTasks task, or run it as a separate workload',
    ]);
    // rendering without validation (chart.toJson) is stopped too, so no YAML with the never-ending pod comes out
    expect(() => chart.toJson()).toThrow(/shop\/migrate: sidecars\.log-shipper \("log-shipper"\) is a long-running container/);
  });

  test('on a cluster whose control plane runs 1.29+ while a pool runs an older kubelet, the fix is raising that pool', () => {
    const region = 'eu-west-1';
    const app = new App({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-pool-')),
      cluster: cluster({
        kubernetesVersion: '1.30',
        nodePools: [
          pool('general', { zones: [`${region}a`, `${region}b`, `${region}c`] }),
          pool('graviton', { zones: [`${region}a`, `${region}b`, `${region}c`], kubernetesVersion: '1.28' }),
        ],
      }),
    });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    job(chart).addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    expect(validationErrors(chart)).toEqual([expect.stringContaining('on the Kubernetes 1.28 target (no native sidecars before 1.29)')]);
    expect(validationErrors(chart)[0]).toContain('; cluster shop-prod runs Kubernetes 1.30, but the kubelets of node pool graviton (1.28) are older, so the app targets 1.28: '
      + 'raise that pool to 1.29 or newer (and its kubernetesVersion in the profile): the sidecar then becomes a native sidecar, stopped when the app exits; otherwise remove the sidecar');
  });

  test('several long-running sidecars on a Job below 1.29: one error names them all', () => {
    const chart = testChart();
    const j = job(chart);
    j.addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    j.addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' }));
    const errors = validationErrors(chart);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('shop/migrate: sidecars.log-shipper ("log-shipper") is a long-running container (as is sidecars.metrics-adapter), which on the Kubernetes 1.27 target');
  });

  test.each<[string, (chart: Chart) => Job | ScheduledJob, () => any]>([
    ['ScheduledJob, metrics adapter', cronJob, () => new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' })],
    ['ScheduledJob, ambassador proxy', cronJob, () => new AmbassadorProxy({ image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0', listenPort: 5432, upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [3307] }) })],
    ['Job, metrics adapter', job, () => new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' })],
  ])('%s on Kubernetes 1.28 is refused too (native sidecars are off by default before 1.29)', (_name, make, sidecar) => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_28);
    const w = make(chart);
    const s = sidecar();
    w.addSidecar(s);
    const kind = w instanceof Job ? 'Job' : 'ScheduledJob';
    expect(validationErrors(chart).join('\n')).toContain(`${w.node.path}: sidecars.${s.name} ("${s.name}") is a long-running container, which on the Kubernetes 1.28 target `
      + `(no native sidecars before 1.29) becomes a regular container of the ${kind}'s pod`);
    expect(() => chart.toJson()).toThrow(/is a long-running container/);
  });

  test('init tasks (they finish on their own) are accepted on a Job and a ScheduledJob at 1.27', () => {
    const chart = testChart();
    job(chart).addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432 })] }));
    cronJob(chart).addSidecar(new InitTasks({ tasks: [InitTask.run('prepare', { image: 'ghcr.io/acme/m:1.0.0' })] }));
    expect(validationErrors(chart)).toEqual([]);
    const objs = chart.toJson();
    expect(jobPod(objs).containers.map((c: any) => c.name)).toEqual(['app']);
    expect(jobPod(objs).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['wait', undefined]]);
    expect(cronPod(objs).containers.map((c: any) => c.name)).toEqual(['app']);
    expect(cronPod(objs).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['prepare', undefined]]);
    expectValid(objs);
  });

  test('on 1.29+ a Job and a ScheduledJob get native sidecars (init containers with restartPolicy Always), so the job can complete', () => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_29);
    const j = job(chart);
    j.addSidecar(new LogShipper({ destination: NetworkPeer.namespace('logging', { ports: [24224] }) }));
    j.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432 })] }));
    cronJob(chart).addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0' }));
    expect(validationErrors(chart)).toEqual([]);
    const objs = chart.toJson();
    expect(jobPod(objs).containers.map((c: any) => c.name)).toEqual(['app']);
    expect(jobPod(objs).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always'], ['wait', undefined]]);
    expect(cronPod(objs).containers.map((c: any) => c.name)).toEqual(['app']);
    expect(cronPod(objs).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['metrics-adapter', 'Always']]);
    expectValid(objs, [CURRENT_K8S_VERSION]);
    expect(policyErrors(objs)).toEqual([]);
  });

  test('setting the target after a workload was added is refused: it read the target in force then (one output would mix two versions)', () => {
    const chart = testChart();
    job(chart).addSidecar(new LogShipper());
    expectError(() => KubernetesTarget.set(chart, KubernetesVersion.V1_30),
      'shop: KubernetesTarget ("1.30") is set after shop/migrate was added under it, which read the target in force then (1.27) when it was created; '
      + 'set the target right after creating the chart or app, before adding workloads');
  });

  test('a target set later that changes no workload\'s target is accepted: the same version, or one a nearer target overrides', () => {
    const chart = testChart();
    KubernetesTarget.set(chart, KubernetesVersion.V1_30);
    job(chart).addSidecar(new LogShipper());
    expect(() => KubernetesTarget.set(chart, KubernetesVersion.V1_30)).not.toThrow();
    expect(() => KubernetesTarget.set(chart.node.root, KubernetesVersion.V1_28)).not.toThrow();
    expect(KubernetesTarget.of(chart).toString()).toBe('1.30');
  });

  test('long-running workloads keep regular sidecar containers below 1.29', () => {
    const chart = testChart();
    new Worker(chart, 'w', { image: IMAGE }).addSidecar(new LogShipper());
    const objs = chart.toJson();
    expect(one(objs, 'Deployment').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-shipper']);
  });
});

describe('log shipper without configMapName: a configuration of its own that serves the probes', () => {
  const CONFIG = [
    '[SERVICE]',
    '    Flush            1',
    '    Log_Level        info',
    '    HTTP_Server      On',
    '    HTTP_Listen      0.0.0.0',
    '    HTTP_Port        2020',
    '    Health_Check     On',
    '',
    '[INPUT]',
    '    Name             tail',
    '    Path             /var/log/app/*',
    '    Tag              app.*',
    '    DB               /tmp/fluent-bit-tail.db',
    '    Read_from_Head   On',
    '    Refresh_Interval 5',
    '    Skip_Long_Lines  On',
    '',
    '[OUTPUT]',
    '    Name             stdout',
    '    Match            *',
    '    Format           json_lines',
    '',
  ].join('\n');

  test.each([['1.27 (regular containers)', KubernetesVersion.V1_27], ['1.30 (native sidecars)', KubernetesVersion.V1_30]])(
    'on %s: one ConfigMap per workload, named from it, mounted at /fluent-bit/etc; strictly valid and passes the policy pack', (_name, version) => {
      const chart = testChart();
      KubernetesTarget.set(chart, version);
      new WebService(chart, 'api', { image: IMAGE }).addSidecar(new LogShipper());
      new Worker(chart, 'indexer', { image: IMAGE }).addSidecar(new LogShipper());
      const objs = chart.toJson();
      const maps = objs.filter(o => o.kind === 'ConfigMap');
      expect(maps.map(m => [m.metadata.name, m.metadata.namespace])).toEqual([['api-log-shipper', 'shop'], ['indexer-log-shipper', 'shop']]);
      expect(maps[0].metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/managed-by': 'shipshape' });
      expect(maps[0].data).toEqual({ 'fluent-bit.conf': CONFIG });
      const spec = one(objs, 'Deployment', 'api').spec.template.spec;
      const shipper = [...spec.containers, ...(spec.initContainers ?? [])].find((c: any) => c.name === 'log-shipper');
      expect(spec.volumes).toContainEqual({ name: 'log-shipper-config', configMap: { name: 'api-log-shipper' } });
      expect(shipper.volumeMounts).toContainEqual({ name: 'log-shipper-config', mountPath: '/fluent-bit/etc', readOnly: true });
      // the probes ask the HTTP server the configuration turns on, on the port it names
      expect(shipper.readinessProbe.httpGet).toEqual({ path: '/api/v1/uptime', port: 'log-http' });
      expect(shipper.livenessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'log-http' });
      expect(shipper.ports).toEqual([{ name: 'log-http', containerPort: 2020, protocol: 'TCP' }]);
      expectValid(objs, version === KubernetesVersion.V1_27 ? undefined : [CURRENT_K8S_VERSION]);
      expect(policyErrors(objs)).toEqual([]);
    });

  test('the configuration follows monitoringPort and logDirectory', () => {
    const chart = testChart();
    new WebService(chart, 'api', { image: IMAGE }).addSidecar(new LogShipper({ name: 'logs', monitoringPort: 2021, logDirectory: '/var/log/reports/' }));
    const objs = chart.toJson();
    const conf: string = one(objs, 'ConfigMap', 'api-logs').data['fluent-bit.conf'];
    expect(conf).toContain('\n    HTTP_Port        2021\n');
    expect(conf).toContain('\n    Path             /var/log/reports/*\n');
    expect(pod(objs).containers[1].ports).toEqual([{ name: 'log-http', containerPort: 2021, protocol: 'TCP' }]);
  });

  test('the monitoring port is on neither the Service nor the NetworkPolicy', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.addSidecar(new LogShipper());
    api.allowFrom(NetworkPeer.pods('shop', { app: 'web' }));
    const objs = chart.toJson();
    expect(one(objs, 'Service', 'api').spec.ports.map((p: any) => p.port)).toEqual([80]);
    expect(one(objs, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('with configMapName, that ConfigMap is mounted and none is written', () => {
    const chart = testChart();
    new WebService(chart, 'api', { image: IMAGE }).addSidecar(new LogShipper({ configMapName: 'fluent-bit-config', configMountPath: '/etc/shipper' }));
    const objs = chart.toJson();
    expect(objs.filter(o => o.kind === 'ConfigMap')).toEqual([]);
    expect(pod(objs).volumes).toContainEqual({ name: 'log-shipper-config', configMap: { name: 'fluent-bit-config' } });
    expect(pod(objs).containers[1].volumeMounts).toContainEqual({ name: 'log-shipper-config', mountPath: '/etc/shipper', readOnly: true });
  });

  test('a configuration mounted over the log directory is refused', () => {
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(new LogShipper({ logDirectory: '/fluent-bit/etc/' })),
      'shop/api: sidecars.log-shipper.configMountPath ("/fluent-bit/etc") is also the logDirectory (/fluent-bit/etc/): a container cannot mount two volumes at one path; '
      + 'mount the configuration and the logs at different paths');
  });

  test('a second log shipper of the same name is still refused by name (no ConfigMap clash first)', () => {
    const w = new WebService(testChart(), 'api', { image: IMAGE });
    w.addSidecar(new LogShipper());
    expectError(() => w.addSidecar(new LogShipper({ monitoringPort: 2021 })), /sidecars\.log-shipper\.name \("log-shipper"\) is already the name of a container in this pod/);
  });
});

describe('ambassador probes: a TCP readiness probe on the pod IP, so the proxy listens on all addresses', () => {
  const proxy = () => new AmbassadorProxy({
    image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
    args: ['--address=0.0.0.0', '--port=5432', 'acme:europe-west1:ledger'],
    listenPort: 5432,
    upstream: NetworkPeer.cidr('10.0.32.0/20', { ports: [3307] }),
  });

  test.each([
    ['a native sidecar (1.30)', KubernetesVersion.V1_30],
    ['a regular container (1.27, the default target)', undefined],
  ])('%s: readiness is tcpSocket on the listen port, no liveness; valid and no policy error', (_what, version) => {
    const chart = testChart();
    if (version) KubernetesTarget.set(chart, version);
    new WebService(chart, 'api', { image: IMAGE }).addSidecar(proxy());
    const objs = chart.toJson();
    const spec = pod(objs);
    const amb = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === 'ambassador');
    expect(amb.readinessProbe).toMatchObject({ tcpSocket: { port: 'proxy' } });
    expect(amb.livenessProbe).toBeUndefined();
    expectValid(objs, version ? [CURRENT_K8S_VERSION] : undefined);
    expect(policyErrors(objs)).toEqual([]);
  });
});

describe('sidecar resource comparisons quote the values as written, not normalized', () => {
  const api = () => new WebService(testChart(), 'api', { image: IMAGE });
  const exact = (fn: () => unknown, message: string) => {
    expectError(fn, message);
    try { fn(); } catch (e: any) { expect(e.message).toBe(message); }
  };

  test('cpu "96000m" above cpuLimit "0.2": "96000m" and "0.2", not "96" and "200m"', () => {
    exact(() => api().addSidecar(new LogShipper({ resources: { cpu: '96000m', cpuLimit: '0.2' } })),
      'shop/api: sidecars.log-shipper.resources.cpu ("96000m") must be <= sidecars.log-shipper.resources.cpuLimit (0.2); lower the request or raise the limit');
  });

  test('cpu above the default cpuLimit: the default as shipshape writes it (200m)', () => {
    exact(() => api().addSidecar(new LogShipper({ resources: { cpu: '1000m' } })),
      'shop/api: sidecars.log-shipper.resources.cpu ("1000m") must be <= sidecars.log-shipper.resources.cpuLimit (200m); lower the request or raise the limit');
  });

  test('memory "2048Mi" above memoryLimit "1024Mi": not "2Gi" and "1Gi"', () => {
    exact(() => api().addSidecar(new MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', resources: { memory: '2048Mi', memoryLimit: '1024Mi' } })),
      'shop/api: sidecars.metrics-adapter.resources.memory ("2048Mi") must be <= sidecars.metrics-adapter.resources.memoryLimit (1024Mi); lower the request or raise the limit');
  });

  test('ephemeral storage "0.5Gi" above its limit "256Mi": not "512Mi"', () => {
    exact(() => api().addSidecar(new LogShipper({ resources: { ephemeralStorage: '0.5Gi', ephemeralStorageLimit: '262144Ki' } })),
      'shop/api: sidecars.log-shipper.resources.ephemeralStorage ("0.5Gi") must be <= sidecars.log-shipper.resources.ephemeralStorageLimit (262144Ki); '
      + 'lower the request or raise the limit');
  });
});

describe('wait-for, run by a shell', () => {
  // The synthesized command under BusyBox's sh when the machine has BusyBox (the task's default image is BusyBox),
  // else under the system's POSIX sh; `nc` is a stand-in that fails, or succeeds, as a dependency that is down or up.
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find(p => fs.existsSync(p));
  function command(timeoutSeconds: number): string {
    const chart = testChart();
    const w = new Worker(chart, 'billing', { image: IMAGE });
    w.addSidecar(new InitTasks({ tasks: [InitTask.waitFor('wait', { host: 'db', port: 5432, intervalSeconds: 1, timeoutSeconds })] }));
    return pod(chart.toJson()).initContainers[0].command[2];
  }
  function run(script: string, ncExit: number): { status: number | null; stdout: string; stderr: string } {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-for-'));
    try {
      fs.writeFileSync(path.join(bin, 'nc'), `#!/bin/sh\nexit ${ncExit}\n`, { mode: 0o755 });
      for (const tool of ['date', 'sleep']) {
        if (busybox) fs.symlinkSync(busybox, path.join(bin, tool));
      }
      const sh = busybox ?? '/bin/sh';
      const argv = busybox ? ['sh', '-c', script] : ['-c', script];
      const r = spawnSync(sh, argv, { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf-8', timeout: 20_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }

  test('a dependency that never answers: the task says what it waited for and exits 1 once the timeout has passed', () => {
    // (no wall-clock assertion: the script counts whole seconds, and a shared machine's clock is no test oracle; that
    // it waited is what its output says: at least one round before it gave up)
    const r = run(command(2), 1);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gave up waiting for db:5432 after 2 s');
    expect(r.stdout).toContain('waiting for db:5432');
  });

  test('a dependency that answers: the task ends at once, successfully', () => {
    const r = run(command(600), 0);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('a sidecar of your own (ISidecar): what addSidecar checks in its binding', () => {
  /** A hardened container of the sidecar, as SidecarContainers would make it. */
  const container = (name: string, extra: any = {}) => ({
    name,
    image: 'ghcr.io/acme/agent:1.0.0',
    securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '32Mi' } },
    ...extra,
  });
  const sidecar = (binding: any, name = 'agent'): ISidecar => ({ name, bind: () => binding });

  test('an egress port that is no TCP port, and an ingress port no container of the pod declares, are refused', () => {
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(sidecar({ containers: [container('agent')], egress: [{ peer: NetworkPeer.cidr('10.0.0.0/8'), ports: [70000] }] })),
      'shop/api: sidecars.agent.egress[0].ports[0] (70000) must be a whole number from 1 to 65535 (a TCP port); use the port the peer listens on');
    expectError(() => new WebService(testChart(), 'api', { image: IMAGE }).addSidecar(sidecar({ containers: [container('agent')], ingress: [{ peer: NetworkPeer.namespace('monitoring'), ports: [9999] }] })),
      'shop/api: sidecars.agent.ingress[0].ports (9999) is not a port of the pod (its containers declare 8080): the callers would be admitted where nothing listens; '
      + 'admit them on a port a container of the sidecar declares');
  });

  test('callers of a port the sidecar declares are admitted, by the binding and by allowFrom', () => {
    const chart = testChart();
    const api = new WebService(chart, 'api', { image: IMAGE });
    api.addSidecar(sidecar({ containers: [container('agent', { ports: [{ name: 'agent', containerPort: 9090, protocol: 'TCP' }] })], ingress: [{ peer: NetworkPeer.namespace('monitoring'), ports: [9090] }] }));
    api.allowFrom(NetworkPeer.namespace('ops'), [9090]);
    const ingress = one(chart.toJson(), 'NetworkPolicy', 'api').spec.ingress;
    expect(ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] });
    expect(ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ port: 9090, protocol: 'TCP' }] });
  });

  test('a volume named like a StatefulService claim, or like the volume of a secret mount, is refused at addSidecar', () => {
    const db = new StatefulService(testChart(), 'db', { image: IMAGE, volumes: [{ name: 'vault-secrets', size: '1Gi', mountPath: '/data' }] });
    expectError(() => db.addSidecar(sidecar({ containers: [container('agent')], volumes: [{ name: 'vault-secrets', emptyDir: { medium: 'Memory' } }] })),
      'shop/db: sidecars.agent.volumes ("vault-secrets") is already the name of a volume in this pod (the app\'s, from volumes[0].name); '
      + 'give the sidecar another name (shipshape\'s sidecars name their volumes after themselves), or its volume another name');
    const api = new WebService(testChart(), 'api', { image: IMAGE, secretMounts: [{ secretName: 'db', mountPath: '/etc/db' }] });
    expectError(() => api.addSidecar(sidecar({ containers: [container('agent')], volumes: [{ name: 'secret-0', emptyDir: {} }] })),
      /^shop\/api: sidecars\.agent\.volumes \("secret-0"\) is already the name of a volume in this pod \(the app's, from secretMounts\[0\]\)/);
  });

  test('an app mount over a StatefulService claim\'s path is refused at addSidecar, under the binding\'s prop', () => {
    const db = new StatefulService(testChart(), 'db', { image: IMAGE, volumes: [{ name: 'data', size: '1Gi', mountPath: '/vault/secrets' }] });
    expectError(() => db.addSidecar(sidecar({ containers: [container('agent')], volumes: [{ name: 'agent', emptyDir: {} }], appVolumeMounts: [{ name: 'agent', mountPath: '/vault/secrets' }] })),
      'shop/db: sidecars.agent.appVolumeMounts ("/vault/secrets") is already a mount path of the app container (volumes[0].mountPath); mount the sidecar volume at another path');
  });
});
