// A reporting service with all four sidecar kinds: log shipper, metrics adapter, ambassador proxy and init tasks.
// In your own project, import from the package instead: import { k8s } from 'shipshape';
import { ApiObject, Chart } from 'cdk8s';
import { k8s } from '../../lib';

const app = new k8s.App();

function reports(chart: Chart): void {
  const svc = new k8s.WebService(chart, 'reports', {
    image: 'ghcr.io/acme/reports:5.1.0',
    partOf: 'analytics',
  });
  // Fluent Bit tails /var/log/app (an emptyDir the app writes) and forwards to the log aggregator, with this
  // configuration: the HTTP server and health check on 2020 that the shipper's probes ask for, a tail input, a
  // forward output. Without it in the output the pods would wait in ContainerCreating (rule SS-K8S-086 warns).
  new ApiObject(chart, 'reports-fluent-bit', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'reports-fluent-bit', labels: { 'app.kubernetes.io/name': 'reports', 'app.kubernetes.io/part-of': 'analytics' } },
    data: {
      'fluent-bit.conf': [
        '[SERVICE]',
        '    Flush            1',
        '    HTTP_Server      On',
        '    HTTP_Listen      0.0.0.0',
        '    HTTP_Port        2020',
        '    Health_Check     On',
        '',
        '[INPUT]',
        '    Name             tail',
        '    Path             /var/log/app/*',
        '    Tag              reports.*',
        '    DB               /tmp/fluent-bit-tail.db',
        '',
        '[OUTPUT]',
        '    Name             forward',
        '    Match            *',
        '    Host             fluentd.logging.svc.cluster.local',
        '    Port             24224',
        '',
      ].join('\n'),
    },
  });
  svc.addSidecar(new k8s.sidecars.LogShipper({
    configMapName: 'reports-fluent-bit',
    destination: k8s.NetworkPeer.pods('logging', { 'app.kubernetes.io/name': 'fluentd' }, { ports: [24224] }),
  }));
  // StatsD -> Prometheus, scraped through a prometheus-operator PodMonitor.
  svc.addSidecar(new k8s.sidecars.MetricsAdapter({ image: 'prom/statsd-exporter:v0.28.0', args: ['--statsd.listen-udp=:9125'], podMonitor: true }));
  // The app talks to localhost:5432; the proxy handles IAM auth and TLS to the database subnet. It listens on all
  // addresses, so the kubelet (which probes the pod IP, not localhost) can check it with the default TCP readiness probe.
  svc.addSidecar(new k8s.sidecars.AmbassadorProxy({
    image: 'public.ecr.aws/acme/rds-proxy-sidecar:1.3.0',
    args: ['--listen=0.0.0.0:5432'],
    listenPort: 5432,
    upstream: k8s.NetworkPeer.cidr('10.0.32.0/20', { ports: [5432] }),
  }));
  // Init tasks run in order before the app starts.
  svc.addSidecar(new k8s.sidecars.InitTasks({
    tasks: [
      k8s.sidecars.InitTask.waitFor('wait-for-queue', {
        host: 'queue.analytics.svc.cluster.local',
        port: 5672,
        peer: k8s.NetworkPeer.pods('analytics', { 'app.kubernetes.io/name': 'queue' }),
      }),
      k8s.sidecars.InitTask.run('migrate', { image: 'ghcr.io/acme/reports-migrate:5.1.0', args: ['up'] }),
      k8s.sidecars.InitTask.renderConfig('render-config', { image: 'ghcr.io/acme/confd:0.16.0', args: ['-onetime'], outputPath: '/etc/reports' }),
    ],
  }));
}

// Kubernetes 1.27 (the default target): sidecars are regular containers.
reports(new Chart(app, 'reports', { namespace: 'analytics' }));

// Kubernetes 1.30: the same sidecars become native sidecars (init containers with restartPolicy: Always),
// started before the init tasks and the app, and stopped after the app.
const next = new Chart(app, 'reports-k8s-1-30', { namespace: 'analytics-next' });
k8s.KubernetesTarget.set(next, k8s.KubernetesVersion.V1_30);
reports(next);

app.synth();
